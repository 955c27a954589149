"""Sozialindex: status, dynamics and types of the Sozialräume or Gemeinden (after Berlin's Monitoring Soziale
Stadtentwicklung and Hamburg's RISE Sozialmonitoring), with the certainty of each class, and the Vergleichsring of
structurally similar Kreise.

    methode.py        the arithmetic: z-standardisation, composite, classes, types (no database)
    berechnung.py     the index of one definition on the published values, the bootstrap of its certainty
    texte.py          the German method text, the table for pages and documents, JSON and the command line
    farben.py         the 4 × 3 bivariate colours of the type map (colour-blind and greyscale safe)
    vergleichsring.py the k most similar Kreise and their population-weighted mean

May import: basis, config, daten, geheimhaltung, einlesen, statistik, importer, zugang, karten (like ziele/)."""
