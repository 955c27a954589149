"""Documents that leave the app: the Sitzungsvorlage (Word, PDF) generated from rules over the evaluated data, and
the Steckbrief of an area (Word, PDF, a slide in the deck). One document model (dokument.py) for Word (word.py,
python-docx) and PDF (pdf.py, WeasyPrint); the rules and phrases in data/sitzungsvorlage.toml (regeln.py);
the sentences in texte.py; the deck and workbook are in sozialmonitor.ausgabe.foliensatz. No Streamlit."""

from sozialmonitor.ausgabe.vorlage import (MIME, datei_name, schreiben, sitzungsvorlage,
                                                   steckbrief_dokument, steckbrief_folien, steckbrief_inhalt,
                                       steckbrief_profile)

__all__ = ["MIME", "datei_name", "schreiben", "sitzungsvorlage", "steckbrief_dokument", "steckbrief_folien",
           "steckbrief_inhalt", "steckbrief_profile"]
