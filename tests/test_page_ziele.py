"""The goal page runs on the demo and shows the status table, the detail of a target, its trend and its map."""

from streamlit.testing.v1 import AppTest

from conftest import map_data, open_page, served
from sozialmonitor.ziele import auswertung

PAGE = "pages/2_Zielerreichung.py"


def run_page(**query_params) -> AppTest:
    return open_page(PAGE, **query_params).run()


def test_page_shows_status_table_and_detail(app_on_demo):
    at = run_page()
    assert not at.exception
    assert len(at.table) >= 2  # the status table (per Handlungsfeld) and the detail table, as HTML tables (issue 20)
    assert any("Zielen erreicht" in s.value for s in at.subheader)
    assert any("Handlungsfeld 3" in m.value for m in at.markdown)
    assert any("So wird gerechnet" in e.label for e in at.expander)


def test_page_filters_by_status(app_on_demo):
    at = run_page()
    at.multiselect(key="ziele_stati").set_value(["zu_langsam"]).run()
    assert not at.exception
    assert any("Handlungsfeld 3" in m.value for m in at.markdown)  # the example target of field 3 is too slow
    assert not any("Handlungsfeld 5" in m.value for m in at.markdown)
    # The Familienlotsen (5 of 6 Sozialräume at the end of 2022, deadline 31.12.2022) are not met at the deadline.
    at.multiselect(key="ziele_stati").set_value(["nicht_erreicht"]).run()
    assert any("Handlungsfeld 5" in m.value for m in at.markdown)


def test_page_opens_the_target_named_in_the_link(app_on_demo):
    at = run_page(ziel="5.1.3-familienlotsen")
    assert not at.exception
    assert at.selectbox(key="ziele_detail").value == "5.1.3-familienlotsen"
    assert any("Familienlotsen sind in 6 Sozialräumen tätig" in h.value for h in at.header)


def test_status_map_shows_each_sozialraum_with_the_status_of_its_table_row(app_on_demo):
    """Befund 9: the table said "↑ auf Kurs" for Artern while the map titled "Zielstatus" showed red "nicht
    eingehalten"; now both show the same status, and the caption says per area why a difference is not
    gesichert."""
    at = run_page(ziel="3.1-jugendarbeitslosigkeit")
    assert not at.exception
    data = map_data(at)
    codes = [feature["id"] for feature in served(data["geometrie"]["url"])["features"]]
    assert sorted(codes) == [f"SR{i}" for i in range(1, 7)]
    status = {code: list(auswertung.STATUS)[k] for code, k in zip(codes, data["klasse"])}
    hover = dict(zip(codes, data["hover"]))
    [tabelle] = [d.value for d in at.table if "Statistisch" in d.value.columns]
    im_tabelle = {name: text for name, text in zip(tabelle["Gebiet"], tabelle["Status"])}
    namen = {code: hover[code].split("</b>")[0].removeprefix("<b>") for code in codes}
    for code in codes:  # the map's status is the status the table writes for the same area
        assert im_tabelle[namen[code]].startswith(auswertung.status_label(status[code])), code
    # Artern: 10,5 %, 95-%-KI 7,4–14,7 % lies wholly above 7 %, but on a mean monthly base below the BA's 1.000
    # (mindest_nenner of alq_u25): "nicht belastbar", never gesichert – and the caption names it so, not as an
    # interval that contains the comparison value
    assert "10,5 %" in hover["SR2"] and "nicht belastbar" in hover["SR2"]
    [caption] = [c.value for c in at.caption if c.value.startswith("Farbe: der Status")]
    assert "95 %-Konfidenz" not in caption  # '95-%-Konfidenzintervall', the German compound
    belastbar_teil = caption.split("„nicht belastbar“")[1]
    assert "Artern" in belastbar_teil
    if "„nicht gesichert“" in caption:
        gesichert_teil = caption.split("„nicht gesichert“")[1].split("Statistisch")[0]
        assert "Artern" not in gesichert_teil
    counts = [int(text.rsplit("(", 1)[1].split()[0]) for _, text in data["legende"]["eintraege"]]
    assert sum(counts) == 6 and data["farben"] == [s.farbe for s in auswertung.STATUS.values()]
    assert data["legende"]["titel"] == "Status je Gebiet (wie in der Tabelle)"


def test_switching_the_detail_to_the_familienlotsen_keeps_their_areas_in_the_trend(app_on_demo):
    """Befund 6: after switching 'Ziel im Detail' to the Familienlotsen the trend's areas were empty."""
    at = run_page()
    at.selectbox(key="ziele_detail").set_value("5.1.3-familienlotsen").run()
    assert not at.exception
    auswahl = at.multiselect(key="ziele_verlauf_5.1.3-familienlotsen").value
    assert len(auswahl) == 6
    [figur] = [c for c in at.get("plotly_chart")]
    import json
    spec = json.loads(figur.proto.spec)
    assert sum(1 for t in spec["data"] if t.get("mode") == "lines+markers" and t.get("y")) >= 6


def test_page_without_targets_says_how_to_import_them(tiny_db, monkeypatch):
    monkeypatch.setenv("SOZIALMONITOR_DB", str(tiny_db))
    at = run_page()
    assert not at.exception
    # in plain German, no command line inside the message (issue 20, BEFUNDE #17)
    assert any("Seite „Ziele bearbeiten“" in i.value and "python -m" not in i.value for i in at.info)
    assert not at.dataframe


def test_a_year_without_value_breaks_the_trend_line(demo_con):
    # The Kreis' school leavers without Hauptschulabschluss have no 2016 value: the line was drawn straight from
    # 2015 to 2017 (reviewer); now the year is a gap
    from datetime import date

    import functools

    from sozialmonitor.ausgabe import diagramme
    from sozialmonitor.daten import queries
    from sozialmonitor.ausgabe import unterlagen

    daten = unterlagen.collect(functools.partial(queries.run_query, demo_con), date(2026, 11, 30))
    ziel = next(daten.uebersicht[daten.uebersicht["id"] == "3.1-ohne-hauptschulabschluss"].itertuples(index=False))
    jahreswerte, bewertung = daten.jahreswerte, daten.bewertung
    figure = diagramme.trend_chart(ziel, jahreswerte, bewertung, ["16065"])
    kreis = next(trace for trace in figure.data if trace.name == "Kyffhäuserkreis")
    punkte = dict(zip(kreis.x, kreis.y))
    assert 2016 in punkte and punkte[2016] is None and punkte[2015] is not None and punkte[2017] is not None


def test_detail_captions_describe_only_what_each_targets_table_and_chart_show(app_on_demo):
    """Fresh tester (issue 20): for the Familienlotsen (a count target) the captions spoke of Land/Bund and
    Vergleichsring lines and of a "Sicherheit" its chart and table do not show. For every target kind of the demo
    (rate with threshold, rate against a reference, count target) each caption sentence names only what is drawn."""
    import json

    from sozialmonitor.statistik import sicherheit

    for ziel_id in ("3.1-jugendarbeitslosigkeit", "3.1-ohne-hauptschulabschluss", "beispiel-sgb2-u10",
                    "5.1.3-familienlotsen"):
        at = run_page(ziel=ziel_id)
        assert not at.exception, ziel_id
        assert at.selectbox(key="ziele_detail").value == ziel_id
        [tabelle] = [t.value for t in at.table if "Vergleich" in t.value.columns and "Gebiet" in t.value.columns]
        [figur] = list(at.get("plotly_chart"))
        spuren = json.loads(figur.proto.spec)["data"]
        texte = " ".join(c.value for c in at.caption)
        mit_sicherheit = tabelle["Status"].astype(str).str.contains("Sicherheit").any()
        assert ("Sicherheit: Anteil" in texte) == mit_sicherheit, ziel_id
        if mit_sicherheit:  # the real number of draws, not a constant 1.000
            assert f"Anteil von {sicherheit.ZIEHUNGEN:,}".replace(",", ".") + " Ziehungen" in texte
        assert ("Jüngster Trend:" in texte) == ("Jüngster Trend" in tabelle.columns), ziel_id
        prognose = [c for c in tabelle.columns if c.startswith("Prognose")]
        assert ("Prognose in Klammern" in texte) == tabelle[prognose[0]].str.contains("(", regex=False).any()
        grau = [t["name"] for t in spuren if t.get("line", {}).get("color") == "#6b6b6b"]
        assert ("grau gestrichelt" in texte.lower()) == bool(grau), ziel_id
        # (the comparison table's caption may say that Land and Bund have no value: that is true)
        bilder = " ".join(c.value for c in at.caption if " neben " not in c.value)
        assert "Land und Bund" not in bilder or grau, ziel_id
        ring = any(t.get("line", {}).get("dash") == "dashdot" for t in spuren)
        assert ("strichpunktiert" in texte.lower()) == ring, ziel_id
        assert ("offener kreis" in texte.lower()) == any("circle-open" in (t.get("marker", {}).get("symbol") or [])
                                                 for t in spuren if isinstance(t.get("marker", {}).get("symbol"),
                                                                               list)), ziel_id
        prognosen = any(str(t.get("name", "")).startswith("Prognose ") for t in spuren)
        assert ("gepunktet: prognose" in texte.lower()) == prognosen, ziel_id
        if ziel_id == "5.1.3-familienlotsen":  # a count target: no Sicherheit, no Land/Bund, no ring
            assert "Sicherheit" not in texte and "Vergleichsring" not in texte and "Land und" not in texte
            assert "die Schwelle je Gebiet" in texte
