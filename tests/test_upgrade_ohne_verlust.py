"""Never lose a planner's data on upgrade (issue 11, item 7): a demo database that also holds a planner's own
import is migrated, never rebuilt from the demo files, and backed up first; the "Demodaten" notice is shown only
while the data is the demo's alone."""

import shutil

import duckdb
import pytest

from sozialmonitor import importer
from sozialmonitor.daten import db
from sozialmonitor.importer import demo
from sozialmonitor.daten import queries
from sozialmonitor.zugang import rollen

from conftest import query_rows as rows

EIGENE_WERTE = ("gebiet;indikator;zeitraum;zaehler;nenner;wert\n"
                "16065001;sgb2_u10;2030;3;40;\n16065003;sgb2_u10;2030;5;60;\n").encode()


def make_old(path, version: int) -> None:
    """What a database of an older schema looks like: no importe.demo, an older version row."""
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE importe DROP COLUMN IF EXISTS demo")
    con.execute("UPDATE schema_version SET version = $v", {"v": version})
    con.close()


def imports(path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [row[0] for row in con.execute("SELECT datei FROM importe ORDER BY import_id").fetchall()]
    finally:
        con.close()


def demo_notice(path) -> bool:
    con = db.connect_read_only(path)
    try:
        return bool(queries.run_query(con, "data_status").iloc[0]["demo"])
    finally:
        con.close()


@pytest.fixture
def demo_with_planner_data(demo_db, tmp_path):
    path = tmp_path / "sozialmonitor.duckdb"
    shutil.copyfile(demo_db, path)
    importer.run(path, "observations", EIGENE_WERTE, "eigene_werte_2030.csv", person=rollen.kommandozeile())
    return path


def test_an_old_demo_with_a_planners_import_is_not_rebuilt(demo_with_planner_data):
    path = demo_with_planner_data
    make_old(path, db.SCHEMA_VERSION - 1)
    demo.ensure_database(path)  # what the app does on every start
    assert "eigene_werte_2030.csv" in imports(path)
    assert db.schema_and_demo(path) == (db.SCHEMA_VERSION - 1, False)


def test_upgrade_migrates_after_a_backup_and_keeps_the_planners_import(demo_with_planner_data):
    path = demo_with_planner_data
    make_old(path, db.SCHEMA_VERSION - 1)
    old = path.read_bytes()
    importer.upgrade(path, person=rollen.kommandozeile())
    assert db.schema_and_demo(path) == (db.SCHEMA_VERSION, False)
    assert "eigene_werte_2030.csv" in imports(path)
    backups = list((path.parent / importer.BACKUP_FOLDER).glob("sozialmonitor.schema*.duckdb"))
    assert len(backups) == 1 and backups[0].read_bytes() == old
    assert demo_notice(path)  # the demo's synthetic values are still there beside the planner's own (issue 23)


def test_the_demo_notice_is_shown_while_any_demo_value_is(demo_db, tmp_path):
    """Issue 23, finding 8: one target edited in the app removed "DEMODATEN" from every output although the values
    were still synthetic. The notice goes only with the last demo value."""
    from sozialmonitor.ziele import pflege

    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    assert demo_notice(path)
    katalog = rows(path, "ziele_katalog")
    ziel = pflege.formularwerte(katalog[katalog["id"] == "3.1-jugendarbeitslosigkeit"].iloc[0].to_dict())
    pflege.speichern(path, rollen.kommandozeile(), ziel | {"schwelle": 6.5}, "Beschluss", neu=False)
    assert demo_notice(path)  # an edited target: the values are still the demo's
    ergebnis = importer.run(path, "observations", EIGENE_WERTE, "eigene_werte_2030.csv", person=rollen.kommandozeile())
    assert demo_notice(path)  # a planner's own values beside the synthetic ones
    importer.run_undo(path, ergebnis.import_id, person=rollen.kommandozeile(), grund="Test")
    assert demo_notice(path)
    con = duckdb.connect(str(path))  # without any value of the demo's imports there is nothing synthetic to show
    con.execute("DELETE FROM beobachtungen WHERE import_id IN (SELECT import_id FROM importe WHERE demo)")
    con.close()
    assert not demo_notice(path)


def test_an_old_pure_demo_is_still_rebuilt(demo_db, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    make_old(path, db.SCHEMA_VERSION - 1)
    assert db.schema_and_demo(path) == (db.SCHEMA_VERSION - 1, True)
    demo.ensure_database(path)
    assert db.schema_and_demo(path) == (db.SCHEMA_VERSION, True)
    assert demo_notice(path)
