"""Nothing the office made is rebuilt away (issue 23, finding 5): an older demo database that holds local users,
scoped users or Protokoll entries is left to `upgrade` (migrated after a backup), never rebuilt from the demo; a
missing database file is an error that says so – only the laptop's very first start on the default path builds the
demo (README), never a file deleted while the app runs or one with an office's traces beside it."""

import shutil

import pytest

from conftest import open_page
from test_upgrade_ohne_verlust import make_old
from sozialmonitor.daten import db
from sozialmonitor.errors import DatenbankFehler
from sozialmonitor.importer import demo
from sozialmonitor.zugang import rollen, verwaltung


@pytest.fixture
def alte_demo_des_amts(demo_db, tmp_path):
    """A previous-schema demo with a local Verwaltung user, a scoped user and two Protokoll entries."""
    path = tmp_path / "sozialmonitor.duckdb"
    shutil.copyfile(demo_db, path)
    kommandozeile = rollen.kommandozeile()
    verwaltung.rolle_setzen(path, kommandozeile, "vera", "Vera Verwaltung", "verwaltung", None, "Einrichtung",
                            passwort="vera-passwort-123")
    verwaltung.rolle_setzen(path, kommandozeile, "gero@gemeinde.example", "Gero", "betrachter", "SR2",
                            "Datendienst")
    make_old(path, db.SCHEMA_VERSION - 1)
    return path


def test_an_old_demo_with_users_and_protokoll_is_not_rebuilt(alte_demo_des_amts):
    path = alte_demo_des_amts
    assert db.schema_and_demo(path) == (db.SCHEMA_VERSION - 1, True)  # by its imports, still the demo's data
    vorher = path.read_bytes()
    demo.ensure_database(path)  # what every page run does first
    assert path.read_bytes() == vorher  # left to `upgrade` (with its backup), not rebuilt
    con = db.open_database(path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM protokoll WHERE person_kennung <> $k",
                           {"k": demo.DEMO_AUFBAU.kennung}).fetchall()[0][0] == 2
        assert sorted(r[0] for r in con.execute("SELECT kennung FROM benutzer").fetchall()) == [
            "gero@gemeinde.example", "vera"]
    finally:
        con.close()


def test_an_old_demo_whose_protokoll_holds_only_its_own_build_is_rebuilt(demo_db, tmp_path):
    """The demo's imports stand in the Protokoll by "Demo-Aufbau (Kommandozeile)" (issue 20): those entries are the
    build's, not the office's – an outdated demo with nothing else is still built anew."""
    path = tmp_path / "sozialmonitor.duckdb"
    shutil.copyfile(demo_db, path)
    make_old(path, db.SCHEMA_VERSION - 1)
    demo.ensure_database(path)
    assert db.schema_and_demo(path)[0] == db.SCHEMA_VERSION


def test_a_missing_database_is_an_error_and_no_demo(tmp_path):
    path = tmp_path / "sozialmonitor.duckdb"
    with pytest.raises(DatenbankFehler, match="fehlt.*Sicherung wiederherstellen.*build-demo"):
        demo.ensure_database(path)  # a server (SOZIALMONITOR_DB set): never a first start
    assert not path.exists()


def test_a_database_deleted_while_the_app_runs_is_not_replaced_by_the_demo(tiny_db, tmp_path):
    path = tmp_path / "sozialmonitor.duckdb"
    shutil.copyfile(tiny_db, path)
    demo.ensure_database(path, erster_start=True)  # opened once by this process
    path.unlink()
    with pytest.raises(DatenbankFehler, match="fehlt"):
        demo.ensure_database(path, erster_start=True)
    assert not path.exists()


def test_the_first_start_builds_the_demo_only_without_traces_of_an_office(tmp_path):
    leer = tmp_path / "neu" / "sozialmonitor.duckdb"
    leer.parent.mkdir()
    demo.ensure_database(leer, erster_start=True)
    assert db.schema_and_demo(leer) == (db.SCHEMA_VERSION, True)
    for spur in ("archiv", "sicherungen", "sozialmonitor.duckdb.anmeldungen.sqlite"):
        path = tmp_path / spur.replace(".", "_") / "sozialmonitor.duckdb"
        path.parent.mkdir()
        (path.parent / spur).mkdir()
        with pytest.raises(DatenbankFehler, match="fehlt"):
            demo.ensure_database(path, erster_start=True)


def test_a_page_on_a_missing_database_says_so(tmp_path, monkeypatch):
    path = tmp_path / "weg.duckdb"
    monkeypatch.setenv("SOZIALMONITOR_DB", str(path))
    at = open_page("pages/1_Karte.py").run()
    assert not at.exception
    assert any("fehlt" in e.value and "Sicherung" in e.value for e in at.error)
    assert not path.exists()


def test_two_first_page_runs_at_once_share_one_demo_build(tmp_path):
    """The README's first command on a fresh clone: the first page run builds the demo; a second run at the same
    moment (another tab, or the German date picker's rerun in an English browser) got "Gerade läuft ein anderer
    Import in diese Datenbank" (a fresh clone, looked at in Chromium). Now it waits for the demo and opens it."""
    import threading
    path = tmp_path / "erster_start.duckdb"
    fehler = []

    def erster_lauf():
        try:
            demo.ensure_database(path, erster_start=True)
        except Exception as exc:  # noqa: BLE001 – the test reports what a page run would show
            fehler.append(exc)

    laeufe = [threading.Thread(target=erster_lauf) for _ in range(2)]
    for lauf in laeufe:
        lauf.start()
    for lauf in laeufe:
        lauf.join()
    assert fehler == [] and path.exists()
