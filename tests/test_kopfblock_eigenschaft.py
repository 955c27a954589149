"""Property test of heading blocks (issue 18): a table with 1–3 heading rows, group headings over several columns
(repeated in every cell as GENESIS writes them, written once as a CSV export of merged cells leaves them, or as merged
cells in Excel) and repeated leaf names, read with an import profile that names one column by its whole path, its
leaf or the end of its path – the profile maps to the right column, or the file is refused as ambiguous naming every
fitting column; never another column.

The right column is decided from the table as generated (the true heading of every cell), by the rule of
einlesen.kopfblock written out here on its own: whole path → path without the rows that read the same over every
column → end of the path; a repeated heading right below itself counts once."""

import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sozialmonitor.einlesen import genesis, profile
from sozialmonitor.errors import EingabeFehler

GRUPPEN = ["Insgesamt", "männlich", "weiblich", "Deutsche", "Ausländer"]
BLAETTER = ["Insgesamt", "unter 3 Jahre", "3 bis unter 6 Jahre", "Anzahl", "2019", "Quote"]


@st.composite
def kopfbloecke(draw):
    """(grid, spans): grid[r][c] the true heading of heading row r over column c (c = 0 the key column, which has
    a heading only in the last row, or none); spans[r]: the groups (first, last, label) of row r, nested in the
    groups of the row above."""
    hoehe = draw(st.integers(1, 3))
    breite = draw(st.integers(2, 7))
    oben_gleich = hoehe >= 2 and draw(st.booleans())  # a row over every column ("Altersgruppen (unter 3 …)")
    spans, above = [], [(1, breite)]
    for level in range(hoehe - 1):
        row = []
        if level == 0 and oben_gleich:
            row = [(1, breite, "Altersgruppen (alle)")]
        else:
            for first, last in above:
                column = first
                while column <= last:
                    width = draw(st.integers(1, last - column + 1))
                    row.append((column, column + width - 1, draw(st.sampled_from(GRUPPEN))))
                    column += width
        spans.append(row)
        above = [(a, b) for a, b, _ in row]
    spans.append([(c, c, draw(st.sampled_from(BLAETTER))) for c in range(1, breite + 1)])
    grid = []
    for row in spans:
        cells = [""] * (breite + 1)
        for first, last, label in row:
            cells[first:last + 1] = [label] * (last - first + 1)
        grid.append(cells)
    grid[-1][0] = draw(st.sampled_from(["Gebiet", ""]))
    return grid, spans


def werte(breite: int) -> list[list[str]]:
    """Three data rows whose every value says its column: column c, row i → 1000·c + i."""
    return [[f"0306500{i}"] + [str(1000 * c + i) for c in range(1, breite + 1)] for i in range(1, 4)]


def als_csv(grid, spans, wiederholt: bool) -> bytes:
    lines = ["Tabelle 1: Bevölkerung nach Altersgruppen", ""]
    for r, row in enumerate(grid):
        cells = list(row)
        if not wiederholt and r < len(grid) - 1:  # a merged cell exported: its text in the first cell only
            for first, last, _ in spans[r]:
                cells[first + 1:last + 1] = [""] * (last - first)
        lines.append(";".join(cells))
    lines += [";".join(row) for row in werte(len(grid[0]) - 1)]
    lines.append("© Statistische Ämter des Bundes und der Länder")
    return ("\n".join(lines) + "\n").encode("utf-8")


def als_xlsx(grid, spans) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.cell(1, 1, "Tabelle 1: Bevölkerung nach Altersgruppen")
    top = 3
    for r, row in enumerate(spans):
        for first, last, label in row:
            sheet.cell(top + r, first + 1, label)
            if last > first:
                sheet.merge_cells(start_row=top + r, start_column=first + 1, end_row=top + r, end_column=last + 1)
        if grid[r][0]:
            sheet.cell(top + r, 1, grid[r][0])
    for i, row in enumerate(werte(len(grid[0]) - 1)):
        for c, value in enumerate(row):
            sheet.cell(top + len(grid) + i, c + 1, value if c == 0 else int(value))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _einmal(path) -> tuple[str, ...]:
    out = []
    for heading in path:
        if heading and (not out or genesis.normalise(out[-1]) != genesis.normalise(heading)):
            out.append(heading)
    return tuple(out)


def richtige_spalten(grid, angabe: str) -> list[int]:
    """The columns the rule gives for a name, from the true headings."""
    rows, width = len(grid), len(grid[0])
    ganz = [_einmal([grid[r][c] for r in range(rows)]) for c in range(width)]
    gleich = [len({genesis.normalise(v) for v in grid[r] if v}) == 1 and sum(1 for v in grid[r] if v) > 1
              for r in range(rows)]
    kurz = [_einmal([grid[r][c] for r in range(rows) if not gleich[r]]) or ganz[c] for c in range(width)]
    teile = tuple(genesis.normalise(t) for t in angabe.split(" › "))
    norm = lambda p: tuple(genesis.normalise(h) for h in p)  # noqa: E731
    for found in ([c for c in range(width) if ganz[c] and norm(ganz[c]) == teile],
                  [c for c in range(width) if kurz[c] and norm(kurz[c]) == teile],
                  [c for c in range(width) if len(ganz[c]) >= len(teile) and norm(ganz[c])[-len(teile):] == teile]):
        if found:
            return found
    return []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kopfbloecke(), st.sampled_from(["csv-wiederholt", "csv-einmal", "xlsx"]), st.integers(0, 20),
       st.sampled_from(["ganz", "blatt", "ende"]), st.booleans())
def test_a_column_is_found_by_its_headings_or_refused_as_ambiguous(block, layout, pick, form, mit_kopfzeile):
    grid, spans = block
    column = 1 + pick % (len(grid[0]) - 1)
    path = _einmal([row[column] for row in grid])
    angabe = {"ganz": " › ".join(path), "blatt": path[-1], "ende": " › ".join(path[-2:])}[form]
    expected = richtige_spalten(grid, angabe)
    assert expected  # the name fits at least its own column
    data = als_xlsx(grid, spans) if layout == "xlsx" else als_csv(grid, spans, layout == "csv-wiederholt")
    name = "tabelle.xlsx" if layout == "xlsx" else "tabelle.csv"
    layout_profile = profile.Profil(name="t", spalten={"gebiet": 1, "wert": angabe},
                                    fest={"indikator": "x", "zeitraum": "2020"},
                                    kopfzeile=(2 + len(grid)) if mit_kopfzeile else None)
    try:
        table = layout_profile.tabelle(data, name)
    except EingabeFehler as exc:
        assert len(expected) > 1, (grid, angabe, exc.befunde)
        message = exc.befunde[0].meldung
        assert f"passt zu {len(expected)} Spalten" in message
        for c in expected:
            assert f"Spalte {profile._spaltenname(c)} " in message
        return
    assert len(expected) == 1, (grid, angabe, expected)
    assert table.frame["wert"].tolist() == [str(1000 * expected[0] + i) for i in range(1, 4)]
    assert table.frame["gebiet"].tolist() == ["03065001", "03065002", "03065003"]


@pytest.mark.parametrize("layout", ["csv-wiederholt", "csv-einmal", "xlsx"])
def test_the_mapping_step_suggests_the_last_heading_row(layout):
    grid = [["", "Insgesamt", "Insgesamt", "weiblich", "weiblich"],
            ["", "Altersgruppen", "Altersgruppen", "Altersgruppen", "Altersgruppen"],
            ["Gebiet", "unter 3 Jahre", "Insgesamt", "unter 3 Jahre", "Insgesamt"]]
    spans = [[(1, 2, "Insgesamt"), (3, 4, "weiblich")], [(1, 2, "Altersgruppen"), (3, 4, "Altersgruppen")],
             [(c, c, grid[2][c]) for c in range(1, 5)]]
    data = als_xlsx(grid, spans) if layout == "xlsx" else als_csv(grid, spans, layout == "csv-wiederholt")
    name = "t.xlsx" if layout == "xlsx" else "t.csv"
    last = 5  # title, blank line (row), three heading rows
    assert profile.kopfzeile_vorschlag(data, name) == last
    headings = profile.ueberschriften(data, name, None, last)
    assert "weiblich › Altersgruppen › Insgesamt" in headings and "Spalte A: Gebiet" not in headings


def test_a_file_of_data_only_gets_no_suggested_heading_row():
    data = b"03151001;12;13\n03151002;14;15\n"
    assert profile.kopfzeile_vorschlag(data, "nur_daten.csv") is None
