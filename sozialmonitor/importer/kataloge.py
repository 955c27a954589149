"""The catalogues: the indicator catalogue (indikatoren.toml) and the targets of the agreement (ziele.toml), each
checked as a whole and replaced by id."""

import pandas as pd

from sozialmonitor import einlesen, klartext
from sozialmonitor.importer.ergebnis import Ergebnis
from sozialmonitor.importer.schreiben import (_decide, _diff, _parse, _refuse_if, register_batch, replace_rows,
                                              _result, _seen_before, transaction)
from sozialmonitor.einlesen.ziele import parse_targets

INDICATOR_FIELDS = ["name", "definition", "zaehler", "nenner", "einheit", "art", "polaritaet", "nachkommastellen",
                    "quelle", "faktor", "mindest_nenner", "mindest_zaehler", "turnus", "geheimhaltung",
                    "zaehler_indikator", "nenner_indikator"]


def import_indicators(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False) -> Ergebnis:
    digest, seen = _seen_before(con, "indikatoren", data, name)
    if seen:
        return seen
    catalogue, befunde = _parse(einlesen.parse_indicators, data, name)
    _refuse_if(befunde)
    incoming = catalogue[["id", *INDICATOR_FIELDS]].assign(zeile=pd.array([pd.NA] * len(catalogue), dtype="Int64"))
    diff = _diff(con, "indikatoren", incoming, INDICATOR_FIELDS)
    ergebnis = _result("indikatoren", name, diff, ["id"], ["name", "einheit", "art", "nachkommastellen"], dry_run)
    if not _decide(con, ergebnis, [], replace):
        return ergebnis
    with transaction(con):
        import_id = register_batch(con, ergebnis, digest, data)
        replace_rows(con, "indikatoren", diff.loc[diff["aenderung"].ne("unveraendert"),
                                                   ["id", *INDICATOR_FIELDS]], import_id)
    return ergebnis


def import_targets(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False) -> Ergebnis:
    """ziele.toml: audit targets, checked against the indicator catalogue and the areas; replaced by id."""
    digest, seen = _seen_before(con, "ziele", data, name)
    if seen:
        return seen
    indicators = set(r[0] for r in con.execute("SELECT id FROM indikatoren").fetchall())
    areas = dict(con.execute("SELECT code, ebene FROM gebiete").fetchall())
    rows, befunde = klartext.bereinigt_gelesen(parse_targets(data, name, indicators, areas), name)
    _refuse_if(befunde)
    fields = [c for c in rows.columns if c != "id"]
    diff = _diff(con, "ziele", rows.assign(zeile=pd.array([pd.NA] * len(rows), dtype="Int64")), fields)
    ergebnis = _result("ziele", name, diff, ["id"], ["titel", "indikator", "vergleich", "schwelle", "frist"], dry_run)
    if not _decide(con, ergebnis, [], replace):
        return ergebnis
    with transaction(con):
        import_id = register_batch(con, ergebnis, digest, data)
        replace_rows(con, "ziele", diff.loc[diff["aenderung"].ne("unveraendert"), ["id", *fields]], import_id)
    return ergebnis
