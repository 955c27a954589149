"""No raw code or machine number where a planner reads (issue 20, BEFUNDE #14): the import preview names area and
indicator ('Thüringen (16) · Jugendarbeitslosigkeit … · 2024', not '16/alq_u25/2024') and shows a value with its
indicator's published decimals ('6,8', not '6,80'); Daten → Früherer Stand names the indicator; persons counted as a
monthly mean are whole persons ('31 von 281 im Monatsmittel', not '31,3 von 281,0'), also in the reason of
"nicht belastbar" – one decimal only where rounding would reach the rule's threshold."""

import pandas as pd

from sozialmonitor.importer.ergebnis import Ergebnis, stand_tabelle
from sozialmonitor.karten import kartendaten
from sozialmonitor.statistik import belastbarkeit


def _ergebnis() -> Ergebnis:
    aenderungen = pd.DataFrame({
        "gebiet": ["16", "16065067"], "indikator": ["alq_u25", "alq_u25"], "zeitraum": ["2024", "2024-03"],
        "zaehler": [None, 93.0], "nenner": [None, 846.0], "wert": [6.8, 11.0], "status": ["ok", "ok"],
        "alt_zaehler": [None, None], "alt_nenner": [None, None], "alt_wert": [6.5, None], "alt_status": ["ok", None],
        "aenderung": ["geaendert", "neu"], "zeile": [2, 3]})
    return Ergebnis("beobachtungen", "werte.csv", aenderungen=aenderungen,
                    schluessel=["gebiet", "indikator", "zeitraum"], felder=["zaehler", "nenner", "wert", "status"])


def test_the_import_preview_names_area_and_indicator_and_shows_published_decimals():
    namen = {"gebiet": {"16": "Thüringen", "16065067": "Sondershausen"},
             "indikator": {"alq_u25": "Jugendarbeitslosigkeit (15 bis unter 25 Jahre)"}}
    geaendert = _ergebnis().vorschau("geaendert", namen=namen, nachkommastellen={"alq_u25": 1})
    assert geaendert["Schlüssel"].tolist() == ["Thüringen (16) · Jugendarbeitslosigkeit (15 bis unter 25 Jahre) · 2024"]
    assert geaendert["neu"].tolist() == ["6,8"] and geaendert["bisher"].tolist() == ["6,5"]
    neu = _ergebnis().vorschau("neu", namen=namen, nachkommastellen={"alq_u25": 1})
    assert neu["Schlüssel"].tolist() == [("Sondershausen (16065067) · Jugendarbeitslosigkeit (15 bis unter 25 "
                                          "Jahre) · März 2024")]
    assert "alq_u25" not in neu.to_string() and "6,80" not in geaendert.to_string()


def test_the_earlier_state_names_the_indicator():
    state = pd.DataFrame({"gebiet": ["16"], "gebiet_name": ["Thüringen"], "indikator": ["alq_u25"],
                          "zeitraum": ["2024"], "wert": [6.8], "status": ["ok"], "import_id": [6],
                          "heute_wert": [6.8], "heute_status": ["ok"]})
    tabelle = stand_tabelle(state, None, {"alq_u25": 1}, {"alq_u25": "Jugendarbeitslosigkeit (15 bis unter 25 Jahre)"})
    assert tabelle["Indikator"].tolist() == ["Jugendarbeitslosigkeit (15 bis unter 25 Jahre)"]


def test_persons_of_a_monthly_mean_are_whole_persons():
    indikator = kartendaten.Indikator("alq_u25", "Jugendarbeitslosigkeit", "%", "quote", "niedriger_ist_besser", 1)
    texte = kartendaten._fractions(pd.Series([31.3, 120.0]), pd.Series([281.0, 1000.0]), pd.Series([True, False]),
                                   indikator)
    assert texte == ["31 von 281 im Monatsmittel", "120 von 1.000"]


def test_the_reason_of_not_reliable_counts_whole_persons_and_never_rounds_up_to_the_rule():
    regel = belastbarkeit.Regel(mindest_nenner=1000)
    text = belastbarkeit.grund(93.4 * 12, 846.3 * 12, regel, 100, "Pp.", monate=12)
    assert "im Monatsmittel 846 im Nenner, 93 im Zähler" in text
    knapp = belastbarkeit.grund(100 * 12, 999.6 * 12, regel, 100, "Pp.", monate=12)
    assert "999,6 im Nenner" in knapp and "1.000 im Nenner," not in knapp
