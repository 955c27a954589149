"""Karten: what a map shows – the values, classes and texts of a map view (kartendaten), the class breaks
(klassierung) and the geometry maths (geometrie: simplify once, dissolve, WKB, GeoJSON for the map component).
Boundary files are read in einlesen/grenzen.py. May import: basis, config, statistik."""
