"""The one place the logic meets Streamlit: cached read-only connection, cached queries, and the frame every page
shares (demo notice, data status in the sidebar, geodata attribution)."""

import dataclasses
import re
from datetime import date, datetime, time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import duckdb
import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from sozialmonitor import fmt, geheimhaltung, importer, klartext
from sozialmonitor.daten import arbeitskopie, db
from sozialmonitor.importer import demo
from sozialmonitor.karten import geometrie
from sozialmonitor.karten import kartendaten
from sozialmonitor.daten import queries
from sozialmonitor.ziele import auswertung
from sozialmonitor.zugang import anmeldungen, rollen
from sozialmonitor.betrieb import fehler, freigabe, speicher
from sozialmonitor.oberflaeche import waechter
from sozialmonitor.oberflaeche.komponenten.deutsch import deutsch
from sozialmonitor.daten.config import DEFAULT_DB, DEMO_NOTICE, GEODATA_ATTRIBUTION, PROJECT_ROOT, database_path
from sozialmonitor.einlesen import grenzen
from sozialmonitor.errors import DatenbankFehler, EingabeFehler, KeinZugriff, SozialmonitorFehler, VeralteteDatenbank, betriebssystem_text
from sozialmonitor.daten.stand import datenbank_am
from sozialmonitor.ausgabe.unterlagen import Unterlagen, collect

# pyarrow's pool and glibc's arenas keep freed memory in the long-running app process (issue 22)
speicher.sparsam()


# The sidebar navigation, drawn by page_frame (Streamlit's own would label the home page "app"), with the action a
# person needs to see the link (rollen.AKTIONEN). The page itself checks the same action again (page_frame).
NAVIGATION = [
    ("app.py", "Übersicht", ":material/home:", "ansehen"),
    ("pages/1_Karte.py", "Karte", ":material/map:", "ansehen"),
    ("pages/2_Zielerreichung.py", "Zielerreichung", ":material/flag:", "ansehen"),
    ("pages/3_Indikatoren.py", "Indikatoren", ":material/menu_book:", "ansehen"),
    ("pages/4_Daten.py", "Daten", ":material/upload_file:", "verlauf_sehen"),
    ("pages/5_Steckbrief.py", "Steckbrief", ":material/id_card:", "ansehen"),
    ("pages/10_Sozialindex.py", "Sozialindex", ":material/stacked_bar_chart:", "ansehen"),
    ("pages/6_Praesentation.py", "Präsentation", ":material/co_present:", "ansehen"),
    ("pages/7_Ziele_bearbeiten.py", "Ziele bearbeiten", ":material/edit_note:", "ziele_bearbeiten"),
    ("pages/11_Sozialindex_bearbeiten.py", "Sozialindex bearbeiten", ":material/tune:", "sozialindex_bearbeiten"),
    ("pages/8_Protokoll.py", "Protokoll", ":material/history:", "verlauf_sehen"),
    ("pages/9_Rollen.py", "Rollen", ":material/admin_panel_settings:", "rollen_verwalten"),
    ("pages/10_Barrierefreiheit.py", "Barrierefreiheit", ":material/accessibility_new:", "ansehen"),
]


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
    demo.ensure_database(path, erster_start=path == DEFAULT_DB)  # the demo only on the laptop's default path
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


def _query_all(name: str, **params) -> pd.DataFrame:
    """run_query on this run's Stand, cached under its version (a new database version is a new key)."""
    current = stand()
    return _cached_query(name, current.pfad, current.version, tuple(sorted(params.items())), current.verbindung)


@st.cache_data(ttl=3600, max_entries=16, show_spinner=False)
def _ziele_zusammenfassung(path: str, version: tuple[int, int], heute: date,
                           _con: duckdb.DuckDBPyConnection) -> dict:
    return auswertung.summary(_con, heute)


def ziele_zusammenfassung() -> dict:
    """targets.summary for this run's Stand, computed once per database version and day (not on every page run:
    it evaluates every target, and N processes behind a proxy serve many Übersicht runs)."""
    current = stand()
    return _ziele_zusammenfassung(current.pfad, current.version, date.today(), current.verbindung)


def query(name: str, **params) -> pd.DataFrame:
    """run_query through the cache; a new database version invalidates it. For a person restricted to a Gemeinde
    or Sozialraum, rows of other areas (column gebiet) are left out (rollen.sichtbare_gebiete)."""
    return _nur_sichtbare(_query_all(name, **params), sichtbare_gebiete())


def beschraenken(frame: pd.DataFrame, wer: rollen.Person | None, spalte: str = "gebiet") -> pd.DataFrame:
    """frame without the rows of areas the person may not see (no restriction: unchanged)."""
    return _nur_sichtbare(frame, _sichtbar_fuer(wer), spalte)


def _nur_sichtbare(frame: pd.DataFrame, sichtbar: frozenset | None, spalte: str = "gebiet") -> pd.DataFrame:
    if sichtbar is None or spalte not in frame.columns:
        return frame
    return frame[frame[spalte].isin(sichtbar)].reset_index(drop=True)


def _sichtbar_fuer(wer: rollen.Person | None) -> frozenset | None:
    """zugang.sichtbare_gebiete of this person (the area table is read only for a restricted person)."""
    if wer is None or not wer.gebiet:
        return None
    return frozenset(rollen.sichtbare_gebiete(wer, _query_all("gebiete_mit_sozialraum")))


# ---------------------------------------------------------------- who is using the app

def anmeldung_art() -> str:
    """'oidc' when [auth] is configured in .streamlit/secrets.toml, 'lokal' when the database has local users with
    a password, else 'ohne'."""
    if freigabe.anmeldung_eingerichtet(secrets()):
        return "oidc"
    if bool(_query_all("benutzer")["lokal"].any()):
        return "lokal"
    return "ohne"


def _nur_hier() -> bool:
    """The app listens on loopback only and this request comes straight from this machine (freigabe.von_hier: no
    proxy header of any kind, loopback Host, Origin and address): the laptop case."""
    if not freigabe.nur_lokal(st.get_option("server.address")):
        return False
    return freigabe.von_hier(_koepfe(), _client_ip())


def _koepfe() -> dict[str, str]:
    """The headers of this session's websocket handshake, names in lower case (empty in AppTest)."""
    return {k.lower(): v for k, v in (st.context.headers or {}).items()}


def _client_ip() -> str | None:
    return st.context.ip_address if isinstance(st.context.ip_address, str) else None  # no str: no HTTP (AppTest)


def _adresse() -> str:
    """The visitor's address for the record of sign-in attempts: behind the shipped nginx the last address of
    X-Forwarded-For, else the peer's ('dieser Rechner' for loopback, which Streamlit reports as None)."""
    ip = _client_ip()
    weitergeleitet = [t.strip() for t in _koepfe().get("x-forwarded-for", "").split(",") if t.strip()]
    if weitergeleitet and (ip is None or freigabe.nur_lokal(ip)):
        return weitergeleitet[-1]
    return ip or "dieser Rechner"


def anmeldungen_ablage() -> anmeldungen.Anmeldungen:
    """The sign-in sessions and attempts of this app (zugang.anmeldungen, beside the database)."""
    return anmeldungen.ablage_der_app(database_path(), secrets())


def sitzungs_cookie() -> str | None:
    """The sign-in cookie of this session's browser, as it came with the websocket handshake (a resumed session
    brings the cookies of its new connection, a raw client none)."""
    return (st.context.cookies or {}).get(anmeldungen.COOKIE)


def _sitzung(art: str) -> anmeldungen.Sitzung | None:
    sitzung = anmeldungen_ablage().pruefen(sitzungs_cookie())
    return sitzung if sitzung is not None and sitzung.art == art else None


_PERSON_PIN = "_sozialmonitor_person"


def person() -> rollen.Person | None:
    """The person using this session, from the sign-in (st.user, the local sign-in) and the role table of this
    run's Stand; None: nobody signed in where a sign-in is required. SOZIALMONITOR_NUR_LESEN=1 makes everyone
    Betrachter. Worked out once per page run (every query of the run asks for it; a sign-in or sign-out is a new
    run), outside Streamlit on every call."""
    return _person_und_gebiete()[0]


def sichtbare_gebiete() -> frozenset | None:
    """The area codes this run's person may see (rollen.sichtbare_gebiete), None when not restricted – part of
    the key of every cache that holds rows read through `query`."""
    return _person_und_gebiete()[1]


def _person_und_gebiete() -> tuple[rollen.Person | None, frozenset | None]:
    marker = _run_marker()
    if marker is None:
        wer = _person()
        return wer, _sichtbar_fuer(wer)
    pinned = st.session_state.get(_PERSON_PIN)
    if pinned is not None and pinned[0] is marker:
        return pinned[1]
    wer = _person()
    result = (wer, _sichtbar_fuer(wer))
    st.session_state[_PERSON_PIN] = (marker, result)
    return result


def _person() -> rollen.Person | None:
    art = anmeldung_art()
    if art == "oidc":
        if not st.user.get("is_logged_in", False):
            return None
        sitzung = _sitzung("oidc")
        if sitzung is None or sitzung.sub != str(st.user.get("sub") or ""):
            return None  # Streamlit's cookie without a valid session of this sign-in: revoked, expired or copied
        wer = anmeldungen.person_aus_sitzung(sitzung, _query_all("benutzer"),
                                             rollen.einstellungen(secrets().get("zugang")),
                                             _query_all("gebiete_mit_sozialraum"))
    elif art == "lokal":
        sitzung = _sitzung("lokal")
        wer = anmeldungen.person_aus_sitzung(sitzung, _query_all("benutzer"), {}) if sitzung else None
        if wer is None:
            return None
    else:
        wer = rollen.ohne_anmeldung(nur_hier=_nur_hier())
    if importer.read_only() and wer.rolle != "betrachter":
        wer = dataclasses.replace(wer, rolle="betrachter")
    return wer


def _person_vor_upgrade() -> rollen.Person | None:
    """Who may bring an old database up to date: an older database has no role table yet, so the identity
    provider's groups of this sign-in decide (or, without [auth], the laptop rule of rollen.ohne_anmeldung)."""
    if freigabe.anmeldung_eingerichtet(secrets()):
        sitzung = _sitzung("oidc") if st.user.get("is_logged_in", False) else None
        if sitzung is None:
            return None
        wer = rollen.person_aus_claims(sitzung.claims, rollen.einstellungen(secrets().get("zugang")), None)
    else:
        wer = rollen.ohne_anmeldung(nur_hier=_nur_hier())
    return dataclasses.replace(wer, rolle="betrachter") if importer.read_only() else wer


def _weiterleiten(url: str) -> None:
    """Send the browser to url (the same message st.login uses to reach the identity provider)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        nachricht = ForwardMsg()
        nachricht.auth_redirect.url = url
        ctx.enqueue(nachricht)


def _hier_pfad() -> str:
    """The path of this page in the browser ('/' in AppTest), to come back to after signing in."""
    try:
        pfad = urlsplit(st.context.url or "").path
    except ValueError:
        pfad = ""
    return pfad if pfad.startswith("/") and not pfad.startswith("//") else "/"


def _lokal_anmelden(kennung: str, passwort: str) -> None:
    """Check a local sign-in (slowed after failures, every try recorded without the password); on success create
    the session and send the browser through the route that sets its cookie (oberflaeche.waechter)."""
    ablage = anmeldungen_ablage()
    kennung = (kennung or "").strip()
    adresse = _adresse()
    warten = ablage.wartezeit(kennung, adresse)
    if warten > 0:
        ablage.versuch("lokal", kennung, adresse, "gesperrt")
        minuten = max(1, int(warten // 60) + (1 if warten % 60 else 0))
        st.error(f"Zu viele Fehlversuche für diese Kennung oder von diesem Rechner: Bitte in "
                 f"{fmt.anzahl(minuten, 'Minute', 'Minuten')} erneut versuchen.")
        return
    try:
        wer = rollen.anmelden(rollen.eintrag(_query_all("benutzer"), kennung), kennung, passwort)
    except KeinZugriff as exc:
        ablage.versuch("lokal", kennung, adresse, "falsch")
        st.error(klartext.markdown(str(exc)))
        return
    ablage.versuch("lokal", wer.kennung, adresse, "erfolg")
    wert = ablage.anlegen("lokal", wer.kennung, name=wer.name)
    _weiterleiten(f"{waechter.ANMELDUNG_PFAD}?{urlencode({'ticket': ablage.ticket(wert), 'weiter': _hier_pfad()})}")
    st.success("Angemeldet – die Seite wird neu geladen …")


def _sign_in(art: str) -> None:
    """The sign-in screen: the identity provider's button or the local form. Stops the page."""
    st.info("Der Sozialmonitor zeigt Daten erst nach der Anmeldung.", icon=":material/lock:")
    if art == "oidc":
        st.button("Anmelden", type="primary", icon=":material/login:", on_click=st.login, key="zugang_login")
    else:
        with st.form("zugang_lokal"):
            kennung = st.text_input("Kennung", key="zugang_kennung")
            passwort = st.text_input("Passwort", type="password", key="zugang_passwort")
            if st.form_submit_button("Anmelden", type="primary"):
                _lokal_anmelden(kennung, passwort)
    st.stop()


def _sign_out() -> None:
    """Revoke this browser's session (a copy of its cookie is a stranger from now on), then let the browser drop
    the cookies: Streamlit's logout (and the provider's) or the guard's route."""
    wert = sitzungs_cookie()
    ablage = anmeldungen_ablage()
    sitzung = ablage.widerrufen(wert)
    if sitzung is not None:
        ablage.versuch(sitzung.art, sitzung.kennung, _adresse(), "abgemeldet")
    if anmeldung_art() == "oidc":
        st.logout()
    else:
        _weiterleiten(waechter.ABMELDUNG_PFAD)


def darf(aktion: str) -> bool:
    wer = person()
    return wer is not None and wer.darf(aktion)


def kein_zugriff(exc: KeinZugriff) -> None:
    st.error(klartext.markdown(str(exc)), icon=":material/block:")  # names the person (a provider's claim)


def nicht_gespeichert(exc: SozialmonitorFehler) -> None:
    """A refused edit on an editor page: every finding as a table, a refused right, or the German message."""
    if isinstance(exc, EingabeFehler):
        st.error("Nicht gespeichert – bitte korrigieren:")
        st.dataframe(importer.befunde_tabelle(exc.befunde), hide_index=True, width="stretch")
    elif isinstance(exc, KeinZugriff):
        kein_zugriff(exc)
    else:
        st.error(klartext.markdown(str(exc)))


STATIC_MAPS_DIR = PROJECT_ROOT / "static" / "karten"  # served at app/static/karten/ (server.enableStaticServing)


@st.cache_resource(max_entries=8, show_spinner="Grenzen werden geladen …")
def _map_geometry(ebene: str, path: str, version: tuple[int, int], sichtbar: frozenset | None,
                  _con: duckdb.DuckDBPyConnection) -> kartendaten.MapGeometry:
    shapes = queries.run_query(_con, "area_geometries", ebene=ebene)
    if sichtbar is not None:  # a person restricted to a Gemeinde or Sozialraum gets only its shapes
        shapes = shapes[shapes["gebiet"].isin(sichtbar)].reset_index(drop=True)
    geometry = kartendaten.map_geometry(shapes)
    url = f"app/static/{STATIC_MAPS_DIR.name}/"
    return dataclasses.replace(
        geometry, url=url + geometrie.publish_geojson(geometry.feature_collection_text(), STATIC_MAPS_DIR),
        label_url=url + geometrie.publish_geojson(geometry.label_collection(), STATIC_MAPS_DIR))


def static_files_served() -> bool:
    """The map component loads MapLibre and the boundaries as static files; without Streamlit's static file serving
    it says how to switch it on (German) and returns False."""
    if st.get_option("server.enableStaticServing"):
        return True
    st.error("Die Karte braucht die statische Dateiauslieferung von Streamlit: in .streamlit/config.toml unter "
             "[server] „enableStaticServing = true“ setzen und die App neu starten.")
    return False


def map_geometry(ebene: str) -> kartendaten.MapGeometry:
    """Shapes of a level, read and converted once per database version (never mutate the result). The GeoJSON and
    the label points go out as static files the browser loads once; a rerun then sends only the values."""
    current = stand()
    try:
        return _map_geometry(ebene, current.pfad, current.version, sichtbare_gebiete(), current.verbindung)
    except OSError as exc:  # static/karten missing and not creatable, full disk, read-only app folder
        st.error(f"Die Karte kann ihre Grenzen nicht im Ordner {klartext.markdown(str(STATIC_MAPS_DIR))} ablegen "
                 f"({betriebssystem_text(exc)}). "
                 "Bitte den Ordner anlegen und dem Dienstkonto der App Schreibrechte darauf geben; die Daten "
                 "sind davon nicht berührt.")
        st.stop()


def geodaten_quelle() -> str:
    """The attribution of the boundaries stored now (each boundary import's own, see einlesen.grenzen), for the
    sidebar, the maps and their PNG."""
    return grenzen.quellen_text(query("grenzen_quellen")) or "Noch keine Grenzen importiert."


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


def _lokale_benutzer() -> bool:
    """Local users with a password exist (zugang's local mode counts as sign-in for the network check)."""
    try:
        return anmeldung_art() == "lokal"
    except SozialmonitorFehler:  # the database cannot be read yet: page_frame says why right after
        return False


def freigabe_pruefen(lokale_benutzer: bool | None = None) -> None:
    """Stops the page with a German message if it would serve the network without sign-in: a non-loopback
    server.address (also when started as `streamlit run app.py` without server.py) or a request that does not come
    straight from this machine (freigabe.von_hier: any proxy header, a foreign Host or Origin). A browser served
    without the guard (`streamlit run app.py` instead of server.py) gets no data either (waechter.WAECHTER_FEHLT);
    AppTest (no HTTP request, no headers) runs the pages without it."""
    if _koepfe() and not waechter.eingebaut():
        st.error(klartext.markdown(waechter.WAECHTER_FEHLT), icon=":material/lock:")
        st.stop()
    try:
        freigabe.pruefe_freigabe(st.get_option("server.address"), secrets(),
                                 lokale_benutzer=_lokale_benutzer() if lokale_benutzer is None else lokale_benutzer,
                                 besuch_von_hier=freigabe.von_hier(_koepfe(), _client_ip()))
    except freigabe.NichtFreigegeben as refusal:
        st.error(klartext.markdown(str(refusal)), icon=":material/lock:")
        st.stop()


def fehler_anzeigen(exc: Exception) -> bool:
    """The error boundary (server.py's on_script_error): log the traceback under a Kennung, show the German message
    with that Kennung instead of Streamlit's exception box. Returns True (the default display is suppressed)."""
    kennung = fehler.fehler_protokollieren(exc, seite=st.context.url if st.context.url else None)
    st.error(klartext.markdown(fehler.meldung(exc, kennung)), icon=":material/error:")
    return True


# The browser tab's icons as files the app serves: Streamlit would fetch a ":material/…:" favicon from
# fonts.gstatic.com, and the app must not ask any other machine (it runs offline). Material Symbols Rounded 400,
# npm @material-symbols/svg-400 0.47.5, Apache-2.0 (static/vendor/material-symbols/LICENSE.txt).
ICONS_DIR = PROJECT_ROOT / "static" / "vendor" / "material-symbols"


def favicon(icon: str) -> str:
    """The local SVG file of a ":material/name:" icon (the app's icon if there is no such file); an emoji or a
    path is returned as it is (Streamlit draws an emoji favicon itself)."""
    match = re.fullmatch(r":material/(\w+):", icon)
    if not match:
        return icon
    path = ICONS_DIR / f"{match.group(1)}.svg"
    return str(path if path.exists() else ICONS_DIR / "analytics.svg")


def page_frame(title: str, icon: str = ":material/analytics:", aktion: str = "ansehen",
               ohne_daten: bool = False) -> rollen.Person:
    """set_page_config, sign-in, title and the notices every page carries; returns the person using the page.
    Stops the page with the sign-in screen when nobody is signed in, with a German message when the person may not
    do aktion (rollen.AKTIONEN; also when the page is opened by its URL), when it would serve the network without
    sign-in, or when the database cannot be opened (never a traceback). Pins this run's Stand (its first query).
    ohne_daten: a page that shows no data (the Erklärung zur Barrierefreiheit) stays open to a person restricted to
    an area that no longer exists – with the explanation, without the data status of the sidebar."""
    st.set_page_config(page_title=f"{title} – Sozialmonitor", page_icon=favicon(icon), layout="wide")
    deutsch()  # lang="de", German names for Streamlit's own controls, readable captions (BITV)
    freigabe_pruefen()
    try:
        art = anmeldung_art()
        wer = person()
    except VeralteteDatenbank as exc:
        if title:
            st.title(title)
        st.error(klartext.markdown(str(exc)))
        wer = _person_vor_upgrade()
        if wer is not None and wer.darf("datenbank_aktualisieren") and st.button(
                "Datenbank jetzt auf den neuen Stand bringen", type="primary", icon=":material/upgrade:"):
            try:
                importer.upgrade(database_path(), person=wer)
            except SozialmonitorFehler as failed:
                st.error(klartext.markdown(str(failed)))
                st.stop()
            st.rerun()
        st.stop()
    except SozialmonitorFehler as exc:
        if title:
            st.title(title)
        st.error(klartext.markdown(str(exc)))
        st.stop()
    if wer is None:
        st.title("Sozialmonitor – Anmeldung")
        _sign_in(art)
    with st.sidebar:
        for path, label, link_icon, needed in NAVIGATION:
            if wer.darf(needed):
                st.page_link(path, label=label, icon=link_icon)
        st.caption(klartext.markdown(f"{wer.name} · {wer.rollenname}" + (f" · nur {wer.gebiet}" if wer.gebiet else "")))
        if art != "ohne":
            st.button("Abmelden", icon=":material/logout:", on_click=_sign_out, key="zugang_logout")
        elif wer.rolle == "betrachter" and not importer.read_only():
            st.caption("Nur Lesen: Ohne Anmeldung importiert nur, wer die App auf diesem Rechner nur für sich "
                       "startet (erreichbar nur hier, nicht im Netz) und hier im Browser öffnet.")
    if title:  # presentation mode: each view brings its own heading
        st.title(title)
    if not wer.darf(aktion):
        try:
            rollen.pruefe(wer, aktion)
        except KeinZugriff as exc:
            kein_zugriff(exc)
        if importer.read_only():
            st.info("Die App ist schreibgeschützt: alle sind Betrachter. Neue Daten übernimmt, wer die App "
                    "betreut.")
        st.stop()
    if wer.gebiet and rollen.gebiet_entfallen(wer.gebiet, _query_all("gebiete_mit_sozialraum")):
        # restricted to an area a membership import removed: nothing to see (sichtbare_gebiete is empty), and why
        st.error(klartext.markdown(rollen.entfallen_text(wer.gebiet, _query_all("gebiet_entfallen",
                                                                                 gebiet=wer.gebiet))),
                 icon=":material/block:")
        if not ohne_daten:
            st.stop()
        return wer
    if wer.darf("importieren"):
        abgebrochen = arbeitskopie.abgebrochene_importe(database_path())
        if abgebrochen:
            st.warning(f"Ein Import ist am {abgebrochen[-1]:%d.%m.%Y um %H:%M} Uhr abgebrochen, bevor er übernommen "
                       "war (der Prozess wurde beendet). Nichts davon steht in den Daten; bitte die Datei erneut "
                       "importieren. Die Reste räumt der nächste Import weg.", icon=":material/warning:")
    status = query("data_status")
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
        st.caption(klartext.markdown(geodaten_quelle()))  # an attribution typed at import is user text
    return wer


# ---------------------------------------------------------------- the goals as they stood on a date

@st.cache_resource(max_entries=4, show_spinner="Stand wird hergestellt …")
def _stand_connection(path: str, version: tuple[int, int], stichtag: date):
    return datenbank_am(Path(path), datetime.combine(stichtag, time.max))


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _cached_stand_query(name: str, version: tuple[int, int], stichtag: date, params: tuple) -> pd.DataFrame:
    con = _stand_connection(str(database_path()), version, stichtag)
    return queries.run_query(con, name, **dict(params))


def query_am(stichtag: date | None):
    """A query function like `query`, on the database as it stood at the end of stichtag (None or today: now).
    Earlier versions only for those who may see them (geheimhaltung.fruehere_fassungen_erlaubt: two versions side by
    side could give away a value hidden in both); everyone else gets the current version."""
    if stichtag is None or stichtag >= date.today() or not geheimhaltung.fruehere_fassungen_erlaubt(person()):
        return _query_all
    version = database_version()
    return lambda name, **params: _cached_stand_query(name, version, stichtag, tuple(sorted(params.items())))


def ziel_unterlagen(stichtag: date | None = None, niveau: float = 0.95) -> Unterlagen:
    """The goal evaluation (unterlagen.collect) as it stood at stichtag, evaluated on every area and then narrowed
    to what the person may see: the rows of their areas, the Kreis and coverage counts (published aggregates)."""
    if stichtag is not None and not geheimhaltung.fruehere_fassungen_erlaubt(person()):
        stichtag = None  # a Betrachter sees the current version only (query_am)
    heute = None if stichtag is None or stichtag >= date.today() else stichtag
    unterlagen = collect(query_am(stichtag), heute, niveau=niveau)
    wer = person()
    if wer is None or not wer.gebiet or unterlagen.katalog.empty:
        return unterlagen
    bewertung = unterlagen.bewertung
    bewertung = pd.concat([beschraenken(bewertung[bewertung["ebene"].ne("abdeckung")], wer),
                           bewertung[bewertung["ebene"].eq("abdeckung")]]).sort_index()
    return dataclasses.replace(unterlagen, jahreswerte=beschraenken(unterlagen.jahreswerte, wer),
                               bewertung=bewertung, uebersicht=auswertung.overview(unterlagen.katalog, bewertung))
