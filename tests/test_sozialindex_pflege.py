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
        namen = dict(zip(q("sozialindex_indikatoren")["id"], q("sozialindex_indikatoren")["name"]))
        tabelle = pflege.fassungen_tabelle(fassungen, namen)
        assert tabelle["Indikatoren (Gewicht)"].iloc[0].startswith("SGB-II-Quote der Kinder unter 10 Jahren (2), ")
        assert tabelle["Indikatoren (Gewicht)"].iloc[1].startswith("SGB-II-Quote der Kinder unter 10 Jahren (1), ")
        assert tabelle["Einstellungen"].iloc[0] == ("Sozialräume; ab 300 Kinder unter 10 Jahren; Dynamik 2 Jahre; "
                                                    "Grenzen −1 / 1 / 1,5 und −1 / 1")
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
    assert at.text_input(key=f"{key}_gewicht_sgb2_u10").value == "1"  # German, not "1.00"
    assert at.text_input(key=f"{key}_gs0").value == "−1"
    at.text_input(key=f"{key}_gewicht_sgb2_u10").input("2")
    at.text_input(key=f"{key}_grund").input("Beschluss vom 3.12.")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert not at.exception, at.exception
    assert "geändert" in at.success[0].value
    fassungen = at.table[0].value  # the versions, as an HTML table
    # the first version is the demo's import, with the demo build's reason (it writes the Protokoll since 5cb247c)
    assert list(fassungen["Grund"]) == ["Beschluss vom 3.12.", "Aufbau der Demo-Datenbank"]
    assert fassungen["Indikatoren (Gewicht)"].iloc[0].startswith("SGB-II-Quote der Kinder unter 10 Jahren (2)")
    con, q = query(demo_copy)
    assert berechnung.definitionen(q)[0].gewichte == (2.0, 1.0, 1.0)
    con.close()
    # a weight of 0 is refused with the German finding, nothing saved
    at.text_input(key=f"{key}_gewicht_alq_u25").input("0")
    at.text_input(key=f"{key}_grund").input("Test")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert "Nicht gespeichert" in at.error[0].value
    assert "muss eine Zahl größer als 0 sein" in at.dataframe[0].value.to_string()
    seite = open_page("pages/10_Sozialindex.py").run()
    assert not seite.exception
    fassung = seite.selectbox(key="sozialindex_fassung_kinder_jugend")
    assert "aktuell" in fassung.format_func(fassung.value) and "Beschluss vom 3.12." in fassung.format_func(fassung.value)
    frueher = int(rows(demo_copy, "sozialindex_fassungen", id="kinder_jugend")["import_id"].iloc[1])
    fassung.set_value(frueher).run()
    assert any("Frühere Fassung" in i.value for i in seite.info)


def test_versions_of_an_index_and_of_a_target_are_numbered_1_2_3_per_index(demo_copy, monkeypatch):
    """Fresh tester (issue 20): the first version of the demo's index was called "Fassung 9" (its import number).
    Versions are counted per index (and per target) from 1 – in the table of "Sozialindex bearbeiten", in the choice
    "Fassung der Definition" on the page "Sozialindex" and in a target's versions on "Ziele bearbeiten"."""
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_copy))
    at = open_page("pages/11_Sozialindex_bearbeiten.py").run()
    assert list(at.table[0].value["Fassung"]) == [1]  # the demo's only version: 1, not its batch 9
    key = "sib_aendern_kinder_jugend"
    at.text_input(key=f"{key}_gewicht_sgb2_u10").input("2")
    at.text_input(key=f"{key}_grund").input("Beschluss vom 3.12.")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert not at.exception, at.exception
    assert list(at.table[0].value["Fassung"]) == [2, 1]  # newest first
    seite = open_page("pages/10_Sozialindex.py").run()
    fassung = seite.selectbox(key="sozialindex_fassung_kinder_jugend")
    texte = list(fassung.options)  # the labels as shown
    assert texte[0].startswith("Fassung 2 vom") and texte[0].endswith("– aktuell")
    assert texte[1].startswith("Fassung 1 vom")
    from sozialmonitor.ziele import pflege as zielpflege
    versionen = rows(demo_copy, "ziel_versionen", ziel="beispiel-sgb2-u10")  # 16 %, then 15 % (build-demo)
    assert list(zielpflege.versionen_tabelle(versionen)["Fassung"]) == [2, 1]


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
    assert vergleichsring.json_daten(ring)["vergleichstyp"] == "Typ IIa (SGB-II-Vergleichstypen 2024)"
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


def test_the_ring_mean_is_a_comparison_line_on_the_goal_page_and_in_the_documents(demo_con, app_on_demo):
    """Issue 21, point 5: the ring's population-weighted mean beside Kreis, Land and Bund – in the goal's chart and
    table (page and documents: ausgabe.unterlagen.collect), from the counts of the ring's Kreise."""
    from sozialmonitor.ausgabe import diagramme, unterlagen

    query = functools.partial(queries.run_query, demo_con)
    ring = vergleichsring.berechnen(query)
    u = unterlagen.collect(query)
    ziel = next(u.uebersicht[u.uebersicht["id"].eq("3.1-jugendarbeitslosigkeit")].itertuples(index=False))
    linie = u.jahreswerte[u.jahreswerte["ziel"].eq(ziel.id) & u.jahreswerte["gebiet"].eq("vergleichsring")]
    kreise = queries.run_query(demo_con, "vergleichskreise")
    im_ring = kreise[kreise["kreis"].isin(ring.nachbarn["kreis"]) & kreise["indikator"].eq("alq_u25")]
    summen = im_ring.groupby("zeitraum")[["zaehler", "nenner"]].sum()
    erwartet = (summen["zaehler"] / summen["nenner"] * 100).to_numpy()  # weighted by population, from counts
    assert linie.sort_values("jahr")["wert"].to_numpy() == pytest.approx(erwartet)
    assert set(linie["rolle"]) == {"vergleich"}
    figur = diagramme.trend_chart(ziel, u.jahreswerte, u.bewertung, [ziel.gebiet])
    assert "Vergleichsring: 5 ähnliche Kreise, synthetisch" in [t.name for t in figur.data]
    tabelle = diagramme.vergleich_tabelle(ziel, u.jahreswerte)
    vergleich = u.jahreswerte[u.jahreswerte["ziel"].eq(ziel.id) & u.jahreswerte["rolle"].eq("vergleich")
                              & u.jahreswerte["wert"].notna()]
    land_bund = [n for n in ("Thüringen", "Deutschland") if n in set(vergleich["gebiet_name"])]  # where published
    assert list(tabelle.columns) == ["Jahr", "Kyffhäuserkreis", *land_bund, "Vergleichsring"]
    # the evaluation is not changed by the line
    ohne = unterlagen.auswertung.evaluate(u.katalog, queries.run_query(demo_con, "ziel_jahreswerte"))
    assert ohne["status"].tolist() == u.bewertung["status"].tolist()
    at = open_page("pages/2_Zielerreichung.py", ziel=ziel.id).run()
    assert not at.exception
    assert any("Vergleichsring" in d.value.columns for d in at.dataframe)
    hinweis = diagramme.vergleich_hinweis(tabelle, "Vergleichsring: 5 ähnliche Kreise, synthetisch")
    assert hinweis.startswith("Kyffhäuserkreis neben ") and "Vergleichsring (5 ähnliche Kreise, synthetisch)" in hinweis
    assert ("Land und Bund: kein veröffentlichter Wert" in hinweis) == (not land_bund)
    assert any(hinweis in c.value for c in at.caption)


def test_the_index_and_its_z_values_rest_only_on_published_values(demo_db, demo_con, capsys):
    """Geheimhaltung (issue 21, point 4): every value the index shows or implies (the value beside its z-value,
    the base year's value through the change) is a value the disclosure step published; an area with a suppressed
    value gets no z-value at all, and the attacker's harvest of `sozialindex --json` recovers no suppressed count."""
    from angreifer import Wissen, sammle_sozialindex

    werte = demo_con.execute("SELECT gebiet, indikator, zeitraum, wert, status FROM werte").df()
    gezeigt = werte.set_index(["gebiet", "indikator", "zeitraum"])
    assert cli.main(["sozialindex", "--db", str(demo_db), "--json"]) == 0
    index = json.loads(capsys.readouterr().out)["indizes"][0]
    geheim = set(map(tuple, werte.loc[werte["status"].eq("geheim"), ["gebiet", "indikator", "zeitraum"]].to_numpy()))
    jahr, basis = str(index["jahr"]), str(index["basisjahr"])
    im_jahr = {(g, i) for g, i, z in geheim if z == jahr and i in index["indikatoren"]}
    assert im_jahr, "die Demo hat einen geheim gehaltenen Wert im Indexjahr"
    for gebiet in index["gebiete"]:
        for indikator, w in gebiet["indikatoren"].items():
            assert gezeigt.at[(gebiet["gebiet"], indikator, jahr), "status"] == "ok"
            assert w["wert"] == pytest.approx(gezeigt.at[(gebiet["gebiet"], indikator, jahr), "wert"])
            if w["aenderung"] is not None:
                assert gezeigt.at[(gebiet["gebiet"], indikator, basis), "status"] == "ok"
        if any((gebiet["gebiet"], i) in im_jahr for i in index["indikatoren"]):
            assert not gebiet["indikatoren"] and gebiet["status_wert"] is None and "geheim" in gebiet["grund"]
    wissen = Wissen()
    assert sammle_sozialindex(demo_con, demo_db, wissen) > 0
    assert not [k for k in geheim if wissen.exakt(k) is not None]


def test_the_page_shows_the_independently_recomputed_z_values_classes_and_types(app_on_demo, demo_con):
    """'Done when' of issue 21: the demo's index recomputed with plain numpy/pandas from the published table werte
    (test_sozialindex._unabhaengig, no product code) matches the page – every z-value of the z-table, every status
    class and type – as it matches `sozialindex --json` (test_sozialindex)."""
    from test_sozialindex import _unabhaengig

    status, z, dynamik = _unabhaengig(demo_con)
    at = open_page("pages/10_Sozialindex.py").run()
    assert not at.exception
    klassen = at.table[0].value.set_index("Gebiet")
    namen = dict(demo_con.execute("SELECT code, name FROM gebiete").fetchall())
    # one z table per indicator (issue 20: one wide table cut its columns), in the definition's order
    reihenfolge = list(next(iter(z.values())))
    z_tabellen = {i: t.value.set_index("Gebiet") for i, t in zip(reihenfolge, list(at.table)[1:1 + len(reihenfolge)])}
    for z_tabelle in z_tabellen.values():
        assert set(z_tabelle.index) == {namen[g] for g in status}
    for gebiet, wert in status.items():
        for indikator, zwert in z[gebiet].items():
            zeile = z_tabellen[indikator].loc[namen[gebiet]]
            assert zeile["z"].replace("−", "-").replace(",", ".") == f"{zwert:+.2f}"
        klasse = "hoch" if wert <= -1 else "mittel" if wert < 1 else "niedrig" if wert < 1.5 else "sehr niedrig"
        assert klassen.at[namen[gebiet], "Status"] == klasse
        if gebiet in dynamik:
            d = dynamik[gebiet]
            assert klassen.at[namen[gebiet], "Typ"] == f"{klasse} / " + (
                "positiv" if d <= -1 else "stabil" if d < 1 else "negativ")


def test_the_steckbrief_has_the_ring_beside_kreis_land_and_bund(demo_con, app_on_demo):
    """Issue 21, point 5: in the Steckbrief the ring's value stands in its own column beside Kreis, Land and Bund
    (of the row's year; an earlier year in brackets), population-weighted from counts."""
    from sozialmonitor.ausgabe import steckbrief

    query = functools.partial(queries.run_query, demo_con)
    ring = vergleichsring.berechnen(query)
    profil = steckbrief.profile("SR2", query("steckbrief_werte", gebiet="SR2"), query("map_indicators"),
                                queries.run_query(demo_con, "ziele_katalog").head(0), None)
    tabelle = steckbrief.table(steckbrief.mit_ring(profil, ring)).set_index("Indikator")
    assert list(tabelle.columns[3:7]) == ["Kreis", "Land", "Bund", "Vergleichsring"]
    erwartet = ring.vergleich.set_index("name")
    for name in ("SGB-II-Quote der Kinder unter 10 Jahren", "Jugendarbeitslosigkeit (15 bis unter 25 Jahre)"):
        zeile = erwartet.loc[name]
        assert tabelle.at[name, "Vergleichsring"].startswith(
            f"{zeile['ring']:.1f}".replace(".", ",") + " %"), tabelle.at[name, "Vergleichsring"]
    assert tabelle.at["Kinder unter 10 Jahren", "Vergleichsring"] == "–"  # a count has no ring value
    assert "Vergleichsring" not in steckbrief.table(steckbrief.mit_ring(profil, "kein Ring")).columns
    at = open_page("pages/5_Steckbrief.py", gebiet="SR2").run()
    assert not at.exception
    assert any("Vergleichsring" in t.value.columns for t in at.table)
