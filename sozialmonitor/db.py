"""Connections and schema. Readers open the published file read-only; the importer writes a new version of the
file and publishes it by an atomic rename, so readers notice a new (mtime, size) and reopen."""

import os
from importlib.resources import files
from pathlib import Path

import duckdb

from sozialmonitor.errors import DatenbankFehler

SCHEMA_VERSION = 3  # 3: history tables for areas, geometries, membership and the catalogue


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create or update every table and view; safe to run on every write."""
    con.execute(files("sozialmonitor").joinpath("schema.sql").read_text(encoding="utf-8"))
    con.execute("DELETE FROM schema_version")
    con.execute("INSERT INTO schema_version VALUES ($v)", {"v": SCHEMA_VERSION})


def file_version(path: Path) -> tuple[int, int]:
    """What changes when a new version of the database is published."""
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size


# The newest read-only connection per file, with the file version it was opened on.
_readers: dict[str, tuple[tuple[int, int], duckdb.DuckDBPyConnection]] = {}


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not Path(path).exists():
        raise DatenbankFehler(f"Die Datenbank {path} gibt es nicht. Erst „python -m sozialmonitor build-demo“ oder einen Import ausführen.")
    key, version = str(Path(path).resolve()), file_version(path)
    if key in _readers and _readers[key][0] != version:
        # DuckDB hands out the database already open under this path (its instance cache), which would still be
        # the replaced file: close the connection to the old version so the new one is really opened.
        _readers.pop(key)[1].close()
    try:
        con = duckdb.connect(str(path), read_only=True)
        _readers[key] = (version, con)
        found = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
    except duckdb.Error as exc:
        raise DatenbankFehler(f"Die Datei {path} ist keine lesbare Sozialmonitor-Datenbank ({exc}).") from exc
    if found != SCHEMA_VERSION:
        con.close()
        raise DatenbankFehler(
            f"Die Datenbank {path} hat Schema-Version {found}, erwartet ist {SCHEMA_VERSION}. "
            "Bitte mit „python -m sozialmonitor build-demo“ neu aufbauen oder neu importieren."
        )
    return con
