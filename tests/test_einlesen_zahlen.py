"""Numbers as planners' files write them (einlesen/zahlen.py): the symbol table, flags, percent signs, and the
thousands dot decided by the column and the indicator – or refused where it stays ambiguous."""

import math

import pandas as pd
import pytest

from sozialmonitor.einlesen import parse_observations, zahlen

HEADER = "gebiet;indikator;zeitraum;zaehler;nenner;wert\n"
KATALOG = pd.DataFrame({
    "id": ["quote", "promille", "anzahl", "mittel"],
    "art": ["quote", "quote", "anzahl", "anzahl"],
    "faktor": [100.0, 1000.0, 1.0, 1.0],
    "nachkommastellen": [1, 1, 0, 1],
})


def parse(body: str, delimiter: str = ";", encoding: str = "utf-8", katalog=KATALOG):
    text = HEADER.replace(";", delimiter) + body
    return parse_observations(text.encode(encoding), "t.csv", katalog)


def one(body: str, **kwargs) -> pd.Series:
    rows, befunde = parse(body, **kwargs)
    assert befunde == [], befunde
    return rows.iloc[0]


@pytest.mark.parametrize("symbol", [s.zeichen for s in zahlen.SYMBOLE])
@pytest.mark.parametrize("field", ["zaehler", "wert"])
def test_every_symbol_of_the_table_gives_its_status(symbol, field):
    spec = next(s for s in zahlen.SYMBOLE if s.zeichen == symbol)
    cells = {"zaehler": "", "nenner": "", "wert": ""}
    cells[field] = symbol
    if field == "zaehler":
        cells["nenner"] = symbol  # BA tables suppress numerator and denominator together
    row = one(f"DG;quote;2023;{cells['zaehler']};{cells['nenner']};{cells['wert']}\n")
    assert row["status"] == spec.status
    if spec.status == "ok":
        assert row[field] == 0  # the zero symbols are a real 0, never missing
    else:
        assert math.isnan(row[field])


def test_symbol_table_keeps_suppressed_missing_zero_and_not_applicable_apart():
    statuses = {s.zeichen: s.status for s in zahlen.SYMBOLE}
    assert statuses["*"] == statuses["/"] == "gesperrt"
    assert statuses["."] == statuses["..."] == statuses["…"] == "fehlt"
    assert statuses["-"] == statuses["–"] == "ok"
    assert statuses["x"] == "entfaellt"
    assert set(zahlen.KENNZEICHEN) == {"()", "p", "r", "s"}


@pytest.mark.parametrize("cell, value, flags", [
    ("12,5 p", 12.5, "vorlaeufig"),
    ("12,5p", 12.5, "vorlaeufig"),
    ("12,5 r", 12.5, "berichtigt"),
    ("12,5 s", 12.5, "geschaetzt"),
    ("(12,5)", 12.5, "unsicher"),
    ("(12,5) p", 12.5, "unsicher,vorlaeufig"),
])
def test_flags_keep_the_value_and_are_stored(cell, value, flags):
    row = one(f"DG;quote;2023;;;{cell}\n")
    assert row["wert"] == pytest.approx(value) and row["status"] == "ok" and row["kennzeichen"] == flags


def test_a_row_without_flags_has_none():
    assert pd.isna(one("DG;quote;2023;;;12,5\n")["kennzeichen"])


@pytest.mark.parametrize("cell, indicator, value", [
    ("1.503", "anzahl", 1503),         # a count: thousands dot
    ("1,503", "anzahl", 1503),         # a count: thousands comma (English), never 1,503 children
    ("1.503.200", "anzahl", 1503200),
    ("1 503", "anzahl", 1503),
    ("1.503,5", "mittel", 1503.5),
    ("1,503.5", "mittel", 1503.5),
    ("4.9", "quote", 4.9),
    ("4,9", "quote", 4.9),
    ("4.006", "quote", 4.006),         # a share: 4006 % is impossible, so the dot is a decimal point
    ("0.156", "quote", 0.156),         # a leading 0 never starts a thousands group
    ("15,6 %", "quote", 15.6),
    ("15,6 %", "promille", 156),
    ("−3", "mittel", -3),              # typographic minus
])
def test_numbers_by_column_and_indicator(cell, indicator, value):
    assert one(f"DG;{indicator};2023;;;{cell}\n")["wert"] == pytest.approx(value)


@pytest.mark.parametrize("cell", ["1.503", "1,503"])
def test_counts_in_numerator_and_denominator_are_whole(cell):
    row = one(f"DG;quote;2023;12;{cell};\n")
    assert row["nenner"] == 1503


def test_an_ambiguous_value_is_refused_and_names_both_readings():
    _, befunde = parse("DG;mittel;2023;;;1.503\n")
    assert [(b.zeile, b.feld) for b in befunde] == [(2, "wert")]
    assert "mehrdeutig" in befunde[0].meldung and "1503" in befunde[0].meldung and "1,503" in befunde[0].meldung


def test_the_files_other_numbers_decide_an_ambiguous_value():
    rows, befunde = parse("DG;mittel;2023;;;1.503\nDG;quote;2023;;;6,5\n")  # decimal commas: the dot groups
    assert befunde == [] and rows.loc[0, "wert"] == 1503
    rows, befunde = parse("DG;mittel;2023;;;1.503\nDG;quote;2023;;;6.5\n")  # decimal points: the dot is one
    assert befunde == [] and rows.loc[0, "wert"] == pytest.approx(1.503)


def test_without_a_catalogue_an_ambiguous_value_is_refused():
    _, befunde = parse("DG;mittel;2023;;;1.503\n", katalog=None)
    assert befunde and "mehrdeutig" in befunde[0].meldung


@pytest.mark.parametrize("line, field, fragment", [
    ("DG;quote;2023;;;101", "wert", "unmöglich"),
    ("DG;promille;2023;;;1001", "wert", "unmöglich"),
    ("DG;quote;2023;;;-1", "wert", "unmöglich"),
    ("DG;quote;2023;x;120;", None, "widerspricht sich"),
    ("DG;quote;2023;5;x;", None, "widerspricht sich"),
    ("DG;anzahl;2023;;;40 %", "wert", "Prozentwert"),
    ("DG;quote;2023;5 %;120;", "zaehler", "kein Prozentwert"),
    ("DG;quote;2023;;;p", "wert", "keine Zahl"),
    ("DG;quote;2023;;;()", "wert", "keine Zahl"),
    ("DG;quote;2023;;;12,5 q", "wert", "keine Zahl"),
])
def test_self_contradicting_rows_are_refused(line, field, fragment):
    _, befunde = parse(line + "\n")
    assert any(b.zeile == 2 and b.feld == field and fragment in b.meldung for b in befunde), befunde


def test_suppressed_numerator_beside_a_known_denominator_stays_suppressed():
    row = one("DG;quote;2023;*;120;\n")
    assert row["status"] == "gesperrt" and math.isnan(row["nenner"])


def test_excel_percent_text_is_exact():
    assert zahlen.prozent_text(0.156) == "15,6 %"
    assert zahlen.prozent_text(0.1) == "10 %"
    assert zahlen.prozent_text(0.0001) == "0,01 %"
