"""The attacker test as the contract (issue 19): on generated small Kreise, each with the ordinary situations that
broke the protection – a Gemeinde without rows (inhabited) and a gemeindefreies Gebiet, Sozialraum rates published
without counts, a count indicator that is a rate's numerator, a published Kreis total beside a Gemeinde delivered as
'*', monthly values and their annual average, and a corrected second version – every sensitive count keeps a range of
at least the configured schutzbreite (2) against an integer program over everything published (tests/angreifer_lp).

The databases are real (schema and views of sozialmonitor.daten); only the protection step under test decides what
is shown. Sensitive cells are chosen from the true values by the BA rule, not by the code under test."""

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from angreifer_lp import Fassung, angreifen
from sozialmonitor import geheimhaltung
from sozialmonitor.daten import db
from sozialmonitor.zugang.rollen import Person

BETRACHTER = Person(kennung="leser@kreis.de", name="Leser", rolle="betrachter")

REGELN = geheimhaltung.lesen("[standard]\nmin_anzahl = 3\nmin_zaehler = 3\nmin_nenner = 10\nschutzbreite = 2\n")
KATALOG = pd.DataFrame([
    ("q", "SGB-II-Quote U10", "quote", "%", 100.0, 1, "Kinder in Bedarfsgemeinschaften",
     "Kinder unter 10 Jahren (Melderegister)"),
    ("bev", "Kinder unter 10 Jahren", "anzahl", "Anzahl", 1.0, 0, "Einwohner unter 10 Jahren", ""),
    ("kinder", "Kinder in Bedarfsgemeinschaften", "anzahl", "Anzahl", 1.0, 0, "Kinder in Bedarfsgemeinschaften", ""),
    ("alq", "Arbeitslosenquote U25", "quote", "%", 100.0, 1, "Arbeitslose unter 25", "Bezugsgröße"),
], columns=["id", "name", "art", "einheit", "faktor", "nachkommastellen", "zaehler", "nenner"])
LINKS = {"q": ("kinder", "bev")}  # what the attacker reads in the catalogue's definitions


@st.composite
def kreise(draw):
    """A Kreis 16099 with 2–3 Sozialräume of 2–4 Gemeinden and the situations switched on at random."""
    lage = {name: draw(st.booleans()) for name in
            ("ohne_zeilen", "gemeindefrei", "nur_wert", "zaehler_link", "gesperrt", "monate", "versionen")}
    gemeinden = []
    for s in range(draw(st.integers(2, 3))):
        for _ in range(draw(st.integers(2, 4))):
            gemeinden.append({"code": f"16099{len(gemeinden) + 1:03d}", "sr": f"SR{s + 1}",
                              "n": draw(st.integers(1, 60)), "z": None, "monate": None})
    for g in gemeinden:
        g["z"] = draw(st.integers(0, min(g["n"], 6)))
        if lage["monate"]:
            g["monate"] = [(draw(st.integers(0, 4)), draw(st.integers(15, 40))) for _ in range(12)]
    korrektur = (draw(st.integers(0, len(gemeinden) - 1)), draw(st.sampled_from([-1, 1, 2])))
    return lage, gemeinden, korrektur


def datenbank(lage, gemeinden, korrektur=None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("ATTACH ':memory:' AS " + db.CATALOG)
    con.execute("USE " + db.CATALOG)
    db.ensure_schema(con)
    con.execute("INSERT INTO importe (import_id, art, datei, sha256, zeilen, zeitpunkt) "
                "VALUES (1, 'beobachtungen', 'x.csv', '-', 0, now())")
    katalog = KATALOG if lage["zaehler_link"] else KATALOG[KATALOG["id"].ne("kinder")]
    con.register("k", katalog)
    con.execute("INSERT INTO indikatoren BY NAME SELECT id, name, zaehler, nenner, einheit, art, 'neutral' AS "
                "polaritaet, nachkommastellen, faktor FROM k")
    con.unregister("k")
    gebiete = [("16099", "Testkreis", "kreis", None, "Landkreis")]
    srs = sorted({g["sr"] for g in gemeinden})
    gebiete += [(s, f"Sozialraum {s}", "sozialraum", "16099", None) for s in srs]
    gebiete += [(g["code"], f"Gemeinde {g['code'][-3:]}", "gemeinde", "16099", "Gemeinde") for g in gemeinden]
    zuordnung = [(g["code"], g["sr"]) for g in gemeinden]
    if lage["gemeindefrei"]:
        gebiete.append(("16099900", "Forst", "gemeinde", "16099", "Gemeindefreies Gebiet"))
        zuordnung.append(("16099900", srs[0]))
    con.executemany("INSERT INTO gebiete (code, name, ebene, uebergeordnet, bez) VALUES (?, ?, ?, ?, ?)", gebiete)
    con.executemany("INSERT INTO zuordnung (gemeinde, sozialraum) VALUES (?, ?)", zuordnung)
    werte = [dict(g) for g in gemeinden]
    if korrektur is not None:
        i, d = korrektur
        werte[i]["z"] = int(min(max(werte[i]["z"] + d, 0), werte[i]["n"]))
    rows = []
    ohne = werte[-1]["code"] if lage["ohne_zeilen"] else None  # an inhabited Gemeinde whose rows were not imported
    gesperrt = werte[0]["code"] if lage["gesperrt"] else None
    for g in werte:
        if g["code"] == ohne:
            continue
        z, n = g["z"], g["n"]
        if g["code"] == gesperrt:
            rows.append((g["code"], "q", "2024", None, n, None, "gesperrt"))
        else:
            rows.append((g["code"], "q", "2024", z, n, 100 * z / n, "ok"))
        rows.append((g["code"], "bev", "2024", None, None, n, "ok"))
        if lage["zaehler_link"]:
            rows.append((g["code"], "kinder", "2024", None, None, z, "gesperrt" if g["code"] == gesperrt else "ok"))
            if g["code"] == gesperrt:
                rows[-1] = (g["code"], "kinder", "2024", None, None, None, "gesperrt")
        for m, (mz, mn) in enumerate(g["monate"] or [], start=1):
            rows.append((g["code"], "alq", f"2024-{m:02d}", mz, mn, 100 * mz / mn, "ok"))
    if lage["gesperrt"]:  # the supplier's Kreis total includes the '*' and every Gemeinde
        z, n = sum(g["z"] for g in werte), sum(g["n"] for g in werte)
        rows.append(("16099", "q", "2024", z, n, 100 * z / n, "ok"))
    if lage["nur_wert"]:  # the city's statistics office publishes Sozialraum rates, one decimal, no counts
        for s in srs:
            teil = [g for g in werte if g["sr"] == s]
            z, n = sum(g["z"] for g in teil), sum(g["n"] for g in teil)
            rows.append((s, "q", "2024", None, None, round(100 * z / n, 1), "ok"))
    con.executemany("INSERT INTO beobachtungen (gebiet, indikator, zeitraum, zaehler, nenner, wert, status, "
                    "import_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1)", rows)
    return con


def veroeffentlichen(con) -> Fassung:
    wahr = con.execute("SELECT * FROM werte_live").df()
    return Fassung(geheimhaltung.geschuetzte_werte(con, REGELN), wahr)


def angriff(lage, gemeinden, korrektur):
    """What a Betrachter can reach: the current version, and the earlier one only if the app shows it to them."""
    con = datenbank(lage, gemeinden)
    fassungen = [veroeffentlichen(con)]
    teile = con.execute("SELECT obergebiet, teilgebiet FROM teilgebiete").df()
    katalog = con.execute("SELECT * FROM indikatoren").df()
    con.close()
    if lage["versionen"]:  # a corrected delivery (BA correction imported with --replace)
        con = datenbank(lage, gemeinden, korrektur)
        neu = veroeffentlichen(con)
        con.close()
        fassungen = fassungen + [neu] if geheimhaltung.fruehere_fassungen_erlaubt(BETRACHTER) else [neu]
    gemeindefrei = {"16099900"} if lage["gemeindefrei"] else set()
    links = LINKS if lage["zaehler_link"] else {"q": (None, "bev")}
    return angreifen(fassungen, teile, gemeindefrei, katalog, links, REGELN)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kreise())
def test_no_sensitive_count_of_a_generated_kreis_is_narrower_than_the_schutzbreite(kreis):
    ergebnis = angriff(*kreis)
    schwach = ergebnis[ergebnis["schwach"]]
    assert schwach.empty, f"{len(schwach)} von {len(ergebnis)} sensiblen Werten zu eng:\n" \
                          f"{schwach[['gebiet', 'indikator', 'zeitraum', 'gezeigt', 'wahr', 'unten', 'oben']]}"


def _alle(**an):
    return {name: an.get(name, False) for name in
            ("ohne_zeilen", "gemeindefrei", "nur_wert", "zaehler_link", "gesperrt", "monate", "versionen")}


def _gemeinden(zn, sr):
    return [{"code": f"16099{i + 1:03d}", "sr": s, "n": n, "z": z, "monate": None}
            for i, ((z, n), s) in enumerate(zip(zn, sr))]


@pytest.mark.parametrize("lage, gemeinden", [
    # the issue's first case: an inhabited Gemeinde without rows switched the sums off
    (_alle(ohne_zeilen=True, gemeindefrei=True), _gemeinden([(1, 30), (20, 200), (30, 300), (25, 250), (5, 40)],
                                                            ["SR1", "SR1", "SR2", "SR2", "SR2"])),
    # the second: Sozialraum rates without counts × the linked denominator
    (_alle(nur_wert=True), _gemeinden([(2, 25), (40, 400), (30, 300), (25, 250)], ["SR1", "SR1", "SR2", "SR2"])),
    # the fourth: the rate's numerator as a count indicator of its own
    (_alle(zaehler_link=True), _gemeinden([(3, 8), (40, 400), (30, 300), (25, 250)], ["SR1", "SR1", "SR2", "SR2"])),
])
def test_each_situation_of_the_issue_is_protected(lage, gemeinden):
    ergebnis = angriff(lage, gemeinden, (0, 1))
    assert len(ergebnis) >= 1
    assert not ergebnis["schwach"].any(), ergebnis


def test_earlier_versions_are_shown_only_to_those_who_see_the_import_history():
    assert not geheimhaltung.fruehere_fassungen_erlaubt(BETRACHTER)
    assert not geheimhaltung.fruehere_fassungen_erlaubt(None)
    for rolle in ("bearbeiter", "verwaltung"):
        assert geheimhaltung.fruehere_fassungen_erlaubt(Person(kennung="x", name="X", rolle=rolle))
