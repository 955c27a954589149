"""Ausgabe: everything that leaves the app. The Sitzungsvorlage (Word, PDF) generated from rules over the evaluated
data, and the Steckbrief of an area (Word, PDF, a slide in the deck): one document model (dokument.py) for Word
(word.py, python-docx) and PDF (pdf.py, WeasyPrint); the rules and phrases in data/sitzungsvorlage.toml (regeln.py);
the sentences in texte.py. The PowerPoint deck (foliensatz), the Excel workbook (arbeitsmappe), the figures
(diagramme, bilder), the Steckbrief's content (steckbrief), the texts and tables all documents share (unterlagen) and
the sequence of presentation views (praesentation). No Streamlit.

May import: basis, config, daten, geheimhaltung, einlesen, statistik, karten, ziele, zugang."""

import importlib

__all__ = ["MIME", "datei_name", "schreiben", "sitzungsvorlage", "steckbrief_dokument", "steckbrief_folien",
           "steckbrief_inhalt", "steckbrief_profile"]


def __getattr__(name: str):
    """The document functions of vorlage.py, loaded on first use (PEP 562): python-docx, python-pptx and WeasyPrint
    cost a process tens of MB, and a page that only reads (the Karte) or a module that needs only `unterlagen`
    should not pay for them."""
    if name in __all__:
        return getattr(importlib.import_module("sozialmonitor.ausgabe.vorlage"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
