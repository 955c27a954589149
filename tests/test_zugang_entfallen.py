"""A membership import that removes a Sozialraum (`import membership --replace`: SR2's Gemeinden go to SR1) while a
target names SR2 and a Betrachter is restricted to SR2. Before: the import said nothing about either; the target
naming only SR2 broke the goal evaluation (ValueError in the overview: the page failed), the one naming Kreis and
SR2 was judged on the Kreis alone; the restricted person still saw the Kreis, Land and Bund values, without a word.
Now: the preview names both, the target reads „Gebiet entfallen“ (no verdict), the restricted person sees nothing
and is told why (through zugang.rollen.sichtbare_gebiete – the filter every page query passes – and the page
frame), the Rollen page marks the entry, and undo brings everything back."""

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sozialmonitor import importer
from sozialmonitor.daten import db, queries
from sozialmonitor.daten.config import DATA_DIR
from sozialmonitor.ziele import auswertung
from sozialmonitor.zugang import rollen, verwaltung
from tests.conftest import lokal_angemeldet, open_page, run_cli, snapshot, write

ZIELE = '''[[ziel]]
id = "sr2-sgb"
titel = "SGB-II-Quote U10 in Artern unter 20 %"
indikator = "sgb2_u10"
gebiete = ["SR2"]
vergleich = "<"
schwelle = 20
aggregation = "jahreswert"
basisjahr = 2019
frist = 2030-12-31
handlungsfeld = "Armutsprävention"
quelle = "Test"
verantwortlich = "Sozialamt"

[[ziel]]
id = "kreis-sr2"
titel = "SGB-II-Quote U10 im Kreis und in Artern unter 40 %"
indikator = "sgb2_u10"
gebiete = ["16065", "SR2"]
vergleich = "<"
schwelle = 40
aggregation = "jahreswert"
basisjahr = 2019
frist = 2030-12-31
handlungsfeld = "Armutsprävention"
quelle = "Test"
verantwortlich = "Sozialamt"
'''
SARA = rollen.Person("sara", "Sara Beispiel", "betrachter", "SR2", "lokal")


@pytest.fixture
def kreis(demo_copy, tmp_path, monkeypatch) -> Path:
    """The demo with the two targets above, Verwaltung „vera“ and Betrachterin „sara“ restricted to SR2."""
    ich = rollen.kommandozeile()
    importer.run(demo_copy, "targets", ZIELE.encode(), "ziele_sr2.toml", person=ich)
    for kennung, name, rolle, gebiet in (("vera", "Vera Verwaltung", "verwaltung", None),
                                         ("sara", "Sara Beispiel", "betrachter", "SR2")):
        verwaltung.rolle_setzen(demo_copy, ich, kennung, name, rolle, gebiet, "Einrichtung",
                                passwort=f"{kennung}-passwort-123")
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_copy))
    return demo_copy


def ohne_sr2(tmp_path: Path) -> Path:
    """The demo's membership with SR2's Gemeinden moved to SR1: SR2 is left without Gemeinden."""
    lines = (DATA_DIR / "sozialraeume.csv").read_text(encoding="utf-8").splitlines()
    sr1 = next(line.split(";", 2)[2] for line in lines if ";SR1;" in line)
    text = "\n".join(f"{line.split(';')[0]};SR1;{sr1}" if ";SR2;" in line else line for line in lines)
    return write(tmp_path / "zuordnung_ohne_sr2.csv", text + "\n")


def entfernen(kreis: Path, tmp_path: Path) -> None:
    assert run_cli("import", "membership", ohne_sr2(tmp_path), "--db", kreis, "--replace") == 0


def gebiete(path: Path):
    con = db.connect_read_only(path)
    try:
        return queries.run_query(con, "gebiete_mit_sozialraum")
    finally:
        con.close()


def bewertung(path: Path):
    con = db.connect_read_only(path)
    try:
        katalog, rows = auswertung.load(con)
    finally:
        con.close()
    return rows, auswertung.overview(katalog, rows).set_index("id")


def test_the_preview_names_the_target_and_the_role_that_name_the_removed_sozialraum(kreis, tmp_path, capsys):
    path = ohne_sr2(tmp_path)
    before = snapshot(kreis)
    capsys.readouterr()
    assert run_cli("import", "membership", path, "--db", kreis, "--dry-run") == 0
    out = capsys.readouterr().out
    assert ("Ziel sr2-sgb „SGB-II-Quote U10 in Artern unter 20 %“ nennt Sozialraum SR2, der mit diesem Import "
            "entfällt") in out
    assert "Ziel kreis-sr2 „SGB-II-Quote U10 im Kreis und in Artern unter 40 %“ nennt Sozialraum SR2" in out
    assert "Rolle von Sara Beispiel (sara) ist auf SR2 beschränkt, der mit diesem Import entfällt" in out
    assert run_cli("import", "membership", path, "--db", kreis) == 2  # without --replace: refused, all named
    err = capsys.readouterr().err
    assert "Feld „sozialraum“: Rolle von Sara Beispiel (sara) ist auf SR2 beschränkt" in err
    assert "nennt Sozialraum SR2" in err
    assert snapshot(kreis) == before


def test_a_target_naming_the_removed_sozialraum_reads_gebiet_entfallen(kreis, tmp_path, capsys):
    entfernen(kreis, tmp_path)
    rows, uebersicht = bewertung(kreis)
    assert uebersicht.loc["sr2-sgb", "status"] == "gebiet_entfallen"
    assert uebersicht.loc["kreis-sr2", "status"] == "gebiet_entfallen"  # not judged on the Kreis alone
    entfallen = rows[rows["ziel"].eq("kreis-sr2") & rows["gebiet"].eq("SR2")].iloc[0]
    assert entfallen["gebiet_name"].startswith("Artern") and "Import" in entfallen["hinweis"]
    assert auswertung.status_label("gebiet_entfallen") == "⊘ Gebiet entfallen"
    capsys.readouterr()
    assert run_cli("check", "--db", kreis) == 0
    assert "Gebiet entfallen" in capsys.readouterr().out


def test_the_goal_page_shows_gebiet_entfallen(kreis, tmp_path, monkeypatch):
    entfernen(kreis, tmp_path)
    lokal_angemeldet(monkeypatch, kreis, "vera")
    at = open_page("pages/2_Zielerreichung.py").run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    ziele = next(t.value for t in at.table if "Ziel" in t.value.columns)  # the status table (HTML)
    zeile = ziele[ziele["Ziel"].str.contains("im Kreis und in Artern")].iloc[0]
    assert zeile["Status"] == "⊘ Gebiet entfallen" and zeile["Gebiet"].startswith("Artern")
    assert any("gibt es nicht mehr" in c.value for c in at.caption)  # the row's note names the import


def test_a_person_scoped_to_the_removed_sozialraum_sees_nothing_and_is_told(kreis, tmp_path, monkeypatch):
    assert "SR2" in rollen.sichtbare_gebiete(SARA, gebiete(kreis))
    entfernen(kreis, tmp_path)
    # the filter every page query passes (oberflaeche.seite.query → rollen.sichtbare_gebiete): nothing, not the Kreis
    assert rollen.sichtbare_gebiete(SARA, gebiete(kreis)) == set()
    lokal_angemeldet(monkeypatch, kreis, "sara")
    for page in ("pages/1_Karte.py", "pages/2_Zielerreichung.py", "pages/5_Steckbrief.py", "app.py"):
        at = open_page(page).run(timeout=120)
        assert not at.exception, (page, [e.value for e in at.exception])
        assert any("dieses Gebiet gibt es in den Daten nicht mehr" in e.value for e in at.error), page
        assert "Deshalb zeigt der Sozialmonitor Ihnen keine Daten" in at.error[0].value
        karten = [c for c in at.get("bidi_component") if c.proto.component_name == "sozialmonitor_karte"]
        assert not at.dataframe and not at.table and not at.metric and not karten, page
    # the Erklärung zur Barrierefreiheit shows no data: it stays readable, with the explanation above it
    at = open_page("pages/10_Barrierefreiheit.py").run(timeout=120)
    assert not at.exception and "dieses Gebiet gibt es in den Daten nicht mehr" in at.error[0].value
    assert any("Barrierefreiheit" in m.value for m in at.markdown), [m.value[:60] for m in at.markdown]
    assert not any(c.value.startswith("Datenstand:") for c in at.sidebar.caption)


def test_the_rollen_page_marks_the_scope_of_a_removed_area(kreis, tmp_path, monkeypatch):
    entfernen(kreis, tmp_path)
    lokal_angemeldet(monkeypatch, kreis, "vera")
    at = open_page("pages/9_Rollen.py").run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    assert any("Sara Beispiel (sara): nur SR2" in w.value for w in at.warning)
    quellen = at.dataframe[0].value.set_index("Kennung")
    assert quellen.loc["sara", "Es gilt"].startswith("Betrachter, nur SR2 – Gebiet entfallen, sieht nichts")
    einzeln = at.dataframe[1].value.set_index("Kennung")
    assert einzeln.loc["sara", "nur Gebiet"] == "SR2 – entfallen"


def test_undo_brings_the_sozialraum_the_target_and_the_scope_back(kreis, tmp_path, monkeypatch):
    _, before = bewertung(kreis)
    entfernen(kreis, tmp_path)
    con = duckdb.connect(str(kreis), read_only=True)
    last = con.execute("SELECT max(import_id) FROM importe").fetchall()[0][0]
    con.close()
    assert run_cli("undo", last, "--db", kreis, "--grund", "Zuordnung war falsch") == 0
    rows, uebersicht = bewertung(kreis)
    assert uebersicht.loc["sr2-sgb", "status"] == before.loc["sr2-sgb", "status"] != "gebiet_entfallen"
    assert not rows["status"].eq("gebiet_entfallen").any()
    assert "SR2" in rollen.sichtbare_gebiete(SARA, gebiete(kreis))
    lokal_angemeldet(monkeypatch, kreis, "sara")
    at = open_page("pages/1_Karte.py").run(timeout=120)
    assert not at.exception and not at.error


def test_the_reason_follows_the_kind_of_the_import_that_removed_the_area():
    """A Gemeinde removed by a boundary import is not blamed on a new Sozialraum membership (hkt, open point)."""
    def text(art):
        zeile = pd.DataFrame([{"code": "16065017", "name": "Ebeleben", "entfernt_durch": 12,
                               "entfernt_am": pd.Timestamp("2026-12-01 10:00"), "datei": "grenzen.geojson",
                               "art": art}])
        return rollen.entfallen_text("16065017", zeile)

    assert "Zuordnung" not in text("grenzen") and "(neue Gebietsgrenzen)" in text("grenzen")
    assert "(neue Zuordnung der Gemeinden zu Sozialräumen)" in text("zuordnung")
    assert "Import 12 am 01.12.2026 entfallen." in text("unbekannt")
