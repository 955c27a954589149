"""Steckbrief: ein Sozialraum oder eine Gemeinde auf einen Blick – jeder Indikator gegen die Spanne der Gebiete im
Kreis und gegen Kreis, Land und Bund (Spine-Chart), Verlauf und Trend, Ziele, Lage im Kreis, Bevölkerung.
Das Gebiet steht in der Adresszeile (?gebiet=SR2) und lässt sich als Lesezeichen speichern."""

import streamlit as st

from sozialmonitor.ausgabe import steckbrief
from sozialmonitor.oberflaeche import seite
from sozialmonitor.oberflaeche import sitzung
from sozialmonitor.ausgabe import MIME, steckbrief_dokument
from sozialmonitor.klartext import markdown as text

praesentation = sitzung.praesentation_aktiv()
seite.page_frame("" if praesentation else "Steckbrief", icon=":material/id_card:")
if praesentation:
    sitzung.praesentation_stil()

gebiete = seite.query("steckbrief_gebiete")
if gebiete.empty:
    st.info("Es gibt noch keine Sozialräume oder Gemeinden mit Grenzen. Bitte Grenzen und Werte importieren.")
    st.stop()
namen = steckbrief.areas(gebiete)
codes = list(namen)
gewaehlt = st.query_params.get("gebiet")
if gewaehlt and gewaehlt not in codes:  # a bookmark of an area that has no Steckbrief (any more): say so
    st.warning(f"Für das Gebiet „{text(gewaehlt)}“ gibt es keinen Steckbrief (nur Sozialräume und Gemeinden mit "
               f"Grenzen). Gezeigt wird {text(namen[codes[0]])}.", icon=":material/warning:")
with st.sidebar:
    gebiet = st.selectbox("Gebiet", codes, index=codes.index(gewaehlt) if gewaehlt in codes else 0,
                          format_func=namen.get, key="steckbrief_gebiet")
    sitzung.praesentation_schalter("steckbrief_praesentation")
st.query_params["gebiet"] = gebiet

profil = sitzung.steckbrief_zeigen(gebiet, gross=praesentation)

if not praesentation:
    st.divider()
    with st.container(horizontal=True, vertical_alignment="center"):
        for endung, label in (("docx", "Steckbrief (Word)"), ("pdf", "Steckbrief (PDF)")):
            sitzung.export_knopf(
                label, f"steckbrief_{endung}_{gebiet}",
                lambda fortschritt, endung=endung: steckbrief_dokument(seite.query, gebiet, endung, fortschritt,
                                                                    unterlagen=seite.ziel_unterlagen()),
                f"steckbrief_{gebiet}.{endung}", MIME[endung])
