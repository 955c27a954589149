"""Targets edited in the app: create, change, retire with a reason, every version kept (who, when, why), and the
goal page as it stood on an earlier date ("Stand der Ziele am …")."""

import functools
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import open_page, query_rows as rows
from sozialmonitor import importer
from sozialmonitor.ausgabe import foliensatz
from sozialmonitor.daten import db
from sozialmonitor.daten import queries
from sozialmonitor.daten import stand
from sozialmonitor.importer import demo
from sozialmonitor.ziele import pflege
from sozialmonitor.zugang import rollen
from sozialmonitor.errors import EingabeFehler, SozialmonitorFehler

BERND = rollen.Person("bernd@kreis.example", "Bernd Bearbeiter", "bearbeiter")
ZIEL = "3.1-jugendarbeitslosigkeit"


def current(path: Path, ziel_id: str = ZIEL) -> dict:
    katalog = rows(path, "ziele_katalog")
    return katalog[katalog["id"] == ziel_id].iloc[0].to_dict()


def edited(path: Path, **changes) -> dict:
    return pflege.formularwerte(current(path)) | changes


def shift_history(path: Path, days: int) -> None:
    """Move every batch so far `days` into the past (as if the demo had been imported then)."""
    con = duckdb.connect(str(path))
    con.execute("UPDATE importe SET zeitpunkt = zeitpunkt - to_days($d)", {"d": days})
    con.close()


def test_a_change_keeps_the_old_version_with_who_when_why(demo_copy):
    message = pflege.speichern(demo_copy, BERND, edited(demo_copy, schwelle=6.5),
                                   "Beschluss des Kreistags vom 12.11.", neu=False)
    assert "geändert" in message
    assert current(demo_copy)["schwelle"] == 6.5
    versions = rows(demo_copy, "ziel_versionen", ziel=ZIEL)
    assert versions["schwelle"].tolist() == [6.5, 7.0]
    assert versions["aktuell"].tolist() == [True, False]
    assert versions["benutzer"].iloc[0] == "Bernd Bearbeiter (bernd@kreis.example)"
    assert versions["grund"].iloc[0] == "Beschluss des Kreistags vom 12.11."
    assert versions["abgeloest_grund"].iloc[1] == "Beschluss des Kreistags vom 12.11."
    assert versions["gueltig_bis"].iloc[1] == versions["gueltig_ab"].iloc[0]
    shown = pflege.versionen_tabelle(versions)
    assert shown["Vorgabe"].tolist() == ["< 6,5", "< 7"] and shown["gültig bis"].iloc[0] == "heute"
    log = rows(demo_copy, "protokoll", von=None, bis=None)
    assert (log["aktion"].iloc[0], log["person_name"].iloc[0]) == ("ziel_geaendert", "Bernd Bearbeiter")


def test_refusals_name_the_field_and_leave_the_database_untouched(demo_copy):
    before = demo_copy.read_bytes()
    cases = [
        (lambda: pflege.speichern(demo_copy, BERND, edited(demo_copy), "kein Unterschied", neu=False),
         "Nichts geändert"),
        (lambda: pflege.speichern(demo_copy, BERND, edited(demo_copy, indikator="gibt_es_nicht"), "x", neu=False),
         "Den Indikator „gibt_es_nicht“ gibt es nicht"),
        (lambda: pflege.speichern(demo_copy, BERND, edited(demo_copy), "neu", neu=True),
         "Ein Ziel mit dieser ID gibt es schon"),
        (lambda: pflege.speichern(demo_copy, BERND, edited(demo_copy, id="neu-1", schwelle=None), "neu",
                                      neu=True), "Genau einer der Schlüssel"),
        (lambda: pflege.speichern(demo_copy, BERND, edited(demo_copy, frist=date(2018, 12, 31)), "x", neu=False),
         "muss nach dem Basisjahr 2019 liegen"),
    ]
    for call, message in cases:
        with pytest.raises(EingabeFehler, match=message) as refused:
            call()
        assert all(b.datei.startswith("Ziel ") for b in refused.value.befunde)
    with pytest.raises(SozialmonitorFehler, match="Bitte einen Grund angeben"):
        pflege.speichern(demo_copy, BERND, edited(demo_copy, schwelle=5.0), " ", neu=False)
    assert demo_copy.read_bytes() == before


def test_a_new_target_gets_the_next_position_and_is_evaluated(demo_copy):
    spec = edited(demo_copy, id="3.2-sgb2", titel="SGB-II-Quote der Kinder unter 10 höchstens 12 %",
                  indikator="sgb2_u10", schwelle=12.0, vergleich="<=", aggregation="jahreswert",
                  gebiete=["kreis", "sozialraeume"])
    pflege.speichern(demo_copy, BERND, spec, "neues Ziel der Steuerungsgruppe", neu=True)
    new = current(demo_copy, "3.2-sgb2")
    assert new["reihenfolge"] == rows(demo_copy, "ziele_katalog")["reihenfolge"].max()
    assert list(new["gebiete"]) == ["kreis", "sozialraeume"]
    con = db.connect_read_only(demo_copy)
    unterlagen = foliensatz.collect(functools.partial(queries.run_query, con))
    con.close()
    assert "3.2-sgb2" in set(unterlagen.uebersicht["id"])


def test_retired_targets_leave_the_list_but_not_the_past(demo_copy):
    shift_history(demo_copy, 10)
    pflege.speichern(demo_copy, BERND, edited(demo_copy, schwelle=6.5), "neue Schwelle", neu=False)
    pflege.zurueckziehen(demo_copy, BERND, ZIEL, "Ziel in Zielvereinbarung 2025 aufgegangen")
    assert ZIEL not in set(rows(demo_copy, "ziele_katalog")["id"])
    assert rows(demo_copy, "ziele_alle_ids").set_index("id").loc[ZIEL, "aktuell"] == False  # noqa: E712
    versions = rows(demo_copy, "ziel_versionen", ziel=ZIEL)
    assert versions["aktuell"].tolist() == [False, False]
    assert versions["abgeloest_grund"].tolist() == ["Ziel in Zielvereinbarung 2025 aufgegangen", "neue Schwelle"]

    # at the end of yesterday: the original target, evaluated on the data of that day
    con = stand.datenbank_am(demo_copy, datetime.combine(date.today() - timedelta(days=1), datetime.max.time()))
    earlier = foliensatz.collect(functools.partial(queries.run_query, con), date.today() - timedelta(days=1))
    con.close()
    row = earlier.katalog.set_index("id").loc[ZIEL]
    assert row["schwelle"] == 7.0
    assert ZIEL in set(earlier.uebersicht["id"])
    # before the first import there was nothing (the demo dates its imports months back since issue 20)
    erster = rows(demo_copy, "import_history")["zeitpunkt"].min().to_pydatetime()
    con = stand.datenbank_am(demo_copy, erster - timedelta(days=1))
    assert queries.run_query(con, "ziele_katalog").empty and queries.run_query(con, "data_status").iloc[0]["importe"] == 0
    con.close()


def test_the_state_between_two_edits_and_after_an_undo(demo_copy):
    pflege.speichern(demo_copy, BERND, edited(demo_copy, schwelle=6.5), "erste Änderung", neu=False)
    pflege.speichern(demo_copy, BERND, edited(demo_copy, schwelle=6.0), "zweite Änderung", neu=False)
    history = rows(demo_copy, "import_history").set_index("import_id")
    first, second = sorted(history.index)[-2:]
    between = history.loc[first, "zeitpunkt"] + (history.loc[second, "zeitpunkt"] - history.loc[first, "zeitpunkt"]) / 2
    con = stand.datenbank_am(demo_copy, between.to_pydatetime())
    assert queries.run_query(con, "ziele_katalog").set_index("id").loc[ZIEL, "schwelle"] == 6.5
    con.close()
    importer.run_undo(demo_copy, int(second), person=BERND, grund="versehentlich")
    assert current(demo_copy)["schwelle"] == 6.5


def test_the_goal_page_shows_the_targets_as_they_stood(demo_copy, monkeypatch):
    shift_history(demo_copy, 10)
    pflege.speichern(demo_copy, BERND, edited(demo_copy, schwelle=6.5), "neue Schwelle", neu=False)
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_copy))
    at = open_page("pages/2_Zielerreichung.py", ziel=ZIEL).run()
    assert not at.exception
    assert "Zielvorgabe:** unter 6,5 %" in " ".join(m.value for m in at.markdown)
    at.date_input(key="ziele_stichtag").set_value(date.today() - timedelta(days=1)).run()
    assert not at.exception
    assert any("Stand der Ziele am" in i.value for i in at.info)
    assert "Zielvorgabe:** unter 7,0 %" in " ".join(m.value for m in at.markdown)
    # before the demo's first import (dated months back since issue 20): no version, said in plain German
    at.date_input(key="ziele_stichtag").set_value(date.today() - timedelta(days=demo.TAGE_ERSTE_FASSUNG + 20)).run()
    assert not at.exception and any("keine Fassung eines Ziels" in i.value and "python -m" not in i.value
                                    for i in at.info)


def test_the_edit_page_changes_a_target_with_a_reason(demo_copy, monkeypatch):
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_copy))
    at = open_page("pages/7_Ziele_bearbeiten.py").run()
    assert not at.exception and not at.error
    key = f"zb_aendern_{ZIEL}"
    assert at.text_input(key=f"{key}_schwelle").value == "7"  # German, as the agreement writes it (not "7.00")
    at.text_input(key=f"{key}_schwelle").input("6,0")
    at.text_input(key=f"{key}_grund").input("Beschluss vom 1.12.")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert not at.exception
    assert "geändert" in at.success[0].value
    assert current(demo_copy)["schwelle"] == 6.0
    assert rows(demo_copy, "import_history")["grund"].iloc[0] == "Beschluss vom 1.12."


def test_a_betrachter_gets_no_earlier_version(demo_copy, monkeypatch):
    """Issue 19: two versions side by side could give away a value the Geheimhaltung hides in both – earlier
    versions only for Bearbeiter and Verwaltung; a Betrachter sees the current targets and why there is no date."""
    shift_history(demo_copy, 10)
    pflege.speichern(demo_copy, BERND, edited(demo_copy, schwelle=6.5), "neue Schwelle", neu=False)
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_copy))
    monkeypatch.setenv("SOZIALMONITOR_NUR_LESEN", "1")  # everyone is Betrachter
    at = open_page("pages/2_Zielerreichung.py", ziel=ZIEL).run()
    assert not at.exception
    assert not [d for d in at.date_input if d.key == "ziele_stichtag"]
    assert any("Frühere Stände der Ziele sehen Bearbeiter und Verwaltung" in c.value for c in at.caption)
    assert "Zielvorgabe:** unter 6,5 %" in " ".join(m.value for m in at.markdown)
    # and the function behind the page refuses too: an earlier day gives the current version
    from sozialmonitor.oberflaeche import seite
    assert seite.query_am(date.today() - timedelta(days=1)) is seite._query_all
