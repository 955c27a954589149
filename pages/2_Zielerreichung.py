"""Zielerreichung: every target of the agreement with its status, and one target in detail (trend, map, text);
"Stand der Ziele am …" shows the targets and verdicts as they stood at the end of an earlier day."""

import functools
from datetime import date

import streamlit as st

from sozialmonitor import ausgabe, fmt, geheimhaltung
from sozialmonitor.ausgabe import arbeitsmappe, diagramme, foliensatz
from sozialmonitor.klartext import markdown as text
from sozialmonitor.oberflaeche import seite, sitzung, sozialindex
from sozialmonitor.oberflaeche.komponenten.karte import karte
from sozialmonitor.statistik import signifikanz
from sozialmonitor.ziele import auswertung

seite.page_frame("Zielerreichung", icon=":material/flag:")

with st.sidebar:
    niveau = st.radio("„Gesichert“ ab", list(auswertung.NIVEAUS), format_func=auswertung.NIVEAUS.get, horizontal=True,
                      key="ziele_niveau", help="95 % oder das strengere 99,8 % "
                                               "(weniger Zufallstreffer, wenn viele Gebiete verglichen werden).")
    if geheimhaltung.fruehere_fassungen_erlaubt(seite.person()):
        stichtag = st.date_input("Stand der Ziele am", value=date.today(), max_value=date.today(),
                                 format="DD.MM.YYYY", key="ziele_stichtag",
                                 help="Ziele, Daten und Urteile, wie sie am Ende dieses Tages standen (jede Fassung "
                                      "eines Ziels bleibt erhalten).")
    else:  # two versions side by side could give away a value the Geheimhaltung hides in both
        stichtag = date.today()
        st.caption("Frühere Stände der Ziele sehen Bearbeiter und Verwaltung (Geheimhaltung: zwei Fassungen "
                   "nebeneinander könnten gesperrte Werte verraten).")
# the evaluation, also what the documents for the Steuerungsgruppe show
unterlagen = seite.ziel_unterlagen(stichtag, niveau)
abfrage = seite.query_am(stichtag)
if stichtag < date.today():
    st.info(f"Stand der Ziele am {fmt.datum(stichtag)}: Ziele, Werte und Urteile, wie sie an diesem Tag galten.",
            icon=":material/history:")
if unterlagen.katalog.empty:
    st.info(f"Am {fmt.datum(stichtag)} galt noch keine Fassung eines Ziels: frühere Stände gibt es ab dem Tag, an "
            "dem die Ziele zuerst erfasst wurden." if stichtag < date.today() else
            "Es gibt noch keine Ziele. Ziele legt ein Bearbeiter auf der Seite „Ziele bearbeiten“ an.")
    st.stop()
jahreswerte, bewertung, uebersicht = unterlagen.jahreswerte, unterlagen.bewertung, unterlagen.uebersicht

with st.sidebar:
    felder = st.multiselect("Handlungsfeld", sorted(uebersicht["handlungsfeld"].unique()), key="ziele_felder",
                            placeholder="alle Handlungsfelder")
    stati = st.multiselect("Status", list(auswertung.STATUS), format_func=auswertung.status_label, key="ziele_stati",
                           placeholder="alle Status")

st.subheader(auswertung.summary_text(uebersicht["status"], uebersicht["spaeter_erreicht"]))
with st.container(horizontal=True, vertical_alignment="center"):
    st.download_button("Foliensatz (PowerPoint)", functools.partial(foliensatz.pptx_bytes, unterlagen),  # built on click
                       file_name=foliensatz.file_name("pptx"), mime=foliensatz.PPTX_MIME, on_click="ignore",
                       icon=":material/slideshow:", key="ziele_pptx",
                       help="Titel, Übersicht und je Ziel eine Folie mit Tabelle und Verlauf. Die Diagramme werden "
                            "gezeichnet – das dauert einige Sekunden.")
    st.download_button("Tabellen (Excel)", functools.partial(arbeitsmappe.xlsx_bytes, unterlagen, sozialindex.alle(),
                                                         sozialindex.ring()),
                       file_name=foliensatz.file_name("xlsx"), mime=arbeitsmappe.XLSX_MIME, on_click="ignore",
                       icon=":material/table:", key="ziele_xlsx")
    st.caption("Unterlagen für die Steuerungsgruppe – alle Ziele, unabhängig von den Filtern")
with st.container(horizontal=True, vertical_alignment="center"):
    for endung, label in (("docx", "Sitzungsvorlage (Word)"), ("pdf", "Sitzungsvorlage (PDF)")):
        sitzung.export_knopf(
            label, f"ziele_vorlage_{endung}",
            lambda fortschritt, endung=endung: ausgabe.schreiben(ausgabe.sitzungsvorlage(
                seite.query, fortschritt=fortschritt, unterlagen=seite.ziel_unterlagen()), endung),
            ausgabe.datei_name("sitzungsvorlage", endung), ausgabe.MIME[endung],
            help="Text aus Regeln (data/sitzungsvorlage.toml): je Ziel das Urteil, gesicherte Veränderungen, "
                 "auffällige Gebiete, Hinweise; mit Tabellen, Verläufen und Karten.")
    sitzung.export_knopf(
        "Foliensatz mit Steckbriefen", "ziele_pptx_steckbriefe",
        lambda fortschritt: sitzung.foliensatz_mit_steckbriefen(unterlagen, fortschritt),
        foliensatz.file_name("pptx", zusatz="steckbriefen"), foliensatz.PPTX_MIME,
        help="Der Foliensatz und dazu je Sozialraum eine Folie mit seinem Steckbrief.")
st.caption("Status je Ziel: beim Kreis sein Wert, bei „in 6 Sozialräumen“ die Zahl der Sozialräume. "
           "Die Werte der einzelnen Sozialräume stehen unten bei jedem Ziel.")
gezeigt = auswertung.filter_overview(uebersicht, felder, stati)
if gezeigt.empty:
    st.info("Kein Ziel passt zu den gewählten Filtern.")
for feld, ziele in gezeigt.groupby("handlungsfeld", sort=True):
    st.markdown(f"#### {text(feld)}")
    sitzung.tabelle(diagramme.style_status(auswertung.status_table(ziele)), html=True)
if legende := auswertung.kennzeichen_legende(gezeigt):
    st.caption(legende)

st.divider()


@st.fragment
def ziel_im_detail() -> None:
    """One target in detail: table, trend and status map. A fragment: choosing another target, areas of the
    trend or a click on the map runs only this part again, not the overview above (issue 22: the goal map)."""
    ids = list(uebersicht["id"])
    titel = dict(zip(uebersicht["id"], uebersicht["titel"]))
    gewaehlt = st.query_params.get("ziel", ids[0])
    ziel_id = st.selectbox("Ziel im Detail", ids, index=ids.index(gewaehlt) if gewaehlt in ids else 0,
                           format_func=lambda i: titel[i], key="ziele_detail")
    st.query_params["ziel"] = ziel_id
    ziel = next(uebersicht[uebersicht["id"] == ziel_id].itertuples(index=False))

    # Titles, wording, source and names are the agreement's text: shown as written, never as Markdown.
    st.header(text(ziel.titel))
    st.badge(f"{auswertung.status_label(ziel.status)} – {text(ziel.gebiet_name)}", color=auswertung.STATUS[ziel.status].badge)
    st.markdown(f"**Zielvorgabe:** {text(auswertung.comparison_text(ziel))} · **Frist:** {fmt.datum(ziel.frist)} · "
                f"**Basisjahr:** {text(ziel.basisjahr)} · **Verantwortlich:** {text(ziel.verantwortlich)}")
    if auswertung.present(ziel.wortlaut):
        st.markdown(f"> {text(ziel.wortlaut)}")
    st.caption(f"Quelle: {text(ziel.quelle)}")
    if auswertung.present(ziel.hinweis):
        st.info(text(ziel.hinweis), icon=":material/info:")

    ziel_tabelle = auswertung.display_table(ziel, bewertung, niveau)
    sitzung.tabelle(diagramme.style_status(ziel_tabelle), html=True)
    for hinweis in auswertung.notes(ziel, bewertung):
        st.caption(text(hinweis))
    geprueft = auswertung.area_rows(ziel, bewertung)["signifikant"].notna().sum()
    if signifikanz.viele_vergleiche_text(int(geprueft), niveau):
        st.caption(signifikanz.viele_vergleiche_text(int(geprueft), niveau))
    if tabellen_hinweis := auswertung.tabellen_hinweis(ziel_tabelle):  # only what this target's table shows
        st.caption(tabellen_hinweis)

    trend_column, map_column = st.columns(2)
    with trend_column:
        st.markdown("##### Verlauf")
        namen = diagramme.trend_areas(ziel, bewertung)
        # one selection per target: another target's areas are no options here (the selection became empty and the
        # chart showed an axis of −1 … 6 after switching to the Familienlotsen)
        verlauf_key = f"ziele_verlauf_{ziel_id}"
        auswahl = st.multiselect("Gebiete im Verlauf", list(namen), default=diagramme.default_trend_areas(ziel, namen),
                                 format_func=namen.get, key=verlauf_key, placeholder="Gebiete wählen")
        verlauf = diagramme.trend_chart(ziel, jahreswerte, bewertung, auswahl)
        st.plotly_chart(verlauf, width="stretch")
        if verlauf_hinweis := diagramme.verlauf_hinweis(verlauf):  # only the lines this chart draws
            st.caption(text(verlauf_hinweis))
        vergleich = diagramme.vergleich_tabelle(ziel, jahreswerte)
        if not vergleich.empty:
            st.dataframe(vergleich, hide_index=True, width="stretch")
            ring_name = next((n for n in jahreswerte.loc[jahreswerte["gebiet"].eq("vergleichsring"), "gebiet_name"]), "")
            st.caption(text(diagramme.vergleich_hinweis(vergleich, ring_name)))
    with map_column:
        st.markdown("##### Karte: Zielstatus je Gebiet")
        mit_grenzen = seite.beschraenken(abfrage("ziel_gebiete_geometrien", ziel=ziel_id), seite.person())
        if mit_grenzen.empty:
            st.info("Dieses Ziel umfasst keine Gebiete mit Grenzen (Sozialräume oder Gemeinden).")
        elif seite.static_files_served():
            geometry = seite.map_geometry(mit_grenzen["ebene"].mode()[0])
            zielstatus = diagramme.zielstatus(ziel, bewertung, niveau)

            def show_clicked_in_trend() -> None:
                """A click on an area adds it to the areas of the trend beside the map."""
                clicked = st.session_state["ziele_karte"].get("gebiet")
                shown = st.session_state.get(verlauf_key, [])
                if clicked in namen and clicked not in shown:
                    st.session_state[verlauf_key] = [*shown, clicked]

            karte(geometry, diagramme.status_map_data(geometry, zielstatus),
                  attribution=seite.geodaten_quelle(), show_names=True, map_style="white-bg", key="ziele_karte",
                  on_click=show_clicked_in_trend, image_title=f"{ziel.titel}: Zielstatus je Gebiet",
                  image_file=f"zielstatus_{ziel_id}.png", image_note=seite.demo_note())
            st.caption(text(diagramme.zielkarte_hinweis(zielstatus, niveau) + " Ein Klick auf ein Gebiet nimmt es "
                            "in den Verlauf auf. " + seite.geodaten_quelle()))


ziel_im_detail()

with st.expander("So wird gerechnet"):
    st.markdown(auswertung.methode(niveau))
