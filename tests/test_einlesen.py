"""Parsing the interchange formats as they arrive from Excel and the BA."""

import math

import pytest

from sozialmonitor import einlesen
from sozialmonitor.errors import EingabeFehler


def parse(text: str, encoding: str = "utf-8"):
    return einlesen.parse_observations(text.encode(encoding), "test.csv")


def test_windows_1252_with_decimal_comma_thousands_and_ba_symbols():
    text = ("Gebiet;Indikator;Zeitraum;Zaehler;Nenner;Wert;Quelle\r\n"
            "16065067;alq_u25;2024-03;1.503;16.667;;Bundesagentur für Arbeit\r\n"
            "16065001;alq_u25;2024-03;*;*;;\r\n"
            "16065005;alq_u25;2024-03;-;12;;\r\n"
            "16065008;alq_u25;2024-03;.;.;;\r\n"
            "16065012;ohne_hsa;2024;x;x;;\r\n"
            "16;alq_u25;2023;;;6,5;Regionalatlas Größe\r\n")
    rows, befunde = parse(text, "cp1252")
    assert befunde == []
    by_area = rows.set_index("gebiet")
    assert by_area.loc["16065067", "zaehler"] == 1503 and by_area.loc["16065067", "nenner"] == 16667
    assert by_area.loc["16065067", "quelle"] == "Bundesagentur für Arbeit"
    assert by_area.loc["16065001", "status"] == "gesperrt" and math.isnan(by_area.loc["16065001", "zaehler"])
    assert by_area.loc["16065005", "status"] == "ok" and by_area.loc["16065005", "zaehler"] == 0
    assert by_area.loc["16065008", "status"] == "fehlt"
    assert by_area.loc["16065012", "status"] == "entfaellt"
    assert by_area.loc["16", "wert"] == pytest.approx(6.5)
    assert by_area.loc["16", "quelle"] == "Regionalatlas Größe"


def test_utf8_bom_comma_delimiter_decimal_point():
    rows, befunde = parse("\ufeffgebiet,indikator,zeitraum,zaehler,nenner,wert\nDG,alq_u25,2023,,,4.9\n")
    assert befunde == [] and rows.loc[0, "wert"] == pytest.approx(4.9)


def test_semicolon_file_with_decimal_points():
    rows, _ = parse("gebiet;indikator;zeitraum;zaehler;nenner;wert\nDG;ohne_hsa;2022;;;6.9\n")
    assert rows.loc[0, "wert"] == pytest.approx(6.9)


def test_leading_zero_dropped_by_excel_is_restored():
    rows, _ = parse("gebiet;indikator;zeitraum;zaehler;nenner;wert\n1001001;x;2022;1;2;\n1001;x;2022;1;2;\n1;x;2022;1;2;\n")
    assert list(rows["gebiet"]) == ["01001001", "01001", "01"]


@pytest.mark.parametrize("line, field, fragment", [
    ("16065001;alq_u25;24;1;2;", "zeitraum", "weder JJJJ noch JJJJ-MM"),
    ("16065001;alq_u25;2024-13;1;2;", "zeitraum", "weder JJJJ noch JJJJ-MM"),
    ("16065001;alq_u25;2024;eins;2;", "zaehler", "keine Zahl"),
    ("16065001;alq_u25;2024;-3;2;", "zaehler", "nicht negativ"),
    ("16065001;alq_u25;2024;5;2;", "zaehler", "größer als der Nenner"),
])
def test_bad_cells_are_reported_with_line_and_field(line, field, fragment):
    _, befunde = parse("gebiet;indikator;zeitraum;zaehler;nenner;wert\n" + line + "\n")
    assert any(b.zeile == 2 and b.feld == field and fragment in b.meldung for b in befunde), befunde


def test_duplicate_key_names_the_first_line():
    _, befunde = parse("gebiet;indikator;zeitraum;zaehler;nenner;wert\nDG;a;2022;;;1\nDG;a;2022;;;2\n")
    assert len(befunde) == 1 and befunde[0].zeile == 3 and "Zeile 2" in befunde[0].meldung


@pytest.mark.parametrize("content, fragment", [
    ("", "leer"),
    ("gebiet;indikator;zeitraum;zaehler;nenner;wert\n", "nur die Kopfzeile"),
    ("gebiet;indikator;jahr;zaehler;nenner;wert\nDG;a;2022;;;1\n", "Kopfzeile passt nicht"),
])
def test_unusable_files_are_refused(content, fragment):
    with pytest.raises(EingabeFehler) as refused:
        parse(content)
    assert fragment in str(refused.value)


def test_binary_file_is_refused():
    with pytest.raises(EingabeFehler, match="keine Textdatei"):
        einlesen.parse_observations(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bild.csv")


def test_indicator_catalogue_reports_every_bad_key():
    toml = b'[a]\nname = "A"\neinheit = "Prozent"\nart = "quote"\nzaehler = "z"\nnenner = "n"\n' \
           b'polaritaet = "gut"\nnachkommastellen = 1\ndefinition = "d"\nquelle = "q"\nfarbe = "rot"\n'
    _, befunde = einlesen.parse_indicators(toml, "indikatoren.toml")
    fields = {b.feld for b in befunde}
    assert {"[a] einheit", "[a] polaritaet", "[a] farbe"} <= fields
