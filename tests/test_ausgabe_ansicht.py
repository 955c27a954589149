"""What rendering the exports to pictures showed wrong, kept fixed: Word tables whose short columns (years,
values) were squeezed until '2024' broke into '202' and '4'; two range labels drawn on top of each other in the
spine chart when only one area has a value; 'kein Test …' cut off at the right edge beside counts (which have no
trend test); the reference sources run together with ';' into one paragraph of URLs."""

import functools
import io

import pandas as pd
import pytest
from docx import Document

from sozialmonitor import ausgabe, db, queries, steckbrief, targets
from sozialmonitor.ausgabe import word
from sozialmonitor.ausgabe.dokument import Dokument
from sozialmonitor.statistik.bewertung import with_dates

CM = 360000  # EMU per cm


def test_word_keeps_years_and_values_on_one_line_when_long_words_do_not_fit():
    frame = pd.DataFrame({
        "Indikator": ["Jugendarbeitslosigkeitsquote (Jahresdurchschnitt)", "Schulabgängerinnenanteil"],
        "Jahr": ["2024", "2023"], "Wert": ["11,2 %", "9,2 %"], "Kreis": ["geheim (*)", "18,6 %"],
        "Erläuterung": ["Unterrichtsversorgungsgrad", "Bundesausbildungsförderungsgesetz"],
        "Vergleich mit dem Kreis": ["● ähnlich", "○ kein Vergleich"], "Hinweis": ["nicht belastbar", ""],
        "Quelle": ["Landesamtsstatistikveröffentlichung", "Regionaldatenbankauszug"],
    })
    dokument = Dokument("Test", "Untertitel", False, "Fuß")
    dokument.tabelle(frame, rechtsbuendig=("Jahr", "Wert"))
    [tabelle] = Document(io.BytesIO(word.schreiben(dokument))).tables
    breiten = {name: spalte.width / CM for name, spalte in zip(frame.columns, tabelle.columns)}
    for name in ("Jahr", "Wert", "Kreis"):  # every cell short: the whole text and the cell's margin
        need = max(len(name), *(len(v) for v in frame[name])) * 0.15 + 0.4
        assert breiten[name] >= need - 1e-3, (name, breiten[name], need)  # EMU are whole numbers
    assert sum(breiten.values()) <= word.BREITE_CM + 1e-3


@pytest.fixture(scope="module")
def artern(demo_db):
    con = db.connect_read_only(demo_db)
    try:
        katalog, bewertung = targets.load(con)
        return steckbrief.profile("SR2", queries.run_query(con, "steckbrief_werte", gebiet="SR2"),
                                  queries.run_query(con, "map_indicators"), bewertung, with_dates(katalog))
    finally:
        con.close()


def test_spine_draws_one_range_label_where_the_range_is_one_value_and_no_trend_text_for_counts(artern):
    figur = steckbrief.figure(artern)
    gleich = artern.zeilen[artern.zeilen["minimum"].eq(artern.zeilen["maximum"])]
    assert not gleich.empty  # Schulabgänger ohne Hauptschulabschluss: one Sozialraum with a published value
    labels = [(x, y) for trace in figur.data if trace.mode == "text" and trace.textposition != "middle right"
              for x, y in zip(trace.x, trace.y)]
    assert len(labels) == len(set(labels))  # no two labels at the same place
    titel = next(t for t in figur.data if t.mode == "text" and t.textposition == "middle right").text
    for zeile, text in zip(artern.zeilen.itertuples(), titel):
        assert ("Trend" in text) == (zeile.art == "quote"), text
    tabelle = steckbrief.table(artern).set_index("Indikator")
    for zeile in gleich.itertuples():
        assert " bis " not in tabelle.loc[zeile.name].filter(like="Spanne").iloc[0]
    for zeile in artern.zeilen[artern.zeilen["art"].ne("quote")].itertuples():
        assert tabelle.loc[zeile.name, "Trend (5 Jahre)"] == "–"


def test_each_reference_source_is_its_own_paragraph(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "kein-browser"))
    con = db.connect_read_only(demo_db)
    try:
        query = functools.partial(queries.run_query, con)
        quellen = list(dict.fromkeys(query("reference_sources")["quelle"]))
        texte = ausgabe.sitzungsvorlage(query).texte()
    finally:
        con.close()
    assert len(quellen) >= 2
    for quelle in quellen:
        assert quelle in texte


def test_word_writes_a_document_without_subtitle_or_caption():
    dokument = Dokument("Nur ein Titel", "", False, "Fuß")
    dokument.absatz("Text")
    assert Document(io.BytesIO(word.schreiben(dokument))).paragraphs[0].text == "Nur ein Titel"
