"""Connections and schema. Readers open the published file read-only; the importer writes a new version of the
file and publishes it by an atomic rename, so readers notice a new (mtime, size) and reopen."""

import os
import re
from importlib.resources import files
from pathlib import Path

import duckdb

from sozialmonitor.errors import DatenbankFehler, VeralteteDatenbank

SCHEMA_VERSION = 10  # 2: targets; 3: history tables for areas, geometries, membership, catalogue; 4: targets history;
# 5: werte materialised; 6: polarity 'neutral' (counts without a judgement); 7: additive columns of the branches;
# werte after Geheimhaltung (status 'geheim', column geheim_grund) – re-materialised by the upgrade's publish
# and importe.demo (the demo's own imports); 8: the official flags p/r/s/() in werte (column kennzeichen) and the
# catalogue's period kind (indikatoren.turnus) – additive, werte re-materialised by the upgrade's publish;
# 9 (issue 19): the catalogue's Geheimhaltung (indikatoren.geheimhaltung, zaehler_indikator, nenner_indikator),
# werte.ohne_daten with the reason and werte.veroeffentlicht (a published rate beside the value computed from
# counts) – additive, werte re-materialised (and protected by the new model) by the upgrade's publish;
# 10 (issue 21): the Sozialindex definitions and the Vergleichsring's Kreis values and Vergleichstypen – additive

# The files build-demo imports, in its order (import ids 1–9 of a demo database; the last two since schema 10). A
# database written before schema 7 has no importe.demo: its imports count as the demo's when they are these files
# with these ids. referenzwerte.csv was import 6 until issue 20 (newspaper figures, now none); since then ziele.toml
# comes twice (6 and 7: the first and the second version of the example target).
DEMO_DATEIEN = ("indikatoren.toml", "gebiete.csv", "kyffhaeuserkreis_gemeinden_2024_abgeleitet.geojson",
                "sozialraeume.csv", "demo_beobachtungen.csv", "referenzwerte.csv", "ziele.toml", "demo_kreise.csv",
                "sozialindex.toml")
_DEMO_IMPORT = ("(import_id <= $anzahl AND datei IN (SELECT unnest($dateien)) AND rueckgaengig_durch IS NULL "
                "AND art <> 'rueckgaengig')")
# The data is the demo's: the demo flag is set and every active import (not undone) is one of the demo's.
NUR_DEMO = ("coalesce((SELECT wert = 'ja' FROM metadaten WHERE schluessel = 'demo'), false) AND NOT EXISTS ("
            "SELECT 1 FROM importe WHERE NOT coalesce(demo, false) AND rueckgaengig_durch IS NULL "
            "AND art <> 'rueckgaengig')")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create or update every table and view; safe to run on every write."""
    kind = con.execute("SELECT table_type FROM information_schema.tables "
                       "WHERE table_catalog = current_database() AND table_name = 'werte'").fetchall()
    if kind and kind[0][0] == "VIEW":  # up to schema version 4, werte was a view
        con.execute("DROP VIEW werte")
    old_check = con.execute("SELECT count(*) FROM duckdb_constraints() WHERE database_name = current_database() "
                            "AND table_name = 'indikatoren' AND constraint_type = 'CHECK' "
                            "AND constraint_text LIKE '%polaritaet%' AND constraint_text NOT LIKE '%neutral%'")
    rebuild_catalogue = old_check.fetchall()[0][0] > 0  # up to version 5: DuckDB cannot alter a CHECK in place
    if rebuild_catalogue:
        con.execute("ALTER TABLE indikatoren RENAME TO indikatoren_bis_v5")
    had_demo_column = _has_column(con, "importe", "demo")
    # up to issue 23 beobachtungen had a PRIMARY KEY (an index in memory while writing, see schema.sql): DuckDB
    # cannot drop it in place, so the table is rebuilt without it – same columns, rows and checks
    rebuild_observations = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE database_name = current_database() "
        "AND table_name = 'beobachtungen' AND constraint_type = 'PRIMARY KEY'").fetchall()[0][0] > 0
    if rebuild_observations:
        con.execute("ALTER TABLE beobachtungen RENAME TO beobachtungen_mit_index")
    con.execute(files("sozialmonitor.daten").joinpath("schema.sql").read_text(encoding="utf-8"))
    if rebuild_observations:
        con.execute("INSERT INTO beobachtungen BY NAME SELECT * FROM beobachtungen_mit_index")
        con.execute("DROP TABLE beobachtungen_mit_index")
    if not had_demo_column:  # up to version 6: the demo's imports are found by their files
        con.execute("UPDATE importe SET demo = " + _DEMO_IMPORT + " AND EXISTS (SELECT 1 FROM metadaten "
                    "WHERE schluessel = 'demo' AND wert = 'ja')",
                    {"anzahl": len(DEMO_DATEIEN), "dateien": list(DEMO_DATEIEN)})
    if rebuild_catalogue:
        con.execute("INSERT INTO indikatoren BY NAME SELECT * FROM indikatoren_bis_v5")
        con.execute("DROP TABLE indikatoren_bis_v5")
    con.execute(files("sozialmonitor.daten").joinpath("schema_zugang.sql").read_text(encoding="utf-8"))  # 7: roles, audit
    con.execute("DELETE FROM schema_version")
    con.execute("INSERT INTO schema_version VALUES ($v)", {"v": SCHEMA_VERSION})


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.columns WHERE table_catalog = current_database() "
                       "AND table_name = $t AND column_name = $c", {"t": table, "c": column}).fetchall()[0][0] > 0


WERTE_STUECK = 50_000  # observations per piece of werte (db.materialise_values): about 0,15 GB while it is stored


def materialise_values(con: duckdb.DuckDBPyConnection) -> None:
    """Store the view werte_live as the table werte, once per published version (the app only reads), after the
    disclosure step: werte holds only what may be shown (status 'geheim' with geheim_grund where a value is
    suppressed, see sozialmonitor.geheimhaltung). Raises EingabeFehler when the rules file is faulty.

    Stored in pieces of whole years (werte_stuecke, about WERTE_STUECK observations each; the view
    beobachtungen_teil reads one piece): no value, sum or annual average and no relation of the disclosure step
    reaches across years, so the pieces give the same table as the whole at once – whose memory grew with the
    database (a 200-MB file: over 12 GB, issue 23)."""
    from sozialmonitor import geheimhaltung  # the step imports highspy/scipy: only where a version is published

    regeln = geheimhaltung.laden()
    # the view's column types (a piece's frame would guess a column it has only NULLs in), then piece by piece
    con.execute("CREATE OR REPLACE TABLE werte AS SELECT *, CAST(NULL AS VARCHAR) AS geheim_grund FROM werte_live "
                "WHERE false")
    try:
        for von, bis in werte_stuecke(con):
            for name, wert in (("werte_von", von), ("werte_bis", bis)):
                if wert is None:
                    con.execute(f"RESET VARIABLE {name}")  # name: one of two constants
                else:
                    con.execute(f"SET VARIABLE {name} = $wert", {"wert": wert})
            geschuetzt = geheimhaltung.geschuetzte_werte(con, regeln)
            con.register("werte_geschuetzt", geschuetzt)
            try:
                con.execute("INSERT INTO werte BY NAME SELECT * FROM werte_geschuetzt")
            finally:
                con.unregister("werte_geschuetzt")
            del geschuetzt
    finally:
        con.execute("RESET VARIABLE werte_von")
        con.execute("RESET VARIABLE werte_bis")


def werte_stuecke(con: duckdb.DuckDBPyConnection, groesse: int | None = None) -> list[tuple[str | None, str | None]]:
    """The pieces materialise_values stores werte in: (von, bis) – the periods from von up to before bis (None: no
    bound), whole years (the first four characters of zeitraum), about groesse (WERTE_STUECK) observations each.
    Always at least one piece (None, None)."""
    groesse = groesse or WERTE_STUECK
    jahre = con.execute("SELECT left(zeitraum, 4) AS jahr, count(*) FROM beobachtungen GROUP BY jahr "
                        "ORDER BY jahr").fetchall()
    grenzen, zeilen = [], 0
    for jahr, anzahl in jahre:
        if zeilen and zeilen + anzahl > groesse:
            grenzen.append(jahr)
            zeilen = 0
        zeilen += anzahl
    return list(zip([None, *grenzen], [*grenzen, None]))


def file_version(path: Path) -> tuple[int, int]:
    """What changes when a new version of the database is published."""
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size


CATALOG = "daten"

# Every table a batch writes, with its key. SQL below names tables and columns only from this constant (never
# from input), so composing those identifiers is safe; values always travel as $parameters or registered frames.
VERSIONED_TABLES = {
    "gebiete": ["code"],
    "geometrien": ["gebiet"],
    "zuordnung": ["gemeinde"],
    "indikatoren": ["id"],
    "beobachtungen": ["gebiet", "indikator", "zeitraum"],
    "ziele": ["id"],
    "sozialindex_definitionen": ["id"],
    "vergleichskreise": ["kreis", "indikator", "zeitraum"],
    "vergleichstypen": ["kreis"],
}
_SPALTENNAME = re.compile(r"[a-z_][a-z0-9_]*")


def versioniert(table: str, historie: bool = False) -> str:
    """The name of a versioned table (or its *_historie) for SQL text. Where the table varies (history, undo, an
    earlier Stand) the SQL cannot live in queries/*.sql with $parameters – DuckDB binds values, not table names –
    so this is the one gate: only a key of VERSIONED_TABLES passes; anything else raises ValueError (a programming
    error, never a user's)."""
    if table not in VERSIONED_TABLES:
        raise ValueError(f"{table!r} ist keine versionierte Tabelle")
    return f"{table}_historie" if historie else table


def spalten(names) -> list[str]:
    """Column names for SQL text, each checked to be a plain lower-case identifier (they come from the code's
    constants: VERSIONED_TABLES keys and the field lists of the importer); raises ValueError otherwise."""
    names = list(names)
    for name in names:
        if not _SPALTENNAME.fullmatch(name):
            raise ValueError(f"{name!r} ist kein Spaltenname")
    return names


def open_database(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Attach the file to a fresh in-memory instance. duckdb.connect(path) would reuse a cached instance of the same
    path in this process, and so keep showing the old file after an import published a new one. A reader gets one
    DuckDB thread: the pages' queries are small, and every further thread keeps its own memory arenas (measured at
    11,299 areas: the map page's server peak about 15 MB lower, bench/map_bench.py)."""
    con = duckdb.connect(":memory:", config={"threads": 1} if read_only else {})
    # the path is a $parameter; the catalogue name and the mode are constants
    con.execute("ATTACH $pfad AS daten (READ_ONLY)" if read_only else "ATTACH $pfad AS daten", {"pfad": str(path)})
    con.execute("USE daten")
    assert CATALOG == "daten"
    return con


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor for one query (thread-safe use of a shared connection), pointed at the attached database."""
    cur = con.cursor()
    cur.execute("USE " + CATALOG)
    return cur


def schema_and_demo(path: Path) -> tuple[int | None, bool]:
    """The file's schema version and whether its data is the demo's: the demo flag and no import other than the
    demo's own (None, False: not readable as ours). A file written before schema 7 is judged by its imports' files."""
    try:
        con = open_database(path, read_only=True)
    except duckdb.Error:
        return None, False
    try:
        version = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
        if _has_column(con, "importe", "demo"):
            demo = con.execute("SELECT " + NUR_DEMO).fetchall()[0][0]
        else:
            demo = con.execute(
                "SELECT coalesce((SELECT wert = 'ja' FROM metadaten WHERE schluessel = 'demo'), false) AND NOT EXISTS "
                "(SELECT 1 FROM importe WHERE NOT " + _DEMO_IMPORT + " AND rueckgaengig_durch IS NULL "
                "AND art <> 'rueckgaengig')", {"anzahl": len(DEMO_DATEIEN), "dateien": list(DEMO_DATEIEN)}
            ).fetchall()[0][0]
        return version, bool(demo)
    except duckdb.Error:
        return None, False
    finally:
        con.close()


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not Path(path).exists():
        raise DatenbankFehler(f"Die Datenbank {path} gibt es nicht. Erst „python -m sozialmonitor build-demo“ oder einen Import ausführen.")
    try:
        con = open_database(path, read_only=True)
        found = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
    except duckdb.Error as exc:
        raise DatenbankFehler(f"Die Datei {path} ist keine lesbare Sozialmonitor-Datenbank ({exc}).") from exc
    if found is not None and found > SCHEMA_VERSION:
        con.close()
        raise DatenbankFehler(f"Die Datenbank {path} hat Schema-Version {found} und stammt von einer neueren Fassung "
                              "des Sozialmonitors. Bitte die App auf den neuen Stand bringen.")
    if found != SCHEMA_VERSION:
        con.close()
        raise VeralteteDatenbank(
            f"Die Datenbank {path} hat Schema-Version {found}, erwartet ist {SCHEMA_VERSION}. "
            "Bitte mit „python -m sozialmonitor upgrade“ auf den neuen Stand bringen (die Werte bleiben erhalten)."
        )
    return con
