"""Ziele bearbeiten (Bearbeiter): create, change or retire a target with a reason; every version of a target with
who, when and why. The write functions (zielpflege) check the role again themselves."""

import streamlit as st

from sozialmonitor import fmt, klartext
from sozialmonitor.karten import kartendaten
from sozialmonitor.ziele import auswertung
from sozialmonitor.oberflaeche import seite
from sozialmonitor.ziele import pflege
from sozialmonitor.daten.config import database_path
from sozialmonitor.errors import SozialmonitorFehler

person = seite.page_frame("Ziele bearbeiten", icon=":material/edit_note:", aktion="ziele_bearbeiten")

AKTIONEN = {"aendern": "Ziel ändern", "neu": "Neues Ziel anlegen", "zurueckziehen": "Ziel zurückziehen"}
GEBIETS_WOERTER = {"kreis": "jeder Kreis („kreis“)", "sozialraeume": "jeder Sozialraum („sozialraeume“)"}



if "ziele_meldung" in st.session_state:
    st.success(klartext.markdown(st.session_state.pop("ziele_meldung")))  # user text shown as typed

katalog = seite.query("ziele_katalog")
titel = dict(zip(katalog["id"], katalog["titel"]))
aktion = st.segmented_control("Was soll geschehen?", list(AKTIONEN), format_func=AKTIONEN.get, default="aendern",
                              key="zb_aktion") or "aendern"
ziel_id = None
if aktion in ("aendern", "zurueckziehen"):
    if katalog.empty:
        st.info("Es gibt noch kein Ziel.")
        st.stop()
    ziel_id = st.selectbox("Ziel", list(titel), format_func=titel.get, key="zb_ziel")

if aktion == "zurueckziehen":
    st.caption("Ein zurückgezogenes Ziel verschwindet aus der Zielerreichung; seine Fassungen bleiben erhalten, und "
               "„Stand der Ziele am …“ zeigt es für frühere Tage weiter.")
    with st.form("zb_zurueckziehen"):
        grund = st.text_input("Grund (Pflicht, steht im Protokoll)", key="zb_grund_zurueck")
        if st.form_submit_button("Ziel zurückziehen", type="primary"):
            try:
                st.session_state["ziele_meldung"] = pflege.zurueckziehen(database_path(), person, ziel_id, grund)
                st.rerun()
            except SozialmonitorFehler as exc:
                seite.nicht_gespeichert(exc)
else:
    werte = pflege.formularwerte(katalog[katalog["id"] == ziel_id].iloc[0].to_dict() if ziel_id else None)
    indikatoren = seite.query("map_indicators")
    namen = dict(zip(indikatoren["id"], indikatoren["name"]))
    gebiete = seite.query("gebiete_mit_sozialraum")
    gebiet_namen = {**GEBIETS_WOERTER, **{c: f"{n} ({c})" for c, n in zip(gebiete["code"], gebiete["name"])}}
    referenzen = gebiete[gebiete["ebene"].isin(["kreis", "land", "bund"])]
    schluessel = f"zb_{aktion}_{ziel_id or 'neu'}"  # a fresh form per target
    with st.form(schluessel):
        spalten = st.columns([1, 3])
        ident = spalten[0].text_input("ID", werte["id"], disabled=aktion == "aendern", key=f"{schluessel}_id")
        titel_neu = spalten[1].text_input("Titel", werte["titel"], key=f"{schluessel}_titel")
        spalten = st.columns(3)
        indikator = spalten[0].selectbox("Indikator", list(namen), format_func=namen.get,
                                         index=list(namen).index(werte["indikator"]) if werte["indikator"] in namen
                                         else 0, key=f"{schluessel}_indikator")
        vergleich = spalten[1].selectbox("Vergleich", list(auswertung.VERGLEICHE),
                                         format_func=lambda v: f"{auswertung.ZEICHEN[v]} ({auswertung.VERGLEICH_TEXT[v]})",
                                         index=list(auswertung.VERGLEICHE).index(werte["vergleich"]),
                                         key=f"{schluessel}_vergleich")
        aggregation = spalten[2].selectbox("Jahreswert", auswertung.AGGREGATIONEN,
                                           index=auswertung.AGGREGATIONEN.index(werte["aggregation"]),
                                           format_func=lambda a: {"jahreswert": "Wert des Jahres",
                                                                  "jahresdurchschnitt": "Jahresdurchschnitt"}[a],
                                           key=f"{schluessel}_aggregation")
        auswahl = st.multiselect("Gebiete", list(gebiet_namen), default=[g for g in werte["gebiete"]
                                                                          if g in gebiet_namen],
                                 format_func=gebiet_namen.get, key=f"{schluessel}_gebiete")
        spalten = st.columns(3)
        art = spalten[0].radio("Vorgabe", ["schwelle", "referenz"], horizontal=True,
                               index=1 if werte["referenz"] else 0, key=f"{schluessel}_art",
                               format_func=lambda a: {"schwelle": "Schwelle", "referenz": "Vergleichsgebiet"}[a])
        # typed the German way ('6,5'), shown as the agreement writes it ('7', not '7.00')
        schwelle_text = spalten[1].text_input(
            "Schwelle (in der Einheit des Indikators)", key=f"{schluessel}_schwelle",
            value="" if werte["schwelle"] is None else fmt.zahl(werte["schwelle"], 2).rstrip("0").rstrip(","),
            help="Eine Zahl mit Komma, z. B. 7 oder 6,5.")
        schwelle = kartendaten.parse_zahl(schwelle_text)
        ref_codes = list(referenzen["code"])
        referenz = spalten[2].selectbox("Vergleichsgebiet", ref_codes, format_func=gebiet_namen.get,
                                        index=ref_codes.index(werte["referenz"]) if werte["referenz"] in ref_codes
                                        else None, placeholder="Bitte wählen", key=f"{schluessel}_referenz")
        spalten = st.columns(3)
        anzahl = spalten[0].number_input("Mindestens so viele Gebiete (leer: jedes einzeln)", value=werte["anzahl"],
                                         min_value=1, step=1, key=f"{schluessel}_anzahl")
        basisjahr = spalten[1].number_input("Basisjahr", value=werte["basisjahr"], min_value=1950, max_value=2100,
                                            step=1, key=f"{schluessel}_basisjahr")
        frist = spalten[2].date_input("Frist", value=werte["frist"], format="DD.MM.YYYY", key=f"{schluessel}_frist")
        handlungsfeld = st.text_input("Handlungsfeld", werte["handlungsfeld"], key=f"{schluessel}_feld")
        quelle = st.text_input("Quelle", werte["quelle"], key=f"{schluessel}_quelle")
        verantwortlich = st.text_input("Verantwortlich", werte["verantwortlich"], key=f"{schluessel}_verantwortlich")
        wortlaut = st.text_area("Wortlaut der Vereinbarung (optional)", werte["wortlaut"] or "",
                                key=f"{schluessel}_wortlaut")
        hinweis = st.text_area("Hinweis (optional)", werte["hinweis"] or "", key=f"{schluessel}_hinweis")
        grund = st.text_input("Grund der Änderung (Pflicht, steht im Protokoll)", key=f"{schluessel}_grund")
        if st.form_submit_button("Speichern", type="primary"):
            if art == "schwelle" and schwelle_text.strip() and schwelle is None:
                st.error(f"Die Schwelle „{klartext.markdown(schwelle_text)}“ ist keine Zahl (Beispiel: 7 oder 6,5).")
                st.stop()
            spec = {"id": ident, "titel": titel_neu, "indikator": indikator, "gebiete": auswahl,
                    "vergleich": vergleich, "aggregation": aggregation,
                    "schwelle": float(schwelle) if art == "schwelle" and schwelle is not None else None,
                    "referenz": referenz if art == "referenz" else None,
                    "anzahl": int(anzahl) if anzahl is not None else None, "basisjahr": int(basisjahr),
                    "frist": frist, "handlungsfeld": handlungsfeld, "quelle": quelle,
                    "verantwortlich": verantwortlich, "wortlaut": wortlaut, "hinweis": hinweis}
            try:
                st.session_state["ziele_meldung"] = pflege.speichern(database_path(), person, spec, grund,
                                                                         neu=aktion == "neu")
                st.rerun()
            except SozialmonitorFehler as exc:
                seite.nicht_gespeichert(exc)

st.divider()
st.subheader("Fassungen eines Ziels")
alle = seite.query("ziele_alle_ids")
if not alle.empty:
    alle_titel = {i: t + ("" if a else " (zurückgezogen)") for i, t, a in zip(alle["id"], alle["titel"],
                                                                              alle["aktuell"])}
    gezeigt = st.selectbox("Ziel", list(alle_titel), format_func=alle_titel.get, key="zb_fassungen",
                           index=list(alle_titel).index(ziel_id) if ziel_id in alle_titel else 0)
    st.dataframe(pflege.versionen_tabelle(seite.query("ziel_versionen", ziel=gezeigt)), hide_index=True,
                 width="stretch")
    st.caption("Jede Fassung mit dem, der sie gespeichert hat, Zeitpunkt und Grund. Frühere Stände zeigt die Seite "
               "„Zielerreichung“ unter „Stand der Ziele am …“.")
