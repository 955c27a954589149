"""Every page runs in AppTest on the demo database without an exception and carries the demo notice."""

import pytest

from conftest import ROOT, open_page

PAGES = ["app.py"] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(app_on_demo, page):
    at = open_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    if page == "pages/9_Rollen.py":  # the laptop user without sign-in is Bearbeiter (tests/test_zugang.py: Verwaltung)
        assert "darf erst die Rolle Verwaltung" in at.error[0].value
        return
    assert any("Demodaten" in w.value for w in at.warning), "every page says that the area values are demo data"


def test_home_page_shows_data_status(app_on_demo):
    at = open_page().run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Gemeinden"] == "28"
    assert metrics["Sozialräume"] == "6"


def test_home_page_promises_only_the_comparison_values_that_exist(app_on_demo):
    """Fresh tester: the home page promised 'Kreis-, Landes- und Bundeswert' while the demo holds no Land or Bund
    value (issue 20: only newspapers had them). It names the levels with values."""
    from sozialmonitor.karten import kartendaten

    at = open_page().run()
    texte = [c.value for c in at.caption]
    assert "Ein Indikator je Sozialraum oder Gemeinde, im Vergleich mit Kreis." in texte
    assert not any("Landes" in t or "Bundes" in t for t in texte)
    assert kartendaten.vergleich_text({"bund", "kreis", "land"}).endswith("im Vergleich mit Kreis, Land und Bund.")


def test_the_home_page_introduction_is_built_from_this_databases_facts(app_on_demo):
    """The introduction listed the demo's three rates and "im Vergleich mit Kreis, Land und Bund" for every database
    (the demo holds no Land or Bund value). It names the mappable indicators and the comparison levels with values."""
    import pandas as pd
    from sozialmonitor.karten import kartendaten

    at = open_page().run()
    [einleitung] = [m.value for m in at.markdown if "Kleinräumige Sozialindikatoren" in m.value]
    assert "im Vergleich mit Kreis," in einleitung and "Land und Bund" not in einleitung
    assert "Jugendarbeitslosigkeit (15 bis unter 25 Jahre)" in einleitung and "die Zahlen dahinter" in einleitung
    eigene = pd.DataFrame({"name": ["Einwohner", "Hilfequote"], "art": ["anzahl", "quote"]})
    assert kartendaten.einleitung_text(eigene, set(), False) == (
        "Der Sozialmonitor zeigt Hilfequote und die Zahlen dahinter je Gemeinde und Sozialraum – auf der Karte.")


def test_catalogue_page_lists_every_indicator(app_on_demo):
    at = open_page("pages/3_Indikatoren.py").run()
    labels = " ".join(e.label for e in at.expander)
    for name in ("Jugendarbeitslosigkeit", "SGB-II-Quote", "ohne Hauptschulabschluss", "Familienlotsen"):
        assert name in labels


def test_page_without_database_shows_german_message(tmp_path, monkeypatch):
    """A broken database file gives a German message, not a traceback."""
    broken = tmp_path / "kaputt.duckdb"
    broken.write_bytes(b"kein duckdb")
    monkeypatch.setenv("SOZIALMONITOR_DB", str(broken))
    at = open_page().run()
    assert not at.exception
    assert any("keine lesbare Sozialmonitor-Datenbank" in e.value for e in at.error)
