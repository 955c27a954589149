"""The goal page runs on the demo and shows the status table, the detail of a target, its trend and its map."""

from streamlit.testing.v1 import AppTest

from conftest import map_data, open_page, served
from sozialmonitor import targets

PAGE = "pages/2_Zielerreichung.py"


def run_page(**query_params) -> AppTest:
    return open_page(PAGE, **query_params).run()


def test_page_shows_status_table_and_detail(app_on_demo):
    at = run_page()
    assert not at.exception
    assert len(at.dataframe) >= 2  # the status table (per Handlungsfeld) and the detail table
    assert any("Zielen erreicht" in s.value for s in at.subheader)
    assert any("Handlungsfeld 3" in m.value for m in at.markdown)
    assert any("So wird gerechnet" in e.label for e in at.expander)


def test_page_filters_by_status(app_on_demo):
    at = run_page()
    at.multiselect(key="ziele_stati").set_value(["erreicht"]).run()
    assert not at.exception
    assert not any("Handlungsfeld 3" in m.value for m in at.markdown)  # no target of field 3 is met in the demo
    assert any("Handlungsfeld 5" in m.value for m in at.markdown)


def test_page_opens_the_target_named_in_the_link(app_on_demo):
    at = run_page(ziel="5.1.3-familienlotsen")
    assert not at.exception
    assert at.selectbox(key="ziele_detail").value == "5.1.3-familienlotsen"
    assert any("Familienlotsen sind in 6 Sozialräumen tätig" in h.value for h in at.header)


def test_status_map_colours_each_sozialraum_by_its_goal_status(app_on_demo):
    at = run_page(ziel="3.1-jugendarbeitslosigkeit")
    assert not at.exception
    data = map_data(at)
    codes = [feature["id"] for feature in served(data["geometrie"]["url"])["features"]]
    assert sorted(codes) == [f"SR{i}" for i in range(1, 7)]
    status = {code: list(targets.KARTENKLASSEN)[k] for code, k in zip(codes, data["klasse"])}
    hover = dict(zip(codes, data["hover"]))
    # Artern: 11,2 % in 2024, 95-%-KI 8,0–15,4 % lies wholly above 7 %
    assert status["SR2"] == "nicht_erreicht" and "11,2 %" in hover["SR2"] and "gesichert" in hover["SR2"]
    assert status["SR1"] == "verfehlt_unsicher"  # 9,5 %, KI 6,8–13,0 % contains 7 %
    assert status["SR5"] == status["SR6"] == "erreicht_unsicher"  # 5,4 % and 6,0 % on small bases
    counts = [int(text.split("(")[1].split()[0]) for _, text in data["legende"]["eintraege"]]
    assert sum(counts) == 6 and data["farben"] == [colour for _, colour in targets.KARTENKLASSEN.values()]


def test_page_without_targets_says_how_to_import_them(tiny_db, monkeypatch):
    monkeypatch.setenv("SOZIALMONITOR_DB", str(tiny_db))
    at = run_page()
    assert not at.exception
    assert any("import targets" in i.value for i in at.info)
    assert not at.dataframe
