"""Time of the goal evaluation of the demo (issue 10: every target × area with forecasts, recent trends and the
bootstrap certainty of each status must stay under 0.5 s). Builds the demo in a temporary folder, then evaluates
it repeatedly and prints the median and the worst run.

    python bench/ziele_bench.py [--runden 20]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sozialmonitor.daten import db
from sozialmonitor.importer import demo
from sozialmonitor.daten import queries  # noqa: E402
from sozialmonitor.statistik import bewertung, sicherheit  # noqa: E402

GRENZE = 0.5  # seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runden", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.duckdb"
        demo.build_demo(path)
        con = db.connect_read_only(path)
        katalog, jahreswerte = queries.run_query(con, "ziele_katalog"), queries.run_query(con, "ziel_jahreswerte")
        zeiten = []
        for _ in range(args.runden):
            start = time.perf_counter()
            result = bewertung.evaluate(katalog, jahreswerte)
            zeiten.append(time.perf_counter() - start)
        con.close()
    print(f"Demo: {len(katalog)} Ziele, {len(result)} Zeilen (Ziel × Gebiet), {sicherheit.ZIEHUNGEN} Ziehungen je "
          f"Zeile")
    print(f"Auswertung: Median {statistics.median(zeiten):.3f} s, schlechtester Lauf {max(zeiten):.3f} s "
          f"(Grenze {GRENZE} s, {args.runden} Läufe)")
    return 0 if statistics.median(zeiten) < GRENZE else 1


if __name__ == "__main__":
    sys.exit(main())
