"""Rates of aggregates are sum/sum; suppressed, missing and zero stay apart; annual averages come from months."""

import pytest


def value(con, gebiet, indikator, zeitraum):
    rows = con.execute("SELECT wert, status, zaehler, nenner, monate, teile_gesperrt, teile_fehlend FROM werte "
                       "WHERE gebiet = $g AND indikator = $i AND zeitraum = $z",
                       {"g": gebiet, "i": indikator, "z": zeitraum}).fetchall()
    assert len(rows) == 1, f"expected one value for {gebiet}/{indikator}/{zeitraum}, got {rows}"
    return dict(zip(["wert", "status", "zaehler", "nenner", "monate", "gesperrt", "fehlend"], rows[0]))


def test_sozialraum_rate_is_sum_of_numerators_over_sum_of_denominators(tiny_con):
    sra = value(tiny_con, "SRA", "quote_jahr", "2022")
    assert (sra["zaehler"], sra["nenner"]) == (40, 200)
    assert sra["wert"] == pytest.approx(20.0)


def test_kreis_rate_is_not_the_mean_of_gemeinde_rates(tiny_con):
    kreis = value(tiny_con, "01001", "quote_jahr", "2022")
    assert kreis["wert"] == pytest.approx(100 * 45 / 250)
    assert kreis["wert"] != pytest.approx((10 + 30 + 10) / 3)


def test_suppressed_part_makes_aggregate_incomplete_not_zero(tiny_con):
    bedorf = value(tiny_con, "01001002", "quote_jahr", "2023")
    assert bedorf["status"] == "gesperrt" and bedorf["wert"] is None
    sra = value(tiny_con, "SRA", "quote_jahr", "2023")
    assert sra["status"] == "unvollstaendig" and sra["wert"] is None and sra["gesperrt"] == 1


def test_zero_is_a_value(tiny_con):
    cedorf = value(tiny_con, "01001003", "quote_jahr", "2023")
    assert cedorf["status"] == "ok" and cedorf["wert"] == 0.0
    srb = value(tiny_con, "SRB", "quote_jahr", "2023")
    assert srb["status"] == "ok" and srb["wert"] == 0.0


def test_missing_part_is_neither_zero_nor_suppressed(tiny_con):
    cedorf = value(tiny_con, "01001003", "quote_jahr", "2024")
    assert cedorf["status"] == "fehlt" and cedorf["wert"] is None
    kreis = value(tiny_con, "01001", "quote_jahr", "2024")
    assert kreis["status"] == "unvollstaendig" and kreis["fehlend"] == 1 and kreis["gesperrt"] == 0
    sra = value(tiny_con, "SRA", "quote_jahr", "2024")
    assert sra["status"] == "ok" and sra["wert"] == pytest.approx(10.0)


def test_annual_average_from_months_is_sum_over_sum(tiny_con):
    a = value(tiny_con, "01001001", "quote_monat", "2023")
    assert a["monate"] == 12 and a["status"] == "ok"
    assert a["wert"] == pytest.approx(100 * (6 * 2 + 6 * 4) / (12 * 100))
    kreis = value(tiny_con, "01001", "quote_monat", "2023")
    assert kreis["wert"] == pytest.approx(100 * (36 + 24) / (1200 + 1200))


def test_year_with_missing_months_is_flagged(tiny_con):
    a = value(tiny_con, "01001001", "quote_monat", "2024")
    assert a["status"] == "unvollstaendig" and a["monate"] == 11
    assert a["wert"] == pytest.approx(1.0)


def test_count_indicator_aggregates_by_sum(tiny_con):
    assert value(tiny_con, "SRA", "anzahl", "2023")["wert"] == 7
    assert value(tiny_con, "01001", "anzahl", "2023")["wert"] == 10


def test_reference_value_without_counts(tiny_con):
    land = value(tiny_con, "01", "quote_jahr", "2022")
    assert land["wert"] == pytest.approx(15.0) and land["zaehler"] is None


def test_demo_kreis_lands_near_published_youth_unemployment(demo_con):
    """Calibration: the synthetic Kreis lands near the real 9.6 % (April 2024) and 8.7 % (September 2023)."""
    assert value(demo_con, "16065", "alq_u25", "2024-04")["wert"] == pytest.approx(9.6, abs=1.0)
    assert value(demo_con, "16065", "alq_u25", "2023-09")["wert"] == pytest.approx(8.7, abs=1.0)


def test_demo_has_six_sozialraeume_with_geometry(demo_con):
    rows = demo_con.execute("SELECT count(*) FROM gebiete a JOIN geometrien g ON g.gebiet = a.code "
                            "WHERE a.ebene = 'sozialraum'").fetchall()
    assert rows[0][0] == 6
