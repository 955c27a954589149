"""The Sozialmonitor as a service: `streamlit run server.py` (scripts/app.sh, the systemd units in deploy/systemd/).
The same app as `streamlit run app.py` (pages/ and all), with the guards a network needs:

- it refuses to start on an address reachable from the network while no sign-in is configured – neither [auth]
  nor local users with a password in the database (German message on stderr, exit code 2;
  sozialmonitor.betrieb.freigabe),
- every request passes the guard first (sozialmonitor.oberflaeche.waechter): without sign-in only this machine is
  served, the sign-in cookie is set and revoked, uploads and the server's metrics need a signed-in person, and
- an unexpected error shows the browser a German message with a Kennung, the traceback goes only to the server log
  (Streamlit's `st.App(on_script_error=…)`; sozialmonitor.betrieb.fehler)."""

import sys

import streamlit as st
from starlette.middleware import Middleware

from sozialmonitor.betrieb import freigabe
from sozialmonitor.oberflaeche import seite, waechter

try:
    freigabe.pruefe_freigabe(st.get_option("server.address"), seite.secrets(),
                             lokale_benutzer=waechter.lage_der_app().art() == "lokal")
except freigabe.NichtFreigegeben as refusal:
    print(f"Der Sozialmonitor startet nicht. {refusal}", file=sys.stderr)
    sys.exit(2)

app = st.App("app.py", on_script_error=seite.fehler_anzeigen,
             middleware=[Middleware(waechter.Waechter, lage=waechter.lage_der_app())])
