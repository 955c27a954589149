"""Land and Bund values only with an official source (issue 20, BEFUNDE #20): the demo cited them from newspapers
(insuedthueringen.de, sueddeutsche.de, finanznachrichten.de), which a Vorlage cannot quote. The figures at hand
(/work/shared/reference) have no official source, so the demo holds none: pages say "kein Wert", and the demo notice
says why instead of calling newspaper figures real."""

import re

from sozialmonitor.daten import config, queries

PRESSE = re.compile(r"zitiert in|insuedthueringen|sueddeutsche|finanznachrichten|thueringer-allgemeine|tlz\.de|"
                    r"nachrichten\.ag|statista|welt\.de", re.IGNORECASE)


def test_no_reference_value_of_the_demo_is_cited_from_a_newspaper(demo_con):
    quellen = demo_con.execute("""SELECT b.gebiet, b.indikator, b.zeitraum, coalesce(b.quelle, i.quelle) FROM beobachtungen b
        JOIN gebiete g ON g.code = b.gebiet LEFT JOIN indikatoren i ON i.id = b.indikator
        WHERE g.ebene IN ('land', 'bund')""").fetchall()
    assert [q for q in quellen if q[3] is None or PRESSE.search(q[3])] == []


def test_the_karte_says_kein_wert_for_land_and_bund(demo_con):
    werte = queries.run_query(demo_con, "reference_values", indikator="alq_u25", zeitraum="2023")
    land_bund = werte[werte["gebiet"].isin(["16", "DG"])]
    assert land_bund["wert"].isna().all()


def test_the_demo_notice_calls_no_newspaper_figure_real():
    assert "Echt sind nur die Referenzwerte" not in config.DEMO_NOTICE
    assert "kein Wert" in config.DEMO_NOTICE
