"""Presentation mode: the sequence of views, stepping within it, bookmarkable views, the pages in presentation
mode (no page title, no widgets), and the export buttons with their progress bars."""

import pandas as pd
import pytest

from conftest import open_page
from sozialmonitor import praesentation

UEBERSICHT = pd.DataFrame({"id": ["z1", "z2"], "titel": ["Ziel eins", "Ziel zwei"]})
GEBIETE = pd.DataFrame({"gebiet": ["SR1", "SR2", "16065001"], "name": ["Nord (Demo)", "Süd", "Dorf"],
                        "ebene": ["sozialraum", "sozialraum", "gemeinde"]})


def test_sequence_is_overview_then_target_and_its_map_then_steckbriefe():
    ids = [f.id for f in praesentation.folien(UEBERSICHT, GEBIETE)]
    assert ids == ["uebersicht", "ziel:z1", "karte:z1", "ziel:z2", "karte:z2", "steckbrief:SR1", "steckbrief:SR2"]
    titles = [f.titel for f in praesentation.folien(UEBERSICHT, GEBIETE)]
    assert titles[-2] == "Steckbrief Nord"


def test_without_sozialraeume_the_gemeinden_get_steckbriefe():
    ids = [f.id for f in praesentation.folien(UEBERSICHT.head(0), GEBIETE.tail(1))]
    assert ids == ["uebersicht", "steckbrief:16065001"]


@pytest.mark.parametrize("position, richtung, erwartet", [
    (0, "weiter", 1), (0, "zurueck", 0), (6, "weiter", 6), (3, "zurueck", 2), (3, "erste", 0), (3, "letzte", 6)])
def test_steps_stay_within_the_sequence(position, richtung, erwartet):
    assert praesentation.schritt(position, 7, richtung) == erwartet


def test_a_bookmarked_view_is_found_and_an_unknown_one_starts_at_the_overview():
    folien = praesentation.folien(UEBERSICHT, GEBIETE)
    assert praesentation.finden(folien, "karte:z2") == 4
    assert praesentation.finden(folien, "ziel:weg") == 0
    assert praesentation.finden(folien, None) == 0
    # a Gemeinde's Steckbrief from a bookmark joins the sequence at its end
    assert praesentation.finden(folien, "steckbrief:16065001", GEBIETE) == 7
    assert folien[-1].titel == "Steckbrief Dorf"


@pytest.mark.parametrize("folie, ueberschrift", [
    ("uebersicht", "Stand der Ziele"),
    ("ziel:3.1-jugendarbeitslosigkeit", "Jugendarbeitslosigkeit unter 7 % im Jahresdurchschnitt"),
    ("karte:5.1.3-familienlotsen", "Familienlotsen sind in 6 Sozialräumen tätig: Karte"),
    ("steckbrief:SR5", "Steckbrief: Greußen"),
])
def test_every_view_has_its_own_address(app_on_demo, folie, ueberschrift):
    at = open_page("pages/6_Praesentation.py", praesentation="1", folie=folie).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [h.value for h in at.header][0] == ueberschrift
    assert not at.title and not at.selectbox and not at.button and not at.toggle  # no widgets in front of the Landrat
    [pager] = [c for c in at.get("bidi_component") if c.proto.component_name == "sozialmonitor_blaettern"]
    assert f'"folie": "{folie}"' in pager.proto.json or f'"folie":"{folie}"' in pager.proto.json
    assert any("Demodaten" in w.value for w in at.warning)  # the demo stays named


def test_outside_presentation_mode_the_page_offers_the_switch(app_on_demo):
    at = open_page("pages/6_Praesentation.py").run()
    assert not at.exception
    assert at.toggle(key="praes_schalter").label == "Präsentationsmodus"
    assert any(b.label == "Präsentation starten" for b in at.button)


def test_goal_page_builds_the_sitzungsvorlage_with_a_progress_bar(app_on_demo, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "kein-browser"))  # pictures are tested elsewhere
    at = open_page("pages/2_Zielerreichung.py").run()
    labels = [b.label for b in at.button]
    assert "Sitzungsvorlage (Word)" in labels and "Sitzungsvorlage (PDF)" in labels
    at.button(key="ziele_vorlage_docx_bauen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(d.label == "Sitzungsvorlage (Word) herunterladen"
               for d in at.get("download_button"))


def test_the_sidebar_switch_starts_the_presentation_at_this_steckbrief(app_on_demo):
    at = open_page("pages/5_Steckbrief.py", gebiet="SR2").run()
    at.toggle(key="steckbrief_praesentation").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["praesentation"] == "1" and at.query_params["folie"] == "steckbrief:SR2"
    assert [h.value for h in at.header][0] == "Steckbrief: Artern" and not at.title
