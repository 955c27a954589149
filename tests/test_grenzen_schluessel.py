"""Issue 9 item 2 for boundary files: a key field with 12-digit ARS (VG250 `ARS`/`RS`), 11-digit Regionalstatistik
keys or AGS that lost their leading zero is converted to the 8-digit AGS, as observation keys are; the import report
says so („12-stellige ARS in 8-stellige AGS umgewandelt: 42“); codes of other levels are never padded; `einrichten`
works when the key field is ARS. Files: the VG250 Gemeinden of Gifhorn (tests/faelle/import/00-gifhorn-einrichten),
rewritten in the shapes real files come in."""

from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pytest

from sozialmonitor import cli
from sozialmonitor.einlesen import grenzen
from sozialmonitor.errors import EingabeFehler

GRENZEN = Path(__file__).parent / "faelle" / "import" / "00-gifhorn-einrichten" / "gifhorn_gemeinden_vg250_2016.geojson"


def gifhorn() -> gpd.GeoDataFrame:
    return gpd.read_file(GRENZEN).drop(columns="WSK")  # a date field a Shapefile cannot hold


def codes(path: Path, ebene: str = "gemeinde") -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [c for (c,) in con.execute("SELECT code FROM gebiete WHERE ebene = $e ORDER BY code",
                                          {"e": ebene}).fetchall()]
    finally:
        con.close()


def write(frame: gpd.GeoDataFrame, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.to_file(target)
    return target


def import_areas(tmp_path: Path, capsys, path: Path, *options) -> str:
    db = tmp_path / "db" / "g.duckdb"
    db.parent.mkdir(exist_ok=True)
    assert cli.main(["import", "areas", str(path), "--db", str(db), *map(str, options)]) == 0
    return capsys.readouterr().out


EXPECTED = sorted(gifhorn()["AGS"])


def test_a_vg250_file_keyed_by_ars_stores_the_ags(tmp_path, capsys):
    path = write(gifhorn().drop(columns="AGS").rename(columns={"RS": "ARS"}), tmp_path / "ars.geojson")
    out = import_areas(tmp_path, capsys, path, "--id-field", "ARS")
    assert codes(tmp_path / "db" / "g.duckdb") == EXPECTED
    assert "12-stellige ARS in 8-stellige AGS umgewandelt: 42 (031515406001 → 03151001" in out
    assert codes(tmp_path / "db" / "g.duckdb", "kreis") == ["03151"]  # the Kreis from the register, by the AGS


def test_without_an_ags_field_the_files_ars_is_taken(tmp_path, capsys):
    path = write(gifhorn().drop(columns="AGS").rename(columns={"RS": "ARS"}), tmp_path / "nur_ars.geojson")
    out = import_areas(tmp_path, capsys, path)  # --id-field defaults to AGS
    assert codes(tmp_path / "db" / "g.duckdb") == EXPECTED
    assert "Kein Feld „AGS“: der Gebietsschlüssel kommt aus dem Feld „ARS“." in out


def test_ars_as_a_dbf_number_field_lost_its_leading_zero(tmp_path, capsys):
    frame = gifhorn().drop(columns="AGS")
    frame["ARS"] = frame.pop("RS").astype("int64")  # 31515406001: 11 digits in the DBF
    path = write(frame, tmp_path / "shp" / "VG250_GEM.shp")
    out = import_areas(tmp_path, capsys, path, "--id-field", "ARS")
    assert codes(tmp_path / "db" / "g.duckdb") == EXPECTED
    assert "ARS ohne führende Null (11 Ziffern) in 8-stellige AGS umgewandelt: 42" in out


def test_regionalstatistik_11_digit_keys_are_converted(tmp_path, capsys):
    frame = gifhorn()
    frame["SCHLUESSEL"] = frame["RS"].str[:5] + frame["RS"].str[6:]  # Kreis 5, Verband 3, Gemeinde 3
    path = write(frame.drop(columns=["AGS", "RS"]), tmp_path / "rs11.geojson")
    out = import_areas(tmp_path, capsys, path, "--id-field", "SCHLUESSEL")
    assert codes(tmp_path / "db" / "g.duckdb") == EXPECTED
    assert "11-stellige Schlüssel der Regionalstatistik (Gemeinde im Gemeindeverband) in 8-stellige AGS " \
           "umgewandelt: 42" in out


def test_ags_without_leading_zero_is_reported(tmp_path, capsys):
    frame = gifhorn()
    frame["AGS"] = frame["AGS"].astype("int64")
    path = write(frame, tmp_path / "shp" / "VG250_GEM.shp")
    out = import_areas(tmp_path, capsys, path)
    assert codes(tmp_path / "db" / "g.duckdb") == EXPECTED
    assert "AGS ohne führende Null (7 Ziffern) um die Null ergänzt: 42" in out


def test_a_kreis_file_keyed_by_ars(tmp_path, capsys):
    kreis = gifhorn().dissolve().reset_index(drop=True)[["geometry"]]
    kreis["ARS"], kreis["GEN"] = "031510000000", "Gifhorn"
    path = write(kreis, tmp_path / "kreis.geojson")
    out = import_areas(tmp_path, capsys, path, "--id-field", "ARS", "--level", "kreis")
    assert codes(tmp_path / "db" / "g.duckdb", "kreis") == ["03151"]
    assert "12-stellige ARS in 5-stellige Kreisschlüssel umgewandelt: 1" in out


def test_sozialraum_codes_are_never_converted_or_padded():
    from sozialmonitor.einlesen import schluessel

    written = pd.Series(["3", "0110", "031515406001", "3151001"])
    converted, art, befunde = schluessel.grenz_schluessel(written, None, "sr.geojson", "ID")
    assert list(converted) == list(written) and not art.ne("").any() and befunde == []
    # a Gemeinde file: a 12-digit Kreis ARS is no Gemeinde and stays as written
    converted, art, _ = schluessel.grenz_schluessel(pd.Series(["031510000000", "3"]), "gemeinde", "g", "ARS")
    assert list(converted) == ["031510000000", "3"]


def test_an_11_digit_number_with_two_real_readings_is_refused_naming_both():
    from sozialmonitor.einlesen import schluessel

    # 10041100001 in a number field: Regionalstatistik key of 10041001 (Saarland) or ARS 010041100001 whose zero
    # the number field dropped (01004001, Neumünster) – both Kreise exist
    _, _, befunde = schluessel.grenz_schluessel(pd.Series([10041100001]), "gemeinde", "x.shp", "RS")
    assert len(befunde) == 1 and befunde[0].feld == "RS" and befunde[0].zeile == 1
    assert "mehrdeutig" in befunde[0].meldung and "10041001" in befunde[0].meldung and "01004001" in befunde[0].meldung
    # as text the zero is not lost: only the Regionalstatistik reading
    converted, art, befunde = schluessel.grenz_schluessel(pd.Series(["10041100001"]), "gemeinde", "x", "RS")
    assert list(converted) == ["10041001"] and befunde == []
    # in a number field of the Land 03 the file's other keys decide
    converted, _, befunde = schluessel.grenz_schluessel(pd.Series([31515406001, 10041100001]), "gemeinde", "x", "RS")
    assert list(converted) == ["03151001", "01004001"] and befunde == []


def test_einrichten_with_an_ars_key_field(tmp_path, capsys):
    frame = gifhorn().drop(columns="AGS")
    other = frame.head(2).assign(RS=["160655001001", "160655001002"], GEN=["Anderswo 1", "Anderswo 2"])
    path = write(gpd.GeoDataFrame(pd.concat([frame, other], ignore_index=True), crs=4326), tmp_path / "de.geojson")
    db = tmp_path / "db" / "e.duckdb"
    db.parent.mkdir()
    assert cli.main(["einrichten", "--kreis", "03151", "--grenzen", str(path), "--id-field", "RS", "--db", str(db),
                     "--vorlagen", str(tmp_path / "v")]) == 0
    out = capsys.readouterr().out
    assert codes(db) == EXPECTED
    assert "12-stellige ARS in 8-stellige AGS umgewandelt: 42 " in out  # counted for the Kreis, not the file
    assert "03151010;SR010;Groß Oesingen" in (tmp_path / "v" / "zuordnung_03151.csv").read_text(encoding="utf-8-sig")
    # and with the default --id-field AGS on a file that only has ARS
    db2 = tmp_path / "db" / "e2.duckdb"
    assert cli.main(["einrichten", "--kreis", "Gifhorn", "--grenzen", str(path), "--db", str(db2),
                     "--vorlagen", str(tmp_path / "v2")]) == 0
    assert codes(db2) == EXPECTED


def test_read_boundaries_keeps_the_key_as_written():
    frame = gifhorn()
    data = frame.drop(columns="AGS").to_json().encode()
    shapes = grenzen.read_boundaries(data, "x.geojson", "RS", "GEN", ebene="gemeinde")
    assert list(shapes["code"][:1]) == ["03151001"] and list(shapes["schluessel"][:1]) == ["031515406001"]
    with pytest.raises(EingabeFehler):
        grenzen.read_boundaries(data, "x.geojson", "KEY", "GEN", ebene="gemeinde")
