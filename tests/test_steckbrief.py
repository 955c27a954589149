"""Steckbrief: the profile of one area (spine chart values, comparison with the Kreis, trend, change, goals,
population), its statistics against published reference values, the figure, suppression as on the map page, and the
page with its deep link."""

import functools
import math

import pandas as pd
import pytest

from conftest import open_page
from sozialmonitor import db, maps, queries, steckbrief, targets


def profile_of(path, gebiet: str) -> steckbrief.Steckbrief:
    con = db.connect_read_only(path)
    try:
        katalog, bewertung = targets.load(con)
        return steckbrief.profile(gebiet, queries.run_query(con, "steckbrief_werte", gebiet=gebiet),
                                  queries.run_query(con, "map_indicators"), bewertung,
                                  targets._with_dates(katalog))
    finally:
        con.close()


# ---------------------------------------------------------------- statistics against published values

def test_newcombe_difference_interval_matches_the_paper():
    """Newcombe (1998) method 10, example (a): 56/70 vs 48/80, interval 0.0524 to 0.3339 – excludes 0."""
    assert steckbrief.veraenderung(48, 80, 56, 70)
    # example (d): 5/56 vs 0/29 → -0.0326 … 0.1933 contains 0: not significant
    assert not steckbrief.veraenderung(0, 29, 5, 56)


def test_trend_test_finds_a_steady_rise_and_not_noise():
    indikator = maps.Indikator("q", "Quote", "%", "quote", "niedriger_ist_besser", 1, 100.0)
    years = [str(y) for y in range(2020, 2025)]
    rising = pd.DataFrame({"zeitraum": years, "zaehler": [100, 120, 140, 160, 180], "nenner": [1000] * 5,
                           "wert": [10, 12, 14, 16, 18], "herkunft": "erhoben", "monate": None})
    flat = rising.assign(zaehler=[100, 104, 98, 101, 99], wert=[10, 10.4, 9.8, 10.1, 9.9])
    key, p = steckbrief.trend_test(rising, indikator)
    assert key == "steigt" and p < 0.001
    assert steckbrief.trend_test(flat, indikator)[0] == "kein_trend"
    assert steckbrief.trend_test(rising.head(2), indikator) == ("ohne", pytest.approx(math.nan, nan_ok=True))
    falling = rising.iloc[::-1].assign(zeitraum=years)
    assert steckbrief.trend_test(falling, indikator)[0] == "sinkt"


@pytest.mark.parametrize("ki, bezug, polaritaet, erwartet", [
    ((10.0, 14.0), 9.0, "niedriger_ist_besser", "schlechter"),
    ((10.0, 14.0), 9.0, "hoeher_ist_besser", "besser"),
    ((10.0, 14.0), 15.0, "niedriger_ist_besser", "besser"),
    ((10.0, 14.0), 12.0, "niedriger_ist_besser", "aehnlich"),
    ((10.0, 14.0), 9.0, "neutral", "hoeher"),
    ((10.0, 14.0), 15.0, "neutral", "niedriger"),
    ((math.nan, math.nan), 9.0, "niedriger_ist_besser", "ohne"),
])
def test_comparison_with_the_kreis_follows_interval_and_polarity(ki, bezug, polaritaet, erwartet):
    assert steckbrief.vergleich_mit(12.0, ki, bezug, polaritaet) == erwartet


def test_spine_puts_the_kreis_in_the_middle_and_worse_to_the_left():
    row = {"minimum": 5.0, "q25": 7.0, "q75": 11.0, "maximum": 13.0, "wert": 12.0, "land": 8.0, "bund": 6.0,
           "kreis": 9.0, "polaritaet": "niedriger_ist_besser"}
    pos = steckbrief.spine_position(row)
    assert pos["kreis"] == 0
    assert pos["wert"] < 0 < pos["bund"]  # a high rate is bad: left; the low Bund value right
    assert pos["maximum"] == -1 and -1 <= pos["minimum"] <= 1
    assert steckbrief.spine_position(row | {"polaritaet": "hoeher_ist_besser"})["wert"] > 0


# ---------------------------------------------------------------- the profile

def test_profile_of_a_sozialraum_against_its_kreis_and_range(demo_db):
    profil = profile_of(demo_db, "SR2")
    assert profil.kurzname == "Artern" and profil.ebene == "sozialraum" and profil.kreis_name == "Kyffhäuserkreis"
    rows = profil.zeilen.set_index("indikator")
    assert {"alq_u25", "sgb2_u10", "ohne_hsa", "bev_u10"} <= set(rows.index)
    con = db.connect_read_only(demo_db)
    try:
        for indikator in ("alq_u25", "sgb2_u10"):
            row = rows.loc[indikator]
            kreis = queries.run_query(con, "reference_values", indikator=indikator, zeitraum=row["zeitraum"])
            assert row["kreis"] == pytest.approx(kreis.loc[kreis["gebiet"].eq("16065"), "wert"].iloc[0])
            sozialraeume = queries.run_query(con, "indicator_values_by_area", indikator=indikator,
                                             zeitraum=row["zeitraum"], ebene="sozialraum")
            assert row["minimum"] == pytest.approx(sozialraeume["wert"].min())
            assert row["maximum"] == pytest.approx(sozialraeume["wert"].max())
            assert row["gebiete"] == 6
            assert row["ki_unten"] < row["wert"] < row["ki_oben"]
            expected = steckbrief.vergleich_mit(row["wert"], (row["ki_unten"], row["ki_oben"]), row["kreis"],
                                                "niedriger_ist_besser")
            assert row["vergleich"] == expected
    finally:
        con.close()
    assert rows.loc["bev_u10", "vergleich"] == "ohne"  # a count has no interval and no Kreis yardstick
    assert math.isnan(rows.loc["bev_u10", "kreis"])
    assert any(line.startswith("Kinder unter 10 Jahren: ") for line in profil.bevoelkerung())


def test_profile_carries_the_goal_verdicts_of_the_area(demo_db):
    profil = profile_of(demo_db, "SR2")
    con = db.connect_read_only(demo_db)
    try:
        _, bewertung = targets.load(con)
    finally:
        con.close()
    own = bewertung[bewertung["gebiet"].eq("SR2")]
    assert set(profil.ziele["ziel"]) == set(own["ziel"])
    for r in profil.ziele.itertuples():
        assert r.Status == targets.status_label(own.loc[own["ziel"].eq(r.ziel), "status"].iloc[0])


def test_german_numbers_in_the_table(demo_db):
    table = steckbrief.table(profile_of(demo_db, "SR4"))
    assert not table["Wert"].str.contains(r"\d\.\d %").any()  # never an English decimal point
    assert table["Wert"].str.contains(r"^\d+,\d %$").sum() >= 3
    assert table["Wert"].str.contains(r"^\d{1,3}\.\d{3}$").any()  # counts with a thousands point (1.234)


def test_small_numbers_are_marked_as_on_the_map_page(demo_db):
    profil = profile_of(demo_db, "16065001")  # Abtsbessingen: a village of a few dozen children
    rows = profil.zeilen.set_index("indikator")
    assert rows.loc["sgb2_u10", "unsicher"]
    assert "Geringe Fallzahl" in rows.loc["sgb2_u10", "unsicher_grund"]
    assert "geringe Fallzahl" in set(steckbrief.table(profil)["Hinweis"])


def test_a_suppressed_value_is_shown_as_suppressed_never_as_a_count(gesperrt_db):
    profil = profile_of(gesperrt_db, "16065001")
    row = profil.zeilen.set_index("indikator").loc["sgb2_u10"]
    assert row["wert_text"] == "gesperrt (*)" and row["anteil_text"] == ""
    assert row["vergleich"] == "ohne" and row["trend"] == "ohne"
    table = steckbrief.table(profil).set_index("Indikator")
    assert table.loc["SGB-II-Quote der Kinder unter 10 Jahren", "Zähler von Nenner"] == "–"
    # its Sozialraum cannot be summed honestly: not computable, as on the map page
    sozialraum = profile_of(gesperrt_db, "SR6").zeilen.set_index("indikator").loc["sgb2_u10"]
    assert sozialraum["wert_text"].startswith("nicht berechenbar")


def test_unknown_area_raises():
    with pytest.raises(KeyError):
        steckbrief.profile("XX", pd.DataFrame(columns=["rolle"]), pd.DataFrame(), pd.DataFrame())


def test_figure_has_one_spine_per_indicator_and_german_labels(demo_db):
    profil = profile_of(demo_db, "SR2")
    figure = steckbrief.figure(profil)
    texts = " ".join(str(t) for trace in figure.data if trace.text is not None for t in trace.text)
    for name in profil.zeilen["name"]:
        assert name in texts
    assert "11,2 %" in texts and "11.2" not in texts
    assert figure.layout.separators == ",."
    assert len(figure.data) <= 12  # a few traces for all rows: quick to draw
    [werte] = [t for t in figure.data if t.mode == "markers" and t.marker.size == 15]
    assert len(werte.x) == profil.zeilen["wert"].notna().sum()


# ---------------------------------------------------------------- the page

def test_page_opens_the_area_of_the_deep_link(app_on_demo):
    at = open_page("pages/5_Steckbrief.py", gebiet="SR4").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="steckbrief_gebiet").value == "SR4"
    assert any("Sondershausen" in h.value for h in at.header)
    assert len(at.get("plotly_chart")) == 1
    [karte] = [c for c in at.get("bidi_component") if c.proto.component_name == "sozialmonitor_karte"]
    assert at.query_params["gebiet"] == "SR4"
    assert karte.proto.json  # the locator map


def test_page_offers_word_and_pdf_built_with_a_progress_bar(app_on_demo):
    at = open_page("pages/5_Steckbrief.py", gebiet="SR2").run()
    labels = [b.label for b in at.button]
    assert "Steckbrief (Word)" in labels and "Steckbrief (PDF)" in labels


def test_presentation_switch_of_the_page_hides_the_frame(app_on_demo):
    at = open_page("pages/5_Steckbrief.py", gebiet="SR2", praesentation="1").run()
    assert not at.exception
    assert not at.title  # no page title: the view's own heading
    assert any("Steckbrief: Artern" in h.value for h in at.header)
    assert not [b for b in at.button if b.label.startswith("Steckbrief (")]  # no widgets in the presentation
