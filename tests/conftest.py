"""Shared fixtures: a tiny hand-made database (numbers computable by hand) and the full demo database,
both built through the importer in a temporary directory. SOZIALMONITOR_DB points the app at them."""

import json
import shutil
from pathlib import Path

import pytest

from streamlit import config
from streamlit.testing.v1 import AppTest

from sozialmonitor import db, demo, importer, queries

TEST_DATA = Path(__file__).parent / "daten"
ROOT = Path(__file__).resolve().parent.parent


def open_page(page: str = "app.py", **query_params) -> AppTest:
    """An AppTest of one page, entered through app.py as in the running app (page links resolve against the
    entrypoint), as the laptop user: the app bound to 127.0.0.1 without sign-in (zugang.ohne_anmeldung: Bearbeiter).
    Call .run() on it."""
    config.set_option("server.address", "127.0.0.1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if page != "app.py":
        at.switch_page(page)
    for key, value in query_params.items():
        at.query_params[key] = value
    return at


def served(url: str) -> dict:
    """A file the app serves under app/static/ (the browser loads it once)."""
    assert url.startswith("app/static/")
    return json.loads((ROOT / url.removeprefix("app/")).read_text(encoding="utf-8"))


def map_data(at: AppTest) -> dict:
    """What a page hands to the map component on this run (AppTest runs no JavaScript)."""
    [component] = at.get("bidi_component")
    assert component.proto.component_name == "sozialmonitor_karte"
    return json.loads(component.proto.json)


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


def private_copy(source: Path, folder: Path) -> Path:
    """A copy of a session database alone in its folder (writes archive files and lock files next to it)."""
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

