"""Protection per indicator in the catalogue (issue 19, item 3): indikatoren.toml says whether an indicator counts
persons; the Verwaltung can change it on the Indikatoren page, with a reason in the Protokoll and the previous
catalogue row kept – and every value is protected again under the new switch."""

import pytest

from conftest import GEHEIMHALTUNG_ECHT, geheimhaltung_regeln, open_page
from sozialmonitor.daten import db
from sozialmonitor.errors import KeinZugriff, SozialmonitorFehler
from sozialmonitor.ziele import indikatorpflege
from sozialmonitor.zugang import rollen

VERA = rollen.Person("vera@kreis.example", "Vera Verwaltung", "verwaltung")
BERND = rollen.Person("bernd@kreis.example", "Bernd Bearbeiter", "bearbeiter")


def _werte(path, indikator):
    con = db.connect_read_only(path)
    try:
        return con.execute("SELECT status, count(*) FROM werte WHERE indikator = $i GROUP BY 1 ORDER BY 1",
                           {"i": indikator}).fetchall()
    finally:
        con.close()


def _eine(path, sql):
    con = db.connect_read_only(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_verwaltung_switches_protection_with_a_reason_and_every_value_is_protected_again(demo_copy):
    # the demo's Familienlotsen are staff: not protected (catalogue), so counts of 1 and 2 are shown
    assert _eine(demo_copy, "SELECT geheimhaltung FROM indikatoren WHERE id = 'familienlotsen'") == [(False,)]
    klein = _eine(demo_copy, "SELECT count(*) FROM werte WHERE indikator = 'familienlotsen' AND wert IN (1, 2)")
    assert klein[0][0] > 0
    with pytest.raises(KeinZugriff):
        indikatorpflege.geheimhaltung_setzen(demo_copy, BERND, "familienlotsen", True, "Test")
    with pytest.raises(SozialmonitorFehler, match="Grund"):
        indikatorpflege.geheimhaltung_setzen(demo_copy, VERA, "familienlotsen", True, " ")
    with pytest.raises(SozialmonitorFehler, match="Nichts geändert"):
        indikatorpflege.geheimhaltung_setzen(demo_copy, VERA, "familienlotsen", False, "Test")
    with geheimhaltung_regeln(GEHEIMHALTUNG_ECHT):
        meldung = indikatorpflege.geheimhaltung_setzen(demo_copy, VERA, "familienlotsen", True,
                                                       "Lotsen sind Ehrenamtliche, geschützt wie Personen")
    assert "geschützt" in meldung
    assert dict(_werte(demo_copy, "familienlotsen")).get("geheim", 0) >= klein[0][0]
    # audit trail: the previous row kept, the batch and the Protokoll name person and reason
    assert _eine(demo_copy, "SELECT geheimhaltung FROM indikatoren_historie WHERE id = 'familienlotsen'") == [(False,)]
    protokoll = _eine(demo_copy, "SELECT aktion, person_kennung, grund FROM protokoll ORDER BY nr DESC LIMIT 1")
    assert protokoll == [("geheimhaltung_geaendert", "vera@kreis.example",
                          "Lotsen sind Ehrenamtliche, geschützt wie Personen")]


def test_the_indikatoren_page_offers_the_switch_only_to_the_verwaltung(demo_copy, monkeypatch):
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_copy))
    at = open_page("pages/3_Indikatoren.py").run()  # the laptop user: Bearbeiter
    assert not at.exception
    assert not [e for e in at.expander if "Geheimhaltung eines Indikators ändern" in e.label]
    regeln = " ".join(str(v) for v in at.dataframe[0].value["Regel"]) if at.dataframe else ""
    assert "keine Geheimhaltung" in regeln and "der Nenner ist der Indikator „Kinder unter 10 Jahren“" in regeln
