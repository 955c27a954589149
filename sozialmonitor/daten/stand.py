"""The database as it stood at a past moment ("Stand der Ziele am …"), rebuilt from the versioned tables.

Every stored row names the batch that wrote it (import_id); every row a later batch replaced or removed lies in the
table's *_historie with that batch in ersetzt_durch. So the rows valid at time T are those whose batch ran at or
before T and that no batch at or before T replaced. They are copied into a fresh in-memory database with the same
schema (db.ensure_schema), its values materialised (db.materialise_values), so every query in queries/ and the whole
goal evaluation (ausgabe.unterlagen.collect) run on it unchanged.

An undone import counts as never having happened: undo removes its rows and their history (importer.undo), so the
state at a moment between the import and its undo shows the rows from before the import."""

from datetime import datetime
from pathlib import Path

import duckdb

from sozialmonitor.daten import db
from sozialmonitor.errors import DatenbankFehler

assert db.CATALOG == "daten"  # written out in the SQL below


def datenbank_am(path: Path, zeitpunkt: datetime) -> duckdb.DuckDBPyConnection:
    """A read-only-in-spirit in-memory connection (catalog 'daten', like db.open_database) holding the state of
    the database file at path at zeitpunkt (a naive local datetime, as importe.zeitpunkt). The caller closes it.
    Raises DatenbankFehler if the file cannot be read."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH $pfad AS quelle (READ_ONLY)", {"pfad": str(path)})
        con.execute("ATTACH ':memory:' AS daten")  # db.CATALOG
        con.execute("USE daten")
        db.ensure_schema(con)
        stichtag = {"stichtag": zeitpunkt}
        con.execute("INSERT INTO metadaten SELECT * FROM quelle.metadaten")
        con.execute("INSERT INTO importe BY NAME SELECT * FROM quelle.importe WHERE zeitpunkt <= $stichtag",
                    stichtag)
        # The table varies: DuckDB binds values, not table names, so this SQL cannot live in queries/*.sql. Names
        # pass db.versioniert (keys of the constant db.VERSIONED_TABLES only); the only value is $stichtag above.
        for table in db.VERSIONED_TABLES:
            tabelle, historie = db.versioniert(table), db.versioniert(table, historie=True)
            con.execute(f"""
                INSERT INTO {tabelle} BY NAME
                SELECT * EXCLUDE (ersetzt_durch) FROM (
                    SELECT *, CAST(NULL AS INTEGER) AS ersetzt_durch FROM quelle.{tabelle}
                    UNION ALL BY NAME
                    SELECT * FROM quelle.{historie}) zeile
                WHERE (zeile.import_id IS NULL OR zeile.import_id IN (SELECT import_id FROM importe))
                  AND (zeile.ersetzt_durch IS NULL OR zeile.ersetzt_durch NOT IN (SELECT import_id FROM importe))""")
        db.materialise_values(con)
        con.execute("DETACH quelle")
    except duckdb.Error as exc:
        con.close()
        raise DatenbankFehler(f"Der Stand vom {zeitpunkt:%d.%m.%Y} lässt sich aus {path} nicht herstellen "
                              f"({exc}).") from exc
    return con
