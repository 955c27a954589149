"""A database written by an older version (schema 5: polarity without 'neutral') is refused by the app with the
upgrade command named; `upgrade` migrates it and keeps every value; an outdated demo is rebuilt on its own."""

import shutil

import duckdb
import pytest

from conftest import open_page
from sozialmonitor import cli, importer
from sozialmonitor.daten import db
from sozialmonitor.importer import demo
from sozialmonitor.zugang import rollen
from sozialmonitor.errors import DatenbankFehler

NEUTRAL_INDICATOR = (b'[einwohner]\nname = "Einwohner"\neinheit = "Anzahl"\nart = "anzahl"\nzaehler = "Einwohner"\n'
                     b'nenner = ""\npolaritaet = "neutral"\nnachkommastellen = 0\ndefinition = "d"\nquelle = "q"\n')


def make_schema_5(path) -> None:
    """Turn a current database into what schema version 5 wrote: the catalogue's old CHECK, version row 5."""
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE indikatoren RENAME TO neu")
    con.execute("""CREATE TABLE indikatoren (
        id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, definition VARCHAR, zaehler VARCHAR, nenner VARCHAR,
        einheit VARCHAR NOT NULL, art VARCHAR NOT NULL CHECK (art IN ('quote', 'anzahl')),
        polaritaet VARCHAR NOT NULL CHECK (polaritaet IN ('niedriger_ist_besser', 'hoeher_ist_besser')),
        nachkommastellen INTEGER NOT NULL, quelle VARCHAR, faktor DOUBLE NOT NULL, import_id INTEGER)""")
    con.execute("INSERT INTO indikatoren SELECT * EXCLUDE (mindest_nenner, mindest_zaehler, turnus, geheimhaltung, "
                "zaehler_indikator, nenner_indikator) REPLACE ("
                "CASE WHEN polaritaet = 'neutral' THEN 'hoeher_ist_besser' ELSE polaritaet END AS polaritaet) FROM neu")
    con.execute("DROP TABLE neu")
    # columns schema 7 added (issue 10: reliability rule, precision of a target's comparison; issue 9: turnus)
    for table, column in (("indikatoren_historie", "mindest_nenner"), ("indikatoren_historie", "mindest_zaehler"),
                          ("indikatoren_historie", "turnus"), ("indikatoren_historie", "geheimhaltung"),
                          ("indikatoren_historie", "zaehler_indikator"), ("indikatoren_historie", "nenner_indikator"),
                          ("ziele", "vergleich_genauigkeit"), ("ziele_historie", "vergleich_genauigkeit")):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    con.execute("UPDATE schema_version SET version = 5")
    con.close()


def counts(path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {table: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                for table in ("indikatoren", "gebiete", "beobachtungen", "werte", "importe", "ziele")}
    finally:
        con.close()


@pytest.fixture
def old_tiny(tiny_db, tmp_path):
    path = tmp_path / "alt.duckdb"
    shutil.copyfile(tiny_db, path)
    make_schema_5(path)
    return path


def test_the_app_refuses_an_old_database_and_names_the_upgrade(old_tiny):
    with pytest.raises(DatenbankFehler, match=f"Schema-Version 5, erwartet ist {db.SCHEMA_VERSION}.*"
                                              "python -m sozialmonitor upgrade"):
        db.connect_read_only(old_tiny)


def test_upgrade_keeps_every_value_and_allows_neutral_indicators(old_tiny, capsys):
    before = counts(old_tiny)
    assert cli.main(["upgrade", "--db", str(old_tiny)]) == 0
    assert f"Schema-Version 5 → {db.SCHEMA_VERSION}" in capsys.readouterr().out
    assert counts(old_tiny) == before
    db.connect_read_only(old_tiny).close()
    ergebnis = importer.run(old_tiny, "indicators", NEUTRAL_INDICATOR, "einwohner.toml", person=rollen.kommandozeile())
    assert ergebnis.neu == 1
    con = db.connect_read_only(old_tiny)
    assert con.execute("SELECT polaritaet FROM indikatoren WHERE id = 'einwohner'").fetchall() == [("neutral",)]
    con.close()


def test_an_outdated_demo_is_rebuilt_but_a_planners_database_is_not(demo_db, old_tiny, tmp_path):
    old_demo = tmp_path / "demo_alt.duckdb"
    shutil.copyfile(demo_db, old_demo)
    make_schema_5(old_demo)
    demo.ensure_database(old_demo)
    assert db.schema_and_demo(old_demo) == (db.SCHEMA_VERSION, True)
    demo.ensure_database(old_tiny)
    assert db.schema_and_demo(old_tiny) == (5, False)


def test_a_database_from_a_newer_version_is_not_opened(tiny_db, tmp_path):
    path = tmp_path / "neu.duckdb"
    shutil.copyfile(tiny_db, path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE schema_version SET version = 99")
    con.close()
    with pytest.raises(DatenbankFehler, match="neueren Fassung"):
        db.connect_read_only(path)


def test_the_app_offers_the_upgrade_on_the_page(old_tiny, monkeypatch):
    monkeypatch.setenv("SOZIALMONITOR_DB", str(old_tiny))
    at = open_page("pages/3_Indikatoren.py").run()
    assert "Schema-Version 5" in at.error[0].value
    at.button[0].click().run()
    assert not at.error and not at.exception
    assert db.schema_and_demo(old_tiny) == (db.SCHEMA_VERSION, False)
    assert sum("Testquote" in expander.label for expander in at.expander) == 2  # the catalogue is shown again


def test_a_read_only_app_does_not_offer_the_upgrade(old_tiny, monkeypatch):
    monkeypatch.setenv("SOZIALMONITOR_DB", str(old_tiny))
    monkeypatch.setenv(importer.READ_ONLY_SETTING, "1")
    at = open_page("pages/3_Indikatoren.py").run()
    assert "Schema-Version 5" in at.error[0].value and not at.button
