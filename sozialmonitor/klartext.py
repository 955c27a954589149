"""User text is text: names, titles, definitions, sources and file names are data. This module is the one place
that makes such text safe for each way it leaves the app, and that strips control characters when it comes in.

- `bereinigen` / `tabelle_bereinigen`: control characters (C0 except line breaks where allowed, DEL, C1) and the
  bidirectional overrides/isolates (U+202A–202E, U+2066–2069, "Trojan Source", CVE-2021-42574) are removed at import,
  with a German note saying where. XML (XLSX, PPTX, DOCX) cannot hold most C0 characters at all.
- `markdown`: for every Streamlit element that renders Markdown (st.markdown, st.caption, st.header, st.info, labels):
  the characters that start Markdown are backslash-escaped (CommonMark 2.4 "Backslash escapes") and bare
  addresses and Streamlit shortcodes get an invisible word joiner, so no link, image, emphasis, heading, HTML, LaTeX
  or Streamlit icon/emoji/colour can form.
- `plotly`: for plotly titles, legends and hover templates, which render a subset of HTML (<a>, <b>, <br>) and fill
  %{…} placeholders: HTML-escaped, and % written as the entity &#37; (plotly decodes entities after filling in).
- `csv_zelle` / `csv_tabelle` / `xlsx_entschaerfen`: cells starting with = + - @ tab or CR cannot become formulas
  (OWASP "CSV Injection": prefix such a text with a single quote; in XLSX the cell is stored as text with Excel's
  quote prefix, so it shows unchanged and stays text when edited). Numbers written as German text ("-1,5", "+3 %")
  are left as they are: Excel reads them as numbers, not formulas.
"""

import contextvars
import functools
import html
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

# C0 controls (tab, line feed and carriage return handled separately), DEL, C1 controls; bidi embeddings,
# overrides and isolates.
_STEUER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ZEILENUMBRUCH = re.compile(r"[\t\r\n]+")
_STEUER_EINZEILIG = re.compile("[\t\r\n\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_STEUER_MEHRZEILIG = re.compile("[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The characters that start Markdown (CommonMark + GFM) or Streamlit constructs: emphasis, code, links and images,
# HTML and autolinks, entities, tables, strike-through, LaTeX. Ordinary punctuation (. , ( ) - + :) stays as it is,
# so a message reads the same in the page's source.
_MARKDOWN_SONDERZEICHEN = re.compile(r"([\\`*_\[\]<>#$~|&!{}])")
# Replaced in the parsed text, escapes or not: bare addresses (GFM: http://…, www.…, name@host) and Streamlit's
# :material/…: icons, :smile: emoji and :red[…] colours. An invisible WORD JOINER (U+2060) after the colon or
# inside the address keeps the text as it reads and makes it neither.
_NACKTE_ADRESSE = re.compile(r"(?i)\b(https?|ftp|mailto|www)(?=[:.])|(?<=[\w.+-])(?=@[\w-]+\.)|(?<=:)(?=\w)")
WORT_VERBINDER = "\u2060"
# At the start of a line: list items, quotes, headings, thematic breaks, setext underlines, numbered lists.
_ZEILENANFANG = re.compile(r"^([-+=>]|\d+[.)])")
_GEFAEHRLICHER_ANFANG = ("=", "+", "-", "@", "\t", "\r")
_ZAHL_ALS_TEXT = re.compile(r"^[+\-−]?\s?\d[\d.\s]*(,\d+)?\s?(%|Pp\.|Prozentpunkte)?$")
_XML_VERBOTEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def bereinigen(text, mehrzeilig: bool = False):
    """text without control characters and bidi overrides. Single-line text (names, titles, codes) also has tabs
    and line breaks turned into one space; mehrzeilig keeps line breaks (definitions). Non-text passes unchanged."""
    if not isinstance(text, str):
        return text
    if mehrzeilig:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    else:
        text = _ZEILENUMBRUCH.sub(" ", text)
    return _STEUER.sub("", text)


def _text_columns(frame: pd.DataFrame) -> list:
    return [c for c in frame.columns
            if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])]


MEHRZEILIGE_FELDER = frozenset({"definition", "wortlaut", "hinweis", "beschreibung"})


class Sammelhinweis(str):
    """A note that lists what it found ("… in Zeilen 2, 5, 9 und 40 weitere."), with the parts it was made from, so
    that the notes of a large file checked in pieces (importer.stuecke) join into the whole file's note: art says
    which notes belong together, eintraege are the first items listed (lines, examples), anzahl how many there are,
    extra what else the text names (a set), bilden(eintraege, anzahl, extra) makes the note again."""

    art: tuple
    eintraege: tuple
    anzahl: int
    extra: frozenset
    bilden: object

    def __new__(cls, text: str, art: tuple, eintraege, anzahl: int, bilden, extra=frozenset()):
        note = super().__new__(cls, text)
        note.art, note.eintraege, note.anzahl, note.bilden = art, tuple(eintraege)[:MAX_EINTRAEGE], anzahl, bilden
        note.extra = frozenset(extra)
        return note

    def verbinden(self, spaeter: "Sammelhinweis") -> "Sammelhinweis":
        """This note joined with the same kind of note of a later piece: items in order, one already listed (the
        heading line each piece starts with) counted once."""
        doppelt = [e for e in spaeter.eintraege if e in self.eintraege]
        eintraege = [*self.eintraege, *(e for e in spaeter.eintraege if e not in self.eintraege)]
        return self.bilden(eintraege, self.anzahl + spaeter.anzahl - len(doppelt), self.extra | spaeter.extra)


MAX_EINTRAEGE = 25  # items a Sammelhinweis keeps: more than any note lists


def hinweise_verbinden(listen) -> list[str]:
    """The notes of several pieces of one file as one list: Sammelhinweise of one art joined, others once each."""
    result: list[str] = []
    for liste in listen:
        for note in liste:
            frueher = next((i for i, h in enumerate(result) if isinstance(note, Sammelhinweis)
                            and isinstance(h, Sammelhinweis) and h.art == note.art), None)
            if frueher is not None:
                result[frueher] = result[frueher].verbinden(note)
            elif note not in result:
                result.append(note)
    return result


def zeilen_text(eintraege, anzahl: int, zeigen: int = 10) -> str:
    """'2, 5, 9 und 40 weitere': the first items and how many more."""
    return ", ".join(list(eintraege)[:zeigen]) + (f" und {anzahl - zeigen} weitere" if anzahl > zeigen else "")


def tabelle_bereinigen(frame: pd.DataFrame, datei: str) -> tuple[pd.DataFrame, list[str]]:
    """Every text column of frame cleaned with `bereinigen` (line breaks kept in MEHRZEILIGE_FELDER); returns the
    cleaned copy and one German note per changed column ("…: Steuerzeichen entfernt in Feld „name“, Zeilen 2, 5").
    Rows are named by the frame's 'zeile' column, else by its 'id' column (catalogue, targets)."""
    hinweise = []
    cleaned = frame
    for column in _text_columns(frame):
        values = frame[column]
        multiline = str(column) in MEHRZEILIGE_FELDER
        pattern = _STEUER_MEHRZEILIG if multiline else _STEUER_EINZEILIG
        changed = pd.Series([isinstance(v, str) and pattern.search(v) is not None for v in values.tolist()],
                            index=values.index, dtype=bool)
        if not changed.any():  # the usual case, checked column-wise (a file may have a million rows)
            continue
        if cleaned is frame:
            cleaned = frame.copy()
        cleaned.loc[changed, column] = values[changed].map(lambda v: bereinigen(v, multiline))
        if "zeile" in frame and frame.loc[changed, "zeile"].notna().any():
            where = [str(int(z)) for z in frame.loc[changed, "zeile"] if pd.notna(z)]
            label = ("Zeile", "Zeilen")
        elif "id" in frame:  # a catalogue or target file: its entries have ids, not lines
            where = [str(i) for i in frame.loc[changed, "id"]]
            label = ("Eintrag", "Einträge")
        else:
            where, label = [], ("", "")
        hinweise.append(_steuer_satz(bereinigen(datei), str(column), label, where, len(where)))
    return cleaned, hinweise


def _steuer_satz(datei: str, column: str, label: tuple, where, anzahl: int) -> Sammelhinweis:
    """„…: Steuerzeichen entfernt in Feld „name“, Zeilen 2, 5.“"""
    text = (f"{datei}: Steuerzeichen entfernt in Feld „{column}“"
            + (f", {label[anzahl > 1]} {zeilen_text(where, anzahl)}" if anzahl else "") + ".")
    return Sammelhinweis(text, ("steuerzeichen", datei, column, label), where, anzahl,
                         lambda w, n, _e: _steuer_satz(datei, column, label, w, n))


_gesammelt: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("klartext_hinweise", default=None)


@contextmanager
def hinweise_sammeln() -> Iterator[list[str]]:
    """Collects the notes of `notieren` (e.g. control characters removed) during one import."""
    notes: list[str] = []
    token = _gesammelt.set(notes)
    try:
        yield notes
    finally:
        _gesammelt.reset(token)


def notieren(hinweise: list[str]) -> None:
    collected = _gesammelt.get()
    if collected is not None:
        collected.extend(h for h in hinweise if h not in collected)


def bereinigt_gelesen(result, datei: str):
    """A parser's result (a DataFrame, or a tuple whose first item is one) with its text columns cleaned; the notes
    go to the import's collection."""
    if isinstance(result, pd.DataFrame):
        cleaned, notes = tabelle_bereinigen(result, datei)
        notieren(notes)
        if cleaned is not result and hasattr(result, "geometry"):  # a GeoDataFrame stays one
            return result.__class__(cleaned, geometry=result.geometry.name, crs=result.crs)
        return cleaned
    if isinstance(result, tuple) and result and isinstance(result[0], pd.DataFrame):
        return (bereinigt_gelesen(result[0], datei), *result[1:])
    return result


# ---------------------------------------------------------------- output


def markdown(text) -> str:
    """User text for an element that renders Markdown: shown exactly as written, nothing interpreted. Line breaks
    stay line breaks. None/NaN become an empty string."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    lines = bereinigen(str(text), mehrzeilig=True).split("\n")
    return "  \n".join(_markdown_line(line.strip()) for line in lines)


def _markdown_line(line: str) -> str:
    line = _NACKTE_ADRESSE.sub(lambda m: (m.group(1) or "") + WORT_VERBINDER, line)
    line = _MARKDOWN_SONDERZEICHEN.sub(r"\\\1", line)
    start = _ZEILENANFANG.match(line)
    if start:  # "- x" → "\- x", "12. x" → "12\. x"
        marker = start.group(1)
        line = marker[:-1] + "\\" + marker[-1] + line[len(marker):]
    return line


def plotly(text) -> str:
    """User text for a plotly title, legend entry, axis title or hover template."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return _plotly_text(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _plotly_text(text: str) -> str:
    """plotly() of a string, remembered: a map of 11.299 Gemeinden escapes the same names on every change (twice:
    tooltip and packed name line), ~35 ms each time (issue 22). A pure function of its text, so remembering is safe."""
    return html.escape(bereinigen(text), quote=False).replace("%", "&#37;")


def gefaehrlich(value) -> bool:
    """A text a spreadsheet would take as the start of a formula (OWASP CSV injection)."""
    return (isinstance(value, str) and value.startswith(_GEFAEHRLICHER_ANFANG)
            and not _ZAHL_ALS_TEXT.match(value))


def csv_zelle(value):
    """A cell for a CSV file: a formula-like text gets a leading single quote (OWASP); other values unchanged."""
    return "'" + value if gefaehrlich(value) else value


def csv_tabelle(frame: pd.DataFrame) -> pd.DataFrame:
    """frame with every text cell passed through csv_zelle, and the column names too."""
    safe = frame.copy()
    for column in _text_columns(frame):
        safe[column] = frame[column].map(csv_zelle)
    return safe.rename(columns={c: csv_zelle(c) for c in safe.columns if isinstance(c, str)})


def xlsx_entschaerfen(book) -> None:
    """Every cell of an openpyxl workbook: text never a formula (stored as text with Excel's quote prefix), no
    character XML cannot hold. Call it just before saving. The app writes no formulas of its own."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                if cell.data_type == "f" or gefaehrlich(value):
                    cell.value = _XML_VERBOTEN.sub("", value)
                    cell.data_type = "s"
                    cell.quotePrefix = True


def xlsx_text(value):
    """A value for openpyxl's cell(): control characters removed (openpyxl refuses them with
    IllegalCharacterError). Non-text unchanged."""
    return _XML_VERBOTEN.sub("", value) if isinstance(value, str) else value
