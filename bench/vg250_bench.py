"""A Kreis set up from a Germany-wide VG250 GeoPackage, timed – an inland and a coastal one:

    python bench/vg250_bench.py ORDNER [KREIS …]      (default: 16065 Kyffhäuserkreis, 01054 Nordfriesland)

The GeoPackage is built in ORDNER from ../shared/geodata in the layout of the BKG's VG250 GeoPackage: layers
`vg250_gem` (all 11.299 Gemeinden of VG250 2016, field GF = 4, land with structure) and `vg250_krs` (the Kreise),
plus – as in the real file – a second feature with the same AGS and GF = 2 (water with structure) for every Gemeinde
of the coastal Kreise below (synthetic: a ring around the land polygon, standing for the Wattenmeer or the Bodden).
Then `einrichten --kreis K --grenzen DE_VG250.gpkg --layer vg250_gem` into a new database per Kreis, timed, and what
the import report says about the water areas printed."""

import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sozialmonitor.importer import einrichten  # noqa: E402
from sozialmonitor.zugang import rollen  # noqa: E402

GEODATA = Path(__file__).resolve().parents[2] / "shared" / "geodata"
KUESTENKREISE = ("01054", "01051", "01055", "03452", "03455", "03462", "13073", "13075")


def geopackage(folder: Path) -> Path:
    """DE_VG250.gpkg in folder (built once)."""
    target = folder / "DE_VG250.gpkg"
    if target.exists():
        return target
    gemeinden = gpd.read_file(GEODATA / "de_gemeinden_vg250_2016_simpl300m.geojson")
    gemeinden["GF"] = 4
    coastal = gemeinden[gemeinden["AGS"].str[:5].isin(KUESTENKREISE)].copy()
    metric = coastal.to_crs(25832)
    coastal["geometry"] = (metric.buffer(800).difference(metric.geometry)).to_crs(4326).values
    coastal["GF"] = 2
    layer = pd.concat([gemeinden, coastal], ignore_index=True).sort_values(["AGS", "GF"], ascending=[True, False])
    gpd.GeoDataFrame(layer, crs=4326).to_file(target, layer="vg250_gem", driver="GPKG")
    kreise = gpd.read_file(GEODATA / "de_kreise_vg250_2025-01-01_simpl200m.geojson")
    kreise["GF"] = 4
    kreise.to_file(target, layer="vg250_krs", driver="GPKG")
    return target


def main(folder: Path, kreise: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    path = geopackage(folder)
    print(f"GeoPackage {path.name}: {path.stat().st_size / 1e6:.1f} MB, gebaut in {time.perf_counter() - started:.1f} s")
    data = path.read_bytes()
    for kreis in kreise:
        db_path = folder / f"{kreis}.duckdb"
        db_path.unlink(missing_ok=True)
        started = time.perf_counter()
        done = einrichten.einrichten(db_path, kreis, data, path.name, layer="vg250_gem",
                                     vorlagen_ordner=folder / f"vorlagen_{kreis}", person=rollen.kommandozeile())
        elapsed = time.perf_counter() - started
        print(f"\n=== einrichten --kreis {kreis}: {elapsed:.1f} s")
        print(done.zusammenfassung())


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:] or ["16065", "01054"])
