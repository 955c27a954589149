"""Browser sessions against a running Sozialmonitor (one Chromium, one context = one visitor with its own cookies
and Streamlit session), for the 3-process test and bench/betrieb_bench.py. Reads from each loaded Übersicht the
version marker in the sidebar (page_frame's read: "Datenfassung Nr. N") and the page's own figures (app.py's
read: "Werte", "… Importe"), so a page that mixed two published versions shows it."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FERTIG = "Weiter zu"  # the last heading of the Übersicht: once shown, the figures above it are there
FEHLER_SELEKTOR = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@dataclass
class Seitenaufruf:
    sitzung: int
    runde: int
    sekunden: float
    fassung: int | None = None
    werte: int | None = None
    importe: int | None = None
    fehler: list[str] = field(default_factory=list)


def _zahl(text: str) -> int:
    return int(text.replace(".", "").strip())


def _lesen(page) -> tuple[int | None, int | None, int | None, list[str]]:
    body = page.inner_text("body")
    fassung = re.search(r"Datenfassung Nr\. (\d+)", body)
    importe = re.search(r"([\d.]+) Importe?, zuletzt am", body)
    werte = page.locator('[data-testid="stMetric"]', has_text="Werte").first.locator(
        '[data-testid="stMetricValue"]').inner_text()
    fehler = [e.inner_text()[:300] for e in page.locator(FEHLER_SELEKTOR).all()]
    if "Connection error" in body or "Verbindungsfehler" in body:
        fehler.append("Verbindung zum Server verloren")
    return (int(fassung.group(1)) if fassung else None, _zahl(werte),
            _zahl(importe.group(1)) if importe else None, fehler)


def anmelden(page, url: str, kennung: str, passwort: str, timeout_ms: int = 180_000) -> None:
    """The local sign-in form (behind a proxy the app serves nobody without sign-in); back on the Übersicht."""
    page.goto(url + "/")
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Kennung").fill(kennung)
    form.get_by_label("Passwort").fill(passwort)
    form.get_by_role("button", name="Anmelden").click()
    page.get_by_text(FERTIG, exact=True).wait_for(timeout=timeout_ms)


def sitzungen(url: str, anzahl: int = 20, runden: int = 3, timeout_ms: int = 180_000,
              waehrend=None, anmeldung: tuple[str, str] | None = None) -> tuple[list[Seitenaufruf], list[dict]]:
    """`anzahl` browser contexts each load the Übersicht `runden` times; in each round all contexts start loading
    at once and are then read one by one. waehrend(runde, sitzung) is called before each page starts loading (e.g. to
    start or stop publishing imports). anmeldung: (kennung, passwort) of a local user each context signs in with
    first. Returns one Seitenaufruf per load and the cookies of every context (to check the sticky routing)."""
    from playwright.sync_api import sync_playwright

    aufrufe: list[Seitenaufruf] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(anzahl)]
        pages = [context.new_page() for context in contexts]
        js_fehler: dict[int, list[str]] = {i: [] for i in range(anzahl)}
        for i, page in enumerate(pages):
            page.on("pageerror", lambda exc, i=i: js_fehler[i].append(str(exc)[:300]))
            if anmeldung:
                anmelden(page, url, *anmeldung, timeout_ms=timeout_ms)
        for runde in range(runden):
            start = {}
            for i, page in enumerate(pages):
                start[i] = time.monotonic()
                if waehrend:
                    waehrend(runde, i)
                page.goto(url + "/", wait_until="commit")
            for i, page in enumerate(pages):
                aufruf = Seitenaufruf(i, runde, 0.0)
                try:
                    page.get_by_text(FERTIG, exact=True).wait_for(timeout=timeout_ms)
                    aufruf.sekunden = time.monotonic() - start[i]
                    aufruf.fassung, aufruf.werte, aufruf.importe, aufruf.fehler = _lesen(page)
                except Exception as exc:  # a timeout is an error of this page load, reported with the rest
                    aufruf.fehler.append(f"{type(exc).__name__}: {str(exc)[:300]}")
                aufruf.fehler += js_fehler[i]
                js_fehler[i].clear()
                aufrufe.append(aufruf)
        cookies = [context.cookies() for context in contexts]
        browser.close()
    return aufrufe, cookies

