"""Undo: a batch's rows leave and the rows it replaced come back from history – refused while later imports
build on it, unless they are undone with it (newest first, published as one version)."""

from pathlib import Path

from sozialmonitor import einlesen
from sozialmonitor.importer import abhaengigkeiten
from sozialmonitor.zugang import protokoll
from sozialmonitor.zugang import rollen
from sozialmonitor.errors import Befund, EingabeFehler
from sozialmonitor.fmt import anzahl
from sozialmonitor.daten.arbeitskopie import working_copy
from sozialmonitor.importer.ergebnis import Ergebnis
from sozialmonitor.daten.db import versioniert
from sozialmonitor.importer.schreiben import VERSIONED_TABLES, register_batch, transaction

def undo(con, import_id: int) -> Ergebnis:
    """Revert one batch: its rows leave, the rows it replaced come back from history. Refused while a later,
    still active batch has replaced rows of this one (undo that first), so the result is always an exact earlier
    state."""
    batch = con.execute("SELECT art, datei, rueckgaengig_durch FROM importe WHERE import_id = $id",
                        {"id": import_id}).fetchall()
    where = f"Import {import_id}"
    if not batch:
        raise einlesen.befund(where, "Diesen Import gibt es nicht.")
    art, datei, undone_by = batch[0]
    if undone_by is not None:
        raise einlesen.befund(where, f"Dieser Import ({datei}) wurde schon rückgängig gemacht (Eintrag {undone_by}).")
    if art == "rueckgaengig":
        raise einlesen.befund(where, "Ein Rückgängig-Eintrag lässt sich nicht rückgängig machen. Die Datei bitte "
                                    "erneut importieren.")
    # Table names only through db.versioniert (constants; DuckDB binds values, not names), values as $id.
    later = sorted({row[0] for table in VERSIONED_TABLES for row in con.execute(
        f"SELECT DISTINCT ersetzt_durch FROM {versioniert(table, historie=True)} WHERE import_id = $id "
        "AND ersetzt_durch <> $id",
        {"id": import_id}).fetchall()})
    dependants = dict(abhaengigkeiten.abhaengige_importe(con, import_id))
    if later or dependants:
        names = dict(con.execute("SELECT import_id, datei FROM importe").fetchall())
        blocking = sorted(set(later) | set(dependants))
        listed = ", ".join(f"Import {i} ({names.get(i, '?')})" for i in blocking)
        reason = ("Werte aus diesem Import wurden später ersetzt" if later and not dependants else
                  "Spätere Importe bauen auf diesem auf (sie nennen Gebiete, Indikatoren oder Grenzen, die er "
                  "angelegt hat)" + (" oder haben Werte aus ihm ersetzt" if later else ""))
        raise AbhaengigeImporte(where, f"{reason}: {listed}. Bitte zuerst diese rückgängig machen oder alle "
                                       "zusammen (Seite „Daten“: „mit den abhängigen Importen“, Kommandozeile: "
                                       "--mit-abhaengigen).", blocking)
    ergebnis = Ergebnis("rueckgaengig", f"{where}: {datei}")
    with transaction(con):
        for table in VERSIONED_TABLES:
            removed = con.execute(f"SELECT count(*) FROM {versioniert(table)} WHERE import_id = $id",
                                  {"id": import_id}).fetchall()[0][0]
            restored = con.execute(f"SELECT count(*) FROM {versioniert(table, True)} WHERE ersetzt_durch = $id AND "
                                   "import_id IS DISTINCT FROM $id", {"id": import_id}).fetchall()[0][0]
            ergebnis.neu += restored
            ergebnis.geaendert += removed
        ergebnis.zeilen = ergebnis.neu + ergebnis.geaendert
        undo_id = register_batch(con, ergebnis, "")
        con.execute("DELETE FROM grenzen_quellen WHERE import_id = $id", {"id": import_id})
        for table in VERSIONED_TABLES:
            tabelle, historie = versioniert(table), versioniert(table, historie=True)
            con.execute(f"DELETE FROM {tabelle} WHERE import_id = $id", {"id": import_id})
            con.execute(f"INSERT INTO {tabelle} BY NAME SELECT * EXCLUDE (ersetzt_durch) FROM {historie} "
                        "WHERE ersetzt_durch = $id AND import_id IS DISTINCT FROM $id", {"id": import_id})
            con.execute(f"DELETE FROM {historie} WHERE ersetzt_durch = $id", {"id": import_id})
        con.execute("UPDATE importe SET rueckgaengig_durch = $undo WHERE import_id = $id",
                    {"undo": undo_id, "id": import_id})
    return ergebnis


def undo_summary(ergebnis: Ergebnis) -> str:
    return (f"{ergebnis.datei} rückgängig gemacht (Eintrag {ergebnis.import_id}): "
            f"{anzahl(ergebnis.geaendert, 'Zeile', 'Zeilen')} entfernt, "
            f"{anzahl(ergebnis.neu, 'frühere Zeile', 'frühere Zeilen')} wiederhergestellt.")


class AbhaengigeImporte(EingabeFehler):
    """An undo refused because later imports build on the import; importe: their ids."""

    def __init__(self, where: str, message: str, importe: list[int]):
        self.importe = importe
        super().__init__([Befund(where, None, None, message)])


def undo_with_dependants(con, import_id: int) -> list[Ergebnis]:
    """Undo the import and, newest first, every later import that builds on it (each its own transaction; the
    caller publishes them as one version). Returns the undo results, the import's own last."""
    results: list[Ergebnis] = []
    while True:
        try:
            results.append(undo(con, import_id))
            return results
        except AbhaengigeImporte as refused:
            results += undo_with_dependants(con, max(refused.importe))


def run_undo(db_path: Path, import_id: int, *, person: rollen.Person | None, grund: str | None,
             with_dependants: bool = False) -> Ergebnis:
    """Undo one import (published as a new version). Refused with AbhaengigeImporte when later imports build on it,
    unless with_dependants: then they are undone too, in the same new version; the result then counts all of
    them and names them in its file column. person needs the right 'rueckgaengig' (KeinZugriff otherwise); grund
    is required (SozialmonitorFehler without); both are recorded on each undo batch and in the Protokoll."""
    rollen.pruefe(person, "rueckgaengig")
    grund = protokoll.verlange_grund(grund, "Rückgängig")
    with working_copy(db_path) as con:
        results = undo_with_dependants(con, import_id) if with_dependants else [undo(con, import_id)]
        for ergebnis in results:
            protokoll.batch_zuschreiben(con, person, ergebnis.import_id, grund)
            protokoll.eintragen(con, person, "rueckgaengig", ergebnis.datei, grund, ergebnis.import_id)
    own = results[-1]
    if len(results) > 1:
        own.datei += " – zusammen mit " + ", ".join(r.datei for r in results[:-1])
        own.neu, own.geaendert = sum(r.neu for r in results), sum(r.geaendert for r in results)
    return own
