"""Ziele: the audit targets of the Zielvereinbarung – every target × area evaluated with the rules of statistik/
(auswertung) and targets created, changed and withdrawn through the one write path with who/when/why (pflege). The
targets file is read in einlesen/ziele.py. May import: basis, config, daten, geheimhaltung, einlesen, statistik,
importer, zugang."""
