"""Issue 9 item 4: a Shapefile without .cpg is read in the encoding its DBF bytes show – UTF-8 as UTF-8, not as
Latin-1 – a .cpg is honoured, and names that still look like mojibake („MÃ¼den“) are refused with file and field,
never stored. The Shapefiles are real ones written by GeoPandas from the VG250 Gemeinden of Gifhorn."""

import hashlib
import io
import zipfile
from pathlib import Path

import duckdb
import geopandas as gpd
import pytest

from sozialmonitor import cli, importer
from sozialmonitor.einlesen import grenzen
from sozialmonitor.errors import EingabeFehler

GRENZEN = Path(__file__).parent / "faelle" / "import" / "00-gifhorn-einrichten" / "gifhorn_gemeinden_vg250_2016.geojson"
NAMEN = {"03151001": "Adenbüttel", "03151010": "Groß Oesingen", "03151018": "Müden (Aller)", "03151020": "Osloß",
         "03151026": "Schönewörde"}


def dbf_module():
    from sozialmonitor.einlesen import dbf  # imported here, so the old code's failures show per test

    return dbf


def write_shapefile(folder: Path, encoding: str, cpg: str | None = None, ldid: int | None = None,
                    names: dict | None = None) -> Path:
    """Gifhorn's Gemeinden as a Shapefile in encoding; the .cpg GeoPandas writes is removed (cpg=None) or replaced
    by cpg; ldid: the language driver byte written into the DBF header."""
    folder.mkdir(parents=True, exist_ok=True)
    frame = gpd.read_file(GRENZEN)[["AGS", "RS", "GEN", "BEZ", "geometry"]]
    if names:
        frame["GEN"] = [names.get(code, name) for code, name in zip(frame["AGS"], frame["GEN"])]
    shp = folder / "VG250_GEM.shp"
    frame.to_file(shp, encoding=encoding)
    (folder / "VG250_GEM.cpg").unlink(missing_ok=True)
    if cpg is not None:
        (folder / "VG250_GEM.cpg").write_text(cpg)
    if ldid is not None:
        dbf = bytearray((folder / "VG250_GEM.dbf").read_bytes())
        dbf[29] = ldid
        (folder / "VG250_GEM.dbf").write_bytes(bytes(dbf))
    return shp


def zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in sorted(folder.iterdir()):
            archive.write(part, part.name)
    return buffer.getvalue()


def stored_names(path: Path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return dict(con.execute("SELECT code, name FROM gebiete WHERE ebene = 'gemeinde'").fetchall())
    finally:
        con.close()


def import_zip(tmp_path: Path, data: bytes):
    path = tmp_path / "db" / "k.duckdb"
    path.parent.mkdir(exist_ok=True)
    with importer.working_copy(path) as con:
        result = importer.import_boundaries(con, data, "VG250_GEM.zip", "gemeinde", "AGS", "GEN")
    return path, result


@pytest.mark.parametrize("encoding, cpg, ldid", [
    ("UTF-8", None, None),       # QGIS/GeoPandas/ogr2ogr without the .cpg: GDAL alone reads „MÃ¼den (Aller)“
    ("UTF-8", None, 0x57),       # … even where the DBF claims Windows ANSI
    ("cp1252", None, None),      # Windows-1252 without .cpg and without language driver
    ("cp1252", None, 0x57),      # ArcGIS: LDID 0x57 (ANSI)
    ("cp850", None, 0x02),       # old DOS software: LDID 0x02 (CP850)
    ("cp850", None, None),       # CP850 without any mark: the umlauts decide
    ("UTF-8", "UTF-8", None),    # a .cpg is honoured
    ("cp1252", "1252", None),
])
def test_shapefile_names_are_stored_as_written(tmp_path, encoding, cpg, ldid):
    folder = tmp_path / "shp"
    write_shapefile(folder, encoding, cpg, ldid)
    path, result = import_zip(tmp_path, zipped(folder))
    names = stored_names(path)
    for code, name in NAMEN.items():
        assert names[code] == name
    assert not any("Ã" in n or "├" in n for n in names.values())
    if cpg is None:
        assert any(line.startswith("Zeichenkodierung der Namen (DBF-Datei)") for line in result.hinweise)


def test_einrichten_reads_a_utf8_shapefile_folder_without_cpg(tmp_path, capsys):
    folder = tmp_path / "VG250"
    write_shapefile(folder, "UTF-8")
    path = tmp_path / "db" / "e.duckdb"
    path.parent.mkdir()
    assert cli.main(["einrichten", "--kreis", "03151", "--grenzen", str(folder), "--db", str(path),
                     "--vorlagen", str(tmp_path / "v")]) == 0
    assert stored_names(path)["03151018"] == "Müden (Aller)"
    assert "UTF-8 – ohne .cpg-Datei aus den Bytes erkannt" in capsys.readouterr().out
    membership = (tmp_path / "v" / "zuordnung_03151.csv").read_text(encoding="utf-8-sig")
    assert "03151010;SR010;Groß Oesingen" in membership


def test_import_areas_reads_a_shapefile_by_its_shp(tmp_path, capsys):
    shp = write_shapefile(tmp_path / "shp", "UTF-8")
    path = tmp_path / "db" / "i.duckdb"
    path.parent.mkdir()
    assert cli.main(["import", "areas", str(shp), "--db", str(path)]) == 0
    assert stored_names(path)["03151020"] == "Osloß"


@pytest.mark.parametrize("case", ["falsche_cpg", "schon_verstuemmelt"])
def test_mojibake_never_reaches_the_database(tmp_path, capsys, case):
    folder = tmp_path / "shp"
    if case == "falsche_cpg":  # UTF-8 bytes, but the .cpg says Windows-1252
        write_shapefile(folder, "UTF-8", cpg="1252")
    else:  # the names were garbled once and saved so (as UTF-8)
        write_shapefile(folder, "UTF-8", names={"03151018": "MÃ¼den (Aller)"})
    archive = tmp_path / "VG250_GEM.zip"
    archive.write_bytes(zipped(folder))
    path = tmp_path / "db" / "m.duckdb"
    path.parent.mkdir()
    with importer.working_copy(path) as con:  # an existing database, to compare byte for byte
        importer.import_indicators(con, (GRENZEN.parent / "indikatoren.toml").read_bytes(), "indikatoren.toml")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert cli.main(["import", "areas", str(archive), "--db", str(path)]) == 2
    error = capsys.readouterr().err
    assert "VG250_GEM.zip" in error and "Feld „GEN“" in error and "verstümmelte Umlaute" in error
    assert "MÃ¼den (Aller)" in error and "Traceback" not in error
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    with pytest.raises(EingabeFehler) as refusal:
        grenzen.read_boundaries(archive.read_bytes(), archive.name, "AGS", "GEN", ebene="gemeinde")
    found = [(b.zeile, b.feld) for b in refusal.value.befunde]
    assert (18, "GEN") in found and (found == [(18, "GEN")]) == (case == "schon_verstuemmelt")


def test_dbf_encoding_from_the_bytes(tmp_path):
    dbf = dbf_module()
    for encoding, expected in (("UTF-8", "UTF-8"), ("cp1252", "cp1252"), ("cp850", "cp850")):
        folder = tmp_path / encoding
        write_shapefile(folder, encoding)
        assert dbf.erkenne((folder / "VG250_GEM.dbf").read_bytes()).kodierung == expected
    ascii_only = bytearray((tmp_path / "UTF-8" / "VG250_GEM.dbf").read_bytes())
    ascii_only[29] = 0x57
    assert dbf.erkenne(bytes(ascii_only)).kodierung == "UTF-8"  # UTF-8 bytes beat a LDID that says ANSI
    assert dbf.erkenne(b"").kodierung == "UTF-8"


def test_a_utf8_letter_cut_by_the_field_width_still_counts_as_utf8():
    dbf = dbf_module()
    assert dbf._utf8("Müden".encode()[:2])  # b"M\xc3": the ü cut after its first byte
    assert not dbf._utf8("Müden".encode("cp1252"))


def test_a_missing_shp_or_a_folder_without_one_is_refused_with_exit_2(tmp_path, capsys):
    path = tmp_path / "db" / "x.duckdb"
    assert cli.main(["import", "areas", str(tmp_path / "fehlt.shp"), "--db", str(path)]) == 2
    assert "fehlt.shp lässt sich nicht lesen" in capsys.readouterr().err
    (tmp_path / "leer").mkdir()
    assert cli.main(["einrichten", "--kreis", "03151", "--grenzen", str(tmp_path / "leer"), "--db", str(path)]) == 2
    assert "genau ein Shapefile (.shp)" in capsys.readouterr().err
    assert not path.exists()
