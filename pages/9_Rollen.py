"""Rollen (Verwaltung): who is Betrachter, Bearbeiter or Verwaltung, restricted to which Gemeinde or Sozialraum,
and local users with a password for a machine without identity provider. Every change with a reason in the
Protokoll; the write functions (verwaltung) check the role again themselves."""

import pandas as pd
import streamlit as st

from sozialmonitor import fmt, klartext
from sozialmonitor.oberflaeche import seite
from sozialmonitor.zugang import verwaltung
from sozialmonitor.zugang import rollen
from sozialmonitor.daten.config import database_path
from sozialmonitor.errors import KeinZugriff, SozialmonitorFehler

person = seite.page_frame("Rollen", icon=":material/admin_panel_settings:", aktion="rollen_verwalten")

if "rollen_meldung" in st.session_state:
    st.success(klartext.markdown(st.session_state.pop("rollen_meldung")))  # user text shown as typed


def ausfuehren(schritt) -> None:
    try:
        st.session_state["rollen_meldung"] = schritt()
    except KeinZugriff as exc:
        seite.kein_zugriff(exc)
    except SozialmonitorFehler as exc:
        st.error(klartext.markdown(str(exc)))
    else:
        st.rerun()


st.caption("Die Rolle eines Eintrags hier hat Vorrang vor den Gruppen des Identitätsanbieters; ohne Eintrag gilt "
           "die Gruppe ([zugang.gruppen] in .streamlit/secrets.toml), sonst Betrachter. Beim Gebiet gilt das engere "
           "von beiden: Ein Eintrag ohne Gebiet hebt die Beschränkung des Anbieters nicht auf. Der Anbieter zählt so, "
           "wie er die Person bei ihrer letzten Anmeldung beschrieben hat.")
benutzer = seite.query("benutzer")
letzte = seite.anmeldungen_ablage().letzte_claims()
gebiete = seite.query("gebiete_mit_sozialraum")
if entfallen := rollen.entfallene_beschraenkungen(benutzer, gebiete):
    st.warning(klartext.markdown(
        "Beschränkt auf ein Gebiet, das es nicht mehr gibt (mit einer neuen Sozialraum-Zuordnung entfallen): "
        + "; ".join(entfallen) + ". Diese Personen sehen keine Daten, bis die Beschränkung hier geändert oder der "
        "Import rückgängig gemacht ist."), icon=":material/warning:")
if benutzer.empty and letzte.empty:
    st.info("Noch keine Einträge.")
else:
    st.dataframe(rollen.quellen(benutzer, letzte, rollen.einstellungen(seite.secrets().get("zugang")),
                                gebiete), hide_index=True, width="stretch")
if not benutzer.empty:
    with st.expander("Einträge der Rollentabelle im Einzelnen"):
        st.dataframe(pd.DataFrame({
            "Kennung": benutzer["kennung"], "Name": benutzer["name"],
            "Rolle": benutzer["rolle"].map(rollen.ROLLEN.get),
            "nur Gebiet": [("" if pd.isna(c) else f"{n} ({c})" if isinstance(n, str) else f"{c} – entfallen")
                           for c, n in zip(benutzer["gebiet"], benutzer["gebiet_name"])],
            "lokale Anmeldung": benutzer["lokal"].map({True: "ja", False: "nein"}),
            "geändert": [f"{fmt.datum(t)} von {v}" for t, v in zip(benutzer["geaendert_am"],
                                                                  benutzer["geaendert_von"])],
        }), hide_index=True, width="stretch")

bereiche = gebiete[gebiete["ebene"].isin(["sozialraum", "gemeinde"])]
bereich_namen = dict(zip(bereiche["code"], bereiche["name"] + " (" + bereiche["code"] + ")"))

st.subheader("Rolle setzen")
with st.form("rollen_setzen", clear_on_submit=False):
    spalten = st.columns(2)
    kennung = spalten[0].text_input("Kennung (E-Mail-Adresse beim Identitätsanbieter oder Anmeldename)",
                                    key="rollen_kennung")
    name = spalten[1].text_input("Name", key="rollen_name")
    spalten = st.columns(2)
    rolle = spalten[0].selectbox("Rolle", list(rollen.ROLLEN), format_func=rollen.ROLLEN.get, key="rollen_rolle")
    gebiet = spalten[1].selectbox("Nur dieses Gebiet (Datendienst für eine Gemeinde)", list(bereich_namen),
                                  format_func=bereich_namen.get, index=None, placeholder="keine eigene (die des Anbieters gilt)",
                                  key="rollen_gebiet")
    passwort = st.text_input("Passwort für die lokale Anmeldung (nur ohne Identitätsanbieter; leer: unverändert)",
                             type="password", key="rollen_passwort")
    grund = st.text_input("Grund (Pflicht, steht im Protokoll)", key="rollen_grund")
    if st.form_submit_button("Speichern", type="primary"):
        ausfuehren(lambda: verwaltung.rolle_setzen(database_path(), person, kennung, name, rolle, gebiet, grund,
                                                   passwort or None))

if not benutzer.empty:
    st.subheader("Eintrag entfernen")
    with st.form("rollen_entfernen"):
        wen = st.selectbox("Kennung", list(benutzer["kennung"]), key="rollen_entfernen_kennung")
        grund_weg = st.text_input("Grund (Pflicht, steht im Protokoll)", key="rollen_entfernen_grund")
        if st.form_submit_button("Eintrag entfernen"):
            ausfuehren(lambda: verwaltung.eintrag_entfernen(database_path(), person, wen, grund_weg))
