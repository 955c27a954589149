"""Reading the targets file (data/ziele.toml, the Zielvereinbarung's targets): keys, types, areas and deadlines
checked, every finding with file, line and key. Parsing only; evaluating the targets is sozialmonitor.ziele."""

import math
import operator
import re
import tomllib
from datetime import date, datetime

import pandas as pd

from sozialmonitor import fmt
from sozialmonitor.einlesen.befunde import toml_befund
from sozialmonitor.einlesen.kodierung import decode
from sozialmonitor.errors import Befund, EingabeFehler

VERGLEICHE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
AGGREGATIONEN = ("jahreswert", "jahresdurchschnitt")
GEBIETS_WOERTER = {"kreis": "kreis", "sozialraeume": "sozialraum"}  # word in the file → ebene it stands for
PFLICHT = ("id", "titel", "indikator", "gebiete", "vergleich", "aggregation", "basisjahr", "frist", "handlungsfeld",
           "quelle", "verantwortlich")
OPTIONAL = ("wortlaut", "hinweis", "schwelle", "referenz", "anzahl", "vergleich_genauigkeit")
TEXT_KEYS = ("id", "titel", "indikator", "vergleich", "aggregation", "handlungsfeld", "quelle", "verantwortlich",
             "wortlaut", "hinweis", "referenz")



def parse_targets(data: bytes, name: str, indicators: set[str], areas: dict[str, str]) -> tuple[pd.DataFrame,
                                                                                                   list[Befund]]:
    """ziele.toml → one row per [[ziel]] (columns of table ziele). areas maps code → ebene.
    Every finding names the target and the key; the caller refuses the file when there is any."""
    text = decode(data, name)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_befund(name, exc) from exc
    befunde = [Befund(name, None, key, "Unbekannter Abschnitt; erwartet werden nur [[ziel]]-Abschnitte.")
               for key in document if key != "ziel"]
    specs = document.get("ziel")
    if not isinstance(specs, list) or not specs:
        raise EingabeFehler(befunde + [Befund(name, None, None, "Die Datei enthält kein Ziel ([[ziel]]).")])
    header_lines = [text.count("\n", 0, m.start()) + 1
                    for m in re.finditer(r"^[ \t]*\[\[[ \t]*ziel[ \t]*\]\]", text, re.M)]
    rows, seen = [], set()
    for position, spec in enumerate(specs):
        first = header_lines[position] if position < len(header_lines) else None
        end = header_lines[position + 1] if position + 1 < len(header_lines) else None
        block = text.splitlines()[(first or 1) - 1:end and end - 1]

        def report(key: str | None, meldung: str) -> None:
            line = first
            if key is not None and first is not None:
                line = next((first + i for i, t in enumerate(block) if re.match(rf"\s*{key}\s*=", t)), first)
            befunde.append(Befund(name, line, key, f"Ziel „{ident}“: {meldung}"))

        ident = spec.get("id") if isinstance(spec, dict) and isinstance(spec.get("id"), str) else f"Nr. {position + 1}"
        if not isinstance(spec, dict):
            report(None, "Jedes Ziel ist ein [[ziel]]-Abschnitt mit Schlüsseln.")
            continue
        row = check_target(spec, report, indicators, areas)
        if ident in seen:
            report("id", "Die ID kommt mehrfach vor.")
        seen.add(ident)
        rows.append({"id": ident, "reihenfolge": position + 1, **row})
    return pd.DataFrame(rows), befunde


def check_target(spec: dict, report, indicators: set[str], areas: dict[str, str]) -> dict:
    """One [[ziel]] table of the targets file checked (also a target edited on the page, ziele.pflege): every
    finding goes to report(key, text); returns the row for the table ziele. indicators: known ids; areas: code → ebene."""
    for key in PFLICHT:
        if key not in spec:
            report(key, "Der Schlüssel fehlt.")
    for key in sorted(set(spec) - set(PFLICHT) - set(OPTIONAL)):
        report(key, f"Unbekannter Schlüssel (erlaubt: {', '.join(PFLICHT + OPTIONAL)}).")
    for key in TEXT_KEYS:
        if key in spec and (not isinstance(spec[key], str) or not spec[key].strip()):
            report(key, "Erwartet wird ein nicht leerer Text in Anführungszeichen.")
    if isinstance(spec.get("indikator"), str) and spec["indikator"] not in indicators:
        report("indikator", f"Den Indikator „{spec['indikator']}“ gibt es nicht im Katalog.")
    gebiete = _check_areas(spec.get("gebiete"), report, areas) if "gebiete" in spec else []
    if "vergleich" in spec and spec["vergleich"] not in VERGLEICHE:
        report("vergleich", f"„{spec['vergleich']}“ ist kein erlaubter Vergleich (<, <=, >, >=).")
    if ("schwelle" in spec) == ("referenz" in spec):
        report("schwelle", "Genau einer der Schlüssel „schwelle“ (eine Zahl) oder „referenz“ (ein Gebiet) "
                           "muss angegeben sein.")
    if "schwelle" in spec and not _is_number(spec["schwelle"]):
        report("schwelle", "Erwartet wird eine Zahl, z. B. 7 oder 6.5.")
    if isinstance(spec.get("referenz"), str) and spec["referenz"] not in areas:
        report("referenz", f"Das Vergleichsgebiet „{spec['referenz']}“ ist unbekannt.")
    if "anzahl" in spec:
        if not isinstance(spec["anzahl"], int) or isinstance(spec["anzahl"], bool) or spec["anzahl"] < 1:
            report("anzahl", "Erwartet wird eine ganze Zahl ab 1 (so viele Gebiete sollen das Ziel erfüllen).")
        elif gebiete and spec["anzahl"] > len(expand_areas(gebiete, areas)):
            report("anzahl", f"Verlangt sind {spec['anzahl']} Gebiete, das Ziel umfasst aber nur "
                             f"{len(expand_areas(gebiete, areas))}.")
    genauigkeit = spec.get("vergleich_genauigkeit")
    if "vergleich_genauigkeit" in spec and (not isinstance(genauigkeit, int) or isinstance(genauigkeit, bool)
                                             or not 0 <= genauigkeit <= 4):
        report("vergleich_genauigkeit", "Erwartet wird die Zahl der Nachkommastellen, auf die vor dem Vergleich "
                                        "gerundet wird: eine ganze Zahl von 0 bis 4 (ohne Angabe: wie der "
                                        "Indikator veröffentlicht wird).")
        genauigkeit = None
    if "aggregation" in spec and spec["aggregation"] not in AGGREGATIONEN:
        report("aggregation", "Erlaubt sind „jahreswert“ und „jahresdurchschnitt“.")
    basisjahr = spec.get("basisjahr")
    if "basisjahr" in spec and (not isinstance(basisjahr, int) or isinstance(basisjahr, bool)
                                or not 1950 <= basisjahr <= 2100):
        report("basisjahr", "Erwartet wird eine Jahreszahl, z. B. 2019.")
        basisjahr = None
    frist = _as_date(spec.get("frist")) if "frist" in spec else None
    if "frist" in spec and frist is None:
        report("frist", "Erwartet wird ein Datum, z. B. 2023-12-31.")
    if frist is not None and basisjahr is not None and frist.year <= basisjahr:
        report("frist", f"Die Frist ({fmt.datum(frist)}) muss nach dem Basisjahr {basisjahr} liegen.")
    return {
        "titel": spec.get("titel"), "wortlaut": spec.get("wortlaut"), "indikator": spec.get("indikator"),
        "gebiete": gebiete, "vergleich": spec.get("vergleich"),
        "schwelle": float(spec["schwelle"]) if _is_number(spec.get("schwelle")) else None,
        "referenz": spec.get("referenz"), "anzahl": spec.get("anzahl"), "aggregation": spec.get("aggregation"),
        "basisjahr": basisjahr, "frist": frist, "handlungsfeld": spec.get("handlungsfeld"),
        "quelle": spec.get("quelle"), "verantwortlich": spec.get("verantwortlich"), "hinweis": spec.get("hinweis"),
        "vergleich_genauigkeit": genauigkeit,
    }


def _check_areas(value, report, areas: dict[str, str]) -> list[str]:
    gebiete = [value] if isinstance(value, str) else value
    if not isinstance(gebiete, list) or not gebiete or not all(isinstance(g, str) for g in gebiete):
        report("gebiete", "Erwartet wird eine Liste von Gebietsschlüsseln (z. B. [\"16065\", \"sozialraeume\"]) "
                          "oder „kreis“ bzw. „sozialraeume“.")
        return []
    for code in gebiete:
        if code not in areas and code not in GEBIETS_WOERTER:
            report("gebiete", f"Das Gebiet „{code}“ ist unbekannt (erlaubt sind Gebietsschlüssel, „kreis“ und "
                              "„sozialraeume“).")
    if not expand_areas(gebiete, areas):
        report("gebiete", "Das Ziel umfasst kein einziges bekanntes Gebiet (gibt es schon Sozialräume?).")
    return gebiete


def expand_areas(gebiete: list[str], areas: dict[str, str]) -> set[str]:
    """The codes a target's gebiete stand for (the view ziel_gebiete does the same in SQL)."""
    levels = {GEBIETS_WOERTER[g] for g in gebiete if g in GEBIETS_WOERTER}
    return {code for code, ebene in areas.items() if code in gebiete or ebene in levels}


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
