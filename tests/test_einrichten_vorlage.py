"""Issue 9 item 8: the observations template `einrichten` writes uses each indicator's own period kind – the
twelve months JJJJ-MM of the year for a monthly indicator (the catalogue's `turnus`, else what the stored values or
a Jahresdurchschnitt target show), the year JJJJ for the others – and imports once filled in."""

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from sozialmonitor import cli, importer
from sozialmonitor.zugang import rollen
from sozialmonitor.importer import einrichten
from sozialmonitor.errors import EingabeFehler

FAELLE = Path(__file__).parent / "faelle" / "import" / "00-gifhorn-einrichten"
GRENZEN = FAELLE / "gifhorn_gemeinden_vg250_2016.geojson"
KATALOG = Path(__file__).parents[1] / "data" / "indikatoren.toml"
PERSON = rollen.kommandozeile()


def template(result: einrichten.Einrichtung) -> list[dict]:
    text = result.vorlagen["beobachtungen_03151.csv"].decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def periods(rows: list[dict], indikator: str) -> list[str]:
    return sorted({r["zeitraum"] for r in rows if r["indikator"] == indikator})


@pytest.fixture(scope="module")
def eingerichtet(tmp_path_factory):
    path = tmp_path_factory.mktemp("vorlage") / "k.duckdb"
    return path, einrichten.einrichten(path, "03151", GRENZEN.read_bytes(), GRENZEN.name, jahr=2024, person=PERSON)


def test_a_monthly_indicator_gets_the_twelve_months(eingerichtet):
    _, result = eingerichtet
    rows = template(result)
    assert periods(rows, "alq_u25") == [f"2024-{m:02d}" for m in range(1, 13)]  # turnus = "monat" in the catalogue
    assert periods(rows, "sgb2_u10") == ["2024"]
    months = [r for r in rows if r["indikator"] == "alq_u25"]
    assert len(months) == 12 * (41 + 3)  # 41 inhabited Gemeinden + Kreis, Land, Bund, each month
    assert {r["gebiet"] for r in months} >= {"03151001", "03151", "03", "DG"}


def test_the_default_year_is_the_last_complete_one(tmp_path):
    result = einrichten.einrichten(tmp_path / "d.duckdb", "03151", GRENZEN.read_bytes(), GRENZEN.name, person=PERSON)
    last = date.today().year - 1
    assert periods(template(result), "alq_u25")[0] == f"{last}-01"
    assert periods(template(result), "sgb2_u10") == [str(last)]


def test_the_filled_template_imports(eingerichtet, tmp_path):
    path, result = eingerichtet
    database = tmp_path / "k.duckdb"
    shutil.copyfile(path, database)
    rows = [r for r in template(result) if r["gebiet"] == "03151009" and r["indikator"] == "alq_u25"]
    for number, row in enumerate(rows, start=1):
        row.update(zaehler=str(100 + number), nenner="4000")
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    filled = tmp_path / "beobachtungen_03151.csv"
    filled.write_bytes(text.getvalue().encode("utf-8-sig"))
    assert cli.main(["import", "observations", str(filled), "--db", str(database)]) == 0


def test_without_turnus_the_stored_values_decide(tmp_path):
    catalogue = "\n".join(line for line in KATALOG.read_text(encoding="utf-8").splitlines()
                          if not line.startswith("turnus"))
    path = tmp_path / "s.duckdb"
    with importer.working_copy(path) as con:
        importer.import_indicators(con, catalogue.encode(), "indikatoren.toml")
        importer.import_boundaries(con, GRENZEN.read_bytes(), GRENZEN.name, "gemeinde", "AGS", "GEN")
        importer.import_observations(con, "gebiet;indikator;zeitraum;zaehler;nenner;wert\n"
                                          "03151009;alq_u25;2023-01;120;4000;\n03151009;alq_u25;2023-02;118;4000;\n"
                                          "03151009;sgb2_u10;2023;300;2000;\n".encode(), "alt.csv")
    result = einrichten.einrichten(path, "03151", GRENZEN.read_bytes(), GRENZEN.name, jahr=2024, person=PERSON)
    rows = template(result)
    assert periods(rows, "alq_u25") == [f"2024-{m:02d}" for m in range(1, 13)]
    assert periods(rows, "sgb2_u10") == ["2024"]


def test_an_unknown_turnus_is_refused_naming_the_key():
    from sozialmonitor import einlesen

    text = KATALOG.read_text(encoding="utf-8").replace('turnus = "monat"', 'turnus = "quartal"')
    _, befunde = einlesen.parse_indicators(text.encode(), "indikatoren.toml")
    assert [(b.feld, "quartal" in b.meldung) for b in befunde] == [("[alq_u25] turnus", True)]


def test_zeitraeume():
    assert einrichten.zeitraeume("jahr", 2025) == ["2025"]
    assert einrichten.zeitraeume("monat", 2025)[::11] == ["2025-01", "2025-12"]


def test_a_catalogue_with_turnus_is_refused_by_nothing_else(tmp_path):
    with importer.working_copy(tmp_path / "c.duckdb") as con:
        result = importer.import_indicators(con, KATALOG.read_bytes(), KATALOG.name)
        assert result.neu == 7
        assert con.execute("SELECT turnus FROM indikatoren WHERE id = 'alq_u25'").fetchall() == [("monat",)]
    with pytest.raises(EingabeFehler):
        with importer.working_copy(tmp_path / "c.duckdb") as con:
            importer.import_indicators(con, b"[x]\nturnus = 3\n", "kaputt.toml")
