"""Präsentation: die Ansichten für die Sitzung nacheinander – Stand der Ziele, je Ziel Tabelle und Verlauf, dann seine
Karte, danach die Steckbriefe der Sozialräume. Mit ?praesentation=1 ohne Seitenleiste und in großer Schrift; blättern
mit den Pfeiltasten oder den Knöpfen, Esc beendet. Jede Ansicht hat ihre eigene Adresse (?folie=…).

Alles unter dem Seitenrahmen ist ein Fragment: ein Schritt läuft nur dieses Stück neu (wie auf der Kartenseite)."""

import streamlit as st

from sozialmonitor.ausgabe import praesentation
from sozialmonitor.klartext import markdown as text
from sozialmonitor.oberflaeche import seite
from sozialmonitor.oberflaeche import sitzung
from sozialmonitor.oberflaeche.komponenten.blaettern import blaettern

aktiv = sitzung.praesentation_aktiv()
seite.page_frame("" if aktiv else "Präsentation", icon=":material/co_present:")
if aktiv:
    sitzung.praesentation_stil()


def folgen() -> tuple[list[praesentation.Folie], int]:
    """The sequence of views (evaluated once per database version) and the index of the one in the address."""
    ablauf = sitzung.sitzung()
    folien = list(ablauf.folien)  # a bookmarked Gemeinde's Steckbrief is appended to this run's copy
    return folien, praesentation.finden(folien, st.query_params.get("folie"), ablauf.gebiete)


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
        sitzung.praesentation_schalter("praes_schalter")
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
    with st.container(key="praes_inhalt"):
        if folie.art == "uebersicht":
            sitzung.uebersicht_zeigen()
        elif folie.art == "ziel":
            sitzung.ziel_zeigen(folie.bezug)
        elif folie.art == "karte":
            sitzung.ziel_karte_kopf(folie.bezug)
        elif folie.art == "sozialindex":
            sitzung.sozialindex_zeigen(folie.bezug)
        elif folie.art == "steckbrief_ziele":
            sitzung.steckbrief_zeigen(folie.bezug, gross=aktiv, key="praes_steckbrief", teil="ziele")
        else:
            sitzung.steckbrief_zeigen(folie.bezug, gross=aktiv, key="praes_steckbrief",
                                      teil="bild" if aktiv else "alles")
    # The one status map stays at this place in every view: hidden unless the view is a map, holding the nearest
    # map view's target, so a step to a map only shows and recolours it (see sitzung.KARTENPLATZ).
    with st.container(key=sitzung.KARTENPLATZ):
        karte_da = sitzung.praesentationskarte(praesentation.naechste_karte(folien, position))
    with st.container(key="praes_unter_karte"):
        if folie.art == "karte" and karte_da:
            st.caption(text(sitzung.karte_hinweis(folie.bezug) + " " + seite.geodaten_quelle()))
        elif karte_da:
            sitzung.karte_verbergen()
    sitzung.plotly_vorladen()
    if position + 1 < len(folien):  # the view is on screen; the next one's data is computed meanwhile
        sitzung.vorbereiten(folien[position + 1], gross=aktiv)


ansicht()
