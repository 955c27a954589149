"""A new Kreis set up with `einrichten` takes the planner's own indicator catalogue without „Ersetzen“ (case
tests/faelle/import/00-gifhorn-einrichten = ../shared/cases/import/00-gifhorn-einrichten): the entries the built-in
catalogue stored are defaults while nobody changed them and nothing uses them, and the preview names each one it
replaces („Ersetzt Vorgabe …“). A real conflict – an entry already used by observations, or changed by the office –
is still refused: exit code 2, file, line and field in German, the database unchanged."""

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from sozialmonitor import importer
from sozialmonitor.importer import einrichten
from sozialmonitor.ziele import indikatorpflege
from sozialmonitor.zugang import rollen
from tests.conftest import run_cli

FALL = Path(__file__).parent / "faelle" / "import" / "00-gifhorn-einrichten"
GRENZEN = FALL / "gifhorn_gemeinden_vg250_2016.geojson"
KATALOG = FALL / "indikatoren.toml"
IDS = ["sgb2_u10", "alq_u25", "ohne_hsa", "bev_u10", "bev_15_u25", "schulabgaenger", "familienlotsen"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def catalogue(path: Path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("SELECT id, mindest_nenner, turnus, geheimhaltung FROM indikatoren ORDER BY id").fetchall()
    finally:
        con.close()
    return {r[0]: r[1:] for r in rows}


@pytest.fixture
def kreis(tmp_path) -> Path:
    """A database right after `einrichten` for Gifhorn: the built-in catalogue and the Kreis's Gemeinden."""
    db_path = tmp_path / "db" / "gifhorn.duckdb"
    db_path.parent.mkdir()
    assert run_cli("einrichten", "--kreis", "03151", "--grenzen", GRENZEN, "--db", db_path,
                   "--vorlagen", tmp_path / "vorlagen") == 0
    assert catalogue(db_path)["alq_u25"][:2] == (1000.0, "monat")  # the built-in catalogue's rule
    return db_path


def test_the_case_goes_through_as_the_readme_says_without_replace(kreis, capsys):
    capsys.readouterr()
    assert run_cli("import", "indicators", KATALOG, "--db", kreis, "--dry-run") == 0
    preview = capsys.readouterr().out
    for indikator in IDS:
        assert f"Ersetzt Vorgabe {indikator} „" in preview
    assert ("Ersetzt Vorgabe alq_u25 „Jugendarbeitslosigkeit (15 bis unter 25 Jahre)“ (aus dem eingebauten Katalog, "
            "im Amt nicht geändert, noch ohne Werte und Ziele): Mindestnenner 1.000 → keine Angabe; Turnus monat → "
            "keine Angabe") in preview
    assert run_cli("import", "indicators", KATALOG, "--db", kreis) == 0
    assert "Ersetzt Vorgabe familienlotsen" in capsys.readouterr().out
    assert catalogue(kreis)["alq_u25"] == (None, None, None)  # the planner's catalogue, as written
    for art, datei in (("membership", "zuordnung.csv"), ("observations", "beobachtungen.csv"),
                       ("observations", "referenz.csv"), ("targets", "ziele.toml")):
        assert run_cli("import", art, FALL / datei, "--db", kreis) == 0, datei
    capsys.readouterr()
    assert run_cli("check", "--json", "--db", kreis) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["ziel"] for r in rows} == {"jal-7", "sgb2-dg"} and "03151" in {r["gebiet"] for r in rows}


def test_an_entry_with_observations_is_a_real_conflict(kreis, tmp_path, capsys):
    assert run_cli("import", "indicators", KATALOG, "--db", kreis) == 0
    assert run_cli("import", "membership", FALL / "zuordnung.csv", "--db", kreis) == 0
    assert run_cli("import", "observations", FALL / "beobachtungen.csv", "--db", kreis) == 0
    changed = tmp_path / "indikatoren_2.toml"
    text = KATALOG.read_text(encoding="utf-8")
    changed.write_text(text.replace('nachkommastellen = 1\ndefinition = "Anteil der Kinder',
                                    'nachkommastellen = 2\ndefinition = "Anteil der Kinder'), encoding="utf-8")
    line = changed.read_text(encoding="utf-8").splitlines().index("nachkommastellen = 2") + 1
    before = sha(kreis)
    capsys.readouterr()
    assert run_cli("import", "indicators", changed, "--db", kreis) == 2
    err = capsys.readouterr().err
    assert (f"indikatoren_2.toml, Zeile {line}, Feld „[sgb2_u10] nachkommastellen“: Konflikt: SGB-II-Quote der "
            "Kinder unter 10 Jahren (sgb2_u10) ist schon gespeichert") in err
    assert "(schon genutzt: 123 gespeicherte Werte)" in err
    assert "Ersetzt Vorgabe" not in err
    assert sha(kreis) == before


def test_an_entry_the_office_changed_is_a_real_conflict(kreis, capsys):
    verwaltung = rollen.kommandozeile()
    indikatorpflege.geheimhaltung_setzen(kreis, verwaltung, "familienlotsen", True, "Lotsen sind Ehrenamtliche")
    before = sha(kreis)
    capsys.readouterr()
    assert run_cli("import", "indicators", KATALOG, "--db", kreis) == 2
    err = capsys.readouterr().err
    assert "Feld „[familienlotsen] geheimhaltung“: Konflikt: Aktive Familienlotsen (familienlotsen)" in err
    assert "(im Amt festgelegt, Import 3)" in err
    assert err.count("Konflikt:") == 1  # the other six are still defaults, not conflicts
    assert sha(kreis) == before
    assert run_cli("import", "indicators", KATALOG, "--db", kreis, "--replace") == 0


def test_the_page_needs_no_replace_for_defaults_and_undo_brings_them_back(kreis):
    person = rollen.kommandozeile()
    preview = importer.run(kreis, "indicators", KATALOG.read_bytes(), KATALOG.name, person=person, dry_run=True)
    assert preview.vorschau_anzahl("geaendert") == 7 and preview.konflikt_anzahl() == 0  # the page's Übernehmen
    done = importer.run(kreis, "indicators", KATALOG.read_bytes(), KATALOG.name, person=person)
    importer.run_undo(kreis, done.import_id, person=person, grund="eigener Katalog war falsch")
    assert catalogue(kreis)["alq_u25"][:2] == (1000.0, "monat")
    again = importer.run(kreis, "indicators", KATALOG.read_bytes(), KATALOG.name, person=person, dry_run=True)
    assert again.konflikt_anzahl() == 0  # the restored entries are defaults again


def test_a_database_from_an_earlier_einrichten_is_recognised_by_the_built_in_file(tmp_path):
    """Databases set up before the mark in metadaten: a batch of the built-in file itself counts as defaults."""
    db_path = tmp_path / "alt.duckdb"
    with importer.working_copy(db_path) as con:
        importer.import_indicators(con, einrichten.DEFAULT_CATALOGUE.read_bytes(), "indikatoren.toml")
    ergebnis = importer.run(db_path, "indicators", KATALOG.read_bytes(), KATALOG.name, person=rollen.kommandozeile())
    assert sum(h.startswith("Ersetzt Vorgabe") for h in ergebnis.hinweise) == 7
