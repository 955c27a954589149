"""Benchmark: how far N Sozialmonitor processes behind nginx go on this machine (docs/betrieb.md, "Landesweit").

Starts the Verbund (N × `streamlit run server.py` on 127.0.0.1, nginx in front, as in the 3-process test) on a copy
of the demo database, optionally publishes imports meanwhile, drives S browser sessions (contexts in one Debian
chromium) through R rounds of loading the Übersicht, and reports: page loads per second, page-load latency
percentiles (from navigation to the last heading, i.e. the whole page run incl. websocket), the CPU time the app
processes spent per page load (independent of other load on the machine), resident memory per process (after start,
after the load), the sessions per process (sticky cookie) and errors.

    python bench/betrieb_bench.py [--prozesse 3] [--sitzungen 20] [--runden 3] [--importe]
"""

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from anywhere
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from sitzungen import sitzungen  # noqa: E402  (the browser driver of the 3-process test)

from sozialmonitor import importer
from sozialmonitor.importer import demo
from sozialmonitor.zugang import rollen, verwaltung  # noqa: E402
from sozialmonitor.betrieb import nginx, verbund  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prozesse", type=int, default=3)
    parser.add_argument("--sitzungen", type=int, default=20)
    parser.add_argument("--runden", type=int, default=3)
    parser.add_argument("--importe", action="store_true", help="während der Runden Importe veröffentlichen")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="betrieb-bench-"))
    live = folder / "live.duckdb"
    demo.build_demo(live)
    # behind nginx the app serves nobody without sign-in (issue 23): one local user all sessions sign in with
    verwaltung.rolle_setzen(live, rollen.kommandozeile(), "leser", "Lea Leser", "betrachter", None, "Bench",
                            passwort="leser-passwort-123")
    stop, veroeffentlicht = threading.Event(), []

    def importe():
        k = 0
        while not stop.is_set():
            k += 1
            data = f"gebiet;indikator;zeitraum;zaehler;nenner;wert\n16065001;familienlotsen;{2100 + k};;;{k}\n"
            t = time.perf_counter()
            importer.run(live, "observations", data.encode(), f"bench_{k}.csv", person=rollen.kommandozeile())
            veroeffentlicht.append(time.perf_counter() - t)
            stop.wait(0.3)

    thread = threading.Thread(target=importe, daemon=True)
    try:
        t0 = time.perf_counter()
        with verbund.verbund(args.prozesse, live) as laufend:
            start_s = time.perf_counter() - t0
            rss_start = [p.speicher_kb() for p in laufend.prozesse]
            cpu_start = sum(p.cpu_sekunden() for p in laufend.prozesse)
            if args.importe:
                thread.start()
            t1 = time.perf_counter()
            aufrufe, cookies = sitzungen(laufend.url, args.sitzungen, args.runden,
                                         anmeldung=("leser", "leser-passwort-123"))
            wall = time.perf_counter() - t1
            stop.set()
            rss_end = [p.speicher_kb() for p in laufend.prozesse]
            cpu = sum(p.cpu_sekunden() for p in laufend.prozesse) - cpu_start
            zugriffe = laufend.zugriffe()
            ports = [f"127.0.0.1:{p.port}" for p in laufend.prozesse]
        if args.importe:
            thread.join(timeout=60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    ok = [a.sekunden for a in aufrufe if not a.fehler]
    fehler = [a for a in aufrufe if a.fehler]
    sitzung_prozess = defaultdict(set)
    for z in zugriffe:
        sitzung_prozess[z["sitzung"]].add(z["prozess"])
    keys = [c["value"] for jar in cookies for c in jar if c["name"] == nginx.COOKIE]
    verteilung = Counter(next(iter(sitzung_prozess[k])) for k in keys if sitzung_prozess[k])
    p50, p90, p95, p99 = np.percentile(ok, [50, 90, 95, 99]) if ok else [float("nan")] * 4
    print(f"{args.prozesse} Prozesse hinter nginx, {args.sitzungen} Browser-Sitzungen × {args.runden} Runden"
          f"{', Importe laufen' if args.importe else ''}; Start des Verbunds {start_s:.1f} s")
    print(f"Seitenaufrufe: {len(aufrufe)} in {wall:.1f} s = {len(aufrufe) / wall:.2f} je Sekunde; Fehler: {len(fehler)}")
    print(f"Ladezeit Übersicht (s): p50 {p50:.2f}  p90 {p90:.2f}  p95 {p95:.2f}  p99 {p99:.2f}  max {max(ok):.2f}")
    print(f"CPU-Zeit der App-Prozesse: {cpu:.1f} s = {cpu / len(aufrufe):.2f} s je Seitenaufruf "
          f"(→ höchstens {len(aufrufe) / cpu:.1f} Seitenaufrufe je Sekunde und Kern); Rechner: "
          f"{os.cpu_count()} Kerne, Last (1 min) {os.getloadavg()[0]:.1f}")
    for port, a, b in zip(ports, rss_start, rss_end):
        print(f"  Prozess {port}: {verteilung.get(port, 0)} Sitzungen, Speicher (RSS) {a / 1024:.0f} MB nach dem "
              f"Start, {b / 1024:.0f} MB nach der Last")
    if args.importe:
        print(f"Importe veröffentlicht: {len(veroeffentlicht)}, je {np.median(veroeffentlicht):.2f} s (Median)")
    for a in fehler[:5]:
        print("  Fehler:", a)
    return 1 if fehler else 0


if __name__ == "__main__":
    raise SystemExit(main())
