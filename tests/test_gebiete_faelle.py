"""The import cases of issue 9 about areas, keys and boundaries (tests/faelle/import/, copied from
../shared/cases/import/): a new Kreis without gebiete.csv (00), Regionalstatistik and ARS keys (01), Sozialräume
numbered 1 … 10 (07), KomMonitor Sozialraum boundaries (08), projected coordinates without CRS (09). Each right value
is a test; each refusal is exit 2 with a German message naming file and field, the database byte-identical."""

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pytest
import shapely

from sozialmonitor import cli, importer
from sozialmonitor.daten import db
from sozialmonitor.karten import geometrie
from sozialmonitor.daten import queries

FAELLE = Path(__file__).parent / "faelle" / "import"
GIFHORN = FAELLE / "00-gifhorn-einrichten"
GRENZEN = GIFHORN / "gifhorn_gemeinden_vg250_2016.geojson"
GIEBEL = "03151501"


def register():
    from sozialmonitor.einlesen import register as module  # imported here, so the old code's failures show per test

    return module


def grenzen():
    from sozialmonitor.einlesen import grenzen as module

    return module


def run_cli(*argv) -> int:
    return cli.main([str(a) for a in argv])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(path: Path, sql: str, **params) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def refused(path: Path, capsys, *argv) -> str:
    """Runs an import that must be refused: exit 2, German message, no traceback, database byte-identical."""
    before = digest(path)
    assert run_cli(*argv, "--db", path) == 2
    error = capsys.readouterr().err
    assert error.startswith("Import abgelehnt – die Datenbank bleibt unverändert") or error.startswith("Fehler: ")
    assert "Traceback" not in error
    assert digest(path) == before
    return error


@pytest.fixture(scope="module")
def gifhorn_grenzen(tmp_path_factory) -> Path:
    """Indicators and the VG250 Gemeinden of Gifhorn – nothing else (no gebiete.csv)."""
    path = tmp_path_factory.mktemp("gifhorn") / "gifhorn.duckdb"
    with importer.working_copy(path) as con:
        importer.import_indicators(con, (GIFHORN / "indikatoren.toml").read_bytes(), "indikatoren.toml")
        importer.import_boundaries(con, GRENZEN.read_bytes(), GRENZEN.name, "gemeinde", "AGS", "GEN")
    return path


@pytest.fixture(scope="module")
def gifhorn_komplett(tmp_path_factory, gifhorn_grenzen) -> tuple[Path, list[str]]:
    """The whole set-up of 00-gifhorn-einrichten through the command line, as its README does it; returns the
    database and what the command line printed."""
    path = tmp_path_factory.mktemp("gifhorn_komplett") / "gifhorn.duckdb"
    shutil.copyfile(gifhorn_grenzen, path)
    printed = []
    for kind, name in (("membership", "zuordnung.csv"), ("observations", "beobachtungen.csv"),
                       ("observations", "referenz.csv"), ("targets", "ziele.toml")):
        assert cli.main(["import", kind, str(GIFHORN / name), "--db", str(path)]) == 0, name
    return path, printed


@pytest.fixture
def gifhorn(tmp_path, gifhorn_grenzen) -> Path:
    target = tmp_path / "db" / "gifhorn.duckdb"
    target.parent.mkdir()
    shutil.copyfile(gifhorn_grenzen, target)
    return target


# ---------------------------------------------------------------- 00: a new Kreis without gebiete.csv

def test_register_holds_bund_laender_and_400_kreise():
    frame = register().register()
    assert frame["ebene"].value_counts().to_dict() == {"kreis": 400, "land": 16, "bund": 1}
    by_code = frame.set_index("code")
    assert by_code.loc["03151", ["name", "ebene", "uebergeordnet"]].tolist() == ["Gifhorn", "kreis", "03"]
    assert by_code.loc["03", "name"] == "Niedersachsen" and by_code.loc["03", "uebergeordnet"] == "DG"
    assert by_code.loc["16065", "name"] == "Kyffhäuserkreis"
    text = (Path(register().__file__).parent / register().REGISTER_FILE).read_text(encoding="utf-8")
    assert "© GeoBasis-DE / BKG" in text and "dl-de/by-2-0" in text


def test_gemeinde_boundaries_bring_kreis_land_and_bund_from_the_register(gifhorn_grenzen):
    areas = dict((code, (name, ebene, parent)) for code, name, ebene, parent in rows(
        gifhorn_grenzen, "SELECT code, name, ebene, uebergeordnet FROM gebiete WHERE ebene <> 'gemeinde'"))
    assert areas == {"03151": ("Gifhorn", "kreis", "03"), "03": ("Niedersachsen", "land", "DG"),
                     "DG": ("Deutschland", "bund", None)}
    assert rows(gifhorn_grenzen, "SELECT uebergeordnet, bez FROM gebiete WHERE code = $c", c=GIEBEL) == [
        ("03151", "Gemeindefreies Gebiet")]


def test_gifhorn_sets_up_without_gebiete_csv_and_every_target_has_a_value(gifhorn_komplett):
    path, _ = gifhorn_komplett
    con = db.connect_read_only(path)
    try:
        from sozialmonitor.ziele import auswertung
        _, bewertung = auswertung.load(con)
    finally:
        con.close()
    records = auswertung.json_records(bewertung)
    assert records
    text = json.dumps(records, ensure_ascii=False)
    assert "keine Daten" not in text and "keine_daten" not in text
    kreis = rows(path, "SELECT wert, status, teile_ohne_daten, ohne_daten FROM werte WHERE gebiet = '03151' "
                       "AND indikator = 'sgb2_u10' AND zeitraum = '2023'")
    assert kreis[0][1] == "ok" and kreis[0][0] is not None
    assert kreis[0][2] == 1 and "Giebel (03151501)" in kreis[0][3]
    sassenburg = rows(path, "SELECT status, ohne_daten FROM werte WHERE gebiet = 'EG025' AND indikator = 'alq_u25' "
                            "AND zeitraum = '2023'")
    assert sassenburg == [("ok", "Giebel (03151501): gemeindefrei, ohne Einwohner")]
    # the reference rows of Land 03 and DG found their areas in the register
    assert rows(path, "SELECT gebiet, wert FROM beobachtungen WHERE gebiet IN ('03', 'DG') AND indikator = "
                      "'alq_u25'") == [("03", 5.6), ("DG", 5.3)] or sorted(rows(
        path, "SELECT gebiet, wert FROM beobachtungen WHERE gebiet IN ('03', 'DG') AND indikator = 'alq_u25'")) == [
        ("03", 5.6), ("DG", 5.3)]


def test_the_report_names_the_uninhabited_area(gifhorn, tmp_path):
    with importer.working_copy(gifhorn) as con:
        importer.import_membership(con, (GIFHORN / "zuordnung.csv").read_bytes(), "zuordnung.csv")
        ergebnis = importer.import_observations(con, (GIFHORN / "beobachtungen.csv").read_bytes(),
                                                "beobachtungen.csv")
    assert "03151501 Giebel (gemeindefreies Gebiet)" in ergebnis.zusammenfassung()


def test_gemeindefrei_by_bez_does_not_block_even_with_rows_in_another_indicator(gifhorn, tmp_path):
    file = tmp_path / "giebel.csv"
    file.write_text("gebiet;indikator;zeitraum;zaehler;nenner;wert\n03151501;bev_u10;2021;;;0\n", encoding="utf-8")
    with importer.working_copy(gifhorn) as con:
        importer.import_observations(con, (GIFHORN / "beobachtungen.csv").read_bytes(), "beobachtungen.csv")
        importer.import_observations(con, file.read_bytes(), file.name)
    assert rows(gifhorn, "SELECT status FROM werte WHERE gebiet = '03151' AND indikator = 'sgb2_u10' "
                         "AND zeitraum = '2021'") == [("ok",)]


def test_a_gemeinde_with_rows_missing_for_one_period_still_blocks(gifhorn, tmp_path):
    """Only an area without any row (or gemeindefrei) is left out; a gap in a reported Gemeinde is not."""
    lines = (GIFHORN / "beobachtungen.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("03151001;sgb2_u10;2021")]
    file = tmp_path / "luecke.csv"
    file.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with importer.working_copy(gifhorn) as con:
        importer.import_observations(con, file.read_bytes(), file.name)
    assert rows(gifhorn, "SELECT status, teile_fehlend FROM werte WHERE gebiet = '03151' AND indikator = 'sgb2_u10' "
                         "AND zeitraum = '2021'") == [("unvollstaendig", 1)]


def test_gebiete_csv_stays_an_override(tmp_path):
    path = tmp_path / "db" / "o.duckdb"
    path.parent.mkdir()
    table = tmp_path / "gebiete.csv"
    table.write_text("gebiet;name;ebene;uebergeordnet\n03151;Landkreis Gifhorn;kreis;03\n", encoding="utf-8")
    with importer.working_copy(path) as con:
        importer.import_areas_table(con, table.read_bytes(), table.name)
        importer.import_boundaries(con, GRENZEN.read_bytes(), GRENZEN.name, "gemeinde", "AGS", "GEN")
    assert rows(path, "SELECT name FROM gebiete WHERE code = '03151'") == [("Landkreis Gifhorn",)]
    assert rows(path, "SELECT name FROM gebiete WHERE code = '03'") == [("Niedersachsen",)]


def test_a_kreis_not_in_the_register_is_reported(tmp_path, capsys):
    frame = gpd.GeoDataFrame({"AGS": ["03152001", "03152002"], "GEN": ["Altort", "Neuort"]},
                             geometry=[shapely.box(10.0, 51.5, 10.01, 51.51), shapely.box(10.01, 51.5, 10.02, 51.51)],
                             crs=4326)
    file = tmp_path / "alt.geojson"
    frame.to_file(file)
    path = tmp_path / "db" / "alt.duckdb"
    path.parent.mkdir()
    assert run_cli("import", "areas", file, "--db", path) == 0
    out = capsys.readouterr().out
    assert "Der Kreis 03152 steht nicht im Gebietsregister" in out
    assert "03152001" in out
    assert rows(path, "SELECT count(*) FROM gebiete WHERE ebene <> 'gemeinde'") == [(0,)]  # nothing invented


def test_attribution_is_the_boundary_files_own(gifhorn_grenzen, demo_db):
    con = db.connect_read_only(gifhorn_grenzen)
    try:
        text = grenzen().quellen_text(queries.run_query(con, "grenzen_quellen"))
    finally:
        con.close()
    assert text.startswith("Grenzen: © GeoBasis-DE / BKG (2016)")
    assert "Gebietsstand 2021 abgeleitet" not in text  # the demo's text is the demo's
    con = db.connect_read_only(demo_db)
    try:
        assert "Gebietsstand 2021 abgeleitet" in grenzen().quellen_text(queries.run_query(con, "grenzen_quellen"))
    finally:
        con.close()


def test_attribution_given_on_the_command_line_is_stored(tmp_path, capsys):
    path = tmp_path / "db" / "q.duckdb"
    path.parent.mkdir()
    assert run_cli("import", "areas", GRENZEN, "--db", path, "--quelle", "Landkreis Gifhorn, FD Vermessung") == 0
    assert rows(path, "SELECT ebene, quelle FROM grenzen_quellen") == [("gemeinde", "Landkreis Gifhorn, FD Vermessung")]


# ---------------------------------------------------------------- 01: Regionalstatistik and ARS keys

def test_regionalstatistik_keys_are_converted_to_the_ags(gifhorn, capsys):
    case = FAELLE / "01-regionalstatistik-schluessel"
    assert run_cli("import", "indicators", case / "alo.toml", "--db", gifhorn) == 0
    assert run_cli("import", "observations", case / "alo_2016_regionalstatistik.csv", "--db", gifhorn) == 0
    out = capsys.readouterr().out
    assert "11-stelliger Schlüssel der Regionalstatistik" in out and "03151401002 → 03151002" in out
    assert "Gemeindeverband" in out and "03151401" in out
    stored = dict((g, (w, s)) for g, w, s in rows(
        gifhorn, "SELECT gebiet, wert, status FROM beobachtungen WHERE indikator = 'alo_15_u25'"))
    assert stored["03151002"] == (0.0, "ok")
    assert stored["03151017"] == (34.0, "ok")
    assert stored["03151009"] == (193.0, "ok")
    assert stored["03151"] == (524.0, "ok")
    assert stored[GIEBEL][1] == "entfaellt"
    assert not any(code.startswith("031514") and len(code) != 8 for code in stored)
    assert "03151401" not in stored
    assert len(stored) == 43  # 50 lines: 7 Gemeindeverbände left out


def test_ars_keys_are_converted_to_the_ags(gifhorn, capsys):
    case = FAELLE / "01-regionalstatistik-schluessel"
    assert run_cli("import", "observations", case / "bev_ars12.csv", "--db", gifhorn) == 0
    out = capsys.readouterr().out
    assert "Amtlicher Regionalschlüssel (ARS)" in out and "031510009009 → 03151009" in out
    assert "führende Null" in out and "31515406016 → 03151016" in out
    assert sorted(rows(gifhorn, "SELECT gebiet, wert FROM beobachtungen WHERE indikator = 'bev_u10' AND zeitraum = "
                                "'2022'")) == [("03151001", 170.0), ("03151009", 4012.0), ("03151016", 812.0)]


def test_an_ambiguous_key_is_refused_naming_both(gifhorn, tmp_path, capsys):
    areas = tmp_path / "gebiete.csv"
    areas.write_text("gebiet;name;ebene;uebergeordnet\n31515016;Sozialraum Nord;sozialraum;03151\n",
                     encoding="utf-8")
    assert run_cli("import", "areas", areas, "--db", gifhorn) == 0
    capsys.readouterr()
    values = tmp_path / "werte.csv"
    values.write_text("gebiet;indikator;zeitraum;zaehler;nenner;wert\n31515406016;bev_u10;2022;;;812\n",
                      encoding="utf-8")
    error = refused(gifhorn, capsys, "import", "observations", values)
    assert "werte.csv, Zeile 2, Feld „gebiet“" in error
    assert "mehrdeutig" in error and "03151016" in error and "31515016" in error


def test_converted_keys_that_meet_a_written_ags_are_refused(gifhorn, tmp_path, capsys):
    values = tmp_path / "doppelt.csv"
    values.write_text("gebiet;indikator;zeitraum;zaehler;nenner;wert\n03151002;bev_u10;2022;;;10\n"
                      "03151401002;bev_u10;2022;;;11\n", encoding="utf-8")
    error = refused(gifhorn, capsys, "import", "observations", values)
    assert "Zeile 3" in error and "steht mehrfach in der Datei" in error


# ---------------------------------------------------------------- 07: Sozialräume numbered 1 … 10

@pytest.mark.parametrize("datei", ["familienlotsen_sozialraum.csv", "familienlotsen_sr3.csv"])
def test_sozialraum_3_is_not_land_03(gifhorn, capsys, datei):
    case = FAELLE / "07-sozialraum-nummern"
    assert run_cli("import", "membership", case / "zuordnung_nummern.csv", "--db", gifhorn) == 0
    assert run_cli("import", "observations", case / datei, "--db", gifhorn) == 0
    assert rows(gifhorn, "SELECT count(*) FROM beobachtungen WHERE gebiet = '03'") == [(0,)]
    assert rows(gifhorn, "SELECT DISTINCT gebiet FROM beobachtungen WHERE indikator = 'familienlotsen' "
                         "AND gebiet = '3'") == [("3",)]
    assert rows(gifhorn, "SELECT ebene, name FROM gebiete WHERE code = '3'") == [("sozialraum", "SG Brome")]
    assert rows(gifhorn, "SELECT ebene, name FROM gebiete WHERE code = '03'") == [("land", "Niedersachsen")]


def test_a_number_without_its_sozialraum_is_refused_not_padded(gifhorn, capsys):
    case = FAELLE / "07-sozialraum-nummern"
    error = refused(gifhorn, capsys, "import", "observations", case / "familienlotsen_sr3.csv")
    assert "Zeile 2, Feld „gebiet“: Das Gebiet „3“ ist unbekannt" in error
    assert "zweistellig" in error


def test_a_four_digit_sozialraum_with_leading_zero_stays_as_written(gifhorn, tmp_path, capsys):
    membership = tmp_path / "zuordnung.csv"
    lines = (FAELLE / "07-sozialraum-nummern" / "zuordnung_nummern.csv").read_text(encoding="utf-8").splitlines()
    membership.write_text("\n".join([lines[0]] + [line.replace(";3;", ";0110;") for line in lines[1:]]) + "\n",
                          encoding="utf-8")
    assert run_cli("import", "membership", membership, "--db", gifhorn) == 0
    values = tmp_path / "werte.csv"
    values.write_text("gebiet;indikator;zeitraum;zaehler;nenner;wert\n0110;familienlotsen;2023;;;2\n",
                      encoding="utf-8")
    assert run_cli("import", "observations", values, "--db", gifhorn) == 0
    assert rows(gifhorn, "SELECT gebiet FROM beobachtungen WHERE indikator = 'familienlotsen'") == [("0110",)]
    assert rows(gifhorn, "SELECT ebene FROM gebiete WHERE code = '0110'") == [("sozialraum",)]


# ---------------------------------------------------------------- 08: KomMonitor Sozialraum boundaries

KOMMONITOR = FAELLE / "08-sozialraum-grenzen" / "kommonitor_sozialraeume_gifhorn.geojson"


def import_sozialraum_grenzen(path: Path, *extra) -> int:
    return run_cli("import", "areas", KOMMONITOR, "--level", "sozialraum", "--id-field", "ID", "--name-field", "NAME",
                   "--db", path, *extra)


def test_sozialraum_boundaries_are_kept_as_imported_under_their_own_codes(gifhorn, capsys):
    assert import_sozialraum_grenzen(gifhorn) == 0
    assert "10 neu" in capsys.readouterr().out
    source = gpd.read_file(KOMMONITOR)
    stored = dict(rows(gifhorn, "SELECT gebiet, original_wkb FROM geometrien WHERE gebiet IN "
                                "(SELECT code FROM gebiete WHERE ebene = 'sozialraum')"))
    assert sorted(stored, key=int) == [str(i) for i in range(1, 11)]
    for code, geometry in zip(source["ID"].astype(str), source.geometry):
        assert shapely.equals(geometrie.from_wkb([stored[code]])[0], geometry), code
    # a membership file naming the same Sozialräume does not dissolve them away
    assert run_cli("import", "membership", FAELLE / "07-sozialraum-nummern" / "zuordnung_nummern.csv",
                   "--db", gifhorn) == 0
    after = dict(rows(gifhorn, "SELECT gebiet, original_wkb FROM geometrien WHERE gebiet IN "
                               "(SELECT code FROM gebiete WHERE ebene = 'sozialraum')"))
    assert after == stored
    con = db.connect_read_only(gifhorn)
    try:
        shown = queries.run_query(con, "area_geometries", ebene="sozialraum")
    finally:
        con.close()
    assert len(shown) == 10  # "10 neu" → 10 areas on the map


def test_sozialraum_ids_never_touch_land_03_even_with_replace(gifhorn, capsys):
    assert import_sozialraum_grenzen(gifhorn, "--replace") == 0
    assert rows(gifhorn, "SELECT ebene, name FROM gebiete WHERE code = '03'") == [("land", "Niedersachsen")]
    assert rows(gifhorn, "SELECT count(*) FROM geometrien WHERE gebiet = '03'") == [(0,)]
    assert rows(gifhorn, "SELECT DISTINCT uebergeordnet FROM gebiete WHERE ebene = 'sozialraum'") == [("03151",)]


def test_a_boundary_code_of_another_level_is_refused(gifhorn, tmp_path, capsys):
    frame = gpd.read_file(KOMMONITOR).head(1).assign(ID="03")
    file = tmp_path / "sr.geojson"
    frame.to_file(file)
    error = refused(gifhorn, capsys, "import", "areas", file, "--level", "sozialraum", "--id-field", "ID",
                    "--name-field", "NAME", "--replace")
    assert "Der Schlüssel 03 gehört schon Niedersachsen (Ebene land)" in error


def test_kommonitor_date_values_import_as_observations(gifhorn, capsys):
    assert import_sozialraum_grenzen(gifhorn) == 0
    assert run_cli("import", "observations", KOMMONITOR, "--indikator", "sgb2_u10", "--db", gifhorn) == 0
    stored = dict((g, (z, w)) for g, z, w in rows(
        gifhorn, "SELECT gebiet, zeitraum, wert FROM beobachtungen WHERE indikator = 'sgb2_u10'"))
    assert len(stored) == 10
    assert stored["1"] == ("2020", 12.5) and stored["5"] == ("2020", 15.2)


def test_kommonitor_values_without_indicator_are_refused(gifhorn, capsys):
    assert import_sozialraum_grenzen(gifhorn) == 0
    capsys.readouterr()
    error = refused(gifhorn, capsys, "import", "observations", KOMMONITOR)
    assert "--indikator" in error


def test_kommonitor_dates_become_periods():
    assert grenzen().zeitraum_aus_datum("2020", "12", "31") == "2020"
    assert grenzen().zeitraum_aus_datum("2021", "06", "30") == "2021-06"


# ---------------------------------------------------------------- 09: projected coordinates without CRS

PROJIZIERT = FAELLE / "09-projiziert-ohne-crs"


def test_metres_without_crs_are_refused_with_how_to_name_the_crs(gifhorn, capsys):
    error = refused(gifhorn, capsys, "import", "areas", PROJIZIERT / "gifhorn_25832_ohne_crs.geojson")
    assert "gifhorn_25832_ohne_crs.geojson, Feld „Koordinatensystem“" in error
    assert "keine Längen/Breiten" in error
    assert "EPSG:25832" in error and "--crs EPSG:25832" in error


def test_metres_with_crs_import_as_the_same_places(tmp_path, capsys):
    path = tmp_path / "db" / "m.duckdb"
    path.parent.mkdir()
    assert run_cli("import", "areas", PROJIZIERT / "gifhorn_25832_mit_crs.geojson", "--db", path) == 0
    wkb = [w for (w,) in rows(path, "SELECT original_wkb FROM geometrien")]
    expected = gpd.read_file(GRENZEN).total_bounds  # the same Gemeinden in EPSG:4326 (VG250)
    assert shapely.total_bounds(geometrie.from_wkb(wkb)) == pytest.approx(expected, abs=0.01)
    # the same file without crs, with the CRS named on the command line: the same shapes
    assert run_cli("import", "areas", PROJIZIERT / "gifhorn_25832_ohne_crs.geojson", "--crs", "EPSG:25832",
                   "--db", path) == 0
    assert "42 unverändert" in capsys.readouterr().out


def test_an_unknown_crs_name_is_refused(gifhorn, capsys):
    error = refused(gifhorn, capsys, "import", "areas", PROJIZIERT / "gifhorn_25832_ohne_crs.geojson",
                    "--crs", "EPSG:999999")
    assert "Feld „--crs“" in error and "unbekannt" in error


def test_swapped_latitude_and_longitude_is_refused(gifhorn, tmp_path, capsys):
    frame = gpd.read_file(GRENZEN)
    frame["geometry"] = shapely.transform(frame.geometry.values, lambda xy: xy[:, ::-1])
    file = tmp_path / "vertauscht.geojson"
    frame.to_file(file)
    error = refused(gifhorn, capsys, "import", "areas", file)
    assert "vertauscht.geojson, Feld „Koordinatensystem“: Länge und Breite sind vertauscht" in error


# ---------------------------------------------------------------- einrichten: a Kreis in one step

def test_einrichten_filters_a_germany_file_to_the_kreis_and_writes_templates(tmp_path, capsys):
    germany = tmp_path / "deutschland.geojson"
    frame = gpd.read_file(GRENZEN)
    other = frame.head(2).assign(AGS=["16065001", "16065002"], GEN=["Anderswo 1", "Anderswo 2"])
    gpd.GeoDataFrame(pd.concat([frame, other], ignore_index=True), crs=4326).to_file(germany)
    path = tmp_path / "db" / "neu.duckdb"
    path.parent.mkdir()
    assert run_cli("einrichten", "--kreis", "Gifhorn", "--grenzen", germany, "--db", path,
                   "--vorlagen", tmp_path / "vorlagen") == 0
    out = capsys.readouterr().out
    assert "Kreis 03151 Gifhorn eingerichtet" in out
    assert rows(path, "SELECT count(*) FROM gebiete WHERE ebene = 'gemeinde'") == [(42,)]
    assert rows(path, "SELECT count(*) FROM gebiete WHERE code LIKE '16%'") == [(0,)]
    assert sorted(rows(path, "SELECT code, ebene FROM gebiete WHERE ebene <> 'gemeinde'")) == [
        ("03", "land"), ("03151", "kreis"), ("DG", "bund")]
    assert rows(path, "SELECT count(*) FROM indikatoren") == [(7,)]
    membership = (tmp_path / "vorlagen" / "zuordnung_03151.csv").read_text(encoding="utf-8-sig").splitlines()
    assert membership[0] == "gebiet;sozialraum;sozialraum_name" and len(membership) == 43
    assert "03151501;SR501;Giebel" in membership
    observations = (tmp_path / "vorlagen" / "beobachtungen_03151.csv").read_text(encoding="utf-8-sig")
    assert "03151001;sgb2_u10;" in observations and "\nDG;sgb2_u10;" in observations
    assert GIEBEL not in observations  # a gemeindefreies Gebiet has no inhabitants to count
    # the membership template imports as it is
    assert run_cli("import", "membership", tmp_path / "vorlagen" / "zuordnung_03151.csv", "--db", path) == 0


def test_einrichten_reads_a_shapefile_by_its_shp(tmp_path, capsys):
    folder = tmp_path / "vg250"
    folder.mkdir()
    gpd.read_file(GRENZEN).to_file(folder / "VG250_GEM.shp")
    path = tmp_path / "db" / "shp.duckdb"
    path.parent.mkdir()
    assert run_cli("einrichten", "--kreis", "03151", "--grenzen", folder / "VG250_GEM.shp", "--db", path,
                   "--vorlagen", tmp_path / "v") == 0
    assert rows(path, "SELECT count(*) FROM geometrien") == [(42,)]


def test_einrichten_refuses_an_unknown_kreis(tmp_path, capsys):
    path = tmp_path / "db" / "x.duckdb"
    path.parent.mkdir()
    assert run_cli("einrichten", "--kreis", "99999", "--grenzen", GRENZEN, "--db", path) == 2
    assert "kein Kreis des Gebietsregisters" in capsys.readouterr().err
    assert not path.exists()


def test_einrichten_refuses_a_file_without_the_kreis(tmp_path, capsys):
    path = tmp_path / "db" / "y.duckdb"
    path.parent.mkdir()
    assert run_cli("einrichten", "--kreis", "16065", "--grenzen", GRENZEN, "--db", path) == 2
    assert "keine Gemeinde des Kreises 16065" in capsys.readouterr().err
    assert not path.exists()


# ---------------------------------------------------------------- schema 7: a version-6 database upgrades

def test_a_schema_6_database_upgrades_and_keeps_its_boundaries(gifhorn, capsys):
    con = duckdb.connect(str(gifhorn))
    for table in ("gebiete", "gebiete_historie"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN bez")
    con.execute("DROP TABLE grenzen_quellen")
    con.execute("UPDATE schema_version SET version = 6")
    con.close()
    before = rows(gifhorn, "SELECT code, name, ebene, uebergeordnet FROM gebiete ORDER BY code")
    assert run_cli("upgrade", "--db", gifhorn) == 0
    assert rows(gifhorn, "SELECT code, name, ebene, uebergeordnet FROM gebiete ORDER BY code") == before
    assert rows(gifhorn, "SELECT max(version) FROM schema_version") == [(db.SCHEMA_VERSION,)]
    con = db.connect_read_only(gifhorn)
    try:
        text = grenzen().quellen_text(queries.run_query(con, "grenzen_quellen"))
    finally:
        con.close()
    assert text == f"Grenzen aus „{GRENZEN.name}“ (Quelle nicht angegeben)"  # never someone else's attribution
    frame = gpd.read_file(KOMMONITOR)
    assert import_sozialraum_grenzen(gifhorn) == 0
    assert len(frame) == rows(gifhorn, "SELECT count(*) FROM gebiete WHERE ebene = 'sozialraum'")[0][0]
