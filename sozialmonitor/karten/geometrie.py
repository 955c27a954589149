"""Boundaries: read once at import (any CRS → EPSG:4326, invalid rings repaired), simplified once for display,
Sozialräume dissolved from their Gemeinden, and GeoJSON for the map built from the stored display geometry."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

if TYPE_CHECKING:  # geopandas (~40 MB with pyproj) is loaded where boundaries are read or built, not for a map
    import geopandas as gpd


DISPLAY_PRECISION = 1e-5  # degrees, about 1 m: more digits only inflate the figure JSON


def display_tolerance(geometries: gpd.GeoSeries) -> float:
    """Simplification tolerance in degrees from the extent: ~40 m for a Kreis, ~500 m for Germany."""
    minx, miny, maxx, maxy = geometries.total_bounds
    return max(0.0002, float(((maxx - minx) ** 2 + (maxy - miny) ** 2) ** 0.5) / 2000)


def simplify_for_display(geometries: gpd.GeoSeries) -> gpd.GeoSeries:
    """Coverage simplification keeps shared borders shared (no slivers or gaps between neighbours)."""
    polygons = geometries.apply(_polygonal)
    simplified = shapely.coverage_simplify(polygons.values, display_tolerance(polygons))
    import geopandas as gpd

    return gpd.GeoSeries(shapely.set_precision(simplified, DISPLAY_PRECISION), index=geometries.index, crs=4326)


def _polygonal(geometry):
    """make_valid may return a GeometryCollection with stray lines; a map needs only the polygons."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def dissolve(geometries: pd.Series, groups: pd.Series) -> pd.Series:
    """Union of member geometries per group (Sozialraum polygons from their Gemeinden)."""
    import geopandas as gpd

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
    return {"type": "FeatureCollection", "features": [json.loads(text) for text in feature_texts(codes, wkb)]}


def feature_texts(codes: pd.Series, wkb: pd.Series) -> list[str]:
    """Each area as a compact GeoJSON Feature text (id = area code), as json.dumps(…, separators=(",", ":")) writes
    it. Kept as text, 11.299 Gemeinden take a few MB; as Python dicts of coordinate lists ten times that."""
    return _texte(codes, np.asarray(from_wkb(wkb), dtype=object)) if len(wkb) else []


def _texte(codes, shapes: np.ndarray) -> list[str]:
    return [f'{{"type":"Feature","id":{json.dumps(str(code))},"properties":{{}},"geometry":{text}}}'
            for code, text in zip(codes, shapely.to_geojson(shapes))]


def texte_und_lage(codes: pd.Series, wkb: pd.Series) -> tuple[list[str], list[float], list[float],
                                                              tuple[float, float, float, float]]:
    """One pass over a level's shapes (WKB read once): the Feature texts (as feature_texts), the label points inside
    each area (longitudes, latitudes; for names on the map) and the (minx, miny, maxx, maxy) of all areas. Reading
    the WKB three times made three sets of 11.299 shapes at once, the map page's memory peak (issue 22)."""
    if not len(wkb):
        return [], [], [], (0.0, 0.0, 0.0, 0.0)
    shapes = np.asarray(from_wkb(wkb), dtype=object)
    points = shapely.point_on_surface(shapes)
    bounds = tuple(float(v) for v in shapely.total_bounds(shapes))
    return _texte(codes, shapes), shapely.get_x(points).tolist(), shapely.get_y(points).tolist(), bounds


def publish_geojson(collection: dict | str, directory: Path) -> str:
    """Write a FeatureCollection once under a name derived from its content and return that name. Served as a
    static file, the browser loads the geometry once and plotly keeps it, so a rerun sends only values."""
    text = collection if isinstance(collection, str) else json.dumps(collection, separators=(",", ":"))
    name = f"{hashlib.sha256(text.encode()).hexdigest()[:20]}.geojson"
    target = Path(directory) / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)  # atomic: a browser never reads a half-written file
    return name
