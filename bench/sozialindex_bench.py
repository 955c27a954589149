"""Time of the demo's Sozialindex (issue 21: the whole index – queries on the published values, standardisation,
previous year, the bootstrap of every class – under 0.5 s) and the largest Monte-Carlo error of a certainty shown.
Builds the demo (with the project's Geheimhaltung rules) in a temporary folder, then computes the index repeatedly
and prints the median and the worst run.

    python bench/sozialindex_bench.py [--runden 20]
"""

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SOZIALMONITOR_GEHEIMHALTUNG", str(ROOT / "data" / "geheimhaltung.toml"))

from sozialmonitor.daten import db, queries  # noqa: E402
from sozialmonitor.importer import demo  # noqa: E402
from sozialmonitor.sozialindex import berechnung  # noqa: E402

GRENZE = 0.5  # seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runden", type=int, default=20)
    parser.add_argument("--db", type=Path, default=None, help="eine fertige Demo-Datenbank statt einer neuen")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db
        if path is None:
            path = Path(folder) / "demo.duckdb"
            demo.build_demo(path)
        con = db.connect_read_only(path)
        definition = berechnung.definitionen(functools.partial(queries.run_query, con))[0]
        berechnung.berechnen(con, definition)  # warm-up: query files read, numpy loaded
        zeiten = []
        for _ in range(args.runden):
            start = time.perf_counter()
            ergebnis = berechnung.berechnen(con, definition)
            zeiten.append(time.perf_counter() - start)
        con.close()
    median, schlechtester = statistics.median(zeiten), max(zeiten)
    print(f"{definition.name}: {ergebnis.n_status} Gebiete im Status, {ergebnis.n_dynamik} in der Dynamik, "
          f"{definition.ziehungen} Ziehungen; Median {median:.3f} s, schlechtester Lauf {schlechtester:.3f} s "
          f"(Grenze {GRENZE} s); größter Monte-Carlo-Fehler {ergebnis.mc_fehler:.2f} Pp.")
    return 0 if median < GRENZE else 1


if __name__ == "__main__":
    sys.exit(main())
