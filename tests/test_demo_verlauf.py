"""The demo has a history (issue 20, BEFUNDE #16): "Stand der Ziele am …" could not be tried, because build-demo
imported everything on the day it ran – any earlier day showed "keine Ziele". Now the demo's imports are dated as an
office would have made them (data and the first version of the targets about ten months back, a second version of
the example target – 16 % → 15 %, with its reason – a month back): an earlier day shows the first version and a
verdict on the values of that day."""

import functools
from datetime import date, datetime, time, timedelta

from sozialmonitor.ausgabe.unterlagen import collect
from sozialmonitor.daten import queries, stand
from sozialmonitor.importer import demo


def _unterlagen_am(demo_db, tag: date):
    con = stand.datenbank_am(demo_db, datetime.combine(tag, time(23, 59, 59)))
    try:
        return collect(functools.partial(queries.run_query, con), tag)
    finally:
        con.close()


def test_an_earlier_day_shows_the_first_version_of_the_example_target_and_a_verdict(demo_db):
    frueher = date.today() - timedelta(days=(demo.TAGE_ERSTE_FASSUNG + demo.TAGE_ZWEITE_FASSUNG) // 2)
    damals = _unterlagen_am(demo_db, frueher)
    assert len(damals.katalog) == 4  # the targets existed then
    beispiel = damals.katalog.set_index("id").loc[demo.BEISPIEL_ZIEL]
    assert beispiel["schwelle"] == 16 and "höchstens 16 %" in beispiel["titel"]
    verdict = damals.uebersicht.set_index("id").loc[demo.BEISPIEL_ZIEL]
    assert verdict["status"] and verdict["wert"] == verdict["wert"]  # a value and a status, not "keine Ziele"
    heute = _unterlagen_am(demo_db, date.today())
    assert heute.katalog.set_index("id").loc[demo.BEISPIEL_ZIEL]["schwelle"] == 15


def test_before_the_first_import_there_is_nothing_and_the_versions_say_who_changed_what_and_why(demo_con, demo_db):
    vorher = _unterlagen_am(demo_db, date.today() - timedelta(days=demo.TAGE_ERSTE_FASSUNG + 1))
    assert vorher.katalog.empty
    versionen = queries.run_query(demo_con, "ziel_versionen", ziel=demo.BEISPIEL_ZIEL)
    assert list(versionen["schwelle"]) == [15, 16]
    assert versionen.iloc[0]["grund"] == demo.GRUND_ZWEITE_FASSUNG
    assert versionen.iloc[1]["gueltig_bis"] == versionen.iloc[0]["gueltig_ab"]
