"""Goal verdicts a Steuerungsgruppe can defend (issue 10): the cases of tests/faelle/ziele (copied from
../shared/cases/ziele) and one test per rule of sozialmonitor.statistik."""

import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom

import test_targets
from sozialmonitor import importer
from sozialmonitor.daten import db
from sozialmonitor.karten import kartendaten
from sozialmonitor.ziele import auswertung
from sozialmonitor.statistik import (belastbarkeit, genauigkeit, intervalle, prognose, sicherheit, signifikanz,
                                     urteil)

FAELLE = Path(__file__).parent / "faelle" / "ziele"
HEUTE = date(2025, 6, 1)


@pytest.fixture(scope="module")
def faelle_db(tmp_path_factory) -> Path:
    """The cases imported in the order of their README: indikatoren, gebiete, beobachtungen, ziele."""
    path = tmp_path_factory.mktemp("faelle") / "faelle.duckdb"
    with importer.working_copy(path) as con:
        for name, load in (("indikatoren.toml", importer.import_indicators),
                           ("gebiete.csv", importer.import_areas_table),
                           ("beobachtungen.csv", importer.import_observations),
                           ("ziele.toml", importer.import_targets)):
            load(con, (FAELLE / name).read_bytes(), name)
    return path


@pytest.fixture(scope="module")
def faelle(faelle_db) -> pd.DataFrame:
    con = db.connect_read_only(faelle_db)
    try:
        _, bewertung = auswertung.load(con, heute=HEUTE)
    finally:
        con.close()
    return bewertung.set_index("ziel")


# ---------------------------------------------------------------- the cases

def test_E6_after_the_deadline_the_deadline_years_value_is_judged(faelle):
    row = faelle.loc["E6-frist"]
    assert row["status"] == "nicht_erreicht"            # 17 % in 2022, "unter 15 % bis 31.12.2022"
    assert (row["zeitraum"], row["wert"]) == ("2022", 17.0)
    assert row["spaeter_erreicht"] == 2024                # 14 % in 2024: said beside it, not instead
    assert (row["neuester_zeitraum"], row["neuester_wert"]) == ("2024", 14.0)
    assert auswertung.status_mit_sicherheit(row["status"], row["sicherheit"], row["unsicher"],
                                         row["spaeter_erreicht"]) == \
        "✖ nicht erreicht zur Frist · später erreicht (2024)"


def test_E2_flat_at_a_strict_threshold_is_too_slow_not_moving_away(faelle):
    row = faelle.loc["E2-strikt"]
    assert not row["erreicht"] and row["status"] == "zu_langsam"


def test_E8_reference_forecast_projects_area_and_reference_separately(faelle):
    row = faelle.loc["E8-referenz"]
    assert row["prognose"] == pytest.approx(7.0)          # the area's own flat series, not 4,6 %
    assert row["prognose_unten"] == pytest.approx(7.0) and row["prognose_oben"] == pytest.approx(7.0)
    slope, level = np.polyfit(range(2019, 2025), np.log([5.0, 5.5, 6.0, 6.5, 7.0, 7.0]), 1)
    assert row["prognose_referenz"] == pytest.approx(math.exp(level + slope * 2030))
    assert row["prognose_erreicht"]                       # 7,0 % ≤ the projected Bundeswert (about 10 %)


def test_summary_counts_by_the_deadline_verdicts(faelle):
    statuses = faelle["status"]
    text = auswertung.summary_text(statuses.reset_index(drop=True), faelle["spaeter_erreicht"].reset_index(drop=True))
    assert "1 nicht erreicht zur Frist (1 davon später erreicht)" in text


def test_demo_familienlotsen_are_not_met_at_the_deadline(demo_con):
    # 5 of 6 Sozialräume at the end of 2022, deadline 31.12.2022; all 6 only in 2024.
    result = auswertung.summary(demo_con, heute=date(2026, 11, 30))
    katalog, bewertung = auswertung.load(demo_con, heute=date(2026, 11, 30))
    head = auswertung.headline(bewertung, "5.1.3-familienlotsen")
    assert head["status"] == "nicht_erreicht" and head["wert"] == 5 and head["spaeter_erreicht"] == 2024
    assert result["je_status"].get("nicht_erreicht", 0) >= 1 and result["spaeter_erreicht"] >= 1
    assert result["erreicht"] == sum(auswertung.headline(bewertung, z)["status"] == "erreicht" for z in katalog["id"])


# ---------------------------------------------------------------- deadline semantics and edge statuses

def ziel(**changes) -> dict:
    """A threshold target '< 7 %' for area A, deadline 2027 (the catalogue row of test_targets)."""
    return test_targets.ziel(**({"schwelle": 7.0, "frist": date(2027, 12, 31)} | changes))

reihe = test_targets.reihe


def evaluate(z: dict, *reihen, heute: date = HEUTE, **options) -> pd.DataFrame:
    return auswertung.evaluate(pd.DataFrame([z]), pd.DataFrame([r for rs in reihen for r in rs]), heute, **options)


def only(bewertung: pd.DataFrame, gebiet: str = "A") -> pd.Series:
    return bewertung[bewertung["gebiet"] == gebiet].iloc[0]


def test_deadline_year_without_a_value_is_not_decidable_never_a_guess():
    row = only(evaluate(ziel(frist=date(2022, 12, 31)), reihe("A", {2019: 9.0, 2021: 6.0, 2023: 6.5})))
    assert row["status"] == "nicht_entscheidbar" and row["zeitraum"] == "2022" and pd.isna(row["wert"])
    assert "zur Frist nicht entscheidbar" in row["hinweis"]


def test_deadline_year_suppressed_is_not_decidable_and_named():
    area = reihe("A", {2019: 9.0, 2022: None, 2023: 6.0}, status={2022: "unvollstaendig"})
    row = only(evaluate(ziel(frist=date(2022, 12, 31)), area))
    assert row["status"] == "nicht_entscheidbar" and row["ohne_wert"] == "2022"
    assert row["spaeter_erreicht"] == 2023


def test_a_year_that_cannot_be_computed_is_named_not_replaced_silently():
    area = reihe("A", {2019: 9.0, 2022: 8.0, 2023: None}, status={2023: "unvollstaendig"})
    row = only(evaluate(ziel(), area))
    assert row["zeitraum"] == "2022" and row["ohne_wert"] == "2023"
    assert "2023: nicht berechenbar" in row["hinweis"]
    table = auswertung.display_table(pd.Series(ziel()).to_frame().T.assign(frist=date(2027, 12, 31))
                                  .iloc[0], evaluate(ziel(), area))
    assert list(table["Ohne Wert"]) == ["2023"]


def test_one_year_of_data_is_judged_without_a_trend():
    missed = only(evaluate(ziel(), reihe("A", {2023: 9.0})))
    assert missed["status"] == "kein_trend" and not missed["erreicht"]
    met = only(evaluate(ziel(), reihe("A", {2023: 6.0})))
    assert met["status"] == "erreicht"


def test_base_value_zero_falls_back_to_the_linear_rule():
    row = only(evaluate(ziel(vergleich=">", schwelle=5.0, frist=date(2024, 12, 31)),
                        reihe("A", {2019: 0.0, 2021: 2.0}), heute=date(2024, 6, 1)))
    assert row["verhaeltnis"] == pytest.approx(1.0) and row["status"] == "auf_kurs"
    assert "Basiswert 0" in auswertung.METHODE or "im Basisjahr **0**" in auswertung.METHODE


def test_moving_away_needs_a_move_in_the_wrong_direction():
    row = only(evaluate(ziel(schwelle=15.0), reihe("A", {2019: 14.0, 2023: 15.2})))
    assert row["status"] == "entfernt_sich"


# ---------------------------------------------------------------- published precision

@pytest.mark.parametrize("wert, vergleich, erreicht, gezeigt", [
    (6.96, "<", False, "7,0 %"),    # published 7,0 %: not "unter 7 %"
    (7.04, "<=", True, "7,0 %"),    # published 7,0 %: "höchstens 7 %"
    (6.94, "<", True, "6,9 %"),
    (6.95, "<", False, "7,0 %"),    # half away from zero, as the BA rounds
])
def test_threshold_is_compared_at_the_published_precision(wert, vergleich, erreicht, gezeigt):
    z = ziel(vergleich=vergleich)
    bewertung = evaluate(z, reihe("A", {2019: 9.0, 2024: wert}))
    row = only(bewertung)
    assert bool(row["erreicht"]) is erreicht
    table = auswertung.display_table(pd.Series(z).iloc[0:0].pipe(lambda _: _frame_row(z)), bewertung)
    assert table.loc[0, "Wert"] == gezeigt
    assert table.loc[0, "Status"].startswith("✔ erreicht") is erreicht


def _frame_row(z: dict):
    return next(pd.DataFrame([z]).itertuples(index=False))


def test_a_target_can_set_its_own_precision_and_shows_it():
    z = ziel(vergleich_genauigkeit=2)
    bewertung = evaluate(z, reihe("A", {2019: 9.0, 2024: 6.996}))
    assert only(bewertung)["erreicht"] == False  # noqa: E712 – 7,00 at two decimals
    assert auswertung.display_table(_frame_row(z), bewertung).loc[0, "Wert"] == "7,00 %"
    z = ziel(vergleich_genauigkeit=2)
    bewertung = evaluate(z, reihe("A", {2019: 9.0, 2024: 6.96}))
    assert only(bewertung)["erreicht"]
    assert auswertung.display_table(_frame_row(z), bewertung).loc[0, "Wert"] == "6,96 %"


def test_rounding_is_half_away_from_zero():
    assert genauigkeit.runden(6.95, 1) == 7.0 and genauigkeit.runden(6.949, 1) == 6.9
    assert genauigkeit.runden(0.125, 2) == 0.13 and genauigkeit.runden(-0.05, 1) == -0.1


def test_vergleich_genauigkeit_in_the_targets_file_is_checked():
    text = (FAELLE / "ziele.toml").read_text(encoding="utf-8").replace('schwelle = 15\naggregation',
                                                                        'schwelle = 15\nvergleich_genauigkeit = '
                                                                        '"eins"\naggregation', 1)
    _, befunde = auswertung.parse_targets(text.encode(), "ziele.toml", {"sgb2_u10", "ohne_hsa"},
                                       {"16099002": "gemeinde", "16099006": "gemeinde", "16099008": "gemeinde",
                                        "DG": "bund"})
    assert any(b.feld == "vergleich_genauigkeit" and "0 bis 4" in b.meldung for b in befunde)


# ---------------------------------------------------------------- forecasts

def test_forecast_is_log_linear_over_all_years_with_a_prediction_interval():
    jahre, werte = [2019, 2020, 2021, 2022, 2023], [10.0, 9.0, 9.5, 8.0, 8.2]
    p = prognose.prognose(jahre, werte, 2027)
    x, y = np.array(jahre, float), np.log(werte)
    b, a = np.polyfit(x, y, 1)
    resid = y - (a + b * x)
    s = math.sqrt((resid ** 2).sum() / 3)
    se = s * math.sqrt(1 + 1 / 5 + (2027 - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
    q = 3.182446305284263  # t(0.975, 3 df), from a table
    assert p.wert == pytest.approx(math.exp(a + b * 2027))
    assert (p.unten, p.oben) == pytest.approx((math.exp(a + b * 2027 - q * se), math.exp(a + b * 2027 + q * se)))
    assert p.methode == "loglinear" and p.unten < p.wert < p.oben


def test_a_shares_forecast_stays_within_100_percent_however_far_the_deadline():
    # e9's 3-year series toward a deadline 10+ years out gave "0,3 % (0,0–42.570.547.503 %)" in goal tables
    jahre, werte = [2021, 2022, 2023], [0.9, 0.3, 2.5]
    frei = prognose.prognose(jahre, werte, 2040)
    assert frei.oben > 100  # the unbounded log-linear interval
    p = prognose.prognose(jahre, werte, 2040, obergrenze=100.0)
    assert 0 <= p.unten <= p.wert <= p.oben <= 100.0
    assert prognose.prognose([2021, 2022, 2023], [1.0, 30.0, 900.0], 2400, obergrenze=1000.0).oben == 1000.0


def test_forecast_not_from_two_endpoints():
    # Endpoints 10 → 8 would say 8·0.8^(…); a middle year far off changes the regression, not the endpoints.
    a = prognose.prognose([2019, 2021, 2023], [10.0, 9.0, 8.0], 2027)
    b = prognose.prognose([2019, 2021, 2023], [10.0, 6.0, 8.0], 2027)
    assert a.wert != pytest.approx(b.wert)


def test_forecast_with_two_years_has_no_interval_and_zero_falls_back_to_linear():
    two = prognose.prognose([2019, 2023], [10.0, 8.0], 2027)
    assert two.wert == pytest.approx(6.4) and two.unten is None
    zero = prognose.prognose([2019, 2020, 2021], [0.0, 1.0, 2.0], 2023)
    assert zero.methode == "linear" and zero.wert == pytest.approx(4.0)


# ---------------------------------------------------------------- certainty of the status (bootstrap)

def test_bootstrap_certainty_matches_a_case_computed_by_hand():
    # One year, 1 of 10 = 10 % against "unter 15 %" at 0 decimals. The status is "erreicht" exactly when a draw
    # X ~ Binomial(10, 0.1) gives a rate that rounds below 15, i.e. X ≤ 1:
    # P = 0.9^10 + 10 · 0.1 · 0.9^9 = 0.34868 + 0.38742 = 0.73610. Else (X ≥ 2) "kein Trend (nur ein Jahr)".
    hand = 0.9 ** 10 + 10 * 0.1 * 0.9 ** 9
    assert hand == pytest.approx(binom.cdf(1, 10, 0.1))
    z = ziel(schwelle=15.0, nachkommastellen=0, mindest_nenner=1)  # reliable by its rule: it gets a certainty
    row = only(evaluate(z, reihe("A", {2024: 10.0}, zaehler={2024: 1}, nenner={2024: 10}), ziehungen=20000))
    assert row["status"] == "erreicht"
    assert row["sicherheit"] == pytest.approx(hand, abs=0.01)  # Monte Carlo error ≈ 0.003
    assert row["status_anteile"]["kein_trend"] == pytest.approx(1 - hand, abs=0.01)
    assert row["unsicher"]  # below 80 %
    assert auswertung.status_mit_sicherheit(row["status"], row["sicherheit"], row["unsicher"]).startswith(
        "✔ erreicht (Sicherheit 7")


def test_bootstrap_is_deterministic_and_independent_of_order():
    a, b = reihe("A", {2019: 12.0, 2024: 9.0}, zaehler={2019: 24, 2024: 18}, nenner={2019: 200, 2024: 200}), \
        reihe("B", {2019: 12.0, 2024: 8.0}, zaehler={2019: 24, 2024: 16}, nenner={2019: 200, 2024: 200})
    first = evaluate(ziel(), a, b).set_index("gebiet")["sicherheit"]
    second = evaluate(ziel(), b, a).set_index("gebiet")["sicherheit"]
    assert first.to_dict() == second.to_dict()


def test_no_certainty_without_counts():
    row = only(evaluate(ziel(), reihe("A", {2019: 12.0, 2024: 9.0})))
    assert pd.isna(row["sicherheit"])


def test_true_rate_of_7_everywhere_is_marked_uncertain_not_moving_away():
    # 28 areas with 7,0 % both years on a base of 300: whatever status the point estimate gives, the bootstrap
    # must not call it certain.
    rows = []
    for i in range(28):
        rows += reihe(f"G{i}", {2019: 7.0, 2024: 7.0}, zaehler={2019: 21, 2024: 21}, nenner={2019: 300, 2024: 300})
    bewertung = evaluate(ziel(schwelle=6.0), rows)
    assert bewertung["unsicher"].all()


# ---------------------------------------------------------------- reliability, significance, trend

def test_reliability_rule_per_indicator():
    regel = belastbarkeit.Regel.aus(1000, None)
    flags = belastbarkeit.nicht_belastbar([50, 100], [999, 1000], regel)
    assert flags.tolist() == [True, False]
    # annual average of months: the mean monthly base
    assert belastbarkeit.nicht_belastbar([120], [12 * 900], regel, [12]).tolist() == [True]
    assert belastbarkeit.Regel.aus(None, None) == belastbarkeit.Regel()
    assert belastbarkeit.nicht_belastbar([1], [40], belastbarkeit.Regel()).tolist() == [True]


def test_unreliable_rate_is_never_significant():
    area = reihe("A", {2019: 20.0, 2024: 2.0}, zaehler={2024: 2}, nenner={2024: 100})
    strict = only(evaluate(ziel(schwelle=15.0, mindest_nenner=500), area))
    assert strict["belastbar"] == False and strict["signifikant"] == False  # noqa: E712
    loose = only(evaluate(ziel(schwelle=15.0), area))
    assert loose["belastbar"] and loose["signifikant"]


def test_99_8_level_is_wider_than_95():
    lo95, hi95 = intervalle.wilson(30, 300, 0.95)
    lo998, hi998 = intervalle.wilson(30, 300, 0.998)
    assert lo998 < lo95 and hi998 > hi95
    assert intervalle.z_wert(0.998) == pytest.approx(3.0902, abs=1e-4)
    assert auswertung.ki_spalte(0.998) == "99,8-%-KI"


def test_many_comparisons_note():
    text = signifikanz.viele_vergleiche_text(28, 0.95)
    assert "28 Gebiete" in text and "1,4" in text
    assert signifikanz.viele_vergleiche_text(6, 0.95) is None


def test_two_proportion_test_matches_the_pooled_z_formula():
    z, p = signifikanz.veraenderung_test(30, 300, 45, 300)
    pool = 75 / 600
    expected = (0.15 - 0.10) / math.sqrt(pool * (1 - pool) * (2 / 300))
    assert float(z) == pytest.approx(expected) and float(p) == pytest.approx(2 * (1 - 0.5 * (1 + math.erf(
        expected / math.sqrt(2)))))
    assert signifikanz.veraenderung_gesichert([30], [300], [45], [300], 0.95).tolist() == [False]  # p ≈ 0.07
    assert signifikanz.veraenderung_gesichert([30], [300], [60], [300], 0.95).tolist() == [True]
    assert signifikanz.veraenderung_gesichert([30], [300], [60], [300], 0.95, belastbar=[False]).tolist() == [False]


def test_trend_test_with_two_points_equals_the_squared_two_proportion_z():
    chi, p, richtung = signifikanz.trendtest([2019, 2020], [[30, 60]], [[300, 300]])
    z, p2 = signifikanz.veraenderung_test(30, 300, 60, 300)
    assert chi[0] == pytest.approx(float(z) ** 2) and p[0] == pytest.approx(float(p2)) and richtung[0] == 1


def test_recent_trend_needs_5_points_and_survives_leaving_one_out():
    jahre = [2020, 2021, 2022, 2023, 2024]
    steady = signifikanz.juengster_trend(jahre, [100, 130, 160, 190, 220], [1000] * 5)
    assert steady.key == "steigend"
    assert signifikanz.trend_text(steady.key, "niedriger_ist_besser") == "↑ steigt – schlechter"
    # one outlier year carries the whole "trend": leaving it out removes it → not a trend
    jump = signifikanz.juengster_trend(jahre, [100, 100, 100, 100, 180], [1000] * 5)
    assert jump.key == "kein"
    assert signifikanz.juengster_trend(jahre[1:], [1, 2, 3, 4], [10] * 4).key == "nicht_pruefbar"
    assert signifikanz.juengster_trend(jahre, [100, 130, np.nan, 190, 220], [1000] * 5).key == "nicht_pruefbar"


# ---------------------------------------------------------------- monthly rates only

def test_annual_average_of_monthly_rates_only_is_marked_as_an_approximation():
    area = reihe("A", {2019: 9.0, 2024: 8.0}, monate={2019: 12, 2024: 12})
    row = only(evaluate(ziel(aggregation="jahresdurchschnitt"), area))
    assert row["naeherung"] and "Mittel der Monatsquoten, nicht BA-Jahresdurchschnitt" in row["hinweis"]
    assert auswertung.display_table(_frame_row(ziel()), evaluate(ziel(), area)).loc[0, "Wert"].startswith("≈ ")
    counted = reihe("A", {2019: 9.0, 2024: 8.0}, zaehler={2024: 96}, nenner={2024: 1200}, monate={2024: 12})
    assert not only(evaluate(ziel(aggregation="jahresdurchschnitt"), counted))["naeherung"]


# ---------------------------------------------------------------- the method text

def test_method_text_describes_every_rule():
    text = auswertung.methode(0.998)
    for rule in ("im Jahr der Frist", "später erreicht", "zur Frist nicht entscheidbar", "Genauigkeit",
                 "vergleich_genauigkeit", "gar keine Bewegung", "kein Trend (nur ein Jahr)", "im Basisjahr **0**",
                 "Prognoseintervall", "je für sich", "Bootstrap", "Sicherheit", "unsicher", "mindest_nenner",
                 "nicht belastbar", "99,8 %", "28 Gemeinden", "unabhängige Monate", "Obergrenze",
                 "Test zweier", "Jüngster Trend", "weggelassen", "„x“", "mit Gewichten angegeben",  # no command line (issue 20)
                 "Mittel der Monatsquoten", "Ohne Wert"):
        assert rule in text, rule


# ---------------------------------------------------------------- the map page: reliability, change, trend

def area_frame(rows: list[tuple]) -> pd.DataFrame:
    """(gebiet, zaehler, nenner, wert, monate, herkunft) rows as the query indicator_values_by_area returns them."""
    return pd.DataFrame([{"gebiet": g, "name": f"Gebiet {g}", "kreis": "K", "zaehler": z, "nenner": n, "wert": w,
                          "status": "ok", "herkunft": h, "teile_gesperrt": 0, "teile_fehlend": 0, "monate": m}
                         for g, z, n, w, m, h in rows])


ALQ = kartendaten.Indikator("alq_u25", "Jugendarbeitslosigkeit", "%", "quote", "niedriger_ist_besser", 1, 100.0,
                     mindest_nenner=1000)


def test_map_marks_rates_below_the_indicators_rule_not_reliable_everywhere():
    values = kartendaten.prepare_values(area_frame([
        ("A", 12 * 50, 12 * 999, 5.0, 12, "jahresdurchschnitt"),   # mean month 999 < 1.000
        ("B", 12 * 60, 12 * 1200, 5.0, 12, "jahresdurchschnitt")]), ALQ)
    assert values["unsicher"].tolist() == [True, False]
    hover = kartendaten.hover_texts(values, ["", ""], ALQ)
    assert "Nicht belastbar" in hover[0] and "mindestens 1.000 im Nenner" in hover[0]
    table = kartendaten.area_table(values, ALQ)
    assert table.set_index("Gebiet").loc["Gebiet A", "Hinweis"] == "nicht belastbar"
    assert "nicht belastbar" in kartendaten.csv_bytes(table).decode("utf-8-sig")                  # the export says it too
    data_legend = kartendaten.map_data(kartendaten.MapGeometry(("A", "B"), {"A": "Gebiet A", "B": "Gebiet B"}, {}, {}, {}),
                                values, None, "", ["a", "b"])["legende"]["unsicher"]
    assert data_legend == "nicht belastbar (1)"


def test_monthly_rates_only_are_marked_as_approximation_on_the_map():
    values = kartendaten.prepare_values(area_frame([("A", None, None, 5.0, 12, "jahresdurchschnitt")]), ALQ)
    assert values["naeherung"].tolist() == [True] and values["wert_text"].iloc[0].startswith("≈ ")
    assert "Mittel der Monatsquoten, nicht BA-Jahresdurchschnitt" in kartendaten.hover_texts(values, [""], ALQ)[0]
    assert "Mittel der Monatsquoten" in kartendaten.area_table(values, ALQ)["Hinweis"].iloc[0]


def test_change_map_marks_significant_changes():
    quote = kartendaten.Indikator("q", "Quote", "%", "quote", "niedriger_ist_besser", 1, 100.0)
    before = kartendaten.prepare_values(area_frame([("A", 30, 300, 10.0, None, "erhoben"),
                                             ("B", 30, 300, 10.0, None, "erhoben"),
                                             ("C", 3, 30, 10.0, None, "erhoben")]), quote)
    after = kartendaten.prepare_values(area_frame([("A", 60, 300, 20.0, None, "erhoben"),
                                            ("B", 36, 300, 12.0, None, "erhoben"),
                                            ("C", 9, 30, 30.0, None, "erhoben")]), quote)
    change = kartendaten.change_values(before, after, quote).set_index("gebiet")
    assert change.loc["A", "gesichert"] is True and change.loc["B", "gesichert"] is False
    assert change.loc["C", "gesichert"] is False and change.loc["C", "gesichert_text"] == "nicht belastbar"
    assert "Veränderung gesichert (Test zweier Anteile, 95 %)" in change.loc["A", "hover"]
    table = kartendaten.change_table(change.reset_index(), quote)
    assert set(table["Veränderung gesichert?"]) == {"gesichert", "nicht gesichert", "nicht belastbar"}
    geometry = kartendaten.MapGeometry(("A", "B", "C"), {c: c for c in "ABC"}, {}, {}, {})
    data = kartendaten.map_data(geometry, change.reset_index(), None, "", ["", "", ""], value_column="veraenderung",
                         marker_column="gesichert", marker_label="Veränderung gesichert, 95 %")
    assert data["unsicher"] == [0] and data["legende"]["unsicher"] == "Veränderung gesichert, 95 % (1)"


def test_recent_trend_of_every_area_for_the_map_table():
    rows = []
    for jahr, (a, b) in zip(range(2020, 2025), [(100, 100), (130, 102), (160, 99), (190, 101), (220, 100)]):
        rows += [{"gebiet": "A", "zeitraum": str(jahr), "zaehler": a, "nenner": 1000, "monate": None,
                  "herkunft": "erhoben"},
                 {"gebiet": "B", "zeitraum": str(jahr), "zaehler": b, "nenner": 1000, "monate": None,
                  "herkunft": "erhoben"}]
    rows.append({"gebiet": "C", "zeitraum": "2024", "zaehler": 5, "nenner": 50, "monate": None, "herkunft": "erhoben"})
    trend = signifikanz.juengster_trend_je_gebiet(pd.DataFrame(rows), "2024")
    assert trend.to_dict() == {"A": "steigend", "B": "kein", "C": "nicht_pruefbar"}
    values = kartendaten.prepare_values(area_frame([("A", 220, 1000, 22.0, None, "erhoben")]), ALQ).assign(
        juengster_trend=["steigend"])
    assert kartendaten.area_table(values, ALQ)["Jüngster Trend"].tolist() == ["↑ steigt – schlechter"]


def test_recent_trend_of_an_annual_average_tests_the_mean_month_everywhere():
    """An annual average of 12 monthly counts is tested on its mean month – by the goal engine (juengster_trend
    with monate), the map page (juengster_trend_je_gebiet) and the Steckbrief alike; on the 12-fold sums the same
    rise of 10 → 11,6 % over 1.000 people would be called 'gesichert'."""
    jahre = [2020, 2021, 2022, 2023, 2024]
    summen, basen = [1200, 1248, 1296, 1344, 1392], [12000] * 5
    assert signifikanz.juengster_trend(jahre, summen, basen).key == "steigend"  # what the sums would say
    assert signifikanz.juengster_trend(jahre, summen, basen, monate=[12] * 5).key == "kein"
    rows = [{"gebiet": "A", "zeitraum": str(j), "zaehler": z, "nenner": n, "monate": 12,
             "herkunft": "jahresdurchschnitt"} for j, z, n in zip(jahre, summen, basen)]
    assert signifikanz.juengster_trend_je_gebiet(pd.DataFrame(rows), "2024").to_dict() == {"A": "kein"}


def test_many_reasons_at_once_read_as_each_alone():
    """belastbarkeit.gruende builds the reasons of a whole map from one template per kind (issue 22: 2.727 Gemeinden
    under the BA's rule of 1.000); each reads as grund() writes it alone – thresholds it falls short of by rounding
    (999,6), missing counts, zero, annual averages."""
    from sozialmonitor.statistik import belastbarkeit

    regel = belastbarkeit.Regel(1000.0, 5.0)
    zaehler = [38, 4.6, float("nan"), 0, 59.9, 12 * 4.5]
    nenner = [120, 999.6, 400, 0, 12 * 999.6, 12 * 900]
    monate = [None, None, None, None, 12, 12]
    einzeln = [belastbarkeit.grund(z, n, regel, 100.0, "Pp.", m) for z, n, m in zip(zaehler, nenner, monate)]
    assert belastbarkeit.gruende(zaehler, nenner, regel, 100.0, "Pp.", monate) == einzeln
    assert einzeln[1].startswith("nicht belastbar: 999,6 im Nenner, 4,6 im Zähler (Regel: mindestens 1.000 im Nenner")
    assert "im Monatsmittel 999,6 im Nenner" in einzeln[4] and "ändert" not in einzeln[3]
    schablonen, werte = belastbarkeit.gruende_teile(zaehler, nenner, regel, 100.0, "Pp.", monate)
    assert len(set(schablonen)) < len(schablonen) and werte.shape == (6, 3)
