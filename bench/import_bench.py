"""Benchmark: import 1,000,000 observation rows through the command line and time it (target: under 10 s).

Builds a fresh database with the demo indicator catalogue and 2,000 synthetic Gemeinden in a temporary directory,
writes a CSV as the BA delivers it (semicolons, decimal commas, some '*' and '-'), then runs
`python -m sozialmonitor import observations` in-process and reports the wall time of each step.

    python bench/import_bench.py [--zeilen 1000000] [--behalten]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a plain script from anywhere
from sozialmonitor import cli
from sozialmonitor.daten.config import DATA_DIR
from sozialmonitor.fmt import zahl

KREIS = "09999"
INDICATORS = ["sgb2_u10", "alq_u25", "bev_u10", "bev_15_u25"]  # two rates, two counts


def write_areas(path: Path, gemeinden: int) -> None:
    lines = ["gebiet;name;ebene;uebergeordnet", f"{KREIS};Benchkreis;kreis;09", "09;Benchland;land;DG",
             "DG;Deutschland;bund;"]
    lines += [f"{KREIS}{i:03d};Gemeinde {i};gemeinde;{KREIS}" for i in range(gemeinden)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_observations(path: Path, rows: int, seed: int = 1) -> int:
    """Rows = Gemeinden × indicators × months; returns the number of Gemeinden the file needs."""
    months = 125
    gemeinden = -(-rows // (len(INDICATORS) * months))
    rng = np.random.default_rng(seed)
    area = np.repeat(np.arange(gemeinden), len(INDICATORS) * months)[:rows]
    indicator = np.tile(np.repeat(np.arange(len(INDICATORS)), months), gemeinden)[:rows]
    month = np.tile(np.arange(months), gemeinden * len(INDICATORS))[:rows]
    nenner = rng.integers(50, 5000, rows)
    zaehler = (nenner * rng.uniform(0, 0.3, rows)).astype(int)
    is_rate = indicator < 2
    with path.open("w", encoding="cp1252", newline="") as out:
        out.write("gebiet;indikator;zeitraum;zaehler;nenner;wert\n")
        for a, i, m, z, n, rate in zip(area, indicator, month, zaehler, nenner, is_rate):
            period = f"{2014 + m // 12}-{m % 12 + 1:02d}"
            if rate:
                counts = ("*", "*") if z < 3 else (("-", f"{n:,}".replace(",", ".")) if z < 6 else
                                                   (f"{z:,}".replace(",", "."), f"{n:,}".replace(",", ".")))
                out.write(f"{KREIS}{a:03d};{INDICATORS[i]};{period};{counts[0]};{counts[1]};\n")
            else:
                out.write(f"{KREIS}{a:03d};{INDICATORS[i]};{period};;;{n}\n")
    return gemeinden


def timed(label: str, argv: list[str]) -> float:
    start = time.perf_counter()
    code = cli.main(argv)
    seconds = time.perf_counter() - start
    print(f"{label}: {zahl(seconds, 2)} s (Exit {code})")
    if code != 0:
        sys.exit(code)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zeilen", type=int, default=1_000_000)
    parser.add_argument("--behalten", action="store_true", help="temporäres Verzeichnis nicht löschen")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sozialmonitor_bench_"))
    database = workdir / "bench.duckdb"
    observations = workdir / "beobachtungen.csv"
    start = time.perf_counter()
    gemeinden = write_observations(observations, args.zeilen)
    write_areas(workdir / "gebiete.csv", gemeinden)
    print(f"Testdatei: {zahl(args.zeilen)} Zeilen, {zahl(observations.stat().st_size / 1e6, 1)} MB, "
          f"erzeugt in {zahl(time.perf_counter() - start, 1)} s")
    timed("Indikatoren", ["import", "indicators", str(DATA_DIR / "indikatoren.toml"), "--db", str(database)])
    timed("Gebiete", ["import", "areas", str(workdir / "gebiete.csv"), "--db", str(database)])
    timed("Prüflauf (--dry-run)", ["import", "observations", str(observations), "--db", str(database), "--dry-run"])
    seconds = timed("Import", ["import", "observations", str(observations), "--db", str(database)])
    timed("Erneuter Import derselben Datei", ["import", "observations", str(observations), "--db", str(database)])
    print(f"ERGEBNIS: {zahl(args.zeilen)} Beobachtungen in {zahl(seconds, 2)} s importiert")
    if args.behalten:
        print(f"Dateien in {workdir}")
    else:
        for path in sorted(workdir.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
