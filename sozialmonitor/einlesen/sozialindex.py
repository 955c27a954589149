"""Reading the Sozialindex definitions (data/sozialindex.toml): keys, types, thresholds and weights checked, every
finding with file, line and key. Parsing only; whether the indicators exist and carry a polarity is checked by
sozialmonitor.sozialindex against the catalogue (einlesen never asks the database).

One definition is an [[index]] table:

    id, name                text
    ebene                   "sozialraum" or "gemeinde"
    indikatoren             list of indicator ids (each a rate with a polarity in the catalogue)
    gewichte                optional inline table id → weight > 0 (default: equal weights)
    groesse                 optional id of a count indicator that measures an area's size (inhabitants)
    mindestgroesse          optional, default 300: areas below it are "zu klein für den Index"
    dynamik_jahre           optional, default 2: the span of the dynamics index in years
    grenzen_status          optional, default [-1.0, 1.0, 1.5]: hoch ≤ a < mittel < b ≤ niedrig < c ≤ sehr niedrig
    grenzen_dynamik         optional, default [-1.0, 1.0]: positiv ≤ a < stabil < b ≤ negativ
    sicher_ab               optional, default 0.8: below this share of bootstrap draws a class is "unsicher"
    ziehungen               optional, default 4000 draws of the parametric bootstrap"""

import dataclasses
import re
import tomllib

from sozialmonitor.einlesen.kodierung import decode
from sozialmonitor.errors import Befund, EingabeFehler

EBENEN = ("sozialraum", "gemeinde")
PFLICHT = ("id", "name", "ebene", "indikatoren")
STANDARD = {"mindestgroesse": 300, "dynamik_jahre": 2, "grenzen_status": (-1.0, 1.0, 1.5),
            "grenzen_dynamik": (-1.0, 1.0), "sicher_ab": 0.8, "ziehungen": 4000}
OPTIONAL = ("gewichte", "groesse", *STANDARD)


@dataclasses.dataclass(frozen=True)
class Definition:
    """One index definition as read from the file (weights filled in: equal where none is given)."""
    id: str
    name: str
    ebene: str
    indikatoren: tuple[str, ...]
    gewichte: tuple[float, ...]
    groesse: str | None = None
    mindestgroesse: float = STANDARD["mindestgroesse"]
    dynamik_jahre: int = STANDARD["dynamik_jahre"]
    grenzen_status: tuple[float, float, float] = STANDARD["grenzen_status"]
    grenzen_dynamik: tuple[float, float] = STANDARD["grenzen_dynamik"]
    sicher_ab: float = STANDARD["sicher_ab"]
    ziehungen: int = STANDARD["ziehungen"]

    def gewicht(self, indikator: str) -> float:
        return self.gewichte[self.indikatoren.index(indikator)]


def _zahl(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def parse_definitionen(data: bytes, name: str) -> list[Definition]:
    """sozialindex.toml → the definitions in file order. Raises EingabeFehler with every finding (file, line, key)
    when anything is wrong; nothing is returned from a faulty file."""
    text = decode(data, name)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EingabeFehler([Befund(name, None, None, f"Die TOML-Datei ist fehlerhaft: {exc}")]) from exc
    befunde = [Befund(name, None, key, "Unbekannter Abschnitt; erwartet werden [[index]]-Abschnitte und ein "
                                       "[vergleichsring].")
               for key in document if key not in ("index", "vergleichsring")]
    specs = document.get("index")
    if not isinstance(specs, list) or not specs:
        raise EingabeFehler(befunde + [Befund(name, None, None, "Die Datei enthält keinen Index ([[index]]).")])
    lines = text.splitlines()
    header_lines = [text.count("\n", 0, m.start()) + 1
                    for m in re.finditer(r"^[ \t]*\[\[[ \t]*index[ \t]*\]\]", text, re.M)]
    definitionen, seen = [], set()
    for position, spec in enumerate(specs):
        first = header_lines[position] if position < len(header_lines) else None
        end = header_lines[position + 1] if position + 1 < len(header_lines) else None
        block = lines[(first or 1) - 1:end and end - 1]
        ident = spec.get("id") if isinstance(spec, dict) and isinstance(spec.get("id"), str) else f"Nr. {position + 1}"

        def report(key: str | None, meldung: str, first=first, block=block, ident=ident) -> None:
            line = first
            if key is not None and first is not None:
                line = next((first + i for i, t in enumerate(block) if re.match(rf"\s*{key}\s*=", t)), first)
            befunde.append(Befund(name, line, key, f"Index „{ident}“: {meldung}"))

        if not isinstance(spec, dict):
            report(None, "Jeder Index ist ein [[index]]-Abschnitt mit Schlüsseln.")
            continue
        definition = check_definition(spec, report)
        if ident in seen:
            report("id", "Die ID kommt mehrfach vor.")
        seen.add(ident)
        if definition is not None:
            definitionen.append(definition)
    if befunde:
        raise EingabeFehler(befunde)
    return definitionen


def check_definition(spec: dict, report) -> Definition | None:
    """One [[index]] table checked; every finding goes to report(key, German text). Returns the Definition, or None
    when a finding makes it unusable."""
    fehler = []

    def melde(key, meldung):
        fehler.append(key)
        report(key, meldung)

    for key in PFLICHT:
        if key not in spec:
            melde(key, "Der Schlüssel fehlt.")
    for key in sorted(set(spec) - set(PFLICHT) - set(OPTIONAL)):
        melde(key, f"Unbekannter Schlüssel (erlaubt: {', '.join(PFLICHT + OPTIONAL)}).")
    for key in ("id", "name", "groesse"):
        if key in spec and (not isinstance(spec[key], str) or not spec[key].strip()):
            melde(key, "Erwartet wird ein nicht leerer Text in Anführungszeichen.")
    if "ebene" in spec and spec["ebene"] not in EBENEN:
        melde("ebene", f"Erlaubt sind „sozialraum“ und „gemeinde“, nicht „{spec['ebene']}“.")
    indikatoren = spec.get("indikatoren")
    if "indikatoren" in spec:
        if (not isinstance(indikatoren, list) or not indikatoren
                or not all(isinstance(i, str) and i.strip() for i in indikatoren)):
            melde("indikatoren", "Erwartet wird eine Liste von Indikator-IDs, z. B. [\"sgb2_u10\", \"alq_u25\"].")
            indikatoren = []
        elif len(set(indikatoren)) != len(indikatoren):
            melde("indikatoren", "Ein Indikator steht mehrfach in der Liste.")
    gewichte = spec.get("gewichte", {})
    if not isinstance(gewichte, dict):
        melde("gewichte", "Erwartet wird eine Tabelle Indikator = Gewicht, z. B. { sgb2_u10 = 2 }.")
        gewichte = {}
    for ident, gewicht in gewichte.items():
        if isinstance(indikatoren, list) and ident not in indikatoren:
            melde("gewichte", f"„{ident}“ hat ein Gewicht, steht aber nicht unter indikatoren.")
        elif not _zahl(gewicht) or gewicht <= 0:
            melde("gewichte", f"Das Gewicht von „{ident}“ muss eine Zahl größer als 0 sein.")
    werte = {**STANDARD, **{k: spec[k] for k in STANDARD if k in spec}}
    if not _zahl(werte["mindestgroesse"]) or werte["mindestgroesse"] < 0:
        melde("mindestgroesse", "Erwartet wird eine Zahl ab 0 (Einwohner).")
    if not isinstance(werte["dynamik_jahre"], int) or isinstance(werte["dynamik_jahre"], bool) \
            or not 1 <= werte["dynamik_jahre"] <= 10:
        melde("dynamik_jahre", "Erwartet wird eine ganze Zahl von 1 bis 10 (Jahre).")
    for key, anzahl in (("grenzen_status", 3), ("grenzen_dynamik", 2)):
        grenzen = werte[key]
        if (not isinstance(grenzen, (list, tuple)) or len(grenzen) != anzahl or not all(_zahl(g) for g in grenzen)
                or list(grenzen) != sorted(set(grenzen))):
            melde(key, f"Erwartet werden {anzahl} aufsteigende Zahlen (z-Werte).")
    if not _zahl(werte["sicher_ab"]) or not 0.5 <= werte["sicher_ab"] < 1:
        melde("sicher_ab", "Erwartet wird ein Anteil von 0,5 bis unter 1 (z. B. 0.8).")
    if not isinstance(werte["ziehungen"], int) or isinstance(werte["ziehungen"], bool) \
            or not 100 <= werte["ziehungen"] <= 100_000:
        melde("ziehungen", "Erwartet wird eine ganze Zahl von 100 bis 100.000.")
    if fehler:
        return None
    return Definition(
        id=spec["id"], name=spec["name"], ebene=spec["ebene"], indikatoren=tuple(indikatoren),
        gewichte=tuple(float(gewichte.get(i, 1.0)) for i in indikatoren), groesse=spec.get("groesse"),
        mindestgroesse=float(werte["mindestgroesse"]), dynamik_jahre=int(werte["dynamik_jahre"]),
        grenzen_status=tuple(float(g) for g in werte["grenzen_status"]),
        grenzen_dynamik=tuple(float(g) for g in werte["grenzen_dynamik"]), sicher_ab=float(werte["sicher_ab"]),
        ziehungen=int(werte["ziehungen"]))


RING_PFLICHT = ("kreis", "indikatoren")
RING_OPTIONAL = ("k", "vergleichstyp")
RING_STANDARD_K = 5


@dataclasses.dataclass(frozen=True)
class Ring:
    """The [vergleichsring] table: the Kreis, the structural indicators (rates) the similarity is measured on, k,
    and vergleichstyp: take the Kreise of the own Kreis' imported Vergleichstyp as a fixed ring instead of the k
    nearest neighbours. The Kreise' values are reference data imported through the importer (table
    vergleichskreise), never a file read at page time."""
    kreis: str
    indikatoren: tuple[str, ...]
    k: int = RING_STANDARD_K
    vergleichstyp: bool = False


def _ring_zeile(text: str) -> int | None:
    return next((i + 1 for i, t in enumerate(text.splitlines()) if re.match(r"\s*\[\s*vergleichsring\s*\]", t)), None)


def parse_ring(data: bytes, name: str) -> Ring | None:
    """The [vergleichsring] table of sozialindex.toml, or None when there is none. Raises EingabeFehler (file,
    line, key)."""
    text = decode(data, name)
    try:
        spec = tomllib.loads(text).get("vergleichsring")
    except tomllib.TOMLDecodeError as exc:
        raise EingabeFehler([Befund(name, None, None, f"Die TOML-Datei ist fehlerhaft: {exc}")]) from exc
    if spec is None:
        return None
    lines = text.splitlines()
    first = _ring_zeile(text)
    befunde = []

    def report(key, meldung):
        line = first
        if first is not None and key is not None:
            line = next((first + i for i, t in enumerate(lines[first - 1:]) if re.match(rf"\s*{key}\s*=", t)), first)
        befunde.append(Befund(name, line, key, meldung))

    ring = check_ring(spec, report)
    if befunde:
        raise EingabeFehler(befunde)
    return ring


def check_ring(spec, report) -> Ring | None:
    """One [vergleichsring] table checked; every finding goes to report(key, German text starting
    'Vergleichsring: '). Returns the Ring or None."""
    fehler = []

    def melde(key, meldung):
        fehler.append(key)
        report(key, f"Vergleichsring: {meldung}")

    if not isinstance(spec, dict):
        melde("vergleichsring", "Erwartet wird ein Abschnitt [vergleichsring].")
        return None
    for key in RING_PFLICHT:
        if key not in spec:
            melde(key, "Der Schlüssel fehlt.")
    for key in sorted(set(spec) - set(RING_PFLICHT) - set(RING_OPTIONAL)):
        melde(key, f"Unbekannter Schlüssel (erlaubt: {', '.join(RING_PFLICHT + RING_OPTIONAL)}).")
    if "kreis" in spec and not (isinstance(spec["kreis"], str) and len(spec["kreis"]) == 5 and spec["kreis"].isdigit()):
        melde("kreis", "Erwartet wird der fünfstellige Kreisschlüssel in Anführungszeichen, z. B. \"16065\".")
    ind = spec.get("indikatoren")
    if "indikatoren" in spec and (not isinstance(ind, list) or not ind
                                  or not all(isinstance(i, str) and i.strip() for i in ind)):
        melde("indikatoren", "Erwartet wird eine Liste von Indikator-IDs (mindestens einer).")
    elif isinstance(ind, list) and len(set(ind)) != len(ind):
        melde("indikatoren", "Ein Indikator steht mehrfach in der Liste.")
    k = spec.get("k", RING_STANDARD_K)
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= 50:
        melde("k", "Erwartet wird eine ganze Zahl von 1 bis 50.")
    if not isinstance(spec.get("vergleichstyp", False), bool):
        melde("vergleichstyp", "Erwartet wird true oder false.")
    if fehler:
        return None
    return Ring(spec["kreis"], tuple(ind), k, bool(spec.get("vergleichstyp", False)))


def parse_tabellen(data: bytes, name: str) -> list[tuple[str, str, dict]]:
    """sozialindex.toml as the rows the importer stores: (art 'index' | 'vergleichsring', id, the table's keys) in
    file order, after every check of parse_definitionen and parse_ring (EingabeFehler with all findings)."""
    parse_definitionen(data, name)
    ring = parse_ring(data, name)
    document = tomllib.loads(decode(data, name))
    zeilen = [("index", spec["id"], spec) for spec in document["index"]]
    if ring is not None:
        zeilen.append(("vergleichsring", "vergleichsring", document["vergleichsring"]))
    return zeilen


def aus_gespeichert(zeilen, name: str = "Gespeicherte Definition") -> tuple[list[Definition], Ring | None]:
    """Stored definitions (rows with art, id and the table's keys as a dict) → the definitions in order and the
    ring. Raises EingabeFehler (German, naming the index) when a stored table no longer passes the checks."""
    befunde: list[Befund] = []
    definitionen, ring = [], None
    for art, ident, spec in zeilen:
        def report(key, meldung, ident=ident, art=art):
            befunde.append(Befund(name, None, key, meldung if art != "index" else f"Index „{ident}“: {meldung}"))

        if art == "index":
            definition = check_definition(spec, report)
            if definition is not None:
                definitionen.append(definition)
        else:
            ring = check_ring(spec, report)
    if befunde:
        raise EingabeFehler(befunde)
    return definitionen, ring
