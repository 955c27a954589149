"""Protokoll (Bearbeiter): who imported, undid, changed a target or a role – when and why; exportable as CSV and
Excel. Below: the sign-ins, sign-outs and failed or refused sign-in attempts of the same period (without passwords;
zugang.anmeldungen)."""

from datetime import date, datetime, time, timedelta

import streamlit as st

from sozialmonitor import fmt
from sozialmonitor.zugang import protokoll
from sozialmonitor.oberflaeche import seite, sitzung
from sozialmonitor.zugang import anmeldungen

ZEILEN = 200  # the newest entries on the page; the files hold all

seite.page_frame("Protokoll", icon=":material/history:", aktion="verlauf_sehen")

st.caption("Jeder Import, jedes Rückgängigmachen, jede Änderung eines Ziels und jeder Rolle mit der angemeldeten "
           "Person, Zeitpunkt und Grund. Einträge werden nie geändert oder gelöscht.")
zeitraum = st.date_input("Zeitraum", value=(date.today() - timedelta(days=365), date.today()),
                         max_value=date.today(), format="DD.MM.YYYY", key="protokoll_zeitraum")
von, bis = (tuple(zeitraum) + (None, None))[:2] if isinstance(zeitraum, (tuple, list)) else (zeitraum, None)
eintraege = seite.query("protokoll", von=datetime.combine(von, time.min) if von else None,
                     bis=datetime.combine(bis + timedelta(days=1), time.min) if bis else None)
st.write(protokoll.zusammenfassung(eintraege))
# The Daten page counts every import; the log only those made by a person in the app or on the command line with
# "import" – say how the two numbers relate instead of leaving "0 Einträge" beside "7 Importe" unexplained.
importe = int(seite.query("data_status")["importe"].iloc[0])
alle = seite.query("protokoll", von=None, bis=None)
protokolliert = int(alle.loc[alle["aktion"].eq("import"), "import_id"].nunique())
if importe > protokolliert:
    st.caption(f"Die Datenbank hat {fmt.anzahl(importe, 'Import', 'Importe')}, davon "
               f"{fmt.zahl(protokolliert)} mit Eintrag im Protokoll. Die übrigen {fmt.zahl(importe - protokolliert)} entstanden ohne "
               "angemeldete Person (etwa die Demodaten beim Aufbau der Datenbank); sie stehen mit Datei und "
               "Zeitpunkt auf der Seite „Daten“.")
if not eintraege.empty:
    # an HTML table with wrapped cells: as an interactive table, Grund and Gegenstand were cut at 1400 px
    tabelle = protokoll.seitentabelle(eintraege)
    gezeigt = tabelle.head(ZEILEN)
    sitzung.tabelle(gezeigt, html=True)
    if len(tabelle) > len(gezeigt):
        st.caption(f"Die neuesten {fmt.zahl(len(gezeigt))} von {fmt.anzahl(len(tabelle), 'Eintrag', 'Einträgen')}; "
                   "alle stehen in der CSV- und der Excel-Datei.")
    with st.container(horizontal=True):
        st.download_button("Als CSV", protokoll.csv_bytes(eintraege), file_name=protokoll.dateiname("csv"),
                           mime="text/csv", icon=":material/download:", key="protokoll_csv", on_click="ignore")
        st.download_button("Als Excel", protokoll.xlsx_bytes(eintraege), file_name=protokoll.dateiname("xlsx"),
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/table:", key="protokoll_xlsx", on_click="ignore")

st.subheader("Anmeldungen")
versuche = seite.anmeldungen_ablage().versuche(von=datetime.combine(von, time.min) if von else None,
                                               bis=datetime.combine(bis + timedelta(days=1), time.min) if bis else None)
st.caption("Anmeldungen, Abmeldungen und Fehlversuche mit Kennung und Adresse – nie mit Passwort. Nach "
           "mehreren Fehlversuchen wartet eine Kennung oder Adresse, bevor sie es wieder versuchen darf.")
if versuche.empty:
    st.write("Keine Anmeldungen in diesem Zeitraum.")
else:
    st.dataframe(anmeldungen.tabelle(versuche), hide_index=True, width="stretch")
