"""Streamlit parts shared by the Steckbrief page and presentation mode (a second UI module beside ui.py, because ui.py
is the frame every page shares; the logic stays in steckbrief.py, praesentation.py and ausgabe/).

Everything read comes from ui.query / ui.map_geometry / ui.stand (the database version pinned for the page run);
the caches here are keyed by that Stand's path and version."""


import dataclasses

import pandas as pd
import streamlit as st

from sozialmonitor import ausgabe, bericht, charts, fmt, maps, praesentation, steckbrief, targets, ui
from sozialmonitor.errors import SozialmonitorFehler
from sozialmonitor.klartext import markdown as text
from sozialmonitor.komponenten.karte import karte

STECKBRIEF_PAGE = "pages/5_Steckbrief.py"
PRAESENTATION_PAGE = "pages/6_Praesentation.py"

# Presentation mode: no sidebar, no Streamlit toolbar, larger type (the CSS only restyles; no user text in it).
PRAESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stToolbar"], [data-testid="stHeader"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; max-width: 100%; }
[data-testid="stMain"] { font-size: 1.35rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.35rem; }
[data-testid="stMain"] h1 { font-size: 2.8rem; }
[data-testid="stMain"] h2 { font-size: 2.2rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.05rem; }
</style>
"""


def praesentation_aktiv() -> bool:
    """?praesentation=1 in the address."""
    return st.query_params.get("praesentation") == "1"


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


@st.cache_data(ttl=3600, max_entries=8, show_spinner=False)
def _evaluation(pfad: str, version: tuple[int, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    katalog = ui.query("ziele_katalog")
    bewertung = targets.evaluate(katalog, ui.query("ziel_jahreswerte"))
    return targets._with_dates(katalog) if not katalog.empty else katalog, bewertung


def evaluation() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The targets (with dates) and their evaluation, once per database version."""
    return _evaluation(ui.stand().pfad, ui.stand().version)


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _profile(gebiet: str, pfad: str, version: tuple[int, int]) -> steckbrief.Steckbrief:
    katalog, bewertung = evaluation()
    return steckbrief.profile(gebiet, ui.query("steckbrief_werte", gebiet=gebiet), ui.query("map_indicators"),
                              bewertung, katalog)


def profile(gebiet: str) -> steckbrief.Steckbrief:
    return _profile(gebiet, ui.stand().pfad, ui.stand().version)


@st.cache_resource(max_entries=64, show_spinner=False)
def _spine(gebiet: str, gross: bool, pfad: str, version: tuple[int, int]):
    """The spine chart of an area, built once per database version (never mutate the result). In presentation
    mode (gross) the counts without a judgement are left out of the chart – they stand under 'Bevölkerung' – so the
    chart fits the screen in large type."""
    profil = profile(gebiet)
    if gross:
        profil = dataclasses.replace(profil, zeilen=profil.zeilen[profil.zeilen["polaritaet"].ne("neutral")])
    return steckbrief.figure(profil, font_size=16 if gross else 13)


def vorbereiten(folie, gross: bool) -> None:
    """Fill the caches of a view before it is asked for (a Steckbrief's profile takes ~0,3 s the first time), so
    the next step of a presentation only draws."""
    if folie.art == "steckbrief":
        _spine(folie.bezug, gross, ui.stand().pfad, ui.stand().version)


def steckbrief_zeigen(gebiet: str, *, gross: bool = False, key: str = "steckbrief") -> steckbrief.Steckbrief:
    """One area's Steckbrief: population, spine chart with sparklines, table, goal verdicts, locator map."""
    profil = profile(gebiet)
    art = "Sozialraum" if profil.ebene == "sozialraum" else "Gemeinde"
    st.header(f"Steckbrief: {text(profil.kurzname)}" if gross else f"{text(profil.kurzname)} ({art})")
    st.caption(f"{art} im {text(profil.kreis_name)} · jeweils der letzte Jahreswert")
    left, right = st.columns([5, 2], gap="medium")
    with right:
        st.markdown("##### Lage im Kreis")
        if ui.static_files_served():
            geometry = ui.map_geometry(profil.ebene)
            karte(geometry, steckbrief.locator_map_data(geometry, gebiet), attribution=ui.geodaten_quelle(),
                  show_names=True, map_style="white-bg", key=f"{key}_karte", on_click=lambda: None,
                  image_title=f"Lage: {profil.kurzname}", image_file=f"lage_{gebiet}.png",
                  image_note=ui.demo_note())
        st.markdown("##### Bevölkerung")
        for line in profil.bevoelkerung():
            st.text(line)
    with left:
        st.plotly_chart(_spine(gebiet, gross, ui.stand().pfad, ui.stand().version), key=f"{key}_spine",
                        config={"displaylogo": False, "locale": "de", "staticPlot": gross})
    if not gross:
        table = steckbrief.table(profil)
        verlauf = {r: list(profil.verlauf[(profil.verlauf["indikator"] == r) & (profil.verlauf["rolle"] == "gebiet")]
                            .sort_values("zeitraum")["wert"]) for r in profil.zeilen["indikator"]}
        table.insert(3, "Verlauf", [verlauf[r] for r in profil.zeilen["indikator"]])
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={"Verlauf": st.column_config.LineChartColumn("Verlauf", width="small"),
                                    "Indikator": st.column_config.TextColumn(width="medium")})
    notes = []
    if profil.zeilen["unsicher"].any():
        notes.append(f"● = {maps.NICHT_BELASTBAR}: die Quote beruht auf weniger Fällen als die Regel des Indikators "
                     f"(ohne eigene Regel: weniger als {maps.MIN_NENNER} im Nenner).")
    notes.append(steckbrief.LEGENDE)
    if legende := steckbrief.kennzeichen_legende(profil):
        notes.append(legende)
    notes.append(ui.geodaten_quelle())
    st.caption(" · ".join(notes))
    st.markdown("##### Ziele")
    if profil.ziele.empty:
        st.info("Für dieses Gebiet gibt es kein Ziel der Zielvereinbarung.")
    else:
        st.dataframe(charts.style_status(profil.ziele.drop(columns=["ziel", "status", "kennzeichen"])), hide_index=True,
                     width="stretch")
    return profil


def uebersicht_zeigen() -> None:
    katalog, bewertung = evaluation()
    st.header("Stand der Ziele")
    if katalog.empty:
        st.info("Noch keine Ziele importiert.")
        return
    uebersicht = targets.overview(katalog, bewertung)
    st.subheader(targets.summary_text(uebersicht["status"]))
    st.dataframe(charts.style_status(targets.status_table(uebersicht)), hide_index=True, width="stretch",
                 column_config={"Ziel": st.column_config.TextColumn(width="large")})


def _ziel(ziel_id: str):
    katalog, bewertung = evaluation()
    uebersicht = targets.overview(katalog, bewertung)
    return next(uebersicht[uebersicht["id"] == ziel_id].itertuples(index=False)), bewertung


def ziel_zeigen(ziel_id: str) -> None:
    ziel, bewertung = _ziel(ziel_id)
    st.header(text(ziel.titel))
    st.badge(f"{targets.status_label(ziel.status)} – {text(ziel.gebiet_name)}",
             color=targets.STATUS[ziel.status].badge)
    st.text(f"Zielvorgabe: {targets.comparison_text(ziel)} · Frist: {fmt.datum(ziel.frist)} · "
            f"Basisjahr: {ziel.basisjahr}")
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.dataframe(charts.style_status(bericht._area_table(ziel, bewertung)), hide_index=True, width="stretch")
    with right:
        namen = charts.trend_areas(ziel, bewertung)
        st.plotly_chart(charts.trend_chart(ziel, ui.query("ziel_jahreswerte"), bewertung,
                                           charts.default_trend_areas(ziel, namen)),
                        config={"staticPlot": True, "locale": "de"}, key=f"praes_verlauf_{ziel_id}")


def ziel_karte_zeigen(ziel_id: str) -> None:
    ziel, bewertung = _ziel(ziel_id)
    st.header(f"{text(ziel.titel)}: Karte")
    mit_grenzen = ui.query("ziel_gebiete_geometrien", ziel=ziel_id)
    if mit_grenzen.empty:
        st.info("Dieses Ziel umfasst keine Gebiete mit Grenzen (Sozialräume oder Gemeinden).")
        return
    if ui.static_files_served():
        geometry = ui.map_geometry(mit_grenzen["ebene"].mode()[0])
        karte(geometry, charts.status_map_data(geometry, targets.map_classes(ziel, bewertung)),
              attribution=ui.geodaten_quelle(), show_names=True, map_style="white-bg", key="praes_karte",
              on_click=lambda: None, image_title=f"{ziel.titel}: Zielstatus je Gebiet",
              image_file=f"zielstatus_{ziel_id}.png", image_note=ui.demo_note())
    st.caption("„Nicht gesichert“: das 95-%-Konfidenzintervall enthält den Vergleichswert. " + ui.geodaten_quelle())


def foliensatz_mit_steckbriefen(unterlagen: bericht.Unterlagen, fortschritt) -> bytes:
    """The deck plus one slide per Sozialraum (per Gemeinde where there are none)."""
    fortschritt(0.1, "Steckbriefe werden zusammengestellt …")
    gebiete = ui.query("steckbrief_gebiete")
    ebene = "sozialraum" if gebiete["ebene"].eq("sozialraum").any() else "gemeinde"
    codes = list(gebiete.loc[gebiete["ebene"].eq(ebene), "gebiet"])[:30]
    folien = ausgabe.steckbrief_folien(ui.query, codes, unterlagen)
    fortschritt(0.3, "Folien und Bilder werden erstellt …")
    data = bericht.build_pptx(unterlagen, steckbriefe=folien).data
    fortschritt(1.0, "fertig")
    return data


def export_knopf(label: str, key: str, build, file_name: str, mime: str, *, help: str | None = None) -> None:
    """A button that builds a document with a progress bar (build(fortschritt) → bytes; fortschritt(anteil, text)),
    then offers it for download; the built file stays in the session until the data changes."""
    stored = st.session_state.get(key)
    if stored and stored[0] == ui.database_version():
        st.download_button(f"{label} herunterladen", stored[1], file_name=file_name, mime=mime, on_click="ignore",
                           icon=":material/download:", key=f"{key}_laden")
        return
    if st.button(label, key=f"{key}_bauen", help=help, icon=":material/description:"):
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
        st.session_state[key] = (ui.database_version(), data)
        st.download_button(f"{label} herunterladen", data, file_name=file_name, mime=mime, on_click="ignore",
                           icon=":material/download:", key=f"{key}_laden")


