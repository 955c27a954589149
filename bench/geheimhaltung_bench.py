"""Benchmark: what the Geheimhaltung costs on the demo (docs/zuverlaessigkeit.md, section 8).

Builds the demo with the real rules (data/geheimhaltung.toml), then reports per indicator how many values are
primary suppressed (the BA rule), how many secondary (complements), the share secondary/primary, and how long the
protection step of one version takes (werte_live → werte, the step every import runs once).

    python bench/geheimhaltung_bench.py
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from anywhere
os.environ["SOZIALMONITOR_GEHEIMHALTUNG"] = str(ROOT / "data" / "geheimhaltung.toml")

from sozialmonitor import geheimhaltung  # noqa: E402
from sozialmonitor.daten import db  # noqa: E402
from sozialmonitor.importer import demo  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as ordner:
        pfad = Path(ordner) / "demo.duckdb"
        demo.build_demo(pfad)
        con = db.connect_read_only(pfad)
        tabelle = con.execute("""
            SELECT indikator, count(*) AS werte,
                   count(*) FILTER (WHERE geheim_grund = 'primaer') AS primaer,
                   count(*) FILTER (WHERE geheim_grund = 'sekundaer') AS sekundaer
            FROM werte GROUP BY indikator ORDER BY indikator""").df()
        con.close()
        con = db.open_database(pfad, read_only=True)
        start = time.perf_counter()
        geheimhaltung.geschuetzte_werte(con)
        dauer = time.perf_counter() - start
        con.close()
    tabelle["sekundär je primär"] = (tabelle["sekundaer"] / tabelle["primaer"].where(tabelle["primaer"] > 0)).map(
        lambda v: "–" if v != v else f"{100 * v:.0f} %")
    print(tabelle.to_string(index=False))
    p, s = int(tabelle["primaer"].sum()), int(tabelle["sekundaer"].sum())
    print(f"\ninsgesamt: {p} primär, {s} sekundär gesperrt ({100 * s / p:.0f} % der primären; "
          f"{100 * s / (p + s):.0f} % aller gesperrten Werte sind Partner)")
    print(f"Schutzschritt einer Fassung: {dauer:.1f} s")


if __name__ == "__main__":
    main()
