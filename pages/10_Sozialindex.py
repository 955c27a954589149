"""Sozialindex: Status, Dynamik und Typ je Sozialraum oder Gemeinde (nach dem Monitoring Soziale Stadtentwicklung
Berlin und dem RISE-Sozialmonitoring Hamburg) mit der Sicherheit jeder Klasse, die Tabelle der z-Werte, die Klasse des
Vorjahres und die Methode mit jeder eingestellten Zahl; dazu der Vergleichsring ähnlicher Kreise."""

import streamlit as st

from sozialmonitor import geheimhaltung
from sozialmonitor.errors import SozialmonitorFehler
from sozialmonitor.klartext import markdown as text
from sozialmonitor.oberflaeche import seite, sitzung
from sozialmonitor.oberflaeche import sozialindex as anzeige
from sozialmonitor.oberflaeche.komponenten.karte import karte
from sozialmonitor.sozialindex import berechnung, pflege, texte, vergleichsring
from sozialmonitor.sozialindex import karte as indexkarte

seite.page_frame("Sozialindex", icon=":material/stacked_bar_chart:")
KARTEN = {"typ": "Typ (Status × Dynamik)", "status": "Status", "dynamik": "Dynamik"}

try:
    definitionen = anzeige.definitionen()
except SozialmonitorFehler as exc:
    st.error(text(str(exc)))
    st.stop()
namen = {d.id: d.name for d in definitionen}
with st.sidebar:
    gewaehlt = st.selectbox("Index", list(namen), format_func=namen.get, key="sozialindex_id")
    art = st.radio("Karte", list(KARTEN), format_func=KARTEN.get, key="sozialindex_karte")
definition = next(d for d in definitionen if d.id == gewaehlt)
fassungen = seite.query("sozialindex_fassungen", id=gewaehlt)
if len(fassungen) > 1 and geheimhaltung.fruehere_fassungen_erlaubt(seite.person()):
    with st.sidebar:  # like "Stand der Ziele am": an earlier version of the definition on today's values
        auswahl = pflege.fassungen_auswahl(fassungen)
        fassung = st.selectbox("Fassung der Definition", list(auswahl), format_func=auswahl.get,
                               key=f"sozialindex_fassung_{gewaehlt}")
    zeile = fassungen[fassungen["import_id"].eq(fassung)].iloc[0]
    if not zeile["aktuell"]:
        try:
            definition = berechnung.aus_json(zeile["definition"])
        except SozialmonitorFehler as exc:
            st.error(text(str(exc)))
            st.stop()
        st.info(text(f"Frühere {auswahl[fassung]}: der Index mit dieser Definition auf den heutigen Werten."),
                icon=":material/history:")
try:
    ergebnis = anzeige.ergebnis(definition)
except SozialmonitorFehler as exc:
    st.error(text(str(exc)))
    st.stop()

jahr = ergebnis.jahr
g = ergebnis.gebiete
st.subheader(text(f"{definition.name}, {jahr} (Dynamik {ergebnis.basisjahr}–{jahr})"))
spalten = st.columns(4)
spalten[0].metric("Gebiete im Index", ergebnis.n_status)
spalten[1].metric("besonderer Aufmerksamkeitsbedarf", int(g["aufmerksamkeit"].sum()))
spalten[2].metric(f"Klasse geändert seit {jahr - 1}", int(g["klasse_geaendert"].sum()))
spalten[3].metric("Klasse unsicher", int(g["unsicher"].sum()))

if seite.static_files_served():
    links, rechts = st.columns([8, 4], gap="medium")
    with links:
        geometry = seite.map_geometry(definition.ebene)
        daten = indexkarte.karten_daten(geometry, ergebnis, art)
        titel = f"{definition.name}: {KARTEN[art]}, {jahr}"
        karte(geometry, daten, attribution=seite.geodaten_quelle(), show_names=True, map_style="white-bg",
              key="sozialindex_kartenbild", on_click=lambda: None, image_title=titel,
              image_file=f"sozialindex_{definition.id}_{art}_{jahr}.png", image_note=seite.demo_note())
    with rechts:
        if art == "typ":
            st.markdown("**Legende: Status × Dynamik**")
            st.plotly_chart(indexkarte.legende_figur(ergebnis), config={"displaylogo": False, "staticPlot": True},
                            key="sozialindex_legende")
            st.caption("Helligkeit = Status (dunkler = mehr Bedarf), Farbton = Dynamik (blau positiv, grau stabil, "
                       "orange negativ); Zeichen: Statusklasse 1–4 und +, =, − für die Dynamik. Die Zahl in einem "
                       "Feld ist die Zahl der Gebiete dieses Typs.")
        saetze = texte.aufmerksamkeit_texte(ergebnis)
        for titel_teil, schluessel, leer in (
                ("Besonderer Aufmerksamkeitsbedarf", "aufmerksamkeit", "kein Gebiet"),
                (f"Statusklasse geändert seit {jahr - 1}", "geaendert", "kein Gebiet"),
                ("Klasse unsicher", "unsicher", "keine")):
            st.markdown(f"**{text(titel_teil)}**")
            st.caption(text("; ".join(saetze[schluessel]) or leer))

st.subheader("Gebiete und Klassen")
sitzung.tabelle(texte.tabelle(ergebnis), html=True)  # every column readable at 1400 px (issue 20)
st.caption(text("Sicherheit = Anteil der Bootstrap-Ziehungen mit derselben Klasse; „unsicher“ unter "
                f"{round(100 * definition.sicher_ab)} %."))
st.subheader("z-Werte je Indikator")
for indikator_name, z_tabelle in texte.z_tabellen(ergebnis):
    st.markdown(f"**{text(indikator_name)}**")
    sitzung.tabelle(z_tabelle, html=True)
st.caption(text("z-Werte so ausgerichtet, dass höher mehr Bedarf bedeutet: sie zeigen, welcher Indikator die Klasse "
                "eines Gebiets trägt. Veränderung in Prozentpunkten über die Dynamik-Spanne."))

ring = anzeige.ring()
if ring is not None:
    st.subheader("Vergleichsring: ähnliche Kreise")
    if isinstance(ring, str):
        st.warning(text(ring))
    else:
        nachbarn, vergleich = vergleichsring.tabellen(ring)
        sitzung.tabelle(vergleich, html=True)
        sitzung.tabelle(nachbarn, html=True)
        st.caption(text(vergleichsring.methodentext(ring)))

with st.expander("Methode", expanded=False):
    for absatz in texte.methodentext(ergebnis):
        st.markdown(text(absatz))
