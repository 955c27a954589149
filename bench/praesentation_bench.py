"""Presentation-mode benchmark: how long a view change takes in a real browser, from the key press (→ / ←) to the
new view drawn – the pager shows the new view id, its heading is on the page, and on a map view the map component
has drawn (data-bereit="1"); on a Steckbrief view the spine chart has drawn.

    python bench/praesentation_bench.py [--runden 2]

Streamlit on 127.0.0.1 against a demo database in a temp dir, Debian's chromium via Playwright. Steps through the
whole sequence forward, then backward (a view seen before), `--runden` times, and prints median, 90th percentile and
maximum per kind of view (uebersicht, ziel, karte, steckbrief) and over all, against the map page's budget of
0.35 s. On the same server and browser it also measures the map page's indicator change (map_bench's own
measurement), so both are compared under the same load. Results also go to bench/out/praesentation_bench.json."""

import argparse
import json
import math
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

from sozialmonitor import demo  # noqa: E402

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import map_bench  # noqa: E402

BUDGET = 0.35
DRAWN = """([folie, heading]) => {
    const pager = document.querySelector('.sm-blaettern');
    if (!pager || pager.dataset.folie !== folie) return false;
    if (![...document.querySelectorAll('h2')].some(e => e.textContent.trim() === heading)) return false;
    if (folie.startsWith('karte:')) {
        const map = document.querySelector('.sm-karte');
        return !!map && map.dataset.bereit === '1';
    }
    if (folie.startsWith('steckbrief:')) return !!document.querySelector('.js-plotly-plot .main-svg');
    return true;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sequence(db_path: Path) -> list[tuple[str, str]]:
    """(view id, its heading) in presentation order, read with the app's own functions."""
    from sozialmonitor import db, praesentation, queries, targets
    con = db.connect_read_only(db_path)
    try:
        katalog, bewertung = targets.load(con)
        folien = praesentation.folien(targets.overview(katalog, bewertung),
                                      queries.run_query(con, "steckbrief_gebiete"))
    finally:
        con.close()
    headings = {"uebersicht": lambda f: "Stand der Ziele", "ziel": lambda f: f.titel,
                "karte": lambda f: f.titel.removeprefix("Karte: ") + ": Karte",
                "steckbrief": lambda f: "Steckbrief: " + f.titel.removeprefix("Steckbrief ")}
    return [(f.id, headings[f.art](f)) for f in folien]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runden", type=int, default=2)
    args = parser.parse_args()
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
            times: dict[str, list[float]] = {}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                     args=["--no-sandbox", "--disable-gpu",
                                                           "--disable-background-networking"])
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(f"{url}/Praesentation?praesentation=1", timeout=180_000)
                page.wait_for_function(DRAWN, arg=list(views[0]), timeout=180_000)
                for _ in range(args.runden):
                    steps = ([(i, "ArrowRight") for i in range(1, len(views))]
                             + [(i, "ArrowLeft") for i in range(len(views) - 2, -1, -1)])
                    for index, key in steps:
                        start = time.perf_counter()
                        page.keyboard.press(key)
                        page.wait_for_function(DRAWN, arg=list(views[index]), timeout=60_000, polling="raf")
                        times.setdefault(views[index][0].split(":")[0], []).append(time.perf_counter() - start)
                reference = map_bench.browser_changes(browser, "produkt", url, "sozialraum", 5)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    result = {}
    every = [t for values in times.values() for t in values]
    for kind, values in list(times.items()) + [("alle", every)]:
        ordered = sorted(values)
        result[kind] = {"anzahl": len(values), "median_s": round(statistics.median(values), 3),
                        "p90_s": round(ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)], 3),
                        "max_s": round(max(values), 3)}
        print(f"{kind:12s} n={len(values):3d}  Median {result[kind]['median_s']:.3f} s  "
              f"p90 {result[kind]['p90_s']:.3f} s  max {result[kind]['max_s']:.3f} s")
    result["kartenseite_indikatorwechsel_median_s"] = round(reference["browser_wechsel_s"], 3)
    print(f"Kartenseite, Indikatorwechsel (gleicher Server, gleiche Last): Median "
          f"{reference['browser_wechsel_s']:.3f} s")
    print(f"Budget: {BUDGET} s je Ansichtswechsel (wie die Kartenseite); Last: {os.getloadavg()[0]:.1f}")
    out = PROJECT_ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "praesentation_bench.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
