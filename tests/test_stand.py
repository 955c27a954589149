"""One database version per page run (issue 11, item 4): an import published between two queries of one page run
must not show up in the second query of that run, and the next run shows it."""

import shutil

from streamlit.testing.v1 import AppTest


def page_run_with_import_in_between():
    """A page run: one query, then a concurrent import publishes a new version, then two more queries."""
    import streamlit as st

    from sozialmonitor import importer
    from sozialmonitor.oberflaeche import seite
    from sozialmonitor.zugang import rollen
    from sozialmonitor.daten.config import database_path

    vorher = seite.query("data_status").iloc[0]
    gemeinden = seite.query("import_history")
    if st.session_state.get("importieren", True):
        st.session_state["importieren"] = False
        importer.run(database_path(), "observations",
                     "gebiet;indikator;zeitraum;zaehler;nenner;wert\n01001001;quote_jahr;2030;1;10;\n".encode(),
                     "nachgeliefert.csv", person=rollen.kommandozeile())
    nachher = seite.query("data_status").iloc[0]
    verlauf = seite.query("import_history")
    st.text(f"{vorher['beobachtungen']}|{nachher['beobachtungen']}|{len(gemeinden)}|{len(verlauf)}|"
            f"{vorher['importe']}|{nachher['importe']}")


def test_page_run_reads_one_version_although_an_import_publishes_meanwhile(tiny_db, tmp_path, monkeypatch):
    database = tmp_path / "stand.duckdb"
    shutil.copyfile(tiny_db, database)
    monkeypatch.setenv("SOZIALMONITOR_DB", str(database))
    at = AppTest.from_function(page_run_with_import_in_between, default_timeout=60).run()
    assert not at.exception
    vorher, nachher, verlauf_vorher, verlauf_nachher, importe_vorher, importe_nachher = map(
        int, at.text[0].value.split("|"))
    assert nachher == vorher, "the same run showed two versions of the observations"
    assert verlauf_nachher == verlauf_vorher == importe_vorher == importe_nachher

    at.run()  # the next run reads the newly published version
    assert not at.exception
    erneut, _, _, verlauf_neu, _, _ = map(int, at.text[0].value.split("|"))
    assert erneut == vorher + 1
    assert verlauf_neu == verlauf_vorher + 1
