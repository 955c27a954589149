"""Map data and figures (no Streamlit): classification (`sozialmonitor.karten.klassierung`), colour-blind-safe palettes that follow the
indicator's polarity, German legends and hover texts, change maps, small multiples and the time series beside the map.

The main map is the component in `sozialmonitor.oberflaeche.komponenten.karte`: `map_data` gives it per area only a class index
and a tooltip, aligned with the GeoJSON the browser loads once. Small multiples stay Plotly `choroplethmap`s on the
offline `white-bg` style, one trace per kind of area (classed values, areas without a value)."""

import functools
import itertools
import json
import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from sozialmonitor import fmt, kennzeichen, klartext
from sozialmonitor.karten import geometrie, klassierung, tooltip, uebertragung
from sozialmonitor.statistik import belastbarkeit, signifikanz

# Default of the reliability rule (statistik.belastbarkeit) where an indicator sets none: a rate on fewer cases moves
# by 2 points or more when a single case changes and is marked "nicht belastbar".
MIN_NENNER = int(belastbarkeit.STANDARD_MINDEST_NENNER)
NICHT_BELASTBAR = belastbarkeit.TEXT
NAEHERUNG_TEXT = tooltip.NAEHERUNG_TEXT
NO_VALUE_COLOUR = "#d9d9d9"
UNCERTAIN_COLOUR = "#252525"
MAP_HEIGHT = 540
MAP_WIDTH = 540  # the map's width (its column; the legend sits below) in a 1400 px window, used to fit the zoom to the areas

METHODEN = {
    "jenks": "Natürliche Unterbrechungen (Jenks)",
    "quantile": "Quantile (gleich viele Gebiete je Klasse)",
    "gleich": "Gleiche Intervalle",
    "stdabw": "Standardabweichungen um den Mittelwert",
    "manuell": "Manuelle Grenzen",
    "ziel": "Schwellenklassen um einen Zielwert",
}
MAP_STYLES = {
    "white-bg": "ohne Hintergrundkarte (offline)",
    "open-street-map": "OpenStreetMap (nur online)",
    "carto-positron": "CARTO hell, OSM-Daten (nur online)",
}
# ColorBrewer schemes marked colour-blind safe: a sequential one for ordinary classes, a diverging one where a
# centre means something (target, mean, no change). Bad values get the dark red end; indicators without a judgement
# (polarity "neutral", e.g. population counts) get blue rising with the value and purple/orange around a centre.
SEQUENTIAL = plotly.colors.sequential.OrRd
DIVERGING = plotly.colors.diverging.RdBu
NEUTRAL_SEQUENTIAL = plotly.colors.sequential.Blues
NEUTRAL_DIVERGING = plotly.colors.diverging.PuOr
GERMAN_SEPARATORS = ",."  # plotly: decimal comma, thousands point


@dataclass(frozen=True)
class Indikator:
    id: str
    name: str
    einheit: str
    art: str
    polaritaet: str
    nachkommastellen: int
    faktor: float = 1.0
    zaehler: str = ""
    nenner: str = ""
    mindest_nenner: float | None = None   # the reliability rule from indikatoren.toml (statistik.belastbarkeit)
    mindest_zaehler: float | None = None

    @classmethod
    def from_row(cls, row) -> "Indikator":
        def optional(key):
            value = row.get(key) if hasattr(row, "get") else None
            return None if value is None or pd.isna(value) else float(value)
        return cls(row["id"], row["name"], row["einheit"], row["art"], row["polaritaet"],
                   int(row["nachkommastellen"]), float(row["faktor"]), row["zaehler"] or "", row["nenner"] or "",
                   optional("mindest_nenner"), optional("mindest_zaehler"))

    @property
    def regel(self) -> belastbarkeit.Regel:
        """The indicator's reliability rule (the default where the catalogue sets none)."""
        return belastbarkeit.Regel.aus(self.mindest_nenner, self.mindest_zaehler)

    def regel_text(self, je_monat: bool = False) -> str:
        """The rule for 'nicht belastbar' in words, as the catalogue sets it (the default where it sets none):
        'mindestens 1.000 im Nenner, im Monatsmittel' (je_monat: the value is an annual average of months)."""
        return self.regel.text() + (", im Monatsmittel" if je_monat else "")

    @property
    def hoeher_ist_schlechter(self) -> bool:
        return self.polaritaet == "niedriger_ist_besser"

    @property
    def neutral(self) -> bool:
        return self.polaritaet == "neutral"

    @property
    def kleinste_zuerst(self) -> bool:
        """Tables put the worst first; without a judgement the largest."""
        return self.polaritaet == "hoeher_ist_besser"

    @property
    def ist_quote(self) -> bool:
        return self.art == "quote"

    def wert(self, value) -> str:
        return fmt.wert(value, self.einheit, self.nachkommastellen)

    def zahl(self, value) -> str:
        return fmt.zahl(value, self.nachkommastellen)

    @property
    def differenz_einheit(self) -> str:
        """Unit of a difference of two values: percentage points for a rate in %."""
        return {"%": "Pp.", "‰": "‰-Punkte"}.get(self.einheit, "")

    def differenz(self, value) -> str:
        return fmt.mit_vorzeichen(value, self.nachkommastellen, self.differenz_einheit)


# --- geometry ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MapGeometry:
    """Everything about a level's shapes the figures need; built once per database version and cached."""
    codes: tuple
    names: dict
    features: dict = field(repr=False)  # code -> GeoJSON Feature as compact text (feature() parses one)
    label_lon: dict = field(repr=False)
    label_lat: dict = field(repr=False)
    bounds: tuple = (0.0, 0.0, 0.0, 0.0)
    url: str | None = None  # where the whole level's GeoJSON is served, if it is (see geometrie.publish_geojson)
    label_url: str | None = None  # where label_collection() is served

    @functools.cached_property
    def namen_klein(self) -> dict:
        """code → name in lower case (str.casefold), for searching."""
        return {c: str(self.names.get(c, c)).casefold() for c in self.codes}

    @functools.cached_property
    def namen_eindeutig(self) -> dict:
        """code → name, with the code added where several areas share the name ('Neuenkirchen (03358017)': 976
        Gemeinden of Germany share their name with another), for lists a person chooses from."""
        wie_oft = pd.Series(list(self.names.values())).value_counts().to_dict()
        return {c: f"{n} ({c})" if wie_oft.get(n, 0) > 1 else n for c, n in self.names.items()}

    @functools.cached_property
    def nach_name(self) -> list:
        """The codes sorted by name (case-insensitive, then code): lists of areas for a person to choose from."""
        return sorted(self.codes, key=lambda c: (self.namen_klein[c], str(c)))

    def feature(self, code) -> dict:
        """One area's GeoJSON Feature (parsed from its text)."""
        return json.loads(self.features[code])

    def feature_collection(self, codes=None) -> dict:
        codes = self.codes if codes is None else codes
        return {"type": "FeatureCollection", "features": [self.feature(c) for c in codes]}

    def feature_collection_text(self) -> str:
        """The whole level's FeatureCollection as the text geometrie.publish_geojson serves (never as dicts)."""
        return '{"type":"FeatureCollection","features":[' + ",".join(self.features[c] for c in self.codes) + "]}"

    def label_collection(self) -> dict:
        """A point inside each area with its short name, in the order of `codes` (names and uncertainty markers),
        and the name as the tooltip's first line shows it (`titel`, escaped: the packed tooltips take it from here)."""
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": code, "properties": {"name": short_name(self.names[code]),
                                                           "titel": uebertragung.titel(self.names[code])},
             "geometry": {"type": "Point", "coordinates": [round(self.label_lon[code], 5),
                                                           round(self.label_lat[code], 5)]}}
            for code in self.codes]}

    def geojson_for(self, codes):
        """The served URL (sent once, cached by plotly.js) or, without one, the features of just these areas."""
        return self.url or self.feature_collection(codes)


def map_geometry(frame: pd.DataFrame) -> MapGeometry:
    """area_geometries.sql result → MapGeometry."""
    texts, lon, lat, bounds = geometrie.texte_und_lage(frame["gebiet"], frame["anzeige_wkb"])
    codes = tuple(frame["gebiet"])
    return MapGeometry(codes, dict(zip(codes, frame["name"])), dict(zip(codes, texts)),
                       dict(zip(codes, lon)), dict(zip(codes, lat)), tuple(bounds))


def map_height(bounds: tuple, width: int = MAP_WIDTH) -> int:
    """A height that suits the areas' shape: a wide Kreis gets a low map, Germany a tall one."""
    return int(min(MAP_HEIGHT, max(300, width * _aspect(bounds) * 1.15 + 60)))


def _aspect(bounds: tuple) -> float:
    """Height / width of the areas as drawn in web mercator."""
    minx, miny, maxx, maxy = bounds
    return (_mercator_y(maxy) - _mercator_y(miny)) / max(math.radians(maxx - minx), 1e-9)


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(bounds: tuple, width: int = MAP_WIDTH, height: int = MAP_HEIGHT) -> tuple[dict, float]:
    """Centre and zoom so that the areas fill the map (web-mercator arithmetic; plotly maps have no fitbounds)."""
    minx, miny, maxx, maxy = bounds
    centre = {"lon": (minx + maxx) / 2, "lat": (miny + maxy) / 2}

    lon_span = max(maxx - minx, 1e-6) / 360
    lat_span = max(_mercator_y(maxy) - _mercator_y(miny), 1e-6) / (2 * math.pi)
    zoom = min(math.log2(width / 512 / lon_span), math.log2(height / 512 / lat_span))
    return centre, zoom - 0.15  # a little margin around the outline


# --- values -----------------------------------------------------------------------------------------------------

def prepare_values(values: pd.DataFrame, indikator: Indikator) -> pd.DataFrame:
    """Adds what a person reads: the value with its status and official flags ('9,0 % p'), numerator/denominator,
    and whether the rate rests on too few cases (with the reason). The column kennzeichen (stored flags, if the
    query has it) becomes its compact categorical code ('p', '() s', '': sozialmonitor.kennzeichen)."""
    frame = values.copy()
    # the official flags as a small categorical code column ('p', '() s', ''): cheap at 11,299 areas
    frame["kennzeichen"] = kennzeichen.als_kategorie(frame["kennzeichen"] if "kennzeichen" in frame
                                                     else pd.Series(None, index=frame.index, dtype="object"))
    frame["wert_text"], frame["wert_schlicht"] = _wert_texte(frame, indikator)
    average = frame["herkunft"].eq("jahresdurchschnitt") & frame["monate"].notna()
    months = frame["monate"].where(average).astype("float")
    nenner = frame["nenner"].astype("float") / months.fillna(1.0)
    zaehler = frame["zaehler"].astype("float") / months.fillna(1.0)
    frame["anteil_text"] = _fractions(zaehler, nenner, average, indikator)
    # the parts of anteil_text as numbers, for the map's packed tooltips (karten.tooltip): NaN where none is shown
    gezeigt = (zaehler.notna() & nenner.notna()) if indikator.ist_quote else pd.Series(False, index=frame.index)
    frame["anteil_zaehler"] = zaehler.where(gezeigt)
    frame["anteil_nenner"] = nenner.where(gezeigt)
    frame["anteil_monatsmittel"] = average.fillna(False).astype(bool) & gezeigt
    # "nicht belastbar" by the indicator's rule (statistik.belastbarkeit), on the mean month for annual averages
    frame["unsicher"] = indikator.ist_quote & frame["wert"].notna() & belastbarkeit.nicht_belastbar(
        zaehler, nenner, indikator.regel)
    # the reason of each flagged rate (the same sentence as belastbarkeit.grund, built for all at once), and the
    # numbers it speaks of: the map's tooltips send them with the sentence's template (karten.tooltip)
    frame["bezug_zaehler"], frame["bezug_nenner"] = zaehler, nenner
    flagged = np.flatnonzero(frame["unsicher"].to_numpy(dtype=bool))
    gruende = np.full(len(frame), "", dtype=object)
    gruende[flagged] = [belastbarkeit.satzanfang(g) for g in belastbarkeit.gruende(
        zaehler.to_numpy()[flagged], nenner.to_numpy()[flagged], indikator.regel, indikator.faktor,
        indikator.differenz_einheit)] if len(flagged) else []
    frame["unsicher_grund"] = gruende.tolist()
    # An annual average of published monthly rates without counts: an approximation, said wherever it is shown.
    frame["naeherung"] = (indikator.ist_quote & average.values & frame["wert"].notna().values
                          & frame["zaehler"].isna().values) if "herkunft" in frame else False
    if "herkunft" in frame and frame["naeherung"].any():
        frame["wert_text"] = ["≈ " + t if n else t for t, n in zip(frame["wert_text"], frame["naeherung"])]
        frame["wert_schlicht"] &= ~frame["naeherung"].astype(bool)
    # a rate published without counts for the same area and period: kept beside the computed value (issue 19)
    published = (frame["veroeffentlicht"] if "veroeffentlicht" in frame
                 else pd.Series(np.nan, index=frame.index)).astype("float")
    einheit = "" if indikator.einheit == "Anzahl" else f" {indikator.einheit}"  # fmt.wert of each, as one column
    frame["veroeffentlicht_text"] = ["" if t == "–" else t + einheit
                                     for t in fmt.zahlen(published, indikator.nachkommastellen)]
    return frame


def _wert_texte(frame: pd.DataFrame, indikator: Indikator) -> tuple[list[str], np.ndarray]:
    """fmt.wert_mit_status of every row, and per row whether its text is the plain number with its unit
    (bool array: fmt.zahl of the value, unit appended unless 'Anzahl'; karten.tooltip sends those as numbers).
    The plain rows – a value (or none) without a status of its own, official flag or parts without data, nearly all
    of 11.299 Gemeinden – are formatted as one column (fmt.zahlen, the same digits as fmt.wert); only the others go
    through wert_mit_status one by one (issue 22: ~40 ms less per change)."""
    texts = fmt.zahlen(frame["wert"], indikator.nachkommastellen)
    if indikator.einheit != "Anzahl":
        einheit = f" {indikator.einheit}"
        texts = [t if t == "–" else t + einheit for t in texts]
    besondere = frame["status"].isin(list(fmt.STATUS_TEXT)) | frame["kennzeichen"].astype(str).ne("")
    if "ohne_daten" in frame:
        besondere |= frame["ohne_daten"].fillna("").astype(str).ne("")
    besondere = np.array(besondere, dtype=bool)
    if besondere.any():
        teil = frame.iloc[np.flatnonzero(besondere)]
        for i, (wert, status, gesperrt, fehlend, monate, ohne, flags) in zip(np.flatnonzero(besondere), _columns(
                teil.assign(ohne_daten=teil.get("ohne_daten")), "wert", "status", "teile_gesperrt", "teile_fehlend",
                "monate", "ohne_daten", "kennzeichen")):
            texts[i] = fmt.wert_mit_status(wert, status, indikator.einheit, indikator.nachkommastellen, gesperrt,
                                           fehlend, monate, ohne, flags)
    return texts, ~besondere & frame["wert"].notna().to_numpy()


def _columns(frame: pd.DataFrame, *names: str):
    """Rows as plain Python tuples: far faster than itertuples over Arrow-backed columns (pandas 3) at 11,000
    areas, with NaN/None kept as missing."""
    return zip(*(frame[name].astype(object).where(frame[name].notna(), None).tolist() for name in names))


def _fractions(zaehler: pd.Series, nenner: pd.Series, average: pd.Series, indikator: Indikator) -> list[str]:
    """'12 von 340' per area, for annual averages of monthly counts '31 von 281 im Monatsmittel' (persons: whole
    numbers, the mean of the months rounded – not '31,3 von 281,0'); empty for counts and where a part is missing.
    Whole columns are formatted at once (11,000 areas)."""
    if not indikator.ist_quote:
        return [""] * len(zaehler)
    texts = [f"{z} von {n}" for z, n in zip(fmt.zahlen(zaehler), fmt.zahlen(nenner))]
    if average.any():
        monthly = [f"{z} von {n} im Monatsmittel" for z, n in zip(fmt.zahlen(zaehler), fmt.zahlen(nenner))]
        texts = [m if avg else t for t, m, avg in zip(texts, monthly, average.tolist())]
    return ["" if gap else text for gap, text in zip((zaehler.isna() | nenner.isna()).tolist(), texts)]


def reference_texts(values: pd.DataFrame, references: pd.DataFrame, indikator: Indikator) -> list[str]:
    """Per area: its Kreis, Land and Bund value of the same period, or why there is none."""
    by_code = references.set_index("gebiet")
    text_by_code = {
        r.Index: f"{klartext.plotly(r.name)}: " + fmt.wert_mit_status(
            r.wert, r.status, indikator.einheit, indikator.nachkommastellen, r.teile_gesperrt, r.teile_fehlend,
            r.monate, getattr(r, "ohne_daten", None), getattr(r, "kennzeichen", None))
        for r in by_code.itertuples()
    }
    parent = by_code["uebergeordnet"].dropna().to_dict()
    cache: dict = {}
    texts = []
    for code, kreis in zip(values["gebiet"].tolist(), values["kreis"].tolist()):
        if kreis not in cache:
            chain, current = [], kreis
            while isinstance(current, str) and current in text_by_code and len(chain) < 3:
                if current != code:
                    chain.append(text_by_code[current])
                current = parent.get(current)
            cache[kreis] = "<br>".join(chain)
        texts.append(cache[kreis])
    return texts


def hover_texts(values: pd.DataFrame, references: list[str], indikator: Indikator) -> list[str]:
    """The tooltip of each row of values (prepare_values rows; references: per row the Kreis/Land/Bund text of
    reference_texts): name, value (or reason), numerator of denominator, reliability, Kreis/Land/Bund – the lines
    `karten.tooltip` defines, written out as the browser writes them (the map itself sends them packed)."""
    gepackt = tooltip.packen(values.reset_index(drop=True), list(references), indikator.einheit,
                             indikator.nachkommastellen, regel=indikator.regel, faktor=indikator.faktor,
                             differenz_einheit=indikator.differenz_einheit)
    return uebertragung.entpacken(gepackt, [uebertragung.titel(n) for n in values["name"].tolist()])["hover"]


def belastbarkeit_hinweis(rows: pd.DataFrame) -> str:
    """The note under a table or chart with 'nicht belastbar' rates: each flagged indicator with its own rule.
    rows: the shown rows, columns name (the indicator's), unsicher (bool) and regel (Indikator.regel_text of the
    row). '' when no row is flagged."""
    flagged = rows[rows["unsicher"].fillna(False).astype(bool)]
    if flagged.empty:
        return ""
    regeln = [f"{name}: {regel}" for name, regel in dict(zip(flagged["name"], flagged["regel"])).items()]
    return (f"{NICHT_BELASTBAR}: die Quote beruht auf weniger Fällen, als die Regel ihres Indikators "
            f"verlangt ({'; '.join(regeln)}).")


# The browser redraws the whole table beside the map on every rerun (0,4–0,9 s at 11.299 rows): beyond this many rows
# the page shows the top of the sorted table and offers all rows as a CSV file.
TABLE_ROWS = 100


def reihenfolge(values: pd.DataFrame, indikator: Indikator, value_column: str = "wert") -> pd.DataFrame:
    """values in the order of the table beside the map: worst first (by polarity; without a judgement the largest),
    areas without a value last."""
    return values.sort_values(value_column, ascending=indikator.kleinste_zuerst, na_position="last")


# More areas than this and the list of areas for the time series is narrowed by a search field: a list of 11.299
# Gemeinden cost the browser ~70 ms on every change of the map (issue 22), and nobody scrolls through it.
AUSWAHL_HOECHSTENS = 300


def gebiete_zur_auswahl(values: pd.DataFrame, geometry: "MapGeometry", suche: str, gewaehlt: str | None,
                        hoechstens: int | None = None) -> list[str]:
    """The area codes a list offers where a level has too many for one: with a search text the areas whose name
    contains it (names and codes that start with it first, each part by name), without one the areas of the chosen
    area's Kreis (values' column kreis) by name, or where the Kreis is the chosen area alone (a kreisfreie Stadt)
    the areas nearest to it (label points). Only areas of values; at most `hoechstens` (AUSWAHL_HOECHSTENS); the
    chosen area (gewaehlt, if it is one of values) is always in the list – first where it is not among the hits – so
    a choice made on the map stays. The list depends on the search and the choice only, not on the indicator: the
    browser keeps it from one change of the map to the next. The names sorted once per level (MapGeometry.nach_name):
    11.299 Gemeinden cost a few ms here, not 25."""
    hoechstens = AUSWAHL_HOECHSTENS if hoechstens is None else hoechstens
    codes = values["gebiet"].astype(object).tolist()
    dabei = set(codes)
    klein = geometry.namen_klein
    text = (suche or "").strip().casefold()
    if text:
        vorn = [c for c in geometry.nach_name if c in dabei and (klein[c].startswith(text) or str(c).startswith(text))]
        schon = set(vorn)
        treffer = vorn + [c for c in geometry.nach_name if c in dabei and c not in schon and text in klein[c]]
    else:
        kreis = dict(zip(codes, values["kreis"].astype(object).tolist())) if "kreis" in values else {}
        nachbarn = {c for c, k in kreis.items() if k == kreis[gewaehlt]} if gewaehlt in kreis else set()
        if len(nachbarn) > 1 or gewaehlt not in geometry.label_lon:
            auswahl = nachbarn if len(nachbarn) > 1 else dabei
            treffer = [c for c in geometry.nach_name if c in auswahl]
        else:
            treffer = _naechste(geometry, gewaehlt, dabei, hoechstens)
    treffer = treffer[:hoechstens]
    if gewaehlt in dabei and gewaehlt not in treffer:
        treffer = [gewaehlt] + treffer[:hoechstens - 1]
    return treffer


def _naechste(geometry: "MapGeometry", code: str, dabei: set, anzahl: int) -> list[str]:
    """The `anzahl` areas whose label points lie nearest to the area's (distance on the map, longitudes shortened
    by the cosine of the latitude), nearest first, the area itself included."""
    codes = [c for c in geometry.codes if c in dabei and c in geometry.label_lon]
    lon = np.asarray([geometry.label_lon[c] for c in codes])
    lat = np.asarray([geometry.label_lat[c] for c in codes])
    x0, y0 = geometry.label_lon[code], geometry.label_lat[code]
    abstand = ((lon - x0) * math.cos(math.radians(y0))) ** 2 + (lat - y0) ** 2
    return [codes[i] for i in np.argsort(abstand, kind="stable")[:anzahl].tolist()]


def area_table(values: pd.DataFrame, indikator: Indikator, value_column: str = "wert",
               text_column: str = "wert_text", zeilen: int | None = None,
               ergaenzen: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
               schluessel: bool = False) -> pd.DataFrame:
    """The sorted table beside the map: worst first (by polarity), areas without a value last. Where any value
    carries an official flag, a column „Kennzeichen“ names it in words („vorläufig“) – also in the CSV file.
    zeilen: only the first rows of that order (ranks still count all areas: the page shows 100 of 11.299 and
    builds the rest for the CSV file when it is asked for); ergaenzen: adds columns to the rows taken (e.g. the
    recent trend, juengster_trend), before the table is built from them. schluessel: a column „Schlüssel“ with
    the area's code after its name (the CSV file: names repeat, 'Neuenkirchen' 11 times in Germany)."""
    frame = reihenfolge(values, indikator, value_column)
    # equal values as shown share a rank ("1, 1, 1, 1, 5"), not "1, 2, 3, 4" for four areas with 1 Familienlotse
    raenge = (pd.Series(fmt.wie_gezeigt(frame[value_column], indikator.nachkommastellen))  # 5,45 is 5,5 as shown
              .rank(method="min", ascending=indikator.kleinste_zuerst).tolist())
    if zeilen is not None:
        frame, raenge = frame.head(zeilen), raenge[:zeilen]
    if ergaenzen is not None:
        frame = ergaenzen(frame)
    has_value = frame[value_column].notna().tolist()
    table = pd.DataFrame({
        "Rang": [str(int(rang)) if known else "" for rang, known in zip(raenge, has_value)],
        "Gebiet": [short_name(n) for n in frame["name"].tolist()],
        "Wert": frame[text_column].values,
    })
    if schluessel:
        table.insert(2, "Schlüssel", frame["gebiet"].astype(str).values)
    if "unsicher_grund" in frame:  # right beside the value: in the narrow column beside the map it stays in view
        hinweis = np.where(frame["unsicher"], NICHT_BELASTBAR, "")
        if "naeherung" in frame:
            hinweis = [", ".join(p for p in (h, NAEHERUNG_TEXT if n else "") if p)
                       for h, n in zip(hinweis, frame["naeherung"].tolist())]
        table["Hinweis"] = hinweis
    if indikator.ist_quote and "anteil_text" in frame:
        table["Zähler von Nenner"] = frame["anteil_text"].values
    if "kennzeichen" in frame and frame["kennzeichen"].astype(str).ne("").any():
        table["Kennzeichen"] = [kennzeichen.woerter(k) for k in frame["kennzeichen"].astype(object).tolist()]
    if "juengster_trend" in frame:
        table["Jüngster Trend"] = [signifikanz.trend_text(k, indikator.polaritaet) if isinstance(k, str) else "–"
                                   for k in frame["juengster_trend"].tolist()]
    return table


@dataclass(frozen=True)
class Tabelle:
    """The table that goes with a map: its first rows to show (kopf), how many areas it has in all (anzahl) and
    the whole table, built when called (the CSV file: 11.299 rows are not built on every change, issue 22)."""
    kopf: pd.DataFrame
    anzahl: int
    ganz: Callable[[], pd.DataFrame]

    @classmethod
    def fertig(cls, table: pd.DataFrame, zeilen: int | None = None) -> "Tabelle":
        """A table already built in full (the change table, the table under small multiples)."""
        return cls(table.head(TABLE_ROWS if zeilen is None else zeilen), len(table), lambda: table)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as a CSV file German Excel opens as it is: semicolons, UTF-8 with byte order mark; a text that
    Excel would take for a formula (= + - @ tab CR) starts with a single quote (klartext.csv_tabelle, OWASP)."""
    return klartext.csv_tabelle(table).to_csv(sep=";", index=False).encode("utf-8-sig")


# --- classification ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Klassen:
    """Class upper bounds (inclusive) over a lower bound; labels name each range; diverging means the colours
    run from a meaningful centre (target, mean, zero)."""
    untergrenze: float
    obergrenzen: tuple
    farben: tuple
    beschriftungen: tuple
    titel: str
    hinweis: str = ""  # why fewer classes than asked for are shown ("7 Klassen gewählt, 6 gezeigt: …"), else ""

    def zuordnen(self, values) -> np.ndarray:
        """Class index per value (−1 where there is no value); values beyond the last bound go to the last class."""
        array = np.asarray(values, dtype=float)
        index = np.searchsorted(np.asarray(self.obergrenzen), array, side="left")
        index = np.minimum(index, len(self.obergrenzen) - 1)
        return np.where(np.isnan(array), -1, index)

    def anzahl_je_klasse(self, values) -> list[int]:
        index = self.zuordnen(values)
        return [int((index == i).sum()) for i in range(len(self.obergrenzen))]


def classify(basis, indikator: Indikator, methode: str = "jenks", anzahl: int = 5,
             grenzen: list[float] | None = None, zielwert: float | None = None,
             spanne: float | None = None) -> Klassen | None:
    """Class bounds from `basis` (the current values, or all years' values to hold classes fixed). None when there
    is nothing to classify."""
    y = np.asarray(pd.Series(basis, dtype=float).dropna())
    if y.size == 0:
        return None
    unique = np.unique(y)
    gewaehlt = int(max(1, anzahl))
    anzahl = int(max(1, min(anzahl, unique.size)))
    diverging = False
    if methode == "ziel":
        if zielwert is None:
            raise ValueError("Für Schwellenklassen fehlt der Zielwert.")
        spanne = spanne if spanne else abs(zielwert) * 0.1 or 1.0
        target = zielwert if indikator.hoeher_ist_schlechter else np.nextafter(zielwert, -np.inf)
        bins = [zielwert - spanne, target, zielwert + spanne]
        bounds = klassierung.benutzerdefiniert(y, bins)
        return _target_classes(y.min(), bounds, zielwert, spanne, indikator)
    if anzahl == 1:
        bounds = [float(unique[0])]
    elif methode == "jenks":
        bounds = _jenks(y, anzahl)
    elif methode == "quantile":
        bounds = klassierung.quantile(y, anzahl)
    elif methode == "gleich":
        bounds = klassierung.gleiche_intervalle(y, anzahl)
    elif methode == "stdabw":
        return _stdabw_classes(y, gewaehlt if unique.size > 1 else 1, gewaehlt, indikator)
    elif methode == "manuell":
        if not grenzen:
            raise ValueError("Für manuelle Klassen fehlen die Grenzen.")
        bounds = klassierung.benutzerdefiniert(y, sorted(grenzen))
    else:
        raise ValueError(f"Unbekanntes Klassifizierungsverfahren „{methode}“.")
    bounds = _distinct(bounds)
    lower = float(y.min())
    colours = _diverging_colours(len(bounds), indikator) if diverging else _sequential_colours(len(bounds), indikator)
    labels = _range_labels(lower, bounds, indikator)
    hinweis = _weniger_klassen(gewaehlt, len(bounds), unique.size) if methode != "manuell" else ""
    return Klassen(lower, tuple(bounds), tuple(colours), tuple(labels), METHODEN[methode], hinweis)


# Standard-deviation classes for each number of classes: bounds at the mean plus these multiples of the standard
# deviation (an odd number of classes has the middle class around the mean, an even one splits at the mean).
STDABW_VIELFACHE = {2: (0,), 3: (-1, 1), 4: (-1, 0, 1), 5: (-2, -1, 1, 2), 6: (-2, -1, 0, 1, 2),
                    7: (-3, -2, -1, 1, 2, 3)}


def _stdabw_classes(y: np.ndarray, anzahl: int, gewaehlt: int, indikator: Indikator) -> Klassen:
    """Exactly `anzahl` classes of one standard deviation around the mean (STDABW_VIELFACHE), empty outer classes
    included (the legend says "0 Gebiete" – a class is never dropped silently). An empty top class is labelled
    'über X' (no invented upper end)."""
    anzahl = min(max(anzahl, 2), max(STDABW_VIELFACHE))
    vielfache = STDABW_VIELFACHE[anzahl]
    bounds = klassierung.standardabweichung(y, vielfache)[:len(vielfache)]
    groesster = float(np.max(y))
    oben_leer = groesster <= bounds[-1]
    streuung = bounds[-1] - bounds[-2] if len(bounds) > 1 else 1.0
    bounds.append(bounds[-1] + (streuung or 1.0) if oben_leer else groesster)
    if any(b >= c for b, c in itertools.pairwise(bounds)):  # no spread at all: one value, one class
        lower = float(np.min(y))
        return Klassen(lower, (groesster,), tuple(_sequential_colours(1, indikator)), (indikator.wert(groesster),),
                       METHODEN["stdabw"], _weniger_klassen(gewaehlt, 1, 1))
    lower = float(np.min(y))
    labels = _range_labels(lower, bounds, indikator)
    if oben_leer:
        labels[-1] = f"über {indikator.wert(bounds[-2])}"
    return Klassen(lower, tuple(bounds), tuple(_diverging_colours(len(bounds), indikator)), tuple(labels),
                   METHODEN["stdabw"], _weniger_klassen(gewaehlt, len(bounds), np.unique(y).size))


def _weniger_klassen(gewaehlt: int, gezeigt: int, verschieden: int) -> str:
    """Why the map shows fewer classes than were asked for; '' when it shows them all."""
    if gezeigt >= gewaehlt:
        return ""
    grund = (f"es gibt nur {fmt.anzahl(verschieden, 'verschiedenen Wert', 'verschiedene Werte')}"
             if verschieden < gewaehlt else "mehrere Klassengrenzen fallen zusammen (viele gleiche Werte)")
    return f"{fmt.zahl(gewaehlt)} Klassen gewählt, {fmt.zahl(gezeigt)} gezeigt: {grund}."


JENKS_SAMPLE = 1000  # exact Fisher-Jenks is quadratic (jenkspy: 1.000 values 0,02 s, 11.299: 0,4 s): larger inputs use a sample


def _jenks(y: np.ndarray, anzahl: int) -> list[float]:
    if y.size <= JENKS_SAMPLE:
        return klassierung.jenks(y, anzahl)
    # A fixed, evenly spread sample (sorted values) keeps the classes the same on every rerun.
    sample = np.sort(y)[np.linspace(0, y.size - 1, JENKS_SAMPLE).astype(int)]
    bins = klassierung.jenks(sample, anzahl)
    bins[-1] = float(y.max())
    return bins


def _distinct(bounds: list[float]) -> list[float]:
    """A scheme can repeat a bound when many values are equal; a repeated bound would make an empty class."""
    result = []
    for bound in bounds:
        if not result or bound > result[-1]:
            result.append(float(bound))
    return result


def _range_labels(lower: float, bounds: list[float], indikator: Indikator) -> list[str]:
    """'4,0 bis 6,5 %', 'über 6,5 bis 9,0 %' …; a first bound below the smallest value (standard deviations,
    manual bounds) gives 'bis 5,0 %', never a range that runs backwards ('13,2 bis 5,0 %')."""
    labels = []
    for i, upper in enumerate(bounds):
        if i == 0:
            same = indikator.zahl(lower) == indikator.zahl(upper)
            labels.append(indikator.wert(upper) if same else
                          f"bis {indikator.wert(upper)}" if lower > upper else
                          f"{indikator.zahl(lower)} bis {indikator.wert(upper)}")
        else:
            labels.append(f"über {indikator.zahl(bounds[i - 1])} bis {indikator.wert(upper)}")
    return labels


def _target_classes(lower: float, bounds: list[float], zielwert: float, spanne: float,
                    indikator: Indikator) -> Klassen:
    """Four classes around the target: clearly/just reached, just/clearly missed, coloured by polarity."""
    ziel, nah_unten, nah_oben = (indikator.wert(zielwert), indikator.wert(zielwert - spanne),
                                 indikator.wert(zielwert + spanne))
    if indikator.neutral:
        labels = [f"deutlich unter {ziel} (bis {nah_unten})", f"knapp unter {ziel}",
                  f"knapp über {ziel} (bis {nah_oben})", f"deutlich über {ziel} (über {nah_oben})"]
    elif indikator.hoeher_ist_schlechter:
        labels = [f"Ziel deutlich erreicht (bis {nah_unten})", f"Ziel knapp erreicht (bis {ziel})",
                  f"Ziel knapp verfehlt (bis {nah_oben})", f"Ziel deutlich verfehlt (über {nah_oben})"]
    else:
        labels = [f"Ziel deutlich verfehlt (bis {nah_unten})", f"Ziel knapp verfehlt (unter {ziel})",
                  f"Ziel knapp erreicht (bis {nah_oben})", f"Ziel deutlich erreicht (über {nah_oben})"]
    bounds = bounds[:3] + [max(float(bounds[-1]), zielwert + spanne + abs(spanne))]
    colours = _diverging_colours(4, indikator)
    return Klassen(float(lower), tuple(float(b) for b in bounds), tuple(colours), tuple(labels),
                   f"{METHODEN['ziel']} ({ziel})")


def _sequential_colours(n: int, indikator: Indikator) -> list[str]:
    """Light for good, dark red for bad: with 'lower is better' the scale rises with the value. Without a judgement,
    blue rising with the value."""
    points = [0.5] if n == 1 else list(np.linspace(0.08, 0.92, n))
    scale = NEUTRAL_SEQUENTIAL if indikator.neutral else SEQUENTIAL
    colours = plotly.colors.sample_colorscale(plotly.colors.make_colorscale(scale), points)
    return colours[::-1] if indikator.kleinste_zuerst else colours


def _diverging_colours(n: int, indikator: Indikator) -> list[str]:
    """Blue for good, red for bad, pale in the middle (RdBu runs red → blue); without a judgement orange below and
    purple above the centre (PuOr)."""
    points = [0.5] if n == 1 else list(np.linspace(0.1, 0.9, n))
    scale = NEUTRAL_DIVERGING if indikator.neutral else DIVERGING
    colours = plotly.colors.sample_colorscale(plotly.colors.make_colorscale(scale), points)
    return colours[::-1] if indikator.hoeher_ist_schlechter else colours


def legend_texts(klassen: Klassen, values) -> list[str]:
    """'4,0 bis 6,5 % (3 Gebiete)': range in German format and how many areas fall in it."""
    counts = klassen.anzahl_je_klasse(values)
    return [f"{label} ({fmt.anzahl(n, 'Gebiet', 'Gebiete')})" for label, n in zip(klassen.beschriftungen, counts)]


def _mean_counts(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Numerator and denominator per area; for annual averages of months the mean month (the n of a test)."""
    def numbers(column):
        return (pd.to_numeric(frame[column], errors="coerce").astype("float") if column in frame
                else pd.Series(np.nan, index=frame.index))
    months = numbers("monate")
    if "herkunft" in frame:
        months = months.where(frame["herkunft"].eq("jahresdurchschnitt"))
    divisor = months.fillna(1.0)
    return numbers("zaehler") / divisor, numbers("nenner") / divisor


def change_values(before: pd.DataFrame, after: pd.DataFrame, indikator: Indikator, relative: bool = False,
                  labels: tuple[str, str] = ("vorher", "nachher"), niveau: float = 0.95) -> pd.DataFrame:
    """Per area the change between two periods (prepared frames): a difference in the indicator's unit (percentage
    points for a rate in %) or a relative change in %, and for rates with counts whether the change is
    significant at `niveau` (two-proportion test, statistik.signifikanz; never for an unreliable rate): column
    gesichert True/False, NaN where it cannot be tested. An area without a value in either period has no change."""
    after, before = after.copy(), before.copy()
    after["_z"], after["_n"] = _mean_counts(after)
    before["_z"], before["_n"] = _mean_counts(before)
    frame = after[["gebiet", "name", "wert", "wert_text", "unsicher", "unsicher_grund", "_z", "_n"]].merge(
        before[["gebiet", "wert", "wert_text", "unsicher", "unsicher_grund", "_z", "_n"]], on="gebiet", how="left",
        suffixes=("", "_vorher"))
    difference = frame["wert"] - frame["wert_vorher"]
    if relative:
        base = frame["wert_vorher"].where(frame["wert_vorher"] != 0)
        frame["veraenderung"] = 100 * difference / base
        frame["veraenderung_text"] = [fmt.mit_vorzeichen(v, 1, "%") for v in frame["veraenderung"]]
    else:
        frame["veraenderung"] = difference
        frame["veraenderung_text"] = [indikator.differenz(v) for v in difference]
    frame["unsicher"] = frame["unsicher"].fillna(False).astype(bool) | frame["unsicher_vorher"].fillna(False).astype(bool)
    frame["unsicher_grund"] = [a or b or "" for a, b in zip(frame["unsicher_grund"].fillna(""),
                                                            frame["unsicher_grund_vorher"].fillna(""))]
    testable = indikator.ist_quote & frame[["_z", "_n", "_z_vorher", "_n_vorher"]].notna().all(axis=1) \
        & frame["veraenderung"].notna()
    gesichert = signifikanz.veraenderung_gesichert(frame["_z_vorher"], frame["_n_vorher"], frame["_z"], frame["_n"],
                                                   niveau, ~frame["unsicher"].to_numpy())
    frame["gesichert"] = pd.Series(gesichert, index=frame.index, dtype=object).where(testable, None)
    level = fmt.zahl(100 * niveau, 1 if niveau > 0.99 else 0)
    frame["gesichert_text"] = [("gesichert" if g else NICHT_BELASTBAR if u else "nicht gesichert") if t else "–"
                               for g, u, t in zip(frame["gesichert"].tolist(), frame["unsicher"].tolist(),
                                                  testable.tolist())]
    frame["hover"] = [
        "<br>".join(line for line in (
            f"<b>{klartext.plotly(r.name)}</b>", f"{labels[0]}: {r.wert_text_vorher if isinstance(r.wert_text_vorher, str) else '–'}",
            f"{labels[1]}: {r.wert_text}", f"Veränderung: {r.veraenderung_text}",
            f"Veränderung {r.gesichert_text} (Test zweier Anteile, {level} %)" if r.gesichert_text != "–" else "",
            f"⚠ {r.unsicher_grund}" if r.unsicher else "") if line)
        for r in frame.itertuples()
    ]
    return frame.drop(columns=["_z", "_n", "_z_vorher", "_n_vorher"])


def change_table(change: pd.DataFrame, indikator: Indikator, labels: tuple[str, str] = ("Vorher", "Nachher")
                 ) -> pd.DataFrame:
    """Largest deterioration first (by polarity; without one the largest increase), with whether each change is
    significant. labels: the headings of the two values, the periods as the page names them ('2015', '2024')."""
    frame = change.sort_values("veraenderung", ascending=indikator.kleinste_zuerst, na_position="last")
    vorher, nachher = labels
    table = pd.DataFrame({"Gebiet": [short_name(n) for n in frame["name"].tolist()],
                          vorher: frame["wert_text_vorher"].fillna("–").values,
                          nachher: frame["wert_text"].values, "Veränderung": frame["veraenderung_text"].values})
    if indikator.ist_quote and "gesichert_text" in frame:
        table["Veränderung gesichert?"] = frame["gesichert_text"].values
    return table


def change_classes(changes, indikator: Indikator, relative: bool = False, anzahl: int = 6) -> Klassen | None:
    """Symmetric classes around 0 for a change map; an increase is red when higher is worse."""
    y = np.asarray(pd.Series(changes, dtype=float).dropna())
    if y.size == 0:
        return None
    largest = float(np.abs(y).max()) or 1.0
    bins = list(np.linspace(-largest, largest, anzahl + 1)[1:])
    bounds = _distinct(klassierung.benutzerdefiniert(y, bins))

    def text(value):
        return fmt.mit_vorzeichen(value, 1, "%") if relative else indikator.differenz(value)

    labels = [f"{text(-largest) if i == 0 else 'über ' + text(bounds[i - 1])} bis {text(upper)}"
              for i, upper in enumerate(bounds)]
    colours = _diverging_colours(len(bounds), indikator)
    unit = "in %" if relative else (f"in {indikator.differenz_einheit}" if indikator.differenz_einheit else "absolut")
    return Klassen(-largest, tuple(bounds), tuple(colours), tuple(labels), f"Veränderung<br>{unit}")


# --- figures ----------------------------------------------------------------------------------------------------

def _stepped_colourscale(colours) -> list:
    """A colourscale with one flat band per class, for z = class index."""
    n = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def choropleth(geometry: MapGeometry, values: pd.DataFrame, klassen: Klassen | None, legend_title: str,
               hover: list[str], value_column: str = "wert", subplot: str = "map", show_legend: bool = True) -> list:
    """The traces of one panel: classed areas, areas without a value (grey), markers on uncertain rates."""
    frame = values.assign(_hover=hover)
    frame = frame[frame["gebiet"].isin(geometry.features)]
    has_value = frame[value_column].notna() & (klassen is not None)
    traces = []
    classed = frame[has_value]
    if len(classed):
        index = klassen.zuordnen(classed[value_column])
        n = len(klassen.obergrenzen)
        counts = klassen.anzahl_je_klasse(classed[value_column])
        traces.append(go.Choroplethmap(
            geojson=geometry.geojson_for(classed["gebiet"]), locations=list(classed["gebiet"]),
            z=index, zmin=-0.5, zmax=n - 0.5, colorscale=_stepped_colourscale(klassen.farben),
            marker={"line": {"width": 0.8, "color": "white"}}, customdata=list(classed["gebiet"]),
            hovertext=list(classed["_hover"]), hovertemplate="%{hovertext}<extra></extra>",
            showscale=show_legend, subplot=subplot, name="Gebiete",
            colorbar={"title": {"text": legend_title, "side": "top", "font": {"size": 12}},
                      "tickvals": list(range(n)), "tickfont": {"size": 11, "color": "#222"},
                      "ticktext": [f"{label} ({c})" for label, c in zip(klassen.beschriftungen, counts)],
                      "len": min(1.0, 0.12 * n + 0.25), "thickness": 14, "x": 1.0, "xanchor": "left",
                      "y": 1.0, "yanchor": "top"},
        ))
    empty = frame[~has_value]
    if len(empty):
        traces.append(go.Choroplethmap(
            geojson=geometry.geojson_for(empty["gebiet"]), locations=list(empty["gebiet"]),
            z=[0] * len(empty), colorscale=[[0, NO_VALUE_COLOUR], [1, NO_VALUE_COLOUR]], showscale=False,
            marker={"line": {"width": 0.8, "color": "white"}}, customdata=list(empty["gebiet"]),
            hovertext=list(empty["_hover"]), hovertemplate="%{hovertext}<extra></extra>", subplot=subplot,
            name=f"ohne Wert ({len(empty)})", showlegend=show_legend,
        ))
    if "unsicher" in frame and frame["unsicher"].any():
        uncertain = frame[frame["unsicher"]]
        traces.append(go.Scattermap(
            lon=[geometry.label_lon[c] for c in uncertain["gebiet"]],
            lat=[geometry.label_lat[c] for c in uncertain["gebiet"]],
            mode="markers", marker={"size": 9, "color": UNCERTAIN_COLOUR, "opacity": 0.75},
            customdata=list(uncertain["gebiet"]), hovertext=list(uncertain["_hover"]),
            hovertemplate="%{hovertext}<extra></extra>", subplot=subplot,
            name=f"{NICHT_BELASTBAR} ({len(uncertain)})", showlegend=show_legend,
        ))
    return traces


def zielwert_vorschlag(katalog: pd.DataFrame, indikator_id: str) -> tuple[float | None, str]:
    """The centre of 'Schwellenklassen um einen Zielwert' for an indicator: the threshold of its first target with
    one (in the order of the agreement), and that target's title; (None, '') when no target sets one.
    katalog: ziele_katalog.sql (indikator, schwelle, referenz, titel)."""
    eigene = katalog[katalog["indikator"].eq(indikator_id) & katalog["schwelle"].notna()] if len(katalog) else katalog
    if "referenz" in eigene:
        eigene = eigene[eigene["referenz"].isna()]
    if eigene.empty:
        return None, ""
    return float(eigene["schwelle"].iloc[0]), str(eigene["titel"].iloc[0])


def parse_zahl(text: str) -> float | None:
    """A number as a planner types it: '15', '7,5', '1.000,5' → float; None when it is none."""
    teile = parse_breaks(text) if text and ";" not in text else None
    return teile[0] if teile and len(teile) == 1 else None


EBENEN_WORT = {"gemeinde": "Gemeinden", "sozialraum": "Sozialräume", "kreis": "Kreis", "land": "Land", "bund": "Bund"}


def alle_nicht_belastbar(values: pd.DataFrame) -> bool:
    """Whether every area with a value (prepare_values: columns wert, unsicher) is flagged "nicht belastbar" – e.g.
    youth unemployment in the demo's six Sozialräume (fewer than 1.000 in the mean month everywhere)."""
    mit_wert = values[values["wert"].notna()]
    return bool(len(mit_wert)) and bool(mit_wert["unsicher"].astype(bool).all())


def ebenen_text(ebenen: str) -> str:
    """The levels as a person names them, smallest first: 'bund, gemeinde, land' → 'Gemeinden, Land und Bund'
    (an unknown level stays as it is)."""
    teile = [e.strip() for e in str(ebenen or "").split(",") if e.strip()]
    teile.sort(key=lambda e: list(EBENEN_WORT).index(e) if e in EBENEN_WORT else len(EBENEN_WORT))
    worte = [EBENEN_WORT.get(e, e) for e in teile]
    return ", ".join(worte[:-1]) + f" und {worte[-1]}" if len(worte) > 1 else "".join(worte) or "–"


def vergleich_text(ebenen: set[str]) -> str:
    """What the Karte offers, for the home page, from the comparison levels that hold values (queries/
    vergleichsebenen.sql): 'Ein Indikator je Sozialraum oder Gemeinde, im Vergleich mit Kreis.' – never a Land or
    Bund value the database does not hold."""
    if not ebenen:
        return "Ein Indikator je Sozialraum oder Gemeinde."
    return f"Ein Indikator je Sozialraum oder Gemeinde, im Vergleich mit {ebenen_text(', '.join(ebenen))}."


def einleitung_text(indikatoren: pd.DataFrame, ebenen: set[str], hat_ziele: bool) -> str:
    """The home page's sentence of what this database shows, from its facts (issue 20: the demo's three rates and
    "Kreis, Land und Bund" were written into it for every Kreis): indikatoren from queries/map_indicators.sql (name,
    art), ebenen from vergleichsebenen.sql, hat_ziele whether targets are stored. 'Der Sozialmonitor zeigt
    Jugendarbeitslosigkeit (15 bis unter 25 Jahre), … und die Zahlen dahinter je Gemeinde und Sozialraum – auf der
    Karte, im Vergleich mit Kreis, und gemessen an den Zielen, die der Kreis vereinbart hat.'"""
    quoten = list(indikatoren.loc[indikatoren["art"].eq("quote"), "name"])
    zahlen = list(indikatoren.loc[indikatoren["art"].ne("quote"), "name"])
    namen = quoten or zahlen
    if not namen:
        return "Der Sozialmonitor zeigt kleinräumige Indikatoren je Gemeinde und Sozialraum, sobald sie importiert sind."
    was = ", ".join(namen[:-1]) + f" und {namen[-1]}" if len(namen) > 1 else namen[0]
    if quoten and zahlen:
        was += " und die Zahlen dahinter"
    teile = ["auf der Karte"] + ([f"im Vergleich mit {ebenen_text(', '.join(ebenen))}"] if ebenen else [])
    if hat_ziele:
        teile.append("und gemessen an den Zielen, die der Kreis vereinbart hat")
    return f"Der Sozialmonitor zeigt {was} je Gemeinde und Sozialraum – {', '.join(teile)}."


def parse_breaks(text: str) -> list[float] | None:
    """Manual class breaks as a planner types them: '5; 7,5; 10' → [5.0, 7.5, 10.0]; None when a part is no number."""
    try:
        return [float(part.strip().replace(".", "").replace(",", ".")) for part in text.split(";") if part.strip()]
    except ValueError:
        return None


def wrap(text: str, width: int = 26) -> str:
    """Line breaks for a legend title (plotly does not wrap); text is user text, escaped per line (klartext.plotly)
    so a break never splits an entity."""
    return "<br>".join(klartext.plotly(line) for line in textwrap.wrap(text, width))


def short_name(name: str) -> str:
    """'Artern (Demo-Zuordnung)' → 'Artern': the demo's note belongs in the legend, not on every label. An official
    name keeps its qualifier: 'Frankfurt (Oder)', 'Winsen (Luhe)', 'Burg (Dithmarschen)' (cut off, it named another
    place or none: 231 Gemeinden of Germany)."""
    kern, klammer, rest = name.rpartition(" (")
    return kern if klammer and rest.endswith(")") and "demo" in rest.casefold() else name


def map_data(geometry: MapGeometry, values: pd.DataFrame, klassen: Klassen | None, legend_title: str,
             hover: list[str] | None = None, value_column: str = "wert", selected: str | None = None,
             marker_column: str = "unsicher", marker_label: str = NICHT_BELASTBAR, *,
             referenzen: list[str] | None = None, indikator: Indikator | None = None) -> dict:
    """What the map component receives on a rerun: per area of the served GeoJSON, in its order, the class index
    (−1 = no value) and the tooltip; the class colours, the uncertain areas, the selected one, and the legend
    (German ranges with the number of areas). No geometry: the browser loads that once from `geometry.url`.

    The tooltip: `hover` (one finished text per row of values; the component packs them, karten.uebertragung), or
    without it the lines of karten.tooltip built from the values themselves (prepare_values rows) with `referenzen`
    (per row, reference_texts) and `indikator` – then the result is already packed: 'gebiete' (DataFrame: klasse,
    form, d0 …), 'zahlen' and 'tooltip' instead of 'klasse' and 'hover' (issue 22: no 11.299 strings per change)."""
    if hover is None:
        if indikator is None or referenzen is None:
            raise TypeError("map_data ohne hover braucht referenzen und indikator")
        zusatz = {"_referenz": pd.Series(list(referenzen), index=values.index, dtype=object)}
    else:  # the tooltips as plain Python objects: an Arrow string column would copy 11.299 strings twice
        zusatz = {"_hover": pd.Series(hover, index=values.index, dtype=object)}
    frame = values.assign(**zusatz).drop_duplicates("gebiet").set_index("gebiet").reindex(list(geometry.codes))
    known = frame["name"].notna()
    classes = (klassen.zuordnen(frame[value_column]) if klassen is not None
               else np.full(len(frame), -1)).astype(int)
    uncertain = (frame[marker_column].fillna(False).astype(bool).to_numpy() if marker_column in frame
                 else np.zeros(0, bool))
    without_value = int((classes < 0).sum())
    entries = (list(zip(klassen.farben, legend_texts(klassen, frame[value_column].dropna())))
               if klassen is not None else [])
    if hover is None:
        gepackt = tooltip.packen(frame, frame["_referenz"].fillna("").tolist(), indikator.einheit,
                                 indikator.nachkommastellen, klasse=classes, regel=indikator.regel,
                                 faktor=indikator.faktor, differenz_einheit=indikator.differenz_einheit)
    else:
        frame.loc[~known, "_hover"] = [f"<b>{klartext.plotly(geometry.names[code])}</b>"
                                       for code in frame.index[~known]]
        gepackt = {"klasse": classes.tolist(), "hover": list(frame["_hover"])}
    return {
        **gepackt,
        "farben": list(klassen.farben) if klassen is not None else [],
        "unsicher": np.flatnonzero(uncertain).tolist(),
        "auswahl": geometry.codes.index(selected) if selected in geometry.codes else None,
        "legende": {
            "titel": legend_title,
            "eintraege": [list(entry) for entry in entries],
            "ohne_wert": f"ohne Wert ({without_value})" if without_value else "",
            "unsicher": f"{marker_label} ({int(uncertain.sum())})" if uncertain.any() else "",
        },
    }


def small_multiples(geometry: MapGeometry, frames: dict[str, pd.DataFrame], klassen: Klassen, legend_title: str,
                    titles: dict[str, str], columns: int = 3, width: int = 900) -> go.Figure:
    """Several periods side by side with the same classes (so the colours mean the same in every panel)."""
    periods = list(frames)
    rows = math.ceil(len(periods) / columns)
    panel_width = (width - 240) // columns
    height_per_row = int(max(150, panel_width * _aspect(geometry.bounds) * 1.15 + 40))
    figure = go.Figure()
    layout = {}
    gap = 0.02
    for i, period in enumerate(periods):
        row, col = divmod(i, columns)
        subplot = "map" if i == 0 else f"map{i + 1}"
        frame = frames[period]
        hover = [f"<b>{klartext.plotly(r.name)}</b><br>{titles[period]}: {r.wert_text}" for r in frame.itertuples()]
        for trace in choropleth(geometry, frame, klassen, legend_title, hover, subplot=subplot,
                                show_legend=(i == 0)):
            figure.add_trace(trace)
        x0, x1 = col / columns + gap / 2, (col + 1) / columns - gap / 2
        y1, y0 = 1 - row / rows - gap, 1 - (row + 1) / rows + 0.06 / rows
        centre, zoom = fit_view(geometry.bounds, width=panel_width, height=height_per_row - 30)
        layout[subplot] = {"style": "white-bg", "center": centre, "zoom": zoom,
                           "domain": {"x": [x0, x1], "y": [y0, y1]}}
        figure.add_annotation(text=f"<b>{titles[period]}</b>", x=(x0 + x1) / 2, y=y1, xref="paper", yref="paper",
                              showarrow=False, yanchor="bottom", font={"size": 13})
    for trace in figure.data:
        if isinstance(trace, go.Choroplethmap) and trace.showscale:
            # counts per class would only describe the first panel
            trace.colorbar.update(x=1.0, xanchor="left", y=1.0, ticktext=list(klassen.beschriftungen))
    figure.update_layout(**layout, height=rows * height_per_row, margin={"l": 0, "r": 260, "t": 24, "b": 0},
                         separators=GERMAN_SEPARATORS, showlegend=True,
                         legend={"x": 1.0, "xanchor": "left", "y": 0.0, "yanchor": "bottom"})
    return figure


def time_series_figure(series: pd.DataFrame, indikator: Indikator, title: str) -> go.Figure:
    """The selected area against its Kreis, Land and Bund; gaps stay gaps (a missing value is not 0)."""
    figure = go.Figure()
    dashes = {"gebiet": "solid", "kreis": "dash", "land": "dot", "bund": "dashdot", "vergleichsring": "longdash"}
    for (code, name, role), part in series.groupby(["gebiet", "name", "rolle"], sort=False):
        part = part.sort_values("zeitraum")
        level = part["ebene"].iloc[0]
        figure.add_trace(go.Scatter(
            x=[fmt.zeitraum(p) for p in part["zeitraum"]], y=part["wert"], name=klartext.plotly(short_name(name)),
            mode="lines+markers", connectgaps=False,
            line={"width": 3 if role == "gebiet" else 1.6, "dash": dashes.get(level, "solid") if role != "gebiet"
                  else "solid"},
            hovertemplate="%{x}: %{customdata}<extra>" + klartext.plotly(short_name(name)) + "</extra>",
            customdata=list(part["wert_text"]),
        ))
    figure.update_layout(
        title={"text": klartext.plotly(title), "font": {"size": 14}}, height=340, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        separators=GERMAN_SEPARATORS, yaxis={"title": indikator.einheit, "rangemode": "tozero"},
        xaxis={"type": "category"}, legend={"orientation": "h", "y": -0.15, "yanchor": "top"},
    )
    if indikator.einheit == "Anzahl":  # whole ticks for counts: no '0,2 Familienlotsen' (as the goal chart)
        hoechster = float(series["wert"].max()) if series["wert"].notna().any() else 0.0
        figure.update_yaxes(tickformat=",d", **({"dtick": 1} if hoechster <= 10 else {}))
    monate = sorted(p for p in series["zeitraum"].unique() if len(p) == 7)
    if len(monate) > 12:  # a tick per year, upright (120 month names overlapped and ran into the legend, issue 20)
        januar = [p for p in monate if p.endswith("-01")] or monate[::12]
        januar = januar[::math.ceil(len(januar) / 5)]  # at most 5 years: the chart beside the map is narrow
        figure.update_xaxes(tickmode="array", tickvals=[fmt.zeitraum(p) for p in januar],
                            ticktext=[p[:4] for p in januar], tickangle=0)
    return figure
