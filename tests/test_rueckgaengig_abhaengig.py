"""Undo that keeps the data consistent (issue 11, item 6): an areas import on which a later assignment and later
values build is not undone alone – the refusal names the later imports – and with the user's consent all of them
are undone together, leaving no value, assignment or Sozialraum that points at a missing Gemeinde."""

import shutil

import duckdb
import pytest

from sozialmonitor import cli, importer
from sozialmonitor.zugang import rollen
from sozialmonitor.errors import EingabeFehler

NEUE_GEMEINDE = "gebiet;name;ebene;uebergeordnet\n01001004;Dedorf;gemeinde;01001\n".encode()
ZUORDNUNG = ("gebiet;sozialraum;sozialraum_name\n01001001;SRA;Sozialraum A\n01001002;SRA;Sozialraum A\n"
             "01001003;SRB;Sozialraum B\n01001004;SRB;Sozialraum B\n").encode()
WERTE = "gebiet;indikator;zeitraum;zaehler;nenner;wert\n01001004;quote_jahr;2022;7;70;\n".encode()


def rows(path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def chain(tiny_db, tmp_path):
    """Import A adds a Gemeinde, B assigns it to Sozialraum B, C brings its values."""
    path = tmp_path / "kette.duckdb"
    shutil.copyfile(tiny_db, path)
    a = importer.run(path, "areas", NEUE_GEMEINDE, "neue_gemeinde.csv", person=rollen.kommandozeile()).import_id
    b = importer.run(path, "membership", ZUORDNUNG, "zuordnung_mit_dedorf.csv", person=rollen.kommandozeile(), replace=True).import_id
    c = importer.run(path, "observations", WERTE, "werte_dedorf.csv", person=rollen.kommandozeile()).import_id
    return path, a, b, c


def test_undo_of_an_import_that_later_ones_build_on_is_refused_naming_them(chain):
    path, a, b, c = chain
    before = path.read_bytes()
    with pytest.raises(importer.AbhaengigeImporte) as refused:
        importer.run_undo(path, a, person=rollen.kommandozeile(), grund="Test")
    message = str(refused.value)
    assert f"Import {b} (zuordnung_mit_dedorf.csv)" in message and f"Import {c} (werte_dedorf.csv)" in message
    assert refused.value.importe == [b, c]
    assert path.read_bytes() == before  # nothing published


def test_undo_together_leaves_nothing_that_points_at_the_removed_gemeinde(chain):
    path, a, b, c = chain
    sums_before = rows(path, "SELECT zaehler, nenner FROM werte WHERE gebiet = 'SRB' AND zeitraum = '2022' "
                             "AND indikator = 'quote_jahr'")
    ergebnis = importer.run_undo(path, a, person=rollen.kommandozeile(), grund="Test", with_dependants=True)
    assert "werte_dedorf.csv" in ergebnis.datei and "zuordnung_mit_dedorf.csv" in ergebnis.datei
    assert rows(path, "SELECT count(*) FROM gebiete WHERE code = '01001004'") == [(0,)]
    for sql in ("SELECT count(*) FROM beobachtungen WHERE gebiet NOT IN (SELECT code FROM gebiete)",
                "SELECT count(*) FROM zuordnung WHERE gemeinde NOT IN (SELECT code FROM gebiete)",
                "SELECT count(*) FROM geometrien WHERE gebiet NOT IN (SELECT code FROM gebiete)"):
        assert rows(path, sql) == [(0,)], sql
    undone = rows(path, f"SELECT import_id FROM importe WHERE import_id IN ({a}, {b}, {c}) "
                        "AND rueckgaengig_durch IS NOT NULL ORDER BY 1")
    assert undone == [(a,), (b,), (c,)]
    # Sozialraum B is again Cedorf alone: its sum matches its Gemeinden
    srb = rows(path, "SELECT zaehler, nenner FROM werte WHERE gebiet = 'SRB' AND zeitraum = '2022' "
                     "AND indikator = 'quote_jahr'")
    members = rows(path, "SELECT sum(zaehler), sum(nenner) FROM beobachtungen b JOIN zuordnung z "
                         "ON z.gemeinde = b.gebiet WHERE z.sozialraum = 'SRB' AND b.zeitraum = '2022' "
                         "AND b.indikator = 'quote_jahr'")
    assert srb == members and srb != sums_before


def test_the_command_line_refuses_with_exit_2_and_undoes_together_when_asked(chain, capsys):
    path, a, b, c = chain
    assert cli.main(["undo", str(a), "--db", str(path), "--grund", "Test"]) == 2
    assert f"Import {c} (werte_dedorf.csv)" in capsys.readouterr().err
    assert cli.main(["undo", str(a), "--db", str(path), "--mit-abhaengigen", "--grund", "Test"]) == 0
    assert rows(path, "SELECT count(*) FROM gebiete WHERE code = '01001004'") == [(0,)]


def test_an_import_nothing_builds_on_is_undone_alone(chain):
    path, a, b, c = chain
    importer.run_undo(path, c, person=rollen.kommandozeile(), grund="Test")
    assert rows(path, "SELECT count(*) FROM beobachtungen WHERE gebiet = '01001004'") == [(0,)]
    with pytest.raises(EingabeFehler, match=f"Import {b}"):
        importer.run_undo(path, a, person=rollen.kommandozeile(), grund="Test")  # the assignment still builds on the Gemeinde
