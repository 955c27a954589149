"""The map page in AppTest on the demo database: it runs, draws exactly the areas of the chosen level, keeps its
state in the address bar, and shows the time series of the chosen area against Kreis, Land and Bund."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, open_page

PAGE = "pages/1_Karte.py"
SOZIALRAEUME = {f"SR{i}" for i in range(1, 7)}


def run_page(query_params: dict | None = None) -> AppTest:
    return open_page(PAGE, **(query_params or {})).run()


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def geojson(trace: dict) -> dict:
    """The trace's GeoJSON: inline, or the file the page serves under app/static/ (sent to the browser once)."""
    if isinstance(trace["geojson"], str):
        assert trace["geojson"].startswith("app/static/")
        return json.loads((ROOT / trace["geojson"].removeprefix("app/")).read_text(encoding="utf-8"))
    return trace["geojson"]


def map_locations(figure: dict) -> list[str]:
    """Locations of every choropleth trace; each must be drawn from a feature of the trace's GeoJSON."""
    locations = []
    for trace in figure["data"]:
        if trace["type"] == "choroplethmap":
            feature_ids = {f["id"] for f in geojson(trace)["features"]}
            assert set(trace["locations"]) <= feature_ids
            locations += trace["locations"]
    return locations


def test_map_page_draws_the_six_sozialraeume_by_default(app_on_demo):
    at = run_page()
    assert not at.exception
    locations = map_locations(figures(at)[0])
    assert sorted(locations) == sorted(SOZIALRAEUME)
    assert at.get("plotly_chart")[0].proto.spec.count('"white-bg"') == 1


def test_switching_to_gemeinden_draws_28_areas(app_on_demo):
    at = run_page()
    at.radio(key="karte_ebene").set_value("gemeinde").run()
    assert not at.exception
    locations = map_locations(figures(at)[0])
    assert len(locations) == len(set(locations)) == 28
    assert all(code.startswith("16065") for code in locations)
    assert at.query_params["ebene"] == "gemeinde"


def test_bookmarked_view_is_restored(app_on_demo):
    at = run_page({"indikator": "ohne_hsa", "zeitraum": "2016", "ebene": "sozialraum", "gebiet": "SR5"})
    assert not at.exception
    assert "Schulabgänger ohne Hauptschulabschluss, 2016" in at.subheader[0].value
    assert at.selectbox(key="karte_gebiet").value == "SR5"
    hover = " ".join(t for trace in figures(at)[0]["data"] for t in trace.get("hovertext") or [])
    # Greußen (SR5) has a suppressed Gemeinde in 2016: no value, and the reason, not a 0
    assert "nicht berechenbar (1 Teilgebiet gesperrt)" in hover
    assert "Kyffhäuserkreis: nicht berechenbar (1 Teilgebiet gesperrt)" in hover


def test_legend_carries_the_unit_and_german_class_ranges(app_on_demo):
    at = run_page({"indikator": "sgb2_u10", "zeitraum": "2024"})
    colorbar = next(t["colorbar"] for t in figures(at)[0]["data"] if t.get("showscale"))
    assert colorbar["title"]["text"].endswith("in %")
    assert all(" %" in text and "," in text for text in colorbar["ticktext"])


def test_time_series_of_the_selected_area_against_kreis_land_bund(app_on_demo):
    at = run_page({"indikator": "alq_u25", "zeitraum": "2023", "gebiet": "SR3"})
    series = figures(at)[1]
    names = [trace["name"] for trace in series["data"]]
    assert names == ["Bad Frankenhausen", "Kyffhäuserkreis", "Thüringen", "Deutschland"]
    years = series["data"][0]["x"]
    assert years[0] == "2015" and "2015-01" not in years


@pytest.mark.parametrize("view", ["veraenderung", "jahre"])
def test_change_map_and_small_multiples_run(app_on_demo, view):
    at = run_page({"indikator": "sgb2_u10", "ansicht": view})
    assert not at.exception
    figure = figures(at)[0]
    maps_drawn = [key for key in figure["layout"] if key.startswith("map")]
    assert len(maps_drawn) == (1 if view == "veraenderung" else 6)


def test_familienlotsen_only_offer_the_sozialraum_level(app_on_demo):
    at = run_page({"indikator": "familienlotsen", "ebene": "gemeinde"})
    assert not at.exception
    assert at.radio(key="karte_ebene").options == ["Sozialräume"]
    assert sorted(map_locations(figures(at)[0])) == sorted(SOZIALRAEUME)
