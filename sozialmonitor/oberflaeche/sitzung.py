"""Streamlit parts shared by the Steckbrief page and presentation mode (a second UI module beside seite.py, because seite.py
is the frame every page shares; the logic stays in steckbrief.py, praesentation.py and ausgabe/).

Everything read comes from seite.query / seite.map_geometry / seite.stand (the database version pinned for the page run);
the caches here are keyed by that Stand's path and version."""


import dataclasses
import re
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sozialmonitor import ausgabe, fmt
from sozialmonitor.ausgabe import diagramme, foliensatz, praesentation, steckbrief
from sozialmonitor.ausgabe.unterlagen import Unterlagen, gebietstabelle
from sozialmonitor.errors import SozialmonitorFehler
from sozialmonitor.karten import kartendaten
from sozialmonitor.klartext import markdown as text
from sozialmonitor.oberflaeche import seite, sozialindex
from sozialmonitor.oberflaeche.komponenten.karte import karte
from sozialmonitor.sozialindex import karte as indexkarte
from sozialmonitor.sozialindex import texte as sozialindex_texte
from sozialmonitor.statistik.bewertung import with_dates
from sozialmonitor.ziele import auswertung

STECKBRIEF_PAGE = "pages/5_Steckbrief.py"
PRAESENTATION_PAGE = "pages/6_Praesentation.py"

# Presentation mode: no sidebar, no Streamlit toolbar, and type for a room (the CSS only restyles; no user text in
# it). At 1920×1080 every text is at least 24 px (WCAG-independent rule of thumb for a projector seen from the back
# row: tests/e2e/test_praesentation_raum.py measures it): text, tables (HTML tables in presentation mode, see
# tabelle), badges, captions, the pager, the map's legend and names; charts get 24 px fonts in Python.
SCHRIFT_RAUM = 24  # px
KARTENPLATZ = "praes_kartenplatz"  # the container of the one status map (see praesentationskarte)
PRAESENTATION_CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stToolbar"], [data-testid="stHeader"], [data-testid="stDecoration"] {{ display: none !important; }}
[data-testid="stMainBlockContainer"] {{ padding: 0.4rem 2rem 0.2rem 2rem; max-width: 100%; }}
[data-testid="stMain"] [data-testid="stVerticalBlock"] {{ gap: 0.55rem; }}
[data-testid="stMain"] {{ font-size: {SCHRIFT_RAUM}px; }}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] span, [data-testid="stMain"] td,
[data-testid="stMain"] th, [data-testid="stMain"] caption, [data-testid="stMain"] div,
[data-testid="stMain"] [data-testid="stCaptionContainer"] p, [data-testid="stMain"] [data-testid="stText"],
[data-testid="stMain"] .sm-blaettern, [data-testid="stMain"] .sm-blaettern-knopf,
[data-testid="stMain"] .sm-karte-legende, [data-testid="stMain"] .sm-karte-legende .sm-titel,
[data-testid="stMain"] .sm-karte-tabelle summary, [data-testid="stMain"] .sm-karte-tooltip,
[data-testid="stMain"] .sm-karte-namen .sm-name, [data-testid="stMain"] .maplibregl-ctrl-attrib,
[data-testid="stMain"] .sm-bild-knopf {{ font-size: {SCHRIFT_RAUM}px !important; line-height: 1.3; }}
[data-testid="stMain"] h1, [data-testid="stMain"] h1 * {{ font-size: 44px !important; }}
[data-testid="stMain"] h2 *, [data-testid="stMain"] h3 *, [data-testid="stMain"] h4 *, [data-testid="stMain"] h5 * {{
  font-size: inherit !important; }}
[data-testid="stMain"] h2 {{ font-size: 38px !important; padding: 0.2rem 0; }}
[data-testid="stMain"] h3, [data-testid="stMain"] h4, [data-testid="stMain"] h5 {{ font-size: 30px !important; }}
[data-testid="stMain"] table {{ width: 100%; table-layout: auto; }}
[data-testid="stMain"] td, [data-testid="stMain"] th {{ white-space: normal !important; overflow-wrap: break-word;
  padding: 0.15rem 0.4rem !important; }}
[data-testid="stMain"] [data-testid="stTable"] {{ overflow: visible; }}
[data-testid="stMain"] .sm-karte-namen .sm-name {{ font-weight: 600; }}
/* zoom and PNG are for the desk: a map in the room shows areas, names and legend only */
[data-testid="stMain"] .maplibregl-ctrl-top-left, [data-testid="stMain"] .maplibregl-ctrl-top-right {{
  display: none !important; }}
/* the Steckbrief's locator map stays small beside the chart */
.st-key-praes_steckbrief_karte .sm-karte-flaeche {{ height: 230px !important; }}
/* the Sozialindex' type map fits beside its legend */
.st-key-praes_sozialindex_karte .sm-karte-flaeche {{ height: calc(100vh - 640px) !important; min-height: 300px; }}
/* the status map fills the screen below its heading */
.st-key-{KARTENPLATZ} .sm-karte-flaeche {{ height: calc(100vh - 520px) !important; min-height: 380px; }}
</style>
"""


def praesentation_aktiv() -> bool:
    """?praesentation=1 in the address."""
    return st.query_params.get("praesentation") == "1"


def tabelle(daten, html: bool = False, **dataframe_args) -> None:
    """A table: in presentation mode (or with html=True) a real HTML table (st.table: large type in a room, wrapped
    cells – no cut column at any width, nothing to scroll sideways; screen readers read it as a table), else the
    interactive st.dataframe. daten: a DataFrame or a Styler (status colours). html=True is for the short tables a
    planner reads whole (the targets of the agreement, one target's areas), where a cut column hid the verdict."""
    if html or praesentation_aktiv():
        styler = daten if hasattr(daten, "hide") and hasattr(daten, "data") else daten.style
        # st.table renders its cells as Markdown: area names and titles are user text (klartext); a number and
        # its unit never split across lines ('10,5' / '%')
        st.table(styler.hide(axis="index").format(
            lambda v: ZAHL_EINHEIT.sub("\u00a0", text(v)) if isinstance(v, str) else v))
    else:
        st.dataframe(daten, hide_index=True, width="stretch", **dataframe_args)


ZAHL_EINHEIT = re.compile(r"(?<=\d) (?=%|‰|Pp\.)")
# The columns of a target's table a room reads (the rest stays on the page Zielerreichung and in the documents).
RAUM_SPALTEN = ("Gebiet", "Wert", "Status", "Statistisch")


def praesentation_stil() -> None:
    st.html(PRAESENTATION_CSS)


def praesentation_schalter(key: str) -> None:
    """The sidebar switch: on → the presentation page in presentation mode, starting with this page's view."""
    def einschalten() -> None:
        if st.session_state[key]:
            st.session_state[key] = False
            params = {"praesentation": "1"}
            if st.query_params.get("gebiet"):
                params["folie"] = praesentation.steckbrief_folie(st.query_params["gebiet"])
            st.query_params.from_dict(params)
            st.session_state["_praesentation_wechsel"] = params
    st.toggle("Präsentationsmodus", key=key, on_change=einschalten,
              help="Ohne Seitenleiste und Bedienelemente, große Schrift; blättern mit den Pfeiltasten, Esc beendet.")
    if st.session_state.pop("_praesentation_wechsel", None) is not None:
        st.switch_page(PRAESENTATION_PAGE, query_params=dict(st.query_params))


@dataclasses.dataclass(frozen=True)
class Sitzung:
    """What presentation mode shows, evaluated once per database version, visible areas and day (never mutate):
    the goal evaluation exactly as the goal page has it (seite.ziel_unterlagen: every area evaluated, then narrowed
    to what the person may see), the targets with their dates, the areas with a Steckbrief and the sequence of
    views."""

    unterlagen: Unterlagen
    katalog: pd.DataFrame
    gebiete: pd.DataFrame
    folien: tuple[praesentation.Folie, ...]


def _schluessel() -> tuple:
    """The cache key of everything derived from this run's data: database file, version, the areas the person may
    see (a restricted person must never get rows cached for another one) and the day (deadlines pass)."""
    current = seite.stand()
    return current.pfad, current.version, seite.sichtbare_gebiete(), date.today()


@st.cache_resource(max_entries=8, show_spinner=False)
def _sitzung(pfad: str, version: tuple[int, int], sichtbar: frozenset | None, heute: date) -> Sitzung:
    unterlagen = seite.ziel_unterlagen()
    katalog = with_dates(unterlagen.katalog) if not unterlagen.katalog.empty else unterlagen.katalog
    uebersicht = unterlagen.uebersicht if not katalog.empty else katalog.assign(titel=[])
    gebiete = seite.query("steckbrief_gebiete")
    return Sitzung(unterlagen, katalog, gebiete,
                   tuple(praesentation.folien(uebersicht, gebiete, sozialindex.folien())))


def sitzung() -> Sitzung:
    """The evaluated goals and the sequence of views of this run's data (cached, see Sitzung)."""
    return _sitzung(*_schluessel())


def evaluation() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The targets (with dates) and their evaluation, once per database version."""
    return sitzung().katalog, sitzung().unterlagen.bewertung


@st.cache_resource(max_entries=64, show_spinner=False)
def _profile(gebiet: str, pfad: str, version: tuple[int, int], sichtbar: frozenset | None,
             heute: date) -> steckbrief.Steckbrief:
    katalog, bewertung = evaluation()
    profil = steckbrief.profile(gebiet, seite.query("steckbrief_werte", gebiet=gebiet), seite.query("map_indicators"),
                                bewertung, katalog)
    return dataclasses.replace(steckbrief.mit_ring(profil, sozialindex.ring()),
                               sozialindex=sozialindex.steckbrief_zeilen(gebiet))


def profile(gebiet: str) -> steckbrief.Steckbrief:
    """The Steckbrief of an area, once per database version (never mutate the result)."""
    return _profile(gebiet, *_schluessel())


@st.cache_resource(max_entries=64, show_spinner=False)
def _spine(gebiet: str, gross: bool, pfad: str, version: tuple[int, int], sichtbar: frozenset | None, heute: date):
    """The spine chart of an area, built once per database version (never mutate the result). In presentation
    mode (gross) the counts without a judgement are left out of the chart – they stand under 'Bevölkerung' – so the
    chart fits the screen in large type."""
    profil = profile(gebiet)
    if gross:
        profil = dataclasses.replace(profil, zeilen=profil.zeilen[profil.zeilen["polaritaet"].ne("neutral")])
    figur = steckbrief.figure(profil, font_size=SCHRIFT_RAUM if gross else 13)
    if gross and figur.layout.height and figur.layout.height > 660:  # the view fits 1080 px: rows closer together
        figur.update_layout(height=660)
    return figur


def spine(gebiet: str, gross: bool):
    return _spine(gebiet, gross, *_schluessel())


@st.cache_resource(max_entries=64, show_spinner=False)
def _ziel_ansicht(ziel_id: str, pfad: str, version: tuple[int, int], sichtbar: frozenset | None, heute: date):
    """A target's row of the overview, its table of areas and its trend chart (never mutate them; the table is
    styled per run: a Styler is computed in place and would be shared between sessions)."""
    unterlagen = sitzung().unterlagen
    uebersicht = unterlagen.uebersicht
    ziel = next(uebersicht[uebersicht["id"] == ziel_id].itertuples(index=False))
    namen = diagramme.trend_areas(ziel, unterlagen.bewertung)
    figur = diagramme.trend_chart(ziel, unterlagen.jahreswerte, unterlagen.bewertung,
                               diagramme.default_trend_areas(ziel, namen))
    return ziel, gebietstabelle(ziel, unterlagen.bewertung), figur


def _ziel(ziel_id: str):
    return _ziel_ansicht(ziel_id, *_schluessel())


@st.cache_resource(max_entries=64, show_spinner=False)
def _karten_ebene(ziel_id: str, pfad: str, version: tuple[int, int], sichtbar: frozenset | None,
                  heute: date) -> str | None:
    mit_grenzen = seite.query("ziel_gebiete_geometrien", ziel=ziel_id)
    return None if mit_grenzen.empty else str(mit_grenzen["ebene"].mode()[0])


@st.cache_resource(max_entries=64, show_spinner=False)
def _karten_daten(ziel_id: str, ebene: str, pfad: str, version: tuple[int, int], sichtbar: frozenset | None,
                  heute: date, _geometry: kartendaten.MapGeometry) -> dict:
    ziel, _, _ = _ziel(ziel_id)
    return diagramme.status_map_data(_geometry, diagramme.zielstatus(ziel, sitzung().unterlagen.bewertung))


def ziel_karte(ziel_id: str) -> tuple[kartendaten.MapGeometry, dict] | None:
    """The geometry and the map component's data of a target's status map (None: the target has no areas with
    boundaries), computed once per database version."""
    ebene = _karten_ebene(ziel_id, *_schluessel())
    if ebene is None:
        return None
    geometry = seite.map_geometry(ebene)
    return geometry, _karten_daten(ziel_id, ebene, *_schluessel(), _geometry=geometry)


def vorbereiten(folie, gross: bool) -> None:
    """Fill the caches of a view before it is asked for (a Steckbrief's profile takes ~0,3 s the first time), so
    the next step of a presentation only draws."""
    if folie.art == "steckbrief":
        spine(folie.bezug, gross)
    elif folie.art in ("ziel", "karte"):
        _ziel(folie.bezug)
        if folie.art == "karte":
            ziel_karte(folie.bezug)


def sozialindex_zeigen(ident: str, key: str = "praes_sozialindex") -> None:
    """A Sozialindex in presentation mode: the type map with its 4 × 3 legend and the areas that need attention,
    changed class or are uncertain (sozialindex.texte.aufmerksamkeit_texte)."""
    ergebnis = sozialindex.ergebnis_von(ident)
    if isinstance(ergebnis, str):
        st.warning(text(ergebnis))
        return
    st.header(text(f"{ergebnis.definition.name}, {ergebnis.jahr}"))
    left, right = st.columns([5, 2], gap="medium")
    with left:
        if seite.static_files_served():
            geometry = seite.map_geometry(ergebnis.definition.ebene)
            karte(geometry, indexkarte.karten_daten(geometry, ergebnis, "typ"), attribution=seite.geodaten_quelle(),
                  show_names=True, map_style="white-bg", key=f"{key}_karte", on_click=lambda: None,
                  image_title=f"{ergebnis.definition.name}: Typ, {ergebnis.jahr}",
                  image_file=f"sozialindex_{ident}_typ_{ergebnis.jahr}.png", image_note=seite.demo_note())
    with right:
        st.plotly_chart(indexkarte.legende_figur(ergebnis, schrift=24), config={"displaylogo": False,
                                                                                "staticPlot": True},
                        key=f"{key}_legende")
    # the three lists side by side under map and legend: stacked beside the legend they ran ~150 px below the
    # screen at 1920 × 1080 (issue 20)
    saetze = sozialindex_texte.aufmerksamkeit_texte(ergebnis)
    for spalte, (titel, schluessel) in zip(st.columns(3, gap="medium"), (
            ("Besonderer Aufmerksamkeitsbedarf", "aufmerksamkeit"),
            (f"Statusklasse geändert seit {ergebnis.jahr - 1}", "geaendert"), ("Klasse unsicher", "unsicher"))):
        with spalte:
            st.markdown(f"##### {text(titel)}")
            st.text("\n".join(saetze[schluessel]) or "kein Gebiet")


def steckbrief_zeigen(gebiet: str, *, gross: bool = False, key: str = "steckbrief",
                      teil: str = "alles") -> steckbrief.Steckbrief:
    """One area's Steckbrief: population, spine chart with sparklines, table, goal verdicts, locator map.
    teil: 'alles' (the page), or in presentation mode one of its two views that each fit a screen: 'bild' (chart,
    location, population) and 'ziele' (goal verdicts, Sozialindex and the notes)."""
    profil = profile(gebiet)
    art = "Sozialraum" if profil.ebene == "sozialraum" else "Gemeinde"
    if teil == "ziele":
        st.header(f"Steckbrief: {text(profil.kurzname)} – Ziele und Hinweise")
    else:
        st.header(f"Steckbrief: {text(profil.kurzname)}" if gross else f"{text(profil.kurzname)} ({art})")
        st.caption(f"{art} im {text(profil.kreis_name)} · jeweils der letzte Jahreswert")
        left, right = st.columns([5, 2], gap="medium")
        with right:
            st.markdown("##### Lage im Kreis")
            if seite.static_files_served():
                geometry = seite.map_geometry(profil.ebene)
                karte(geometry, steckbrief.locator_map_data(geometry, gebiet), attribution=seite.geodaten_quelle(),
                      show_names=True, map_style="white-bg", key=f"{key}_karte", on_click=lambda: None,
                      image_title=f"Lage: {profil.kurzname}", image_file=f"lage_{gebiet}.png",
                      image_note=seite.demo_note(), auswahl_zuerst=True)
            st.markdown("##### Bevölkerung")
            for line in profil.bevoelkerung():
                st.text(line)
            # the Sozialindex lines (with the Vergleichsring, several lines each in this narrow column) stand under
            # the table: here they made this column 300 px longer than the chart's and left an empty block
        with left:
            st.plotly_chart(spine(gebiet, gross), key=f"{key}_spine",
                            config={"displaylogo": False, "locale": "de", "staticPlot": gross})
        if not gross:
            # an HTML table with wrapped cells: its eleven columns are read whole at 1400 px (the interactive table
            # cut three of them even at 1920 px, issue 20); the course of each value is the spine chart above and
            # the column "Trend (5 Jahre)"
            tabelle(steckbrief.table(profil), html=True)
        if profil.sozialindex and teil == "alles":
            _sozialindex_zeilen(profil)
        if teil == "bild":
            st.caption(text(seite.geodaten_quelle()))  # goals and notes: the next view
            return profil
    notes = []
    if belastbar := kartendaten.belastbarkeit_hinweis(profil.zeilen):
        notes.append(f"● = {belastbar}")
    notes.append(steckbrief.LEGENDE)
    if legende := steckbrief.kennzeichen_legende(profil):
        notes.append(legende)
    notes.append(seite.geodaten_quelle())
    if teil == "alles":
        st.caption(" · ".join(notes))
    st.markdown("##### Ziele")
    st.caption("Der Stand dieses Gebiets – das Urteil über das ganze Ziel (etwa für den Kreis) steht auf der Seite "
               "„Zielerreichung“ und kann anders lauten.")
    if profil.ziele.empty:
        st.info("Für dieses Gebiet gibt es kein Ziel der Zielvereinbarung.")
    else:
        tabelle(diagramme.style_status(profil.ziele.drop(columns=["ziel", "status", "kennzeichen"])), html=True)
    if teil == "ziele":
        if profil.sozialindex:
            _sozialindex_zeilen(profil)
        st.caption(" · ".join(notes))
    return profil


def _sozialindex_zeilen(profil: steckbrief.Steckbrief) -> None:
    st.markdown("##### Sozialindex")
    for line in profil.sozialindex:
        st.text(line)


def uebersicht_zeigen() -> None:
    unterlagen = sitzung().unterlagen
    st.header("Stand der Ziele")
    if unterlagen.katalog.empty:
        st.info("Noch keine Ziele importiert.")
        return
    st.subheader(auswertung.summary_text(unterlagen.uebersicht["status"], unterlagen.uebersicht["spaeter_erreicht"]))
    tabelle(diagramme.style_status(auswertung.status_table(unterlagen.uebersicht)),
            column_config={"Ziel": st.column_config.TextColumn(width="large")})


def ziel_zeigen(ziel_id: str) -> None:
    ziel, ziel_tabelle, figur = _ziel(ziel_id)
    st.header(text(ziel.titel))
    st.badge(f"{auswertung.status_label(ziel.status)} – {text(ziel.gebiet_name)}",
             color=auswertung.STATUS[ziel.status].badge)
    st.text(f"Zielvorgabe: {auswertung.comparison_text(ziel)} · Frist: {fmt.datum(ziel.frist)} · "
            f"Basisjahr: {ziel.basisjahr}")
    raum = praesentation_aktiv()
    left, right = st.columns([11, 9] if raum else [3, 2], gap="medium")
    with left:
        tabelle(diagramme.style_status(ziel_tabelle[[c for c in ziel_tabelle.columns
                                                     if c in RAUM_SPALTEN or c.startswith("Prognose")]]
                                        if raum else ziel_tabelle))
    with right:
        if raum:
            figur = diagramme.fuer_raum(figur, SCHRIFT_RAUM, hoehe=620)
        st.plotly_chart(figur, config={"staticPlot": True, "locale": "de"}, key=f"praes_verlauf_{ziel_id}")


# Presentation mode keeps one status map on the page across all views (its container stays where it is, hidden
# when the view is no map): a map view then only recolours it – as the Karte page does – instead of building a new
# MapLibre map and loading the boundaries again each time.
# Hidden, it keeps its width (the map keeps its size and stays drawn); a flex item would not shrink below its
# content without min-height 0; the negative margin takes back the gap before it.
KARTE_VERBERGEN = (f"<style>.st-key-{KARTENPLATZ} {{ height: 0; min-height: 0; max-height: 0; overflow: hidden; "
                   "margin-top: -1rem; }</style><span class=\"sm-karte-verborgen\"></span>")


def ziel_karte_kopf(ziel_id: str) -> None:
    """The heading of a target's map view (the map itself is the page's one status map, see praesentationskarte)."""
    ziel, _, _ = _ziel(ziel_id)
    st.header(f"{text(ziel.titel)}: Karte")
    if ziel_karte(ziel_id) is None:
        st.info("Dieses Ziel umfasst keine Gebiete mit Grenzen (Sozialräume oder Gemeinden).")


def praesentationskarte(ziel_id: str | None) -> bool:
    """The one status map of presentation mode, showing target ziel_id (the map view's own, or the nearest map
    view's while another view is on screen, so the next map view has it drawn already). Returns whether a map
    was drawn. Call it in the container KARTENPLATZ, at the same place in every view."""
    daten = ziel_karte(ziel_id) if ziel_id and seite.static_files_served() else None
    if daten is None:
        return False
    ziel, _, _ = _ziel(ziel_id)
    geometry, data = daten
    karte(geometry, data, attribution=seite.geodaten_quelle(), show_names=True, map_style="white-bg", key="praes_karte",
          on_click=lambda: None, image_title=f"{ziel.titel}: Zielstatus je Gebiet",
          image_file=f"zielstatus_{ziel_id}.png", image_note=seite.demo_note())
    return True


VORLADEN = "praes_vorladen"
_VORLADEN_STIL = f"<style>.st-key-{VORLADEN} {{ display: none; }}</style><span></span>"


def plotly_vorladen() -> None:
    """An empty chart that is never shown: the browser loads Plotly's script (several MB, a second or two on a
    busy laptop) when the presentation opens, not on the first step to a target's trend chart. Call it at the
    same place in every view (the element then stays and costs nothing further)."""
    with st.container(key=VORLADEN):
        st.html(_VORLADEN_STIL)
        st.plotly_chart(go.Figure(), config={"staticPlot": True}, key=f"{VORLADEN}_diagramm")


def karte_verbergen() -> None:
    """Hide the status map's container for a view that is no map (it stays on the page, drawn)."""
    st.html(KARTE_VERBERGEN)


def karte_hinweis(ziel_id: str) -> str:
    """The caption of a target's map view: what the colours show and, per area, why a difference is not
    'gesichert' (diagramme.zielkarte_hinweis, the same sentence as on the goal page)."""
    ziel, _, _ = _ziel(ziel_id)
    return diagramme.zielkarte_hinweis(diagramme.zielstatus(ziel, sitzung().unterlagen.bewertung))


def foliensatz_mit_steckbriefen(unterlagen: Unterlagen, fortschritt) -> bytes:
    """The deck plus one slide per Sozialraum (per Gemeinde where there are none)."""
    fortschritt(0.1, "Steckbriefe werden zusammengestellt …")
    gebiete = seite.query("steckbrief_gebiete")
    ebene = "sozialraum" if gebiete["ebene"].eq("sozialraum").any() else "gemeinde"
    codes = list(gebiete.loc[gebiete["ebene"].eq(ebene), "gebiet"])[:30]
    folien = ausgabe.steckbrief_folien(seite.query, codes, unterlagen)
    fortschritt(0.3, "Folien und Bilder werden erstellt …")
    data = foliensatz.build_pptx(unterlagen, steckbriefe=folien).data
    fortschritt(1.0, "fertig")
    return data


def export_knopf(label: str, key: str, build, file_name: str, mime: str, *, help: str | None = None) -> None:
    """A button that builds a document with a progress bar (build(fortschritt) → bytes; fortschritt(anteil, text)),
    then offers it for download; the built file stays in the session until the data changes."""
    stored = st.session_state.get(key)
    if stored and stored[0] == seite.database_version():
        st.download_button(f"{label} herunterladen", stored[1], file_name=file_name, mime=mime, on_click="ignore",
                           icon=":material/download:", key=f"{key}_laden")
        return
    # one slot: the built file's download button takes the place of the build button (both side by side read as two
    # documents, issue 20, BEFUNDE #26)
    platz = st.empty()
    if platz.button(label, key=f"{key}_bauen", help=help, icon=":material/description:"):
        bar = st.progress(0.0, text=f"{label}: wird erstellt …")

        def fortschritt(anteil: float, text: str) -> None:
            bar.progress(min(1.0, max(0.0, anteil)), text=f"{label}: {text}")
        try:
            data = build(fortschritt)
        except SozialmonitorFehler as exc:  # e.g. the planner's rules file is wrong: German text, no traceback
            bar.empty()
            st.error(f"{label} ließ sich nicht erstellen: {text(str(exc))}")
            return
        bar.empty()
        st.session_state[key] = (seite.database_version(), data)
        platz.download_button(f"{label} herunterladen", data, file_name=file_name, mime=mime, on_click="ignore",
                              icon=":material/download:", key=f"{key}_laden")


