"""Where things are. The database path can be set with SOZIALMONITOR_DB (tests, other Kreise)."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
SHAPES_DIR = PROJECT_ROOT / "shapes"
QUERIES_DIR = PROJECT_ROOT / "queries"
DEFAULT_DB = DATA_DIR / "sozialmonitor.duckdb"

GEODATA_ATTRIBUTION = "Gemeindegrenzen: © GeoBasis-DE / BKG (2016), Datenlizenz Deutschland – Namensnennung 2.0; Gebietsstand 2021 abgeleitet"
DEMO_NOTICE = (
    "Demodaten: Die Werte der Gemeinden und Sozialräume sind synthetisch (erzeugt von data/demo_erzeugen.py) "
    "und keine amtlichen Zahlen. Die Sozialraum-Zuordnung ist eine Demo-Zuordnung. "
    "Vergleichswerte für Thüringen und Deutschland enthält die Demo nicht (kein Wert): belegt waren sie nur durch "
    "Zeitungsberichte, nicht durch eine amtliche Quelle."
)


def database_path() -> Path:
    return Path(os.environ.get("SOZIALMONITOR_DB", DEFAULT_DB))
