"""The map component's wire format (issue 22, sozialmonitor/karten/uebertragung.py): packing is lossless for every
tooltip the demo's map views build (values, changes, goal status, locator), and the packed form carries each shared
text once. The browser's half (karte.js tooltipText) is held equal to this in tests/e2e/test_karte_tooltip.py."""

import functools
import json

import pytest
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from sozialmonitor import klartext
from sozialmonitor.ausgabe import diagramme, steckbrief
from sozialmonitor.daten import db, queries
from sozialmonitor.karten import kartendaten, uebertragung
from sozialmonitor.ziele import auswertung


def views(con):
    """Every map view the demo offers: (name, MapGeometry, component data)."""
    query = functools.partial(queries.run_query, con)
    for _, row in query("map_indicators").iterrows():
        indikator = kartendaten.Indikator.from_row(row)
        periods = query("indicator_periods", indikator=indikator.id)
        for ebene in periods["ebene"].unique():
            geometry = kartendaten.map_geometry(query("area_geometries", ebene=ebene))
            ordered = sorted(periods.loc[periods["ebene"].eq(ebene), "zeitraum"])
            frames = {}
            for zeitraum in ordered:
                values = kartendaten.prepare_values(query("indicator_values_by_area", indikator=indikator.id,
                                                          zeitraum=zeitraum, ebene=ebene), indikator)
                frames[zeitraum] = values
                references = query("reference_values", indikator=indikator.id, zeitraum=zeitraum)
                hover = kartendaten.hover_texts(values, kartendaten.reference_texts(values, references, indikator))
                klassen = kartendaten.classify(values["wert"], indikator, "jenks", 5)
                yield (f"{indikator.id} {ebene} {zeitraum}", geometry,
                       kartendaten.map_data(geometry, values, klassen, "Titel", hover))
            for kind in ([p for p in ordered if len(p) == 4], [p for p in ordered if len(p) == 7]):
                if len(kind) > 1:
                    change = kartendaten.change_values(frames[kind[0]], frames[kind[-1]], indikator)
                    yield (f"{indikator.id} {ebene} {kind[0]}→{kind[-1]}", geometry,
                           kartendaten.map_data(geometry, change, None, "", list(change["hover"]),
                                                value_column="veraenderung", marker_column="gesichert"))
    geometries = {e: kartendaten.map_geometry(query("area_geometries", ebene=e)) for e in ("gemeinde", "sozialraum")}
    katalog, bewertung = auswertung.load(con)
    for ziel in katalog.itertuples():
        klassen = auswertung.map_classes(ziel, bewertung)
        if klassen.empty:
            continue
        ebene = "gemeinde" if klassen["gebiet"].isin(geometries["gemeinde"].codes).any() else "sozialraum"
        yield f"Ziel {ziel.id}", geometries[ebene], diagramme.status_map_data(geometries[ebene], klassen)
    for ebene, geometry in geometries.items():
        yield f"Lage {ebene}", geometry, steckbrief.locator_map_data(geometry, geometry.codes[0])


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
    # names, fractions, monthly means and texts all occur on the demo: every kind of line is exercised
    assert kinds == {"N", "B", "M", "D"}, kinds
    assert len(demo_views) > 40


def test_the_name_comes_from_the_label_points_and_a_fraction_as_numbers(demo_views):
    name, geometry, data = next(v for v in demo_views if v[0].startswith("sgb2_u10 gemeinde"))
    gepackt = uebertragung.packen(data, [geometry.names[c] for c in geometry.codes])
    texte = " ".join(gepackt["tooltip"]["texte"])
    assert not any(f"<b>{klartext.plotly(n)}</b>" in texte for n in geometry.names.values())
    assert " von " not in texte  # every „z von n“ travels as two numbers
    assert set(gepackt["gebiete"].columns) >= {"klasse", "form", "z", "n", "d0"}
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
        len(json.dumps(gepackt["tooltip"], ensure_ascii=False).encode())
    assert gesendet < roh


@pytest.mark.parametrize("zeile, art", [
    ("12 von 340", "B"), ("1.234 von 56.789", "B"), ("0 von 7", "B"),
    ("Ø 1,2 von 34,5 im Monat", "M"), ("Ø 1.234,5 von 6,0 im Monat", "M"),
    ("012 von 3", "D"),        # not how fmt writes a number: stays text, never re-formatted into something else
    ("1.23 von 4", "D"), ("12 von 340 Personen", "D"), ("Ø 1 von 3 im Monat", "D"),
    ("&lt;script&gt; von 3", "D"),
])
def test_a_line_is_packed_as_numbers_only_where_that_gives_it_back_exactly(zeile, art):
    data = {"klasse": [0, -1], "hover": [f"<b>A</b><br>{zeile}", "<b>&lt;B&gt;</b>"], "farben": ["#000"]}
    gepackt = uebertragung.packen(data, ["A", "<B>"])
    assert gepackt["tooltip"]["formen"][0] == "N" + art
    assert gepackt["tooltip"]["formen"][1] == "N"  # the hostile name arrives escaped, from the label points
    assert uebertragung.entpacken(gepackt, ["A", "&lt;B&gt;"])["hover"] == data["hover"]
