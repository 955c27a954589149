"""Ausgabe: everything that leaves the app. The Sitzungsvorlage (Word, PDF) generated from rules over the evaluated
data, and the Steckbrief of an area (Word, PDF, a slide in the deck): one document model (dokument.py) for Word
(word.py, python-docx) and PDF (pdf.py, WeasyPrint); the rules and phrases in data/sitzungsvorlage.toml (regeln.py);
the sentences in texte.py. The PowerPoint deck (foliensatz), the Excel workbook (arbeitsmappe), the figures
(diagramme, bilder), the Steckbrief's content (steckbrief), the texts and tables all documents share (unterlagen) and
the sequence of presentation views (praesentation). No Streamlit.

May import: basis, config, daten, geheimhaltung, einlesen, statistik, karten, ziele, zugang."""

from sozialmonitor.ausgabe.vorlage import (MIME, datei_name, schreiben, sitzungsvorlage, steckbrief_dokument,
                                          steckbrief_folien, steckbrief_inhalt, steckbrief_profile)

__all__ = ["MIME", "datei_name", "schreiben", "sitzungsvorlage", "steckbrief_dokument", "steckbrief_folien",
           "steckbrief_inhalt", "steckbrief_profile"]
