"""Goal engine: comparisons, progress statuses, reference and coverage targets, deadlines, incomplete years, the
Wilson interval, the targets file and its import, and the check command."""

import json
import math
import shutil
from datetime import date

import numpy as np
import pandas as pd
import pytest

from sozialmonitor import cli, importer
from sozialmonitor.daten import db
from sozialmonitor.ziele import auswertung
from sozialmonitor.errors import EingabeFehler

HEUTE = date(2024, 6, 1)


def ziel(**changes) -> dict:
    """One catalogue row as the query ziele_katalog returns it: a threshold target '< 10 %' for area A."""
    row = dict(id="z1", reihenfolge=1, titel="Testziel", wortlaut=None, indikator="q", indikator_name="Quote",
               einheit="%", art="quote", faktor=100.0, nachkommastellen=1, polaritaet="niedriger_ist_besser",
               gebiete=["A"], vergleich="<", schwelle=10.0, referenz=None, referenz_name=None, anzahl=None,
               aggregation="jahreswert", basisjahr=2019, frist=date(2025, 12, 31), handlungsfeld="HF 1",
               quelle="Test", verantwortlich="Test", hinweis=None)
    return row | changes


def reihe(gebiet: str, werte: dict, ziel_id: str = "z1", rolle: str = "gebiet", ebene: str = "sozialraum",
          **spalten) -> list[dict]:
    """Annual rows of one area as the query ziel_jahreswerte returns them; spalten maps a column to {jahr: value}."""
    return [{"ziel": ziel_id, "gebiet": gebiet, "gebiet_name": f"Gebiet {gebiet}", "ebene": ebene, "rolle": rolle,
             "jahr": jahr, "wert": wert, "zaehler": spalten.get("zaehler", {}).get(jahr),
             "nenner": spalten.get("nenner", {}).get(jahr), "status": spalten.get("status", {}).get(jahr, "ok"),
             "monate": spalten.get("monate", {}).get(jahr)}
            for jahr, wert in werte.items()]


def evaluate(ziele: list[dict], *reihen: list[dict], heute: date = HEUTE) -> pd.DataFrame:
    rows = [r for rs in reihen for r in rs]
    return auswertung.evaluate(pd.DataFrame(ziele), pd.DataFrame(rows), heute)


def only(bewertung: pd.DataFrame, gebiet: str = "A") -> pd.Series:
    rows = bewertung[bewertung["gebiet"] == gebiet]
    assert len(rows) == 1
    return rows.iloc[0]


# ---------------------------------------------------------------- comparisons and statuses

@pytest.mark.parametrize("vergleich, wert, erreicht", [
    ("<", 9.9, True), ("<", 10.0, False),
    ("<=", 10.0, True), ("<=", 10.1, False),
    (">", 10.1, True), (">", 10.0, False),
    (">=", 10.0, True), (">=", 9.9, False),
])
def test_every_comparison(vergleich, wert, erreicht):
    row = only(evaluate([ziel(vergleich=vergleich)], reihe("A", {2019: 12.0 if "<" in vergleich else 8.0,
                                                                  2023: wert})))
    assert bool(row["erreicht"]) is erreicht
    assert (row["status"] == "erreicht") is erreicht


def test_progress_ratio_is_observed_over_required_compound_growth():
    # 10 % (2019) → 9,3 % (2021), goal < 8 % by 2024: observed CAGR 0.93^(1/2) − 1, required 0.8^(1/5) − 1.
    row = only(evaluate([ziel(schwelle=8.0, frist=date(2024, 12, 31))], reihe("A", {2019: 10.0, 2021: 9.3})))
    expected = (0.93 ** (1 / 2) - 1) / (0.8 ** (1 / 5) - 1)
    assert row["verhaeltnis"] == pytest.approx(expected)
    assert 0.6 <= expected < 0.95 and row["status"] == "maessig"
    assert row["prognose"] == pytest.approx(9.3 * 0.93 ** (3 / 2))  # the same growth for three more years


@pytest.mark.parametrize("verhaeltnis, status", [
    (1.2, "auf_kurs"), (0.95, "auf_kurs"), (0.9499, "maessig"), (0.6, "maessig"), (0.5999, "zu_langsam"),
    (0.0, "zu_langsam"), (-0.01, "entfernt_sich"),
])
def test_open_sdg_cutoffs(verhaeltnis, status):
    assert auswertung.progress_status(verhaeltnis) == status


def test_moving_away_from_the_goal():
    row = only(evaluate([ziel(schwelle=8.0)], reihe("A", {2019: 10.0, 2022: 11.0})))
    assert row["verhaeltnis"] < 0 and row["status"] == "entfernt_sich"


def test_goal_met_at_start_and_lost_since_is_moving_away():
    row = only(evaluate([ziel(schwelle=8.0)], reihe("A", {2019: 7.5, 2022: 8.5})))
    assert row["verhaeltnis"] is None and row["status"] == "entfernt_sich"


def test_growth_rate_from_zero_falls_back_to_linear_change():
    # '> 5' from 0 (2019) to 2 (2021), deadline year 2024: observed 1/year, required 1/year → on track.
    row = only(evaluate([ziel(vergleich=">", schwelle=5.0, frist=date(2024, 12, 31))],
                        reihe("A", {2019: 0.0, 2021: 2.0})))
    assert row["verhaeltnis"] == pytest.approx(1.0) and row["status"] == "auf_kurs"
    assert row["prognose"] == pytest.approx(2.0 + 3 * 1.0)


def test_deadline_passed_and_not_met():
    # After the deadline the deadline year's value is judged (issue 10, item 1), the latest is reported beside it.
    row = only(evaluate([ziel(frist=date(2022, 12, 31))], reihe("A", {2019: 12.0, 2022: 10.5, 2023: 10.2})))
    assert row["status"] == "nicht_erreicht" and row["zeitraum"] == "2022" and row["wert"] == 10.5
    assert (row["neuester_zeitraum"], row["neuester_wert"]) == ("2023", 10.2)
    assert (row["fristwert"], row["frist_erreicht"]) == (10.5, False)
    assert pd.isna(row["prognose"])  # nothing to project: the deadline year is in the data


def test_deadline_passed_and_met_later():
    row = only(evaluate([ziel(frist=date(2022, 12, 31))], reihe("A", {2019: 12.0, 2022: 10.5, 2023: 9.0})))
    assert row["status"] == "nicht_erreicht" and (row["fristwert"], bool(row["frist_erreicht"])) == (10.5, False)
    assert row["spaeter_erreicht"] == 2023 and "Später erreicht (2023)" in row["hinweis"]


def test_deadline_not_passed_on_the_deadline_day():
    row = only(evaluate([ziel(frist=HEUTE)], reihe("A", {2019: 12.0, 2023: 11.9})))
    assert row["status"] == "zu_langsam"


def test_area_without_values_has_no_data():
    row = only(evaluate([ziel()], reihe("A", {None: None})))
    assert row["status"] == "keine_daten" and row["erreicht"] is None


def test_single_year_gives_no_trend():
    row = only(evaluate([ziel()], reihe("A", {2023: 12.0})))
    assert row["status"] == "kein_trend" and row["wert"] == 12.0 and not row["erreicht"]


def test_base_year_without_value_starts_the_trend_later():
    row = only(evaluate([ziel()], reihe("A", {2018: 14.0, 2020: 12.0, 2023: 11.0})))
    assert row["startjahr"] == 2020 and "Trend ab 2020" in row["hinweis"]


# ---------------------------------------------------------------- reference and coverage targets

def test_reference_target_compares_with_the_same_year_and_works_on_the_gap():
    target = ziel(vergleich="<=", schwelle=None, referenz="DG", referenz_name="Deutschland",
                  frist=date(2025, 12, 31))
    area = reihe("A", {2019: 9.0, 2020: 8.5, 2021: 8.0, 2022: 7.0})
    reference = reihe("DG", {2020: 6.0, 2021: 6.5}, rolle="vergleich", ebene="bund")
    row = only(evaluate([target], area, reference))
    assert (row["zeitraum"], row["wert"], row["vergleichswert"]) == ("2021", 8.0, 6.5)
    assert not row["erreicht"]
    # gap 2.5 (2020) → 1.5 (2021): closing 1 per year, 2.5 over 5 years needed → ratio 2.
    assert row["startjahr"] == 2020 and row["verhaeltnis"] == pytest.approx(1.0 / (2.5 / 5))
    assert row["status"] == "auf_kurs"
    # Forecast (issue 10, item 4): the area's own series 2019–2022 and the reference's own series, each log-linear.
    slope, level = np.polyfit([2019, 2020, 2021, 2022], np.log([9.0, 8.5, 8.0, 7.0]), 1)
    assert row["prognose"] == pytest.approx(math.exp(level + slope * 2025))
    assert row["prognose_referenz"] == pytest.approx(6.5 * (6.5 / 6.0) ** 4)
    assert row["prognose_erreicht"]
    assert "2022: kein Vergleichswert (Deutschland)" in row["hinweis"]


def test_reference_target_met_when_at_the_reference():
    target = ziel(vergleich="<=", schwelle=None, referenz="DG", referenz_name="Deutschland")
    row = only(evaluate([target], reihe("A", {2019: 8.0, 2021: 6.5}),
                        reihe("DG", {2019: 6.0, 2021: 6.5}, rolle="vergleich", ebene="bund")))
    assert row["erreicht"] and row["status"] == "erreicht"


def test_coverage_target_counts_areas_that_meet_the_threshold():
    target = ziel(vergleich=">=", schwelle=1.0, anzahl=3, gebiete=["sozialraeume"], art="anzahl",
                  einheit="Anzahl", faktor=1.0, nachkommastellen=0, frist=date(2025, 12, 31))
    rows = evaluate([target], reihe("A", {2019: 1, 2021: 2}), reihe("B", {2019: 0, 2021: 1}),
                    reihe("C", {2019: 0, 2021: 0}))
    coverage = rows[rows["abdeckung"]].iloc[0]
    assert (coverage["wert"], coverage["vergleichswert"]) == (2.0, 3.0)
    assert not coverage["erreicht"]
    # 1 → 2 areas in two years (0.5/year); 3 needed by 2025 from 1 in 2019 (1/3 per year) → ratio 1.5.
    assert coverage["verhaeltnis"] == pytest.approx(0.5 / (2 / 6)) and coverage["status"] == "auf_kurs"
    assert coverage["prognose"] == 3.0  # capped at the number of areas
    assert list(rows.loc[~rows["abdeckung"], "erreicht"]) == [True, True, False]
    assert auswertung.headline(rows, "z1")["abdeckung"]


def test_coverage_target_met():
    target = ziel(vergleich=">=", schwelle=1.0, anzahl=2, art="anzahl", faktor=1.0)
    rows = evaluate([target], reihe("A", {2019: 0, 2021: 2}), reihe("B", {2019: 1, 2021: 1}))
    assert rows[rows["abdeckung"]].iloc[0]["status"] == "erreicht"


# ---------------------------------------------------------------- incomplete years

def test_year_with_missing_months_is_flagged_and_not_judged():
    target = ziel(aggregation="jahresdurchschnitt")
    area = reihe("A", {2019: 12.0, 2023: 11.0, 2024: 9.0}, status={2024: "unvollstaendig"},
                 monate={2019: 12, 2023: 12, 2024: 5})
    row = only(evaluate([target], area))
    assert row["zeitraum"] == "2023" and row["wert"] == 11.0 and not row["erreicht"]
    assert "2024: nur 5 von 12 Monaten – nicht bewertet" in row["hinweis"]


def test_only_incomplete_years_are_judged_but_flagged():
    area = reihe("A", {2019: 12.0, 2023: 9.0}, status={2019: "unvollstaendig", 2023: "unvollstaendig"},
                 monate={2019: 11, 2023: 10})
    row = only(evaluate([ziel(aggregation="jahresdurchschnitt")], area))
    assert row["zeitraum"] == "2023" and row["monate"] == 10 and "2023 ist unvollständig (10 von 12" in row["hinweis"]


# ---------------------------------------------------------------- uncertainty

@pytest.mark.parametrize("erfolge, n, unten, oben", [
    # Newcombe (1998), Statistics in Medicine 17:857–872, table II, method 3 (Wilson score without correction).
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_interval_matches_published_values(erfolge, n, unten, oben):
    lo, hi = auswertung.wilson(erfolge, n)
    assert (round(lo, 4), round(hi, 4)) == (unten, oben)


def test_significance_against_the_threshold():
    # 30 of 300 = 10 % against '< 15': Wilson 7,1–14,0 % excludes 15 → significant; against '< 12': not.
    area = reihe("A", {2019: 20.0, 2023: 10.0}, zaehler={2023: 30}, nenner={2023: 300})
    clear = only(evaluate([ziel(schwelle=15.0)], area))
    assert clear["signifikant"] and clear["ki_oben"] < 15
    lo, hi = auswertung.wilson(30, 300)
    assert (clear["ki_unten"], clear["ki_oben"]) == pytest.approx((100 * lo, 100 * hi))
    close = only(evaluate([ziel(schwelle=12.0)], area))
    assert close["signifikant"] is not None and not close["signifikant"] and close["erreicht"]
    assert auswertung.map_class(close) == "erreicht_unsicher" and auswertung.map_class(clear) == "erreicht"
    missed = only(evaluate([ziel(schwelle=9.5)], area))  # 10 % against '< 9,5': missed, interval contains 9,5
    assert auswertung.map_class(missed) == "verfehlt_unsicher"


def test_annual_average_interval_uses_the_months_as_independent_counts():
    # 12 months of 10 of 100: the year has 120 of 1200 person-months. Issue 19: the months are modelled as
    # independent (Wilson on the sums), no longer as one mean month (the same 100 people in every month) – the
    # method text says that the truth lies between the two when the same persons are counted in several months.
    area = reihe("A", {2019: 12.0, 2023: 10.0}, zaehler={2023: 120}, nenner={2023: 1200}, monate={2023: 12})
    row = only(evaluate([ziel(aggregation="jahresdurchschnitt")], area))
    lo, hi = auswertung.wilson(120, 1200)
    assert (row["ki_unten"], row["ki_oben"]) == pytest.approx((100 * lo, 100 * hi))
    mittel_lo, mittel_hi = auswertung.wilson(10, 100)  # the old mean-month interval: wider
    assert mittel_lo < lo and hi < mittel_hi


def test_no_interval_without_counts():
    row = only(evaluate([ziel()], reihe("A", {2019: 12.0, 2023: 9.0})))
    assert row["signifikant"] is None and row["ki_unten"] is None
    assert auswertung.map_class(row) == "erreicht"


# ---------------------------------------------------------------- summary

def test_headline_is_the_kreis_else_the_worst_area():
    kreis = reihe("K", {2019: 12.0, 2023: 9.0}, ebene="kreis")
    good, bad = reihe("A", {2019: 12.0, 2023: 9.0}), reihe("B", {2019: 12.0, 2023: 13.0})
    assert auswertung.headline(evaluate([ziel()], good, bad, kreis), "z1")["gebiet"] == "K"
    assert auswertung.headline(evaluate([ziel()], good, bad), "z1")["status"] == "entfernt_sich"


def test_summary_text_counts_targets_by_status():
    text = auswertung.summary_text(pd.Series(["erreicht", "nicht_erreicht", "erreicht", "zu_langsam"]))
    assert text == "2 von 4 Zielen erreicht, 1 zu langsam, 1 nicht erreicht zur Frist"
    assert auswertung.summary_text(pd.Series(["zu_langsam"])) == "0 von 1 Ziel erreicht, 1 zu langsam"


def test_summary_of_the_demo(demo_con):
    result = auswertung.summary(demo_con)
    katalog, bewertung = auswertung.load(demo_con)
    assert result["ziele"] == len(katalog) == 4
    assert result["erreicht"] == sum(auswertung.headline(bewertung, z)["status"] == "erreicht" for z in katalog["id"])
    assert result["text"].startswith(f"{result['erreicht']} von 4 Zielen erreicht")


# ---------------------------------------------------------------- the demo, checked against the raw counts

def raw_annual_average(con, areas: list[str], indikator: str, jahr: int) -> tuple[float, float]:
    """Sum of the Gemeinden's monthly counts (the BA's annual average: sum over sum), straight from the table."""
    zaehler, nenner = con.execute(
        "SELECT sum(zaehler), sum(nenner) FROM beobachtungen WHERE indikator = $i AND left(zeitraum, 4) = $j "
        "AND gebiet IN (SELECT unnest($g))", {"i": indikator, "j": str(jahr), "g": areas}).fetchall()[0]
    return zaehler, nenner


def members(con, sozialraum: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT gemeinde FROM zuordnung WHERE sozialraum = $s",
                                      {"s": sozialraum}).fetchall()]


def test_demo_youth_unemployment_target_against_raw_counts(demo_con):
    katalog, bewertung = auswertung.load(demo_con, heute=date(2026, 1, 1))
    rows = bewertung[bewertung["ziel"] == "3.1-jugendarbeitslosigkeit"].set_index("gebiet")
    gemeinden = [r[0] for r in demo_con.execute("SELECT code FROM gebiete WHERE ebene = 'gemeinde'").fetchall()]
    for gebiet, parts in [("16065", gemeinden), ("SR4", members(demo_con, "SR4"))]:
        row = rows.loc[gebiet]
        jahr = int(row["zeitraum"])
        zaehler, nenner = raw_annual_average(demo_con, parts, "alq_u25", jahr)
        assert row["wert"] == pytest.approx(100 * zaehler / nenner)
        # compared at the published precision (one decimal, half away from zero; issue 10, item 2)
        assert bool(row["erreicht"]) == (math.floor(1000 * zaehler / nenner + 0.5) / 10 < 7)
        lo, hi = auswertung.wilson(zaehler, nenner)  # the months as independent counts (issue 19)
        assert (row["ki_unten"], row["ki_oben"]) == pytest.approx((100 * lo, 100 * hi))
        assert row["status"] == ("erreicht" if row["erreicht"] else "nicht_erreicht")  # deadline 2023 has passed


def test_demo_school_leavers_target_is_judged_in_the_deadline_year_against_that_years_federal_value(demo_con):
    # The deadline (31.12.2023) has passed: only 2023 is judged (issue 10, item 1), never a later or earlier year.
    _, bewertung = auswertung.load(demo_con, heute=date(2026, 1, 1))
    row = bewertung[(bewertung["ziel"] == "3.1-ohne-hauptschulabschluss") & (bewertung["gebiet"] == "16065")].iloc[0]
    federal = demo_con.execute("SELECT wert FROM beobachtungen WHERE gebiet = 'DG' AND indikator = 'ohne_hsa' "
                               "AND zeitraum = '2023'").fetchall()
    latest = demo_con.execute("SELECT max(zeitraum) FROM beobachtungen WHERE gebiet = 'DG' "
                              "AND indikator = 'ohne_hsa'").fetchall()[0][0]
    assert row["zeitraum"] == "2023"
    if not federal:  # the published federal series ends before the deadline year: no guess from another year
        assert row["status"] == "nicht_entscheidbar" and pd.isna(row["vergleichswert"]) and pd.isna(row["sicherheit"])
        assert not auswertung.present(row["erreicht"])  # the Kreis' own value is shown, not judged
        # the demo has no federal value at all since issue 20 (newspaper sources only): latest is None then
        assert (pd.isna(row["neuester_zeitraum"]) if latest is None else row["neuester_zeitraum"] == latest)
        assert "zur Frist nicht entscheidbar" in row["hinweis"]
        return
    zaehler, nenner = demo_con.execute("SELECT sum(zaehler), sum(nenner) FROM beobachtungen WHERE indikator = "
                                       "'ohne_hsa' AND zeitraum = '2023' AND gebiet LIKE '16065___'").fetchall()[0]
    assert row["vergleichswert"] == pytest.approx(federal[0][0])
    assert row["wert"] == pytest.approx(100 * zaehler / nenner)
    published = math.floor(1000 * zaehler / nenner + 0.5) / 10
    assert bool(row["erreicht"]) == (published <= math.floor(10 * federal[0][0] + 0.5) / 10)
    assert row["status"] == ("erreicht" if row["erreicht"] else "nicht_erreicht")


def test_an_area_with_a_value_in_the_deadline_year_shows_it_even_without_any_year_with_a_federal_value(demo_con):
    """Review finding: Ebeleben's 2023 value was shown as "– / keine Daten" for the Bundesniveau target, because
    none of its visible years has a federal value. An area's own value in the deadline year is shown and not judged
    ("zur Frist nicht entscheidbar"), for every area of a target compared with a reference."""
    _, bewertung = auswertung.load(demo_con, heute=date(2026, 1, 1))
    rows = bewertung[(bewertung["ziel"] == "3.1-ohne-hauptschulabschluss") & ~bewertung["abdeckung"].astype(bool)]
    own = dict(demo_con.execute("SELECT gebiet, wert FROM werte WHERE indikator = 'ohne_hsa' AND zeitraum = '2023' "
                                "AND wert IS NOT NULL").fetchall())
    federal = demo_con.execute("SELECT count(*) FROM werte WHERE gebiet = 'DG' AND indikator = 'ohne_hsa' "
                               "AND zeitraum = '2023' AND wert IS NOT NULL").fetchall()[0][0]
    shown = rows[rows["gebiet"].isin(own)]
    assert "SR6" in set(shown["gebiet"])  # Ebeleben: 2023 visible, every year with a federal value suppressed
    for row in shown.itertuples():
        assert row.zeitraum == "2023" and row.wert == pytest.approx(own[row.gebiet]), row.gebiet_name
        if not federal:
            assert row.status == "nicht_entscheidbar", row.gebiet_name


# ---------------------------------------------------------------- targets file and import

GOOD = """
[[ziel]]
id = "t-monat"
titel = "Testquote unter 5 %"
indikator = "quote_monat"
gebiete = ["01001", "sozialraeume"]
vergleich = "<"
schwelle = 5
aggregation = "jahresdurchschnitt"
basisjahr = 2022
frist = 2030-12-31
handlungsfeld = "HF 1"
quelle = "Test"
verantwortlich = "Test"

[[ziel]]
id = "t-referenz"
titel = "Nicht über dem Bund"
indikator = "quote_jahr"
gebiete = "kreis"
vergleich = "<="
referenz = "DG"
aggregation = "jahreswert"
basisjahr = 2022
frist = "2030-12-31"
handlungsfeld = "HF 2"
quelle = "Test"
verantwortlich = "Test"
"""


@pytest.fixture
def writable_tiny(tiny_db, tmp_path):
    path = tmp_path / "tiny.duckdb"
    shutil.copyfile(tiny_db, path)
    return path


def import_text(path, text: str, name: str = "ziele.toml", dry_run: bool = False):
    with importer.working_copy(path, publish=not dry_run) as con:
        return importer.import_targets(con, text.encode("utf-8"), name, dry_run=dry_run)


def stored(path, sql: str):
    con = db.connect_read_only(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_import_targets_and_evaluate_the_tiny_database(writable_tiny):
    result = import_text(writable_tiny, GOOD)
    assert (result.neu, result.zeilen) == (2, 2)
    con = db.connect_read_only(writable_tiny)
    try:
        _, bewertung = auswertung.load(con, heute=date(2025, 1, 1))
    finally:
        con.close()
    monat = bewertung[bewertung["ziel"] == "t-monat"].set_index("gebiet")
    assert list(monat.index) == ["01001", "SRA", "SRB"]
    # 2024 has 11 months in every Gemeinde: judged is 2023 (12 months), the sum of months over the sum of bases.
    assert monat.loc["01001", "zeitraum"] == "2023"
    assert monat.loc["01001", "wert"] == pytest.approx(100 * 60 / 2400)
    assert "2024: nur 11 von 12 Monaten" in monat.loc["01001", "hinweis"]
    referenz = bewertung[bewertung["ziel"] == "t-referenz"].iloc[0]
    assert (referenz["gebiet"], referenz["zeitraum"]) == ("01001", "2022")
    assert referenz["wert"] == pytest.approx(18.0) and referenz["vergleichswert"] == pytest.approx(12.5)
    assert referenz["status"] == "kein_trend"  # one comparable year only: judged, but no trend


def test_reimport_of_the_same_file_changes_nothing(writable_tiny):
    first = import_text(writable_tiny, GOOD)
    again = import_text(writable_tiny, GOOD)
    assert again.bereits_importiert and again.import_id == first.import_id
    assert stored(writable_tiny, "SELECT count(*) FROM importe WHERE art = 'ziele'") == [(1,)]


def test_dry_run_stores_nothing(writable_tiny):
    result = import_text(writable_tiny, GOOD, dry_run=True)
    assert result.trockenlauf and result.neu == 2
    assert stored(writable_tiny, "SELECT count(*) FROM ziele") == [(0,)]


BAD = GOOD.replace('vergleich = "<"\n', 'vergleich = "=<"\n', 1) \
          .replace('referenz = "DG"', 'referenz = "DG"\nschwelle = 3') \
          .replace('indikator = "quote_jahr"', 'indikator = "gibtsnicht"') \
          .replace('gebiete = "kreis"', 'gebiete = ["01001", "XY"]') \
          .replace('basisjahr = 2022\nfrist = "2030-12-31"', 'basisjahr = 2022\nfrist = "31.12.2030"') \
          .replace('quelle = "Test"\nverantwortlich = "Test"\n', 'quelle = "Test"\n', 1) + 'farbe = "rot"\n'


def test_invalid_targets_file_is_refused_with_every_finding_and_nothing_loaded(writable_tiny):
    import_text(writable_tiny, GOOD)
    before = stored(writable_tiny, "SELECT id, vergleich FROM ziele ORDER BY id")
    with pytest.raises(EingabeFehler) as refused:
        import_text(writable_tiny, BAD)
    found = {(b.feld, b.meldung.split(":")[0]) for b in refused.value.befunde}
    assert found >= {
        ("vergleich", "Ziel „t-monat“"), ("verantwortlich", "Ziel „t-monat“"),
        ("schwelle", "Ziel „t-referenz“"), ("indikator", "Ziel „t-referenz“"), ("gebiete", "Ziel „t-referenz“"),
        ("frist", "Ziel „t-referenz“"), ("farbe", "Ziel „t-referenz“"),
    }
    vergleich = next(b for b in refused.value.befunde if b.feld == "vergleich")
    assert vergleich.zeile == BAD.splitlines().index('vergleich = "=<"') + 1 and "„=<“" in vergleich.meldung
    assert stored(writable_tiny, "SELECT id, vergleich FROM ziele ORDER BY id") == before
    assert stored(writable_tiny, "SELECT count(*) FROM importe WHERE art = 'ziele'") == [(1,)]


@pytest.mark.parametrize("text, feld, meldung", [
    ("[[ziel]\nid = 1", None, "TOML-Datei ist fehlerhaft"),
    ("titel = 'x'", None, "kein Ziel"),
    (GOOD + GOOD.split("[[ziel]]")[1].join(["[[ziel]]", ""]), "id", "mehrfach"),
    (GOOD.replace("basisjahr = 2022\nfrist = 2030-12-31", "basisjahr = 2022\nfrist = 2021-12-31"), "frist",
     "nach dem Basisjahr"),
    (GOOD.replace('referenz = "DG"', 'referenz = "XX"'), "referenz", "unbekannt"),
    (GOOD.replace('schwelle = 5', 'schwelle = "fünf"'), "schwelle", "Zahl"),
    (GOOD.replace('aggregation = "jahreswert"', 'aggregation = "summe"'), "aggregation", "jahreswert"),
    (GOOD.replace('schwelle = 5', 'schwelle = 5\nanzahl = 4'), "anzahl", "nur 3"),
    (GOOD.replace('basisjahr = 2022\nfrist = 2030', 'basisjahr = "2022"\nfrist = 2030'), "basisjahr", "Jahreszahl"),
])
def test_each_kind_of_invalid_target_is_named(text, feld, meldung):
    areas = {"01001": "kreis", "DG": "bund", "SRA": "sozialraum", "SRB": "sozialraum"}
    try:
        _, befunde = auswertung.parse_targets(text.encode(), "ziele.toml", {"quote_monat", "quote_jahr"}, areas)
    except EingabeFehler as exc:
        befunde = exc.befunde
    assert any(b.feld == feld and meldung in b.meldung for b in befunde), befunde


def test_demo_targets_file_is_valid(demo_con):
    katalog, _ = auswertung.load(demo_con)
    assert set(katalog["id"]) == {"3.1-jugendarbeitslosigkeit", "3.1-ohne-hauptschulabschluss",
                                  "5.1.3-familienlotsen", "beispiel-sgb2-u10"}
    beispiel = katalog.set_index("id").loc["beispiel-sgb2-u10"]
    assert "Beispielziel, nicht Teil der Zielvereinbarung" in beispiel["quelle"]


# ---------------------------------------------------------------- command line

def test_check_json_has_exactly_the_agreed_keys(demo_db, capsys):
    assert cli.main(["check", "--db", str(demo_db), "--json"]) == cli.EXIT_OK
    records = json.loads(capsys.readouterr().out)
    assert records and all(list(r) == auswertung.JSON_KEYS for r in records)
    assert {r["status"] for r in records} <= set(auswertung.STATUS)
    assert all(r["erreicht"] in (True, False, None) for r in records)
    assert not any(isinstance(v, float) and math.isnan(v) for r in records for v in r.values())


def test_check_table_is_german(demo_db, capsys):
    assert cli.main(["check", "--db", str(demo_db)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "von 4 Zielen erreicht" in out and "Frist 31.12.2023" in out and "%" in out


def test_check_on_a_missing_or_broken_database_exits_2(tmp_path, capsys):
    assert cli.main(["check", "--db", str(tmp_path / "fehlt.duckdb")]) == cli.EXIT_REFUSED
    assert "gibt es nicht" in capsys.readouterr().err
    broken = tmp_path / "kaputt.duckdb"
    broken.write_text("keine Datenbank")
    assert cli.main(["check", "--db", str(broken), "--json"]) == cli.EXIT_REFUSED
    assert "keine lesbare Sozialmonitor-Datenbank" in capsys.readouterr().err


def test_import_targets_command(writable_tiny, tmp_path, capsys):
    good, bad = tmp_path / "ziele.toml", tmp_path / "kaputt.toml"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="utf-8")
    assert cli.main(["import", "targets", str(bad), "--db", str(writable_tiny)]) == cli.EXIT_REFUSED
    err = capsys.readouterr().err
    assert "Import abgelehnt" in err and "kaputt.toml, Zeile" in err and "Ziel „t-monat“" in err
    assert cli.main(["import", "targets", str(good), "--db", str(writable_tiny)]) == cli.EXIT_OK
    assert "2 neu" in capsys.readouterr().out


def test_check_without_targets_is_empty_not_an_error(tiny_db, capsys):
    assert cli.main(["check", "--db", str(tiny_db), "--json"]) == cli.EXIT_OK
    assert json.loads(capsys.readouterr().out) == []
    assert cli.main(["check", "--db", str(tiny_db)]) == cli.EXIT_OK
    assert "Noch keine Ziele" in capsys.readouterr().out


def test_a_missing_comparison_value_leaves_the_areas_own_value_shown(demo_con):
    # Ziel 3.1 compares with Deutschland; the demo has no Bundeswert for the deadline year 2023. The Kreis' own
    # 2023 value (51 of 666 … 11,0 %) exists: the table shows it and says the comparison value is missing, instead
    # of "kein Wert" for a value the map shows
    katalog, bewertung = auswertung.load(demo_con, heute=date(2026, 11, 30))
    ziel = katalog[katalog["indikator"].eq("ohne_hsa")].iloc[0]
    kreis = bewertung[bewertung["ziel"].eq(ziel["id"]) & bewertung["gebiet"].eq("16065")].iloc[0]
    gezeigt = demo_con.execute("SELECT wert FROM werte WHERE gebiet = '16065' AND indikator = 'ohne_hsa' "
                               "AND zeitraum = '2023'").fetchone()[0]
    assert kreis["status"] == "nicht_entscheidbar" and kreis["zeitraum"] == "2023"
    assert kreis["wert"] == pytest.approx(gezeigt) and not auswertung.present(kreis["erreicht"])
    zeile = auswertung.display_table(ziel, bewertung).iloc[0]
    assert zeile["Wert"] == auswertung.fmt.wert(auswertung.runden(gezeigt, 1), "%", 1)
    assert "kein Vergleichswert" in zeile.tolist() and "kein Wert" not in zeile.tolist()


def test_the_goal_map_agrees_with_its_table_where_only_the_comparison_value_is_missing(demo_con):
    # The reviewer saw "? keine Daten (6 Gebiete)" on the map beside a table with values for five of them
    katalog, bewertung = auswertung.load(demo_con, heute=date(2026, 11, 30))
    ziel = katalog[katalog["indikator"].eq("ohne_hsa")].iloc[0]
    klassen = auswertung.map_classes(ziel, bewertung).set_index("gebiet")["klasse"]
    rows = auswertung.area_rows(ziel, bewertung).set_index("gebiet")
    mit_wert = rows.index[rows["wert"].notna()]
    assert len(mit_wert) >= 5 and (klassen[mit_wert] == "kein_vergleich").all()
    assert (klassen[rows.index[rows["wert"].isna()]] == "keine_daten").all()
    assert "erreicht" not in auswertung.KARTENKLASSEN["erreicht"][0]  # a state, not the verdict of the table


def test_areas_of_one_target_with_the_same_name_are_told_apart_by_level_and_key():
    """Review finding: `check` printed three rows „Gifhorn“ (Kreis, Sozialraum and Gemeinde of the same name)."""
    from sozialmonitor.statistik import bewertung as regeln
    frame = pd.DataFrame({"ziel": ["a", "a", "a", "a", "b"], "gebiet": ["03151", "EG009", "03151009", "SR1", "03151"],
                          "gebiet_name": ["Gifhorn", "Gifhorn", "Gifhorn", "Wittingen", "Gifhorn"],
                          "ebene": ["kreis", "sozialraum", "gemeinde", "sozialraum", "kreis"],
                          "abdeckung": [False] * 5})
    names = regeln.eindeutige_namen(frame)["gebiet_name"].tolist()
    assert names == ["Gifhorn (Kreis 03151)", "Gifhorn (Sozialraum EG009)", "Gifhorn (Gemeinde 03151009)",
                     "Wittingen", "Gifhorn"]
