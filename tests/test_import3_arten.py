"""Issue 18, one test group per kind beyond the three import-3 examples (test_import3_faelle.py): heading blocks
and row filters, a planner's own numbers, full VG250 files, boundary formats by content, invisible characters and
a second heading line, refusals in German. Each group has a test that fails on the code before issue 18."""

import io
import zipfile
from pathlib import Path

import duckdb
import geopandas as gpd
import openpyxl
import pytest
import shapely

from conftest import run_cli, snapshot
from sozialmonitor import importer
from sozialmonitor.einlesen import profile
from sozialmonitor.errors import EingabeFehler

FAELLE = Path(__file__).parent / "faelle" / "import-3"
GENESIS = FAELLE / "01-genesis-12411-drei-kopfzeilen-vorgaenger"
FLENSBURG = FAELLE / "08-flensburg-stadtteilnummern-als-laender"
VG250 = FAELLE / "04-vg250-geopackage-ebenen-wasserflaechen" / "DE_VG250.gpkg"
HEADER = "gebiet;indikator;zeitraum;zaehler;nenner;wert\n"


def values(db_path: Path) -> dict[tuple[str, str], float]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {(g, z): w for g, z, w in con.execute("SELECT gebiet, zeitraum, wert FROM beobachtungen").fetchall()}
    finally:
        con.close()


def areas(db_path: Path) -> dict[str, str]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return dict(con.execute("SELECT code, ebene FROM gebiete").fetchall())
    finally:
        con.close()


def profil(db_path: Path, text: str, name: str) -> None:
    folder = db_path.parent / "profile"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.toml").write_text(text, encoding="utf-8")


@pytest.fixture
def kyffhaeuser(tmp_path) -> Path:
    db_path = tmp_path / "db" / "k.duckdb"
    db_path.parent.mkdir()
    assert run_cli("einrichten", "--kreis", "16065", "--grenzen", GENESIS / "kyffhaeuserkreis_gemeinden_2024_abgeleitet"
                   ".geojson", "--db", db_path, "--vorlagen", tmp_path / "v") == 0
    assert run_cli("import", "indicators", GENESIS / "indikatoren.toml", "--db", db_path) == 0
    return db_path


@pytest.fixture
def flensburg(tmp_path) -> Path:
    db_path = tmp_path / "db" / "f.duckdb"
    db_path.parent.mkdir()
    assert run_cli("einrichten", "--kreis", "01001", "--grenzen", FLENSBURG / "flensburg_gemeinde_vg250_2016.geojson",
                   "--db", db_path, "--vorlagen", tmp_path / "v") == 0
    assert run_cli("import", "indicators", FLENSBURG / "indikatoren.toml", "--db", db_path) == 0
    assert run_cli("import", "areas", FLENSBURG / "flensburg_stadtteile.zip", "--level", "sozialraum", "--id-field",
                   "AREA_ID", "--name-field", "AREA_NAME", "--db", db_path) == 0
    return db_path


# ---------------------------------------------------------------- 1. heading blocks, row filter, Stichtag

def test_the_genesis_sum_column_is_taken_not_the_first_age_group(kyffhaeuser):
    """Old code: the first row holding "Insgesamt" (row 8) and its first such column – "unter 3 Jahre", 1.667."""
    profil(kyffhaeuser, (GENESIS / "profile" / "genesis_12411_insgesamt.toml").read_text("utf-8"),
           "genesis_12411_insgesamt")
    assert run_cli("import", "observations", GENESIS / "12411-02-03-5_ohne_aufgeloeste_gemeinden.csv", "--profil",
                   "genesis_12411_insgesamt", "--vorgaenger", "--db", kyffhaeuser) == 0
    stored = values(kyffhaeuser)
    assert stored[("16065", "2015")] == 77110 and stored[("DG", "2015")] == 82175684
    assert stored[("16065086", "2015")] == 7002  # Artern from its three predecessors


def test_a_leaf_name_of_several_columns_is_refused_naming_each(kyffhaeuser, capsys):
    profil(kyffhaeuser, 'name = "u3"\n[spalten]\ngebiet = 1\nwert = "unter 3 Jahre"\n'
                        '[fest]\nindikator = "bev_insgesamt"\nzeitraum = "2015"\n', "u3")
    before = snapshot(kyffhaeuser)
    assert run_cli("import", "observations", GENESIS / "12411-02-03-5_ohne_aufgeloeste_gemeinden.csv", "--profil",
                   "u3", "--db", kyffhaeuser) == 2
    error = capsys.readouterr().err
    assert "„unter 3 Jahre“ passt zu 3 Spalten" in error
    for column, group in (("C", "Insgesamt"), ("U", "männlich"), ("AM", "weiblich")):
        assert f"Spalte {column} „{group} › Altersgruppen (unter 3 bis 75 u.m.) › unter 3 Jahre“" in error
    assert snapshot(kyffhaeuser) == before


def test_the_page_suggests_heading_row_10_and_shows_whole_paths():
    """Old code: row 8 (the first full text row), and columns by the cells of that row only."""
    data = (GENESIS / "12411-02-03-5_kyffhaeuserkreis_2015.csv").read_bytes()
    assert profile.kopfzeile_vorschlag(data, "g.csv") == 10
    headings = profile.ueberschriften(data, "g.csv", None, 10)
    assert headings["Insgesamt › Altersgruppen (unter 3 bis 75 u.m.) › Insgesamt"] == \
        "Insgesamt › Altersgruppen (unter 3 bis 75 u.m.) › Insgesamt"
    assert headings["Spalte A (ohne Überschrift)"] == 1
    saved = profile.aus_toml(profile.Profil(name="g", spalten={"gebiet": 1, "wert": headings[
        "Insgesamt › Altersgruppen (unter 3 bis 75 u.m.) › Insgesamt"]}, fest={"indikator": "x", "zeitraum": "2015"},
        kopfzeile=10).als_toml(), "g.toml")
    frame = saved.tabelle(data, "g.csv").frame
    assert frame.loc[frame["gebiet"].eq("16065"), "wert"].tolist() == ["77110"]


def test_merged_group_headings_in_excel(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "Gebiet"
    sheet.merge_cells("A1:A2")
    for first, label in ((2, "Insgesamt"), (4, "weiblich")):
        sheet.cell(1, first, label)
        sheet.merge_cells(start_row=1, start_column=first, end_row=1, end_column=first + 1)
        sheet.cell(2, first, "unter 3")
        sheet.cell(2, first + 1, "Insgesamt")
    sheet.append(["16065", 1667, 77110, 784, 38678])
    buffer = io.BytesIO()
    workbook.save(buffer)
    layout = profile.Profil(name="x", spalten={"gebiet": "Gebiet", "wert": "weiblich › Insgesamt"},
                            fest={"indikator": "x", "zeitraum": "2015"})
    assert layout.tabelle(buffer.getvalue(), "t.xlsx").frame["wert"].tolist() == ["38678"]
    total = profile.Profil(name="x", spalten={"gebiet": "Gebiet", "wert": "Insgesamt"},
                           fest={"indikator": "x", "zeitraum": "2015"})
    assert total.tabelle(buffer.getvalue(), "t.xlsx").frame["wert"].tolist() == ["77110"]


LONG = ("Stichtag;Schlüssel;Altersgruppe;;Anzahl\n"
        "31.12.2015;16065;unter 18;a;13000\n31.12.2015;16065;Insgesamt;a;77110\n"
        "31.12.2015;16065067;unter 18;a;3500\n31.12.2015;16065067;Insgesamt;b;22039\n")


@pytest.mark.parametrize("zeilenfilter", ['Altersgruppe = "Insgesamt"', '"Spalte C" = ["Insgesamt"]'])
def test_a_row_filter_keeps_the_category_and_a_stichtag_is_the_year(kyffhaeuser, tmp_path, zeilenfilter):
    """Old code: no [filter] (refused as unknown key); a Stichtag column 31.12.2015 refused as period."""
    profil(kyffhaeuser, f'name = "lang"\n[spalten]\ngebiet = "Schlüssel"\nwert = "Anzahl"\nzeitraum = "Stichtag"\n'
                        f'[fest]\nindikator = "bev_insgesamt"\n[filter]\n{zeilenfilter}\n', "lang")
    path = tmp_path / "lang.csv"
    path.write_text(LONG, encoding="utf-8")
    assert run_cli("import", "observations", path, "--profil", "lang", "--db", kyffhaeuser) == 0
    stored = values(kyffhaeuser)
    assert stored[("16065", "2015")] == 77110 and stored[("16065067", "2015")] == 22039


def test_a_filter_on_a_column_without_heading(kyffhaeuser, tmp_path):
    profil(kyffhaeuser, 'name = "ohne"\n[spalten]\ngebiet = "Schlüssel"\nwert = "Anzahl"\nzeitraum = "Stichtag"\n'
                        '[fest]\nindikator = "bev_insgesamt"\n[filter]\n"Spalte D" = "b"\n', "ohne")
    path = tmp_path / "lang.csv"
    path.write_text(LONG, encoding="utf-8")
    assert run_cli("import", "observations", path, "--profil", "ohne", "--db", kyffhaeuser) == 0
    assert values(kyffhaeuser) == {("16065067", "2015"): 22039}


def test_dissolved_gemeinden_are_reported_and_left_out(kyffhaeuser, capsys):
    """Old code: the raw file refused as a whole ("16065004 ist unbekannt")."""
    profil(kyffhaeuser, (GENESIS / "profile" / "genesis_12411_insgesamt.toml").read_text("utf-8"),
           "genesis_12411_insgesamt")
    assert run_cli("import", "observations", GENESIS / "12411-02-03-5_kyffhaeuserkreis_2015.csv", "--profil",
                   "genesis_12411_insgesamt", "--vorgaenger", "--db", kyffhaeuser) == 0
    out = capsys.readouterr().out
    assert "Ausgelassen: 8 Zeilen von Gemeinden, die es nicht mehr gibt" in out and "16065004 (Zeile 17)" in out
    assert values(kyffhaeuser)[("16065067", "2015")] == 22039


def test_an_unknown_gemeinde_with_numbers_is_still_refused(kyffhaeuser, tmp_path):
    path = tmp_path / "b.csv"
    path.write_text(HEADER + "16065004;bev_insgesamt;2015;;;12\n", encoding="utf-8")
    assert run_cli("import", "observations", path, "--db", kyffhaeuser) == 2


# ---------------------------------------------------------------- 2. a planner's own numbers

def test_own_numbers_are_refused_naming_every_row_with_the_land_it_would_be(flensburg, capsys):
    """Old code: lines 2–10 named (1–9 unknown), nothing about 10–13; corrected, they were stored under Länder."""
    profil(flensburg, (FLENSBURG / "profile" / "flensburg_tab1.toml").read_text("utf-8"), "flensburg_tab1")
    before = snapshot(flensburg)
    assert run_cli("import", "observations", FLENSBURG / "tab_1_einwohner_in_stadtteilen_2011_bis_2021.csv",
                   "--profil", "flensburg_tab1", "--db", flensburg) == 2
    error = capsys.readouterr().err
    for line in range(2, 11):
        assert f"Zeile {line}, Feld „gebiet“: Das Gebiet „{line - 1}“ ist unbekannt" in error
    # the hint for 1–9 leads to the numbering, not to writing a Land's key (1 → 01 made them Länder; fresh tester)
    assert "Ein Land wird zweistellig geschrieben" not in error
    assert error.count("Sind es eigene Nummern (etwa Stadtteile 1, 2, 3 …)") >= 9
    for line, land in ((11, "Saarland"), (12, "Berlin"), (13, "Brandenburg"), (14, "Mecklenburg-Vorpommern")):
        assert f"Zeile {line}, Feld „gebiet“: {line - 1} wäre das Land {land}" in error
    assert snapshot(flensburg) == before


def test_the_second_try_is_refused_and_names_the_confirmation(flensburg, capsys):
    assert run_cli("import", "observations", FLENSBURG / "einwohner_2020_zweiter_versuch.csv", "--db",
                   flensburg) == 2
    error = capsys.readouterr().err
    assert "Zeile 12, Feld „gebiet“: 11 wäre das Land Berlin" in error and "--neue-gebiete" in error
    assert not {"10", "11", "12", "13"} & set(areas(flensburg))


def test_a_declared_numbering_stores_under_the_stadtteile(flensburg):
    text = (FLENSBURG / "profile" / "flensburg_tab1.toml").read_text("utf-8").replace(
        'name = "flensburg_tab1"', 'name = "flensburg_tab1"\nnummern = "STGT##"')
    profil(flensburg, text, "flensburg_tab1")
    assert run_cli("import", "observations", FLENSBURG / "tab_1_einwohner_in_stadtteilen_2011_bis_2021.csv",
                   "--profil", "flensburg_tab1", "--db", flensburg) == 0
    stored = values(flensburg)
    assert stored[("STGT11", "2020")] == 15283 and stored[("STGT01", "2011")] == 3323
    assert not {"10", "11", "12", "13"} & set(areas(flensburg))
    assert run_cli("import", "observations", FLENSBURG / "einwohner_2020_stadtteil_id.csv", "--nummern", "STGT##",
                   "--db", flensburg) == 0  # the same for a file in the interchange format


def test_reference_data_creates_laender_and_a_confirmation_allows_a_mixed_file(flensburg, tmp_path):
    reference = tmp_path / "laender.csv"
    reference.write_text(HEADER + "DG;bev_insgesamt;2020;;;83000000\n11;bev_insgesamt;2020;;;3664088\n"
                                  "01001;bev_insgesamt;2020;;;89934\n", encoding="utf-8")
    assert run_cli("import", "observations", reference, "--db", flensburg) == 0
    assert areas(flensburg)["11"] == "land"
    mixed = tmp_path / "gemischt.csv"
    mixed.write_text(HEADER + "STGT01;bev_insgesamt;2021;;;3700\n02;bev_insgesamt;2021;;;1850000\n",
                     encoding="utf-8")
    assert run_cli("import", "observations", mixed, "--db", flensburg) == 2
    assert run_cli("import", "observations", mixed, "--neue-gebiete", "--db", flensburg) == 0
    assert values(flensburg)[("02", "2021")] == 1850000


# ---------------------------------------------------------------- 3. Germany-wide VG250

def test_vg250_water_areas_are_reported_and_a_duplicate_in_the_kreis_still_refused(tmp_path, capsys):
    db_path = tmp_path / "db" / "n.duckdb"
    db_path.parent.mkdir()
    assert run_cli("einrichten", "--kreis", "01054", "--grenzen", VG250, "--layer", "vg250_gem", "--db", db_path,
                   "--vorlagen", tmp_path / "v") == 0
    out = capsys.readouterr().out
    assert "Wasserflächen (VG250 GF 2) von 1 Gemeinde weggelassen" in out and "01054168 Sylt" in out
    assert "03452020" not in out  # Norderney's water area is another Kreis' concern
    frame = gpd.read_file(VG250, layer="vg250_gem")
    sylt = frame[frame["AGS"].eq("01054168") & frame["GF"].eq(4)]
    doubled = tmp_path / "doppelt.gpkg"
    gpd.GeoDataFrame(
        __import__("pandas").concat([frame[frame["AGS"].str.startswith("01054")], sylt]), crs=frame.crs
    ).to_file(doubled, layer="vg250_gem")
    db2 = tmp_path / "db2" / "n.duckdb"
    db2.parent.mkdir()
    assert run_cli("einrichten", "--kreis", "01054", "--grenzen", doubled, "--db", db2, "--vorlagen",
                   tmp_path / "v2") == 2
    assert "Der Schlüssel 01054168 kommt doppelt vor" in capsys.readouterr().err


# ---------------------------------------------------------------- 4. boundary formats by content

def _stadtteile_kml(folder: Path) -> tuple[Path, Path]:
    frame = gpd.read_file(FLENSBURG / "flensburg_stadtteile.zip").to_crs(4326)
    frame = frame[["AREA_ID", "AREA_NAME", "geometry"]].rename(columns={"AREA_ID": "Name",
                                                                        "AREA_NAME": "description"})
    kml = folder / "stadtteile.kml"
    frame.to_file(kml, driver="KML")
    kmz = folder / "stadtteile.kmz"
    with zipfile.ZipFile(kmz, "w") as archive:
        archive.write(kml, "doc.kml")
    return kml, kmz


@pytest.mark.parametrize("which", ["kml", "kmz", "kml_als_csv"])
def test_kml_and_kmz_are_read_as_boundaries(tmp_path, which):
    """Old code: a KML went to the CSV reader, a KMZ was refused (no .shp/.gpkg/.geojson in the ZIP)."""
    db_path = tmp_path / "db" / "f.duckdb"
    db_path.parent.mkdir()
    kml, kmz = _stadtteile_kml(tmp_path)
    path = {"kml": kml, "kmz": kmz}.get(which) or kml.rename(tmp_path / "stadtteile.csv")
    assert run_cli("import", "areas", path, "--level", "sozialraum", "--id-field", "Name", "--name-field",
                   "description", "--db", db_path) == 0
    assert areas(db_path)["STGT11"] == "sozialraum"


def test_other_xml_is_refused_naming_the_formats_read(tmp_path, capsys):
    path = tmp_path / "grenzen.gml"
    path.write_text('<?xml version="1.0"?><gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml"/>',
                    encoding="utf-8")
    db_path = tmp_path / "db" / "x.duckdb"
    db_path.parent.mkdir()
    assert run_cli("import", "areas", path, "--db", db_path) == 2
    error = capsys.readouterr().err
    assert "kein KML" in error and "GeoJSON, GeoPackage, gezipptes Shapefile, KML oder KMZ" in error


def test_a_kml_as_membership_table_is_refused_not_read_as_csv(tmp_path, capsys):
    kml, _ = _stadtteile_kml(tmp_path)
    db_path = tmp_path / "db" / "x.duckdb"
    db_path.parent.mkdir()
    assert run_cli("import", "membership", kml, "--db", db_path) == 2
    assert "Die Datei ist eine KML-Grenzdatei (Google Earth), keine Tabelle" in capsys.readouterr().err


def test_the_uploader_accepts_exactly_the_formats_read():
    source = (Path(__file__).parents[1] / "pages" / "4_Daten.py").read_text(encoding="utf-8")
    assert 'type=list(importer.DATEI_ENDUNGEN)' in source and 'type=list(importer.GRENZ_ENDUNGEN)' in source
    assert set(importer.GRENZ_ENDUNGEN) == {"geojson", "json", "gpkg", "zip", "kml", "kmz"}
    assert set(importer.DATEI_ENDUNGEN) - set(importer.GRENZ_ENDUNGEN) == {"csv", "tsv", "txt", "xlsx", "toml"}


# ---------------------------------------------------------------- 5. invisible characters, a second heading

def test_a_bom_and_zero_width_characters_are_removed_with_a_note(flensburg, tmp_path, capsys):
    """Old code: „\\ufeff01001“ and „01001\\u200b“ were unknown areas."""
    path = tmp_path / "angehaengt.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "01001;bev_insgesamt;2019;;;89000\n").encode() + b"\xef\xbb\xbf"
                     + "01001;bev_insgesamt;2020;;;89500\n01001\u200b;bev_insgesamt;2021;;;89\u00a0700\n".encode())
    assert run_cli("import", "observations", path, "--db", flensburg) == 0
    assert "unsichtbare Zeichen entfernt" in capsys.readouterr().out
    stored = values(flensburg)
    assert stored[("01001", "2020")] == 89500 and stored[("01001", "2021")] == 89700


def test_a_bom_in_a_heading_of_a_profile_column(kyffhaeuser, tmp_path):
    profil(kyffhaeuser, 'name = "b"\n[spalten]\ngebiet = "Schlüssel"\nwert = "Anzahl"\n'
                        '[fest]\nindikator = "bev_insgesamt"\nzeitraum = "2015"\n', "b")
    path = tmp_path / "b.csv"
    path.write_text("\ufeffSchlüssel\u00a0;\u200bAnzahl\n16065;77110\n", encoding="utf-8")
    assert run_cli("import", "observations", path, "--profil", "b", "--db", kyffhaeuser) == 0


def test_a_second_heading_line_is_refused_naming_the_line(flensburg, tmp_path, capsys):
    path = tmp_path / "zwei_exporte.csv"
    path.write_text(HEADER + "01001;bev_insgesamt;2019;;;89000\n" + HEADER + "01001;bev_insgesamt;2020;;;89500\n",
                    encoding="utf-8")
    assert run_cli("import", "observations", path, "--db", flensburg) == 2
    error = capsys.readouterr().err
    assert "1 Befund:" in error and "zwei_exporte.csv, Zeile 3: Hier steht die Kopfzeile (Zeile 1) noch einmal" in error


def test_a_second_heading_line_in_a_profile_table(kyffhaeuser, tmp_path, capsys):
    profil(kyffhaeuser, 'name = "z"\n[spalten]\ngebiet = "Schlüssel"\nwert = "Anzahl"\n'
                        '[fest]\nindikator = "bev_insgesamt"\nzeitraum = "2015"\n', "z")
    path = tmp_path / "z.csv"
    path.write_text("Schlüssel;Anzahl\n16065;77110\nSchlüssel;Anzahl\n16065067;22039\n", encoding="utf-8")
    assert run_cli("import", "observations", path, "--profil", "z", "--db", kyffhaeuser) == 2
    assert "z.csv, Zeile 3: Die Zeile wiederholt die Überschriften aus Zeile 1" in capsys.readouterr().err


# ---------------------------------------------------------------- 6. the .cpg that contradicts the DBF

def import_shapefile_with_cpg(tmp_path: Path, capsys, encoding: str, cpg: str) -> str:
    """A Shapefile of two Gifhorn Gemeinden with umlauts, its DBF written in encoding and a .cpg saying cpg, imported
    as areas: exit 2 asserted, the error text returned."""
    frame = gpd.GeoDataFrame({"AGS": ["03151001", "03151002"], "GEN": ["Sülfeld", "Müden (Aller)"]},
                             geometry=[shapely.box(10.5, 52.4, 10.6, 52.5), shapely.box(10.6, 52.4, 10.7, 52.5)],
                             crs=4326)
    frame.to_file(tmp_path / "g.shp", encoding=encoding)
    (tmp_path / "g.cpg").write_text(cpg, encoding="ascii")
    db_path = tmp_path / "db" / "x.duckdb"
    db_path.parent.mkdir()
    assert run_cli("import", "areas", tmp_path / "g.shp", "--db", db_path) == 2
    return capsys.readouterr().err


def test_a_cpg_that_contradicts_the_dbf_is_named_as_the_cause(tmp_path, capsys):
    """Old code: „Die Grenzdatei lässt sich nicht lesen ('utf-8' codec can't decode byte 0xfc …)“."""
    error = import_shapefile_with_cpg(tmp_path, capsys, "cp1252", "UTF-8")
    assert ("Die .cpg-Datei sagt „UTF-8“ (UTF-8), die Namen der DBF-Datei sind aber Windows-1252 kodiert "
            "(z. B. „Sülfeld“)") in error and "codec" not in error


def test_a_one_byte_cpg_over_utf8_names_is_named_as_the_cause(tmp_path, capsys):
    """Old code: only „verstümmelte Umlaute … beim Shapefile bitte die .cpg-Datei …“, not what the .cpg said."""
    error = import_shapefile_with_cpg(tmp_path, capsys, "utf-8", "1252")
    assert "verstümmelte Umlaute" in error and ("Die .cpg-Datei sagt „1252“ (Windows-1252), die Namen der DBF-Datei "
                                                "sind aber UTF-8 kodiert") in error


def test_the_mapping_page_suggests_row_10_and_previews_the_sum_column(kyffhaeuser, monkeypatch):
    """Old code: heading row 8 suggested, the first "Insgesamt" (= unter 3 Jahre) previewed as „in Ordnung“."""
    from conftest import open_page

    monkeypatch.setenv("SOZIALMONITOR_DB", str(kyffhaeuser))
    monkeypatch.delenv(importer.READ_ONLY_SETTING, raising=False)
    at = open_page("pages/4_Daten.py").run()
    at.selectbox(key="daten_art").select("observations").run()
    at.radio(key="daten_aufbau").set_value("zuordnen").run()
    data = (GENESIS / "12411-02-03-5_ohne_aufgeloeste_gemeinden.csv").read_bytes()
    at.file_uploader(key="daten_datei").set_value(("12411.csv", data, "text/csv")).run()
    assert not at.exception
    assert at.number_input(key="daten_kopfzeile").value == 10
    total = "Insgesamt › Altersgruppen (unter 3 bis 75 u.m.) › Insgesamt"
    assert total in at.selectbox(key="daten_spalte_wert").options
    at.selectbox(key="daten_spalte_gebiet").select("Spalte A (ohne Überschrift)").run()
    at.selectbox(key="daten_spalte_wert").select(total).run()
    at.selectbox(key="daten_fest_indikator").select("bev_insgesamt").run()
    at.text_input(key="daten_fest_zeitraum").input("2015").run()
    at.checkbox(key="daten_vorgaenger").check().run()
    at.text_input(key="daten_profil_name").input("genesis-12411").run()
    at.button(key="daten_profil_speichern").click().run()
    assert not at.exception and at.success, [e.value for e in at.error]
    assert profile.laden("genesis-12411", kyffhaeuser.parent).spalten["wert"] == total
    at.button(key="daten_uebernehmen").click().run()
    assert not at.exception
    assert values(kyffhaeuser)[("16065", "2015")] == 77110


def test_a_name_in_the_file_that_is_not_the_registers_is_refused(flensburg, tmp_path, capsys):
    """Old code: no name column; 10 stored under the Saarland whatever the file called it."""
    path = tmp_path / "mit_namen.csv"
    path.write_text("gebiet;name;indikator;zeitraum;zaehler;nenner;wert\n"
                    "10;Fruerlund;bev_insgesamt;2020;;;6880\nDG;Deutschland;bev_insgesamt;2020;;;83166711\n",
                    encoding="utf-8")
    assert run_cli("import", "observations", path, "--neue-gebiete", "--db", flensburg) == 2
    assert "Zeile 2, Feld „gebiet“: 10 wäre das Land Saarland (aus dem eingebauten Gebietsregister), die Datei " \
           "nennt das Gebiet aber „Fruerlund“" in capsys.readouterr().err
    right = tmp_path / "richtig.csv"
    right.write_text("gebiet;name;indikator;zeitraum;zaehler;nenner;wert\n"
                     "10;Saarland;bev_insgesamt;2020;;;983991\n16065;Kyffhäuserkreis, Landkreis;bev_insgesamt;2020;;;"
                     "74212\n", encoding="utf-8")
    assert run_cli("import", "observations", right, "--db", flensburg) == 0
    assert values(flensburg)[("10", "2020")] == 983991


def test_invisible_characters_in_a_boundary_key_are_removed(tmp_path, capsys):
    """Old code: „\\ufeff16065001“ is no key of the Kreis 16065; the file was refused."""
    frame = gpd.read_file(GENESIS / "kyffhaeuserkreis_gemeinden_2024_abgeleitet.geojson")
    frame["AGS"] = frame["AGS"].where(frame.index != 0, "\ufeff" + frame["AGS"].iloc[0] + "\u200b")
    frame["GEN"] = frame["GEN"].str.replace(" ", "\u00a0", regex=False)
    path = tmp_path / "gemeinden.geojson"
    frame.to_file(path, driver="GeoJSON")
    db_path = tmp_path / "db" / "k.duckdb"
    db_path.parent.mkdir()
    assert run_cli("einrichten", "--kreis", "16065", "--grenzen", path, "--db", db_path, "--vorlagen",
                   tmp_path / "v") == 0
    assert "unsichtbare Zeichen entfernt" in capsys.readouterr().out
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        names = dict(con.execute("SELECT code, name FROM gebiete").fetchall())
    finally:
        con.close()
    assert names["16065001"] == "Abtsbessingen" and names["16065003"] == "Bad Frankenhausen/Kyffhäuser"


def test_a_stichtag_of_a_monthly_indicator_is_its_december():
    from sozialmonitor.einlesen import parse_observations
    import pandas as pd

    katalog = pd.DataFrame({"id": ["jaehrlich", "monatlich"], "art": ["anzahl", "anzahl"], "faktor": [1.0, 1.0],
                            "nachkommastellen": [0, 0], "turnus": ["jahr", "monat"]})
    data = (HEADER + "16065;jaehrlich;31.12.2015;;;1\n16065;monatlich;31.12.2015;;;2\n"
                     "16065;monatlich;30.06.2016;;;3\n").encode()
    rows, befunde = parse_observations(data, "s.csv", katalog)
    assert befunde == [] and rows["zeitraum"].tolist() == ["2015", "2015-12", "2016-06"]



def test_an_area_import_takes_only_the_kreis_asked_for(tmp_path, capsys):
    """Old code: no --kreis for import areas; the Germany-wide file refused for Sylt's water area."""
    db_path = tmp_path / "db" / "n.duckdb"
    db_path.parent.mkdir()
    assert run_cli("import", "areas", VG250, "--layer", "vg250_gem", "--kreis", "01054", "--db", db_path) == 0
    codes = [code for code, ebene in areas(db_path).items() if ebene == "gemeinde"]
    assert "01054168" in codes and all(code.startswith("01054") for code in codes)


@pytest.mark.parametrize("first_line", ["[Tabelle 1];;;;;", "<5 Jahre;;;;;"])
def test_a_table_that_starts_with_a_bracket_is_still_a_table(kyffhaeuser, tmp_path, first_line):
    profil(kyffhaeuser, 'name = "k"\n[spalten]\ngebiet = "Schlüssel"\nwert = "Anzahl"\n'
                        '[fest]\nindikator = "bev_insgesamt"\nzeitraum = "2015"\n', "k")
    path = tmp_path / "k.csv"
    path.write_text(f"{first_line}\nSchlüssel;Anzahl\n16065;77110\n", encoding="utf-8")
    assert run_cli("import", "observations", path, "--profil", "k", "--db", kyffhaeuser) == 0
