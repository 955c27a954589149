"""How every import writes: a batch (importe row: file, sha256, counts, user, time, archived file), the diff of the
incoming rows against the stored ones, replaced rows kept in the *_historie tables, one transaction, and the
decision to write or refuse. SQL here names tables and columns only from VERSIONED_TABLES, never from input."""

import getpass
from contextlib import contextmanager
from datetime import datetime

import duckdb
import pandas as pd

from sozialmonitor import einlesen, klartext
from sozialmonitor.errors import Befund, EingabeFehler, SozialmonitorFehler
from sozialmonitor.daten.arbeitskopie import _archive, sha256
from sozialmonitor.daten import queries
from sozialmonitor.daten.db import VERSIONED_TABLES, spalten, versioniert
from sozialmonitor.importer.ergebnis import Ergebnis, Progress

OBSERVATION_KEY = einlesen.OBSERVATION_KEY
assert VERSIONED_TABLES["beobachtungen"] == OBSERVATION_KEY  # the reader's key is the table's key



def _seen_before(con, art: str, data: bytes, name: str, whole_file: bool = True) -> tuple[str, Ergebnis | None]:
    """The file's sha256, and the no-op result if the same file was imported before (and not undone). A batch of
    one part of a file (a GeoPackage layer, named in name) counts only if it had the same name."""
    digest = sha256(data)
    previous = con.execute(
        "SELECT max(import_id) FROM importe WHERE art = $art AND sha256 = $sha AND rueckgaengig_durch IS NULL "
        "AND ($whole_file OR datei = $name)", {"art": art, "sha": digest, "whole_file": whole_file, "name": name},
    ).fetchall()[0][0]
    if previous is None:
        return digest, None
    return digest, Ergebnis(art, name, import_id=previous, bereits_importiert=True)


def register_batch(con, ergebnis: Ergebnis, digest: str, data: bytes = b"",
                    file_name: str | None = None) -> int:
    """file_name: the archived file's name where the batch is named for a part of it (a GeoPackage layer)."""
    import_id = con.execute("SELECT nextval('import_id_seq')").fetchall()[0][0]
    con.execute(
        "INSERT INTO importe (import_id, art, datei, sha256, zeilen, neu, geaendert, unveraendert, benutzer, "
        "zeitpunkt, archiv) VALUES ($id, $art, $datei, $sha, $zeilen, $neu, $geaendert, $unveraendert, $benutzer, "
        "$zeitpunkt, $archiv)",
        {"id": import_id, "art": ergebnis.art, "datei": ergebnis.datei, "sha": digest, "zeilen": ergebnis.zeilen,
         "neu": ergebnis.neu, "geaendert": ergebnis.geaendert, "unveraendert": ergebnis.unveraendert,
         "benutzer": _user(), "zeitpunkt": datetime.now(),
         "archiv": _archive(con, data, file_name or ergebnis.datei, digest)})
    ergebnis.import_id = import_id
    return import_id


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unbekannt"


def _refuse_if(befunde: list[Befund]) -> None:
    if befunde:
        raise EingabeFehler(sorted(befunde, key=lambda b: (b.zeile is not None, b.zeile or 0)))


@contextmanager
def transaction(con):
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # a commit that failed (no space for its log) has ended the transaction already; its error counts
        raise


def _parse(parse, data: bytes, name: str):
    """Run a parser on a user's file: whatever goes wrong while reading it is that file's problem, reported in
    German, never a traceback."""
    try:
        return klartext.bereinigt_gelesen(parse(data, name), name)  # control characters out, with a note
    except SozialmonitorFehler:
        raise
    except Exception as exc:  # any library error on unreadable bytes means the same to the user
        raise einlesen.befund(name, "Die Datei lässt sich nicht lesen: sie ist beschädigt, unvollständig oder keine "
                                    "Datei dieser Art. Bitte neu speichern oder neu herunterladen.") from exc


def _step(progress: Progress | None, fraction: float, text: str) -> None:
    if progress is not None:
        progress(fraction, text)


@contextmanager
def _registered(con, frame: pd.DataFrame):
    con.register("eingang", frame)
    try:
        yield
    finally:
        con.unregister("eingang")


# The SQL of this module varies in its table (one of db.VERSIONED_TABLES): DuckDB binds values, not table names,
# so it cannot live in queries/*.sql. Every table and column name passes db.versioniert / db.spalten (constants
# only, ValueError otherwise); every value is a $named parameter or the registered frame "eingang".


def _key_match(table: str) -> str:
    tabelle = versioniert(table)
    return " AND ".join(f"e.{k} = {tabelle}.{k}" for k in spalten(VERSIONED_TABLES[table]))


def _retire(con, table: str, condition: str, import_id: int, params: dict | None = None) -> None:
    """Move the rows matching condition (a constant SQL predicate written in this package; values only as $named
    params) to the table's history, marked as replaced by this batch."""
    tabelle, historie = versioniert(table), versioniert(table, historie=True)
    values = {**(params or {}), "id": import_id}
    con.execute(f"INSERT INTO {historie} BY NAME SELECT {tabelle}.*, $id AS ersetzt_durch FROM {tabelle} "
                f"WHERE {condition}", values)
    con.execute(f"DELETE FROM {tabelle} WHERE {condition}", params or {})


def replace_rows(con, table: str, incoming: pd.DataFrame, import_id: int) -> None:
    """Incoming rows (the table's columns without import_id) replace the rows with the same key; the replaced
    rows are kept in history."""
    with _registered(con, incoming):
        _retire(con, table, f"EXISTS (SELECT 1 FROM eingang e WHERE {_key_match(table)})", import_id)
        con.execute(f"INSERT INTO {versioniert(table)} BY NAME SELECT e.*, $id AS import_id FROM eingang e",
                    {"id": import_id})


def _diff(con, table: str, incoming: pd.DataFrame, fields: list[str], keep: list[str] = ()) -> pd.DataFrame:
    """Incoming rows with the stored values beside them (alt_*) and 'aenderung': neu, geaendert (any of fields
    differs) or unveraendert. keep: further stored columns to bring along."""
    keys, fields, tabelle = spalten(VERSIONED_TABLES[table]), spalten(fields), versioniert(table)
    old = ", ".join(f"t.{c} AS alt_{c}" for c in spalten([*fields, *keep]))
    same = " AND ".join(f"t.{c} IS NOT DISTINCT FROM e.{c}" for c in fields)
    on = " AND ".join(f"t.{k} = e.{k}" for k in keys)
    with _registered(con, incoming):
        return con.execute(f"""
            SELECT e.*, {old},
                   CASE WHEN t.{keys[0]} IS NULL THEN 'neu' WHEN {same} THEN 'unveraendert' ELSE 'geaendert' END
                       AS aenderung
            FROM eingang e LEFT JOIN {tabelle} t ON {on}
            ORDER BY e.zeile""").df()


def _result(art: str, name: str, diff: pd.DataFrame, keys: list[str], fields: list[str],
            dry_run: bool, counted: pd.DataFrame | None = None) -> Ergebnis:
    """counted: the rows that are the file's own records, if diff holds more (a membership file's Sozialräume)."""
    own = diff if counted is None else counted
    counts = own["aenderung"].value_counts()
    return Ergebnis(art, name, zeilen=len(own), neu=int(counts.get("neu", 0)),
                    geaendert=int(counts.get("geaendert", 0)), unveraendert=int(counts.get("unveraendert", 0)),
                    trockenlauf=dry_run, aenderungen=diff, schluessel=keys, felder=fields)


EBENE_EINZAHL = {"bund": "", "land": "Land", "kreis": "Kreis", "sozialraum": "Sozialraum", "gemeinde": "Gemeinde"}


def schluessel_namen(con) -> dict[str, dict[str, str]]:
    """Key field → code → the name a person reads in a message: areas with their level ('Gemeinde Ebeleben'; also
    for the Kreise of a Vergleichsring file and the codes of an areas file), indicators by their title."""
    gebiete = queries.run_query(con, "gebiete_mit_sozialraum")
    flaechen = {c: f"{EBENE_EINZAHL.get(e, '')} {n}".strip() for c, n, e in
                zip(gebiete["code"], gebiete["name"], gebiete["ebene"])}
    indikatoren = queries.run_query(con, "indikatoren_art")
    return {"gebiet": flaechen, "kreis": flaechen, "code": flaechen,
            "indikator": dict(zip(indikatoren["id"], indikatoren["name"]))}


def _decide(con, ergebnis: Ergebnis, befunde: list[Befund], replace: bool) -> bool:
    """Refuse on findings, and on conflicts unless replacing (named as a person reads them: area, indicator title,
    period); True if the batch is to be written."""
    if not ergebnis.trockenlauf and ergebnis.konflikt_anzahl() and not replace:
        flagged = {b.zeile for b in befunde}  # a line with errors needs fixing first, not a decision
        namen = schluessel_namen(con)
        if ergebnis.art == "indikatoren":  # the catalogue's key is the indicator's id
            namen["id"] = namen["indikator"]
        befunde = befunde + [k for k in ergebnis.konflikte(namen)
                             if k.zeile is None or k.zeile not in flagged]
    _refuse_if(befunde)
    return not ergebnis.trockenlauf
