"""The naive baseline the benchmark compares against: the map page as one would first write it — unsimplified
geometry, a new connection and px.choropleth_map rebuilt from the GeoJSON on every rerun, no caching.
Run only by bench/map_bench.py (streamlit run bench/naive_map.py with SOZIALMONITOR_DB set)."""

import json
import os

import duckdb
import plotly.express as px
import shapely
import streamlit as st

from sozialmonitor.karten import kartendaten

GEOMETRY_SQL = """SELECT g.code, g.name, geo.original_wkb FROM gebiete g JOIN geometrien geo ON geo.gebiet = g.code
                  WHERE g.ebene = $ebene ORDER BY g.code"""
VALUES_SQL = "SELECT gebiet, wert FROM werte WHERE indikator = $indikator AND zeitraum = $zeitraum"

con = duckdb.connect(os.environ["SOZIALMONITOR_DB"], read_only=True)
NAMES = dict(con.execute("SELECT id, name FROM indikatoren ORDER BY id").fetchall())
ebene = st.query_params.get("ebene", "gemeinde")
zeitraum = st.query_params.get("zeitraum", "2024")
ids = list(NAMES)
indikator = st.sidebar.selectbox("Indikator", ids, format_func=NAMES.get, key="naive_indikator",
                                 index=ids.index(st.query_params.get("indikator", ids[0])))
shapes = con.execute(GEOMETRY_SQL, {"ebene": ebene}).df()
geometries = shapely.from_wkb([bytes(b) for b in shapes["original_wkb"]])
geojson = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": code, "properties": {}, "geometry": json.loads(shapely.to_geojson(g))}
    for code, g in zip(shapes["code"], geometries)]}
values = shapes[["code", "name"]].merge(con.execute(VALUES_SQL, {"indikator": indikator, "zeitraum": zeitraum}).df(),
                                        left_on="code", right_on="gebiet", how="left")
minx, miny, maxx, maxy = shapely.total_bounds(geometries)
centre, zoom = kartendaten.fit_view((minx, miny, maxx, maxy))
figure = px.choropleth_map(values, geojson=geojson, locations="code", color="wert", hover_name="name",
                           map_style="white-bg", center=centre, zoom=zoom, labels={"wert": NAMES[indikator]},
                           color_continuous_scale="OrRd", height=kartendaten.MAP_HEIGHT)
st.plotly_chart(figure)
con.close()
