"""Einlesen: every kind of input file has one module here – encodings (kodierung), numbers and symbols (zahlen),
tables (tabelle), statistical-office layouts (genesis), import profiles (profile), official keys (schluessel), the
area register (register) and boundaries (grenzen). The importer validates what these readers return and writes it in
one transaction."""
