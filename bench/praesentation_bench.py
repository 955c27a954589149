"""Presentation-mode benchmark: how long a view change takes in a real browser, from the key press (→ / ←) to the
new view drawn – the pager shows the new view id, its heading is on the page, a target's trend chart has drawn, on a
map view the page's status map is visible and has drawn this target (data-bereit="1", data-bild), on a Steckbrief
view its spine chart holds this area and the locator map has drawn it. Measured once the page stands (its hidden
status map built), as a presenter opens it before the meeting.

    python bench/praesentation_bench.py [--runden 2] [--pause 0]

Streamlit on 127.0.0.1 against a demo database in a temp dir, Debian's chromium via Playwright. Steps through the
whole sequence forward, then backward (a view seen before), `--runden` times, and prints median, 90th percentile and
maximum (worst) per kind of view (uebersicht, ziel, karte, steckbrief) and over all – for all steps, for the first
pass forward (every view for the first time: the browser still loads Plotly, builds the locator map) and for the
steps after it – and the five slowest steps, against the map page's budget of 0.35 s. On the same server and browser it also measures the map page's indicator change (map_bench's own
measurement), so both are compared under the same load. Results also go to bench/out/praesentation_bench.json."""

import argparse
import json
import math
import re
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from sozialmonitor.importer import demo  # noqa: E402

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import map_bench  # noqa: E402

BUDGET = 0.35
DRAWN = """([folie, heading, bild, chart]) => {
    const pager = document.querySelector('.sm-blaettern');
    if (!pager || pager.dataset.folie !== folie) return false;
    if (![...document.querySelectorAll('h2')].some(e => e.textContent.trim() === heading)) return false;
    const slot = document.querySelector('.st-key-praes_kartenplatz');
    const drawn = (map) => !!map && map.dataset.bereit === '1' && map.dataset.bild === bild;
    // a Plotly chart of this view: its container (by key) has drawn and holds this view's data
    const plotted = (key, text) => {
        const gd = document.querySelector(`.st-key-${key} .js-plotly-plot`);
        return !!gd && !!gd.querySelector('.main-svg') && (!text || (gd.data || []).some(
            trace => [].concat(trace.text || []).some(t => String(t).startsWith(text))));
    };
    if (folie.startsWith('karte:')) {
        // the page's one status map: visible, with this target's colours drawn
        return !!slot && slot.getBoundingClientRect().height > 100 && drawn(slot.querySelector('.sm-karte'));
    }
    if (folie.startsWith('ziel:')) return plotted(chart, '');
    if (folie.startsWith('steckbrief:')) {
        // the spine chart of this area and the locator map (the map outside the status map's place)
        const locator = [...document.querySelectorAll('.sm-karte')].find(m => !slot || !slot.contains(m));
        return plotted('praes_steckbrief_spine', chart) && drawn(locator);
    }
    return true;
}"""


SETTLED = """() => !!document.querySelector('.st-key-praes_kartenplatz .sm-karte[data-bereit="1"]')"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sequence(db_path: Path) -> list[tuple[str, str, str, str]]:
    """(view id, its heading, the title of the map it shows, what identifies its chart) in presentation order,
    read with the app's own functions."""
    from sozialmonitor.daten import db
    from sozialmonitor.ausgabe import praesentation
    from sozialmonitor.daten import queries
    from sozialmonitor.ziele import auswertung
    con = db.connect_read_only(db_path)
    try:
        katalog, bewertung = auswertung.load(con)
        folien = praesentation.folien(auswertung.overview(katalog, bewertung),
                                      queries.run_query(con, "steckbrief_gebiete"))
    finally:
        con.close()
    headings = {"uebersicht": lambda f: "Stand der Ziele", "ziel": lambda f: f.titel,
                "karte": lambda f: f.titel.removeprefix("Karte: ") + ": Karte",
                "steckbrief": lambda f: "Steckbrief: " + f.titel.removeprefix("Steckbrief ")}
    bilder = {"karte": lambda f: f.titel.removeprefix("Karte: ") + ": Zielstatus je Gebiet",
              "steckbrief": lambda f: "Lage: " + f.titel.removeprefix("Steckbrief ")}
    # ziel: the key of its trend chart (Streamlit's st-key class); steckbrief: how its spine's markers begin
    charts = {"ziel": lambda f: re.sub(r"[^A-Za-z0-9_-]", "-", f"praes_verlauf_{f.bezug}"),
              "steckbrief": lambda f: f.titel.removeprefix("Steckbrief ") + ":"}
    return [(f.id, headings[f.art](f), bilder.get(f.art, lambda f: "")(f), charts.get(f.art, lambda f: "")(f))
            for f in folien]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runden", type=int, default=2)
    parser.add_argument("--pause", type=float, default=0.0,
                        help="Sekunden je Ansicht vor dem nächsten Schritt (wer vorträgt, bleibt länger; die App "
                             "bereitet in der Zeit die nächste Ansicht vor). Standard 0: so schnell wie möglich.")
    args = parser.parse_args()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.duckdb"
        demo.build_demo(db_path)
        views = sequence(db_path)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
             "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=PROJECT_ROOT, env=dict(os.environ, SOZIALMONITOR_DB=str(db_path)), stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            steps_taken: list[tuple[float, str, str, bool]] = []  # (seconds, key, view id, first pass forward)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                     args=["--no-sandbox", "--disable-gpu",
                                                           "--disable-background-networking"])
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(f"{url}/Praesentation?praesentation=1", timeout=180_000)
                page.wait_for_function(DRAWN, arg=list(views[0]), timeout=180_000)
                # Opening the presentation (before the meeting) also builds the page's one status map, hidden
                # behind the first view: the view changes are measured once it stands.
                try:
                    page.wait_for_function(SETTLED, timeout=120_000)
                except PlaywrightTimeout:  # no map view in this sequence
                    pass
                for runde in range(args.runden):
                    steps = ([(i, "ArrowRight") for i in range(1, len(views))]
                             + [(i, "ArrowLeft") for i in range(len(views) - 2, -1, -1)])
                    for index, key in steps:
                        start = time.perf_counter()
                        page.keyboard.press(key)
                        page.wait_for_function(DRAWN, arg=list(views[index]), timeout=60_000, polling="raf")
                        elapsed = time.perf_counter() - start
                        steps_taken.append((elapsed, key, views[index][0], runde == 0 and key == "ArrowRight"))
                        page.wait_for_timeout(args.pause * 1000)
                reference = map_bench.browser_changes(browser, "produkt", url, "sozialraum", 5)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    result = {}
    for label, first in (("alle Wechsel", None), ("erster Durchgang vorwärts (jede Ansicht zum ersten Mal)", True),
                         ("danach (Ansichten schon gesehen)", False)):
        chosen = [step for step in steps_taken if first is None or step[3] == first]
        if not chosen:
            continue
        print(label)
        table = {}
        kinds = {folie.split(":")[0] for _, _, folie, _ in chosen}
        for kind in sorted(kinds) + ["alle"]:
            values = sorted(t for t, _, folie, _ in chosen if kind == "alle" or folie.split(":")[0] == kind)
            table[kind] = {"anzahl": len(values), "median_s": round(statistics.median(values), 3),
                           "p90_s": round(values[max(0, math.ceil(0.9 * len(values)) - 1)], 3),
                           "max_s": round(values[-1], 3)}
            print(f"  {kind:12s} n={len(values):3d}  Median {table[kind]['median_s']:.3f} s  "
                  f"p90 {table[kind]['p90_s']:.3f} s  max {table[kind]['max_s']:.3f} s")
        result[label] = table
    slowest = sorted(steps_taken, reverse=True)[:5]
    print("Langsamste Wechsel: " + ", ".join(f"{'→' if key == 'ArrowRight' else '←'} {folie} {t:.3f} s"
                                             for t, key, folie, _ in slowest))
    result["langsamste"] = [{"folie": folie, "taste": key, "s": round(t, 3)} for t, key, folie, _ in slowest]
    result["kartenseite_indikatorwechsel_median_s"] = round(reference["browser_wechsel_s"], 3)
    print(f"Kartenseite, Indikatorwechsel (gleicher Server, gleiche Last): Median "
          f"{reference['browser_wechsel_s']:.3f} s")
    print(f"Budget: {BUDGET} s je Ansichtswechsel (wie die Kartenseite); Pause je Ansicht: {args.pause} s; "
          f"Last: {os.getloadavg()[0]:.1f}")
    result["pause_s"] = args.pause
    out = PROJECT_ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "praesentation_bench.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
