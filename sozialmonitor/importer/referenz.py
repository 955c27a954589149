"""The Sozialindex definitions (sozialindex.toml) and the Vergleichsring's reference data – the Kreise' values
(Regionalstatistik-style Kreis tables, einlesen.vergleichsring.lesen) and a published grouping (Vergleichstyp table:
Kreis → Typ) – through the one write path: checked as a whole, a preview, one batch in one transaction, replaced rows
in the history (db.VERSIONED_TABLES), so undo and "Stand am" work as for every other import. The Kreise' values are
reference data only: they never become areas of the maps or values of the table werte."""

import json

import pandas as pd

from sozialmonitor.daten.arbeitskopie import _database_folder
from sozialmonitor.daten.config import DATA_DIR
from sozialmonitor.errors import Befund
from sozialmonitor.einlesen import profile
from sozialmonitor.einlesen import sozialindex as indexdatei
from sozialmonitor.einlesen import vergleichsring as kreisdatei
from sozialmonitor.importer.ergebnis import Ergebnis
from sozialmonitor.importer.schreiben import (_decide, _diff, _parse, _refuse_if, _result, _seen_before,
                                              register_batch, replace_rows, transaction)

DEFINITION_FIELDS = ["reihenfolge", "art", "definition"]


def als_json(spec: dict) -> str:
    """A definition table as stored: JSON with sorted keys (the same table always gives the same text)."""
    return json.dumps(spec, sort_keys=True, ensure_ascii=False)


def katalog_befunde(con, zeilen: list[tuple[str, str, dict]], datei: str) -> list[Befund]:
    """The checks only the catalogue can make, for stored or incoming definitions (art, id, keys): every indicator
    known; an index's and the ring's indicators rates with a polarity; the size indicator known. German."""
    katalog = {r[0]: (r[1], r[2], r[3]) for r in con.execute(
        "SELECT id, name, art, polaritaet FROM indikatoren").fetchall()}
    befunde = []
    for art, ident, spec in zeilen:
        wo = f"Index „{ident}“: " if art == "index" else "Vergleichsring: "
        for indikator in spec.get("indikatoren", []):
            if indikator not in katalog:
                befunde.append(Befund(datei, None, "indikatoren",
                                      f"{wo}den Indikator „{indikator}“ gibt es nicht im Katalog."))
                continue
            name, kind, polaritaet = katalog[indikator]
            if kind != "quote":
                befunde.append(Befund(datei, None, "indikatoren", f"{wo}„{name}“ ist keine Quote; der Index und "
                                                                  "der Ring vergleichen Anteile."))
            elif art == "index" and polaritaet == "neutral":
                befunde.append(Befund(datei, None, "indikatoren", f"{wo}„{name}“ hat keine Wertung (Polarität "
                                                                  "neutral) und kann nicht in einen Index eingehen."))
        groesse = spec.get("groesse")
        if art == "index" and groesse and groesse not in katalog:
            befunde.append(Befund(datei, None, "groesse", f"{wo}den Größen-Indikator „{groesse}“ gibt es nicht im "
                                                          "Katalog."))
    return befunde


def definition_rows(zeilen: list[tuple[str, str, dict]], start: int = 1) -> pd.DataFrame:
    """(art, id, keys) → rows of table sozialindex_definitionen (without import_id) in the given order."""
    return pd.DataFrame({"id": [z[1] for z in zeilen], "reihenfolge": range(start, start + len(zeilen)),
                         "art": [z[0] for z in zeilen], "definition": [als_json(z[2]) for z in zeilen]})


def import_sozialindex(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False) -> Ergebnis:
    """sozialindex.toml: every [[index]] and the [vergleichsring], checked like the file and against the catalogue;
    replaced by id (a changed definition only with replace)."""
    digest, seen = _seen_before(con, "sozialindex", data, name)
    if seen:
        return seen
    zeilen = _parse(indexdatei.parse_tabellen, data, name)
    _refuse_if(katalog_befunde(con, zeilen, name))
    rows = definition_rows(zeilen)
    diff = _diff(con, "sozialindex_definitionen", rows.assign(zeile=pd.array([pd.NA] * len(rows), dtype="Int64")),
                 DEFINITION_FIELDS)
    ergebnis = _result("sozialindex", name, diff, ["id"], ["art", "definition"], dry_run)
    if not _decide(con, ergebnis, [], replace):
        return ergebnis
    with transaction(con):
        import_id = register_batch(con, ergebnis, digest, data)
        replace_rows(con, "sozialindex_definitionen",
                     diff.loc[diff["aenderung"].ne("unveraendert"), ["id", *DEFINITION_FIELDS]], import_id)
    return ergebnis


def import_vergleichskreise(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False,
                            profil: str | None = None) -> Ergebnis:
    """The Kreise' values (kreis;indikator;zeitraum;zaehler;nenner, a Kreis of the register, an indicator of the
    catalogue); a value already stored differently only with replace. profil: the name of an import profile
    (einlesen.profile, as for observations) for a table in another layout, e.g. a Regionalstatistik Kreis table
    with the years as columns (einlesen.vergleichsring.lesen_mit_profil)."""
    digest, seen = _seen_before(con, "vergleichskreise", data, name)
    if seen:
        return seen
    if profil:
        layout = profile.laden(profil, _database_folder(con), DATA_DIR / profile.ORDNER)
        frame = _parse(lambda d, n: kreisdatei.lesen_mit_profil(d, n, layout), data, name)
    else:
        frame = _parse(kreisdatei.lesen, data, name)
    bekannt = {r[0] for r in con.execute("SELECT id FROM indikatoren").fetchall()}
    unbekannt = frame[~frame["indikator"].isin(bekannt)].drop_duplicates("indikator")
    _refuse_if([Befund(name, int(r.zeile), "indikator", f"Den Indikator „{r.indikator}“ gibt es nicht im Katalog.")
                for r in unbekannt.itertuples()])
    kuenstlich = kreisdatei.synthetisch(data)
    rows = frame.assign(synthetisch=kuenstlich)
    fields = ["zaehler", "nenner", "synthetisch"]
    diff = _diff(con, "vergleichskreise", rows, fields)
    ergebnis = _result("vergleichskreise", name, diff, ["kreis", "indikator", "zeitraum"], ["zaehler", "nenner"],
                       dry_run)
    ergebnis.hinweise = list(frame.attrs.get("hinweise", []))
    ergebnis.profil = profil
    if kuenstlich:
        ergebnis.hinweise.append("Die Datei sagt, dass ihre Werte synthetisch sind (Demodaten): der "
                                 "Vergleichsring kennzeichnet sie so.")
    if not _decide(con, ergebnis, [], replace):
        return ergebnis
    with transaction(con):
        import_id = register_batch(con, ergebnis, digest, data)
        replace_rows(con, "vergleichskreise", diff.loc[diff["aenderung"].ne("unveraendert"),
                                                       ["kreis", "indikator", "zeitraum", *fields]], import_id)
    return ergebnis


def import_vergleichstypen(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False) -> Ergebnis:
    """A Vergleichstyp table (kreis;typ[;typologie]): the fixed ring of a Kreis is the other Kreise of its type."""
    digest, seen = _seen_before(con, "vergleichstypen", data, name)
    if seen:
        return seen
    frame = _parse(kreisdatei.lesen_typen, data, name)
    fields = ["typ", "typologie"]
    diff = _diff(con, "vergleichstypen", frame, fields)
    ergebnis = _result("vergleichstypen", name, diff, ["kreis"], fields, dry_run)
    if not _decide(con, ergebnis, [], replace):
        return ergebnis
    with transaction(con):
        import_id = register_batch(con, ergebnis, digest, data)
        replace_rows(con, "vergleichstypen", diff.loc[diff["aenderung"].ne("unveraendert"), ["kreis", *fields]],
                     import_id)
    return ergebnis
