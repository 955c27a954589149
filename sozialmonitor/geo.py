"""Boundaries: read once at import (any CRS → EPSG:4326, invalid rings repaired), simplified once for display,
Sozialräume dissolved from their Gemeinden, and GeoJSON for the map built from the stored display geometry."""

import hashlib
import io
import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from sozialmonitor.errors import Befund, EingabeFehler

DISPLAY_PRECISION = 1e-5  # degrees, about 1 m: more digits only inflate the figure JSON


def read_boundaries(data: bytes, name: str, id_field: str, name_field: str) -> gpd.GeoDataFrame:
    """A GeoJSON or GeoPackage file → GeoDataFrame(code, name, vorgaenger, geometry) in EPSG:4326."""
    try:
        frame = gpd.read_file(io.BytesIO(data))
    except Exception as exc:  # pyogrio raises several types for unreadable input; all mean the same to a user
        raise EingabeFehler([Befund(name, None, None, f"Die Grenzdatei lässt sich nicht lesen ({exc}).")]) from exc
    befunde = [Befund(name, None, field, f"Das Feld „{field}“ gibt es nicht (vorhanden: "
                                         f"{', '.join(c for c in frame.columns if c != 'geometry')}).")
               for field in (id_field, name_field) if field not in frame.columns]
    if befunde:
        raise EingabeFehler(befunde)
    if frame.crs is None:
        frame = frame.set_crs(4326)
    frame = frame.to_crs(4326)
    codes = frame[id_field].astype("str").str.strip()
    for position in codes.index[codes.eq("") | frame[id_field].isna()]:
        befunde.append(Befund(name, int(position) + 1, id_field, "Objekt ohne Gebietsschlüssel."))
    for position in codes.index[codes.duplicated(keep="first")]:
        befunde.append(Befund(name, int(position) + 1, id_field, f"Der Schlüssel {codes[position]} kommt doppelt vor."))
    for position in frame.index[frame.geometry.isna() | frame.geometry.is_empty]:
        befunde.append(Befund(name, int(position) + 1, None, f"Das Gebiet {codes[position]} hat keine Geometrie."))
    if befunde:
        raise EingabeFehler(befunde)
    predecessors = frame["AGS_VORGAENGER"].astype("str") if "AGS_VORGAENGER" in frame.columns else None
    return gpd.GeoDataFrame({
        "code": codes,
        "name": frame[name_field].astype("str").str.strip(),
        "vorgaenger": predecessors,
        "geometry": shapely.make_valid(frame.geometry.values),
    }, crs=4326)


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
