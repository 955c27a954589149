"""German everywhere a person reads (issue 20): the command line's help and errors, and no raw code or Python
representation on a page."""

import pytest

from sozialmonitor import cli


def test_the_help_of_the_command_line_is_german(capsys):
    with pytest.raises(SystemExit) as ende:
        cli.main(["bericht", "--help"])
    assert ende.value.code == 0
    hilfe = capsys.readouterr().out
    assert hilfe.startswith("Aufruf: python -m sozialmonitor bericht")
    assert "Optionen:" in hilfe and "diese Hilfe zeigen und beenden" in hilfe
    for englisch in ("usage:", "options:", "show this help message", "positional arguments"):
        assert englisch not in hilfe


@pytest.mark.parametrize("argv, meldung", [
    (["bericht", "--foo"], "Fehler: unbekannte Angaben: --foo"),
    (["gibtsnicht"], "Fehler: Angabe BEFEHL: „gibtsnicht“ gibt es nicht (möglich: 'build-demo'"),
    (["bericht", "--pptx"], "Fehler: Angabe --pptx: es fehlt ein Wert"),
])
def test_a_wrong_call_is_refused_in_german_with_exit_code_2(argv, meldung, capsys):
    with pytest.raises(SystemExit) as ende:
        cli.main(argv)
    assert ende.value.code == 2
    fehler = capsys.readouterr().err
    assert fehler.startswith("Aufruf: ") and meldung in fehler
    assert "error:" not in fehler and "usage:" not in fehler


def test_levels_and_thresholds_are_written_the_german_way():
    """Befund 14: 'Erhoben für: bund, gemeinde, land' and '7.00' / '< 7.0' on the pages."""
    from sozialmonitor.karten import kartendaten
    assert kartendaten.ebenen_text("bund, gemeinde, land") == "Gemeinden, Land und Bund"
    assert kartendaten.ebenen_text("sozialraum") == "Sozialräume"
    assert kartendaten.parse_zahl("6,5") == 6.5


def test_the_indicator_page_names_levels_in_words(app_on_demo):
    from conftest import open_page
    at = open_page("pages/3_Indikatoren.py").run()
    assert not at.exception
    erhoben = [m.value for m in at.markdown if m.value.startswith("**Erhoben für:**")]
    assert erhoben and all("gemeinde" not in e and "bund," not in e for e in erhoben)
    assert any("Gemeinden" in e for e in erhoben)


def test_the_workbooks_sources_name_the_indicator_not_its_code(demo_copy):
    """Befund 14: 'alq_u25' in the Excel sheet 'Quellen'. The demo ships no Land or Bund values (only newspapers
    had them, issue 20): an office imports its own with their source, as here."""
    import functools
    import io

    from openpyxl import load_workbook

    from sozialmonitor import importer
    from sozialmonitor.ausgabe import arbeitsmappe
    from sozialmonitor.ausgabe.unterlagen import collect
    from sozialmonitor.daten import db, queries
    kopie = demo_copy
    with importer.working_copy(kopie) as con:
        importer.import_observations(con, "gebiet;indikator;zeitraum;zaehler;nenner;wert;quelle\n"
                                     "16;alq_u25;2023;;;6,5;Statistik der Bundesagentur für Arbeit\n"
                                     .encode(), "landeswerte.csv")
    con = db.connect_read_only(kopie)
    try:
        unterlagen = collect(functools.partial(queries.run_query, con))
        book = load_workbook(io.BytesIO(arbeitsmappe.xlsx_bytes(unterlagen)))
    finally:
        con.close()
    spalte = [c.value for c in book["Quellen"]["A"] if c.value]
    assert "Jugendarbeitslosigkeit (15 bis unter 25 Jahre)" in spalte
    assert not {"alq_u25", "ohne_hsa", "sgb2_u10"} & set(spalte)


def test_the_documents_name_the_source_of_every_indicator_of_the_targets(demo_con):
    """Fresh tester: the Sitzungsvorlage's 'Quellen' listed only the boundaries and the Excel sheet 'Quellen' was
    empty, though the catalogue holds each indicator's source. Now both list them – and, in the demo, say that the
    values themselves are synthetic."""
    import functools
    import io

    from openpyxl import load_workbook

    from sozialmonitor.ausgabe import arbeitsmappe, vorlage
    from sozialmonitor.ausgabe.unterlagen import collect
    from sozialmonitor.daten import queries
    query = functools.partial(queries.run_query, demo_con)
    unterlagen = collect(query)
    katalog = query("indicator_catalogue").set_index("id")
    erwartet = {f"{katalog.loc[i, 'name']}: {katalog.loc[i, 'quelle']}" for i in set(unterlagen.katalog["indikator"])}
    text = " ".join(str(b.text) for b in vorlage.sitzungsvorlage(query, unterlagen=unterlagen).bloecke)
    assert all(e in text for e in erwartet), erwartet
    assert "die Werte dieser Demo sind synthetisch" in text
    book = load_workbook(io.BytesIO(arbeitsmappe.xlsx_bytes(unterlagen)))
    zellen = {f"{r[0]}: {r[4]}" for r in book["Quellen"].iter_rows(values_only=True) if r and r[0] and len(r) > 4}
    assert erwartet <= zellen
