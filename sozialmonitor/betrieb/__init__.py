"""Betrieb: running the Sozialmonitor for an office – who may reach it (freigabe), what a browser sees when the app
fails (fehler), the nginx site in front of N processes (nginx) and a local group of processes behind nginx for tests,
measurements and a trial without systemd (verbund). No streamlit import here; `oberflaeche/seite.py` and `server.py` call it.

May import: basis, config, daten, importer."""
