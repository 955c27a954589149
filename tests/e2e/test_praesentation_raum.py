"""Presentation mode for a room (issue 20): at 1920×1080 every view of the demo's presentation – stepped through with
the keyboard from the first to the last – shows every visible text at 24 px or more (HTML text, table cells, the
pager, the map's legend and names, and the SVG text of the charts), nothing cut (no element whose content is wider
or taller than its clipping box) and nothing below the screen (the page does not scroll)."""

from test_anmeldung import browser  # noqa: F401 – one Chromium for the module
from test_browser import laufende_app, pytestmark  # noqa: F401

import pytest

TIMEOUT = 120_000
SCHRIFT = 23.5  # px: 24 px, with room for rounding of rem/em sizes

MESSEN = r"""() => {
  const main = document.querySelector('[data-testid=stMain]');
  const klein = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const sichtbar = (el) => { for (let p = el; p && p !== document.body; p = p.parentElement) {
      const b = p.getBoundingClientRect(); const s = getComputedStyle(p);
      if (b.height < 1 || b.width < 1 || s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false; }
    return true; };
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.nodeValue.trim()) continue;
    const el = n.parentElement;
    if (!el || el.closest('.st-key-praes_vorladen') || el.closest('.sm-karte-tooltip') || el.closest('details:not([open]) > :not(summary)')) continue;
    if (!sichtbar(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 23.5) klein.push(`${n.nodeValue.trim().slice(0, 40)} (${size}px ${el.tagName})`);
  }
  const abgeschnitten = [];
  for (const el of main.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    if (!['hidden', 'auto', 'scroll', 'clip'].includes(s.overflowX) && !['hidden', 'auto', 'scroll', 'clip'].includes(s.overflowY)) continue;
    if (!sichtbar(el) || el.closest('.maplibregl-map') || el.closest('.sm-karte-namen')) continue;
    if (el.scrollWidth > el.clientWidth + 2 || (s.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 2 && el !== main))
      abgeschnitten.push(`${el.tagName}.${(el.className || '').toString().slice(0, 40)} ${el.scrollWidth}/${el.clientWidth} ${el.scrollHeight}/${el.clientHeight}`);
  }
  const hoehe = Math.max(main.scrollHeight, document.scrollingElement.scrollHeight);
  // the map's own controls (zoom, PNG) are for the desk, not the room (fresh tester: README promised none)
  // (their containers have no height of their own: visibility by the element itself, not by every ancestor's box)
  const knoepfe = [...main.querySelectorAll('.maplibregl-ctrl-zoom-in, .maplibregl-ctrl-zoom-out, .sm-bild-knopf')]
    .filter((k) => k.getBoundingClientRect().width > 0 && k.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
    .length;
  return {klein: klein.slice(0, 12), anzahl_klein: klein.length, abgeschnitten: abgeschnitten.slice(0, 8), ueberlauf: hoehe - innerHeight, knoepfe,
          folie: document.querySelector('.sm-blaettern')?.dataset.folie};
}"""


@pytest.fixture(scope="module")
def app(demo_db):
    with laufende_app(demo_db) as url:
        yield url


def test_every_view_is_readable_from_the_back_of_the_room_and_fits_the_screen(app, browser):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    befunde, gesehen = [], []
    try:
        page.goto(f"{app}/Praesentation?praesentation=1&folie=uebersicht", timeout=TIMEOUT)
        page.wait_for_selector('.sm-blaettern[data-folie="uebersicht"]', timeout=TIMEOUT)
        for _ in range(60):
            page.wait_for_function("""() => !document.querySelector('[data-stale="true"]')
                && !document.querySelector('.sm-blaettern')?.dataset.unterwegs
                && [...document.querySelectorAll('.sm-karte')].every(k => k.dataset.bereit === '1')""",
                                   timeout=TIMEOUT)
            page.wait_for_timeout(1500)  # plotly and the map settle
            messung = page.evaluate(MESSEN)
            gesehen.append(messung["folie"])
            if messung["klein"] or messung["abgeschnitten"] or messung["ueberlauf"] > 0 or messung["knoepfe"]:
                befunde.append(messung)
            if page.locator(".sm-blaettern-knopf").nth(1).is_disabled():
                break
            page.keyboard.press("ArrowRight")
            page.wait_for_function("(f) => document.querySelector('.sm-blaettern')?.dataset.folie !== f",
                                   arg=messung["folie"], timeout=TIMEOUT)
    finally:
        page.close()
    kinds = {f.split(":")[0] for f in gesehen}
    assert {"uebersicht", "ziel", "karte", "sozialindex", "steckbrief", "steckbrief-ziele"} <= kinds, gesehen
    # every view, the Sozialindex' too (its three lists now stand under map and legend, not beside the legend)
    assert befunde == [], befunde
