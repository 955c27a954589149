"""Every refusal says what is wrong in German (issue 18, item 6): every reader of the importer – observations
(interchange and with a profile), areas tables, boundaries (GeoJSON, GeoPackage, zipped Shapefile, KML, KMZ),
membership, indicator catalogue, targets, profiles, weights – fed broken bytes, answers with an import result or
a German refusal; no Python or GDAL exception text ('utf-8' codec can't decode …, not recognized as a supported file
format, Expected '=' …) and no other exception reaches a planner."""

import io
import re
import sqlite3
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import xlsx
from sozialmonitor import importer
from sozialmonitor.einlesen import profile
from sozialmonitor.errors import EingabeFehler, SozialmonitorFehler
from sozialmonitor.zugang import rollen

ENGLISCH = re.compile(r"codec|can't|cannot|Traceback|Exception|\b[A-Z]\w*Error\b|[Ii]nvalid|[Uu]nexpected|"
                      r"Expected|expected|not recognized|No such|NoneType|object|GDAL|pyogrio|Errno|[Ff]ailed|"
                      r"[Uu]nsupported|line \d+ column|\bat line\b|position \d+|byte 0x")
KINDS = [("observations", {}), ("observations", {"profil": "kaputt_test"}), ("areas", {}),
         ("areas", {"level": "sozialraum", "id_field": "ID", "name_field": "NAME"}), ("membership", {}),
         ("indicators", {}), ("targets", {}), ("observations", {"predecessors": True, "weights": (b"\xff\x00", "g.csv")})]


def messages(exc: SozialmonitorFehler) -> list[str]:
    if isinstance(exc, EingabeFehler):
        return [f"{b.feld or ''} {b.meldung}" for b in exc.befunde]
    return [str(exc)]


def feed(db_path: Path, kind: str, options: dict, data: bytes, name: str) -> None:
    """One file into one reader: fine, or a German refusal – anything else fails the test."""
    try:
        importer.run(db_path, kind, data, name, person=rollen.kommandozeile(), dry_run=True, **options)
    except SozialmonitorFehler as exc:
        for text in messages(exc):
            assert not ENGLISCH.search(text), (kind, name, text)


@pytest.fixture(scope="module")
def datenbank(tmp_path_factory, gifhorn_db) -> Path:
    target = tmp_path_factory.mktemp("ablehnungen") / "db" / "g.duckdb"
    target.parent.mkdir()
    target.write_bytes(gifhorn_db.read_bytes())
    (target.parent / "profile").mkdir()
    (target.parent / "profile" / "kaputt_test.toml").write_text(
        'name = "kaputt_test"\n[spalten]\ngebiet = 1\nwert = "Insgesamt"\n[fest]\nindikator = "bev_u10"\n'
        'zeitraum = "2015"\n', encoding="utf-8")
    return target


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry, content in entries.items():
            archive.writestr(entry, content)
    return buffer.getvalue()


def _shapefile_parts(tmp_path: Path, encoding: str = "utf-8") -> dict[str, bytes]:
    frame = gpd.GeoDataFrame({"AGS": ["03151001"], "GEN": ["Sülfeld"]}, geometry=[shapely.box(10.5, 52.4, 10.6, 52.5)],
                             crs=4326)
    frame.to_file(tmp_path / "g.shp", encoding=encoding)
    return {f"g{p.suffix}": p.read_bytes() for p in tmp_path.glob("g.*")}


def _gpkg(tmp_path: Path) -> bytes:
    frame = gpd.GeoDataFrame({"AGS": ["03151001"], "GEN": ["Sülfeld"]}, geometry=[shapely.box(10.5, 52.4, 10.6, 52.5)],
                             crs=4326)
    frame.to_file(tmp_path / "g.gpkg", layer="g")
    return (tmp_path / "g.gpkg").read_bytes()


def broken_files(tmp_path: Path) -> list[tuple[str, bytes]]:
    """Files as they arrive broken: cut off, garbage inside a valid container, the wrong encoding, the wrong kind."""
    workbook = xlsx([["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert"], ["03151001", "bev_u10", 2023,
                                                                                        None, None, 5]])
    shp = _shapefile_parts(tmp_path)
    gpkg = _gpkg(tmp_path)
    cp1252 = _shapefile_parts(tmp_path / "cp", "cp1252") if (tmp_path / "cp").mkdir() is None else {}
    sheet_broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(sheet_broken, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, content[:len(content) // 2] if item.filename.endswith("sheet1.xml") else content)
    sqlite_plain = tmp_path / "plain.sqlite"
    connection = sqlite3.connect(sqlite_plain)
    connection.execute("CREATE TABLE t (a)")
    connection.commit()
    connection.close()
    return [
        ("leer.csv", b""),
        ("nur_bom.csv", b"\xef\xbb\xbf"),
        ("utf8_bom_kaputt.csv", b"\xef\xbb\xbfgebiet;wert\n\xfc\xfe\xff;1\n"),
        ("utf16_ungerade.csv", b"\xff\xfeg\x00e\x00b\x00"),
        ("binaer.csv", bytes(range(256)) * 4),
        ("halb.xlsx", workbook[:len(workbook) // 2]),
        ("blatt_kaputt.xlsx", sheet_broken.getvalue()),
        ("pk_nur_kopf.zip", b"PK\x03\x04" + b"\x00" * 40),
        ("halb.gpkg", gpkg[:len(gpkg) // 2]),
        ("sqlite_ohne_geometrie.gpkg", sqlite_plain.read_bytes()),
        ("sqlite_kopf.gpkg", b"SQLite format 3\x00" + b"\x13" * 200),
        ("shp_muell.zip", _zip({"g.shp": b"\x00\x00\x27\x0a" + b"x" * 200, "g.shx": b"y" * 100,
                                "g.dbf": b"z" * 100})),
        ("dbf_muell.zip", _zip({**{k: v for k, v in shp.items() if k != "g.dbf"}, "g.dbf": b"\x03" + b"\xff" * 60})),
        ("cpg_falsch.zip", _zip({**cp1252, "g.cpg": b"UTF-8"})),
        ("json_kaputt.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Feat'),
        ("ohne_geometrie.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                                   b'{"AGS": "03151001"}, "geometry": null}]}'),
        ("kml_kaputt.kml", b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'),
        ("kmz_muell.kmz", _zip({"doc.kml": b"\x00\xff garbage"})),
        ("gml.xml", b'<?xml version="1.0"?><gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml"/>'),
        ("toml_kaputt.toml", b'[bev_u10\nname = "x'),
        ("toml_doppelt.toml", b'[a]\nname = "x"\nname = "y"\n'),
        ("latin1.toml", "[bev]\nname = \"Kinder unter 10 Jahren – Anteil\"\n".encode("cp1252")),
    ]


def test_every_reader_refuses_broken_bytes_in_german(datenbank, tmp_path):
    for name, data in broken_files(tmp_path):
        for kind, options in KINDS:
            feed(datenbank, kind, options, data, name)


def test_a_broken_profile_is_refused_in_german(tmp_path):
    for text in ('name = "x"\n[spalten\n', 'name = "x"\nname = "y"\n', "name = \n", '[spalten]\ngebiet = 1.5\n'):
        with pytest.raises(EingabeFehler) as refused:
            profile.aus_toml(text, "p.toml")
        for message in messages(refused.value):
            assert not ENGLISCH.search(message), message


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=600), st.sampled_from(["d.csv", "d.xlsx", "d.geojson", "d.zip", "d.gpkg", "d.toml",
                                                 "d.kml"]))
def test_random_bytes_never_give_python_text(datenbank, data, name):
    for kind, options in KINDS[:7]:
        feed(datenbank, kind, options, data, name)
