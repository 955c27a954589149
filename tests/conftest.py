"""Shared fixtures: a tiny hand-made database (numbers computable by hand) and the full demo database,
both built through the importer in a temporary directory. SOZIALMONITOR_DB points the app at them. Also the
helpers every import test uses (database snapshots, the command line, files written in a given encoding, Excel
workbooks, boundary files) and the `kodierung` fixture over every encoding the importer reads."""

import io
import json
import os
import shutil
import zipfile
from contextlib import contextmanager
from pathlib import Path

import duckdb
import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely

from streamlit import config
from streamlit.testing.v1 import AppTest

from sozialmonitor import cli, importer
from sozialmonitor.daten import db
from sozialmonitor.importer import demo
from sozialmonitor.daten import queries
from sozialmonitor.zugang import rollen

TEST_DATA = Path(__file__).parent / "daten"
ROOT = Path(__file__).resolve().parent.parent
# Arithmetic tests run on numbers like "1 von 10": by default the tests publish without Geheimhaltung; the demo
# database and the disclosure tests use the project's rules (data/geheimhaltung.toml).
GEHEIMHALTUNG_AUS = TEST_DATA / "geheimhaltung_aus.toml"
GEHEIMHALTUNG_ECHT = ROOT / "data" / "geheimhaltung.toml"
os.environ["SOZIALMONITOR_GEHEIMHALTUNG"] = str(GEHEIMHALTUNG_AUS)


@contextmanager
def geheimhaltung_regeln(path: Path):
    """Publish with these disclosure rules inside the block."""
    before = os.environ.get("SOZIALMONITOR_GEHEIMHALTUNG")
    os.environ["SOZIALMONITOR_GEHEIMHALTUNG"] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOZIALMONITOR_GEHEIMHALTUNG", None)
        else:
            os.environ["SOZIALMONITOR_GEHEIMHALTUNG"] = before


def open_page(page: str = "app.py", **query_params) -> AppTest:
    """An AppTest of one page, entered through app.py as in the running app (page links resolve against the
    entrypoint), as the laptop user: the app bound to 127.0.0.1 without sign-in (rollen.ohne_anmeldung: Bearbeiter).
    Call .run() on it."""
    config.set_option("server.address", "127.0.0.1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if page != "app.py":
        at.switch_page(page)
    for key, value in query_params.items():
        at.query_params[key] = value
    return at


def lokal_angemeldet(monkeypatch, database: Path, kennung: str) -> str:
    """As after a local sign-in in a browser: a real session record (zugang.anmeldungen) for kennung, and its
    cookie as the one this AppTest's browser sends (AppTest cannot carry cookies; the record and its check are
    the app's own). Returns the cookie value."""
    from sozialmonitor.oberflaeche import seite
    from sozialmonitor.zugang import anmeldungen

    wert = anmeldungen.ablage_der_app(Path(database), {}).anlegen("lokal", kennung)
    monkeypatch.setattr(seite, "sitzungs_cookie", lambda: wert)
    return wert


def served(url: str) -> dict:
    """A file the app serves under app/static/ (the browser loads it once)."""
    assert url.startswith("app/static/")
    return json.loads((ROOT / url.removeprefix("app/")).read_text(encoding="utf-8"))


def map_wire(at: AppTest) -> dict:
    """The map component's data as it goes over the wire on this run: JSON with the Arrow table 'gebiete' read back
    into a DataFrame (karten.uebertragung.packen)."""
    import pyarrow as pa
    from streamlit.components.v2.bidi_component.constants import ARROW_REF_KEY

    [component] = [c for c in at.get("bidi_component") if c.proto.component_name == "sozialmonitor_karte"]
    assert component.proto.WhichOneof("data") == "mixed", "the map's per-area columns travel as Arrow"
    data = json.loads(component.proto.mixed.json)
    for key, value in data.items():
        if isinstance(value, dict) and ARROW_REF_KEY in value:
            blob = component.proto.mixed.arrow_blobs[value[ARROW_REF_KEY]].data
            data[key] = pa.ipc.open_stream(blob).read_pandas()
    return data


def map_data(at: AppTest) -> dict:
    """What a page hands to the map component on this run, unpacked as the browser does it (AppTest runs no
    JavaScript): 'klasse' and the tooltip 'hover' per area of the served GeoJSON, beside the rest of the data."""
    from sozialmonitor.karten import uebertragung

    data = map_wire(at)
    titel = [f["properties"]["titel"] for f in served(data["geometrie"]["punkte_url"])["features"]]
    return uebertragung.entpacken(data, titel)


def build_tiny(path: Path) -> Path:
    with importer.working_copy(path) as con:
        for name, load in (("indikatoren.toml", importer.import_indicators),
                           ("gebiete.csv", importer.import_areas_table),
                           ("sozialraeume.csv", importer.import_membership),
                           ("beobachtungen.csv", importer.import_observations)):
            load(con, (TEST_DATA / name).read_bytes(), name)
    return path


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Path:
    return build_tiny(tmp_path_factory.mktemp("tiny") / "tiny.duckdb")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with geheimhaltung_regeln(GEHEIMHALTUNG_ECHT):
        demo.build_demo(path)
    return path


@pytest.fixture
def tiny_con(tiny_db):
    con = db.connect_read_only(tiny_db)
    yield con
    con.close()


@pytest.fixture
def demo_con(demo_db):
    con = db.connect_read_only(demo_db)
    yield con
    con.close()


@pytest.fixture
def app_on_demo(demo_db, monkeypatch):
    """Point the Streamlit app (AppTest) at the demo database."""
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_db))
    return demo_db


# ---------------------------------------------------------------- helpers shared by the import tests

HEADER = "gebiet;indikator;zeitraum;zaehler;nenner;wert\n"


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every table's full content, sorted, plus the file's bytes' identity."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}
    finally:
        con.close()


def data_tables(state: dict) -> dict:
    """What a user sees: everything except the import log itself, the audit trail and the history kept for undo."""
    return {t: rows for t, rows in state.items() if t not in ("importe", "protokoll") and not t.endswith("_historie")}


def run_cli(*argv) -> int:
    return cli.main([str(a) for a in argv])


def copy_to(source: Path, folder: Path) -> Path:
    """A private copy of a session database, alone in its folder (imports archive files next to it)."""
    target = folder / "db" / source.name
    target.parent.mkdir()
    shutil.copyfile(source, target)
    return target


def query_rows(path: Path, name: str, **params):
    """queries/<name>.sql on a database file, read-only."""
    con = db.connect_read_only(path)
    try:
        return queries.run_query(con, name, **params)
    finally:
        con.close()


@pytest.fixture
def tiny_copy(tiny_db, tmp_path) -> Path:
    return copy_to(tiny_db, tmp_path)


@pytest.fixture
def demo_copy(demo_db, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOZIALMONITOR_GEHEIMHALTUNG", str(GEHEIMHALTUNG_ECHT))  # published as the demo was
    return copy_to(demo_db, tmp_path)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def squares(codes: list, crs: int = 25832, **columns) -> gpd.GeoDataFrame:
    """Adjacent 1 km squares near Erfurt, in the given CRS."""
    origin = gpd.GeoSeries([shapely.Point(11.0, 51.0)], crs=4326).to_crs(25832)[0]
    boxes = [shapely.box(origin.x + i * 1000, origin.y, origin.x + (i + 1) * 1000, origin.y + 1000)
             for i in range(len(codes))]
    frame = gpd.GeoDataFrame({"AGS": codes, "GEN": [f"Ort {c}" for c in codes], **columns}, geometry=boxes,
                             crs=25832)
    return frame.to_crs(crs)


def zipped_shapefile(frame: gpd.GeoDataFrame, folder: Path, skip: tuple[str, ...] = ()) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_file(folder / "grenzen.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in sorted(folder.iterdir()):
            if part.suffix not in skip:
                archive.write(part, f"Grenzen 2024/{part.name}")
    return buffer.getvalue()


def two_layer_geopackage(folder: Path) -> bytes:
    """A GeoPackage with the tiny database's three Gemeinden as layer 'gemeinden' and their Kreis as 'kreise'."""
    path = folder / "quelle" / "ebenen.gpkg"
    path.parent.mkdir(exist_ok=True)
    gemeinden = squares(["01001001", "01001002", "01001003"])
    gemeinden.to_file(path, layer="gemeinden")
    gemeinden.dissolve().assign(AGS="01001", GEN="Testkreis")[["AGS", "GEN", "geometry"]].to_file(path, layer="kreise")
    return path.read_bytes()


def observation_rows(path: Path) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT * FROM beobachtungen ORDER BY ALL").df()
    finally:
        con.close()


KODIERUNGEN = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "mac_roman"]  # utf-16: Python writes the BOM


@pytest.fixture(params=KODIERUNGEN)
def kodierung(request) -> str:
    """Every encoding a planner's text file arrives in: UTF-8 with and without BOM, Excel's "Unicode-Text"
    (UTF-16 with BOM), Windows-1252 (ANSI) and Mac Roman (Excel for Mac)."""
    return request.param


GIFHORN = Path(__file__).parent / "faelle" / "import" / "gifhorn"


@pytest.fixture(scope="session")
def gifhorn_db(tmp_path_factory) -> Path:
    """Indicators of the Gifhorn case and Deutschland, Niedersachsen, the Kreis and its 42 Gemeinden."""
    path = tmp_path_factory.mktemp("gifhorn") / "gifhorn.duckdb"
    with importer.working_copy(path) as con:
        importer.import_indicators(con, (GIFHORN / "indikatoren.toml").read_bytes(), "indikatoren.toml")
        importer.import_areas_table(con, (GIFHORN / "gebiete.csv").read_bytes(), "gebiete.csv")
    return path


@pytest.fixture
def gifhorn(gifhorn_db, tmp_path) -> Path:
    target = tmp_path / "db" / gifhorn_db.name
    target.parent.mkdir()
    target.write_bytes(gifhorn_db.read_bytes())
    return target


@pytest.fixture(scope="session")
def gesperrt_db(demo_db, tmp_path_factory) -> Path:
    """The demo with Abtsbessingen's 2024 SGB-II count suppressed by the statistical office ('*'), imported."""
    path = tmp_path_factory.mktemp("gesperrt") / "demo_gesperrt.duckdb"
    path.write_bytes(demo_db.read_bytes())
    importer.run(path, "observations", b"gebiet;indikator;zeitraum;zaehler;nenner;wert\n"
                                       b"16065001;sgb2_u10;2024;*;*;*\n", "gesperrt.csv", replace=True,
                 person=rollen.kommandozeile())
    return path
