"""Issue 21: the Sozialindex definitions edited in the app (versions, who/when/why, Protokoll, checks in German,
Betrachter refused), the Vergleichsring's Kreis values and Vergleichstypen through the importer, and the page and
`sozialindex --json` on the current version."""

import functools
import json

import pytest

from conftest import open_page, query_rows as rows
from sozialmonitor import cli, importer
from sozialmonitor.daten import db, queries
from sozialmonitor.errors import EingabeFehler, KeinZugriff, SozialmonitorFehler
from sozialmonitor.sozialindex import berechnung, pflege, vergleichsring
from sozialmonitor.zugang import rollen

BERND = rollen.Person("bernd@kreis.example", "Bernd Bearbeiter", "bearbeiter")
BEA = rollen.Person("bea@kreis.example", "Bea Betrachter", "betrachter")


def spec(**changes) -> dict:
    return {"id": "kinder_jugend", "name": "Sozialindex Kinder und Jugend", "ebene": "sozialraum",
            "indikatoren": ["sgb2_u10", "alq_u25", "ohne_hsa"], "groesse": "bev_u10", "mindestgroesse": 300,
            "dynamik_jahre": 2} | changes


def query(path):
    con = db.connect_read_only(path)
    return con, functools.partial(queries.run_query, con)


def test_the_demo_imports_definitions_and_synthetic_kreis_values_through_the_importer(demo_con):
    history = queries.run_query(demo_con, "import_history")
    arten = dict(zip(history["datei"], history["art"]))
    assert arten["demo_kreise.csv"] == "vergleichskreise" and arten["sozialindex.toml"] == "sozialindex"
    kreise = queries.run_query(demo_con, "vergleichskreise")
    # every other Kreis of Germany (the own one is in the database with its published values)
    assert kreise["kreis"].nunique() == 399 and "16065" not in set(kreise["kreis"]) and kreise["synthetisch"].all()
    stored = queries.run_query(demo_con, "sozialindex_definitionen")
    assert stored["id"].tolist() == ["kinder_jugend", "vergleichsring"]
    ring = vergleichsring.berechnen(functools.partial(queries.run_query, demo_con))
    assert isinstance(ring, vergleichsring.Vergleichsring) and ring.synthetisch and len(ring.nachbarn) == 5


def test_a_bearbeiter_changes_a_weight_with_a_reason_and_every_version_stays(demo_copy, capsys):
    message = pflege.speichern(demo_copy, BERND, spec(gewichte={"sgb2_u10": 2}), "Beschluss JHA 3.12.", neu=False)
    assert "geändert" in message
    con, q = query(demo_copy)
    try:
        (definition,) = berechnung.definitionen(q)
        assert definition.gewichte == (2.0, 1.0, 1.0)
        fassungen = q("sozialindex_fassungen", id="kinder_jugend")
        assert fassungen["aktuell"].tolist() == [True, False]
        assert fassungen["benutzer"].iloc[0] == "Bernd Bearbeiter (bernd@kreis.example)"
        assert fassungen["grund"].iloc[0] == "Beschluss JHA 3.12."
        log = q("protokoll", von=None, bis=None)
        assert (log["aktion"].iloc[0], log["grund"].iloc[0]) == ("sozialindex_geaendert", "Beschluss JHA 3.12.")
        tabelle = pflege.fassungen_tabelle(fassungen)
        assert "sgb2_u10 (Gewicht 2)" in tabelle["Festlegung"].iloc[0]
        assert "sgb2_u10 (Gewicht 1)" in tabelle["Festlegung"].iloc[1]
        # the earlier version still computes, and differs from the current one
        frueher = berechnung.aus_json(fassungen["definition"].iloc[1])
        assert frueher.gewichte == (1.0, 1.0, 1.0)
        jetzt, vorher = berechnung.berechnen(con, definition, bootstrap=False), berechnung.berechnen(
            con, frueher, bootstrap=False)
        assert not jetzt.gebiete["status_wert"].equals(vorher.gebiete["status_wert"])
    finally:
        con.close()
    # the command line uses the current version
    assert cli.main(["sozialindex", "--db", str(demo_copy), "--json"]) == 0
    daten = json.loads(capsys.readouterr().out)
    assert daten["indizes"][0]["gewichte"] == [2.0, 1.0, 1.0]
    # and the edit can be undone like any import
    batch = int(rows(demo_copy, "import_history")["import_id"].iloc[0])
    importer.run_undo(demo_copy, batch, person=BERND, grund="zurück")
    con, q = query(demo_copy)
    assert berechnung.definitionen(q)[0].gewichte == (1.0, 1.0, 1.0)
    con.close()


@pytest.mark.parametrize("changes, message", [
    ({"indikatoren": ["sgb2_u10", "gibt_es_nicht"]}, "den Indikator „gibt_es_nicht“ gibt es nicht im Katalog"),
    ({"gewichte": {"alq_u25": 0}}, "Das Gewicht von „alq_u25“ muss eine Zahl größer als 0 sein"),
    ({"gewichte": {"alq_u25": -1.5}}, "Das Gewicht von „alq_u25“ muss eine Zahl größer als 0 sein"),
    ({"mindestgroesse": -1}, "Erwartet wird eine Zahl ab 0 (Einwohner)"),
    ({"dynamik_jahre": 0}, "Erwartet wird eine ganze Zahl von 1 bis 10 (Jahre)"),
    ({"grenzen_status": [1.0, -1.0, 1.5]}, "Erwartet werden 3 aufsteigende Zahlen"),
    ({"indikatoren": ["bev_u10"]}, "ist keine Quote"),
    ({"ebene": "kreis"}, "Erlaubt sind „sozialraum“ und „gemeinde“"),
    ({}, "Nichts geändert"),
], ids=["unbekannt", "gewicht-0", "gewicht-negativ", "mindestgroesse", "spanne", "grenzen", "keine-quote", "ebene",
        "nichts"])
def test_invalid_definitions_are_refused_in_german_and_nothing_is_written(demo_copy, changes, message):
    before = demo_copy.read_bytes()
    with pytest.raises(EingabeFehler) as refused:
        pflege.speichern(demo_copy, BERND, spec(**changes), "Test", neu=False)
    assert message in " ".join(b.meldung for b in refused.value.befunde)
    assert demo_copy.read_bytes() == before


def test_a_new_index_needs_a_new_id_and_a_reason(demo_copy):
    with pytest.raises(EingabeFehler, match="gibt es schon"):
        pflege.speichern(demo_copy, BERND, spec(), "neu", neu=True)
    with pytest.raises(SozialmonitorFehler, match="Bitte einen Grund angeben"):
        pflege.speichern(demo_copy, BERND, spec(id="jugend"), " ", neu=True)
    pflege.speichern(demo_copy, BERND, spec(id="jugend", name="Jugend", indikatoren=["alq_u25", "ohne_hsa"]),
                     "zweiter Index", neu=True)
    con, q = query(demo_copy)
    assert [d.id for d in berechnung.definitionen(q)] == ["kinder_jugend", "jugend"]
    con.close()
    pflege.entfernen(demo_copy, BERND, "jugend", "doch nicht")
    con, q = query(demo_copy)
    assert [d.id for d in berechnung.definitionen(q)] == ["kinder_jugend"]
    assert q("sozialindex_fassungen", id="jugend")["aktuell"].tolist() == [False]
    con.close()
    with pytest.raises(EingabeFehler, match="letzte Index"):
        pflege.entfernen(demo_copy, BERND, "kinder_jugend", "alles weg")


@pytest.mark.parametrize("person", [None, BEA], ids=["niemand", "betrachter"])
def test_a_betrachter_cannot_edit_a_definition_by_a_direct_call(demo_copy, person):
    before = demo_copy.read_bytes()
    for call in (lambda: pflege.speichern(demo_copy, person, spec(gewichte={"alq_u25": 3}), "x", neu=False),
                 lambda: pflege.entfernen(demo_copy, person, "kinder_jugend", "x"),
                 lambda: pflege.ring_speichern(demo_copy, person, {"kreis": "16065", "indikatoren": ["alq_u25"]},
                                               "x")):
        with pytest.raises(KeinZugriff, match="Sozialindex und Vergleichsring festlegen"):
            call()
    assert demo_copy.read_bytes() == before


def test_the_edit_page_is_refused_to_a_betrachter_by_url(app_on_demo, monkeypatch):
    monkeypatch.setenv(importer.READ_ONLY_SETTING, "1")  # everyone is Betrachter
    at = open_page("pages/11_Sozialindex_bearbeiten.py").run()
    assert not at.exception
    assert "darf erst die Rolle Bearbeiter" in at.error[0].value
    assert not at.get("form") and not at.dataframe and not at.button
    assert "Sozialindex bearbeiten" not in [link.label for link in open_page().run().get("page_link")]


def test_the_edit_page_saves_a_weight_and_the_index_page_shows_the_earlier_version(demo_copy, monkeypatch):
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_copy))
    at = open_page("pages/11_Sozialindex_bearbeiten.py").run()
    assert not at.exception and not at.error
    key = "sib_aendern_kinder_jugend"
    at.number_input(key=f"{key}_gewicht_sgb2_u10").set_value(2.0)
    at.text_input(key=f"{key}_grund").input("Beschluss vom 3.12.")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert not at.exception, at.exception
    assert "geändert" in at.success[0].value
    assert len(at.dataframe) == 1  # the versions
    con, q = query(demo_copy)
    assert berechnung.definitionen(q)[0].gewichte == (2.0, 1.0, 1.0)
    con.close()
    # a weight of 0 is refused with the German finding, nothing saved
    at.number_input(key=f"{key}_gewicht_alq_u25").set_value(0.0)
    at.text_input(key=f"{key}_grund").input("Test")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert "Nicht gespeichert" in at.error[0].value
    seite = open_page("pages/10_Sozialindex.py").run()
    assert not seite.exception
    fassung = seite.selectbox(key="sozialindex_fassung_kinder_jugend")
    assert "aktuell" in fassung.format_func(fassung.value) and "Beschluss vom 3.12." in fassung.format_func(fassung.value)
    frueher = int(rows(demo_copy, "sozialindex_fassungen", id="kinder_jugend")["import_id"].iloc[1])
    fassung.set_value(frueher).run()
    assert any("Frühere Fassung" in i.value for i in seite.info)


def test_a_vergleichstyp_table_gives_a_fixed_ring(demo_copy):
    typen = "kreis;typ;typologie\n16065;IIa;SGB-II-Vergleichstypen 2024\n01001;IIa;SGB-II-Vergleichstypen 2024\n" \
            "01002;IIa;SGB-II-Vergleichstypen 2024\n01003;Ib;SGB-II-Vergleichstypen 2024\n"
    vorschau = importer.run(demo_copy, "vergleichstypen", typen.encode(), "typen.csv", person=BERND, dry_run=True)
    assert vorschau.trockenlauf and vorschau.neu == 4
    importer.run(demo_copy, "vergleichstypen", typen.encode(), "typen.csv", person=BERND, grund="BA-Typen")
    pflege.ring_speichern(demo_copy, BERND, {"kreis": "16065", "indikatoren": ["sgb2_u10", "alq_u25", "ohne_hsa"],
                                             "vergleichstyp": True}, "fester Ring der BA")
    con, q = query(demo_copy)
    ring = vergleichsring.berechnen(q)
    con.close()
    assert isinstance(ring, vergleichsring.Vergleichsring), ring
    assert sorted(ring.nachbarn["kreis"]) == ["01001", "01002"] and ring.ring.k == 2
    assert "Typ IIa (SGB-II-Vergleichstypen 2024)" in vergleichsring.methodentext(ring)
    log = rows(demo_copy, "protokoll", von=None, bis=None)
    assert log["aktion"].tolist()[:2] == ["vergleichsring_geaendert", "import"]


def test_kreis_values_import_with_preview_refusal_and_conflict(demo_copy):
    neu = "kreis;indikator;zeitraum;zaehler;nenner\n01001;alq_u25;2025;100;1000\n"
    vorschau = importer.run(demo_copy, "vergleichskreise", neu.encode(), "kreise_2025.csv", person=BERND,
                            dry_run=True)
    assert vorschau.neu == 1 and vorschau.import_id is None
    with pytest.raises(EingabeFehler, match="gibt es nicht im Katalog"):
        importer.run(demo_copy, "vergleichskreise", neu.replace("alq_u25", "xyz").encode(), "x.csv", person=BERND)
    with pytest.raises(EingabeFehler, match="kein Kreis des Gebietsregisters"):
        importer.run(demo_copy, "vergleichskreise", neu.replace("01001", "99999").encode(), "x.csv", person=BERND)
    with pytest.raises(EingabeFehler, match="Konflikt"):  # a stored value differs: only with replace
        importer.run(demo_copy, "vergleichskreise", b"kreis;indikator;zeitraum;zaehler;nenner\n"
                     b"01001;alq_u25;2024;1;1000\n", "x.csv", person=BERND)
    with pytest.raises(KeinZugriff):
        importer.run(demo_copy, "vergleichskreise", neu.encode(), "k.csv", person=BEA)
    ergebnis = importer.run(demo_copy, "vergleichskreise", neu.encode(), "kreise_2025.csv", person=BERND,
                            grund="Regionalstatistik 2025")
    log = rows(demo_copy, "protokoll", von=None, bis=None)
    assert log["gegenstand"].iloc[0] == f"Import {ergebnis.import_id}: Vergleichsdaten der Kreise – kreise_2025.csv"
    stored = rows(demo_copy, "vergleichskreise")
    assert not stored[stored["zeitraum"].eq("2025")]["synthetisch"].any()  # this file is not synthetic
