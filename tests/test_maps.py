"""Map helpers: classes, German legend texts, hover texts for suppressed / zero / incomplete areas, change map,
the data the map component gets."""

import io

import numpy as np
import pandas as pd
import pytest
import shapely

from sozialmonitor import fmt
from sozialmonitor.karten import kartendaten

QUOTE = kartendaten.Indikator("q", "Testquote", "%", "quote", "niedriger_ist_besser", 1, 100.0)
ANZAHL = kartendaten.Indikator("n", "Testanzahl", "Anzahl", "anzahl", "hoeher_ist_besser", 0, 1.0)
EINWOHNER = kartendaten.Indikator("e", "Einwohner", "Anzahl", "anzahl", "neutral", 0, 1.0)


def area_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows as indicator_values_by_area.sql returns them; unspecified columns take neutral defaults."""
    defaults = {"name": "", "kreis": "K", "zaehler": np.nan, "nenner": np.nan, "wert": np.nan, "status": "ok",
                "herkunft": "erhoben", "teile_gesperrt": 0, "teile_fehlend": 0, "monate": pd.NA}
    return pd.DataFrame([{**defaults, **row} for row in rows])


@pytest.fixture
def areas() -> pd.DataFrame:
    return kartendaten.prepare_values(area_frame([
        {"gebiet": "A", "name": "Gesperrt", "status": "gesperrt"},
        {"gebiet": "B", "name": "Null", "zaehler": 0, "nenner": 120, "wert": 0.0},
        {"gebiet": "C", "name": "Unvollständig", "status": "unvollstaendig", "teile_gesperrt": 2},
        {"gebiet": "D", "name": "Klein", "zaehler": 3, "nenner": 20, "wert": 15.0},
        {"gebiet": "E", "name": "Groß", "zaehler": 76, "nenner": 575, "wert": 100 * 76 / 575},
    ]), QUOTE)


@pytest.fixture
def references() -> pd.DataFrame:
    return area_frame([
        {"gebiet": "K", "name": "Kreis", "ebene": "kreis", "uebergeordnet": "L", "zaehler": 90, "nenner": 1000,
         "wert": 9.0},
        {"gebiet": "L", "name": "Land", "ebene": "land", "uebergeordnet": "DG", "status": "fehlt"},
        {"gebiet": "DG", "name": "Bund", "ebene": "bund", "uebergeordnet": None, "wert": 6.25},
    ])


def hover_by_code(areas, references) -> dict[str, str]:
    texts = kartendaten.hover_texts(areas, kartendaten.reference_texts(areas, references, QUOTE), QUOTE)
    return dict(zip(areas["gebiet"], texts))


def test_hover_keeps_suppressed_zero_and_incomplete_apart(areas, references):
    hover = hover_by_code(areas, references)
    assert "Wert: gesperrt (*)" in hover["A"]
    assert "Wert: 0,0 %" in hover["B"] and "0 von 120" in hover["B"]
    assert "Wert: nicht berechenbar (2 Teilgebiete gesperrt)" in hover["C"]
    assert "Wert: 13,2 %" in hover["E"] and "76 von 575" in hover["E"]


def test_hover_names_kreis_land_bund_of_the_same_period(areas, references):
    text = hover_by_code(areas, references)["E"]
    assert "Kreis: 9,0 %" in text
    assert "Land: keine Angabe (.)" in text
    assert "Bund: 6,3 %" in text or "Bund: 6,2 %" in text  # 6.25 rounds either way in binary


def test_uncertain_rate_is_marked_with_its_reason(areas, references):
    assert list(areas.loc[areas["unsicher"], "gebiet"]) == ["D"]
    text = hover_by_code(areas, references)["D"]
    assert "Nicht belastbar" in text and "20 im Nenner" in text and "5,0 Pp." in text


def test_annual_average_shows_monthly_average_counts():
    frame = kartendaten.prepare_values(area_frame([
        {"gebiet": "A", "zaehler": 120, "nenner": 1200, "wert": 10.0, "herkunft": "jahresdurchschnitt",
         "monate": 12},
        {"gebiet": "B", "zaehler": 22, "nenner": 440, "wert": 5.0, "herkunft": "jahresdurchschnitt", "monate": 11,
         "status": "unvollstaendig"},
    ]), QUOTE)
    assert list(frame["anteil_text"]) == ["10 von 100 im Monatsmittel", "2 von 40 im Monatsmittel"]
    assert frame["wert_text"][1] == "5,0 % (Ø aus 11 von 12 Monaten)"
    assert list(frame["unsicher"]) == [False, True]  # 40 a month is under the threshold


def test_jenks_finds_the_natural_groups():
    values = [1.0, 1.2, 1.1, 5.0, 5.3, 5.1, 9.8, 10.0]
    klassen = kartendaten.classify(values, QUOTE, "jenks", 3)
    assert klassen.anzahl_je_klasse(values) == [3, 3, 2]
    assert klassen.obergrenzen == (1.2, 5.3, 10.0)


def test_jenks_on_many_areas_fits_almost_as_well_as_exact_fisher_jenks():
    """Above kartendaten.JENKS_SAMPLE values the classes come from an evenly spread sample: the share of variance they
    explain (goodness of variance fit) stays within half a point of the exact optimum."""
    from sozialmonitor.karten import klassierung

    rng = np.random.default_rng(7)
    values = np.concatenate([rng.normal(5, 1, 2500), rng.normal(15, 2, 1500)])
    assert values.size > kartendaten.JENKS_SAMPLE

    def fit(bounds) -> float:
        index = np.minimum(np.searchsorted(bounds, values, side="left"), len(bounds) - 1)
        within = sum(((values[index == i] - values[index == i].mean()) ** 2).sum() for i in set(index))
        return 1 - within / ((values - values.mean()) ** 2).sum()

    sampled = kartendaten.classify(values, QUOTE, "jenks", 5).obergrenzen
    exact = klassierung.jenks(values, 5)
    assert len(sampled) == 5 and sampled[-1] == values.max()
    assert fit(np.array(sampled)) >= fit(exact) - 0.005


def test_quantiles_put_equal_counts_in_each_class():
    values = list(range(1, 13))
    klassen = kartendaten.classify(values, ANZAHL, "quantile", 4)
    assert klassen.anzahl_je_klasse(values) == [3, 3, 3, 3]


def test_equal_interval_and_manual_breaks():
    values = [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    assert kartendaten.classify(values, QUOTE, "gleich", 2).obergrenzen == (5.0, 10.0)
    manual = kartendaten.classify(values, QUOTE, "manuell", grenzen=[3, 7])
    assert manual.obergrenzen == (3.0, 7.0, 10.0)
    assert manual.anzahl_je_klasse(values) == [2, 2, 2]


def test_standard_deviation_classes_are_diverging_around_the_mean():
    values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    klassen = kartendaten.classify(values, QUOTE, "stdabw")
    mean, sd = np.mean(values), np.std(values, ddof=1)
    assert klassen.obergrenzen[1:3] == pytest.approx((mean - sd, mean + sd))
    assert klassen.farben[0] != klassen.farben[-1]


def test_legend_texts_are_german_with_counts():
    values = [4.04, 4.5, 6.5, 9.0]
    klassen = kartendaten.classify(values, QUOTE, "manuell", grenzen=[5, 7])
    assert kartendaten.legend_texts(klassen, values) == [
        "4,0 bis 5,0 % (2 Gebiete)", "über 5,0 bis 7,0 % (1 Gebiet)", "über 7,0 bis 9,0 % (1 Gebiet)"]


def test_target_classes_follow_the_polarity():
    values = [5.0, 6.95, 7.0, 7.4, 9.0]
    lower_is_better = kartendaten.classify(values, QUOTE, "ziel", zielwert=7.0, spanne=1.0)
    assert lower_is_better.anzahl_je_klasse(values) == [1, 2, 1, 1]  # 7,0 counts as reached only for 'unter'
    assert lower_is_better.beschriftungen[0].startswith("Ziel deutlich erreicht")
    higher_is_better = kartendaten.classify(values, ANZAHL, "ziel", zielwert=7.0, spanne=1.0)
    assert higher_is_better.anzahl_je_klasse(values) == [1, 1, 2, 1]  # 'mindestens 7': 7,0 is reached
    assert higher_is_better.beschriftungen[0].startswith("Ziel deutlich verfehlt")
    # bad is red at the high end when lower is better, at the low end when higher is better
    assert lower_is_better.farben == higher_is_better.farben[::-1]


def test_fixed_classes_over_all_years_assign_this_year_by_the_common_bounds():
    all_years = [1.0, 2.0, 3.0, 10.0, 11.0, 12.0]
    klassen = kartendaten.classify(all_years, QUOTE, "jenks", 2)
    assert klassen.zuordnen([2.5, 11.5, np.nan]).tolist() == [0, 1, -1]


def test_colours_follow_polarity():
    worse_high = kartendaten.classify([1.0, 2.0, 3.0], QUOTE, "gleich", 3)
    better_high = kartendaten.classify([1.0, 2.0, 3.0], ANZAHL, "gleich", 3)
    assert worse_high.farben == better_high.farben[::-1]


def test_counts_without_a_judgement_are_blue_rising_and_listed_largest_first():
    klassen = kartendaten.classify([10.0, 200.0, 3000.0], EINWOHNER, "gleich", 3)
    judged = kartendaten.classify([10.0, 200.0, 3000.0], QUOTE, "gleich", 3)
    assert klassen.farben != judged.farben
    red, green, blue = (int(part) for part in klassen.farben[-1][4:-1].split(","))
    assert blue > red and blue > green  # the largest class is dark blue, not the red of "bad"
    brightness = [sum(int(part) for part in colour[4:-1].split(",")) for colour in klassen.farben]
    assert brightness == sorted(brightness, reverse=True)  # darker with the value
    frame = kartendaten.prepare_values(area_frame([{"gebiet": g, "name": g, "wert": w}
                                            for g, w in (("A", 10.0), ("B", 3000.0), ("C", 200.0))]), EINWOHNER)
    assert list(kartendaten.area_table(frame, EINWOHNER)["Gebiet"]) == ["B", "C", "A"]
    labels = kartendaten.classify([5.0, 7.0, 9.0], EINWOHNER, "ziel", zielwert=7.0, spanne=1.0).beschriftungen
    assert not any("erreicht" in label or "verfehlt" in label for label in labels)


def test_change_map_in_percentage_points_and_relative(areas):
    before = kartendaten.prepare_values(area_frame([
        {"gebiet": "B", "name": "Null", "zaehler": 6, "nenner": 120, "wert": 5.0},
        {"gebiet": "E", "name": "Groß", "zaehler": 50, "nenner": 500, "wert": 10.0},
        {"gebiet": "A", "name": "Gesperrt", "zaehler": 5, "nenner": 100, "wert": 5.0},
    ]), QUOTE)
    change = kartendaten.change_values(before, areas, QUOTE, labels=("2015", "2024")).set_index("gebiet")
    assert change.loc["B", "veraenderung_text"] == "−5,0 Pp."
    assert change.loc["E", "veraenderung"] == pytest.approx(100 * 76 / 575 - 10)
    assert pd.isna(change.loc["A", "veraenderung"])  # suppressed now: no change, not −5
    assert "2015: 5,0 %" in change.loc["B", "hover"] and "2024: 0,0 %" in change.loc["B", "hover"]
    relative = kartendaten.change_values(before, areas, QUOTE, relative=True).set_index("gebiet")
    assert relative.loc["B", "veraenderung_text"] == "−100,0 %"
    klassen = kartendaten.change_classes(change["veraenderung"], QUOTE)
    assert klassen.untergrenze == -klassen.obergrenzen[-1]
    assert klassen.beschriftungen[0].startswith("−5,0 Pp. bis")


def test_table_sorts_worst_first_and_missing_last(areas):
    table = kartendaten.area_table(areas, QUOTE)
    assert list(table["Gebiet"]) == ["Klein", "Groß", "Null", "Gesperrt", "Unvollständig"]
    assert list(table["Rang"]) == ["1", "2", "3", "", ""]
    assert list(table["Hinweis"]) == ["nicht belastbar", "", "", "", ""]
    # the mark right beside the value: further right, the narrow table beside the map cut it off (reviewer)
    assert list(table.columns)[:4] == ["Rang", "Gebiet", "Wert", "Hinweis"]


def test_fractions_mix_annual_averages_plain_counts_and_gaps():
    frame = kartendaten.prepare_values(area_frame([
        {"gebiet": "A", "zaehler": 1503, "nenner": 20000, "wert": 7.5},
        {"gebiet": "B", "zaehler": 120, "nenner": 1200, "wert": 10.0, "herkunft": "jahresdurchschnitt",
         "monate": 12},
        {"gebiet": "C", "zaehler": np.nan, "nenner": 300, "status": "gesperrt"},
    ]), QUOTE)
    assert list(frame["anteil_text"]) == ["1.503 von 20.000", "10 von 100 im Monatsmittel", ""]
    counts = kartendaten.prepare_values(area_frame([{"gebiet": "A", "zaehler": 5, "nenner": 9, "wert": 5.0}]), ANZAHL)
    assert list(counts["anteil_text"]) == [""]


def test_table_as_csv_opens_in_german_excel(areas):
    table = kartendaten.area_table(areas, QUOTE)
    data = kartendaten.csv_bytes(table)
    assert data.startswith("\ufeff".encode("utf-8"))  # byte order mark: Excel reads UTF-8 (Ä, ö, ‰)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(table.columns)
    assert "Unvollständig" in text and "15,0 %" in text  # German values stay as shown, decimal comma intact
    back = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.to_dict("list") == table.astype(str).to_dict("list")


def square_geometry(codes: list[str]) -> kartendaten.MapGeometry:
    """One unit square per code, side by side, in the given order (the order of the served GeoJSON)."""
    shapes = [shapely.box(i, 50, i + 1, 51) for i in range(len(codes))]
    return kartendaten.map_geometry(pd.DataFrame({"gebiet": codes, "name": [f"Gebiet {c} (Demo)" for c in codes],
                                           "anzeige_wkb": shapely.to_wkb(shapes)}))


def test_map_data_follows_the_geometry_order_and_keeps_no_value_apart(areas, references):
    geometry = square_geometry(["E", "F", "D", "C", "B", "A"])  # F has no row at all
    klassen = kartendaten.classify(areas["wert"], QUOTE, "manuell", grenzen=[5, 10])
    hover = kartendaten.hover_texts(areas, kartendaten.reference_texts(areas, references, QUOTE), QUOTE)
    data = kartendaten.map_data(geometry, areas, klassen, "Testquote<br>in %", hover, selected="D")
    assert data["klasse"] == [2, -1, 2, -1, 0, -1]  # 13,2 %, –, 15 %, unvollständig, 0 %, gesperrt
    assert data["hover"][0] == hover[4] and data["hover"][5] == hover[0]
    assert data["hover"][1] == "<b>Gebiet F (Demo)</b>"
    assert data["unsicher"] == [2]  # D rests on 20 cases
    assert data["auswahl"] == 2
    assert data["farben"] == list(klassen.farben)
    assert data["legende"]["eintraege"] == [[colour, text] for colour, text in
                                            zip(klassen.farben, kartendaten.legend_texts(klassen, areas["wert"].dropna()))]
    assert data["legende"]["ohne_wert"] == "ohne Wert (3)"
    assert data["legende"]["unsicher"] == "nicht belastbar (1)"


def test_label_points_lie_inside_their_areas_with_short_names():
    geometry = square_geometry(["X", "Y"])
    labels = geometry.label_collection()["features"]
    assert [f["id"] for f in labels] == ["X", "Y"]
    assert [f["properties"]["name"] for f in labels] == ["Gebiet X", "Gebiet Y"]
    assert all(shapely.box(i, 50, i + 1, 51).contains(shapely.Point(f["geometry"]["coordinates"]))
               for i, f in enumerate(labels))


def test_manual_breaks_are_read_as_a_planner_types_them():
    assert kartendaten.parse_breaks("5; 7,5; 1.000,5") == [5.0, 7.5, 1000.5]
    assert kartendaten.parse_breaks("5; sieben") is None


@pytest.mark.parametrize("anzahl", [2, 3, 4, 5, 6, 7])
def test_standard_deviation_classes_deliver_the_number_asked_for(anzahl):
    """Review finding: "Standardabweichungen" with 5 classes gave 4 (the class above +2 σ was empty and dropped).
    Every number of classes is delivered; an empty outer class stays in the legend with "0 Gebiete" and no
    invented upper end."""
    werte = [13.2, 13.3, 13.8, 18.1, 18.9, 23.3]  # the six Sozialräume: nothing lies above +2 σ
    klassen = kartendaten.classify(werte, QUOTE, "stdabw", anzahl)
    assert len(klassen.obergrenzen) == len(klassen.beschriftungen) == len(klassen.farben) == anzahl
    assert sum(klassen.anzahl_je_klasse(werte)) == len(werte) and not klassen.hinweis
    assert list(klassen.obergrenzen) == sorted(klassen.obergrenzen)
    if anzahl == 5:
        assert kartendaten.legend_texts(klassen, werte)[-1].startswith("über ")
        assert kartendaten.legend_texts(klassen, werte)[-1].endswith(" % (0 Gebiete)")


def test_fewer_classes_than_asked_for_are_explained():
    klassen = kartendaten.classify([1.0, 2.0, 3.0], QUOTE, "jenks", 5)
    assert len(klassen.obergrenzen) == 3
    assert klassen.hinweis == "5 Klassen gewählt, 3 gezeigt: es gibt nur 3 verschiedene Werte."


def test_the_shown_rows_of_the_table_are_the_top_of_the_whole_table(areas):
    """The page builds only the rows it shows (issue 22: 100 of 11.299 per change) and the whole table for the CSV
    file when it is asked for: the same order, ranks counted over all areas, the added column only where taken."""
    genommen = []

    def trend(rows):
        genommen.append(list(rows["gebiet"]))
        return rows.assign(juengster_trend="steigend")

    ganz = kartendaten.area_table(areas, QUOTE, ergaenzen=trend)
    kopf = kartendaten.area_table(areas, QUOTE, zeilen=2, ergaenzen=trend)
    assert kopf.equals(ganz.head(2)) and len(ganz) == len(areas) > 2
    assert len(genommen[0]) == len(areas) and len(genommen[1]) == 2  # the trend of the shown rows only
    tabelle = kartendaten.Tabelle(kopf, len(areas), lambda: ganz)
    assert tabelle.ganz()["Rang"].tolist() == ganz["Rang"].tolist() and "Jüngster Trend" in tabelle.kopf


def test_the_list_of_many_areas_is_the_chosen_ones_kreis_or_what_a_search_finds():
    values = pd.DataFrame({"gebiet": ["a1", "a2", "a3", "b1", "b2"], "kreis": ["A", "A", "A", "B", "B"]})
    namen = kartendaten.MapGeometry(("a1", "a2", "a3", "b1", "b2"), {"a1": "Zell", "a2": "Au", "a3": "Berg",
                                                                      "b1": "Oberau", "b2": "Bergen"}, {}, {}, {})
    assert kartendaten.gebiete_zur_auswahl(values, namen, "", "a1", 10) == ["a2", "a3", "a1"]  # its Kreis, by name
    assert kartendaten.gebiete_zur_auswahl(values, namen, "", "b2", 10) == ["b2", "b1"]
    # the hits in their order (names that start with the search first), the chosen area before them
    assert kartendaten.gebiete_zur_auswahl(values, namen, "berg", "a1", 10) == ["a1", "a3", "b2"]
    assert kartendaten.gebiete_zur_auswahl(values, namen, "AU", None, 10) == ["a2", "b1"]  # starts with it first
    assert kartendaten.gebiete_zur_auswahl(values, namen, "au", "a3", 10) == ["a3", "a2", "b1"]
    assert kartendaten.gebiete_zur_auswahl(values, namen, "b", "a1", 2) == ["a1", "a3"]  # capped, chosen kept
    assert kartendaten.gebiete_zur_auswahl(values, namen, "xyz", "a1", 10) == ["a1"]


def test_a_kreisfreie_stadt_lists_its_nearest_areas():
    """Kiel is a Kreis of its own: without a search the list offers the areas nearest to it, not the first of the
    alphabet (tester: "Aach, Aach, Aachen …" beside Kiel)."""
    codes = ("k", "a", "b", "c", "d")
    lage = {"k": (10.0, 54.3), "a": (10.1, 54.3), "b": (6.0, 50.0), "c": (10.3, 54.4), "d": (13.0, 48.0)}
    geometry = kartendaten.MapGeometry(codes, {"k": "Kiel", "a": "Altenholz", "b": "Aachen", "c": "Preetz",
                                               "d": "Passau"}, {}, {c: lage[c][0] for c in codes},
                                       {c: lage[c][1] for c in codes})
    values = pd.DataFrame({"gebiet": list(codes), "kreis": ["K", "X", "Y", "X", "Z"]})
    assert kartendaten.gebiete_zur_auswahl(values, geometry, "", "k", 3) == ["k", "a", "c"]


def test_ranks_follow_the_values_as_shown():
    """109 of 2.000 is 5,45 % and shown as 5,5 %: it shares the rank of the other 5,5 % values (numpy's round made it
    5,4 and gave it and every 5,4 % area a wrong rank: tester, 41 rows of 11.299)."""
    frame = pd.DataFrame({"gebiet": ["A", "B", "C"], "name": ["A", "B", "C"], "wert": [5.5, 109 / 2000 * 100, 5.4],
                          "wert_text": ["5,5 %", "5,5 %", "5,4 %"]})
    assert fmt.zahl(frame["wert"][1], 1) == "5,5"
    assert kartendaten.area_table(frame, QUOTE)["Rang"].tolist() == ["1", "1", "3"]
    assert list(fmt.wie_gezeigt([0.05, 2.675, -0.05, None], 1)[:3]) == [0.1, 2.7, -0.1]


@pytest.mark.parametrize("name, kurz", [("Artern (Demo-Zuordnung)", "Artern"), ("Frankfurt (Oder)", "Frankfurt (Oder)"),
                                        ("Winsen (Luhe)", "Winsen (Luhe)"), ("Gebiet X (Demo)", "Gebiet X"),
                                        ("Halle (Saale) (Demo-Zuordnung)", "Halle (Saale)")])
def test_a_short_name_drops_only_the_demos_note(name, kurz):
    assert kartendaten.short_name(name) == kurz


def test_names_that_repeat_are_told_apart_in_lists_and_the_csv_has_the_code(areas):
    geometry = kartendaten.MapGeometry(("1", "2", "3"), {"1": "Neuenkirchen", "2": "Neuenkirchen", "3": "Kiel"},
                                       {}, {}, {})
    assert geometry.namen_eindeutig == {"1": "Neuenkirchen (1)", "2": "Neuenkirchen (2)", "3": "Kiel"}
    table = kartendaten.area_table(areas, QUOTE, schluessel=True)
    assert list(table.columns[:3]) == ["Rang", "Gebiet", "Schlüssel"]
    assert sorted(table["Schlüssel"]) == sorted(areas["gebiet"])
    assert "Schlüssel" not in kartendaten.area_table(areas, QUOTE)
