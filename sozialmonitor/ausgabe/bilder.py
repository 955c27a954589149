"""Static maps for documents: the goal-status map and the Steckbrief's locator map, drawn as filled polygons on a
plain plotly plane (longitude scaled by cos(latitude), equal aspect). Plotly's geo maps would fetch a world topojson
from the internet and its tile maps need map styles; these figures need nothing but the area shapes, and kaleido
draws them in the deck's browser session (foliensatz.render_pngs). No Streamlit."""

import math

import plotly.graph_objects as go

from sozialmonitor.karten import kartendaten
from sozialmonitor.ziele import auswertung

OHNE_FARBE = "#eeeeee"


def _ringe(feature: dict):
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        yield from polygon


def _flaeche(geometry: kartendaten.MapGeometry, codes: list[str], farbe: str, name: str, legende: bool) -> go.Scatter:
    """All areas of one colour as one trace (rings separated by None)."""
    faktor = math.cos(math.radians((geometry.bounds[1] + geometry.bounds[3]) / 2))
    xs, ys = [], []
    for code in codes:
        for ring in _ringe(geometry.feature(code)):
            xs += [x * faktor for x, _ in ring] + [None]
            ys += [y for _, y in ring] + [None]
    return go.Scatter(x=xs, y=ys, fill="toself", fillcolor=farbe, mode="lines", name=name, showlegend=legende,
                      line={"color": "#ffffff", "width": 1.2}, hoverinfo="skip")


def _namen(geometry: kartendaten.MapGeometry, codes, size: int) -> go.Scatter:
    faktor = math.cos(math.radians((geometry.bounds[1] + geometry.bounds[3]) / 2))
    return go.Scatter(x=[geometry.label_lon[c] * faktor for c in codes], y=[geometry.label_lat[c] for c in codes],
                      text=[kartendaten.short_name(geometry.names[c]) for c in codes], mode="text", showlegend=False,
                      textfont={"size": size, "color": "#111111"}, hoverinfo="skip")


def _hoehe(geometry: kartendaten.MapGeometry, width: int, extra: int = 0) -> int:
    """A height that fits the areas' shape at this width (a wide Kreis gets a low picture)."""
    minx, miny, maxx, maxy = geometry.bounds
    faktor = math.cos(math.radians((miny + maxy) / 2))
    aspect = (maxy - miny) / max((maxx - minx) * faktor, 1e-9)
    return int(min(width * 1.2, max(width * 0.3, width * aspect * 1.05)) + extra)


def _layout(fig: go.Figure, width: int, height: int) -> go.Figure:
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    return fig.update_layout(width=width, height=height, margin={"l": 4, "r": 4, "t": 4, "b": 4},
                             plot_bgcolor="#ffffff", paper_bgcolor="#ffffff")


def zielkarte(geometry: kartendaten.MapGeometry, klassen, width: int = 720) -> go.Figure:
    """Areas coloured by their goal status as the table shows it (auswertung.STATUS), areas outside the target
    grey; the legend names each status with its symbol and number of areas (colour is not the only carrier).
    klassen: diagramme.zielstatus() (gebiet, status, …)."""
    by_code = dict(zip(klassen["gebiet"], klassen["status"]))
    fig = go.Figure()
    gruppen = [(key, auswertung.status_label(key), status.farbe) for key, status in auswertung.STATUS.items()]
    gruppen.append(("", "nicht Teil dieses Ziels", OHNE_FARBE))
    for key, label, farbe in gruppen:
        codes = [c for c in geometry.codes if by_code.get(c, "") == key]
        if codes:
            fig.add_trace(_flaeche(geometry, codes, farbe, f"{label} ({len(codes)})", True))
    # drawn ~11 cm wide in a document: names and legend at 16/17 px read as 7 pt there
    fig.add_trace(_namen(geometry, geometry.codes, 16))
    _layout(fig, width, _hoehe(geometry, width, 80))
    return fig.update_layout(legend={"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top",
                                     "font": {"size": 17}}, margin={"b": 70})


def lagekarte(geometry: kartendaten.MapGeometry, gebiet: str, width: int = 600) -> go.Figure:
    """The locator map: this area dark blue with its name, the other areas of its level light grey."""
    fig = go.Figure()
    andere = [c for c in geometry.codes if c != gebiet]
    if andere:
        fig.add_trace(_flaeche(geometry, andere, "#dddddd", "übrige Gebiete", False))
    if gebiet in geometry.codes:
        fig.add_trace(_flaeche(geometry, [gebiet], "#1f4e9c", kartendaten.short_name(geometry.names[gebiet]), False))
        faktor = math.cos(math.radians((geometry.bounds[1] + geometry.bounds[3]) / 2))
        fig.add_annotation(x=geometry.label_lon[gebiet] * faktor, y=geometry.label_lat[gebiet], showarrow=False,
                           text=kartendaten.short_name(geometry.names[gebiet]), font={"size": 17, "color": "#0b2a5b"},
                           bgcolor="rgba(255,255,255,0.9)", bordercolor="#0b2a5b", borderpad=3)
    return _layout(fig, width, _hoehe(geometry, width))
