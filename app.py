"""Übersicht: what Sozialmonitor is, the data status, the goal summary and the way into the other pages."""

import pandas as pd
import streamlit as st

from sozialmonitor import fmt, klartext
from sozialmonitor.karten import kartendaten
from sozialmonitor.ziele import auswertung
from sozialmonitor.oberflaeche import seite
from sozialmonitor.oberflaeche import sitzung
from sozialmonitor.daten.config import GEODATA_ATTRIBUTION

if sitzung.praesentation_aktiv():  # /?praesentation=1 (as the README writes it) opens the presentation
    st.switch_page("pages/6_Praesentation.py", query_params=st.query_params.to_dict())
if st.query_params.get("gebiet"):  # /?gebiet=SR2 (as the README writes it) opens that area's Steckbrief
    st.switch_page(sitzung.STECKBRIEF_PAGE, query_params=st.query_params.to_dict())
seite.page_frame("Sozialmonitor", icon=":material/home:")

ziele = seite.ziele_zusammenfassung()
ebenen = set(seite.query("vergleichsebenen")["ebene"])
# what this database holds, not the demo's list (indicator names are user text)
st.markdown("**Kleinräumige Sozialindikatoren für die Sozial- und Jugendhilfeplanung.** " + klartext.markdown(
    kartendaten.einleitung_text(seite.query("map_indicators"), ebenen, bool(ziele["ziele"]))))

if ziele["ziele"]:
    st.subheader("Zielerreichung")
    st.markdown(f"**{ziele['text']}.** Stand der Ziele aus der Zielvereinbarung, je Ziel mit Verlauf, Prognose und "
                "Karte auf der Seite Zielerreichung.")

status = seite.query("data_status").iloc[0]
st.subheader("Datenstand")
columns = st.columns(5)
columns[0].metric("Gemeinden", fmt.zahl(status["gemeinden"]))
columns[1].metric("Sozialräume", fmt.zahl(status["sozialraeume"]))
columns[2].metric("Indikatoren", fmt.zahl(status["indikatoren"]))
columns[3].metric("Werte", fmt.zahl(status["beobachtungen"]))
columns[4].metric("Zeitraum", f"{status['zeitraum_von'][:4]}–{status['zeitraum_bis'][:4]}"
                  if pd.notna(status["zeitraum_von"]) else "–")
if pd.notna(status["letzter_import"]):
    st.caption(f"{fmt.anzahl(status['importe'], 'Import', 'Importe')}, zuletzt am "
               f"{fmt.datum(status['letzter_import'])}.")

st.subheader("Weiter zu")
links = st.columns(3)
with links[0]:
    st.page_link("pages/1_Karte.py", label="Karte", icon=":material/map:")
    st.caption(kartendaten.vergleich_text(ebenen))
with links[1]:
    st.page_link("pages/2_Zielerreichung.py", label="Zielerreichung", icon=":material/flag:")
    st.caption("Stand der Ziele aus der Zielvereinbarung: erreicht, auf Kurs, zu langsam.")
with links[2]:
    st.page_link("pages/3_Indikatoren.py", label="Indikatoren", icon=":material/menu_book:")
    st.caption("Definitionen, Berechnung, Quellen und vorhandene Zeiträume.")

st.divider()
st.caption(klartext.markdown(seite.geodaten_quelle()))  # an attribution typed at import is user text
