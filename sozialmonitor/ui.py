"""The one place the logic meets Streamlit: cached read-only connection, cached queries, and the frame every page
shares (demo notice, data status in the sidebar, geodata attribution)."""

import dataclasses
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from sozialmonitor import db, demo, fmt, geo, importer, maps, queries, targets
from sozialmonitor.betrieb import fehler, freigabe
from sozialmonitor.config import DEMO_NOTICE, GEODATA_ATTRIBUTION, PROJECT_ROOT, database_path
from sozialmonitor.errors import DatenbankFehler, SozialmonitorFehler, VeralteteDatenbank


# The sidebar navigation, drawn by page_frame (Streamlit's own would label the home page "app").
NAVIGATION = [
    ("app.py", "Übersicht", ":material/home:"),
    ("pages/1_Karte.py", "Karte", ":material/map:"),
    ("pages/2_Zielerreichung.py", "Zielerreichung", ":material/flag:"),
    ("pages/3_Indikatoren.py", "Indikatoren", ":material/menu_book:"),
    ("pages/4_Daten.py", "Daten", ":material/upload_file:"),
    ("pages/5_Steckbrief.py", "Steckbrief", ":material/id_card:"),
    ("pages/6_Praesentation.py", "Präsentation", ":material/co_present:"),
]
DATA_PAGE = "pages/4_Daten.py"  # the editor's page: hidden while the app is read-only


@dataclasses.dataclass(frozen=True)
class Stand:
    """One published version of the database, fixed for one page run (a fragment rerun is a run of its own).
    Every query, cache key and map of the run comes from it, so a concurrent import never shows the Gemeinden of
    the old version beside the Kreis of the new one. version: the file's (mtime_ns, size) when it was opened.
    Model: Datasette keys its caches by the hash of an immutable database file (STYLE-EXAMPLES 1.3)."""

    pfad: str
    version: tuple[int, int]
    verbindung: duckdb.DuckDBPyConnection = dataclasses.field(compare=False, repr=False)


class _NeueVersion(Exception):
    """The file was replaced while it was being opened: open again (never cached)."""


@st.cache_resource(max_entries=4, show_spinner=False)
def _connection(path: str, version: tuple[int, int]) -> duckdb.DuckDBPyConnection:
    # Keyed by the file version: after an import publishes a new file, the next run opens it. An import that
    # publishes while the file is being opened would leave the key and the content apart: then open again.
    con = db.connect_read_only(Path(path))
    if db.file_version(Path(path)) != version:
        con.close()
        raise _NeueVersion
    return con


def _open_stand() -> Stand:
    path = database_path()
    demo.ensure_database(path)
    for _ in range(20):
        version = db.file_version(path)
        try:
            return Stand(str(path), version, _connection(str(path), version))
        except _NeueVersion:
            continue
    raise DatenbankFehler(f"Die Datenbank {path} wird gerade laufend neu veröffentlicht. Bitte gleich noch einmal "
                          "versuchen.")


_PIN = "_sozialmonitor_stand"


def _run_marker():
    """An object that lives exactly as long as the current script run (Streamlit replaces the run context's cursor
    table at the start of every run and fragment run); None outside a Streamlit run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return None if ctx is None else ctx.cursors


def stand() -> Stand:
    """The database version of this page run: pinned on first use (page_frame does that at the top of the run),
    then the same for every query of the run. Outside Streamlit (scripts, bench) each call reads the newest."""
    marker = _run_marker()
    if marker is None:
        return _open_stand()
    pinned = st.session_state.get(_PIN)
    if pinned is not None and pinned[0] is marker:
        return pinned[1]
    current = _open_stand()
    st.session_state[_PIN] = (marker, current)
    return current


def connection() -> duckdb.DuckDBPyConnection:
    """The read-only connection of this run's Stand (never close it)."""
    return stand().verbindung


def database_version() -> tuple[int, int]:
    """The version of this run's Stand."""
    return stand().version


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def _cached_query(name: str, path: str, version: tuple[int, int], params: tuple,
                  _con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return queries.run_query(_con, name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """run_query on this run's Stand, cached under its version (a new database version is a new key)."""
    current = stand()
    return _cached_query(name, current.pfad, current.version, tuple(sorted(params.items())), current.verbindung)


@st.cache_data(ttl=3600, max_entries=16, show_spinner=False)
def _ziele_zusammenfassung(path: str, version: tuple[int, int], heute: date,
                           _con: duckdb.DuckDBPyConnection) -> dict:
    return targets.summary(_con, heute)


def ziele_zusammenfassung() -> dict:
    """targets.summary for this run's Stand, computed once per database version and day (not on every page run:
    it evaluates every target, and N processes behind a proxy serve many Übersicht runs)."""
    current = stand()
    return _ziele_zusammenfassung(current.pfad, current.version, date.today(), current.verbindung)


STATIC_MAPS_DIR = PROJECT_ROOT / "static" / "karten"  # served at app/static/karten/ (server.enableStaticServing)


@st.cache_resource(max_entries=8, show_spinner="Grenzen werden geladen …")
def _map_geometry(ebene: str, path: str, version: tuple[int, int],
                  _con: duckdb.DuckDBPyConnection) -> maps.MapGeometry:
    geometry = maps.map_geometry(queries.run_query(_con, "area_geometries", ebene=ebene))
    url = f"app/static/{STATIC_MAPS_DIR.name}/"
    return dataclasses.replace(
        geometry, url=url + geo.publish_geojson(geometry.feature_collection(), STATIC_MAPS_DIR),
        label_url=url + geo.publish_geojson(geometry.label_collection(), STATIC_MAPS_DIR))


def static_files_served() -> bool:
    """The map component loads MapLibre and the boundaries as static files; without Streamlit's static file serving
    it says how to switch it on (German) and returns False."""
    if st.get_option("server.enableStaticServing"):
        return True
    st.error("Die Karte braucht die statische Dateiauslieferung von Streamlit: in .streamlit/config.toml unter "
             "[server] „enableStaticServing = true“ setzen und die App neu starten.")
    return False


def map_geometry(ebene: str) -> maps.MapGeometry:
    """Shapes of a level, read and converted once per database version (never mutate the result). The GeoJSON and
    the label points go out as static files the browser loads once; a rerun then sends only the values."""
    current = stand()
    return _map_geometry(ebene, current.pfad, current.version, current.verbindung)


def demo_note() -> str:
    """The demo notice for what leaves the app (pictures, files), empty for a planner's own data."""
    return DEMO_NOTICE if query("data_status").iloc[0]["demo"] else ""


def datenfassung_text() -> str:
    """The visible marker of the database version this page run read (from its Stand): "Datenfassung Nr. 23
    (30.11.2026, 09:31 Uhr)". Several processes behind a proxy show the same number for the same published file."""
    fassung = query("datenfassung")
    if fassung.empty:
        return "Datenfassung: noch kein Import"
    row = fassung.iloc[0]
    return f"Datenfassung Nr. {int(row['import_nr'])} ({pd.Timestamp(row['zeitpunkt']):%d.%m.%Y, %H:%M} Uhr)"


def secrets() -> dict:
    """The parsed `.streamlit/secrets.toml` (empty without one)."""
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, KeyError, StreamlitAPIException):
        return {}


def freigabe_pruefen() -> None:
    """Stops the page with a German message if it would serve the network without sign-in: a non-loopback
    server.address (also when started as `streamlit run app.py` without server.py) or a visitor forwarded by a
    reverse proxy from another machine."""
    try:
        freigabe.pruefe_freigabe(st.get_option("server.address"), secrets(),
                                 st.context.headers.get("X-Forwarded-For"))
    except freigabe.NichtFreigegeben as refusal:
        st.error(str(refusal), icon=":material/lock:")
        st.stop()


def fehler_anzeigen(exc: Exception) -> bool:
    """The error boundary (server.py's on_script_error): log the traceback under a Kennung, show the German message
    with that Kennung instead of Streamlit's exception box. Returns True (the default display is suppressed)."""
    kennung = fehler.fehler_protokollieren(exc, seite=st.context.url if st.context.url else None)
    st.error(fehler.meldung(exc, kennung), icon=":material/error:")
    return True


def page_frame(title: str, icon: str = ":material/insights:") -> None:
    """set_page_config, title and the notices every page carries. Stops the page with a German message when the
    database cannot be opened (never a traceback) or when it would serve the network without sign-in."""
    st.set_page_config(page_title=f"{title} – Sozialmonitor", page_icon=icon, layout="wide")
    freigabe_pruefen()
    with st.sidebar:
        for path, label, link_icon in NAVIGATION:
            if not (path == DATA_PAGE and importer.read_only()):
                st.page_link(path, label=label, icon=link_icon)
    if title:  # presentation mode: each view brings its own heading
        st.title(title)
    try:
        status = query("data_status")
    except VeralteteDatenbank as exc:
        st.error(str(exc))
        if not importer.read_only() and st.button("Datenbank jetzt auf den neuen Stand bringen", type="primary",
                                                  icon=":material/upgrade:"):
            try:
                importer.upgrade(database_path())
            except SozialmonitorFehler as failed:
                st.error(str(failed))
                st.stop()
            st.rerun()
        st.stop()
    except SozialmonitorFehler as exc:
        st.error(str(exc))
        st.stop()
    row = status.iloc[0]
    if row["demo"]:
        st.warning(DEMO_NOTICE, icon=":material/info:")
    with st.sidebar:
        st.caption(
            f"Datenstand: {fmt.anzahl(row['gebiete'], 'Gebiet', 'Gebiete')}, "
            f"{fmt.anzahl(row['indikatoren'], 'Indikator', 'Indikatoren')}, "
            f"{fmt.anzahl(row['beobachtungen'], 'Wert', 'Werte')}"
            + (f", letzter Import {fmt.datum(row['letzter_import'])}" if pd.notna(row["letzter_import"]) else "")
        )
        st.caption(datenfassung_text())
        st.caption(GEODATA_ATTRIBUTION)
