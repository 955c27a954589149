"""Steckbrief: the profile of one area (spine chart values, comparison with the Kreis, trend, change, goals,
population), its statistics against published reference values, the figure, suppression as on the map page, and the
page with its deep link."""

import math

import pandas as pd
import pytest

from conftest import open_page
from sozialmonitor.daten import db
from sozialmonitor.daten import queries
from sozialmonitor.ausgabe import steckbrief
from sozialmonitor.ziele import auswertung
from sozialmonitor.statistik import intervalle, signifikanz


def profile_of(path, gebiet: str) -> steckbrief.Steckbrief:
    con = db.connect_read_only(path)
    try:
        katalog, bewertung = auswertung.load(con)
        return steckbrief.profile(gebiet, queries.run_query(con, "steckbrief_werte", gebiet=gebiet),
                                  queries.run_query(con, "map_indicators"), bewertung,
                                  auswertung._with_dates(katalog))
    finally:
        con.close()


# ---------------------------------------------------------------- the marks are the shared statistik's

def synthetic_werte(zaehler: list[int], nenner: list[int], kreis: float = 10.0) -> pd.DataFrame:
    """steckbrief_werte rows of one area X1 (SGB-II-Quote, 2018–2024) and its Kreis at `kreis` %."""
    jahre = [str(j) for j in range(2018, 2018 + len(zaehler))]
    own = pd.DataFrame({"rolle": "gebiet", "gebiet": "X1", "name": "Xdorf", "ebene": "sozialraum",
                        "indikator": "sgb2_u10", "zeitraum": jahre, "zaehler": zaehler, "nenner": nenner,
                        "wert": [100 * z / n for z, n in zip(zaehler, nenner)]})
    kreis_rows = pd.DataFrame({"rolle": "kreis", "gebiet": "K", "name": "Kreis", "ebene": "kreis",
                               "indikator": "sgb2_u10", "zeitraum": jahre, "zaehler": None, "nenner": None,
                               "wert": kreis})
    return pd.concat([own, kreis_rows], ignore_index=True).assign(
        status="ok", herkunft="erhoben", teile_gesperrt=0, teile_fehlend=0, monate=None)


@pytest.fixture(scope="module")
def sgb2_spec(demo_db):
    con = db.connect_read_only(demo_db)
    try:
        indikatoren = queries.run_query(con, "map_indicators")
    finally:
        con.close()
    return indikatoren[indikatoren["id"].eq("sgb2_u10")]


@pytest.mark.parametrize("zaehler, nenner", [
    ([4, 7, 10, 12, 15, 17, 20], [40] * 7),             # below the reliability rule (50 in the denominator)
    ([200, 260, 330, 400, 470, 540, 600], [2000] * 7),  # reliable, far above the Kreis, rising
    ([200, 204, 198, 201, 199, 203, 260], [2000] * 7),  # reliable, flat, then a jump
])
def test_the_marks_are_the_statistik_results_for_the_same_counts(sgb2_spec, zaehler, nenner):
    """Comparison with the Kreis = intervalle.abstand (the goal page's 'gesichert'; never for an unreliable rate),
    change = signifikanz.veraenderung_gesichert (the map page's change map), trend = signifikanz.juengster_trend
    (the goal and map pages' 'Jüngster Trend')."""
    row = steckbrief.profile("X1", synthetic_werte(zaehler, nenner), sgb2_spec, pd.DataFrame()).zeilen.iloc[0]
    belastbar = nenner[-1] >= 50
    lage = intervalle.abstand(zaehler[-1], nenner[-1], 100.0, 10.0, belastbar=belastbar)
    assert (row["ki_unten"], row["ki_oben"]) == pytest.approx((lage.ki_unten, lage.ki_oben))
    assert row["vergleich"] == ("schlechter" if lage.gesichert else "aehnlich")  # higher is worse here
    assert row["unsicher"] == (not belastbar)
    jahre = list(range(2018, 2018 + len(zaehler)))
    assert row["trend"] == signifikanz.juengster_trend(jahre, zaehler, nenner).key
    assert row["veraenderung_gesichert"] == bool(signifikanz.veraenderung_gesichert(
        zaehler[-2], nenner[-2], zaehler[-1], nenner[-1], belastbar=belastbar))
    if not belastbar:  # 50 % against 10 % – but on 40 children: never 'schlechter', never a 'gesicherte' change
        assert row["vergleich"] == "aehnlich" and not row["veraenderung_gesichert"]


@pytest.mark.parametrize("gesichert, hoeher, bezug, polaritaet, erwartet", [
    (True, True, 9.0, "niedriger_ist_besser", "schlechter"),
    (True, True, 9.0, "hoeher_ist_besser", "besser"),
    (True, False, 15.0, "niedriger_ist_besser", "besser"),
    (False, False, 12.0, "niedriger_ist_besser", "aehnlich"),
    (True, True, 9.0, "neutral", "hoeher"),
    (True, False, 15.0, "neutral", "niedriger"),
    (True, True, math.nan, "niedriger_ist_besser", "ohne"),
])
def test_comparison_with_the_kreis_follows_the_interval_and_polarity(gesichert, hoeher, bezug, polaritaet,
                                                                     erwartet):
    lage = intervalle.Abstand(10.0, 14.0, gesichert, hoeher)
    assert steckbrief.vergleich_key(lage, bezug, polaritaet) == erwartet
    assert steckbrief.vergleich_key(None, 9.0, polaritaet) == "ohne"  # no interval: a count


def test_steckbrief_goal_page_and_map_page_give_every_sozialraum_the_same_trend(demo_db):
    """The recent trend of every Sozialraum and rate is the goal page's (auswertung.evaluate) and the map page's
    (signifikanz.juengster_trend_je_gebiet) – also for the annual average of monthly counts (alq_u25)."""
    con = db.connect_read_only(demo_db)
    try:
        katalog, bewertung = auswertung.load(con)
        katalog = auswertung._with_dates(katalog)
        karte = {}
        for indikator in ("alq_u25", "sgb2_u10"):
            alle = queries.run_query(con, "indicator_values_all_periods", indikator=indikator, ebene="sozialraum")
            jahr = max(z for z in alle["zeitraum"] if len(z) == 4)
            karte[indikator] = signifikanz.juengster_trend_je_gebiet(alle[alle["zeitraum"].str.len().eq(4)], jahr)
    finally:
        con.close()
    verglichen = 0
    for gebiet in [f"SR{i}" for i in range(1, 7)]:
        rows = profile_of(demo_db, gebiet).zeilen.set_index("indikator")
        for indikator in ("alq_u25", "sgb2_u10"):
            assert rows.loc[indikator, "trend"] == karte[indikator][gebiet], (gebiet, indikator)
            ziele = katalog.loc[katalog["indikator"].eq(indikator) & katalog["referenz"].isna(), "id"]
            ziel_rows = bewertung[bewertung["ziel"].isin(ziele) & bewertung["gebiet"].eq(gebiet)]
            for trend in ziel_rows["juengster_trend"].dropna():
                assert rows.loc[indikator, "trend"] == trend, (gebiet, indikator)
                verglichen += 1
    assert verglichen >= 6


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
            z, n = intervalle.fallzahlen(*sozialraeume.loc[sozialraeume["gebiet"].eq("SR2"),
                                                           ["zaehler", "nenner", "monate"]].iloc[0])
            lage = intervalle.abstand(z, n, 100.0, row["kreis"], belastbar=not row["unsicher"])
            assert row["vergleich"] == steckbrief.vergleich_key(lage, row["kreis"], "niedriger_ist_besser")
    finally:
        con.close()
    assert rows.loc["bev_u10", "vergleich"] == "ohne"  # a count has no interval and no Kreis yardstick
    assert math.isnan(rows.loc["bev_u10", "kreis"])
    assert any(line.startswith("Kinder unter 10 Jahren: ") for line in profil.bevoelkerung())


def test_profile_carries_the_goal_verdicts_of_the_area(demo_db):
    profil = profile_of(demo_db, "SR2")
    con = db.connect_read_only(demo_db)
    try:
        _, bewertung = auswertung.load(con)
    finally:
        con.close()
    own = bewertung[bewertung["gebiet"].eq("SR2")]
    assert set(profil.ziele["ziel"]) == set(own["ziel"])
    for r in profil.ziele.itertuples():
        assert r.Status.startswith(auswertung.status_label(own.loc[own["ziel"].eq(r.ziel), "status"].iloc[0]))


def test_a_goal_reached_after_its_deadline_says_so_in_the_steckbrief(demo_db):
    """Fresh tester: Ebeleben's Familienlotsen read "✖ nicht erreicht zur Frist" in the Steckbrief (page,
    presentation, documents) while the goal table, check and the PDF add "· später erreicht (2024)"."""
    con = db.connect_read_only(demo_db)
    try:
        _, bewertung = auswertung.load(con)
    finally:
        con.close()
    spaeter = bewertung[bewertung["spaeter_erreicht"].notna() & bewertung["gebiet"].str.match(r"^(SR\d|\d{5,8})$")]
    assert not spaeter.empty  # the demo has such an area
    for r in spaeter.itertuples():
        zeilen = profile_of(demo_db, r.gebiet).ziele
        status = zeilen.loc[zeilen["ziel"].eq(r.ziel), "Status"].iloc[0]
        assert status.endswith(f"· später erreicht ({int(r.spaeter_erreicht)})"), (r.gebiet, status)


def test_german_numbers_in_the_table(demo_db):
    table = steckbrief.table(profile_of(demo_db, "SR4"))
    assert not table["Wert"].str.contains(r"\d\.\d %").any()  # never an English decimal point
    shown = table["Wert"][table["Wert"].ne("geheim (*)")]  # a suppressed rate reads as such (Geheimhaltung)
    assert shown.str.contains(r"^\d+,\d %$").sum() >= 2
    assert table["Wert"].str.contains(r"^\d{1,3}\.\d{3}$").any()  # counts with a thousands point (1.234)


def test_small_numbers_are_marked_as_on_the_map_page(demo_db):
    profil = profile_of(demo_db, "16065001")  # Abtsbessingen: a village of a few dozen children
    rows = profil.zeilen.set_index("indikator")
    assert rows.loc["sgb2_u10", "unsicher"]
    assert "Nicht belastbar" in rows.loc["sgb2_u10", "unsicher_grund"]
    assert "nicht belastbar" in set(steckbrief.table(profil)["Hinweis"])


def test_a_suppressed_value_is_shown_as_suppressed_never_as_a_count(gesperrt_db):
    profil = profile_of(gesperrt_db, "16065001")
    row = profil.zeilen.set_index("indikator").loc["sgb2_u10"]
    assert row["wert_text"] == "gesperrt (*)" and row["anteil_text"] == ""
    assert row["vergleich"] == "ohne" and row["trend"] == "nicht_pruefbar"
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
    assert karte.proto.WhichOneof("data") == "mixed" and karte.proto.mixed.json  # the locator map (JSON + Arrow)


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


def test_the_start_address_with_an_area_opens_its_steckbrief(app_on_demo):
    """Befund 18: /?gebiet=SR1 (as the README writes it) silently showed the Übersicht."""
    at = open_page("app.py", gebiet="SR1").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Roßleben-Wiehe" in h.value for h in at.header)
    assert at.query_params["gebiet"] == "SR1"


def test_a_bookmark_of_an_area_without_steckbrief_says_why(app_on_demo):
    at = open_page("pages/5_Steckbrief.py", gebiet="XY9").run()
    assert not at.exception
    assert any("Für das Gebiet „XY9“ gibt es keinen Steckbrief" in w.value for w in at.warning)
