"""Übersicht: what Sozialmonitor is, the data status, and the way into the other pages."""

import streamlit as st

from sozialmonitor import fmt, ui

ui.page_frame("Sozialmonitor – Übersicht", icon="🏠")

status = ui.query("data_status").iloc[0]
st.markdown(
    "Kleinräumige Sozialindikatoren für die Sozial- und Jugendhilfeplanung: Karten je Sozialraum und Gemeinde, "
    "Indikatoren mit Definition und Quelle, und der Stand der Ziele aus der Zielvereinbarung."
)
columns = st.columns(4)
columns[0].metric("Gemeinden", fmt.zahl(status["gemeinden"]))
columns[1].metric("Sozialräume", fmt.zahl(status["sozialraeume"]))
columns[2].metric("Indikatoren", fmt.zahl(status["indikatoren"]))
columns[3].metric("Werte", fmt.zahl(status["beobachtungen"]))
