"""The disclosure rules: thresholds per indicator, read from `data/geheimhaltung.toml` (or the file named by
SOZIALMONITOR_GEHEIMHALTUNG).

Defaults are the rule of the Statistik der Bundesagentur für Arbeit: counts of 1 and 2 are shown as `*` (0 stays
visible), and the project's choices for rates (numerator 1–2 or fewer than 10 persons in the denominator: no rate).
Nothing here imports Streamlit."""

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from sozialmonitor.daten.config import DATA_DIR
from sozialmonitor.errors import Befund, EingabeFehler

STANDARD_DATEI = DATA_DIR / "geheimhaltung.toml"
SCHLUESSEL = {"schuetzen": bool, "min_anzahl": int, "min_zaehler": int, "min_nenner": int,
              "nenner_indikator": str, "schutzbreite": int}


@dataclass(frozen=True)
class IndikatorRegel:
    """The rule for one indicator. Units: Anzahl (persons) for every threshold; schutzbreite in the unit of the
    protected count (persons)."""
    schuetzen: bool = True
    min_anzahl: int = 3      # counts 1 … min_anzahl − 1 are suppressed (BA: 1 and 2)
    min_zaehler: int = 3     # rates with numerator 1 … min_zaehler − 1 are suppressed
    min_nenner: int = 10     # rates on fewer persons in the denominator are suppressed
    nenner_indikator: str | None = None  # the indicator whose value is this rate's denominator
    schutzbreite: int = 2    # attacker's interval for a protected count must be at least this wide


@dataclass(frozen=True)
class Regeln:
    """All rules: a default and per-indicator overrides. `quelle` names the file (shown on the Indikatoren page)."""
    standard: IndikatorRegel = IndikatorRegel()
    indikatoren: dict = field(default_factory=dict)  # id -> IndikatorRegel
    quelle: str = "eingebaute Standardregel"

    def fuer(self, indikator: str) -> IndikatorRegel:
        return self.indikatoren.get(indikator, self.standard)


def datei() -> Path:
    """The rules file in effect: SOZIALMONITOR_GEHEIMHALTUNG, else data/geheimhaltung.toml."""
    return Path(os.environ.get("SOZIALMONITOR_GEHEIMHALTUNG", STANDARD_DATEI))


def laden(pfad: Path | None = None) -> Regeln:
    """Read the rules file; without one the built-in BA default applies.

    Raises EingabeFehler (file, line, key, German message) for an unreadable file, an unknown key or a value of the
    wrong type – an import is then refused rather than published under a rule nobody chose."""
    pfad = Path(pfad) if pfad is not None else datei()
    if not pfad.exists():
        return Regeln()
    text = pfad.read_text(encoding="utf-8-sig")
    return lesen(text, pfad.name)


def lesen(text: str, name: str = "geheimhaltung.toml") -> Regeln:
    """The rules from TOML text (see data/geheimhaltung.toml for the keys)."""
    try:
        dokument = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EingabeFehler([Befund(name, getattr(exc, "lineno", None), None,
                                    f"Die Geheimhaltungsregeln sind kein gültiges TOML: {exc}")]) from exc
    befunde: list[Befund] = []

    def zeile(schluessel: str) -> int | None:
        for nummer, inhalt in enumerate(text.splitlines(), start=1):
            if inhalt.strip().startswith(schluessel):
                return nummer
        return None

    def regel(basis: IndikatorRegel, werte, abschnitt: str) -> IndikatorRegel:
        if not isinstance(werte, dict):
            befunde.append(Befund(name, zeile(f"[{abschnitt}"), abschnitt, "Erwartet wird ein Abschnitt mit Schlüsseln."))
            return basis
        neu = {}
        for key, value in werte.items():
            typ = SCHLUESSEL.get(key)
            if typ is None:
                befunde.append(Befund(name, zeile(key), f"{abschnitt}.{key}",
                                      f"Unbekannter Schlüssel (erlaubt: {', '.join(SCHLUESSEL)})."))
            elif not isinstance(value, typ) or (typ is int and (isinstance(value, bool) or value < 0)):
                art = {bool: "true oder false", int: "eine ganze Zahl ab 0", str: "ein Text"}[typ]
                befunde.append(Befund(name, zeile(key), f"{abschnitt}.{key}", f"Erwartet wird {art}."))
            else:
                neu[key] = value
        return replace(basis, **neu)

    unbekannt = set(dokument) - {"standard", "indikator"}
    for key in sorted(unbekannt):
        befunde.append(Befund(name, zeile(f"[{key}"), key, "Unbekannter Abschnitt (erlaubt: [standard], "
                                                             "[indikator.ID])."))
    standard = regel(IndikatorRegel(), dokument.get("standard", {}), "standard")
    indikatoren = {}
    eintraege = dokument.get("indikator", {})
    if isinstance(eintraege, dict):
        for ident, werte in eintraege.items():
            indikatoren[ident] = regel(standard, werte, f"indikator.{ident}")
    if befunde:
        raise EingabeFehler(befunde)
    return Regeln(standard, indikatoren, name)
