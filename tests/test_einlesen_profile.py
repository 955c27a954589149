"""Import profiles (einlesen/profile.py, genesis.py): BA and GENESIS tables with header blocks and footnotes, a sheet
among several, years as columns; saved as TOML and used by name on the command line (--profil NAME)."""

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import observation_rows, open_page, run_cli
from sozialmonitor import importer
from sozialmonitor.zugang import rollen
from sozialmonitor.einlesen import genesis, profile
from sozialmonitor.errors import EingabeFehler

FAELLE = Path(__file__).parent / "faelle" / "import"
PROFILE = FAELLE / "profile"


@pytest.fixture
def gifhorn_mit_profilen(gifhorn) -> Path:
    """The Gifhorn database with the test profiles saved beside it and the BA count in the catalogue."""
    folder = gifhorn.parent / profile.ORDNER
    folder.mkdir()
    for name in ("genesis_12411.toml", "ba_sgb2_kinder.toml"):
        shutil.copyfile(PROFILE / name, folder / name)
    assert run_cli("import", "indicators", PROFILE / "indikator_sgb2_kinder.toml", "--db", gifhorn) == 0
    return gifhorn


def values(db_path: Path, indikator: str) -> dict[tuple[str, str], tuple]:
    rows = observation_rows(db_path)
    rows = rows[rows["indikator"].eq(indikator)]
    return {(r.gebiet, r.zeitraum): (r.wert, r.status) for r in rows.itertuples()}


def test_genesis_csv_with_header_block_and_footnotes(gifhorn_mit_profilen, capsys):
    assert run_cli("import", "observations", PROFILE / "genesis_12411_gifhorn.csv", "--profil", "genesis_12411",
                   "--db", gifhorn_mit_profilen) == 0, capsys.readouterr().err
    stored = values(gifhorn_mit_profilen, "bev_u10")
    assert stored == {("03151001", "2022"): (199, "ok"), ("03151009", "2022"): (4006, "ok"),
                      ("03151013", "2022"): (612, "ok"), ("03151025", "2022"): (1503, "ok"),
                      ("03151501", "2022"): (0, "ok")}


def test_ba_excel_sheet_with_years_as_columns(gifhorn_mit_profilen, capsys):
    assert run_cli("import", "observations", PROFILE / "ba_sgb2_kinder_gifhorn.xlsx", "--profil", "ba_sgb2_kinder",
                   "--db", gifhorn_mit_profilen) == 0, capsys.readouterr().err
    stored = values(gifhorn_mit_profilen, "sgb2_kinder")
    assert stored[("03151009", "2021")] == (1503, "ok")
    assert stored[("03151009", "2023")] == (1517, "ok")
    assert stored[("03151013", "2022")] == (0, "ok")
    assert stored[("03151001", "2023")][1] == "gesperrt"
    assert len(stored) == 9


def test_without_the_profile_the_same_file_is_refused(gifhorn_mit_profilen, capsys):
    assert run_cli("import", "observations", PROFILE / "genesis_12411_gifhorn.csv",
                   "--db", gifhorn_mit_profilen) == 2
    assert "Kopfzeile passt nicht" in capsys.readouterr().err


def test_an_unknown_profile_is_refused_and_lists_the_known_ones(gifhorn_mit_profilen, capsys):
    before = hashlib.sha256(gifhorn_mit_profilen.read_bytes()).hexdigest()
    assert run_cli("import", "observations", PROFILE / "genesis_12411_gifhorn.csv", "--profil", "gibtsnicht",
                   "--db", gifhorn_mit_profilen) == 2
    error = capsys.readouterr().err
    assert "gibt es nicht" in error and "genesis_12411" in error and "Feld „--profil“" in error
    assert hashlib.sha256(gifhorn_mit_profilen.read_bytes()).hexdigest() == before


def test_a_profile_naming_a_missing_column_is_refused_with_line_and_field(gifhorn_mit_profilen, capsys):
    folder = gifhorn_mit_profilen.parent / profile.ORDNER
    text = (PROFILE / "genesis_12411.toml").read_text(encoding="utf-8")
    (folder / "falsch.toml").write_text(text.replace('name = "genesis_12411"', 'name = "falsch"')
                                        .replace('gebiet = 2', 'gebiet = 2\nquelle = "Fundstelle"'),
                                        encoding="utf-8")
    assert run_cli("import", "observations", PROFILE / "genesis_12411_gifhorn.csv", "--profil", "falsch",
                   "--db", gifhorn_mit_profilen) == 2
    assert "Fundstelle" in capsys.readouterr().err


@pytest.mark.parametrize("toml, field", [
    ('name = "a"\n[spalten]\nwert = "W"\n[fest]\nindikator = "i"\n', "gebiet"),
    ('name = "a"\n[spalten]\ngebiet = "G"\nfarbe = "rot"\n[fest]\nindikator = "i"\nzeitraum = "2023"\n', "farbe"),
    ('name = "A B"\n[spalten]\ngebiet = "G"\nwert = "W"\n[fest]\nindikator = "i"\nzeitraum = "2023"\n', "name"),
    ('name = "a"\n[spalten]\ngebiet = "G"\n[fest]\nindikator = "i"\n[breit]\nfeld = "quelle"\n', "breit.feld"),
    ('name = "a"\n[spalten]\ngebiet = 0\nwert = "W"\n[fest]\nindikator = "i"\nzeitraum = "2023"\n',
     "spalten.gebiet"),
])
def test_bad_profiles_name_the_key(toml, field):
    with pytest.raises(EingabeFehler) as refused:
        profile.aus_toml(toml, "p.toml")
    assert field in {b.feld for b in refused.value.befunde}


def test_a_saved_profile_loads_as_it_was(tmp_path):
    original = profile.Profil(name="ba_neu", spalten={"gebiet": "Schlüssel \"AGS\"", "wert": 4},
                              fest={"indikator": "bev_u10", "zeitraum": "2024"}, beschreibung="Zeile 1\nZeile 2",
                              blatt="Tabelle 1", kopfzeile=5)
    path = profile.speichern(original, tmp_path)
    assert path == tmp_path / "profile" / "ba_neu.toml"
    assert profile.laden("ba_neu", tmp_path) == original
    assert "ba_neu" in profile.namen(tmp_path)


def test_a_saved_profile_imports_next_years_file_in_one_step(gifhorn, tmp_path):
    """The page's mapping step saves a profile; the next file of the same source needs only its name."""
    profil = profile.Profil(name="genesis_u10", spalten={"gebiet": 2, "wert": "unter 10 Jahre"},
                            fest={"indikator": "bev_u10", "zeitraum": "2022"})
    profile.speichern(profil, gifhorn.parent)
    data = (PROFILE / "genesis_12411_gifhorn.csv").read_bytes()
    ergebnis = importer.run(gifhorn, "observations", data, "genesis.csv", person=rollen.kommandozeile(), profil="genesis_u10")
    assert ergebnis.neu == 5 and ergebnis.profil == "genesis_u10"
    assert ergebnis.kodierung == "Windows-1252 (ANSI)"


@pytest.mark.parametrize("heading, art, expected", [
    ("2023", None, "2023"), ("2023-03", None, "2023-03"), ("03/2023", None, "2023-03"),
    ("März 2023", None, "2023-03"), ("Dez 2023", "jahr", "2023"), ("31.12.2023", None, "2023"),
    ("DATE_2023-06-30", None, "2023-06"), ("DATE_2023-12-31", "monat", "2023-12"), ("Insgesamt", None, None),
    ("13/2023", None, None),
])
def test_period_headings(heading, art, expected):
    assert genesis.zeitraum_aus_text(heading, art) == expected


# ---------------------------------------------------------------- the mapping step on the page "Daten"

def daten_page(db_path: Path, monkeypatch, aufbau: str):
    """The page "Daten" on db_path with observations and the given layout choice."""
    monkeypatch.setenv("SOZIALMONITOR_DB", str(db_path))
    monkeypatch.delenv(importer.READ_ONLY_SETTING, raising=False)
    at = open_page("pages/4_Daten.py").run()
    at.selectbox(key="daten_art").select("observations").run()
    at.radio(key="daten_aufbau").set_value(aufbau).run()
    return at


def test_page_maps_columns_saves_the_profile_and_previews_the_import(gifhorn, monkeypatch):
    data = (PROFILE / "genesis_12411_gifhorn.csv").read_bytes()
    at = daten_page(gifhorn, monkeypatch, "zuordnen")
    at.file_uploader(key="daten_datei").set_value(("genesis.csv", data, "text/csv")).run()
    assert not at.exception
    # the title block above is skipped; the heading block is rows 5 (headings) and 6 (units), its last row suggested
    assert at.number_input(key="daten_kopfzeile").value == 6
    at.selectbox(key="daten_spalte_gebiet").select("Spalte B (ohne Überschrift)").run()
    at.selectbox(key="daten_spalte_wert").select("unter 10 Jahre › Anzahl").run()
    at.selectbox(key="daten_fest_indikator").select("bev_u10").run()
    at.text_input(key="daten_fest_zeitraum").input("2022").run()
    at.text_input(key="daten_profil_name").input("genesis-u10").run()
    assert not at.success  # nothing is checked before the profile is saved
    at.button(key="daten_profil_speichern").click().run()
    assert not at.exception
    assert "5 Zeilen geprüft, würde übernehmen: 5 neu" in at.success[0].value
    assert profile.laden("genesis-u10", gifhorn.parent).spalten == {"gebiet": 2, "wert": "unter 10 Jahre › Anzahl"}
    at.button(key="daten_uebernehmen").click().run()
    assert not at.exception
    assert values(gifhorn, "bev_u10")[("03151009", "2022")] == (4006, "ok")


def test_page_uses_a_saved_profile(gifhorn_mit_profilen, monkeypatch):
    data = (PROFILE / "ba_sgb2_kinder_gifhorn.xlsx").read_bytes()
    at = daten_page(gifhorn_mit_profilen, monkeypatch, "profil")
    at.selectbox(key="daten_profil").select("ba_sgb2_kinder").run()
    at.file_uploader(key="daten_datei").set_value(("ba.xlsx", data, "application/octet-stream")).run()
    assert not at.exception
    assert "9 Zeilen geprüft, würde übernehmen: 9 neu" in at.success[0].value
    # captions are user text shown as text: Markdown characters arrive escaped (klartext.markdown)
    assert any("Importprofil: ba_sgb2_kinder" in c.value.replace("\\", "") for c in at.caption)
    at.button(key="daten_uebernehmen").click().run()
    assert not at.exception
    assert values(gifhorn_mit_profilen, "sgb2_kinder")[("03151009", "2023")] == (1517, "ok")
