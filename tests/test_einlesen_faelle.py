"""The import cases of kind 03 (Excel percent format), 04 (comma-delimited files with German numbers) and 06 (Excel
"Unicode-Text") from shared/cases/import, copied to tests/faelle/import/: each right value, end to end through the
command line into a Gifhorn database; and refusals of the same kinds (exit 2, file/line/field, database
byte-identical)."""

import hashlib
import io
import json
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from conftest import observation_rows, run_cli, snapshot, xlsx
from sozialmonitor import importer
from sozialmonitor.zugang import rollen
from sozialmonitor.einlesen import parse_observations

FAELLE = Path(__file__).parent / "faelle" / "import"
HEADER = "gebiet;indikator;zeitraum;zaehler;nenner;wert\n"


def stored(db_path: Path, indikator: str) -> dict[str, tuple]:
    rows = observation_rows(db_path)
    rows = rows[rows["indikator"].eq(indikator)]
    return {r.gebiet: (r.zaehler, r.nenner, r.wert, r.status) for r in rows.itertuples()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- 03: Excel cells with a percent number format

def test_excel_percent_cells_are_stored_in_percent(gifhorn):
    path = FAELLE / "03-excel-prozentformat" / "sgb2_quote_prozentformat.xlsx"
    assert run_cli("import", "observations", path, "--db", gifhorn) == 0
    values = stored(gifhorn, "sgb2_u10")
    assert values["03151009"][2] == pytest.approx(15.6)
    assert values["03151025"][2] == pytest.approx(8.3)
    assert values["03151040"][2] == pytest.approx(12.1)


def test_the_target_under_15_percent_is_not_met_by_15_6_percent(gifhorn, capsys):
    assert run_cli("import", "observations", FAELLE / "03-excel-prozentformat" / "sgb2_quote_prozentformat.xlsx",
                   "--db", gifhorn) == 0
    assert run_cli("import", "targets", FAELLE / "03-excel-prozentformat" / "ziel_sgb2_stadt.toml",
                   "--db", gifhorn) == 0
    capsys.readouterr()
    assert run_cli("check", "--json", "--db", gifhorn) == 0
    rows = [r for r in json.loads(capsys.readouterr().out) if r["ziel"] == "sgb2-stadt" and r["gebiet"] == "03151009"]
    assert rows and rows[0]["erreicht"] is not True and rows[0]["status"] != "erreicht"
    # Before the deadline (31.12.2025) the 2023 value is judged: 15,6 %, not 0,156 % – so "unter 15 %" is not met.
    from datetime import date

    from sozialmonitor.ausgabe import foliensatz
    from sozialmonitor.daten import db
    from sozialmonitor.daten import queries
    con = db.connect_read_only(gifhorn)
    try:
        bewertung = foliensatz.collect(lambda name, **p: queries.run_query(con, name, **p), date(2024, 6, 30)).bewertung
    finally:
        con.close()
    row = bewertung[(bewertung["ziel"] == "sgb2-stadt") & (bewertung["gebiet"] == "03151009")].iloc[0]
    assert row["wert"] == pytest.approx(15.6) and row["status"] != "erreicht"


def test_percent_cell_for_a_per_mille_indicator_is_converted(tmp_path):
    """The kind, not the example: a percent cell means the same share whatever the indicator's unit."""
    katalog = pd.DataFrame({"id": ["promille"], "art": ["quote"], "faktor": [1000.0], "nachkommastellen": [1]})
    data = xlsx([HEADER.strip().split(";"), ["DG", "promille", 2023, None, None, 0.0125]])
    rows, befunde = parse_observations(_percent_format(data), "p.xlsx", katalog)
    assert befunde == [] and rows.loc[0, "wert"] == pytest.approx(12.5)


def _percent_format(data: bytes) -> bytes:
    """The workbook with Excel's percent format on every number of column F."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for row in workbook.active.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in row:
            cell.number_format = "0.00%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_percent_cell_for_a_count_is_refused(gifhorn, tmp_path, capsys):
    path = tmp_path / "anzahl_prozent.xlsx"
    path.write_bytes(_percent_format(xlsx([HEADER.strip().split(";"), ["03151009", "bev_u10", 2023, None, None, 0.4]])))
    before = sha256(gifhorn)
    assert run_cli("import", "observations", path, "--db", gifhorn) == 2
    error = capsys.readouterr().err
    assert "anzahl_prozent.xlsx, Zeile 2, Feld „wert“" in error and "Prozentwert" in error
    assert sha256(gifhorn) == before


# ---------------------------------------------------------------- 04: comma-delimited, quoted German numbers

@pytest.mark.parametrize("name, indikator, expected", [
    ("sgb2_tabellenblatt1.csv", "sgb2_u10", {"03151009": 38.6, "03151025": 12.8, "03151040": 32.0}),
    ("bev_tausenderpunkt.csv", "bev_u10", {"03151009": 4006, "03151025": 1503, "03151040": 1210}),
])
def test_comma_delimited_german_numbers(gifhorn, name, indikator, expected):
    assert run_cli("import", "observations", FAELLE / "04-komma-getrennt-deutsche-zahlen" / name,
                   "--db", gifhorn) == 0
    values = stored(gifhorn, indikator)
    assert {code: values[code][2] for code in expected} == pytest.approx(expected)


def test_quoted_thousands_dot_in_a_denominator_is_a_thousands_dot(gifhorn):
    assert run_cli("import", "observations", FAELLE / "04-komma-getrennt-deutsche-zahlen" /
                   "zaehler_tabellenblatt1.csv", "--db", gifhorn) == 0
    sgb2, bev = stored(gifhorn, "sgb2_u10"), stored(gifhorn, "bev_u10")
    assert sgb2["03151009"][:2] == (585, 1817)
    assert sgb2["03151009"][2] == pytest.approx(100 * 585 / 1817)
    assert bev["03151025"][2] == 1503 and bev["03151040"][2] == 1210


@pytest.mark.parametrize("line, field, fragment", [
    # a share over 100 %
    ("03151009,sgb2_u10,2021,,,\"138,6\"", "wert", "unmöglich"),
    # not applicable beside a number
    ("03151009,sgb2_u10,2021,x,\"1.817\",", None, "widerspricht sich"),
])
def test_contradictory_or_ambiguous_rows_are_refused(gifhorn, tmp_path, capsys, line, field, fragment):
    path = tmp_path / "zweifel.csv"
    path.write_text(HEADER.replace(";", ",") + line + "\n", encoding="utf-8")
    before, state = sha256(gifhorn), snapshot(gifhorn)
    code = run_cli("import", "observations", path, "--db", gifhorn)
    error = capsys.readouterr().err
    assert code == 2, error
    assert fragment in error
    assert "zweifel.csv, Zeile 2" in error and (field is None or f"Feld „{field}“" in error)
    assert sha256(gifhorn) == before and snapshot(gifhorn) == state


# ---------------------------------------------------------------- 06: Excel "Unicode-Text" (UTF-16 LE, BOM, tabs)

def test_excel_unicode_text_imports_like_its_utf8_twin(gifhorn_db, tmp_path):
    results = {}
    for name in ("zuordnung_unicode.txt", "zuordnung_tab_utf8.txt"):
        target = tmp_path / name / "db.duckdb"
        target.parent.mkdir()
        target.write_bytes(gifhorn_db.read_bytes())
        assert run_cli("import", "membership", FAELLE / "06-excel-unicode-text" / name, "--db", target) == 0
        con = duckdb.connect(str(target), read_only=True)
        try:
            results[name] = (con.execute("SELECT gemeinde, sozialraum FROM zuordnung ORDER BY ALL").fetchall(),
                             con.execute("SELECT code, name FROM gebiete WHERE ebene = 'sozialraum' "
                                         "ORDER BY ALL").fetchall())
        finally:
            con.close()
    assert results["zuordnung_unicode.txt"] == results["zuordnung_tab_utf8.txt"]
    names = dict(results["zuordnung_unicode.txt"][1])
    assert names["SG5404"] == "SG Isenbüttel" and names["SG5403"] == "SG Hankensbüttel"


def test_the_preview_names_the_encoding(gifhorn):
    data = (FAELLE / "06-excel-unicode-text" / "zuordnung_unicode.txt").read_bytes()
    ergebnis = importer.run(gifhorn, "membership", data, "zuordnung_unicode.txt", person=rollen.kommandozeile(), dry_run=True)
    assert ergebnis.kodierung == "UTF-16 mit BOM (Excel „Unicode-Text“)"


def test_mojibake_is_refused_with_line_and_field(gifhorn, tmp_path, capsys):
    text = (FAELLE / "06-excel-unicode-text" / "zuordnung_tab_utf8.txt").read_text(encoding="utf-8")
    garbled = text.encode("utf-8").decode("cp1252", errors="replace")  # opened as ANSI, saved as UTF-8
    path = tmp_path / "zuordnung_kaputt.txt"
    path.write_text(garbled, encoding="utf-8")
    before = sha256(gifhorn)
    assert run_cli("import", "membership", path, "--db", gifhorn) == 2
    error = capsys.readouterr().err
    assert "zuordnung_kaputt.txt, Zeile 7, Feld „sozialraum_name“" in error and "Ã¼" in error
    assert sha256(gifhorn) == before


# ---------------------------------------------------------------- flags are stored, compared and undone

def test_a_revised_value_replaces_the_provisional_one_and_undo_brings_it_back(gifhorn, tmp_path, capsys):
    first, second = tmp_path / "vorlaeufig.csv", tmp_path / "berichtigt.csv"
    first.write_text(HEADER + "03151009;sgb2_u10;2023;;;15,6 p\n", encoding="utf-8")
    second.write_text(HEADER + "03151009;sgb2_u10;2023;;;15,6 r\n", encoding="utf-8")
    assert run_cli("import", "observations", first, "--db", gifhorn) == 0
    capsys.readouterr()
    assert run_cli("import", "observations", second, "--db", gifhorn, "--dry-run") == 0
    preview = capsys.readouterr().out
    assert "1 geändert" in preview and "vorläufige Zahl" in preview and "berichtigte Zahl" in preview
    assert run_cli("import", "observations", second, "--db", gifhorn, "--replace") == 0
    assert observation_rows(gifhorn)["kennzeichen"].tolist() == ["berichtigt"]
    con = duckdb.connect(str(gifhorn), read_only=True)
    last = con.execute("SELECT max(import_id) FROM importe").fetchall()[0][0]
    con.close()
    assert run_cli("undo", last, "--db", gifhorn, "--grund", "Test") == 0
    assert observation_rows(gifhorn)["kennzeichen"].tolist() == ["vorlaeufig"]
