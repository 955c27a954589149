"""Peak memory of importing a zip bomb (issue 11, item 3): a zipped 'Shapefile' of ~3 MB whose .shp unpacks to
350 MB. Run: python bench/entpacken_bench.py — prints the refusal and the process' peak RSS before and after."""

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import build_tiny  # noqa: E402
from test_entpacken import inflating_zip  # noqa: E402

from sozialmonitor import importer  # noqa: E402
from sozialmonitor.zugang import rollen
from sozialmonitor.errors import SozialmonitorFehler  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    folder = Path(tempfile.mkdtemp())
    database = build_tiny(folder / "tiny.duckdb")
    data = inflating_zip(350_000_000)
    before = peak_mb()
    start = time.perf_counter()
    try:
        importer.run(database, "areas", data, "grenzen.zip", person=rollen.kommandozeile())
        print("angenommen")
    except SozialmonitorFehler as exc:
        print("abgelehnt:", str(exc)[:200])
    print(f"Upload {len(data) / 1e6:.1f} MB, Spitze vorher {before:.0f} MB, nachher {peak_mb():.0f} MB, "
          f"{time.perf_counter() - start:.1f} s")
    shutil.rmtree(folder)
