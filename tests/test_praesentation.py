"""Presentation mode: the sequence of views, stepping within it, bookmarkable views, the pages in presentation
mode (no page title, no widgets), and the export buttons with their progress bars."""

import json

import pandas as pd
import pytest
import streamlit as st

from conftest import lokal_angemeldet, open_page
from sozialmonitor.ausgabe import praesentation
from sozialmonitor.oberflaeche import sitzung
from sozialmonitor.zugang import verwaltung
from sozialmonitor.zugang import rollen

UEBERSICHT = pd.DataFrame({"id": ["z1", "z2"], "titel": ["Ziel eins", "Ziel zwei"]})
GEBIETE = pd.DataFrame({"gebiet": ["SR1", "SR2", "16065001"], "name": ["Nord (Demo)", "Süd", "Dorf"],
                        "ebene": ["sozialraum", "sozialraum", "gemeinde"]})


def test_sequence_is_overview_then_target_and_its_map_then_steckbriefe():
    ids = [f.id for f in praesentation.folien(UEBERSICHT, GEBIETE)]
    # each Steckbrief in two views that fit a screen: chart and location, then goals and notes (issue 20)
    assert ids == ["uebersicht", "ziel:z1", "karte:z1", "ziel:z2", "karte:z2", "steckbrief:SR1",
                   "steckbrief-ziele:SR1", "steckbrief:SR2", "steckbrief-ziele:SR2"]
    titles = [f.titel for f in praesentation.folien(UEBERSICHT, GEBIETE)]
    assert titles[-4:-2] == ["Steckbrief Nord", "Steckbrief Nord: Ziele und Hinweise"]


def test_without_sozialraeume_the_gemeinden_get_steckbriefe():
    ids = [f.id for f in praesentation.folien(UEBERSICHT.head(0), GEBIETE.tail(1))]
    assert ids == ["uebersicht", "steckbrief:16065001", "steckbrief-ziele:16065001"]


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
    assert praesentation.finden(folien, "steckbrief:16065001", GEBIETE) == 9
    assert folien[-2].titel == "Steckbrief Dorf" and folien[-1].id == "steckbrief-ziele:16065001"


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


@pytest.mark.parametrize("position, erwartet", [(0, "z1"), (1, "z1"), (2, "z1"), (3, "z2"), (4, "z2"), (5, "z2"),
                                                (6, "z2")])
def test_the_one_status_map_holds_the_nearest_map_view(position, erwartet):
    """At a map view its own target; elsewhere the nearest map view's (the next one when equally near)."""
    folien = praesentation.folien(UEBERSICHT, GEBIETE)
    assert praesentation.naechste_karte(folien, position) == erwartet
    assert praesentation.naechste_karte(praesentation.folien(UEBERSICHT.head(0), GEBIETE), 1) is None


def test_every_view_keeps_the_one_status_map_at_the_same_place(app_on_demo):
    """The status map is on the page in every view – hidden unless the view is a map, holding the nearest map
    view's target – so a step to a map view recolours the map instead of building a new one."""
    seen = {}
    for folie in ("uebersicht", "ziel:3.1-jugendarbeitslosigkeit", "karte:3.1-jugendarbeitslosigkeit",
                  "steckbrief:SR2"):
        at = open_page("pages/6_Praesentation.py", praesentation="1", folie=folie).run()
        assert not at.exception, [e.value for e in at.exception]
        [platz] = [c for c in at.get("bidi_component") if c.proto.component_name == "sozialmonitor_karte"
                   and "praes_steckbrief" not in c.proto.id]
        verborgen = any(sitzung.KARTENPLATZ in h.proto.body and "height: 0" in h.proto.body
                        for h in at.get("html"))
        seen[folie] = (json.loads(platz.proto.mixed.json)["bild"]["titel"], verborgen)  # JSON beside the Arrow tables
    titel = "Jugendarbeitslosigkeit unter 7 % im Jahresdurchschnitt: Zielstatus je Gebiet"
    assert seen["uebersicht"] == (titel, True)
    assert seen["ziel:3.1-jugendarbeitslosigkeit"] == (titel, True)
    assert seen["karte:3.1-jugendarbeitslosigkeit"] == (titel, False)
    assert seen["steckbrief:SR2"] == ("Familienlotsen sind in 6 Sozialräumen tätig: Zielstatus je Gebiet", True)


@pytest.fixture
def gero_und_vera(demo_copy, monkeypatch):
    """The demo with two local users: Vera sees everything, Gero only the Sozialraum SR2 (Artern)."""
    for kennung, name, rolle, gebiet in (("vera", "Vera Verwaltung", "verwaltung", None),
                                         ("gero", "Gero Gemeinde", "betrachter", "SR2")):
        verwaltung.rolle_setzen(demo_copy, rollen.kommandozeile(), kennung, name, rolle, gebiet, "Einrichtung",
                                passwort=f"{kennung}-passwort-123")
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_copy))
    st.cache_data.clear()
    st.cache_resource.clear()
    return demo_copy


def test_a_restricted_person_never_gets_the_views_cached_for_another(gero_und_vera, monkeypatch):
    """The evaluation, the Steckbriefe and the sequence are cached per database version AND the areas the person
    may see: after Vera (everything) Gero (only SR2) sees only Artern – in the target's table and the sequence."""
    def run(kennung: str, folie: str):
        lokal_angemeldet(monkeypatch, gero_und_vera, kennung)
        at = open_page("pages/6_Praesentation.py", praesentation="1", folie=folie)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    ziel = "ziel:3.1-jugendarbeitslosigkeit"
    vera = run("vera", ziel)
    assert "Roßleben-Wiehe" in " ".join(vera.table[0].value.astype(str).to_numpy().ravel())
    gero = run("gero", ziel)
    zellen = " ".join(gero.table[0].value.astype(str).to_numpy().ravel())
    assert "Artern" in zellen and "Roßleben-Wiehe" not in zellen
    pager = next(c for c in run("gero", "uebersicht").get("bidi_component")
                 if c.proto.component_name == "sozialmonitor_blaettern")
    # 1 + 4 × 2 + Sozialindex + SR2 only (its Steckbrief in two views)
    assert '"anzahl": 12' in pager.proto.json or '"anzahl":12' in pager.proto.json


def test_the_readme_address_on_the_start_page_opens_the_presentation(app_on_demo):
    # README: "Präsentation (?praesentation=1)"; the reviewer opened /?praesentation=1 and got the Übersicht
    at = open_page(praesentation="1", folie="steckbrief:SR5").run()
    assert not at.exception, [e.value for e in at.exception]
    assert [h.value for h in at.header][0] == "Steckbrief: Greußen"
    assert not at.title  # no Übersicht underneath
