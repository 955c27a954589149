"""The small findings of the review (issue 20, BEFUNDE #22, #24, #26), each against its old behaviour:
- the monthly time series had 120 rotated month names running into the legend: now a tick per year, upright;
- a count's axis ticked '0,2 Familienlotsen': whole ticks; four areas with the same count ranked 1, 2, 3, 4: they
  share rank 1;
- the workbook had no "Sicherheit"; after building a document both "Sitzungsvorlage (PDF)" and "… herunterladen"
  were shown."""

import functools
import io

import openpyxl
import pandas as pd
from streamlit.testing.v1 import AppTest

from sozialmonitor.ausgabe import arbeitsmappe
from sozialmonitor.ausgabe.unterlagen import collect
from sozialmonitor.daten import db, queries
from sozialmonitor.karten import kartendaten

QUOTE = kartendaten.Indikator("alq_u25", "Jugendarbeitslosigkeit", "%", "quote", "niedriger_ist_besser", 1)
ANZAHL = kartendaten.Indikator("lotsen", "Aktive Familienlotsen", "Anzahl", "anzahl", "hoeher_ist_besser", 0)


def _reihe(zeitraeume, werte) -> pd.DataFrame:
    return pd.DataFrame({"gebiet": "SR1", "name": "Artern", "rolle": "gebiet", "ebene": "sozialraum",
                         "zeitraum": zeitraeume, "wert": werte, "wert_text": [str(w) for w in werte]})


def test_the_monthly_series_has_one_upright_tick_per_year():
    monate = [f"{j}-{m:02d}" for j in range(2015, 2025) for m in range(1, 13)]
    figur = kartendaten.time_series_figure(_reihe(monate, [10.0] * len(monate)), QUOTE, "Artern im Vergleich")
    achse = figur.layout.xaxis
    assert list(achse.ticktext) == ["2015", "2017", "2019", "2021", "2023"]
    assert list(achse.tickvals) == ["Januar 2015", "Januar 2017", "Januar 2019", "Januar 2021", "Januar 2023"]
    assert achse.tickangle == 0


def test_a_count_has_whole_ticks_on_the_map_pages_time_series():
    figur = kartendaten.time_series_figure(_reihe(["2022", "2023", "2024"], [0.0, 1.0, 2.0]), ANZAHL, "Artern")
    assert figur.layout.yaxis.tickformat == ",d" and figur.layout.yaxis.dtick == 1


def test_the_time_series_legend_hangs_below_the_year_labels():
    """Fresh tester: on the page's full width ("Mehrere Zeiträume") the legend, anchored at its bottom edge, sat on
    the year labels 2015–2020. Anchored at its top below the axis, it grows downwards, away from them."""
    figur = kartendaten.time_series_figure(_reihe(["2022", "2023", "2024"], [1.0, 2.0, 3.0]), QUOTE, "Artern")
    assert figur.layout.legend.orientation == "h"
    assert figur.layout.legend.yanchor == "top" and figur.layout.legend.y < 0


def test_equal_values_share_a_rank():
    werte = pd.DataFrame({"gebiet": list("ABCDE"), "name": list("ABCDE"), "wert": [1.0, 1.0, 2.0, 1.0, 1.0],
                          "wert_text": ["1", "1", "2", "1", "1"]})
    tabelle = kartendaten.area_table(werte, ANZAHL)
    # worst first (higher is better: the lowest count first); the four with 1 share rank 1, the next is 5
    assert list(zip(tabelle["Gebiet"], tabelle["Rang"])) == [("A", "1"), ("B", "1"), ("D", "1"), ("E", "1"),
                                                             ("C", "5")]


def test_the_workbook_says_how_certain_each_status_is(demo_db):
    con = db.connect_read_only(demo_db)
    try:
        unterlagen = collect(functools.partial(queries.run_query, con))
    finally:
        con.close()
    mappe = openpyxl.load_workbook(io.BytesIO(arbeitsmappe.xlsx_bytes(unterlagen)))
    for blatt in mappe.worksheets[:2]:
        kopf = next(r for r in blatt.iter_rows(values_only=True) if r and "Status" in r)
        assert "Sicherheit" in kopf, blatt.title
    uebersicht = mappe["Übersicht"]
    zeilen = list(uebersicht.iter_rows(values_only=True))
    kopf_nr = next(i for i, r in enumerate(zeilen) if r and "Sicherheit" in r)
    spalte = zeilen[kopf_nr].index("Sicherheit")
    werte = [r[spalte] for r in zeilen[kopf_nr + 1:] if r[spalte] is not None]
    assert werte and all(0 <= w <= 1 for w in werte)


def _seite():
    import streamlit as st

    from sozialmonitor.oberflaeche import seite, sitzung
    seite.database_version = lambda: 1
    sitzung.export_knopf("Sitzungsvorlage (PDF)", "vorlage_pdf", lambda fortschritt: b"%PDF", "v.pdf",
                         "application/pdf")
    st.write("Ende")


def test_a_built_document_leaves_one_button_its_download():
    at = AppTest.from_function(_seite).run()
    assert [b.label for b in at.button] == ["Sitzungsvorlage (PDF)"]
    at.button[0].click().run()
    assert not at.exception
    assert [b.label for b in at.button] == []  # the build button gave its place to the download
    assert [d.label for d in at.get("download_button")] == ["Sitzungsvorlage (PDF) herunterladen"]
