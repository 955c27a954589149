"""Erklärung zur Barrierefreiheit (BITV 2.0 § 7): wie weit der Sozialmonitor barrierefrei ist, was noch nicht, wie man
Barrieren meldet. Der Text steht in docs/barrierefreiheit.md (mit der Selbstbewertung je Kriterium); die Kontaktadresse
setzt der Betrieb (SOZIALMONITOR_KONTAKT_BARRIEREFREIHEIT)."""

import streamlit as st

from sozialmonitor.oberflaeche import seite
from sozialmonitor.oberflaeche.barrierefreiheit import erklaerung, kontakt

seite.page_frame("Erklärung zur Barrierefreiheit", icon=":material/accessibility_new:", ohne_daten=True)
adresse = kontakt()
if adresse:
    st.info(f"Barrieren melden: {adresse}", icon=":material/mail:")
else:
    st.warning("Für Rückmeldungen zur Barrierefreiheit ist noch keine Kontaktadresse eingetragen. Der Betrieb setzt "
               "sie mit der Umgebungsvariable SOZIALMONITOR_KONTAKT_BARRIEREFREIHEIT (siehe docs/betrieb.md).")
st.markdown(erklaerung())
