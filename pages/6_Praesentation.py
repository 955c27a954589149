"""Präsentation: die Ansichten für die Sitzung nacheinander – Stand der Ziele, je Ziel Tabelle und Verlauf, dann seine
Karte, danach die Steckbriefe der Sozialräume. Mit ?praesentation=1 ohne Seitenleiste und in großer Schrift; blättern
mit den Pfeiltasten oder den Knöpfen, Esc beendet. Jede Ansicht hat ihre eigene Adresse (?folie=…).

Alles unter dem Seitenrahmen ist ein Fragment: ein Schritt läuft nur dieses Stück neu (wie auf der Kartenseite)."""

import streamlit as st

from sozialmonitor import praesentation, targets, ui, ui_sitzung
from sozialmonitor.komponenten.blaettern import blaettern

aktiv = ui_sitzung.praesentation_aktiv()
ui.page_frame("" if aktiv else "Präsentation", icon=":material/co_present:")
if aktiv:
    ui_sitzung.praesentation_stil()


def folgen() -> tuple[list[praesentation.Folie], int]:
    """The sequence of views and the index of the one in the address."""
    katalog, bewertung = ui_sitzung.evaluation()
    uebersicht = targets.overview(katalog, bewertung) if not katalog.empty else katalog.assign(titel=[])
    gebiete = ui.query("steckbrief_gebiete")
    folien = praesentation.folien(uebersicht, gebiete)
    return folien, praesentation.finden(folien, st.query_params.get("folie"), gebiete)


def blaettern_geklickt() -> None:
    """A key or button: the next view's id goes into the address before the rerun; Esc leaves presentation mode."""
    richtung = str(st.session_state["praes_blaettern"].get("schritt") or "").split(":")[0]
    folien, position = folgen()
    if richtung == "beenden":
        st.query_params.pop("praesentation", None)
        st.session_state["praes_beendet"] = True
    elif richtung in praesentation.SCHRITTE:
        st.query_params["folie"] = folien[praesentation.schritt(position, len(folien), richtung)].id


if not aktiv:
    with st.sidebar:
        ui_sitzung.praesentation_schalter("praes_schalter")
    st.caption("Im Präsentationsmodus verschwinden Seitenleiste und Bedienelemente, die Schrift wird größer. "
               "Blättern: Pfeiltasten →/← oder die Knöpfe; Esc beendet.")
    st.button("Präsentation starten", icon=":material/co_present:", type="primary", key="praes_start",
              on_click=lambda: st.query_params.update({"praesentation": "1", "folie": folgen()[0][0].id}))


@st.fragment
def ansicht() -> None:
    if st.session_state.pop("praes_beendet", False):
        st.rerun(scope="app")  # Esc: the whole page again, with its sidebar
    folien, position = folgen()
    folie = folien[position]
    if aktiv and st.query_params.get("folie") != folie.id:
        st.query_params["folie"] = folie.id
    blaettern(position=position + 1, anzahl=len(folien), titel=folie.titel, folie=folie.id, key="praes_blaettern",
              on_step=blaettern_geklickt)
    if folie.art == "uebersicht":
        ui_sitzung.uebersicht_zeigen()
    elif folie.art == "ziel":
        ui_sitzung.ziel_zeigen(folie.bezug)
    elif folie.art == "karte":
        ui_sitzung.ziel_karte_zeigen(folie.bezug)
    else:
        ui_sitzung.steckbrief_zeigen(folie.bezug, gross=aktiv, key="praes_steckbrief")
    if position + 1 < len(folien):  # the view is on screen; the next one's data is computed meanwhile
        ui_sitzung.vorbereiten(folien[position + 1], gross=aktiv)


ansicht()
