"""Issue 21, point 5: the Vergleichsring's Kreis values come in "through the existing import (Regionalstatistik Kreis
tables)": `import vergleichskreise --profil NAME` reads a Regionalstatistik (GENESIS) Kreis table – header block, a
row per Kreis with its 5-digit key between the rows of Deutschland and the Länder, the years as columns, footnotes,
the © line and the Zeichenerklärung – with an import profile, as observations are read."""

import pytest

from conftest import open_page, query_rows as rows, run_cli
from sozialmonitor import importer
from sozialmonitor.einlesen import profile
from sozialmonitor.errors import EingabeFehler
from sozialmonitor.zugang import rollen

BERND = rollen.Person("bernd@kreis.example", "Bernd Bearbeiter", "bearbeiter")

# As the Regionalstatistik exports table 12411-02-03-4 (CSV, Windows-1252): title block, a heading row with the
# Stichtage, a unit row, DG and Länder between the Kreise, "-" and "." from the Zeichenerklärung, footnotes.
REGIONALSTATISTIK = """12411-02-03-4: Bevölkerung nach Geschlecht und Altersgruppen (17) - Stichtag 31.12. - regionale Tiefe: Kreise und krfr. Städte
Fortschreibung des Bevölkerungsstandes
Bevölkerung von 15 bis unter 25 Jahren
;;31.12.2021;31.12.2022;31.12.2023
;;Anzahl;Anzahl;Anzahl
DG;Deutschland;8.343.070;8.493.518;8.521.744
03;Niedersachsen;803.513;816.080;818.215
03151;Gifhorn, Landkreis;17.262;17.540;17.611
16;Thüringen;178.301;183.924;185.712
16061;Eichsfeld, Landkreis;8.529;8.617;.
16065;Kyffhäuserkreis;5.236;5.300;5.281
__________
Gebietsstand: 31.12.2023
© Statistische Ämter des Bundes und der Länder, 2024
Stand: 14.06.2024 / 10:41:12
Zeichenerklärung: - = nichts vorhanden; . = Zahlenwert unbekannt oder geheim zu halten
"""

PROFIL = """name = "regionalstatistik_12411_kreise"
beschreibung = "Regionalstatistik 12411-02-03-4, 15 bis unter 25 Jahre, Kreise (CSV)"
kopfzeile = 4

[spalten]
gebiet = 1

[fest]
indikator = "bev_15_u25"

[breit]
feld = "zaehler"
zeitraum = "jahr"
"""


@pytest.fixture
def mit_profil(demo_copy):
    folder = demo_copy.parent / profile.ORDNER
    folder.mkdir()
    (folder / "regionalstatistik_12411_kreise.toml").write_text(PROFIL, encoding="utf-8")
    return demo_copy


def test_a_regionalstatistik_kreis_table_imports_with_a_profile(mit_profil, tmp_path, capsys):
    datei = tmp_path / "12411-02-03-4.csv"
    datei.write_bytes(REGIONALSTATISTIK.encode("cp1252"))
    assert run_cli("import", "vergleichskreise", datei, "--profil", "regionalstatistik_12411_kreise",
                   "--db", mit_profil) == 0, capsys.readouterr().err
    ausgabe = capsys.readouterr().out
    assert "3 Zeilen für Deutschland, Länder oder Regierungsbezirke ausgelassen" in ausgabe
    assert "1 Wert ohne Zahl" in ausgabe and "Zeile 10" in ausgabe  # Eichsfeld 2023: "."
    stored = rows(mit_profil, "vergleichskreise")
    stored = stored[stored["indikator"].eq("bev_15_u25")]
    werte = {(r.kreis, r.zeitraum): r.zaehler for r in stored.itertuples()}
    assert werte == {("03151", "2021"): 17262, ("03151", "2022"): 17540, ("03151", "2023"): 17611,
                     ("16061", "2021"): 8529, ("16061", "2022"): 8617,
                     ("16065", "2021"): 5236, ("16065", "2022"): 5300, ("16065", "2023"): 5281}
    assert stored["nenner"].isna().all() and not stored["synthetisch"].any()


def test_a_one_year_table_gives_numerator_and_denominator_and_findings_name_line_and_field(mit_profil):
    profil = profile.Profil(name="ba_alq_kreise", spalten={"gebiet": 1, "zaehler": "Arbeitslose unter 25",
                                                           "nenner": "Bezugsgröße 15 bis unter 25"},
                            fest={"indikator": "alq_u25", "zeitraum": "2025"})
    profile.speichern(profil, mit_profil.parent)
    tabelle = ("Arbeitslose unter 25 Jahren, Jahresdurchschnitt 2025 (synthetische Testwerte)\n\n"
               "Schlüssel;Kreis;Arbeitslose unter 25;Bezugsgröße 15 bis unter 25\n"
               "16065;Kyffhäuserkreis;312;4.870\n16061;Eichsfeld, Landkreis;-;6.102\n"
               "03151;Gifhorn, Landkreis;1.2x;11.950\n"
               "Quelle: Statistik der Bundesagentur für Arbeit\n")
    with pytest.raises(EingabeFehler) as fehler:
        importer.run(mit_profil, "vergleichskreise", tabelle.encode(), "alq.csv", person=BERND, profil="ba_alq_kreise")
    befund = fehler.value.befunde[0]
    assert (befund.datei, befund.zeile, befund.feld) == ("alq.csv", 6, "zaehler")
    ergebnis = importer.run(mit_profil, "vergleichskreise", tabelle.replace("1.2x", "1.013").encode(), "alq.csv",
                            person=BERND, profil="ba_alq_kreise")
    assert ergebnis.neu == 3 and ergebnis.profil == "ba_alq_kreise"
    stored = rows(mit_profil, "vergleichskreise")
    stored = stored[stored["zeitraum"].eq("2025")].set_index("kreis")
    assert stored.loc["16065", ["zaehler", "nenner"]].tolist() == [312, 4870]
    assert stored.loc["16061", ["zaehler", "nenner"]].tolist() == [0, 6102]
    assert stored.loc["03151", ["zaehler", "nenner"]].tolist() == [1013, 11950]


def test_an_unknown_profile_is_refused_naming_it(demo_copy):
    with pytest.raises(EingabeFehler, match="Dieses Importprofil gibt es nicht"):
        importer.run(demo_copy, "vergleichskreise", REGIONALSTATISTIK.encode(), "x.csv", person=BERND,
                     profil="gibt_es_nicht")


def test_the_page_daten_imports_the_kreis_table_with_a_saved_profile(mit_profil, monkeypatch):
    monkeypatch.setenv("SOZIALMONITOR_DB", str(mit_profil))
    monkeypatch.delenv(importer.READ_ONLY_SETTING, raising=False)
    at = open_page("pages/4_Daten.py").run()
    at.selectbox(key="daten_art").select("vergleichskreise").run()
    at.radio(key="daten_aufbau_kreise").set_value("profil").run()
    at.selectbox(key="daten_profil").select("regionalstatistik_12411_kreise").run()
    at.file_uploader(key="daten_datei").set_value(("12411-02-03-4.csv", REGIONALSTATISTIK.encode("cp1252"),
                                                   "text/csv")).run()
    assert not at.exception
    assert "würde übernehmen: 8 neu" in at.success[0].value
    at.button(key="daten_uebernehmen").click().run()
    assert not at.exception
    stored = rows(mit_profil, "vergleichskreise")
    assert stored["indikator"].eq("bev_15_u25").sum() == 8
