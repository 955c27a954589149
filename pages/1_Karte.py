"""Karte: ein Indikator und ein Zeitraum je Sozialraum oder Gemeinde, klassifiziert, mit sortierter Tabelle, Zeitreihe
des gewählten Gebiets, Veränderungskarte und mehreren Jahren nebeneinander. Die Ansicht steht in der Adresszeile
(st.query_params) und lässt sich als Lesezeichen speichern oder in einer Sitzung zeigen.

Alles unter dem Seitenrahmen ist ein Fragment: ein anderer Indikator, Zeitraum oder eine andere Klassenbildung läuft
nur dieses Stück neu, Navigation, Titel und Hinweise bleiben stehen (der Browser zeichnet sie nicht jedes Mal neu)."""

import dataclasses
import functools

import pandas as pd
import streamlit as st

from sozialmonitor import fmt, kennzeichen
from sozialmonitor.karten import kartendaten
from sozialmonitor.klartext import markdown as text
from sozialmonitor.oberflaeche import seite, sozialindex
from sozialmonitor.oberflaeche.komponenten.karte import karte
from sozialmonitor.sozialindex import vergleichsring
from sozialmonitor.statistik import signifikanz
from sozialmonitor.statistik.intervalle import NIVEAUS

seite.page_frame("Karte", icon=":material/map:")

LEVEL_NAMES = {"sozialraum": "Sozialräume", "gemeinde": "Gemeinden", "kreis": "Kreise", "land": "Länder"}
VIEWS = {"karte": "Karte eines Zeitraums", "veraenderung": "Veränderung zwischen zwei Zeiträumen",
         "jahre": "Mehrere Zeiträume nebeneinander"}
CHANGE_MODES = {"differenz": "Differenz", "relativ": "Veränderung in %"}


@dataclasses.dataclass(frozen=True)
class Ansicht:
    """What the sidebar chose."""
    indikator: kartendaten.Indikator
    ebene: str
    view: str  # a key of VIEWS; "karte" when the level has a single period
    options: tuple  # the periods of the chosen raster (years or months)
    averages: frozenset  # years that are annual averages of monthly values
    zeitraum: str  # the period shown (the later one of a comparison, the last panel)
    vergleich: tuple = ()  # (start, end) of the change map
    relativ: bool = False  # change map in % instead of the difference
    niveau: float = 0.95  # level of a "gesichert" change (Fingertips: 95 % or 99,8 %)
    panels: tuple = ()  # periods of the small multiples
    methode: str = "jenks"
    anzahl: int = 5
    grenzen: tuple | None = None
    zielwert: float | None = None
    spanne: float | None = None
    fest: bool = False  # classes held fixed over all periods
    namen: bool = True
    hintergrund: str = "white-bg"

    def period_label(self, period: str) -> str:
        return fmt.zeitraum(period, jahresdurchschnitt=period in self.averages)

    def slider_label(self, period: str) -> str:
        """A period on a slider: '2015', 'März 2024' – short, so that its end labels fit the sidebar and do not run
        into the next control when it has focus (issue 20, BEFUNDE #23); the slider's own label says
        'Jahresdurchschnitt' where the years are averages."""
        return fmt.zeitraum(period)

    def slider_title(self, title: str) -> str:
        return f"{title} (Jahresdurchschnitt)" if self.options and all(p in self.averages for p in self.options) \
            else title

    @property
    def level_text(self) -> str:
        return LEVEL_NAMES[self.ebene]


def from_url(param: str, options: list, default):
    """The bookmarked value if it is still a valid option, else the default."""
    value = st.query_params.get(param)
    return value if value in options else default


def choose_view(indicator_by_id: dict[str, kartendaten.Indikator]) -> Ansicht:
    """The sidebar: indicator, level, period(s), view, classes and colours."""
    ids = list(indicator_by_id)
    st.header("Ansicht")
    indikator_id = st.selectbox("Indikator", ids, index=ids.index(from_url("indikator", ids, ids[0])),
                                format_func=lambda i: indicator_by_id[i].name, key="karte_indikator")
    indikator = indicator_by_id[indikator_id]
    periods = seite.query("indicator_periods")
    periods = periods[periods["indikator"].eq(indikator_id)]
    levels = [level for level in LEVEL_NAMES if level in set(periods["ebene"])]
    sichtbar = seite.sichtbare_gebiete()
    if sichtbar is not None:  # a restricted person: first the levels of their own areas (not Kreis, Land, Bund)
        gebiete = seite.query("gebiete_mit_sozialraum")
        eigene = set(gebiete.loc[gebiete["code"].isin(sichtbar), "ebene"]) - {"kreis", "land", "bund"}
        levels = [level for level in levels if level in eigene] + [level for level in levels if level not in eigene]
    ebene = st.radio("Ebene", levels, index=levels.index(from_url("ebene", levels, levels[0])),
                     format_func=LEVEL_NAMES.get, horizontal=True, key="karte_ebene")
    level_periods = periods[periods["ebene"].eq(ebene)]
    years = sorted(p for p in level_periods["zeitraum"] if len(p) == 4)
    months = sorted(p for p in level_periods["zeitraum"] if len(p) == 7)
    rasters = (["jahr"] if years else []) + (["monat"] if months else [])
    raster = rasters[0]
    if len(rasters) > 1:
        raster = st.radio("Zeitraster", rasters, horizontal=True, key="karte_raster",
                          index=1 if len(st.query_params.get("zeitraum", "")) == 7 else 0,
                          format_func={"jahr": "Jahresdurchschnitt", "monat": "Monate"}.get)
    options = years if raster == "jahr" else months
    chosen = Ansicht(indikator, ebene, "karte", tuple(options),
                     frozenset(level_periods.loc[level_periods["jahresdurchschnitt"], "zeitraum"]), options[-1])
    view = st.radio("Darstellung", list(VIEWS), format_func=VIEWS.get, key="karte_ansicht",
                    index=list(VIEWS).index(from_url("ansicht", list(VIEWS), "karte")))
    if view == "veraenderung" and len(options) > 1:
        start, end = st.select_slider(chosen.slider_title("Von … bis"), options, value=(options[0], options[-1]),
                                      format_func=chosen.slider_label, key="karte_vergleich")
        change_mode = st.radio("Veränderung als", list(CHANGE_MODES), horizontal=True, key="karte_veraenderung",
                               format_func=lambda m: f"Differenz ({indikator.differenz_einheit or 'absolut'})"
                               if m == "differenz" else CHANGE_MODES[m])
        niveau = st.radio("Veränderung „gesichert“ ab", list(NIVEAUS), format_func=NIVEAUS.get, horizontal=True,
                          key="karte_niveau", help="Test zweier Anteile auf den Fallzahlen; 99,8 % gibt weniger "
                                                   "Zufallstreffer, wenn viele Gebiete verglichen werden.")
        chosen = dataclasses.replace(chosen, view=view, zeitraum=end, vergleich=(start, end),
                                     relativ=change_mode == "relativ", niveau=niveau)
    elif view == "jahre" and len(options) > 1:
        default_panels = options[-6:] if raster == "jahr" else options[-12::2]
        panels = st.multiselect("Zeiträume (höchstens 9)", options, default=default_panels, max_selections=9,
                                format_func=chosen.period_label, key="karte_panels")
        chosen = dataclasses.replace(chosen, view=view, zeitraum=panels[-1] if panels else options[-1],
                                     panels=tuple(panels))
    elif len(options) > 1:
        chosen = dataclasses.replace(chosen, zeitraum=st.select_slider(
            chosen.slider_title("Zeitraum"), options, value=from_url("zeitraum", options, options[-1]),
            format_func=chosen.slider_label,
            key="karte_zeitraum"))

    with st.expander("Klassen und Farben", expanded=False):
        methode = st.selectbox("Klassenbildung", list(kartendaten.METHODEN), format_func=kartendaten.METHODEN.get,
                               key="karte_methode")
        anzahl = st.slider("Zahl der Klassen", 2, 7, 5, key="karte_klassen",
                           disabled=methode in ("manuell", "ziel"))
        grenzen, zielwert, spanne = None, None, None
        if methode == "manuell":
            grenzen_text = st.text_input("Klassengrenzen (mit ; getrennt)", "5; 10; 15", key="karte_grenzen")
            grenzen = kartendaten.parse_breaks(grenzen_text)
            if not grenzen:
                st.warning("Die Klassengrenzen sind keine Zahlen (Beispiel: 5; 7,5; 10). Es gilt Jenks.")
                methode = "jenks"
        if methode == "ziel":
            # centred on the indicator's own target (its first threshold in the agreement), typed the German way
            vorschlag, ziel_titel = kartendaten.zielwert_vorschlag(seite.query("ziele_katalog"), indikator.id)
            eingabe = st.text_input(f"Zielwert ({text(indikator.einheit)})", key=f"karte_ziel_{indikator.id}",
                                    value=indikator.zahl(vorschlag) if vorschlag is not None else "",
                                    help="Vorgeschlagen: die Vorgabe des Ziels zu diesem Indikator.")
            zielwert = kartendaten.parse_zahl(eingabe)
            if vorschlag is not None and zielwert == vorschlag:
                st.caption(f"Vorgabe aus dem Ziel „{text(ziel_titel)}“.")
            spanne = kartendaten.parse_zahl(st.text_input(
                f"Spanne „knapp“ ({indikator.differenz_einheit or indikator.einheit})", value="1",
                key=f"karte_spanne_{indikator.id}"))
            if zielwert is None or spanne is None or spanne <= 0:
                st.warning("Für Schwellenklassen bitte einen Zielwert und eine Spanne über 0 als Zahl eingeben "
                           "(Beispiel: 15 oder 7,5). Bis dahin gilt Jenks.")
                methode, zielwert, spanne = "jenks", None, None
        fest = st.checkbox("Klassen über alle Zeiträume festhalten", key="karte_fest",
                           help="Die Grenzen gelten dann für jedes Jahr gleich, die Farben sind vergleichbar.")
    namen = st.checkbox("Namen auf der Karte", value=int(level_periods["gebiete"].max()) <= 200,
                        key="karte_namen", help="Bei vielen Gebieten zeigt die Karte nur die Namen, die Platz haben.")
    hintergrund = st.selectbox("Hintergrundkarte", list(kartendaten.MAP_STYLES), format_func=kartendaten.MAP_STYLES.get,
                               key="karte_hintergrund")
    return dataclasses.replace(chosen, methode=methode, anzahl=anzahl, grenzen=tuple(grenzen) if grenzen else None,
                               zielwert=zielwert, spanne=spanne, fest=fest, namen=namen, hintergrund=hintergrund)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_classes(basis: pd.Series, indikator: kartendaten.Indikator, methode: str, anzahl: int, grenzen, zielwert,
                   spanne) -> kartendaten.Klassen | None:
    """Classes keyed by the values themselves: a rerun that keeps them (a click on an area, back to an indicator
    seen before) skips the Jenks run."""
    return kartendaten.classify(basis, indikator, methode, anzahl, list(grenzen) if grenzen else None, zielwert, spanne)


def classes_for(ansicht: Ansicht, current: pd.Series) -> kartendaten.Klassen | None:
    """Classes from the values shown, or (held fixed) from every period of the same kind (years or months)."""
    if ansicht.fest:
        all_periods = seite.query("indicator_values_all_periods", indikator=ansicht.indikator.id, ebene=ansicht.ebene)
        current = all_periods.loc[all_periods["zeitraum"].str.len().eq(len(ansicht.zeitraum)), "wert"]
    return cached_classes(current, ansicht.indikator, ansicht.methode, ansicht.anzahl, ansicht.grenzen,
                          ansicht.zielwert, ansicht.spanne)


def file_period(ansicht: Ansicht) -> str:
    """The period(s) in a file name: 2024, 2015_bis_2024."""
    return "_bis_".join(ansicht.vergleich) if ansicht.vergleich else ansicht.zeitraum


def area_values(ansicht: Ansicht, zeitraum: str) -> pd.DataFrame:
    return kartendaten.prepare_values(seite.query("indicator_values_by_area", indikator=ansicht.indikator.id,
                                        zeitraum=zeitraum, ebene=ansicht.ebene), ansicht.indikator)


def draw_map(ansicht: Ansicht, geometry: kartendaten.MapGeometry, values: pd.DataFrame) -> kartendaten.Tabelle:
    """The map (or the small multiples) with its caption; returns the table that goes with it, built after the map
    is sent: the browser draws the map while the server builds table and time series (issue 22: at 11.299
    Gemeinden the map – what a change of indicator is about – shows ~0,1 s sooner)."""
    indikator = ansicht.indikator
    legend_title = kartendaten.wrap(indikator.name) + ("<br>Anzahl" if indikator.einheit == "Anzahl" else
                                                f"<br>in {indikator.einheit}")
    if ansicht.panels:
        frames = {p: area_values(ansicht, p) for p in ansicht.panels}
        klassen = classes_for(ansicht, pd.concat([f["wert"] for f in frames.values()]))
        st.subheader(f"{text(indikator.name)}, {ansicht.level_text}: {len(frames)} Zeiträume mit gleichen Klassen")
        st.plotly_chart(kartendaten.small_multiples(geometry, frames, klassen, legend_title,
                                             {p: ansicht.period_label(p) for p in frames}),
                        key="karte_jahre", config={"displaylogo": False, "scrollZoom": True, "locale": "de"})
        table = kartendaten.Tabelle.fertig(kartendaten.area_table(values, indikator))
    else:
        selected = chosen_area(geometry, values)
        if ansicht.vergleich:
            start, end = (ansicht.period_label(p) for p in ansicht.vergleich)
            change = kartendaten.change_values(area_values(ansicht, ansicht.vergleich[0]), values, indikator,
                                        relative=ansicht.relativ, labels=(start, end), niveau=ansicht.niveau)
            klassen = kartendaten.change_classes(change["veraenderung"], indikator, relative=ansicht.relativ)
            title = f"{indikator.name}: Veränderung {start} → {end}, {ansicht.level_text}"
            data = kartendaten.map_data(geometry, change, klassen, klassen.titel if klassen else "", list(change["hover"]),
                                 value_column="veraenderung", selected=selected, marker_column="gesichert",
                                 marker_label=f"Veränderung gesichert, {NIVEAUS[ansicht.niveau]}")
            tabelle = kartendaten.Tabelle.fertig(kartendaten.change_table(change, indikator, labels=(start, end)))

            def table_bauen() -> kartendaten.Tabelle:
                return tabelle
            geprueft = int(change["gesichert"].notna().sum())  # areas with counts in both periods: the tests made
        else:
            klassen = classes_for(ansicht, values["wert"])
            title = f"{indikator.name}, {ansicht.period_label(ansicht.zeitraum)}, {ansicht.level_text}"
            references = seite.query("reference_values", indikator=indikator.id, zeitraum=ansicht.zeitraum)
            data = kartendaten.map_data(geometry, values, klassen, legend_title, selected=selected, indikator=indikator,
                                        referenzen=kartendaten.reference_texts(values, references, indikator))
            trend = None
            jahre_bis = [p for p in ansicht.options if len(p) == 4 and p <= ansicht.zeitraum]
            # the recent trend needs TREND_PUNKTE years up to the one shown: with fewer no column saying "nicht
            # prüfbar" for every area (and no query for it)
            if indikator.ist_quote and len(ansicht.zeitraum) == 4 and len(jahre_bis) >= signifikanz.TREND_PUNKTE:
                alle = seite.query("indicator_values_all_periods", indikator=indikator.id, ebene=ansicht.ebene)

                def trend(rows: pd.DataFrame) -> pd.DataFrame:  # the recent trend of the rows taken only
                    keys = signifikanz.juengster_trend_je_gebiet(alle[alle["gebiet"].isin(rows["gebiet"])],
                                                                 ansicht.zeitraum)
                    return rows.assign(juengster_trend=rows["gebiet"].map(keys))

            def table_bauen() -> kartendaten.Tabelle:
                return kartendaten.Tabelle(
                    kartendaten.area_table(values, indikator, zeilen=kartendaten.TABLE_ROWS, ergaenzen=trend),
                    len(values), functools.partial(kartendaten.area_table, values, indikator, ergaenzen=trend,
                                                   schluessel=True))

        def pick_clicked_area() -> None:
            """A click on the map chooses the area of the time series before the fragment runs."""
            clicked = st.session_state["karte_karte"].get("gebiet")
            if clicked in geometry.names:
                st.session_state["karte_gebiet"] = clicked

        st.subheader(text(title))
        karte(geometry, data, attribution=seite.geodaten_quelle(), show_names=ansicht.namen,
              map_style=ansicht.hintergrund, key="karte_karte", on_click=pick_clicked_area, image_title=title,
              image_file=f"karte_{indikator.id}_{ansicht.ebene}_{file_period(ansicht)}.png",
              image_note=seite.demo_note())
        table = table_bauen()
    notes = [text(seite.geodaten_quelle())]  # an attribution typed at import (--quelle) is user text
    if ansicht.hintergrund != "white-bg":
        notes.append("Hintergrundkarte: © OpenStreetMap-Mitwirkende"
                     + (", © CARTO" if "carto" in ansicht.hintergrund else ""))
    if ansicht.vergleich and indikator.ist_quote:
        notes.append(f"● = Veränderung gesichert: Test zweier Anteile auf den Fallzahlen, {NIVEAUS[ansicht.niveau]}; "
                     "nicht belastbare Quoten gelten nie als gesichert.")
        if signifikanz.viele_vergleiche_text(geprueft, ansicht.niveau):
            notes.append(signifikanz.viele_vergleiche_text(geprueft, ansicht.niveau))
    elif values["unsicher"].any():
        notes.append(f"● = {kartendaten.NICHT_BELASTBAR}: die Quote beruht auf weniger Fällen als die Regel des Indikators "
                     f"({indikator.regel.text()}).")
        if kartendaten.alle_nicht_belastbar(values):  # every area flagged: say what the classes still mean
            notes.append("Alle Gebiete mit Wert liegen unter dieser Regel: die Klassen zeigen nur die Reihenfolge der "
                         "Werte, keine belastbaren Unterschiede.")
    if legende := kennzeichen.legende(values["kennzeichen"].astype(object)):
        notes.append(f"Kennzeichen der Statistik: {legende}")
    if klassen is not None and klassen.hinweis:  # fewer classes than chosen: say why
        notes.append(klassen.hinweis)
    if "Jüngster Trend" in table.kopf:
        notes.append("Jüngster Trend: letzte 5 Jahre, Chi-Quadrat-Test auf Trend in Anteilen (99,8 %), bleibt auch "
                     "ohne jedes einzelne Jahr bestehen (ein einzelnes Ausreißerjahr macht noch keinen Trend).")
    st.caption(" · ".join(notes))
    return table


def chosen_area(geometry: kartendaten.MapGeometry, values: pd.DataFrame) -> str:
    """The area of the time series, outlined on the map: the one chosen in the list or on the map, else the
    bookmark's (?gebiet=), else the first."""
    gewaehlt = st.session_state.get("karte_gebiet")
    if gewaehlt in geometry.names:
        return gewaehlt
    area_codes = values["gebiet"].tolist()
    return from_url("gebiet", area_codes, area_codes[0])


def draw_side_panel(ansicht: Ansicht, geometry: kartendaten.MapGeometry, values: pd.DataFrame) -> str:
    """Time series of one area against Kreis, Land and Bund; returns the area."""
    indikator = ansicht.indikator
    area_codes = values["gebiet"].tolist()
    gewaehlt = chosen_area(geometry, values)
    hilfe = "Oder ein Gebiet in der Karte anklicken."
    if len(area_codes) > kartendaten.AUSWAHL_HOECHSTENS:  # 11.299 Gemeinden: a search narrows the list
        suche = st.text_input("Gebiet für die Zeitreihe suchen", key="karte_gebiet_suche",
                              placeholder="Name oder Schlüssel",
                              help="Ohne Suche bietet die Liste darunter die Gebiete im Kreis des gewählten "
                                   "Gebiets, bei einer kreisfreien Stadt die nächstgelegenen (höchstens "
                                   f"{fmt.zahl(kartendaten.AUSWAHL_HOECHSTENS)}).")
        treffer = kartendaten.gebiete_zur_auswahl(values, geometry, suche, gewaehlt)
        if suche.strip() and not set(kartendaten.gebiete_zur_auswahl(values, geometry, suche, None, 1)):
            st.caption(f"Kein Gebiet passt zu „{text(suche.strip())}“.")
        area_codes = treffer or area_codes[:1]
    gebiet = st.selectbox("Zeitreihe für", area_codes, key="karte_gebiet",
                          index=area_codes.index(gewaehlt) if gewaehlt in area_codes else 0,
                          format_func=geometry.namen_eindeutig.get, help=hilfe)
    series = seite.query("area_time_series", indikator=indikator.id, gebiet=gebiet)
    series = series[series["zeitraum"].str.len().eq(len(ansicht.zeitraum))]
    if not indikator.ist_quote:  # the Kreis' count is no yardstick for a Gemeinde's count
        series = series[series["rolle"].eq("gebiet")]
    elif len(ansicht.zeitraum) == 4:  # the Kreis' Vergleichsring (similar Kreise) beside Kreis, Land and Bund
        series = pd.concat([series, vergleichsring.zeitreihe(sozialindex.ring(), indikator.id)], ignore_index=True)
    series = kartendaten.prepare_values(series, indikator)
    if series.empty:
        st.info("Für dieses Gebiet gibt es keine Zeitreihe.")
    else:
        area_name = kartendaten.short_name(geometry.names[gebiet])
        title = f"{area_name} im Vergleich" if indikator.ist_quote else f"{area_name}: Verlauf"
        st.plotly_chart(kartendaten.time_series_figure(series, indikator, title),
                        config={"displaylogo": False, "locale": "de"}, key="karte_zeitreihe")
    return gebiet


def draw_table(ansicht: Ansicht, table: kartendaten.Tabelle) -> None:
    """The sorted table below map and time series, over the page's width: every column readable at 1400 px (beside
    the map it had 360 px and hid the change itself, issue 20)."""
    indikator = ansicht.indikator
    if ansicht.panels:  # several periods above: the table shows one of them, and says which
        st.markdown(f"##### Tabelle: {text(ansicht.period_label(ansicht.zeitraum))} (der letzte gewählte Zeitraum)")
    shown = table.kopf
    st.dataframe(shown, hide_index=True, width="stretch", height=min(38 + 35 * len(shown), 460))
    if table.anzahl > len(shown):
        st.caption(f"Die ersten {len(shown)} von {fmt.zahl(table.anzahl)} Gebieten in dieser Reihenfolge; "
                   "die ganze Tabelle gibt es als CSV-Datei.")
    # a CSV file German Excel opens as it is (semicolons), also for a short table: the table's own download writes
    # commas, which Excel shows in one cell per row (tester)
    st.download_button("Ganze Tabelle als CSV" if table.anzahl > len(shown) else "Tabelle als CSV",
                       lambda: kartendaten.csv_bytes(table.ganz()),  # built on click
                       file_name=f"{indikator.id}_{ansicht.ebene}_{file_period(ansicht)}.csv", mime="text/csv",
                       on_click="ignore", icon=":material/download:", key="karte_tabelle_csv")


@st.fragment
def map_explorer() -> None:
    indicators = seite.query("map_indicators")
    if indicators.empty:
        st.info("Es gibt noch keine Indikatorwerte für Gebiete mit Grenzen. Bitte Grenzen und Werte importieren.")
        return
    with st.sidebar:
        ansicht = choose_view({row["id"]: kartendaten.Indikator.from_row(row) for _, row in indicators.iterrows()})
    geometry = seite.map_geometry(ansicht.ebene)
    values = area_values(ansicht, ansicht.zeitraum)
    if values.empty:  # e.g. the Sozialräume for a person who may see one Gemeinde only
        st.info(f"Auf der Ebene „{ansicht.level_text}“ gibt es für diesen Zeitraum keine Werte, die Sie sehen dürfen. "
                "Bitte links eine andere Ebene wählen.")
        return
    if ansicht.panels:  # small multiples need the page's width; the time series and table then follow below
        table = draw_map(ansicht, geometry, values)
        gebiet = draw_side_panel(ansicht, geometry, values)
        draw_table(ansicht, table)
    else:
        # Laid out as map | time series, table below, and sent in that order: the browser draws the map – what a
        # change of indicator is about – while the server builds time series and table (issue 22).
        left, right = st.columns([8, 5], gap="medium")
        below = st.container()
        with left:
            table = draw_map(ansicht, geometry, values)
        with right:
            gebiet = draw_side_panel(ansicht, geometry, values)
        with below:
            draw_table(ansicht, table)
    st.query_params.update({"indikator": ansicht.indikator.id, "ebene": ansicht.ebene, "zeitraum": ansicht.zeitraum,
                            "ansicht": ansicht.view, "gebiet": gebiet})


if seite.static_files_served():
    map_explorer()
