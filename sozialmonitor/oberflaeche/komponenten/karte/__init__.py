"""The map page's map as a Streamlit component (Custom Components v2) drawn with MapLibre GL JS.

Plotly's map inside Streamlit is rebuilt from the whole figure on every rerun (new WebGL map, GeoJSON parsed again).
This component keeps one MapLibre map per page: the boundaries come once from the static file the page publishes
(`MapGeometry.url`), a rerun hands over only `kartendaten.map_data` (class index and tooltip per area, legend) packed
by `karten.uebertragung` (typed columns and each distinct text once), and the map recolours its areas in place.
A click on an area comes back as its code. MapLibre itself is vendored under
static/vendor/maplibre-gl/ and served by Streamlit's static file serving, so the map works offline."""

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from sozialmonitor.karten import kartendaten, uebertragung

HERE = Path(__file__).parent
MAPLIBRE = {"js": "app/static/vendor/maplibre-gl/maplibre-gl.js",
            "css": "app/static/vendor/maplibre-gl/maplibre-gl.css"}
OSM = "© OpenStreetMap-Mitwirkende"
# Raster tiles for the optional basemaps (kartendaten.MAP_STYLES); only reachable when the machine is online.
BASEMAPS = {
    "open-street-map": {"kacheln": ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"], "attribution": OSM},
    "carto-positron": {"kacheln": [f"https://{s}.basemaps.cartocdn.com/light_all/{{z}}/{{x}}/{{y}}.png"
                                   for s in "abc"], "attribution": f"{OSM}, © CARTO"},
}

_component = st.components.v2.component(
    "sozialmonitor_karte",
    js=(HERE / "karte.js").read_text(encoding="utf-8"),
    css=(HERE / "karte.css").read_text(encoding="utf-8"),
    isolate_styles=False,  # MapLibre's stylesheet lives in the document head
)


def karte(geometry: kartendaten.MapGeometry, data: dict, *, attribution: str, show_names: bool, map_style: str,
          key: str, on_click: Callable[[], None], image_title: str, image_file: str, image_note: str,
          auswahl_zuerst: bool = False) -> None:
    """Draw (or update) the map. A click on an area calls `on_click` before the rerun, with the area's code in
    st.session_state[key]["gebiet"]. `geometry` must be served (geometry.url and geometry.label_url set).
    The map's PNG button saves it as `image_file` with `image_title` above and `image_note` (e.g. the demo notice)
    below the legend and attribution. auswahl_zuerst: the selected area's name is placed before all others (a
    locator map names its area; elsewhere the large areas come first)."""
    _component(
        key=key,
        data={**(data if "gebiete" in data  # already packed (kartendaten.map_data from values)
                 else uebertragung.packen(data, [geometry.names[c] for c in geometry.codes])),
              "bild": {"titel": image_title, "datei": image_file, "hinweis": image_note},
              "geometrie": {"url": geometry.url, "punkte_url": geometry.label_url, "bounds": geometry.bounds},
              "hoehe": kartendaten.map_height(geometry.bounds), "namen": show_names,
              "auswahl_zuerst": auswahl_zuerst,
              "hintergrund": BASEMAPS.get(map_style), "attribution": attribution, "maplibre": MAPLIBRE},
        on_gebiet_change=on_click,
    )
