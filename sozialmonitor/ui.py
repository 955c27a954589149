"""The one place the logic meets Streamlit: cached read-only connection, cached queries, and the frame every page
shares (demo notice, data status in the sidebar, geodata attribution)."""

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from sozialmonitor import db, demo, fmt, queries
from sozialmonitor.config import DEMO_NOTICE, GEODATA_ATTRIBUTION, database_path
from sozialmonitor.errors import SozialmonitorFehler


@st.cache_resource(max_entries=4)
def _connection(path: str, version: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    # Keyed by the file version: after an import publishes a new file, the next rerun opens it.
    return db.connect_read_only(Path(path))


def connection() -> duckdb.DuckDBPyConnection:
    path = database_path()
    demo.ensure_database(path)
    return _connection(str(path), db.file_version(path))


def database_version() -> tuple[int, int]:
    return db.file_version(database_path())


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def _cached_query(name: str, version: tuple[int, int], params: tuple) -> pd.DataFrame:
    return queries.run_query(connection(), name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """run_query through the cache; a new database version invalidates it."""
    return _cached_query(name, database_version(), tuple(sorted(params.items())))


def page_frame(title: str, icon: str = "🗺️") -> None:
    """set_page_config, title and the notices every page carries. Stops the page with a German message when the
    database cannot be opened (never a traceback)."""
    st.set_page_config(page_title=f"{title} – Sozialmonitor", page_icon=icon, layout="wide")
    st.title(title)
    try:
        status = query("data_status")
    except SozialmonitorFehler as exc:
        st.error(str(exc))
        st.stop()
    row = status.iloc[0]
    if row["demo"]:
        st.warning(DEMO_NOTICE, icon="ℹ️")
    with st.sidebar:
        st.caption(
            f"Datenstand: {fmt.zahl(row['gebiete'])} Gebiete, {fmt.zahl(row['indikatoren'])} Indikatoren, "
            f"{fmt.zahl(row['beobachtungen'])} Werte"
            + (f", letzter Import {fmt.datum(row['letzter_import'])}" if pd.notna(row["letzter_import"]) else "")
        )
        st.caption(GEODATA_ATTRIBUTION)
