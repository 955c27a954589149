"""An import publishes a new database file while readers hold the old one open read-only."""

import shutil

from sozialmonitor import cli
from sozialmonitor.daten import db


def test_import_while_a_reader_holds_the_database_open(tiny_db, tmp_path):
    path = tmp_path / "live.duckdb"
    shutil.copyfile(tiny_db, path)
    reader = db.connect_read_only(path)
    version_before = db.file_version(path)
    new_values = tmp_path / "neu.csv"
    new_values.write_text("gebiet;indikator;zeitraum;zaehler;nenner;wert\n01001001;quote_jahr;2025;3;100;\n",
                          encoding="utf-8")

    assert cli.main(["import", "observations", str(new_values), "--db", str(path)]) == 0

    # The open reader still sees its own consistent snapshot; a reopened one sees the new value.
    assert reader.execute("SELECT count(*) FROM beobachtungen WHERE zeitraum = '2025'").fetchall()[0][0] == 0
    assert db.file_version(path) != version_before
    fresh = db.connect_read_only(path)
    assert fresh.execute("SELECT wert FROM beobachtungen WHERE zeitraum = '2025'").fetchall()[0][0] == 3.0
    reader.close()
    fresh.close()


def test_refused_import_leaves_the_file_untouched(tiny_db, tmp_path, capsys):
    path = tmp_path / "live.duckdb"
    shutil.copyfile(tiny_db, path)
    before = path.read_bytes()
    bad = tmp_path / "falsch.csv"
    bad.write_text("gebiet;indikator;zeitraum;zaehler;nenner;wert\n99999999;quote_jahr;2025;3;100;\n", encoding="utf-8")

    assert cli.main(["import", "observations", str(bad), "--db", str(path)]) == 2
    assert path.read_bytes() == before
    assert "falsch.csv, Zeile 2, Feld „gebiet“" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.tmp"))
