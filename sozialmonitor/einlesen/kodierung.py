"""Text encodings of the files planners receive: the bytes of a text file → str, or a German refusal."""

from sozialmonitor.einlesen.befunde import befund
from sozialmonitor.einlesen.dateiart import REFUSED_KINDS, sniff


def decode(data: bytes, name: str) -> str:
    kind = sniff(data)
    if kind in REFUSED_KINDS:
        raise befund(name, REFUSED_KINDS[kind])
    if b"\x00" in data[:65536]:
        raise befund(name, "Die Datei ist keine Textdatei (CSV). Bitte als CSV (Trennzeichen Semikolon) oder "
                           "Excel-Arbeitsmappe (.xlsx) speichern.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise befund(name, "Die Zeichenkodierung ist weder UTF-8 noch Windows-1252 (ANSI).") from exc
