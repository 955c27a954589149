"""The Sozialmonitor as a service: `streamlit run server.py` (scripts/app.sh, the systemd units in deploy/systemd/).
The same app as `streamlit run app.py` (pages/ and all), with two guards a network needs:

- it refuses to start on an address reachable from the network while no sign-in is configured (German message on
  stderr, exit code 2; sozialmonitor.betrieb.freigabe), and
- an unexpected error shows the browser a German message with a Kennung, the traceback goes only to the server log
  (Streamlit's `st.App(on_script_error=…)`; sozialmonitor.betrieb.fehler)."""

import sys

import streamlit as st

from sozialmonitor.oberflaeche import seite
from sozialmonitor.betrieb import freigabe

try:
    freigabe.pruefe_freigabe(st.get_option("server.address"), seite.secrets())
except freigabe.NichtFreigegeben as refusal:
    print(f"Der Sozialmonitor startet nicht. {refusal}", file=sys.stderr)
    sys.exit(2)

app = st.App("app.py", on_script_error=seite.fehler_anzeigen)
