"""Boundaries as planners receive them: the coordinate system checked before anything is stored, the source
(attribution) of each file kept with its import, Sozialraum boundaries kept as imported, KomMonitor's
`DATE_YYYY-MM-DD` properties read as observations, and uninhabited areas (VG250 `BEZ` „Gemeindefreies Gebiet“)
recognised.

Coordinates: a file that names its CRS is converted to longitude/latitude (EPSG:4326) by pyproj (via GeoPandas). A
file that names none must already be in degrees; metres (UTM, Gauß-Krüger) without a CRS are refused with the CRS they
fit, and how to name it (``--crs EPSG:25832`` or on the Daten page). Longitude and latitude swapped (the extent lies
in Somalia instead of Germany) is refused too: a wrong map with exit 0 is worse than a message."""

from __future__ import annotations

import io
import re
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

if TYPE_CHECKING:  # geopandas (~40 MB with pyproj) is loaded where boundaries are read or built, not for a map
    import geopandas as gpd

from sozialmonitor import einlesen
from sozialmonitor.einlesen import dbf, entpacken, schluessel
from sozialmonitor.errors import Befund, EingabeFehler
from sozialmonitor.fmt import anzahl, zahl

# Germany with a margin (lon 5.5–15.5, lat 47.2–55.1): where every area of a Kreis lies.
DEUTSCHLAND = (4.5, 46.5, 16.5, 56.0)
# CRSs German boundary files come in, tried to name the one a file without CRS fits.
KANDIDATEN = {
    "EPSG:25832": "ETRS89 / UTM Zone 32N",
    "EPSG:25833": "ETRS89 / UTM Zone 33N",
    "EPSG:4647": "ETRS89 / UTM Zone 32N mit Zonenkennung",
    "EPSG:5650": "ETRS89 / UTM Zone 33N mit Zonenkennung",
    "EPSG:31467": "DHDN / Gauß-Krüger Zone 3",
    "EPSG:31468": "DHDN / Gauß-Krüger Zone 4",
    "EPSG:3035": "ETRS89 / LAEA Europa",
    "EPSG:3857": "WGS 84 / Pseudo-Mercator (Web-Karten)",
}
GEMEINDEFREI = re.compile(r"gemeindefrei|unbewohnt", re.IGNORECASE)
KOMMONITOR_DATUM = re.compile(r"^DATE_(\d{4})-(\d{2})-(\d{2})$")
QUELLE_FELDER = ("QUELLE", "ATTRIBUTION", "SOURCE", "STAND", "LIZENZ")
OHNE_QUELLE = "Quelle nicht angegeben"
CRS_HILFE = ("Bitte das Koordinatensystem angeben: auf der Kommandozeile mit --crs {crs}, auf der Seite „Daten“ im "
             "Feld „Koordinatensystem (EPSG)“ – oder die Datei mit Koordinatensystem exportieren (GeoJSON mit "
             "„crs“-Angabe, beim Shapefile die .prj-Datei mit ins ZIP-Archiv).")


def _innerhalb(bounds, box=DEUTSCHLAND) -> bool:
    minx, miny, maxx, maxy = bounds
    return box[0] <= minx <= maxx <= box[2] and box[1] <= miny <= maxy <= box[3]


def _passende_crs(frame) -> list[str]:
    """The candidate CRSs that put the file's extent into Germany."""
    from pyproj import Transformer

    minx, miny, maxx, maxy = frame.total_bounds
    fitting = []
    for crs in KANDIDATEN:
        try:
            xs, ys = Transformer.from_crs(crs, 4326, always_xy=True).transform([minx, maxx], [miny, maxy])
        except Exception:  # pyproj: a point outside the projection's domain
            continue
        if all(np.isfinite(xs)) and all(np.isfinite(ys)) and _innerhalb((min(xs), min(ys), max(xs), max(ys))):
            fitting.append(crs)
    return fitting


def nach_wgs84(frame, name: str, crs: str | None = None):
    """The boundaries in EPSG:4326, checked. crs: the CRS a user names for a file that has none (e.g. 'EPSG:25832';
    a file's own CRS is not overridden by it unless it has none).

    Raises EingabeFehler: no CRS and coordinates that are not degrees (message names the fitting CRS and how to say
    it), an unknown --crs, a CRS pyproj cannot convert, longitude/latitude swapped."""
    minx, miny, maxx, maxy = frame.total_bounds
    degrees = -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    # GDAL gives every GeoJSON without a "crs" member EPSG:4326 (RFC 7946): a geographic CRS with coordinates that
    # are no degrees means the file did not say its CRS.
    unnamed = frame.crs is None or (frame.crs.is_geographic and not degrees)
    if unnamed and crs:
        try:
            frame = frame.set_crs(crs, allow_override=True)
        except Exception as exc:  # pyproj CRSError for a name it does not know
            raise EingabeFehler([Befund(name, None, "--crs", f"Das Koordinatensystem „{crs}“ ist unbekannt "
                                                             "(Beispiel: EPSG:25832).")]) from exc
    elif unnamed:
        if not degrees:
            fitting = _passende_crs(frame)
            fits = (f" Sie passen zu {' oder '.join(f'{c} ({KANDIDATEN[c]})' for c in fitting)}." if fitting else "")
            raise EingabeFehler([Befund(name, None, "Koordinatensystem", (
                "Die Grenzdatei nennt kein Koordinatensystem, und die Koordinaten sind keine Längen/Breiten in Grad "
                f"(x {zahl(minx)} bis {zahl(maxx)}, y {zahl(miny)} bis {zahl(maxy)} – vermutlich Meter).{fits} "
                + CRS_HILFE.format(crs=fitting[0] if fitting else "EPSG:25832")))])
        frame = frame.set_crs(4326, allow_override=True)
    try:
        frame = frame.to_crs(4326)
    except Exception as exc:  # pyproj errors for unknown or broken CRS definitions
        raise EingabeFehler([Befund(name, None, "Koordinatensystem", "Das Koordinatensystem der Grenzdatei lässt "
                                                                    "sich nicht in Längen und Breiten umrechnen "
                                                                    "(die .prj-Datei oder die crs-Angabe ist "
                                                                    "fehlerhaft).")]) from exc
    bounds = frame.total_bounds
    swapped = (bounds[1], bounds[0], bounds[3], bounds[2])
    if not _innerhalb(bounds) and _innerhalb(swapped):
        raise EingabeFehler([Befund(name, None, "Koordinatensystem", (
            "Länge und Breite sind vertauscht: die Flächen lägen bei "
            f"{zahl(bounds[0], 1)}° Ost, {zahl(bounds[1], 1)}° Nord statt in Deutschland. Bitte die Datei mit "
            "x = Länge (Ost), y = Breite (Nord) exportieren (in QGIS: „Achsenreihenfolge“ beim Export)."))])
    return frame


def lesefehler(exc: Exception) -> str:
    """What a reading error of GDAL/pyogrio means, in German – never its English text (a user cannot act on
    „not recognized as a supported file format“ or „'utf-8' codec can't decode byte 0xfc“)."""
    from sozialmonitor.einlesen.dateiart import GRENZFORMATE

    text = str(exc)
    if isinstance(exc, UnicodeDecodeError) or "codec can't decode" in text:
        return ("Die Namen in der Grenzdatei sind nicht in der Zeichenkodierung gespeichert, die die Datei angibt. "
                "Bitte als GeoPackage oder GeoJSON (UTF-8) exportieren; beim Shapefile die .cpg-Datei mit der "
                "richtigen Kodierung ins ZIP-Archiv legen.")
    if "not recognized" in text or "not supported" in text.lower() or "unsupported" in text.lower():
        return f"Die Datei ist in keinem Format, das als Grenzen gelesen wird ({GRENZFORMATE})."
    return ("Die Grenzdatei lässt sich nicht lesen: sie ist beschädigt oder unvollständig. Bitte neu exportieren oder "
            f"neu herunterladen ({GRENZFORMATE}).")


SCHLUESSEL_ERSATZ = ("ARS", "RS")  # VG250 and Regionalstatistik files key by ARS where AGS is missing


def schluesselfeld(frame, id_field: str) -> tuple[str, list[str]]:
    """The key field to read: id_field as written, else the one column spelled like it in other case ('ags'), else –
    for the default 'AGS' – the file's ARS/RS field (its 12-digit keys become AGS); with a report line when it is not
    id_field itself. A field that is not there at all is returned as asked (the caller names it as missing)."""
    if id_field in frame.columns:
        return id_field, []
    by_upper = {str(c).upper(): c for c in frame.columns if c != "geometry"}
    for wanted in (id_field.upper(),) + (SCHLUESSEL_ERSATZ if id_field.upper() == "AGS" else ()):
        if wanted in by_upper:
            return by_upper[wanted], [f"Kein Feld „{id_field}“: der Gebietsschlüssel kommt aus dem Feld "
                                      f"„{by_upper[wanted]}“."]
    return id_field, []


def verstuemmelte_namen(frame, name: str, fields: list[str], encoding=None, ursache: str | None = None
                        ) -> list[Befund]:
    """Names that still look like mojibake after reading („SÃ¼lfeld“: UTF-8 read as Latin-1/Windows-1252, or a file
    saved so once): one finding per name (file, line = feature position, field), never stored. encoding: the
    einlesen.dbf.DbfKodierung a Shapefile without .cpg was read with (named in the message), or None. ursache: the
    sentence naming the cause where it is known (a .cpg that contradicts the DBF bytes: dbf.cpg_einbyte_statt_utf8)."""
    from sozialmonitor.einlesen.befunde import MAX_BEFUNDE
    from sozialmonitor.einlesen.kodierung import MOJIBAKE, verstuemmelt

    read_as = (f" Gelesen als {encoding.name} ({encoding.grund})." if encoding is not None else "")
    read_as += f" {ursache}" if ursache else ""
    befunde = []
    for field in fields:
        texts = frame[field].fillna("").astype("str")
        hits = texts.str.contains(MOJIBAKE.pattern, regex=True).to_numpy()
        for position in np.flatnonzero(hits)[:MAX_BEFUNDE]:
            text = texts.iloc[position]
            befunde.append(Befund(name, int(texts.index[position]) + 1, field, (
                f"„{text}“ enthält verstümmelte Umlaute („{verstuemmelt(text)}“).{read_as} Die Zeichenkodierung "
                "der Grenzdatei passt nicht zu ihrem Inhalt: beim Shapefile bitte die .cpg-Datei mit der richtigen "
                "Kodierung (z. B. „UTF-8“) ins ZIP-Archiv legen oder die Datei als GeoPackage/GeoJSON (UTF-8) "
                "exportieren; Namen, die schon so gespeichert sind, bitte in der Quelle berichtigen.")))
    return befunde


# VG250 „Geofaktor“ GF: 1 = Gewässer ohne Struktur, 2 = Gewässer mit Struktur, 3 = Land ohne Struktur, 4 = Land mit
# Struktur (BKG, Dokumentation VG250, Attribut GF). A coastal Gemeinde has a land and a water feature with one AGS.
GF_LAND = {3, 4}
GF_NAMEN = {1: "Gewässer", 2: "Gewässer", 3: "Land", 4: "Land"}


def landflaechen(frame, codes: pd.Series, art: pd.Series, befunde: list[Befund], kreis: str | None, name: str,
                 id_field: str):
    """A boundary file narrowed to what is imported, before its keys are checked for duplicates: with kreis only the
    Gemeinden of that Kreis (the AGS starts with it, 8 digits) – duplicates or faults of other Kreise in a
    Germany-wide file are not this Kreis' concern; with a VG250 field GF only the land areas (GF 3/4), the water
    areas (GF 1/2, e.g. the Wattenmeer part of Sylt under the same AGS) left out and reported. Returns (frame, codes,
    art, befunde, report lines), all narrowed alike; befunde about left-out features dropped.

    Source: BKG, VG250 documentation (GF); openego/eGon-data vg250 cleaning (WHERE gf = '4' -- without water)."""
    keep = pd.Series(True, index=frame.index)
    notes = []
    if kreis is not None:
        keep &= codes.str.startswith(kreis) & codes.str.len().eq(8)
        if not keep.any():
            raise EingabeFehler([Befund(name, None, id_field, f"Die Datei enthält keine Gemeinde des Kreises {kreis} "
                                                              f"(Feld {id_field}).")])
    gf_field = next((c for c in frame.columns if str(c).upper() == "GF"), None)
    if gf_field is not None:
        gf = pd.to_numeric(frame[gf_field], errors="coerce")
        water = keep & gf.notna() & ~gf.isin(GF_LAND)
        if water.any():
            land_codes = set(codes[keep & gf.isin(GF_LAND)])
            dropped = codes[water]
            names = frame.loc[water].get("GEN", dropped)
            merged = [f"{c} {n}" for c, n in zip(dropped, names) if c in land_codes]
            alone = [f"{c} {n}" for c, n in zip(dropped, names) if c not in land_codes]
            if merged:
                notes.append(f"Wasserflächen (VG250 GF {', '.join(sorted({str(int(g)) for g in gf[water]}))}) "
                             f"von {anzahl(len(merged), 'Gemeinde', 'Gemeinden')} weggelassen – jede steht mit ihrer Landfläche "
                             "(GF 3/4) in der Karte: "
                             + ", ".join(merged[:20]) + (" …" if len(merged) > 20 else "") + ".")
            if alone:
                notes.append("Reine Wasserflächen ohne Landfläche nicht übernommen: " + ", ".join(alone[:20])
                             + (" …" if len(alone) > 20 else "") + ".")
            keep &= ~water
    if keep.all():
        return frame, codes, art, befunde, notes
    kept_lines = set(int(i) + 1 for i in frame.index[keep])
    befunde = [b for b in befunde if b.zeile is None or b.zeile in kept_lines]
    return frame[keep], codes[keep], art[keep], befunde, notes


def erkannte_quelle(frame, name: str) -> str | None:
    """The attribution a boundary file carries in its attributes: a VG250 file („STAND: VG250 2016-01-01 (BKG)“) gives
    „© GeoBasis-DE / BKG (2016)“ with the licence; a field QUELLE/ATTRIBUTION gives its text; else None."""
    columns = {c.upper(): c for c in frame.columns if c != "geometry"}
    for key in QUELLE_FELDER:
        if key not in columns:
            continue
        values = frame[columns[key]].dropna().astype("str").str.strip()
        values = values[values.ne("")]
        if values.empty:
            continue
        text = values.mode().iloc[0]
        if re.search(r"BKG|VG250|GeoBasis", text, re.IGNORECASE):
            year = re.search(r"(19|20)\d{2}", text)
            return ("Grenzen: © GeoBasis-DE / BKG" + (f" ({year.group(0)})" if year else "")
                    + ", Datenlizenz Deutschland – Namensnennung – Version 2.0")
        if key != "STAND":
            return f"Grenzen: {text}"
    if re.search(r"vg250", name, re.IGNORECASE) or VG250_FELDER <= set(columns):
        # A VG250 file without STAND (the GeoPackage/Shapefile as the BKG ships it: DE_VG250.gpkg, VG250_GEM.shp):
        # known by its name or its BKG-only fields ADE, GF, BSG. Its year (the Stand) is not in such a file – the
        # newest WSK of the Gemeinden read is no Stand – so none is invented (BKG_OHNE_JAHR: the report says how
        # to give it with --quelle).
        year = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", name)
        return ("Grenzen: © GeoBasis-DE / BKG" + (f" ({year.group(0)})" if year else "")
                + ", Datenlizenz Deutschland – Namensnennung – Version 2.0")
    return None


BKG_OHNE_JAHR = re.compile(r"© GeoBasis-DE / BKG, ")
VG250_FELDER = {"ADE", "GF", "BSG", "AGS", "GEN"}  # attributes only the BKG's VG250 has (with its ARS/RS and BEZ)


def quellenangabe(quelle: str | None, erkannt: str | None, datei: str) -> str:
    """What is stored and shown for a boundary import: the user's --quelle, else what the file says, else a note that
    the file did not say (never someone else's attribution)."""
    if quelle and quelle.strip():
        return quelle.strip()
    return erkannt or f"Grenzen aus „{datei}“ ({OHNE_QUELLE})"


def gemeindefrei(bez: pd.Series) -> pd.Series:
    """True where the VG250 designation (BEZ) marks an area without inhabitants („Gemeindefreies Gebiet“)."""
    return bez.fillna("").astype("str").str.contains(GEMEINDEFREI)


def zeitraum_aus_datum(jahr: str, monat: str, tag: str) -> str:
    """KomMonitor's date of a value → Sozialmonitor's period: the 31.12. is the year's Stichtag (JJJJ), any other
    date the month it falls in (JJJJ-MM)."""
    return jahr if (monat, tag) == ("12", "31") else f"{jahr}-{monat}"


def kommonitor_beobachtungen(data: bytes, name: str, id_field: str, indikator: str) -> tuple[pd.DataFrame,
                                                                                            list[Befund]]:
    """A KomMonitor export (GeoJSON etc. of spatial units with one indicator's values as properties
    `DATE_YYYY-MM-DD`) → observation rows as einlesen.parse_observations returns them: DataFrame(gebiet, indikator,
    zeitraum, zaehler, nenner, wert, status, kennzeichen, quelle, zeile), zeile = the feature's position (1-based). A value
    of null is 'fehlt' (KomMonitor writes no value), never 0. indikator: the catalogue id the values belong to
    (KomMonitor names it outside the file).

    Raises EingabeFehler when the file has no DATE_ properties or no id field; non-numeric values are findings."""
    with _opened(data, name) as source:
        frame = _read(source, name, None)
    date_columns = [c for c in frame.columns if KOMMONITOR_DATUM.match(str(c))]
    befunde = []
    if not date_columns:
        befunde.append(Befund(name, None, None, "Die Datei hat keine Werte-Spalten „DATE_JJJJ-MM-TT“ (KomMonitor)."))
    if id_field not in frame.columns:
        befunde.append(Befund(name, None, id_field, f"Das Feld „{id_field}“ gibt es nicht (vorhanden: "
                                                    f"{', '.join(str(c) for c in frame.columns if c != 'geometry')})."))
    if not indikator:
        befunde.append(Befund(name, None, "--indikator", "Bitte angeben, zu welchem Indikator die Werte gehören."))
    if befunde:
        raise EingabeFehler(befunde)
    codes = _als_text(frame[id_field])
    rows = []
    for column in date_columns:
        period = zeitraum_aus_datum(*KOMMONITOR_DATUM.match(column).groups())
        values = pd.to_numeric(frame[column], errors="coerce")
        for position, (code, raw, value) in enumerate(zip(codes, frame[column], values), start=1):
            missing = raw is None or (isinstance(raw, float) and np.isnan(raw))
            if not missing and pd.isna(value):
                befunde.append(Befund(name, position, column, f"„{raw}“ ist keine Zahl."))
            rows.append({"gebiet": code, "indikator": indikator, "zeitraum": period, "zaehler": np.nan,
                         "nenner": np.nan, "wert": np.nan if missing else float(value),
                         "status": "fehlt" if missing else "ok", "kennzeichen": None, "quelle": "KomMonitor",
                         "zeile": position})
    result = pd.DataFrame(rows).astype({"gebiet": "str", "indikator": "str", "zeitraum": "str", "status": "str",
                                        "quelle": "str", "zaehler": "float64", "nenner": "float64",
                                        "wert": "float64", "zeile": "int64"})
    befunde += [Befund(name, int(r.zeile), id_field, "Objekt ohne Gebietsschlüssel.")
                for r in result[result["gebiet"].eq("")].drop_duplicates("zeile").itertuples()]
    return result, befunde


def _als_text(values: pd.Series) -> pd.Series:
    from sozialmonitor.einlesen.schluessel import als_text

    return als_text(values)


def ist_grenzdatei(name: str) -> bool:
    """A file name that says boundaries (GeoJSON, GeoPackage, zipped Shapefile)."""
    return name.lower().endswith((".geojson", ".json", ".gpkg", ".zip", ".shp"))


# SQL (constant) for the Sozialräume whose polygons came from a boundary file of their own: they are kept as
# imported and never replaced by the union of their Gemeinden.
def hinweise_grenzen(shapes, parents: pd.Series, chain: pd.DataFrame | None, stored: set[str], source: str,
                     kreis: str | None, level: str | None = None) -> list[str]:
    """The report lines of a boundary import: the areas the register adds, Kreise of Gemeinden that are not in the
    register (an older territorial status: reported, not silently accepted), gemeindefreie Gebiete, the Kreis
    filter, the keys converted to the level's codes (ARS → AGS, counted after the Kreis filter), the key field taken
    in place of a missing AGS, the DBF encoding decided without .cpg, and the attribution stored with the import.
    level: the boundary file's level (for the wording of the key conversions)."""
    from sozialmonitor.einlesen import register

    notes = []
    if kreis is not None:
        notes.append(f"Nur die {zahl(len(shapes))} Gebiete des Kreises {kreis} übernommen.")
    if chain is not None and not chain.empty:
        notes.append("Aus dem eingebauten Gebietsregister (Stand " + register.STAND + ") angelegt: "
                     + ", ".join(f"{r.code} {r.name}" for r in chain.itertuples()) + ".")
    if chain is not None:
        outside = sorted(set(parents.dropna()) - register.codes() - stored)
        for code in outside[:20]:
            members = shapes.loc[parents.eq(code), "code"]
            notes.append(f"Der Kreis {code} steht nicht im Gebietsregister (Stand {register.STAND}) – älterer "
                         f"Gebietsstand? Seine {zahl(len(members))} Gemeinden ({', '.join(members.head(5))}"
                         f"{' …' if len(members) > 5 else ''}) sind ohne Kreis-, Land- und Bundeszeile übernommen; "
                         "den Kreis bitte mit einer Gebietstabelle (gebiete.csv) anlegen.")
    free = shapes[gemeindefrei(shapes["bez"])] if "bez" in shapes else shapes.iloc[0:0]
    if not free.empty:
        notes.append("Ohne Einwohner (gemeindefrei): " + ", ".join(f"{r.code} {r.name}" for r in free.itertuples())
                     + " – fehlende Werte dieser Gebiete blockieren keine Kreis- oder Sozialraumwerte.")
    notes += shapes.attrs.get("schluessel") or []
    notes += shapes.attrs.get("flaechen") or []
    if "schluessel_art" in shapes:
        from sozialmonitor.einlesen.schluessel import umwandlungs_hinweise

        notes += umwandlungs_hinweise(shapes["schluessel"], shapes["code"], shapes["schluessel_art"], level)
    encoding = shapes.attrs.get("kodierung")
    if encoding is not None and encoding.grund != "nur ASCII-Zeichen":
        notes.append(f"Zeichenkodierung der Namen (DBF-Datei): {encoding.name} – {encoding.grund}.")
    notes.append(f"Gespeicherte Quellenangabe (Karte, PNG, Exporte): {source}"
                 + (" – das Jahr des Datenstands steht nicht in der Datei; bitte in der Quellenangabe der Grenzen "
                    "ergänzen, z. B. „Grenzen: © GeoBasis-DE / BKG (2016), Datenlizenz Deutschland – Namensnennung – "
                    "Version 2.0“." if BKG_OHNE_JAHR.search(source) else ""))
    return notes


def quellen_text(quellen: pd.DataFrame) -> str:
    """The attribution line for map, PNG and exports from queries/grenzen_quellen.sql (column quelle): every source
    of the boundaries stored now, joined by ' · '. Empty if there are no boundaries."""
    return " · ".join(quellen["quelle"].dropna().astype("str"))


def read_boundaries(data: bytes, name: str, id_field: str, name_field: str,
                    layer: str | None = None, crs: str | None = None, ebene: str | None = None,
                    kreis: str | None = None) -> gpd.GeoDataFrame:
    """GeoJSON, GeoPackage or zipped Shapefile in any CRS → GeoDataFrame(code, schluessel, schluessel_art, name,
    vorgaenger, bez, geometry) in
    EPSG:4326, invalid rings repaired; for a Land/Kreis/Gemeinde level (ebene) official keys become that level's
    code – 12-digit ARS, 11-digit Regionalstatistik keys, a leading zero Excel or a DBF number field dropped
    (einlesen.schluessel.grenz_schluessel; Sozialraum codes stay as written): schluessel = the key as written,
    schluessel_art = the kind of conversion or ''; attrs['schluessel']: a report line when id_field 'AGS' is missing
    and the file's ARS/RS field was taken. bez: the VG250 designation (BEZ) where the file
    has one. attrs['quelle']: the attribution the file carries (erkannte_quelle) or None;
    attrs['kodierung']: the DBF encoding decided for a Shapefile without .cpg (einlesen.dbf.DbfKodierung) or None.
    Names with mojibake („SÃ¼lfeld“) are refused (EingabeFehler naming file, line and field), never stored.
    layer: which layer of a GeoPackage with several (without it such a file is refused, never read at random).
    crs: the CRS a user names for a file without one (nach_wgs84 checks the coordinates).
    kreis: only the Gemeinden of this Kreis (einrichten), taken before anything else is checked, so a Germany-wide
    file's other Kreise cannot refuse it; a VG250 file's water areas (GF 1/2) are left out, its land areas (GF 3/4)
    are the Gemeinden (landflaechen; attrs['flaechen']: the report lines)."""
    with _opened(data, name) as source:
        frame = _read(source, name, _chosen_layer(_layers(source, name), layer, name))
    if frame.empty:
        raise einlesen.befund(name, "Die Grenzdatei enthält keine Gebiete.")
    id_field, notes = schluesselfeld(frame, id_field)
    befunde = [Befund(name, None, field, f"Das Feld „{field}“ gibt es nicht (vorhanden: "
                                         f"{', '.join(c for c in frame.columns if c != 'geometry')}).")
               for field in (id_field, name_field) if field not in frame.columns]
    if befunde:
        raise EingabeFehler(befunde)
    encoding = frame.attrs.get("kodierung")
    frame, unsichtbar = _ohne_unsichtbare(frame, [id_field, name_field], name)
    notes += unsichtbar
    codes, art, befunde = schluessel.grenz_schluessel(frame[id_field], ebene, name, id_field)
    frame, codes, art, befunde, flaechen = landflaechen(frame, codes, art, befunde, kreis, name, id_field)
    bez_field = next((c for c in frame.columns if c.upper() == "BEZ"), None)
    mojibake = verstuemmelte_namen(frame, name, [name_field] + ([bez_field] if bez_field else []), encoding,
                                   frame.attrs.get("cpg"))
    if mojibake:
        raise EingabeFehler(mojibake)
    frame = nach_wgs84(frame, name, crs)
    befunde += [Befund(name, int(position) + 1, id_field, "Objekt ohne Gebietsschlüssel.")
                for position in codes.index[codes.eq("")]]
    filled = codes[codes.ne("")]
    befunde += [Befund(name, int(position) + 1, id_field, f"Der Schlüssel {filled[position]} kommt doppelt vor.")
                for position in filled.index[filled.duplicated(keep="first")]]
    missing = frame.geometry.isna() | frame.geometry.is_empty
    befunde += [Befund(name, int(position) + 1, None, f"Das Gebiet {codes[position]} hat keine Geometrie.")
                for position in frame.index[missing]]
    not_polygonal = ~missing & ~frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    befunde += [Befund(name, int(position) + 1, None, f"Das Gebiet {codes[position]} ist keine Fläche "
                                                      f"({frame.geometry[position].geom_type}).")
                for position in frame.index[not_polygonal]]
    if befunde:
        raise EingabeFehler(befunde[:einlesen.MAX_BEFUNDE])
    # A Shapefile cuts field names to 10 characters: AGS_VORGAENGER arrives as AGS_VORGAE
    predecessor_field = next((c for c in frame.columns if c.upper() in ("AGS_VORGAENGER", "AGS_VORGAE")), None)
    predecessors = (frame[predecessor_field].fillna("").astype("str").map(_predecessor_list)
                    if predecessor_field else None)
    import geopandas as gpd

    result = gpd.GeoDataFrame({
        "code": codes,
        "schluessel": schluessel.als_text(frame[id_field]),
        "schluessel_art": art,
        "name": frame[name_field].fillna("").astype("str").str.strip(),
        "vorgaenger": predecessors,
        "bez": frame[bez_field].fillna("").astype("str").str.strip() if bez_field else None,
        "geometry": shapely.make_valid(frame.geometry.values),
    }, crs=4326)
    result.attrs["quelle"] = erkannte_quelle(frame, name)
    result.attrs["kodierung"] = encoding
    result.attrs["schluessel"] = notes
    result.attrs["flaechen"] = flaechen
    return result


def _ohne_unsichtbare(frame, fields: list[str], name: str):
    """The key and name fields without invisible characters (BOM, zero-width, no-break spaces:
    einlesen.tabelle.unsichtbare_zeichen), with the report line; number fields stay as they are."""
    from sozialmonitor.einlesen.tabelle import unsichtbare_zeichen

    texts = [f for f in fields if f in frame.columns and not pd.api.types.is_numeric_dtype(frame[f])]
    if not texts:
        return frame, []
    cells = frame[texts].fillna("").astype("str")
    cleaned, notes = unsichtbare_zeichen(cells, np.arange(1, len(frame) + 1), name)
    if not notes:
        return frame, []
    frame = frame.copy()
    for field in texts:
        frame[field] = cleaned[field].str.strip().where(frame[field].notna(), None)
    return frame, [n.replace("in Zeile", "im Objekt").replace("in Zeilen", "in den Objekten") for n in notes]


def layer_names(data: bytes, name: str) -> list[str]:
    """The layers with geometry in a boundary file: several in some GeoPackages, one in GeoJSON and Shapefile."""
    with _opened(data, name) as source:
        return [layer for layer, _ in _layers(source, name)]


@contextmanager
def _opened(data: bytes, name: str):
    """The boundary file as GDAL reads it: from memory, or the main file unpacked from a ZIP archive (also a KMZ).
    What it is decides the content, not the name; a table, other XML/JSON or a binary file is refused naming the
    formats read (einlesen.GRENZFORMATE)."""
    kind = einlesen.sniff(data)
    if kind == "zip":
        with _unzipped(data, name) as path:
            yield path
    elif kind == "sqlite":
        yield io.BytesIO(data)
    elif kind == "text" and einlesen.textart(data) in ("geojson", "json", "kml"):  # JSON: GDAL decides (a big
        # first feature may hide "type": "Feature" beyond the part looked at)
        yield io.BytesIO(data)
    elif kind == "text":
        art = einlesen.textart(data)
        was = {"tabelle": "eine Tabelle (CSV)",
               "xml": "XML, aber kein KML (GML und andere XML-Formate werden nicht gelesen)"}[art]
        raise einlesen.befund(name, f"Die Datei ist {was}. Grenzen werden als {einlesen.GRENZFORMATE} gelesen"
                                    + (" – eine Tabelle der Gebiete ohne Grenzen bitte als CSV mit der Kopfzeile "
                                       "gebiet;name;ebene;uebergeordnet." if art == "tabelle" else "."))
    elif kind in einlesen.REFUSED_KINDS:
        raise einlesen.befund(name, einlesen.REFUSED_KINDS[kind])
    else:
        raise einlesen.befund(name, f"Grenzen werden als {einlesen.GRENZFORMATE} gelesen.")


@contextmanager
def _reading(name: str):
    """GDAL's errors on unreadable input as the file's German refusal (einlesen.lesefehler): never GDAL's
    or Python's English text."""
    try:
        with warnings.catch_warnings():  # a GeoPackage read from memory has no .gpkg name; GDAL remarks on it
            warnings.filterwarnings("ignore", message=".*non conformant file extension")
            yield
    except EingabeFehler:
        raise
    except Exception as exc:  # pyogrio raises several types for unreadable input; all mean the same to a user
        raise einlesen.befund(name, lesefehler(exc)) from exc


def _layers(source, name: str) -> list[tuple[str, int]]:
    """(name, position) of each layer with geometry; a GeoPackage may also hold plain tables."""
    import pyogrio  # only when a file is read: GDAL costs the map pages ~30 MB (server memory target 450 MB)

    with _reading(name):
        listed = pyogrio.list_layers(source)
    if isinstance(source, io.BytesIO):
        source.seek(0)
    return [(str(layer), position) for position, (layer, geometry) in enumerate(listed) if geometry is not None]


def _chosen_layer(layers: list[tuple[str, int]], wanted: str | None, name: str) -> int | None:
    """The position of the layer to read (None: the file has no layer with geometry; GDAL reads what it finds)."""
    names = ", ".join(layer for layer, _ in layers)
    if wanted is None:
        if len(layers) > 1:
            raise einlesen.befund(name, f"Die Datei hat {anzahl(len(layers), 'Ebene', 'Ebenen')} ({names}). "
                                       "Bitte mit --layer eine wählen.")
        return layers[0][1] if layers else None
    position = dict(layers).get(wanted)
    if position is None:
        raise einlesen.befund(name, f"Die Datei hat keine Ebene „{wanted}“ (vorhanden: {names})."
                             if len(layers) > 1 else "Die Datei hat nur eine Ebene; bitte ohne --layer importieren.")
    return position


def _read(source, name: str, layer: int | None) -> gpd.GeoDataFrame:
    """The layer as GeoDataFrame. A Shapefile without .cpg is read in the encoding its DBF bytes show
    (einlesen.dbf.fuer_shapefile; GDAL alone would take Latin-1); attrs['kodierung']: that DbfKodierung or None."""
    encoding = dbf.fuer_shapefile(source) if isinstance(source, Path) and source.suffix == ".shp" else None
    if isinstance(source, Path) and source.suffix == ".shp" and (problem := dbf.cpg_widerspruch(source)):
        raise einlesen.befund(name, problem, feld=".cpg")
    import geopandas as gpd

    with _reading(name):
        frame = gpd.read_file(source, layer=layer, **({"encoding": encoding.kodierung} if encoding else {}))
    frame = frame.reset_index(drop=True)
    frame.attrs["kodierung"] = encoding
    frame.attrs["cpg"] = (dbf.cpg_einbyte_statt_utf8(source) if isinstance(source, Path) and source.suffix == ".shp"
                          else None)
    return frame


@contextmanager
def _unzipped(data: bytes, name: str):
    """The main file of a zipped Shapefile (or zipped GeoPackage/GeoJSON): only its own parts are unpacked, flat,
    into a temporary folder, so no entry can write outside it (open_zip refuses ../ paths and zip bombs anyway)."""
    with einlesen.open_zip(data, name) as archive:
        entries = [e for e in archive.infolist() if not e.is_dir() and not e.filename.startswith("__MACOSX/")]
        main = [e for e in entries if PurePosixPath(e.filename).suffix.lower() in (".shp", ".gpkg", ".geojson",
                                                                                   ".json", ".kml")]
        if len(main) != 1:
            found = ", ".join(e.filename for e in main) or "keine"
            raise einlesen.befund(name, "Das ZIP-Archiv muss genau ein Shapefile (.shp), GeoPackage, GeoJSON oder "
                                       f"eine KML-Datei (KMZ) enthalten (gefunden: {found}).")
        stem = PurePosixPath(main[0].filename).with_suffix("")
        parts = [e for e in entries if PurePosixPath(e.filename).with_suffix("") == stem]
        suffixes = {PurePosixPath(e.filename).suffix.lower() for e in parts}
        if ".shp" in suffixes:
            lacking = [s for s in (".shx", ".dbf") if s not in suffixes]
            if lacking:
                raise einlesen.befund(name, f"Zum Shapefile {main[0].filename} fehlt im ZIP-Archiv "
                                           f"{' und '.join(lacking)} (alle Teile gehören zusammen ins Archiv).")
        with tempfile.TemporaryDirectory(prefix="sozialmonitor_grenzen_") as folder:
            budget = entpacken.MAX_ENTPACKT
            for entry in parts:  # streamed with a limit, never whole in memory
                target = Path(folder) / ("grenzen" + PurePosixPath(entry.filename).suffix.lower())
                budget -= entpacken.kopieren(archive, entry, target, name, budget)
            yield Path(folder) / ("grenzen" + PurePosixPath(main[0].filename).suffix.lower())


def _predecessor_list(text: str) -> str | None:
    codes = [code.strip() for code in text.split(",") if code.strip()]
    return ",".join(schluessel.auf_ebene(pd.Series(codes, dtype="str"), "gemeinde")) if codes else None
