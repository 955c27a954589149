"""An import interrupted by a dead process is reported (issue 23, finding 9): it left its working copy behind, and
the next page view of a person who may import says so – not a word before. The next import clears the remnants."""

import shutil
import subprocess
import sys
import textwrap

from conftest import ROOT, open_page
from sozialmonitor import importer
from sozialmonitor.daten import arbeitskopie
from sozialmonitor.zugang import rollen

WERTE = b"gebiet;indikator;zeitraum;zaehler;nenner;wert\n16065001;familienlotsen;2031;;;4\n"


def test_an_import_killed_with_its_process_is_reported_on_the_next_page_view(demo_db, tmp_path, monkeypatch):
    path = tmp_path / "sozialmonitor.duckdb"
    shutil.copyfile(demo_db, path)
    vorher = path.read_bytes()
    getoetet = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import os
        from sozialmonitor.daten import arbeitskopie
        with arbeitskopie.working_copy({str(path)!r}) as con:
            con.execute("DELETE FROM beobachtungen")
            os._exit(9)  # the process dies in the middle of the import, as under kill -9
        """)], cwd=ROOT)
    assert getoetet.returncode == 9
    assert path.read_bytes() == vorher  # nothing published
    assert len(arbeitskopie.abgebrochene_importe(path)) == 1
    monkeypatch.setenv("SOZIALMONITOR_DB", str(path))
    at = open_page("pages/4_Daten.py").run()  # the laptop user: Bearbeiter
    assert not at.exception
    assert any("Import ist am" in w.value and "abgebrochen" in w.value and "erneut importieren" in w.value
               for w in at.warning)
    importer.run(path, "observations", WERTE, "werte.csv", person=rollen.kommandozeile())
    assert arbeitskopie.abgebrochene_importe(path) == []
    at = open_page("pages/4_Daten.py").run()
    assert not any("abgebrochen" in w.value for w in at.warning)


def test_a_running_import_is_no_remnant(tmp_path):
    path = tmp_path / "sozialmonitor.duckdb"
    with arbeitskopie.working_copy(path) as con:
        con.execute("SELECT 1")
        assert arbeitskopie.abgebrochene_importe(path) == []  # its own copy, while it holds the lock
