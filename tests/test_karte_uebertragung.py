"""The map component's wire format (issue 22, sozialmonitor/karten/uebertragung.py): packing is lossless for every
tooltip the demo's map views build (values, changes, goal status, locator), and the packed form carries each shared
text once. The browser's half (karte.js tooltipText) is held equal to this in tests/e2e/test_karte_tooltip.py."""

import functools
import json

import numpy as np
import pytest
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from sozialmonitor import fmt, klartext
from sozialmonitor.ausgabe import diagramme, steckbrief
from sozialmonitor.daten import db, queries
from sozialmonitor.karten import kartendaten, tooltip, uebertragung
from sozialmonitor.ziele import auswertung


def views(con):
    """Every map view the demo offers: (name, MapGeometry, component data)."""
    query = functools.partial(queries.run_query, con)
    for _, row in query("map_indicators").iterrows():
        indikator = kartendaten.Indikator.from_row(row)
        periods = query("indicator_periods")
        periods = periods[periods["indikator"].eq(indikator.id)]
        for ebene in periods["ebene"].unique():
            geometry = kartendaten.map_geometry(query("area_geometries", ebene=ebene))
            ordered = sorted(periods.loc[periods["ebene"].eq(ebene), "zeitraum"])
            frames = {}
            for zeitraum in ordered:
                values = kartendaten.prepare_values(query("indicator_values_by_area", indikator=indikator.id,
                                                          zeitraum=zeitraum, ebene=ebene), indikator)
                frames[zeitraum] = values
                references = query("reference_values", indikator=indikator.id, zeitraum=zeitraum)
                referenzen = kartendaten.reference_texts(values, references, indikator)
                klassen = kartendaten.classify(values["wert"], indikator, "jenks", 5)
                # the value map as the page builds it: packed from the values (karten.tooltip), no tooltip strings
                gepackt = kartendaten.map_data(geometry, values, klassen, "Titel", referenzen=referenzen,
                                               indikator=indikator)
                hover = kartendaten.hover_texts(values, referenzen, indikator)
                yield (f"{indikator.id} {ebene} {zeitraum}", geometry,
                       {**kartendaten.map_data(geometry, values, klassen, "Titel", hover), "gepackt": gepackt,
                        "beschrieben": beschrieben(values, referenzen, geometry)})
            for kind in ([p for p in ordered if len(p) == 4], [p for p in ordered if len(p) == 7]):
                if len(kind) > 1:
                    change = kartendaten.change_values(frames[kind[0]], frames[kind[-1]], indikator)
                    yield (f"{indikator.id} {ebene} {kind[0]}→{kind[-1]}", geometry,
                           kartendaten.map_data(geometry, change, None, "", list(change["hover"]),
                                                value_column="veraenderung", marker_column="gesichert"))
    geometries = {e: kartendaten.map_geometry(query("area_geometries", ebene=e)) for e in ("gemeinde", "sozialraum")}
    katalog, bewertung = auswertung.load(con)
    for ziel in katalog.itertuples():
        klassen = diagramme.zielstatus(ziel, bewertung)
        if klassen.empty:
            continue
        ebene = "gemeinde" if klassen["gebiet"].isin(geometries["gemeinde"].codes).any() else "sozialraum"
        yield f"Ziel {ziel.id}", geometries[ebene], diagramme.status_map_data(geometries[ebene], klassen)
    for ebene, geometry in geometries.items():
        yield f"Lage {ebene}", geometry, steckbrief.locator_map_data(geometry, geometry.codes[0])


def beschrieben(values, referenzen, geometry) -> list[str]:
    """Each area's tooltip written out line by line as karten.tooltip's docstring describes it – the rule restated
    here, independent of the packing code; an area without a row shows its name only."""
    def zeile_fuer_zeile(r, referenz):
        zeilen = [f"<b>{klartext.plotly(r['name'])}</b>", f"Wert: {r['wert_text']}"]
        if r["wert_text"] == fmt.STATUS_TEXT["geheim"]:
            zeilen.append(fmt.GEHEIM_HINWEIS)
        if r["anteil_text"]:
            zeilen.append(r["anteil_text"])
        if r.get("naeherung"):
            zeilen.append("≈ Mittel der Monatsquoten, nicht BA-Jahresdurchschnitt")
        if r.get("veroeffentlicht_text"):
            zeilen.append(f"veröffentlicht: {r['veroeffentlicht_text']} (ohne Zähler und Nenner; gezeigt wird der "
                          "aus den Fallzahlen berechnete Wert)")
        if r["unsicher"]:
            zeilen.append(f"⚠ {r['unsicher_grund']}")
        if referenz:
            zeilen.append(f"<span style='color:#555'>{referenz}</span>")
        return "<br>".join(zeilen)
    je_gebiet = {r["gebiet"]: zeile_fuer_zeile(r, referenz)
                 for r, referenz in zip(values.to_dict("records"), referenzen)}
    return [je_gebiet.get(c, f"<b>{klartext.plotly(geometry.names[c])}</b>") for c in geometry.codes]


@pytest.fixture(scope="module")
def demo_views(demo_db):
    con = db.connect_read_only(demo_db)
    try:
        yield list(views(con))
    finally:
        con.close()


def test_every_demo_tooltip_comes_back_exactly(demo_views):
    kinds = set()
    for name, geometry, data in demo_views:
        namen = [geometry.names[c] for c in geometry.codes]
        gepackt = uebertragung.packen(data, namen)
        assert "hover" not in gepackt and "klasse" not in gepackt
        zurueck = uebertragung.entpacken(gepackt, [uebertragung.titel(n) for n in namen])
        assert zurueck["hover"] == list(data["hover"]), name
        assert zurueck["klasse"] == list(data["klasse"]), name
        kinds |= set("".join(gepackt["tooltip"]["formen"]))
    assert kinds == {"N", "D"}, kinds
    assert len(demo_views) > 40


def test_value_maps_send_no_tooltip_text_and_come_back_as_described(demo_views):
    """The page's value maps are packed from the values themselves (issue 22: no 11.299 tooltip strings built and
    parsed again per change); written out, every area's tooltip is the one karten.tooltip describes."""
    seen = set()
    for name, geometry, data in demo_views:
        if "gepackt" not in data:
            continue
        gepackt = data["gepackt"]
        assert "hover" not in gepackt and list(gepackt["gebiete"]["klasse"]) == list(data["klasse"]), name
        titel = [f["properties"]["titel"] for f in geometry.label_collection()["features"]]
        assert uebertragung.entpacken(gepackt, titel)["hover"] == data["beschrieben"] == list(data["hover"]), name
        seen |= {zeile.split(":")[0][:20] for h in data["beschrieben"] for zeile in h.split("<br>")}
    for kind in ("Wert", "⚠ Nicht belastbar", "Geheimhaltung", "<span style='color"):  # the rest: test_statistik, test_ziele_aussagen
        assert kind in seen, kind


@pytest.mark.parametrize("stellen", [0, 1, 2, 3])
def test_numbers_as_integers_round_exactly_as_fmt_writes_them(stellen):
    """karten.tooltip sends a value as an integer in units of its last decimal: the same digits fmt writes
    (halves, near-halves, large and tiny numbers); negative numbers and −0,0 are left to their text."""
    rng = np.random.default_rng(stellen)
    halbe = np.arange(0, 2000) / 10**stellen + 0.5 / 10**stellen
    werte = np.concatenate([halbe, np.nextafter(halbe, 0), np.nextafter(halbe, 10**9), rng.uniform(0, 100, 5000),
                            rng.uniform(0, 4e6, 2000), [0.0, 1e-12, 99.95, 0.045, 2.675, 1.005]])
    zahlen, moeglich = tooltip.ganzzahlen(werte, stellen)
    assert moeglich.all()
    assert [uebertragung.zahl_text(z, stellen) for z in zahlen] == fmt.zahlen(werte, stellen)
    zahlen, moeglich = tooltip.ganzzahlen([-0.0, -1.5, float("nan"), 5e12, float("inf")], stellen)
    assert not moeglich.any()


def test_the_name_comes_from_the_label_points_and_a_fraction_as_numbers(demo_views):
    name, geometry, data = next(v for v in demo_views if v[0].startswith("sgb2_u10 gemeinde"))
    gepackt = uebertragung.packen(data, [geometry.names[c] for c in geometry.codes])
    texte = gepackt["tooltip"]["texte"]
    assert not any(f"<b>{klartext.plotly(n)}</b>" in " ".join(texte) for n in geometry.names.values())
    # every „z von n“ travels as two numbers into one template; the templates of the demo's monthly means too
    assert [t for t in texte if " von " in t] == ["\x000 von \x000"]
    assert set(gepackt["gebiete"].columns) >= {"klasse", "form", "d0"}
    alle = [t for _, g, d in demo_views for t in uebertragung.packen(d, [g.names[c] for c in g.codes])["tooltip"]["texte"]]
    assert any("\x000 von \x000 im Monatsmittel" in t for t in alle)  # monthly means in whole persons (issue 20)
    titel = {f["id"]: f["properties"]["titel"] for f in geometry.label_collection()["features"]}
    assert titel == {c: klartext.plotly(geometry.names[c]) for c in geometry.codes}


def test_shared_lines_travel_once_and_the_packed_form_is_small(demo_views):
    """The reference block (Kreis, Land, Bund) is one text however many areas show it; the packed data of a
    Gemeinde map is a fraction of the tooltips it stands for (measured at 11.299 areas with bench/map_bench.py)."""
    name, geometry, data = next(v for v in demo_views if v[0].startswith("sgb2_u10 gemeinde"))
    gepackt = uebertragung.packen(data, [geometry.names[c] for c in geometry.codes])
    grau = [t for t in gepackt["tooltip"]["texte"] if t.startswith("<span")]
    assert len(grau) == 1 and sum(grau[0] in h for h in data["hover"]) == len(geometry.codes)
    roh = len(json.dumps(data["hover"], ensure_ascii=False).encode())
    gesendet = len(convert_anything_to_arrow_bytes(gepackt["gebiete"])) + \
        len(convert_anything_to_arrow_bytes(gepackt["zahlen"])) + \
        len(json.dumps(gepackt["tooltip"], ensure_ascii=False).encode())
    assert gesendet < roh


@pytest.mark.parametrize("zeile, schablone", [
    ("12 von 340", "\x000 von \x000"), ("1.234 von 56.789", "\x000 von \x000"),
    ("Ø 1,2 von 34,5 im Monat", "Ø \x001 von \x001 im Monat"), ("Wert: 0,05 ‰", "Wert: \x002 ‰"),
    ("−0,5 Pp. (2024: 5,0 %)", "−\x001 Pp. (2024: \x001 %)"),  # a year is not a number of the value
    ("012 von 3", None),        # not how fmt writes a number: stays text, never re-formatted into something else
    ("1.23 von 4", "1.23 von \x000"), ("&#39;7 &lt;b&gt;", "&#39;\x000 &lt;b&gt;"), ("ohne Zahl", None),
    ("83.155.031,00 Einwohner", None),  # beyond 32 bits in hundredths: stays text
])
def test_a_number_leaves_a_line_only_where_writing_it_again_gives_the_line(zeile, schablone):
    zerlegt = uebertragung.schablone(zeile)
    assert (zerlegt[0] if zerlegt else None) == schablone
    # a line of its own in every area (a template pays), and one line in all areas (one text pays): both come back
    for zeilen in ([f"{zeile}<br>Nr. {i}" for i in range(8)], [zeile] * 8):
        hover = [f"<b>A{i}</b><br>{z}" for i, z in enumerate(zeilen)] + ["<b>&lt;B&gt;</b>"]
        namen = [f"A{i}" for i in range(8)] + ["<B>"]
        gepackt = uebertragung.packen({"klasse": [0] * 8 + [-1], "hover": hover, "farben": ["#000"]}, namen)
        assert gepackt["tooltip"]["formen"][-1] == "N"  # the hostile name arrives escaped, from the label points
        assert uebertragung.entpacken(gepackt, [uebertragung.titel(n) for n in namen])["hover"] == hover


def test_a_line_that_recurs_stays_one_text_however_many_numbers_it_has():
    """Kreis → Land → Bund: the same block for all Gemeinden of a Kreis is cheaper as one text than as numbers."""
    block = "<span style='color:#555'>Kreis: 18,6 %<br>Land: 12,0 %</span>"
    hover = [f"<b>G{i}</b><br>Wert: {i},0 %<br>{block}" for i in range(20)]
    gepackt = uebertragung.packen({"klasse": [0] * 20, "hover": hover}, [f"G{i}" for i in range(20)])
    assert gepackt["tooltip"]["texte"] == ["Wert: \x001 %", block]
    assert list(gepackt["zahlen"]["z"]) == [10 * i for i in range(20)]


def test_value_texts_as_one_column_equal_the_row_by_row_rule(demo_db):
    """kartendaten formats the plain values of a map as one column (issue 22); every value of the demo – with each
    status, flag, incomplete annual average and part without data – reads exactly as fmt.wert_mit_status writes it."""
    con = db.connect_read_only(demo_db)
    try:
        query = functools.partial(queries.run_query, con)
        statuses = set()
        for _, row in query("map_indicators").iterrows():
            indikator = kartendaten.Indikator.from_row(row)
            periods = query("indicator_periods")
            periods = periods[periods["indikator"].eq(indikator.id)]
            for ebene, zeitraum in periods[["ebene", "zeitraum"]].itertuples(index=False):
                raw = query("indicator_values_by_area", indikator=indikator.id, zeitraum=zeitraum, ebene=ebene)
                values = kartendaten.prepare_values(raw, indikator)
                expected = [fmt.wert_mit_status(r.wert, r.status, indikator.einheit, indikator.nachkommastellen,
                                                r.teile_gesperrt, r.teile_fehlend, r.monate, r.ohne_daten, k)
                            for r, k in zip(raw.astype(object).where(raw.notna(), None).itertuples(),
                                            values["kennzeichen"].tolist())]
                naeherung = values["naeherung"].tolist() if "naeherung" in values else [False] * len(values)
                assert [t.removeprefix("≈ ") if n else t for t, n in zip(values["wert_text"], naeherung)] == expected
                statuses |= set(raw["status"])
    finally:
        con.close()
    assert {"geheim", "fehlt"} <= statuses  # the demo holds more than plain values


def _gepackt(zeilen: list[tuple]) -> dict:
    """map_data's packed tooltips for (gebiet, zaehler, nenner, wert) rows of a rate with one decimal."""
    import pandas as pd
    import shapely
    indikator = kartendaten.Indikator("q", "Quote", "%", "quote", "niedriger_ist_besser", 1, 100.0)
    values = kartendaten.prepare_values(pd.DataFrame([
        {"gebiet": g, "name": f"G {g}", "kreis": "K", "zaehler": z, "nenner": n, "wert": w, "status": "ok",
         "herkunft": "berechnet", "teile_gesperrt": 0, "teile_fehlend": 0, "monate": None}
        for g, z, n, w in zeilen]), indikator)
    codes = [z[0] for z in zeilen]
    geometry = kartendaten.map_geometry(pd.DataFrame({"gebiet": codes, "name": [f"G {c}" for c in codes],
                                                      "anzeige_wkb": shapely.to_wkb([shapely.box(i, 50, i + 1, 51)
                                                                                     for i in range(len(codes))])}))
    gepackt = kartendaten.map_data(geometry, values, None, "", referenzen=[""] * len(values), indikator=indikator)
    titel = [f["properties"]["titel"] for f in geometry.label_collection()["features"]]
    assert uebertragung.entpacken(gepackt, titel)["hover"] == kartendaten.hover_texts(values, [""] * len(values),
                                                                                       indikator)
    return gepackt


def test_a_value_that_recurs_travels_as_text_and_values_that_differ_as_numbers():
    """The packed value line follows the same rule as uebertragung.packen (issue 22: bytes per change): 40 areas
    with one of two values send two texts and no number; 40 different values send one template and 40 numbers;
    numerator and denominator, different everywhere, always go as numbers."""
    gleich = _gepackt([(f"A{i}", 900 + i, 10_000 + 100 * i, 9.0 if i % 2 else 9.5) for i in range(40)])
    texte = gleich["tooltip"]["texte"]
    assert {"Wert: 9,0 %", "Wert: 9,5 %", "\x000 von \x000"} <= set(texte)
    assert not any(t.startswith("Wert: \x00") for t in texte) and len(gleich["zahlen"]) == 80
    verschieden = _gepackt([(f"A{i}", 900 + i, 10_000 + 100 * i, 5 + i / 10) for i in range(40)])
    assert "Wert: \x001 %" in verschieden["tooltip"]["texte"] and len(verschieden["zahlen"]) == 120
    # the most used texts get the smallest numbers: the fraction's template (used by all 40) is text number 0
    assert verschieden["tooltip"]["texte"][0] in ("Wert: \x001 %", "\x000 von \x000")
    assert verschieden["gebiete"]["d1"].dtype.itemsize == 1
