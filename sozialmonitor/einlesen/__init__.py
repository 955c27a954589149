"""Einlesen: every kind of input file has one module here – encodings (kodierung), numbers and symbols (zahlen),
tables (tabelle), statistical-office layouts (genesis), import profiles (profile), official keys (schluessel), the
area register (register), boundaries (grenzen), the targets file (ziele) and the conversion of values from a former
territorial status (gebietsstand). The importer validates what these readers return and writes it in
one transaction.

Readers only parse: they never ask the database. May import: basis."""

from sozialmonitor.einlesen.befunde import MAX_BEFUNDE, befund, findings  # noqa: E402,F401
from sozialmonitor.einlesen.dateiart import (GRENZFORMATE, REFUSED_KINDS, ist_kmz, open_zip, sniff,  # noqa: E402,F401
                                             textart)
from sozialmonitor.einlesen.inhalte import (LEVELS, OBSERVATION_KEY, normalise_area_codes,  # noqa: E402,F401
                                            katalog_zeilen, parse_areas_csv, parse_indicators, parse_membership,
                                            parse_observations)
from sozialmonitor.einlesen.kodierung import decode  # noqa: E402,F401
from sozialmonitor.einlesen.tabelle import LESER, Table, read_table  # noqa: E402,F401
from sozialmonitor.einlesen.zahlen import zahl_text  # noqa: E402,F401
