"""Karte: ein Indikator und ein Zeitraum je Sozialraum oder Gemeinde, klassifiziert, mit sortierter Tabelle, Zeitreihe
des gewählten Gebiets, Veränderungskarte und mehreren Jahren nebeneinander. Die Ansicht steht in der Adresszeile
(st.query_params) und lässt sich als Lesezeichen speichern oder in einer Sitzung zeigen."""

import functools

import pandas as pd
import streamlit as st

from sozialmonitor import fmt, maps, ui
from sozialmonitor.config import GEODATA_ATTRIBUTION
from sozialmonitor.komponenten.karte import karte

ui.page_frame("Karte", icon=":material/map:")

LEVEL_NAMES = {"sozialraum": "Sozialräume", "gemeinde": "Gemeinden", "kreis": "Kreise", "land": "Länder"}
VIEWS = {"karte": "Karte eines Zeitraums", "veraenderung": "Veränderung zwischen zwei Zeiträumen",
         "jahre": "Mehrere Zeiträume nebeneinander"}
CHANGE_MODES = {"differenz": "Differenz", "relativ": "Veränderung in %"}


def from_url(param: str, options: list, default):
    """The bookmarked value if it is still a valid option, else the default."""
    value = st.query_params.get(param)
    return value if value in options else default


if not st.get_option("server.enableStaticServing"):
    st.error("Die Karte braucht die statische Dateiauslieferung von Streamlit: in .streamlit/config.toml unter "
             "[server] „enableStaticServing = true“ setzen und die App neu starten.")
    st.stop()
indicators = ui.query("map_indicators")
if indicators.empty:
    st.info("Es gibt noch keine Indikatorwerte für Gebiete mit Grenzen. Bitte Grenzen und Werte importieren.")
    st.stop()
indicator_by_id = {row["id"]: maps.Indikator.from_row(row) for _, row in indicators.iterrows()}
ids = list(indicator_by_id)

# --- sidebar: what to show --------------------------------------------------------------------------------------
with st.sidebar:
    st.header("Ansicht")
    indikator_id = st.selectbox("Indikator", ids, index=ids.index(from_url("indikator", ids, ids[0])),
                                format_func=lambda i: indicator_by_id[i].name, key="karte_indikator")
    indikator = indicator_by_id[indikator_id]
    periods = ui.query("indicator_periods", indikator=indikator_id)
    levels = [level for level in LEVEL_NAMES if level in set(periods["ebene"])]
    ebene = st.radio("Ebene", levels, index=levels.index(from_url("ebene", levels, levels[0])),
                     format_func=LEVEL_NAMES.get, horizontal=True, key="karte_ebene")
    level_periods = periods[periods["ebene"].eq(ebene)]
    years = sorted(p for p in level_periods["zeitraum"] if len(p) == 4)
    months = sorted(p for p in level_periods["zeitraum"] if len(p) == 7)
    averages = set(level_periods.loc[level_periods["jahresdurchschnitt"], "zeitraum"])
    rasters = (["jahr"] if years else []) + (["monat"] if months else [])
    bookmarked_period = st.query_params.get("zeitraum", "")
    raster = rasters[0]
    if len(rasters) > 1:
        raster = st.radio("Zeitraster", rasters, horizontal=True, key="karte_raster",
                          index=1 if len(bookmarked_period) == 7 else 0,
                          format_func={"jahr": "Jahresdurchschnitt", "monat": "Monate"}.get)
    options = years if raster == "jahr" else months

    def period_label(period: str) -> str:
        return fmt.zeitraum(period, jahresdurchschnitt=period in averages)

    view = st.radio("Darstellung", list(VIEWS), format_func=VIEWS.get, key="karte_ansicht",
                    index=list(VIEWS).index(from_url("ansicht", list(VIEWS), "karte")))
    if view == "veraenderung" and len(options) > 1:
        start, end = st.select_slider("Von … bis", options, value=(options[0], options[-1]),
                                      format_func=period_label, key="karte_vergleich")
        change_mode = st.radio("Veränderung als", list(CHANGE_MODES), horizontal=True, key="karte_veraenderung",
                               format_func=lambda m: f"Differenz ({indikator.differenz_einheit or 'absolut'})"
                               if m == "differenz" else CHANGE_MODES[m])
        zeitraum = end
    elif view == "jahre" and len(options) > 1:
        default_panels = options[-6:] if raster == "jahr" else options[-12::2]
        panels = st.multiselect("Zeiträume (höchstens 9)", options, default=default_panels, max_selections=9,
                                format_func=period_label, key="karte_panels")
        zeitraum = panels[-1] if panels else options[-1]
    else:
        view = "karte" if len(options) <= 1 else view
        zeitraum = (options[-1] if len(options) == 1 else
                    st.select_slider("Zeitraum", options, value=from_url("zeitraum", options, options[-1]),
                                     format_func=period_label, key="karte_zeitraum"))

    with st.expander("Klassen und Farben", expanded=False):
        methode = st.selectbox("Klassenbildung", list(maps.METHODEN), format_func=maps.METHODEN.get,
                               key="karte_methode")
        anzahl = st.slider("Zahl der Klassen", 2, 7, 5, key="karte_klassen",
                           disabled=methode in ("manuell", "ziel", "stdabw"))
        grenzen, zielwert, spanne = None, None, None
        if methode == "manuell":
            text = st.text_input("Klassengrenzen (mit ; getrennt)", "5; 10; 15", key="karte_grenzen")
            grenzen = maps.parse_breaks(text)
            if not grenzen:
                st.warning("Die Klassengrenzen sind keine Zahlen (Beispiel: 5; 7,5; 10). Es gilt Jenks.")
                methode = "jenks"
        if methode == "ziel":
            zielwert = st.number_input(f"Zielwert ({indikator.einheit})", value=7.0, step=0.5, key="karte_ziel")
            spanne = st.number_input(f"Spanne „knapp“ ({indikator.differenz_einheit or indikator.einheit})",
                                     value=1.0, min_value=0.1, step=0.5, key="karte_spanne")
        fixed = st.checkbox("Klassen über alle Zeiträume festhalten", key="karte_fest",
                            help="Die Grenzen gelten dann für jedes Jahr gleich, die Farben sind vergleichbar.")
    show_names = st.checkbox("Namen auf der Karte", value=int(level_periods["gebiete"].max()) <= 200,
                             key="karte_namen", help="Bei vielen Gebieten zeigt die Karte nur die Namen, die Platz haben.")
    map_style = st.selectbox("Hintergrundkarte", list(maps.MAP_STYLES), format_func=maps.MAP_STYLES.get,
                             key="karte_hintergrund")

# --- data -------------------------------------------------------------------------------------------------------
geometry = ui.map_geometry(ebene)
values = maps.prepare_values(ui.query("indicator_values_by_area", indikator=indikator_id, zeitraum=zeitraum,
                                      ebene=ebene), indikator)
references = ui.query("reference_values", indikator=indikator_id, zeitraum=zeitraum)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_classes(basis: pd.Series, indikator: maps.Indikator, methode: str, anzahl: int, grenzen, zielwert,
                   spanne) -> maps.Klassen | None:
    """Classes keyed by the values themselves: a rerun that keeps them (a click on an area, back to an indicator
    seen before) skips the Jenks run (~150 ms at 11.000 areas without numba)."""
    return maps.classify(basis, indikator, methode, anzahl, grenzen, zielwert, spanne)


def classes_for(current: pd.Series) -> maps.Klassen | None:
    """Classes from the values shown, or (held fixed) from every period of the same kind (years or months)."""
    if fixed:
        all_periods = ui.query("indicator_values_all_periods", indikator=indikator_id, ebene=ebene)
        current = all_periods.loc[all_periods["zeitraum"].str.len().eq(len(zeitraum)), "wert"]
    return cached_classes(current, indikator, methode, anzahl, grenzen, zielwert, spanne)


legend_title = maps.wrap(indikator.name) + ("<br>Anzahl" if indikator.einheit == "Anzahl" else
                                            f"<br>in {indikator.einheit}")
level_text = LEVEL_NAMES[ebene]


def pick_clicked_area() -> None:
    """A click on the map (a trigger of the component) chooses the area of the time series before the page runs."""
    clicked = st.session_state["karte_karte"].get("gebiet")
    if clicked in geometry.names:
        st.session_state["karte_gebiet"] = clicked


# Small multiples need the page's width; the time series and table then follow below.
left, right = (st.container(), st.container()) if view == "jahre" else st.columns([8, 5], gap="medium")
selected = st.session_state.get("karte_gebiet", st.query_params.get("gebiet"))
with left:
    if view == "jahre" and len(options) > 1 and panels:
        frames = {p: maps.prepare_values(ui.query("indicator_values_by_area", indikator=indikator_id, zeitraum=p,
                                                  ebene=ebene), indikator) for p in panels}
        klassen = classes_for(pd.concat([f["wert"] for f in frames.values()]))
        st.subheader(f"{indikator.name}, {level_text}: {len(panels)} Zeiträume mit gleichen Klassen")
        st.plotly_chart(maps.small_multiples(geometry, frames, klassen, legend_title,
                                             {p: period_label(p) for p in panels}),
                        key="karte_jahre", config={"displaylogo": False, "scrollZoom": True, "locale": "de"})
        table = maps.area_table(values, indikator)
    else:
        if view == "veraenderung" and len(options) > 1:
            before = maps.prepare_values(ui.query("indicator_values_by_area", indikator=indikator_id,
                                                  zeitraum=start, ebene=ebene), indikator)
            change = maps.change_values(before, values, indikator, relative=(change_mode == "relativ"),
                                        labels=(period_label(start), period_label(end)))
            klassen = maps.change_classes(change["veraenderung"], indikator, relative=(change_mode == "relativ"))
            st.subheader(f"{indikator.name}: Veränderung {period_label(start)} → {period_label(end)}, {level_text}")
            data = maps.map_data(geometry, change, klassen, klassen.titel if klassen else "", list(change["hover"]),
                                 value_column="veraenderung", selected=selected)
            table = maps.change_table(change, indikator)
        else:
            klassen = classes_for(values["wert"])
            st.subheader(f"{indikator.name}, {period_label(zeitraum)}, {level_text}")
            hover = maps.hover_texts(values, maps.reference_texts(values, references, indikator))
            data = maps.map_data(geometry, values, klassen, legend_title, hover, selected=selected)
            table = maps.area_table(values, indikator)
        karte(geometry, data, attribution=GEODATA_ATTRIBUTION, show_names=show_names, map_style=map_style,
              key="karte_karte", on_click=pick_clicked_area)
    notes = [GEODATA_ATTRIBUTION]
    if map_style != "white-bg":
        notes.append("Hintergrundkarte: © OpenStreetMap-Mitwirkende" + (", © CARTO" if "carto" in map_style else ""))
    if values["unsicher"].any():
        notes.append(f"● = geringe Fallzahl: Quote beruht auf weniger als {maps.MIN_NENNER} Personen im Nenner.")
    st.caption(" · ".join(notes))

area_codes = values["gebiet"].tolist()
with right:
    gebiet = st.selectbox("Zeitreihe für", area_codes, key="karte_gebiet",
                          index=area_codes.index(from_url("gebiet", area_codes, area_codes[0])),
                          format_func=geometry.names.get, help="Oder ein Gebiet in der Karte anklicken.")
    series = ui.query("area_time_series", indikator=indikator_id, gebiet=gebiet)
    series = maps.prepare_values(series[series["zeitraum"].str.len().eq(len(zeitraum))], indikator)
    if series.empty:
        st.info("Für dieses Gebiet gibt es keine Zeitreihe.")
    else:
        st.plotly_chart(maps.time_series_figure(series, indikator, f"{maps.short_name(geometry.names[gebiet])} im Vergleich"),
                        config={"displaylogo": False, "locale": "de"}, key="karte_zeitreihe")
    shown = table.head(maps.TABLE_ROWS)
    st.dataframe(shown, hide_index=True, width="stretch", height=min(38 + 35 * len(shown), 460))
    if len(table) > len(shown):
        st.caption(f"Die ersten {len(shown)} von {fmt.zahl(len(table))} Gebieten in dieser Reihenfolge; "
                   "die ganze Tabelle gibt es als CSV-Datei.")
        period_text = f"{start}_bis_{end}" if view == "veraenderung" and len(options) > 1 else zeitraum
        st.download_button("Ganze Tabelle als CSV", functools.partial(maps.csv_bytes, table),  # built on click
                           file_name=f"{indikator_id}_{ebene}_{period_text}.csv", mime="text/csv",
                           on_click="ignore", icon=":material/download:", key="karte_tabelle_csv")

st.query_params.update({"indikator": indikator_id, "ebene": ebene, "zeitraum": zeitraum, "ansicht": view,
                        "gebiet": gebiet})
