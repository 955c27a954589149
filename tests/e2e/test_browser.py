"""Real-browser smoke test: `streamlit run server.py` on 127.0.0.1 against a demo database in a temp dir, the map page
opened in Debian's chromium with Playwright; the map component must draw the six Sozialräume with its legend, and a
click on an area must pick it for the time series, and another indicator must recolour the same map in place. On the
goal page the status map shows the Sozialräume by name, and a click adds an area to the trend."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

CHROMIUM = Path("/usr/bin/chromium")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium fehlt (Debian: apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"Streamlit ist beendet (Code {server.returncode}): {server.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"Streamlit antwortet nicht unter {url}")


def click_area(page, code: str) -> None:
    """A mouse click where the map draws the area's name (its label point)."""
    point = page.evaluate("""(code) => {
        const karte = document.querySelector('.sm-karte').karte;
        const label = karte.points.find(p => p.properties.code === code);
        const at = karte.map.project(label.geometry.coordinates);
        const box = karte.map.getCanvas().getBoundingClientRect();
        return {x: box.left + at.x, y: box.top + at.y};
    }""", code)
    page.mouse.click(point["x"], point["y"])


@contextmanager
def laufende_app(database: Path, skript: str = "server.py", **umgebung: str | None):
    """The app served on a free loopback port with this database until the block ends; yields its URL. skript: what
    `streamlit run` starts – server.py as every documented start does (scripts/app.sh, the systemd unit, verbund),
    app.py only to show that it serves no data without the guard. Keyword arguments set (or, as None, remove)
    environment variables of the server."""
    port = free_port()
    env = dict(os.environ, SOZIALMONITOR_DB=str(database))
    for name, wert in umgebung.items():
        if wert is None:
            env.pop(name, None)
        else:
            env[name] = wert
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", skript, "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def app_url(demo_db):
    with laufende_app(demo_db) as url:
        yield url


def test_map_page_draws_six_sozialraeume_in_chromium(app_url, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{app_url}/Karte")
        # the map component marks itself ready once MapLibre is idle after drawing
        page.wait_for_selector(".sm-karte[data-bereit='1'] .maplibregl-canvas", timeout=240_000)
        drawn = page.evaluate("""() => {
            const map = document.querySelector('.sm-karte').karte.map;
            return [...new Set(map.queryRenderedFeatures({layers: ['flaechen']}).map(f => f.properties.code))];
        }""")
        legend = page.locator(".sm-karte-legende").inner_text()
        page.screenshot(path=str(tmp_path / "karte.png"), full_page=True)

        # a click on Bad Frankenhausen (SR3) picks it for the time series beside the map
        click_area(page, "SR3")
        page.get_by_text("Bad Frankenhausen im Vergleich").wait_for(timeout=120_000)

        # another indicator recolours the same map in place, each area in its class colour of the new data
        # at the foot of a 900 px sidebar the list may not open on a click: ↓ opens it, as a keyboard user does
        page.locator('[data-testid="stSelectbox"]', has_text="Indikator").first.click()
        page.keyboard.press("ArrowDown")
        page.get_by_role("option", name="Schulabgänger ohne Hauptschulabschluss", exact=True).click()
        page.wait_for_function("""() => {
            const root = document.querySelector('.sm-karte');
            return root.dataset.bereit === '1' && root.dataset.titel.startsWith('Schulabgänger ohne');
        }""", timeout=120_000)
        recoloured = page.evaluate("""() => {
            const karte = document.querySelector('.sm-karte').karte;
            return karte.map.queryRenderedFeatures({layers: ['flaechen']}).map((f) => [
                karte.map.getFeatureState({source: 'gebiete', id: f.id}).farbe,
                karte.packed.klasse[f.id] >= 0 ? karte.data.farben[karte.packed.klasse[f.id]] : '#d9d9d9']);
        }""")
        mounted = page.locator(".sm-karte").count()

        # the PNG button saves the map with title, legend and notes (for slides)
        with page.expect_download() as download:
            page.get_by_role("button", name="Karte als Bild speichern").click()
        picture = tmp_path / download.value.suggested_filename
        download.value.save_as(picture)
        browser.close()
    assert sorted(drawn) == [f"SR{i}" for i in range(1, 7)]
    assert "in %" in legend and re.search(r"\(\d+ Gebiete?\)", legend), legend
    assert recoloured and all(shown == expected for shown, expected in recoloured), recoloured
    assert mounted == 1  # updated in place, not a second map
    assert (tmp_path / "karte.png").stat().st_size > 10_000
    assert picture.name == "karte_ohne_hsa_sozialraum_2024.png"
    with Image.open(picture) as image:
        width, height = image.size
        map_box = image.crop((20, height // 4, width - 20, height // 2)).convert("RGB")
        colours = {colour for _, colour in map_box.getcolors(maxcolors=1_000_000)}
    assert width > 400 and height >= 500  # map plus title, legend and notes below
    assert len(colours) > 5  # the areas are in the picture, not a blank canvas


def test_goal_map_draws_the_status_and_a_click_adds_the_area_to_the_trend(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{app_url}/Zielerreichung?ziel=3.1-jugendarbeitslosigkeit")
        page.wait_for_selector(".sm-karte[data-bereit='1'] .maplibregl-canvas", timeout=240_000)
        names = page.locator(".sm-karte .sm-name").all_inner_texts()
        legend = page.locator(".sm-karte-legende").inner_text()
        trend = page.locator('[data-testid="stMultiSelect"]', has_text="Gebiete im Verlauf")
        before = trend.inner_text()
        page.locator(".sm-karte").scroll_into_view_if_needed()  # the goal map sits below the status tables
        click_area(page, "SR2")
        trend.get_by_text("Artern (Demo-Zuordnung)").wait_for(timeout=120_000)
        browser.close()
    assert "Artern" in names and "Sondershausen" in names  # names drawn offline on the map
    # the legend names the statuses of the table beside it, with symbol and count
    assert "Status je Gebiet (wie in der Tabelle)" in legend and re.search(r"✖ nicht erreicht zur Frist \(\d", legend)
    assert "Artern" not in before
