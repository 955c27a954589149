"""The rules and phrases of the generated text (data/sitzungsvorlage.toml, editable by planners): loading with
German findings, and picking the first rule whose condition fits. No Streamlit."""

import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sozialmonitor.daten.config import DATA_DIR
from sozialmonitor.errors import Befund, EingabeFehler, betriebssystem_text

REGELN_DATEI = DATA_DIR / "sitzungsvorlage.toml"
LISTEN = ("urteil", "abstand", "stand")
TABELLEN = {"dokument": ("titel", "untertitel", "einleitung"), "subjekt": ("standard",),
            "woerter": ("wo_kreis", "wo_gebiet", "lage_ueber", "lage_unter", "lage_gleich", "gestiegen",
                        "gesunken"),
            "veraenderung": ("satz", "keine"), "auffaellig": ("ueber", "unter", "keine"),
            "hinweise": ("demo", "gesperrt", "geheim", "teilweise", "keine_gesperrt", "geringe_fallzahl")}


@dataclass(frozen=True)
class Regeln:
    """The parsed file: plain tables (dokument, subjekt, woerter, …) and the rule lists (urteil, abstand, stand),
    each rule a dict with 'text' and an optional 'wenn' dict."""

    name: str
    daten: dict

    def __getitem__(self, key: str) -> dict:
        return self.daten[key]

    def waehle(self, liste: str, felder: dict) -> str:
        """The text of the first rule of `liste` whose 'wenn' fits `felder`, filled with `felder`.
        A condition value that is a list means any of them. Raises EingabeFehler when no rule fits or the text
        names a field that does not exist (the planner's file is then wrong, not the data)."""
        for nummer, regel in enumerate(self.daten[liste], start=1):
            if all(_passt(felder.get(key), wert) for key, wert in regel.get("wenn", {}).items()):
                return self.fuellen(regel["text"], felder, f"[[{liste}]] Nr. {nummer}")
        raise EingabeFehler([Befund(self.name, None, liste, f"Keine Regel in [[{liste}]] passt (Felder: "
                                    f"{', '.join(f'{k}={v}' for k, v in felder.items() if _einfach(v))}). "
                                    "Bitte eine Regel ohne „wenn“ ans Ende setzen.")])

    def fuellen(self, text: str, felder: dict, wo: str = "") -> str:
        try:
            return text.format_map(felder)
        except (KeyError, IndexError, ValueError) as exc:
            raise EingabeFehler([Befund(self.name, None, wo or None,
                                        f"Der Platzhalter {exc} ist unbekannt oder falsch geschrieben.")]) from exc


def _einfach(value) -> bool:
    return isinstance(value, (str, bool, int, float)) or value is None


def _passt(wert, bedingung) -> bool:
    if isinstance(bedingung, list):
        return wert in bedingung
    return wert == bedingung


def laden(path: Path = REGELN_DATEI) -> Regeln:
    """Read and check the rules file. Raises EingabeFehler with every finding (file, line where known, key)."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise EingabeFehler([Befund(name, None, None, f"Die Datei lässt sich nicht lesen ({betriebssystem_text(exc)}).")]) from exc
    except UnicodeDecodeError as exc:
        raise EingabeFehler([Befund(name, None, None, "Die Datei ist nicht in UTF-8 gespeichert.")]) from exc
    try:
        daten = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EingabeFehler([Befund(name, getattr(exc, "lineno", None), None,
                                    f"Die TOML-Datei ist fehlerhaft: {exc}")]) from exc
    befunde = []
    for tabelle, keys in TABELLEN.items():
        werte = daten.get(tabelle)
        if not isinstance(werte, dict):
            befunde.append(Befund(name, None, tabelle, f"Der Abschnitt [{tabelle}] fehlt."))
            continue
        for key in keys:
            if not isinstance(werte.get(key), str):
                befunde.append(Befund(name, _zeile(text, key), f"{tabelle}.{key}", "Der Text fehlt."))
        befunde += _platzhalter_pruefen(name, text, tabelle, werte)
    for liste in LISTEN:
        regeln = daten.get(liste)
        if not isinstance(regeln, list) or not regeln:
            befunde.append(Befund(name, None, liste, f"Es gibt keine Regel [[{liste}]]."))
            continue
        for nummer, regel in enumerate(regeln, start=1):
            wo = f"[[{liste}]] Nr. {nummer}"
            if not isinstance(regel.get("text"), str):
                befunde.append(Befund(name, None, wo, "Der Schlüssel „text“ fehlt."))
            if "wenn" in regel and not isinstance(regel["wenn"], dict):
                befunde.append(Befund(name, None, wo, "„wenn“ muss eine Tabelle sein, z. B. wenn = { status = "
                                                      "\"erreicht\" }."))
            unbekannt = set(regel) - {"wenn", "text"}
            if unbekannt:
                befunde.append(Befund(name, None, wo, f"Unbekannter Schlüssel: {', '.join(sorted(unbekannt))}."))
        if isinstance(regeln[-1], dict) and regeln[-1].get("wenn"):
            befunde.append(Befund(name, None, liste, f"Die letzte Regel [[{liste}]] braucht kein „wenn“ (sie fängt "
                                                     "alle übrigen Fälle)."))
    if befunde:
        raise EingabeFehler(befunde)
    return Regeln(name, daten)


def _platzhalter_pruefen(name: str, text: str, tabelle: str, werte: dict) -> list[Befund]:
    befunde = []
    for key, value in werte.items():
        if not isinstance(value, str):
            continue
        try:
            list(string.Formatter().parse(value))
        except ValueError as exc:
            befunde.append(Befund(name, _zeile(text, key), f"{tabelle}.{key}",
                                  f"Eine geschweifte Klammer ist nicht geschlossen ({exc})."))
    return befunde


def _zeile(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(f"{key} ") or line.strip().startswith(f"{key}="):
            return number
    return None
