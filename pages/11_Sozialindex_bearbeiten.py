"""Sozialindex bearbeiten (Bearbeiter): an index's indicators, weights, minimum size, dynamics span and class bounds,
a new index, removing one, and the Vergleichsring – each with a reason; every version with who, when and why. The
write functions (sozialindex.pflege) check the role again themselves."""

import streamlit as st

from sozialmonitor import klartext
from sozialmonitor.daten.config import database_path
from sozialmonitor.einlesen.sozialindex import EBENEN
from sozialmonitor.errors import SozialmonitorFehler
from sozialmonitor.oberflaeche import seite, sitzung
from sozialmonitor.oberflaeche import sozialindex as anzeige
from sozialmonitor.sozialindex import pflege

person = seite.page_frame("Sozialindex bearbeiten", icon=":material/tune:", aktion="sozialindex_bearbeiten")

AKTIONEN = {"aendern": "Index ändern", "neu": "Neuen Index anlegen", "entfernen": "Index entfernen",
            "ring": "Vergleichsring"}
EBENEN_TEXT = {"sozialraum": "Sozialräume", "gemeinde": "Gemeinden"}



if "sozialindex_meldung" in st.session_state:
    st.success(klartext.markdown(st.session_state.pop("sozialindex_meldung")))

try:
    tabellen = pflege.aktuelle_tabellen(anzeige.query())
except SozialmonitorFehler as exc:
    st.error(klartext.markdown(str(exc)))
    st.stop()
indizes = {i: s for a, i, s in tabellen if a == "index"}
ring = next((s for a, _, s in tabellen if a != "index"), None)
katalog = seite.query("sozialindex_indikatoren")
namen = dict(zip(katalog["id"], katalog["name"]))
quoten = [i for i, a, p in zip(katalog["id"], katalog["art"], katalog["polaritaet"]) if a == "quote" and p != "neutral"]
anzahlen = [i for i, a in zip(katalog["id"], katalog["art"]) if a == "anzahl"]
aktion = st.segmented_control("Was soll geschehen?", list(AKTIONEN), format_func=AKTIONEN.get, default="aendern",
                              key="sib_aktion") or "aendern"
ident = None
if aktion in ("aendern", "entfernen"):
    ident = st.selectbox("Index", list(indizes), format_func=lambda i: indizes[i].get("name", i), key="sib_index")

if aktion == "entfernen":
    st.caption("Ein entfernter Index verschwindet von der Seite „Sozialindex“; seine Fassungen bleiben erhalten.")
    with st.form("sib_entfernen"):
        grund = st.text_input("Grund (Pflicht, steht im Protokoll)", key="sib_grund_entfernen")
        if st.form_submit_button("Index entfernen", type="primary"):
            try:
                st.session_state["sozialindex_meldung"] = pflege.entfernen(database_path(), person, ident, grund)
                st.rerun()
            except SozialmonitorFehler as exc:
                seite.nicht_gespeichert(exc)
elif aktion == "ring":
    werte = ring or {"kreis": "", "indikatoren": [], "k": 5}
    with st.form("sib_ring"):
        spalten = st.columns([1, 1, 2])
        kreis = spalten[0].text_input("Kreisschlüssel (5 Stellen)", werte.get("kreis", ""), key="sib_ring_kreis")
        k = spalten[1].number_input("Anzahl ähnlicher Kreise (k)", value=int(werte.get("k", 5)), step=1,
                                    key="sib_ring_k")
        fest = spalten[2].checkbox("Fester Ring: die Kreise desselben importierten Vergleichstyps statt der k "
                                   "nächsten Nachbarn", value=bool(werte.get("vergleichstyp", False)),
                                   key="sib_ring_fest")
        auswahl = st.multiselect("Strukturindikatoren (Quoten), an denen die Ähnlichkeit gemessen wird",
                                 [i for i in katalog["id"] if i in set(katalog.loc[katalog["art"].eq("quote"), "id"])],
                                 default=[i for i in werte.get("indikatoren", []) if i in namen],
                                 format_func=namen.get, key="sib_ring_indikatoren")
        grund = st.text_input("Grund der Änderung (Pflicht, steht im Protokoll)", key="sib_ring_grund")
        if st.form_submit_button("Speichern", type="primary"):
            spec = {"kreis": kreis.strip(), "indikatoren": auswahl, "k": int(k), "vergleichstyp": bool(fest)}
            try:
                st.session_state["sozialindex_meldung"] = pflege.ring_speichern(database_path(), person, spec, grund)
                st.rerun()
            except SozialmonitorFehler as exc:
                seite.nicht_gespeichert(exc)
    st.caption("Die Werte der Kreise kommen als Referenzdaten über die Seite „Daten“ (Art „Vergleichsdaten der "
               "Kreise“); eine veröffentlichte Gruppierung (z. B. SGB-II-Vergleichstypen) als „Vergleichstypen der "
               "Kreise“.")
else:
    werte = pflege.formularwerte(indizes.get(ident) if aktion == "aendern" else None)
    schluessel = f"sib_{aktion}_{ident or 'neu'}"  # a fresh form per index
    # outside the form, so that a weight field appears for each chosen indicator at once
    gewaehlt = st.multiselect("Indikatoren (Quoten mit Wertung aus dem Katalog)", quoten,
                              default=[i for i in werte["indikatoren"] if i in quoten], format_func=namen.get,
                              key=f"{schluessel}_indikatoren")
    with st.form(schluessel):
        spalten = st.columns([1, 3, 1])
        neue_id = spalten[0].text_input("ID", werte["id"], disabled=aktion == "aendern", key=f"{schluessel}_id")
        name = spalten[1].text_input("Name", werte.get("name", ""), key=f"{schluessel}_name")
        ebene = spalten[2].selectbox("Ebene", EBENEN, index=EBENEN.index(werte.get("ebene", "sozialraum")),
                                     format_func=EBENEN_TEXT.get, key=f"{schluessel}_ebene")
        st.markdown("**Gewichte** (Standard: alle gleich, 1)")
        gewichte = {}
        for spalte, indikator in zip(st.columns(max(len(gewaehlt), 1)), gewaehlt):
            gewichte[indikator] = pflege.zahl_lesen(spalte.text_input(
                namen[indikator], pflege.zahl_text(werte["gewichte"].get(indikator, 1.0)),
                key=f"{schluessel}_gewicht_{indikator}", help="Eine Zahl größer als 0, mit Komma, z. B. 1 oder 1,5."))
        spalten = st.columns(4)
        groesse = spalten[0].selectbox("Größe gemessen an (Einwohner)", [None, *anzahlen],
                                       index=([None, *anzahlen].index(werte["groesse"])
                                              if werte["groesse"] in anzahlen else 0),
                                       format_func=lambda i: "– keine Mindestgröße –" if i is None else namen[i],
                                       key=f"{schluessel}_groesse")
        mindest = spalten[1].number_input("Mindestgröße (Einwohner)", value=int(werte["mindestgroesse"]), step=50,
                                          key=f"{schluessel}_mindest")
        spanne = spalten[2].number_input("Dynamik über Jahre", value=int(werte["dynamik_jahre"]), step=1,
                                         key=f"{schluessel}_spanne")
        sicher = spalten[3].number_input("„unsicher“ unter (%)", value=int(round(100 * werte["sicher_ab"])), step=5,
                                         key=f"{schluessel}_sicher")
        spalten = st.columns(5)
        grenzen_s = [pflege.zahl_lesen(spalten[n].text_input(t, pflege.zahl_text(werte["grenzen_status"][n]),
                                                             key=f"{schluessel}_gs{n}"))
                     for n, t in enumerate(("Status: „hoch“ bis z =", "„niedrig“ ab z =", "„sehr niedrig“ ab z ="))]
        grenzen_d = [pflege.zahl_lesen(spalten[3 + n].text_input(t, pflege.zahl_text(werte["grenzen_dynamik"][n]),
                                                                 key=f"{schluessel}_gd{n}"))
                     for n, t in enumerate(("Dynamik: „positiv“ bis z =", "„negativ“ ab z ="))]
        grund = st.text_input("Grund der Änderung (Pflicht, steht im Protokoll)", key=f"{schluessel}_grund")
        if st.form_submit_button("Speichern", type="primary"):
            spec = {"id": neue_id.strip(), "name": name.strip(), "ebene": ebene, "indikatoren": gewaehlt,
                    "gewichte": {i: g for i, g in gewichte.items() if g != 1.0}, "groesse": groesse,
                    "mindestgroesse": mindest, "dynamik_jahre": int(spanne), "sicher_ab": sicher / 100,
                    "grenzen_status": grenzen_s, "grenzen_dynamik": grenzen_d,
                    "ziehungen": int(werte["ziehungen"])}
            try:
                st.session_state["sozialindex_meldung"] = pflege.speichern(database_path(), person, spec, grund,
                                                                           neu=aktion == "neu")
                st.rerun()
            except SozialmonitorFehler as exc:
                seite.nicht_gespeichert(exc)

st.divider()
st.subheader("Fassungen")
auswahl = {i: s.get("name", i) for i, s in indizes.items()} | {pflege.RING_ID: "Vergleichsring"}
gezeigt = st.selectbox("Festlegung", list(auswahl), format_func=auswahl.get, key="sib_fassungen",
                       index=list(auswahl).index(ident) if ident in auswahl else 0)
fassungen = seite.query("sozialindex_fassungen", id=gezeigt)
if fassungen.empty:
    st.caption("Noch keine gespeicherte Fassung: es gilt data/sozialindex.toml.")
else:
    # an HTML table with wrapped cells: who, when, why and the whole definition read without scrolling sideways
    sitzung.tabelle(pflege.fassungen_tabelle(fassungen, namen), html=True)
st.caption("Jede Fassung mit dem, der sie gespeichert hat, Zeitpunkt und Grund. Frühere Fassungen eines Index zeigt "
           "die Seite „Sozialindex“ unter „Fassung der Definition“.")
