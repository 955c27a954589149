"""The one way to run SQL from queries/: run_query(con, "name", param=value) -> DataFrame.

Each file starts with a header comment: a line of purpose, `-- params: $a, $b` and `-- columns: x, y`.
Only $named parameters are used, so no value is ever pasted into SQL text."""

import re
from functools import cache

import duckdb
import pandas as pd

from sozialmonitor.daten.config import QUERIES_DIR
from sozialmonitor.daten.db import cursor
from sozialmonitor.errors import DatenbankFehler

_PARAMS = re.compile(r"^--\s*params:\s*(.*)$", re.MULTILINE)
_COLUMNS = re.compile(r"^--\s*columns:\s*(.*)$", re.MULTILINE)


@cache
def load_query(name: str) -> str:
    path = QUERIES_DIR / f"{name}.sql"
    return path.read_text(encoding="utf-8")


def _header_list(pattern: re.Pattern, sql: str) -> list[str]:
    match = pattern.search(sql)
    if not match or match.group(1).strip() in ("", "-", "keine"):
        return []
    return [part.strip().lstrip("$") for part in match.group(1).split(",")]


def declared_params(name: str) -> list[str]:
    return _header_list(_PARAMS, load_query(name))


def declared_columns(name: str) -> list[str]:
    return _header_list(_COLUMNS, load_query(name))


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


def im_vorgang(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql on con itself, for the importer inside its transaction: a cursor (run_query) is a
    connection of its own and would not see the rows the transaction has written so far."""
    expected = set(declared_params(name))
    if set(params) != expected:
        raise TypeError(f"{name}.sql erwartet die Parameter {sorted(expected)}, bekam {sorted(params)}")
    return con.execute(load_query(name), params).df()


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with exactly its declared parameters on a fresh cursor (thread-safe)."""
    expected = set(declared_params(name))
    if set(params) != expected:
        raise TypeError(f"{name}.sql erwartet die Parameter {sorted(expected)}, bekam {sorted(params)}")
    try:
        return cursor(con).execute(load_query(name), params).df()
    except duckdb.Error as exc:
        raise DatenbankFehler(f"Abfrage {name} fehlgeschlagen: {exc}") from exc
