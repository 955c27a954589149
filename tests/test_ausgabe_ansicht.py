"""What rendering the exports to pictures showed wrong, kept fixed: Word tables whose short columns (years,
values) were squeezed until '2024' broke into '202' and '4'; two range labels drawn on top of each other in the
spine chart when only one area has a value; 'kein Test …' cut off at the right edge beside counts (which have no
trend test); the reference sources run together with ';' into one paragraph of URLs."""

import functools
import io

import pandas as pd
import pytest
from docx import Document

from sozialmonitor import ausgabe
from sozialmonitor.daten import db
from sozialmonitor.daten import queries
from sozialmonitor.ausgabe import steckbrief
from sozialmonitor.ausgabe import word
from sozialmonitor.ausgabe.dokument import Dokument

CM = 360000  # EMU per cm


def test_word_keeps_years_and_values_on_one_line_when_long_words_do_not_fit():
    frame = pd.DataFrame({
        "Indikator": ["Jugendarbeitslosigkeitsquote (Jahresdurchschnitt)", "Schulabgängerinnenanteil"],
        "Jahr": ["2024", "2023"], "Wert": ["11,2 %", "9,2 %"], "Kreis": ["geheim (*)", "18,6 %"],
        "Erläuterung": ["Unterrichtsversorgungsgrad", "Bundesausbildungsförderungsgesetz"],
        "Vergleich mit dem Kreis": ["≈ ähnlich", "○ kein Vergleich"], "Hinweis": ["nicht belastbar", ""],
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
def einzeln(demo_db):
    """The Steckbrief of an area that is the only one of its level with values: a rate (SGB-II-Quote, 7 years)
    and a count (Kinder unter 10 Jahren) – every range is this one value."""
    con = db.connect_read_only(demo_db)
    try:
        indikatoren = queries.run_query(con, "map_indicators")
    finally:
        con.close()
    jahre = [str(j) for j in range(2018, 2025)]
    quote = pd.DataFrame({"indikator": "sgb2_u10", "zeitraum": jahre, "zaehler": [200, 210, 190, 205, 200, 198, 202],
                          "nenner": 1000})
    anzahl = pd.DataFrame({"indikator": "bev_u10", "zeitraum": jahre, "zaehler": None, "nenner": None,
                           "wert": [1000, 990, 1010, 1005, 995, 1000, 1003]})
    quote["wert"] = 100 * quote["zaehler"] / quote["nenner"]
    werte = pd.concat([quote, anzahl], ignore_index=True).assign(
        rolle="gebiet", gebiet="X1", name="Xdorf", ebene="sozialraum", status="ok", herkunft="erhoben",
        teile_gesperrt=0, teile_fehlend=0, monate=None)
    return steckbrief.profile("X1", werte, indikatoren[indikatoren["id"].isin(["sgb2_u10", "bev_u10"])],
                              pd.DataFrame())


def test_spine_draws_one_range_label_where_the_range_is_one_value_and_no_trend_text_for_counts(einzeln):
    figur = steckbrief.figure(einzeln)
    assert einzeln.zeilen["minimum"].eq(einzeln.zeilen["maximum"]).all()
    labels = [(x, y) for trace in figur.data if trace.mode == "text" and trace.textposition != "middle right"
              for x, y in zip(trace.x, trace.y)]
    assert len(labels) == len(einzeln.zeilen) == len(set(labels))  # one label per range, none on another
    titel = next(t for t in figur.data if t.mode == "text" and t.textposition == "middle right").text
    for zeile, text in zip(einzeln.zeilen.itertuples(), titel):
        assert ("Trend" in text) == (zeile.art == "quote"), text
    tabelle = steckbrief.table(einzeln).set_index("Indikator")
    assert not tabelle.filter(like="Spanne").iloc[:, 0].str.contains(" bis ").any()
    for zeile in einzeln.zeilen.itertuples():
        assert (tabelle.loc[zeile.name, "Trend (5 Jahre)"] == "–") == (zeile.art != "quote")


def test_each_reference_source_is_its_own_paragraph(demo_copy, tmp_path, monkeypatch):
    """The demo ships no Land or Bund values (only newspapers had them, issue 20): two imported with their own
    sources, as an office would, each become a paragraph of their own."""
    from sozialmonitor import importer
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "kein-browser"))
    kopie = demo_copy
    with importer.working_copy(kopie) as schreiben:
        importer.import_observations(schreiben, (
            "gebiet;indikator;zeitraum;zaehler;nenner;wert;quelle\n"
            "16;alq_u25;2023;;;6,5;Statistik der Bundesagentur für Arbeit, Arbeitsmarkt in Zahlen\n"
            "DG;ohne_hsa;2022;;;6,9;Statistisches Bundesamt, Schulstatistik\n").encode(), "vergleichswerte.csv")
    con = db.connect_read_only(kopie)
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
