"""Malformed files: each is refused through the command line with exit code 2 and a German message, and the
database is unchanged afterwards (every table's content compared)."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from conftest import (HEADER, run_cli, snapshot, squares, two_layer_geopackage,
                      xlsx, zipped_shapefile)

TOML_OK = (Path(__file__).parent / "daten" / "indikatoren.toml").read_text(encoding="utf-8")


def zip_of(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def geojson(features: str) -> bytes:
    return ('{"type": "FeatureCollection", "features": [' + features + "]}").encode()


def square(ags, name="Ort", x=11.0) -> str:
    ags_json = "null" if ags is None else f'"{ags}"'
    return (f'{{"type": "Feature", "properties": {{"AGS": {ags_json}, "GEN": "{name}"}}, "geometry": '
            f'{{"type": "Polygon", "coordinates": [[[{x}, 51], [{x + 0.01}, 51], [{x + 0.01}, 51.01], [{x}, 51.01], '
            f'[{x}, 51]]]}}}}')


def shapefile_without(suffix: str, crs_known: bool = True):
    def build(folder: Path) -> bytes:
        frame = squares(["01001001", "01001002", "01001003"])
        if not crs_known:
            frame = frame.set_crs(None, allow_override=True)
        return zipped_shapefile(frame, folder / "shp", skip=(suffix,))
    return build


def one_layer_geopackage(folder: Path) -> bytes:
    path = folder / "quelle" / "eine.gpkg"
    path.parent.mkdir(exist_ok=True)
    squares(["01001001", "01001002", "01001003"]).to_file(path, layer="gemeinden")
    return path.read_bytes()


def big_csv_with_one_bad_line(folder: Path) -> bytes:
    """About 50 MB of good rows and one bad number in the very last line."""
    line = "01001001;anzahl;{};;;17\n"
    rows = [line.format(f"{1000 + i // 12}-{i % 12 + 1:02d}") for i in range(12 * 8000)]
    body = "".join(rows)
    repeats = 50_000_000 // len(body.encode()) + 1
    # keys repeat across blocks; the duplicate check reports that too, but the bad line is what we look for
    return (HEADER + body * repeats + "01001001;anzahl;2999;;;17,5,3\n").encode()


def zip_bomb(folder: Path) -> bytes:
    return zip_of({"daten.csv": b"0" * 300_000_000})


# (kind, file name, content or function(tmp folder) -> bytes, expected German text, extra arguments)
CASES = [
    ("observations", "leer.csv", b"", "Die Datei ist leer", []),
    ("observations", "nur_leerzeilen.csv", b"\n \r\n;;\n", "Die Datei ist leer", []),
    ("observations", "nur_kopf.csv", HEADER.encode(), "nur die Kopfzeile", []),
    ("observations", "englisch.csv", b"area;indicator;period;num;den;value\n01001001;anzahl;2024;;;1\n",
     "Kopfzeile passt nicht", []),
    ("observations", "doppelte_spalte.csv", (HEADER.strip() + ";wert\n01001001;anzahl;2024;;;1;1\n").encode(),
     "doppelt ist „wert“", []),
    ("observations", "gebiet_unbekannt.csv", (HEADER + "09999999;anzahl;2024;;;1\n").encode(),
     "Das Gebiet „09999999“ ist unbekannt", []),
    ("observations", "indikator_unbekannt.csv", (HEADER + "01001001;armut;2024;;;1\n").encode(),
     "Den Indikator „armut“ gibt es nicht im Katalog", []),
    ("observations", "zeitraum_kurz.csv", (HEADER + "01001001;anzahl;24;;;1\n").encode(),
     "weder JJJJ noch JJJJ-MM", []),
    ("observations", "zeitraum_monat13.csv", (HEADER + "01001001;quote_monat;2024-13;1;10;\n").encode(),
     "Zeitraum „2024-13“", []),
    ("observations", "zeitraum_datum.csv", (HEADER + "01001001;anzahl;31.02.2024;;;1\n").encode(),
     "Zeitraum „31.02.2024“", []),
    ("observations", "keine_zahl.csv", (HEADER + "01001001;quote_jahr;2024;zehn;100;\n").encode(),
     "„zehn“ ist keine Zahl", []),
    ("observations", "negativ.csv", (HEADER + "01001001;quote_jahr;2024;-3;100;\n").encode(),
     "kann nicht negativ sein", []),
    ("observations", "zaehler_groesser.csv", (HEADER + "01001001;quote_jahr;2024;120;100;\n").encode(),
     "Der Zähler (120) ist größer als der Nenner (100)", []),
    ("observations", "quote_ohne_alles.csv", (HEADER + "01001001;quote_jahr;2024;;;\n").encode(),
     "weder Zähler und Nenner noch einen Wert", []),
    ("observations", "quote_ohne_nenner.csv", (HEADER + "01001001;quote_jahr;2024;5;;\n").encode(),
     "hier fehlt der Nenner", []),
    ("observations", "wert_passt_nicht.csv", (HEADER + "01001001;quote_jahr;2024;5;100;50\n").encode(),
     "passt nicht zu Zähler/Nenner", []),
    ("observations", "doppelt.csv", (HEADER + "01001001;anzahl;2024;;;1\n01001001;anzahl;2024;;;2\n").encode(),
     "Gebiet 01001001, Testanzahl, 2024 steht schon in Zeile 2", []),  # the indicator by its title (issue 20)
    ("observations", "doppelt_ohne_null.csv", (HEADER + "01001001;anzahl;2024;;;1\n1001001;anzahl;2024;;;1\n")
     .encode(), "Gebiet 01001001, Indikator anzahl, 2024 steht schon in Zeile 2", []),  # not 01001001/anzahl/2024
    ("observations", "konflikt.csv", (HEADER + "01001001;quote_jahr;2022;11;100;\n").encode(),
     # the area by name and code, the indicator by its title (fresh tester, issue 20: '01001001/quote_jahr/2022')
     "Konflikt: Gemeinde Adorf (01001001), Testquote jährlich, 2022 ist schon gespeichert: 10 (Zähler 10, Nenner 100) "
     "→ 11", []),
    ("observations", "zu_wenig_felder.csv", (HEADER + "01001001;anzahl;2024;1\n").encode(),
     "Die Zeile hat 4 statt 6 Felder", []),
    ("observations", "zu_viele_felder.csv", (HEADER + "01001001;anzahl;2024;;;1;Anmerkung\n").encode(),
     "Die Zeile hat 7 statt 6 Felder", []),
    ("observations", "abgeschnitten.csv", (HEADER + "01001001;anzahl;2024;;;1\n01001002;anz").encode(),
     "Zeile 3: Die Zeile hat 2 statt 6 Felder", []),
    ("observations", "abgeschnitten.xlsx", xlsx([HEADER.strip().split(";"), ["01001001", "anzahl", 2024]])[:900],
     "beschädigtes oder unvollständiges ZIP-Archiv", []),
    ("observations", "offenes_zitat.csv", (HEADER + '01001001;anzahl;2024;;;"1\n' + "x" * 200_000).encode(),
     "fehlt ein schließendes Anführungszeichen", []),
    ("observations", "binaer.csv", bytes(range(256)) * 40, "keine Textdatei", []),
    ("observations", "bild.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100, "keine Textdatei", []),
    # bytes Windows-1252 leaves undefined: read as Mac Roman ("Åçê"), which is no number
    ("observations", "kodierung.csv", HEADER.encode() + b"01001001;anzahl;2024;;;\x81\x8d\x90\n",
     "„Åçê“ ist keine Zahl", []),
    ("observations", "alt.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "alte Excel-Format (.xls)", []),
    ("observations", "werte.xlsx", xlsx([HEADER.strip().split(";"), ["01001001", "quote_jahr", 2024, "viele", 10]]),
     "Zeile 2, Feld „zaehler“: „viele“ ist keine Zahl", []),
    ("observations", "geopackage.csv", b"SQLite format 3\x00" + b"\x00" * 200, "GeoPackage", []),
    ("observations", "archiv.zip", zip_of({"werte.csv": HEADER.encode()}), "ZIP-Archiv ist hier nicht möglich", []),
    ("observations", "gross.csv", big_csv_with_one_bad_line, "„17,5,3“ ist keine Zahl", []),
    ("areas", "ebene.csv", b"gebiet;name;ebene;uebergeordnet\n01002;Neukreis;landkreis;01\n",
     "Ebene „landkreis“ ist unbekannt", []),
    ("areas", "gebiete_doppelt.csv", b"gebiet;name;ebene;uebergeordnet\n01002;A;kreis;01\n1002;B;kreis;01\n",
     "01002 steht schon in Zeile 2", []),
    ("areas", "umbenannt.csv", b"gebiet;name;ebene;uebergeordnet\n01001001;Adorf-Neu;gemeinde;01001\n",
     "Name: Adorf, Ebene: gemeinde, übergeordnet: 01001 → Name: Adorf-Neu", []),
    ("areas", "grenzen_doppelt.geojson", geojson(square("01001001") + "," + square("01001001", x=11.1)),
     "Der Schlüssel 01001001 kommt doppelt vor", []),
    ("areas", "grenzen_ohne_schluessel.geojson", geojson(square(None)), "Objekt ohne Gebietsschlüssel", []),
    ("areas", "grenzen_feldname.geojson", geojson(square("01001001")), "Das Feld „GKZ“ gibt es nicht",
     ["--id-field", "GKZ"]),
    ("areas", "grenzen_kaputt.geojson", b'{"type": "FeatureCollection", "features": [{"type": ',
     "Die Grenzdatei lässt sich nicht lesen", []),
    ("areas", "grenzen_punkte.geojson", geojson('{"type": "Feature", "properties": {"AGS": "01001001", "GEN": "A"},'
                                                ' "geometry": {"type": "Point", "coordinates": [11, 51]}}'),
     "ist keine Fläche (Point)", []),
    ("areas", "pfade.zip", zip_of({"../../etc/grenzen.shp": b"x", "grenzen.dbf": b"x"}),
     "Pfad außerhalb des Archivs", []),
    ("areas", "absolut.zip", zip_of({"/tmp/grenzen.shp": b"x"}), "Pfad außerhalb des Archivs", []),
    ("areas", "bombe.zip", zip_bomb, "verdächtig stark komprimiert", []),
    ("areas", "ohne_dbf.zip", shapefile_without(".dbf"), "fehlt im ZIP-Archiv .dbf", []),
    ("areas", "ohne_prj.zip", shapefile_without(".prj", crs_known=False), "kein Koordinatensystem", []),
    ("areas", "zwei_shapes.zip", zip_of({"a.shp": b"x", "b.shp": b"x"}), "genau ein Shapefile", []),
    ("areas", "zwei_ebenen.gpkg", two_layer_geopackage,
     "zwei_ebenen.gpkg: Die Datei hat 2 Ebenen (gemeinden, kreise). Bitte mit --layer eine wählen.", []),
    ("areas", "ebene_unbekannt.gpkg", two_layer_geopackage,
     "Die Datei hat keine Ebene „laender“ (vorhanden: gemeinden, kreise).", ["--layer", "laender"]),
    ("areas", "nur_eine_ebene.gpkg", one_layer_geopackage, "nur eine Ebene; bitte ohne --layer importieren",
     ["--layer", "kreise"]),
    ("membership", "luecke.csv", b"gebiet;sozialraum;sozialraum_name\n01001001;SRA;A\n01001002;SRA;A\n",
     "Die Gemeinde 01001003 ist keinem Sozialraum zugeordnet", []),
    ("membership", "fremde_gemeinde.csv", b"gebiet;sozialraum;sozialraum_name\n01001001;SRA;A\n01001002;SRA;A\n"
                                          b"01001003;SRB;B\n09999999;SRB;B\n", "„09999999“ ist keine bekannte Gemeinde",
     []),
    ("membership", "zweimal.csv", b"gebiet;sozialraum;sozialraum_name\n01001001;SRA;A\n1001001;SRB;B\n"
                                  b"01001002;SRA;A\n01001003;SRB;B\n", "steht mehrfach in der Datei", []),
    ("membership", "leerer_name.csv", b"gebiet;sozialraum;sozialraum_name\n01001001;SRA;\n01001002;SRA;A\n"
                                      b"01001003;SRB;B\n", "Der Name des Sozialraums fehlt", []),
    ("indicators", "kaputt.toml", b"[armut\nname = 1", "Die TOML-Datei ist fehlerhaft", []),
    ("indicators", "einheit.toml", TOML_OK.replace('einheit = "Anzahl"', 'einheit = "Stück"').encode(),
     "„Stück“ ist keine erlaubte Einheit", []),
    ("indicators", "leer.toml", b"# nur ein Kommentar\n", "keinen Indikator", []),
]


@pytest.mark.parametrize("kind, name, content, expected, extra", CASES, ids=[c[1] for c in CASES])
def test_malformed_file_is_refused_and_changes_nothing(tiny_copy, tmp_path, capsys, kind, name, content, expected,
                                                       extra):
    path = tmp_path / name
    path.write_bytes(content(tmp_path) if callable(content) else content)
    before = snapshot(tiny_copy)
    mtime = tiny_copy.stat().st_mtime_ns
    digest = hashlib.sha256(tiny_copy.read_bytes()).hexdigest()
    code = run_cli("import", kind, path, "--db", tiny_copy, *extra)
    error = capsys.readouterr().err
    assert code == 2
    assert expected in error
    assert any(line.startswith(("Import abgelehnt – die Datenbank bleibt unverändert", "Fehler: "))
               for line in error.splitlines())
    assert "Traceback" not in error
    assert snapshot(tiny_copy) == before
    assert tiny_copy.stat().st_mtime_ns == mtime
    assert hashlib.sha256(tiny_copy.read_bytes()).hexdigest() == digest


def test_the_list_of_malformed_files_is_long_enough():
    assert len({c[1] for c in CASES}) >= 30


@pytest.mark.parametrize("import_id, expected", [(999, "Diesen Import gibt es nicht"), (-1, "gibt es nicht")])
def test_undo_of_an_unknown_batch_is_refused(tiny_copy, capsys, import_id, expected):
    before = snapshot(tiny_copy)
    assert run_cli("undo", import_id, "--db", tiny_copy, "--grund", "Test") == 2
    assert expected in capsys.readouterr().err
    assert snapshot(tiny_copy) == before


def test_missing_file_is_a_german_message(tiny_copy, tmp_path, capsys):
    assert run_cli("import", "observations", tmp_path / "gibtsnicht.csv", "--db", tiny_copy) == 2
    assert "lässt sich nicht lesen" in capsys.readouterr().err



SUED = "Amt Süd, Größe, Bär".encode()  # a correct UTF-8 text beside the broken bytes


@pytest.mark.parametrize("body, findings", [
    # an ASCII file with one broken byte in a number: read as Windows-1252, the number is refused – and nothing else
    (b"01001001;quote_jahr;2022;11;1\xff0;;x\n", [(2, "nenner")]),
    # a UTF-8 file (Umlauts) with broken bytes: each broken cell once; the correct Umlauts stay correct
    (b"01001001;quote_jahr;2022;11;1\xff0;;" + SUED + b"\n01001002;quote_jahr;2022;1\xc3;100;;" + SUED + b"\n",
     [(2, "nenner"), (3, "zaehler")]),
])
def test_a_broken_byte_in_a_number_is_one_finding_naming_line_and_field(tiny_copy, tmp_path, capsys, body,
                                                                           findings):
    """Review finding: a broken byte inside a number gave two findings for one fault ("… ist keine Zahl" and "hier
    fehlt der Nenner"); a UTF-8 file with a broken byte was read as Windows-1252, so its correct Umlauts would be
    refused as mojibake."""
    path = tmp_path / "kaputt.csv"
    path.write_bytes(HEADER.replace("\n", ";quelle\n").encode() + body)
    before = snapshot(tiny_copy)
    assert run_cli("import", "observations", path, "--db", tiny_copy) == 2
    error = capsys.readouterr().err
    lines = [line for line in error.splitlines() if line.startswith("  kaputt.csv")]
    assert [line.split(":")[0] for line in lines] == [f"  kaputt.csv, Zeile {z}, Feld „{f}“" for z, f in findings]
    assert "fehlt der" not in error and "verstümmelt" not in error
    assert snapshot(tiny_copy) == before
