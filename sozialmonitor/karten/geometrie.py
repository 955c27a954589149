"""Boundaries: read once at import (any CRS → EPSG:4326, invalid rings repaired), simplified once for display,
Sozialräume dissolved from their Gemeinden, and GeoJSON for the map built from the stored display geometry."""

import hashlib
import io
import json
import os
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from sozialmonitor import einlesen
from sozialmonitor.einlesen import dbf, entpacken, grenzen, schluessel
from sozialmonitor.errors import Befund, EingabeFehler
from sozialmonitor.fmt import anzahl

DISPLAY_PRECISION = 1e-5  # degrees, about 1 m: more digits only inflate the figure JSON


def read_boundaries(data: bytes, name: str, id_field: str, name_field: str,
                    layer: str | None = None, crs: str | None = None, ebene: str | None = None) -> gpd.GeoDataFrame:
    """GeoJSON, GeoPackage or zipped Shapefile in any CRS → GeoDataFrame(code, schluessel, schluessel_art, name,
    vorgaenger, bez, geometry) in
    EPSG:4326, invalid rings repaired; for a Land/Kreis/Gemeinde level (ebene) official keys become that level's
    code – 12-digit ARS, 11-digit Regionalstatistik keys, a leading zero Excel or a DBF number field dropped
    (einlesen.schluessel.grenz_schluessel; Sozialraum codes stay as written): schluessel = the key as written,
    schluessel_art = the kind of conversion or ''; attrs['schluessel']: a report line when id_field 'AGS' is missing
    and the file's ARS/RS field was taken. bez: the VG250 designation (BEZ) where the file
    has one. attrs['quelle']: the attribution the file carries (einlesen.grenzen.erkannte_quelle) or None;
    attrs['kodierung']: the DBF encoding decided for a Shapefile without .cpg (einlesen.dbf.DbfKodierung) or None.
    Names with mojibake („SÃ¼lfeld“) are refused (EingabeFehler naming file, line and field), never stored.
    layer: which layer of a GeoPackage with several (without it such a file is refused, never read at random).
    crs: the CRS a user names for a file without one (einlesen.grenzen.nach_wgs84 checks the coordinates)."""
    with _opened(data, name) as source:
        frame = _read(source, name, _chosen_layer(_layers(source, name), layer, name))
    if frame.empty:
        raise einlesen.befund(name, "Die Grenzdatei enthält keine Gebiete.")
    id_field, notes = grenzen.schluesselfeld(frame, id_field)
    befunde = [Befund(name, None, field, f"Das Feld „{field}“ gibt es nicht (vorhanden: "
                                         f"{', '.join(c for c in frame.columns if c != 'geometry')}).")
               for field in (id_field, name_field) if field not in frame.columns]
    if befunde:
        raise EingabeFehler(befunde)
    encoding = frame.attrs.get("kodierung")
    bez_field = next((c for c in frame.columns if c.upper() == "BEZ"), None)
    befunde = grenzen.verstuemmelte_namen(frame, name, [name_field] + ([bez_field] if bez_field else []), encoding)
    if befunde:
        raise EingabeFehler(befunde)
    frame = grenzen.nach_wgs84(frame, name, crs)
    codes, art, befunde = schluessel.grenz_schluessel(frame[id_field], ebene, name, id_field)
    befunde += [Befund(name, int(position) + 1, id_field, "Objekt ohne Gebietsschlüssel.")
                for position in np.flatnonzero(codes.eq(""))]
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
    result = gpd.GeoDataFrame({
        "code": codes,
        "schluessel": schluessel.als_text(frame[id_field]),
        "schluessel_art": art,
        "name": frame[name_field].fillna("").astype("str").str.strip(),
        "vorgaenger": predecessors,
        "bez": frame[bez_field].fillna("").astype("str").str.strip() if bez_field else None,
        "geometry": shapely.make_valid(frame.geometry.values),
    }, crs=4326)
    result.attrs["quelle"] = grenzen.erkannte_quelle(frame, name)
    result.attrs["kodierung"] = encoding
    result.attrs["schluessel"] = notes
    return result


def layer_names(data: bytes, name: str) -> list[str]:
    """The layers with geometry in a boundary file: several in some GeoPackages, one in GeoJSON and Shapefile."""
    with _opened(data, name) as source:
        return [layer for layer, _ in _layers(source, name)]


@contextmanager
def _opened(data: bytes, name: str):
    """The boundary file as GDAL reads it: from memory, or the main file unpacked from a ZIP archive."""
    kind = einlesen.sniff(data)
    if kind == "zip":
        with _unzipped(data, name) as path:
            yield path
    elif kind in ("sqlite", "text"):
        yield io.BytesIO(data)
    elif kind in einlesen.REFUSED_KINDS:
        raise einlesen.befund(name, einlesen.REFUSED_KINDS[kind])
    else:
        raise einlesen.befund(name, "Grenzen werden als GeoJSON, GeoPackage oder gezipptes Shapefile gelesen.")


@contextmanager
def _reading(name: str):
    """GDAL's errors on unreadable input as the file's German refusal."""
    try:
        with warnings.catch_warnings():  # a GeoPackage read from memory has no .gpkg name; GDAL remarks on it
            warnings.filterwarnings("ignore", message=".*non conformant file extension")
            yield
    except Exception as exc:  # pyogrio raises several types for unreadable input; all mean the same to a user
        raise einlesen.befund(name, f"Die Grenzdatei lässt sich nicht lesen ({exc}).") from exc


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
    with _reading(name):
        frame = gpd.read_file(source, layer=layer, **({"encoding": encoding.kodierung} if encoding else {}))
    frame = frame.reset_index(drop=True)
    frame.attrs["kodierung"] = encoding
    return frame


@contextmanager
def _unzipped(data: bytes, name: str):
    """The main file of a zipped Shapefile (or zipped GeoPackage/GeoJSON): only its own parts are unpacked, flat,
    into a temporary folder, so no entry can write outside it (open_zip refuses ../ paths and zip bombs anyway)."""
    with einlesen.open_zip(data, name) as archive:
        entries = [e for e in archive.infolist() if not e.is_dir() and not e.filename.startswith("__MACOSX/")]
        main = [e for e in entries if PurePosixPath(e.filename).suffix.lower() in (".shp", ".gpkg", ".geojson",
                                                                                   ".json")]
        if len(main) != 1:
            found = ", ".join(e.filename for e in main) or "keine"
            raise einlesen.befund(name, "Das ZIP-Archiv muss genau ein Shapefile (.shp), GeoPackage oder GeoJSON "
                                       f"enthalten (gefunden: {found}).")
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


def display_tolerance(geometries: gpd.GeoSeries) -> float:
    """Simplification tolerance in degrees from the extent: ~40 m for a Kreis, ~500 m for Germany."""
    minx, miny, maxx, maxy = geometries.total_bounds
    return max(0.0002, float(((maxx - minx) ** 2 + (maxy - miny) ** 2) ** 0.5) / 2000)


def simplify_for_display(geometries: gpd.GeoSeries) -> gpd.GeoSeries:
    """Coverage simplification keeps shared borders shared (no slivers or gaps between neighbours)."""
    polygons = geometries.apply(_polygonal)
    simplified = shapely.coverage_simplify(polygons.values, display_tolerance(polygons))
    return gpd.GeoSeries(shapely.set_precision(simplified, DISPLAY_PRECISION), index=geometries.index, crs=4326)


def _polygonal(geometry):
    """make_valid may return a GeometryCollection with stray lines; a map needs only the polygons."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def dissolve(geometries: pd.Series, groups: pd.Series) -> pd.Series:
    """Union of member geometries per group (Sozialraum polygons from their Gemeinden)."""
    frame = gpd.GeoDataFrame({"gruppe": groups.values}, geometry=list(geometries.values), crs=4326)
    return frame.dissolve(by="gruppe").geometry


def to_wkb(geometries) -> list[bytes]:
    return list(shapely.to_wkb(list(geometries)))


def same_shapes(wkb: list, other: list) -> list[bool]:
    """Pairwise: the same area (topologically equal), whatever the part structure or vertex order; None never is."""
    known = [i for i, b in enumerate(other) if b is not None]
    equal = dict(zip(known, shapely.equals(from_wkb([wkb[i] for i in known]), from_wkb([other[i] for i in known]))))
    return [bool(equal.get(i, False)) for i in range(len(wkb))]


def from_wkb(wkb) -> list:
    """DuckDB hands BLOBs back as bytearray; shapely wants bytes."""
    return list(shapely.from_wkb([bytes(b) for b in wkb]))


def feature_collection(codes: pd.Series, wkb: pd.Series) -> dict:
    """GeoJSON FeatureCollection with the area code as feature id, for plotly's `locations`."""
    geometries = from_wkb(wkb)
    features = [
        {"type": "Feature", "id": code, "properties": {}, "geometry": json.loads(shapely.to_geojson(geometry))}
        for code, geometry in zip(codes, geometries)
    ]
    return {"type": "FeatureCollection", "features": features}


def centroids(wkb: pd.Series) -> tuple[list[float], list[float]]:
    """Label points that lie inside each area (for names on the map)."""
    points = shapely.point_on_surface(from_wkb(wkb))
    return list(shapely.get_x(points)), list(shapely.get_y(points))


def total_bounds(wkb: pd.Series) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of all areas, to fit the map view."""
    return tuple(float(v) for v in shapely.total_bounds(from_wkb(wkb)))


def publish_geojson(collection: dict, directory: Path) -> str:
    """Write a FeatureCollection once under a name derived from its content and return that name. Served as a
    static file, the browser loads the geometry once and plotly keeps it, so a rerun sends only values."""
    text = json.dumps(collection, separators=(",", ":"))
    name = f"{hashlib.sha256(text.encode()).hexdigest()[:20]}.geojson"
    target = Path(directory) / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)  # atomic: a browser never reads a half-written file
    return name
