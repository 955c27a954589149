"""Issue 23: the guard (oberflaeche.waechter, installed by server.py) stands in front of every documented start –
scripts/app.sh, the systemd unit, `python -m sozialmonitor.betrieb.verbund` all run `streamlit run server.py` –
and `streamlit run app.py` directly, which bypasses it, serves no data but a German message saying how to start.
Both started for real on 127.0.0.1 and opened in chromium."""

import re

from test_browser import CHROMIUM, CHROMIUM_ARGS, PROJECT_ROOT, laufende_app

from sozialmonitor.betrieb import verbund
from sozialmonitor.oberflaeche import waechter


def _startseite(url: str) -> str:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url)
        page.get_by_text("Datenstand").or_(page.get_by_text("ohne seinen Wächter")).first.wait_for(timeout=120_000)
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
        text = page.locator("body").inner_text()
        browser.close()
    return text


def test_jeder_dokumentierte_start_laeuft_mit_dem_waechter():
    app_sh = (PROJECT_ROOT / "scripts" / "app.sh").read_text(encoding="utf-8")
    unit = (PROJECT_ROOT / "deploy" / "systemd" / "sozialmonitor@.service").read_text(encoding="utf-8")
    assert re.search(r"^exec streamlit run server\.py ", app_sh, re.MULTILINE)
    assert re.search(r"^ExecStart=\S+/streamlit run server\.py ", unit, re.MULTILINE)
    quelle = (PROJECT_ROOT / "sozialmonitor" / "betrieb" / "verbund.py").read_text(encoding="utf-8")
    assert '"streamlit", "run", "server.py"' in quelle and '"app.py"' not in quelle
    assert callable(verbund.main)


def test_server_py_zeigt_daten(demo_db):
    with laufende_app(demo_db, "server.py") as url:
        text = _startseite(url)
    assert "Datenstand" in text and "ohne seinen Wächter" not in text


def test_app_py_direkt_zeigt_keine_daten(demo_db):
    with laufende_app(demo_db, "app.py") as url:
        text = _startseite(url)
    assert "ohne seinen Wächter" in text and "scripts/app.sh" in text
    assert "Datenstand" not in text and "Gemeinden" not in text
    assert not waechter.eingebaut()  # this test process never had one
