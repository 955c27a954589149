"""The attacker test as the contract on the demo (issue 19): the integer/linear attacker of tests/angreifer_lp over
every published relation, on the demo as shipped and on the demo in the situations that broke it – a Gemeinde of a
Sozialraum whose rows were not imported, a gemeindefreies Gebiet, and the Sozialräume's SGB-II rates published by a
statistics office as rates only (one decimal, no counts). Every sensitive count (BA rule on the true values) keeps a
range of at least the schutzbreite of data/geheimhaltung.toml (2)."""

import shutil

import pytest

from angreifer_lp import Fassung, angreifen
from conftest import GEHEIMHALTUNG_ECHT, geheimhaltung_regeln
from sozialmonitor import geheimhaltung
from sozialmonitor.daten import db

LINKS = {"sgb2_u10": (None, "bev_u10"), "ohne_hsa": (None, "schulabgaenger")}  # the catalogue's definitions


def _angriff(path):
    con = db.connect_read_only(path)
    try:
        fassung = Fassung(con.execute("SELECT * FROM werte").df(), con.execute("SELECT * FROM werte_live").df())
        teile = con.execute("SELECT obergebiet, teilgebiet FROM teilgebiete").df()
        gemeindefrei = {r[0] for r in con.execute(
            "SELECT code FROM gebiete_ohne_daten WHERE grund = 'gemeindefrei'").fetchall()}
        katalog = con.execute("SELECT * FROM indikatoren").df()
    finally:
        con.close()
    return angreifen([fassung], teile, gemeindefrei, katalog, LINKS, geheimhaltung.laden(GEHEIMHALTUNG_ECHT),
                     ganzzahlig=False)


@pytest.fixture(scope="module")
def abweichend(demo_db, tmp_path_factory):
    """The demo with an inhabited Gemeinde without rows and a gemeindefreies Gebiet in Sozialraum SR2, and the six
    Sozialräume's sgb2_u10 published as rates only (what a city's statistics office prints), then published again
    under the real rules."""
    path = tmp_path_factory.mktemp("abweichend") / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    con = db.open_database(path, read_only=False)
    try:
        con.execute("INSERT INTO gebiete (code, name, ebene, uebergeordnet, bez) VALUES "
                    "('16065998', 'Neudorf', 'gemeinde', '16065', 'Gemeinde'), "
                    "('16065999', 'Forst Hainleite', 'gemeinde', '16065', 'Gemeindefreies Gebiet')")
        con.execute("INSERT INTO zuordnung (gemeinde, sozialraum) VALUES ('16065998', 'SR2'), ('16065999', 'SR2')")
        import_id = con.execute("SELECT max(import_id) FROM importe").fetchall()[0][0]
        con.execute("""
            INSERT INTO beobachtungen (gebiet, indikator, zeitraum, zaehler, nenner, wert, status, import_id)
            SELECT w.gebiet, w.indikator, w.zeitraum, NULL, NULL, round(w.wert, 1), 'ok', $i
            FROM werte_live w JOIN gebiete g ON g.code = w.gebiet
            WHERE g.ebene = 'sozialraum' AND w.indikator = 'sgb2_u10' AND w.wert IS NOT NULL""", {"i": import_id})
        with geheimhaltung_regeln(GEHEIMHALTUNG_ECHT):
            db.materialise_values(con)
    finally:
        con.close()
    return path


def test_the_demo_holds_against_the_model_attacker(demo_db):
    ergebnis = _angriff(demo_db)
    schwach = ergebnis[ergebnis["schwach"]]
    assert len(ergebnis) > 1000
    assert schwach.empty, f"{len(schwach)} von {len(ergebnis)} zu eng:\n{schwach.head(10)}"


def test_the_demo_with_missing_parts_and_rates_only_holds(abweichend):
    ergebnis = _angriff(abweichend)
    schwach = ergebnis[ergebnis["schwach"]]
    assert schwach.empty, f"{len(schwach)} von {len(ergebnis)} zu eng:\n{schwach.head(10)}"
