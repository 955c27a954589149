"""The embedded demo: the Kyffhäuserkreis with its 28 real Gemeinden, six demo Sozialräume, synthetic Gemeinde
values and real reference values for Thüringen and Deutschland — built through the importer like any user data."""

import functools
from pathlib import Path

from sozialmonitor import importer
from sozialmonitor.daten import db
from sozialmonitor.daten.config import DATA_DIR, GEODATA_ATTRIBUTION, SHAPES_DIR

DEMO_BOUNDARIES = SHAPES_DIR / "kyffhaeuserkreis_gemeinden_2024_abgeleitet.geojson"


def build_demo(db_path: Path) -> list[importer.Ergebnis]:
    """(Re)build the demo database from the committed files in data/ and shapes/, published in one step."""
    db_path = Path(db_path)
    db_path.unlink(missing_ok=True)
    results = []
    with importer.working_copy(db_path) as con:
        def read(path: Path) -> tuple[bytes, str]:
            return path.read_bytes(), path.name

        results.append(importer.import_indicators(con, *read(DATA_DIR / "indikatoren.toml")))
        results.append(importer.import_areas_table(con, *read(DATA_DIR / "gebiete.csv")))
        results.append(importer.import_boundaries(con, *read(DEMO_BOUNDARIES), level="gemeinde", id_field="AGS",
                                                  name_field="GEN", quelle=GEODATA_ATTRIBUTION))
        results.append(importer.import_membership(con, *read(DATA_DIR / "sozialraeume.csv")))
        results.append(importer.import_observations(con, *read(DATA_DIR / "demo_beobachtungen.csv")))
        results.append(importer.import_observations(con, *read(DATA_DIR / "referenzwerte.csv")))
        results.append(importer.import_targets(con, *read(DATA_DIR / "ziele.toml")))
        con.execute("INSERT OR REPLACE INTO metadaten VALUES ('demo', 'ja')")
        con.execute("UPDATE importe SET demo = true")  # the demo's own imports: any other one makes it a planner's
    return results


def ensure_database(db_path: Path) -> None:
    """A fresh machine has no database yet: build the demo on first start. A database written by an older version
    of the app is built anew only while its data is the demo's alone (every import one of build-demo's); a database
    holding any other import is never rebuilt, it is left to `upgrade` (which migrates it after a backup)."""
    path = Path(db_path)
    if not path.exists() or _outdated_demo(str(path), db.file_version(path)):
        build_demo(path)


@functools.cache  # once per published version of the file, not on every query
def _outdated_demo(path: str, version: tuple[int, int]) -> bool:
    schema, is_demo = db.schema_and_demo(Path(path))
    return is_demo and schema is not None and schema < db.SCHEMA_VERSION
