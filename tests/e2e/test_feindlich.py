"""The hostile corpus (tests/feindlich.py) on every page in Debian's chromium (issue 11, items 2 and 8): no rendered
Markdown or HTML from user text (no foreign image, link or script, the texts visible as written), no traceback, and
not a single request to a host other than 127.0.0.1 — icons and fonts included (the app is offline for real)."""

from urllib.parse import urlparse

import pytest

from feindlich import HOSTILE, SOZIALRAUM_NAMEN, build_hostile
from test_browser import CHROMIUM, CHROMIUM_ARGS, laufende_app

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium fehlt (Debian: apt-get install chromium)")

PAGES = {"": "Sozialmonitor", "Karte": "Karte", "Zielerreichung": "Zielerreichung", "Indikatoren": "Indikatoren",
         "Daten": "Daten", "Steckbrief": "Steckbrief", "Praesentation": "Präsentation"}
LOCAL_HOSTS = {"127.0.0.1"}


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    database = tmp_path_factory.mktemp("feindlich_e2e") / "feindlich.duckdb"
    build_hostile(database)
    with laufende_app(database, SOZIALMONITOR_NUR_LESEN=None) as url:
        yield url


def settle(page) -> None:
    """Until Streamlit has finished the run (no running indicator, no spinner) and the network is quiet."""
    page.wait_for_selector('[data-testid="stMain"]', timeout=180_000)
    page.wait_for_load_state("networkidle", timeout=180_000)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')
                                    && !document.querySelector('[data-testid="stSpinner"]')""", timeout=240_000)
    page.wait_for_timeout(800)


def test_every_page_shows_the_hostile_corpus_as_text_and_asks_no_foreign_host(hostile_app, tmp_path):
    from playwright.sync_api import sync_playwright

    foreign, problems = [], []

    def guard(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route("**/*", guard)
        page = context.new_page()
        page.on("websocket", lambda ws: None if urlparse(ws.url).hostname in LOCAL_HOSTS else foreign.append(ws.url))
        texts = {}
        for path, title in PAGES.items():
            page.goto(f"{hostile_app}/{path}")
            page.get_by_role("heading", name=title).first.wait_for(timeout=180_000)
            settle(page)
            summaries = page.locator('[data-testid="stMain"] [data-testid="stExpander"] summary')
            for index in range(summaries.count()):
                summaries.nth(index).click()  # definitions and sources are inside
            settle(page)
            page.screenshot(path=str(tmp_path / f"feindlich_{path or 'start'}.png"), full_page=True)
            texts[path] = (page.locator('[data-testid="stMain"]').inner_text() + page.locator(
                '[data-testid="stSidebar"]').inner_text()).replace("\u2060", "")  # klartext.WORT_VERBINDER
            found = page.evaluate("""() => ({
                images: [...document.images].map(i => i.src).filter(s => !s.startsWith(location.origin)
                                                                     && !s.startsWith('data:') && !s.startsWith('blob:')),
                links: [...document.querySelectorAll('a[href]')].map(a => a.href)
                         .filter(h => !h.startsWith(location.origin) && !h.startsWith('blob:')),
                hacked: window.gehackt === 1,
                markup: [...document.querySelectorAll('[data-testid="stMain"] strong, [data-testid="stMain"] em, '
                                                      + '[data-testid="stMain"] b')]
                         .map(e => e.textContent).filter(t => ['fett', 'kursiv'].includes(t.trim())),
                latex: document.querySelectorAll('[data-testid="stMain"] .katex').length,
                icons: document.querySelectorAll('[data-testid="stMain"] [aria-label="home icon"]').length,
            })""")
            if any(found.values()) or "😄" in texts[path]:
                problems.append((path, found))
            if "Traceback" in texts[path] or "Error:" in texts[path]:
                problems.append((path, "traceback"))
        browser.close()

    assert not foreign, f"Anfragen an fremde Rechner: {sorted(set(foreign))}"
    assert not problems, problems
    # the texts are there, as written
    assert HOSTILE["markdown_bild"] in texts["Indikatoren"]
    assert HOSTILE["markdown_link"].split(" ")[0] in texts["Indikatoren"]
    assert HOSTILE["streamlit"] in texts["Indikatoren"]
    assert HOSTILE["markdown_link"] in texts["Zielerreichung"]
    assert HOSTILE["formel"] in texts["Zielerreichung"]
