"""Issue 9 item 3, shown: the official flags the importer stores (p vorläufig, r berichtigt, s geschätzt, ( )
Aussagewert eingeschränkt) are shown wherever a value is shown to a planner – map tooltip, the Karte table and its
CSV, the area time series, the Steckbrief, the goal page tables, XLSX (column „Kennzeichen“ in words), PPTX/DOCX (a
mark beside the value and a legend line) – and never beside a value the Geheimhaltung step hides. Set up like a
Kreis does it: the Gifhorn files of tests/faelle/import/00-gifhorn-einrichten, then one file with flagged values."""

import functools
import io
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from sozialmonitor import cli, fmt, importer
from sozialmonitor.ausgabe import arbeitsmappe, foliensatz
from sozialmonitor.daten import db
from sozialmonitor.karten import kartendaten
from sozialmonitor.daten import queries
from sozialmonitor.ausgabe import steckbrief
from sozialmonitor.ziele import auswertung
from sozialmonitor.errors import VeralteteDatenbank

GIFHORN = Path(__file__).parent / "faelle" / "import" / "00-gifhorn-einrichten"
STADT, WITTINGEN = "03151009", "03151040"


def kennzeichen():
    from sozialmonitor import kennzeichen as module  # imported here, so the old code's failures show per test

    return module


@pytest.fixture(scope="module")
def gifhorn(tmp_path_factory) -> Path:
    """Gifhorn with every file of the case, then 2023's SGB-II rows of the city provisional (p), Wittingen's count
    uncertain (in brackets) and the Bundeswert revised (r)."""
    folder = tmp_path_factory.mktemp("kennzeichen")
    path = folder / "gifhorn.duckdb"
    with importer.working_copy(path) as con:
        importer.import_indicators(con, (GIFHORN / "indikatoren.toml").read_bytes(), "indikatoren.toml")
        importer.import_boundaries(con, (GIFHORN / "gifhorn_gemeinden_vg250_2016.geojson").read_bytes(),
                                   "gifhorn.geojson", "gemeinde", "AGS", "GEN")
    for kind, name in (("membership", "zuordnung.csv"), ("observations", "beobachtungen.csv"),
                       ("observations", "referenz.csv"), ("targets", "ziele.toml")):
        assert cli.main(["import", kind, str(GIFHORN / name), "--db", str(path)]) == 0, name
    rows = pd.read_csv(GIFHORN / "beobachtungen.csv", sep=";", dtype=str, keep_default_na=False)
    rows = rows[rows["indikator"].eq("sgb2_u10") & rows["zeitraum"].eq("2023")
                & rows["gebiet"].isin([STADT, WITTINGEN])].copy()
    rows.loc[rows["gebiet"].eq(STADT), "zaehler"] += " p"
    rows.loc[rows["gebiet"].eq(WITTINGEN), "zaehler"] = "(" + rows.loc[rows["gebiet"].eq(WITTINGEN), "zaehler"] + ")"
    flagged = folder / "korrektur.csv"
    text = rows.to_csv(sep=";", index=False) + "DG;sgb2_u10;2023;;;13,9 r\n"
    flagged.write_text(text, encoding="utf-8")
    assert cli.main(["import", "observations", str(flagged), "--db", str(path), "--replace"]) == 0
    ziel = folder / "ziel.toml"  # a deadline ahead: 2023 is the year judged
    ziel.write_text('[[ziel]]\nid = "sgb2-kreis"\ntitel = "SGB-II-Quote U10 unter 20 %"\nindikator = "sgb2_u10"\n'
                    'gebiete = ["03151", "sozialraeume"]\nvergleich = "<"\nschwelle = 20\naggregation = "jahreswert"\n'
                    'basisjahr = 2021\nfrist = 2035-12-31\nhandlungsfeld = "Armutsprävention"\n'
                    'quelle = "Testziel"\nverantwortlich = "Sozialamt"\n', encoding="utf-8")
    assert cli.main(["import", "targets", str(ziel), "--db", str(path)]) == 0
    return path


def run(path: Path, name: str, **params) -> pd.DataFrame:
    con = db.connect_read_only(path)
    try:
        return queries.run_query(con, name, **params)
    finally:
        con.close()


def indikator(path: Path, ident: str = "sgb2_u10") -> kartendaten.Indikator:
    row = run(path, "map_indicators").set_index("id").loc[ident]
    return kartendaten.Indikator.from_row({"id": ident, **row.to_dict()})


def test_flags_reach_the_published_values_and_the_sums(gifhorn):
    con = duckdb.connect(str(gifhorn), read_only=True)
    try:
        flags = dict(con.execute("SELECT gebiet, kennzeichen FROM werte WHERE indikator = 'sgb2_u10' "
                                 "AND zeitraum = '2023' AND kennzeichen IS NOT NULL").fetchall())
    finally:
        con.close()
    assert flags[STADT] == "vorlaeufig" and flags[WITTINGEN] == "unsicher" and flags["DG"] == "berichtigt"
    assert flags["03151"] == "unsicher,vorlaeufig"  # the Kreis sums both: every flag of its parts


def test_map_tooltip_table_csv_and_time_series(gifhorn):
    ind = indikator(gifhorn)
    values = kartendaten.prepare_values(run(gifhorn, "indicator_values_by_area", indikator="sgb2_u10", zeitraum="2023",
                                     ebene="gemeinde"), ind)
    assert isinstance(values["kennzeichen"].dtype, pd.CategoricalDtype)  # a small code column, not text per row
    by_code = values.set_index("gebiet")
    assert by_code.at[STADT, "wert_text"].endswith(" %" + " p")
    assert by_code.at[WITTINGEN, "wert_text"].startswith("(") and by_code.at[WITTINGEN, "wert_text"].endswith(") %")
    assert not by_code.at["03151001", "wert_text"].endswith(("p", ")"))
    references = run(gifhorn, "reference_values", indikator="sgb2_u10", zeitraum="2023")
    hover = dict(zip(values["gebiet"], kartendaten.hover_texts(values, kartendaten.reference_texts(values, references, ind), ind)))
    assert "Wert: " + by_code.at[STADT, "wert_text"] in hover[STADT]
    assert "13,9 % r" in hover[STADT]  # the Bundeswert, revised
    table = kartendaten.area_table(values, ind)
    row = table[table["Gebiet"].eq("Gifhorn")].iloc[0]
    assert row["Wert"].endswith(" p") and row["Kennzeichen"] == "vorläufig"
    assert table[table["Gebiet"].eq("Wittingen")].iloc[0]["Kennzeichen"] == "Aussagewert eingeschränkt"
    csv = kartendaten.csv_bytes(table).decode("utf-8-sig").splitlines()
    assert "Kennzeichen" in csv[0].split(";") and any(";vorläufig" in line for line in csv)
    assert kennzeichen().legende(values["kennzeichen"].astype(object)) == (
        "( ) = Aussagewert eingeschränkt, da der Zahlenwert statistisch relativ unsicher ist · p = vorläufige Zahl")
    series = kartendaten.prepare_values(run(gifhorn, "area_time_series", indikator="sgb2_u10", gebiet=STADT), ind)
    shown = dict(zip(series["gebiet"] + "/" + series["zeitraum"], series["wert_text"]))
    assert shown[f"{STADT}/2023"].endswith(" p") and not shown[f"{STADT}/2022"].endswith(" p")
    assert shown["03151/2023"].startswith("(") and shown["03151/2023"].endswith(" p")
    figure = kartendaten.time_series_figure(series, ind, "Gifhorn")
    assert any(str(t).endswith(" p") for trace in figure.data for t in trace.customdata)


def test_goal_tables_and_notes(gifhorn):
    unterlagen = foliensatz.collect(functools.partial(run, gifhorn))
    ziel = next(unterlagen.uebersicht[unterlagen.uebersicht["id"].eq("sgb2-kreis")].itertuples(index=False))
    table = auswertung.display_table(ziel, unterlagen.bewertung)
    assert table["Wert"].iloc[0].startswith("(") and table["Wert"].iloc[0].endswith(" p")
    assert auswertung.status_table(unterlagen.uebersicht[unterlagen.uebersicht["id"].eq("sgb2-kreis")])[
        "Wert"].iloc[0].endswith(" p")
    assert "Kennzeichen der Statistik: ( ) = Aussagewert eingeschränkt" in auswertung.notes(ziel, unterlagen.bewertung)[-1]
    assert auswertung.kennzeichen_legende(unterlagen.uebersicht).startswith("Kennzeichen der Statistik:")


def test_xlsx_has_a_column_kennzeichen_in_words(gifhorn):
    unterlagen = foliensatz.collect(functools.partial(run, gifhorn))
    workbook = openpyxl.load_workbook(io.BytesIO(arbeitsmappe.xlsx_bytes(unterlagen)))
    found = []
    for sheet in workbook.worksheets:
        header_row = next((r[0].row for r in sheet.iter_rows() if r[0].value in ("Handlungsfeld", "Gebiet")), None)
        if header_row is None:
            continue
        names = [c.value for c in sheet[header_row]]
        if "Kennzeichen" not in names:
            continue
        for row in sheet.iter_rows(min_row=header_row + 1, values_only=True):
            record = dict(zip(names, row))
            found.append((sheet.title, record.get("Gebietsschlüssel", record.get("Ziel-ID")), record["Kennzeichen"]))
    # the target's sheet is named by its title (issue 20: no codes as sheet names); its first line holds the title
    titel = unterlagen.katalog.set_index("id").loc["sgb2-kreis", "titel"]
    [blatt] = [s.title for s in workbook.worksheets if s["A1"].value and titel in str(s["A1"].value)]
    assert ("Übersicht", "sgb2-kreis", "Aussagewert eingeschränkt, vorläufig") in found
    assert (blatt, "03151", "Aussagewert eingeschränkt, vorläufig") in found
    assert any(sheet == blatt and k == "Aussagewert eingeschränkt" for sheet, _, k in found)  # its Sozialraum


def test_pptx_marks_and_legend(gifhorn):
    from pptx import Presentation

    unterlagen = foliensatz.collect(functools.partial(run, gifhorn))
    deck = Presentation(io.BytesIO(foliensatz.pptx_bytes(unterlagen)))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    cells = [cell.text for slide in deck.slides for shape in slide.shapes if shape.has_table
             for row in shape.table.rows for cell in row.cells]
    assert any(c.startswith("(") and c.endswith(" p") for c in cells)
    assert any("p = vorläufige Zahl" in t for t in texts)


def test_steckbrief(gifhorn):
    werte = run(gifhorn, "steckbrief_werte", gebiet=STADT)
    unterlagen = foliensatz.collect(functools.partial(run, gifhorn))
    profil = steckbrief.profile(STADT, werte, run(gifhorn, "map_indicators"), unterlagen.bewertung,
                                unterlagen.katalog)
    table = steckbrief.table(profil).set_index("Indikator")
    name = run(gifhorn, "map_indicators").set_index("id").at["sgb2_u10", "name"]
    assert table.at[name, "Wert"].endswith(" p") and table.at[name, "Bund"].startswith("13,9 % r")
    assert table.at[name, "Kreis"].startswith("(")
    legende = steckbrief.kennzeichen_legende(profil)
    assert "p = vorläufige Zahl" in legende and "r = berichtigte Zahl" in legende


def test_a_hidden_or_missing_value_never_shows_a_flag():
    assert fmt.wert_mit_status(None, "geheim", "%", 1, kennzeichen="vorlaeufig") == "geheim (*)"
    assert fmt.wert_mit_status(None, "gesperrt", "%", 1, kennzeichen="vorlaeufig") == "gesperrt (*)"
    assert fmt.wert_mit_status(None, "unvollstaendig", "%", 1, 1, kennzeichen="vorlaeufig").startswith(
        "nicht berechenbar")
    assert fmt.wert_mit_status(9.04, "ok", "%", 1, kennzeichen="vorlaeufig") == "9,0 % p"
    assert fmt.wert_mit_status(9.04, "ok", "%", 1, kennzeichen="unsicher,geschaetzt") == "(9,0) % s"
    assert fmt.wert_mit_status(12, "ok", "Anzahl", 0, kennzeichen="unsicher") == "(12)"
    assert fmt.wert_mit_status(1503, "ok", "Anzahl", 0, kennzeichen="berichtigt") == "1.503 r"


def test_the_flag_table_matches_the_importers():
    from sozialmonitor.einlesen.zahlen import KENNZEICHEN

    assert {flag: mark for mark, (flag, _) in KENNZEICHEN.items()} == {
        flag: mark for flag, (mark, _) in kennzeichen().KENNZEICHEN.items()}
    assert kennzeichen().woerter("geschaetzt,vorlaeufig") == "vorläufig, geschätzt"
    assert kennzeichen().kuerzel("geschaetzt,unsicher") == "() s" and kennzeichen().woerter("() s") == (
        "Aussagewert eingeschränkt, geschätzt")


def test_a_schema_7_file_without_flags_in_werte_asks_for_the_upgrade(gifhorn, tmp_path):
    path = tmp_path / "alt.duckdb"
    shutil.copyfile(gifhorn, path)
    con = duckdb.connect(str(path))  # what the build before the flags wrote: schema 7, werte without kennzeichen
    con.execute("ALTER TABLE werte DROP COLUMN kennzeichen")
    con.execute("ALTER TABLE indikatoren DROP COLUMN turnus")
    con.execute("UPDATE schema_version SET version = 7")
    con.close()
    with pytest.raises(VeralteteDatenbank, match="upgrade"):
        db.connect_read_only(path)
    assert db.schema_and_demo(path)[0] == 7 < db.SCHEMA_VERSION
    assert cli.main(["upgrade", "--db", str(path)]) == 0
    db.connect_read_only(path).close()
    assert run(path, "indicator_values_by_area", indikator="sgb2_u10", zeitraum="2023",
               ebene="gemeinde").set_index("gebiet").at[STADT, "kennzeichen"] == "vorlaeufig"


def test_sitzungsvorlage_docx_marks_and_legend(gifhorn):
    from docx import Document

    from sozialmonitor import ausgabe

    con = db.connect_read_only(gifhorn)
    try:
        dokument = ausgabe.sitzungsvorlage(functools.partial(queries.run_query, con), steckbriefe=[STADT])
    finally:
        con.close()
    word = Document(io.BytesIO(ausgabe.schreiben(dokument, "docx")))
    paragraphs = [p.text for p in word.paragraphs]
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert any(c.replace("\u00a0", " ").endswith("% p") for c in cells)
    assert any("p = vorläufige Zahl" in p for p in paragraphs)
    assert any(p.startswith("Kennzeichen der Statistik") for p in paragraphs)


def test_karte_page_shows_marks_and_legend(gifhorn, monkeypatch, tmp_path):
    from conftest import map_data, open_page

    path = tmp_path / "app.duckdb"  # the app may write beside its database (geometry files, lock)
    shutil.copyfile(gifhorn, path)
    monkeypatch.setenv("SOZIALMONITOR_DB", str(path))
    at = open_page("pages/1_Karte.py", indikator="sgb2_u10", ebene="gemeinde", zeitraum="2023",
                   gebiet=STADT).run()
    assert not at.exception
    hover = map_data(at)["hover"]
    assert any("Wert: " in h and "% p<br>" in h for h in hover)
    captions = " ".join(c.value for c in at.caption)
    assert "Kennzeichen der Statistik: ( ) = Aussagewert eingeschränkt" in captions
    [table] = [d for d in at.dataframe if "Kennzeichen" in d.value.columns]
    assert "vorläufig" in set(table.value["Kennzeichen"])
