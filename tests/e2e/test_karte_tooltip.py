"""The map's tooltips in the browser (issue 22): karte.js builds every area's tooltip from the packed data
(sozialmonitor/karten/uebertragung.py) – the test holds it equal, area by area, to the text the server built, for
value maps of every kind of line on the demo (names, fractions, monthly means, secret and unreliable values,
Kreis/Land/Bund) and a change map; and a tooltip under the mouse follows a change of year made by keyboard
(issue 20: it kept last year's numbers until the mouse moved)."""

import html
import os
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_browser import CHROMIUM, CHROMIUM_ARGS, laufende_app  # noqa: E402

from conftest import map_data, open_page, served  # noqa: E402

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debians chromium fehlt")

VIEWS = [
    {"indikator": "sgb2_u10", "ebene": "gemeinde", "zeitraum": "2024"},
    {"indikator": "sgb2_u10", "ebene": "sozialraum", "zeitraum": "2024"},
    {"indikator": "alq_u25", "ebene": "gemeinde", "zeitraum": "2024"},
    {"indikator": "ohne_hsa", "ebene": "gemeinde", "zeitraum": "2021"},
    {"indikator": "sgb2_u10", "ebene": "sozialraum", "ansicht": "veraenderung"},
]
READY = "(bild) => { const r = document.querySelector('.sm-karte'); return r && r.dataset.bereit === '1' && r.dataset.bild === bild; }"
ALL_TOOLTIPS = """() => { const k = document.querySelector('.sm-karte').karte;
    return Array.from({length: k.packed.form.length}, (_, i) => k.tooltipFor(i)); }"""


def server_view(params: dict) -> dict:
    at = open_page("pages/1_Karte.py", **params).run()
    assert not at.exception
    return map_data(at)


def test_every_tooltip_the_browser_builds_is_the_servers(app_on_demo):
    demo_db = app_on_demo
    from playwright.sync_api import sync_playwright

    expected = [server_view(params) for params in VIEWS]
    with laufende_app(demo_db) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for params, server in zip(VIEWS, expected):
            page.goto(f"{url}/Karte?" + "&".join(f"{k}={v}" for k, v in params.items()))
            page.wait_for_function(READY, arg=server["bild"]["titel"], timeout=240_000)
            shown = page.evaluate(ALL_TOOLTIPS)
            assert shown == server["hover"], params
        browser.close()
    kinds = " ".join(h for view in expected for h in view["hover"])
    for part in ("geheim (*)", " von ", "im Monat", "Nicht belastbar", "Kyffhäuserkreis: ", "Veränderung: "):
        assert part in kinds, part  # every kind of line was compared


def as_shown(hover: str) -> str:
    """A tooltip string as the reader sees it (innerText): lines, no tags, entities as characters."""
    return html.unescape(re.sub(r"<[^>]+>", "", hover.replace("<br>", "\n"))).strip()


def test_the_tooltip_follows_a_year_changed_by_keyboard(app_on_demo):
    demo_db = app_on_demo
    from playwright.sync_api import sync_playwright

    view = {"indikator": "sgb2_u10", "ebene": "sozialraum"}
    expected = {jahr: server_view({**view, "zeitraum": jahr}) for jahr in ("2023", "2024")}
    codes = [f["id"] for f in served(expected["2024"]["geometrie"]["punkte_url"])["features"]]
    with laufende_app(demo_db) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{url}/Karte?indikator=sgb2_u10&ebene=sozialraum&zeitraum=2024")
        page.wait_for_function(READY, arg=expected["2024"]["bild"]["titel"], timeout=240_000)
        at = page.evaluate("""() => {
            const karte = document.querySelector('.sm-karte').karte;
            const label = karte.points.find(p => p.properties.code === 'SR4');
            const xy = karte.map.project(label.geometry.coordinates);
            const box = karte.map.getCanvas().getBoundingClientRect();
            return [box.left + xy.x, box.top + xy.y + 6];
        }""")
        page.mouse.move(*at)
        page.wait_for_selector(".sm-karte-tooltip", state="visible")
        before = page.locator(".sm-karte-tooltip").inner_text()
        hovered = page.evaluate("() => document.querySelector('.sm-karte').karte.hovered")
        slider = page.locator('[data-testid="stSlider"]', has_text="Zeitraum").get_by_role("slider")
        slider.focus()
        page.keyboard.press("ArrowLeft")  # 2024 → 2023 by keyboard; the mouse stays where it is
        page.wait_for_function(READY, arg=expected["2023"]["bild"]["titel"], timeout=120_000)
        after = page.locator(".sm-karte-tooltip").inner_text()
        browser.close()
    index = codes.index("SR4")
    assert hovered == index
    assert before.strip() == as_shown(expected["2024"]["hover"][index])
    assert after.strip() == as_shown(expected["2023"]["hover"][index]) != before.strip()


def test_a_tooltip_near_the_foot_of_the_map_stays_inside_it(app_on_demo):
    """Tester: the Kreis, Land and Bund lines of an area in the lower part of the map were cut off by the map's
    frame; the tooltip now turns upwards there (and to the left at the right edge)."""
    demo_db = app_on_demo
    from playwright.sync_api import sync_playwright

    with laufende_app(demo_db) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{url}/Karte?indikator=sgb2_u10&ebene=gemeinde&zeitraum=2024")
        page.wait_for_function("() => { const r = document.querySelector('.sm-karte'); return r && r.dataset.bereit === '1'; }",
                               timeout=240_000)
        unten = page.evaluate("""() => {
            const karte = document.querySelector('.sm-karte').karte;
            const box = karte.map.getCanvas().getBoundingClientRect();
            const punkte = karte.points.map(p => karte.map.project(p.geometry.coordinates));
            const tiefster = punkte.reduce((a, b) => (b.y > a.y ? b : a));
            return [box.left + tiefster.x, box.top + tiefster.y];
        }""")
        page.mouse.move(*unten)
        page.wait_for_selector(".sm-karte-tooltip", state="visible")
        tooltip = page.locator(".sm-karte-tooltip").bounding_box()
        flaeche = page.locator(".sm-karte-flaeche").bounding_box()
        text = page.locator(".sm-karte-tooltip").inner_text()
        browser.close()
    assert "Kyffhäuserkreis" in text
    assert tooltip["y"] >= flaeche["y"] - 1
    assert tooltip["y"] + tooltip["height"] <= flaeche["y"] + flaeche["height"] + 1
