"""Presentation mode in a real browser: `streamlit run app.py` on 127.0.0.1 (the fixture of test_browser), the
presentation page opened in Debian's chromium with Playwright, stepped through with the keyboard (→, ←, Pos1,
Ende, Esc) and the on-screen buttons; each view's address is its bookmark."""

import re
from urllib.parse import unquote

from test_browser import CHROMIUM, CHROMIUM_ARGS, app_url, pytestmark  # noqa: F401 – fixture and skip mark

TIMEOUT = 90_000  # ms; CI machines are shared


def wait_for_view(page, folie: str, heading: str) -> None:
    page.wait_for_selector(f'.sm-blaettern[data-folie="{folie}"]', timeout=TIMEOUT)
    page.wait_for_function("(h) => [...document.querySelectorAll('h2')].some(e => e.textContent.trim() === h)",
                           arg=heading, timeout=TIMEOUT)
    page.wait_for_function("(f) => decodeURIComponent(location.search).includes('folie=' + f)", arg=folie,
                           timeout=TIMEOUT)


def test_presentation_mode_is_stepped_with_the_keyboard(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            page.goto(f"{app_url}/Praesentation?praesentation=1", timeout=TIMEOUT)
            wait_for_view(page, "uebersicht", "Stand der Ziele")
            assert not page.locator('[data-testid="stSidebar"]').is_visible()  # no sidebar, no widgets
            assert page.locator('[data-testid="stSelectbox"]').count() == 0
            assert "Demodaten" in page.inner_text("body")
            size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('[data-testid=stMain] p'))"
                                 ".fontSize)")
            assert size >= 20  # larger type for the room

            page.keyboard.press("ArrowRight")
            wait_for_view(page, "ziel:3.1-jugendarbeitslosigkeit",
                          "Jugendarbeitslosigkeit unter 7 % im Jahresdurchschnitt")
            page.keyboard.press("ArrowRight")
            wait_for_view(page, "karte:3.1-jugendarbeitslosigkeit",
                          "Jugendarbeitslosigkeit unter 7 % im Jahresdurchschnitt: Karte")
            page.wait_for_selector('.sm-karte[data-bereit="1"]', timeout=TIMEOUT)
            bookmark = page.url

            page.keyboard.press("End")  # each Steckbrief is two views: chart, then goals and notes (issue 20)
            wait_for_view(page, "steckbrief-ziele:SR6", "Steckbrief: Ebeleben – Ziele und Hinweise")
            page.keyboard.press("ArrowRight")  # the last view stays the last
            page.keyboard.press("ArrowLeft")
            wait_for_view(page, "steckbrief:SR6", "Steckbrief: Ebeleben")
            page.get_by_role("button", name=re.compile("Vorige Ansicht")).click()
            wait_for_view(page, "steckbrief-ziele:SR5", "Steckbrief: Greußen – Ziele und Hinweise")
            page.keyboard.press("Home")
            wait_for_view(page, "uebersicht", "Stand der Ziele")

            # every view is a bookmark
            page.goto(bookmark, timeout=TIMEOUT)
            wait_for_view(page, "karte:3.1-jugendarbeitslosigkeit",
                          "Jugendarbeitslosigkeit unter 7 % im Jahresdurchschnitt: Karte")
            assert "folie=karte:3.1-jugendarbeitslosigkeit" in unquote(bookmark)

            page.keyboard.press("Escape")  # back to the ordinary page with its sidebar
            page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=TIMEOUT)
            assert "praesentation=1" not in page.url
        finally:
            browser.close()
