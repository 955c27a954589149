"""CSV and XLSX → a table of strings with the file line of every row (Table), for messages that point at the line."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
import pandas as pd

from sozialmonitor import klartext
from sozialmonitor.einlesen import kopfblock
from sozialmonitor.einlesen.befunde import MAX_BEFUNDE, befund
from sozialmonitor.einlesen.dateiart import GRENZFORMATE, REFUSED_KINDS, TEXTARTEN, open_zip, sniff, textart
from sozialmonitor.einlesen.kodierung import DEFEKT, MOJIBAKE, erkenne, verstuemmelt
from sozialmonitor.einlesen.zahlen import dezimal_text, prozent_text
from sozialmonitor.errors import Befund

@dataclass
class Table:
    """A table as strings, with the file line (CSV) or sheet row (XLSX) of every row, for messages."""

    name: str
    frame: pd.DataFrame  # all columns str, plus 'zeile' (1-based line in the file)
    delimiter: str  # for XLSX ';', since its numbers are written with a decimal comma (see _excel_text)
    befunde: list  # rows with the wrong number of fields or mojibake: reported, and left out of frame
    kodierung: str = ""  # the encoding read, as a person reads it ("Windows-1252 (ANSI)"), for the preview
    typisiert: pd.DataFrame | None = None  # per cell of frame: True where Excel stored a number (never ambiguous)


@dataclass
class Stueck:
    """One piece of a large text file read on its own (importer.stuecke): its decoded text (the file's heading line
    first, then a run of whole records), the file line of each of its lines, and what the whole file decides – the
    delimiter, whether quotes are read, the encoding's name – so the piece reads exactly as in the whole file."""

    text: str
    zeilen: np.ndarray  # file line of each line of text (1-based, as the whole file counts)
    delimiter: str
    gequotet: bool  # the whole file holds a '"': records are read by the csv module
    kodierung: str
    stil: str | None | bool = False  # the file's decimal mark (zahlen.stil over all pieces); False: this piece's own
    # (key rows (gebiet, indikator, zeitraum), their lines) → the line where each key first stood in an earlier piece
    # (NaN: nowhere)
    frueher: object = None


@dataclass
class Zellen:
    """What a reader returns: every cell as text (columns 0…k), the file line or sheet row of each row, the number
    of fields of each row, the delimiter, whether a short row is an error (CSV) or just empty cells (Excel), and
    the encoding read (for the preview)."""

    cells: pd.DataFrame
    lines: np.ndarray
    widths: np.ndarray
    delimiter: str
    short_rows_wrong: bool
    kodierung: str
    typisiert: pd.DataFrame | None = None  # Excel: True where the cell holds a number, not text
    verbunden: list | None = None  # Excel: merged ranges (kopfblock.verbundene_bereiche); None for text files
    unsichtbar: bool = True  # whether a cell may hold invisible characters (a text file says so from its text)


def lese_text(data: bytes, name: str, blatt: str | None = None, stueck: Stueck | None = None) -> Zellen:
    """A delimited text file (CSV, TSV) in any supported encoding (kodierung.erkenne). blatt: not used. stueck: a
    piece of a large file (its text is read instead of data)."""
    if stueck is not None:
        text = stueck.text.replace("\r\n", "\n").replace("\r", "\n")
        cells, lines, widths, delimiter = _csv_cells(text, name, stueck)
        return Zellen(cells, lines, widths, delimiter, True, stueck.kodierung,
                      unsichtbar=_UNSICHTBAR.search(text) is not None)
    decoded = erkenne(data, name)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    cells, lines, widths, delimiter = _csv_cells(text, name)
    return Zellen(cells, lines, widths, delimiter, True, decoded.name, unsichtbar=_UNSICHTBAR.search(text) is not None)


def lese_xlsx(data: bytes, name: str, blatt: str | None = None) -> Zellen:
    """One worksheet of an Excel workbook (blatt: its name; default the first). Numbers are written with a decimal
    comma (see _excel_text), so the delimiter is reported as ';'."""
    cells, lines, widths, typed = _xlsx_cells(data, name, blatt)
    return Zellen(cells, lines, widths, ";", False, "Excel-Arbeitsmappe", typed,
                  kopfblock.verbundene_bereiche(data, blatt))


# One reader per sniffed kind (dateiart.sniff); every reader returns Zellen, so the checks below are shared.
# Kinds without a reader are refused with dateiart.REFUSED_KINDS. Model: pandas' ExcelFile._engines.
LESER = {"text": lese_text, "xlsx": lese_xlsx}


def lese_zellen(data: bytes, name: str, blatt: str | None = None, stueck: Stueck | None = None) -> Zellen:
    """The reader for this file's kind, or a German refusal naming what to do instead. Every cell stripped. stueck:
    a piece of a large text file (importer.stuecke; the whole file's kind was checked before)."""
    kind = sniff(data) if stueck is None else "text"
    if kind in REFUSED_KINDS:
        raise befund(name, REFUSED_KINDS[kind])
    if stueck is None and kind == "text" and (art := textart(data)) != "tabelle":
        raise befund(name, f"Die Datei ist eine {TEXTARTEN[art]}, keine Tabelle. Tabellen werden als CSV (Semikolon, "
                           "Komma oder Tabulator) oder Excel-Arbeitsmappe (.xlsx) gelesen"
                           + (f"; Grenzen ({GRENZFORMATE}) bei der Art „Gebiete“." if art != "json" else "."))
    zellen = LESER[kind](data, name, blatt) if stueck is None else lese_text(data, name, stueck=stueck)
    cells = zellen.cells.fillna("")
    cells, notes = unsichtbare_zeichen(cells, zellen.lines, name) if zellen.unsichtbar else (cells, [])
    for column in cells.columns:
        cells[column] = cells[column].str.strip()
    zellen.cells = cells
    klartext.notieren(notes)
    return zellen


# Characters nobody sees that make a key or a heading differ from the one typed: a byte-order mark (U+FEFF, written
# by tools at the start of every chunk they append), zero-width space/joiners, word joiner, soft hyphen – removed;
# no-break spaces (U+00A0, U+202F, U+2007) – made ordinary blanks (then stripped at the ends of a cell).
UNSICHTBAR = {"\ufeff": "Byte-Order-Mark (BOM)", "\u200b": "Leerzeichen ohne Breite", "\u200c": "Leerzeichen ohne Breite",
              "\u200d": "Leerzeichen ohne Breite", "\u2060": "Wortverbinder", "\u00ad": "weiches Trennzeichen"}
GESCHUETZT = {"\u00a0": "geschütztes Leerzeichen", "\u202f": "schmales geschütztes Leerzeichen",
              "\u2007": "Ziffernleerzeichen"}
_UNSICHTBAR = re.compile("[" + "".join(UNSICHTBAR) + "".join(GESCHUETZT) + "]")


def unsichtbare_zeichen(cells: pd.DataFrame, lines, name: str) -> tuple[pd.DataFrame, list[str]]:
    """Invisible characters out of every cell (UNSICHTBAR removed, GESCHUETZT made blanks): the cleaned cells and one
    German note naming the characters and the lines ("…: unsichtbare Zeichen entfernt (Byte-Order-Mark (BOM)) in
    Zeile 57.")."""
    hit_rows = np.zeros(len(cells), dtype=bool)
    found: set[str] = set()
    cleaned = cells
    for column in cells.columns:
        values = cells[column]
        hits = values.str.contains(_UNSICHTBAR, na=False).to_numpy()
        if not hits.any():
            continue
        if cleaned is cells:
            cleaned = cells.copy()
        for text in values[hits].head(1000):
            found.update(ch for ch in _UNSICHTBAR.findall(text))
        replaced = values[hits]
        for ch in UNSICHTBAR:
            replaced = replaced.str.replace(ch, "", regex=False)
        for ch in GESCHUETZT:
            replaced = replaced.str.replace(ch, " ", regex=False)
        cleaned.loc[hits, column] = replaced
        hit_rows |= hits
    if not hit_rows.any():
        return cells, []
    where = [str(int(line)) for line in np.asarray(lines)[hit_rows]]
    return cleaned, [_unsichtbar_satz(klartext.bereinigen(name), where, len(where), frozenset(found))]


def _unsichtbar_satz(name: str, where, anzahl: int, found: frozenset) -> klartext.Sammelhinweis:
    """„…: unsichtbare Zeichen entfernt (Byte-Order-Mark (BOM)) in Zeile 57.“"""
    kinds = ", ".join(dict.fromkeys((UNSICHTBAR | GESCHUETZT)[ch] for ch in sorted(found)))
    return klartext.Sammelhinweis(
        f"{name}: unsichtbare Zeichen entfernt ({kinds}) in {'Zeile' if anzahl == 1 else 'Zeilen'} "
        f"{klartext.zeilen_text(where, anzahl)}.", ("unsichtbar", name), where, anzahl,
        lambda w, n, e: _unsichtbar_satz(name, w, n, e), found)


def blaetter(data: bytes, name: str) -> list[str]:
    """The worksheet names of an Excel workbook (to pick one); [] for text files."""
    if sniff(data) != "xlsx":
        return []
    open_zip(data, name).close()
    import openpyxl  # on use: ~15 MB that a process reading no workbook need not hold

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception as exc:  # openpyxl raises many types for broken workbooks; all mean the same to a user
        raise befund(name, "Die Excel-Datei ist beschädigt oder unvollständig.") from exc
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def verstuemmelte_zellen(name: str, cells: pd.DataFrame, lines, header: list[str]) -> list[Befund]:
    """Cells with mojibake (UTF-8 once read as Windows-1252: 'Ã¼' for 'ü') or a broken byte (kodierung.DEFEKT):
    refused, never stored – one finding per cell naming line and field."""
    befunde = []
    for position, column in enumerate(header):
        texts = cells.iloc[:, position]
        broken = texts.str.contains(DEFEKT, regex=False, na=False).to_numpy()
        for line, text in zip(np.asarray(lines)[broken][:MAX_BEFUNDE], texts[broken]):
            befunde.append(Befund(name, int(line), column, f"„{text}“ enthält ein beschädigtes Byte (an der Stelle "
                                  f"„{DEFEKT}“; in UTF-8 ungültig). Bitte diesen Eintrag berichtigen oder die Datei "
                                  "aus der Quelle neu exportieren (UTF-8)."))
        texts = texts.mask(broken)
        hits = texts.str.contains(MOJIBAKE.pattern, regex=True, na=False).to_numpy()
        for line, text in zip(np.asarray(lines)[hits][:MAX_BEFUNDE], texts[hits]):
            befunde.append(Befund(name, int(line), column, f"„{text}“ enthält verstümmelte Umlaute "
                                  f"(„{verstuemmelt(text)}“): die Datei wurde einmal mit der falschen "
                                  "Zeichenkodierung geöffnet und wieder gespeichert. Bitte die Namen berichtigen "
                                  "oder die Datei aus der Quelle neu exportieren (UTF-8).",
                                  ("verstuemmelt", column)))  # capped per column
    return befunde


def read_table(data: bytes, name: str, required: list[str], optional: list[str] = (),
               blatt: str | None = None, stueck: Stueck | None = None) -> Table:
    """CSV or XLSX → every cell as a stripped string, the header checked; rows with the wrong number of fields
    or with mojibake are reported in Table.befunde and left out. stueck: a piece of a large text file."""
    zellen = lese_zellen(data, name, blatt, stueck)
    cells, lines, widths, delimiter = zellen.cells, zellen.lines, zellen.widths, zellen.delimiter
    filled = np.flatnonzero((cells != "").any(axis=1).to_numpy())
    if filled.size == 0:
        raise befund(name, "Die Datei ist leer.")
    header = [_column_name(cell) for cell in cells.iloc[filled[0]]]
    while header and header[-1] == "":
        header.pop()
    _check_header(header, required, optional, name, int(lines[filled[0]]))
    rows = filled[1:]
    if rows.size == 0:
        raise befund(name, "Die Datei enthält nur die Kopfzeile und keine Daten.")
    body, lines, widths = cells.iloc[rows], lines[rows], widths[rows]
    width = len(header)
    # Cells beyond the header are fine when empty (Excel writes "a;b;c;;"); a CSV row may not be short
    wrong = (body.iloc[:, width:] != "").any(axis=1).to_numpy(copy=True)
    if zellen.short_rows_wrong:
        wrong |= widths < width
    befunde = [Befund(name, int(line), None, f"Die Zeile hat {int(count)} statt {width} Felder.")
               for line, count in zip(lines[wrong][:MAX_BEFUNDE], widths[wrong])]
    repeated = wiederholte_kopfzeile(name, body.iloc[:, :width], lines, header, int(zellen.lines[filled[0]]))
    wrong |= np.isin(lines, [b.zeile for b in repeated])
    befunde += repeated
    garbled = verstuemmelte_zellen(name, body.iloc[:, :width], lines, header)
    wrong |= np.isin(lines, [b.zeile for b in garbled])
    befunde += garbled
    frame = body.iloc[~wrong, :width].set_axis(header, axis=1).reset_index(drop=True)
    frame["zeile"] = lines[~wrong]
    typed = None
    if zellen.typisiert is not None:
        typed = zellen.typisiert.iloc[rows].iloc[~wrong, :width].set_axis(header, axis=1).reset_index(drop=True)
    return Table(name, frame, delimiter, befunde, zellen.kodierung, typed)


def wiederholte_kopfzeile(name: str, body: pd.DataFrame, lines, header: list[str], header_line: int) -> list[Befund]:
    """A row below the data that repeats the heading row – two exports joined (a tool appends a file with its
    heading): refused as such, naming its line, instead of one finding per field of it."""
    first = body.iloc[:, 0].str.lower()
    candidates = np.flatnonzero(first.eq(header[0]).to_numpy())
    befunde = []
    for position in candidates[:MAX_BEFUNDE]:
        if [_column_name(cell) for cell in body.iloc[position]] == header:
            befunde.append(Befund(name, int(np.asarray(lines)[position]), None, (
                f"Hier steht die Kopfzeile (Zeile {header_line}) noch einmal: zwei Dateien wurden aneinandergehängt. "
                "Bitte die zweite Kopfzeile löschen oder die Dateien einzeln importieren.")))
    return befunde


def _column_name(cell: str) -> str:
    """Header cells as a person types them: 'Zähler' is the column zaehler."""
    return cell.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


def _check_header(header: list[str], required: list[str], optional, name: str, line: int) -> None:
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    doubled = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or doubled:
        teile = []
        if missing:
            teile.append("es fehlt " + ", ".join(f"„{c}“" for c in missing))
        if unknown:
            teile.append("unbekannt ist " + ", ".join(f"„{c}“" for c in unknown))
        if doubled:
            teile.append("doppelt ist " + ", ".join(f"„{c}“" for c in doubled))
        raise befund(name, f"Die Kopfzeile passt nicht ({'; '.join(teile)}). Erwartet wird: {';'.join(required)}",
                     zeile=line)


def _csv_cells(text: str, name: str, stueck: Stueck | None = None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, str]:
    """Cells (columns 0…k), the line of each row and its number of fields. Fast path: pandas' C parser, where
    row i is line i+1; files with quotes (which may hold line breaks) go through the csv module instead. stueck: a
    piece of a large file – delimiter, quoting and the file line of each line come from it."""
    delimiter = trennzeichen(text) if stueck is None else stueck.delimiter
    if ('"' in text) if stueck is None else stueck.gequotet:
        cells, lines, widths = _quoted_csv_cells(text, delimiter, name, stueck)
        return cells, lines, widths, delimiter
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    widths = np.fromiter((line.count(delimiter) for line in lines), dtype=np.int64, count=len(lines)) + 1
    cells = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, names=range(int(widths.max(initial=1))),
                        dtype="str", keep_default_na=False, na_values=[], skip_blank_lines=False,
                        quoting=csv.QUOTE_NONE,
                        engine="c")
    lines = np.arange(1, len(cells) + 1)
    return cells, lines if stueck is None else stueck.zeilen[lines - 1], widths, delimiter


def trennzeichen(text: str) -> str:
    """The delimiter: of ';', tab and ',' the one in most of the first 50 non-empty lines (ties in that order), so a
    title block above the table (GENESIS, BA) does not decide it."""
    lines = [line for line in text.split("\n", 200)[:200] if line.strip()][:50]
    counts = {candidate: sum(candidate in line for line in lines) for candidate in (";", "\t", ",")}
    best = max(counts.values(), default=0)
    return next(candidate for candidate, count in counts.items() if count == best) if best else ";"


def _quoted_csv_cells(text: str, delimiter: str, name: str, stueck: Stueck | None = None
                      ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)
    datei_zeile = (lambda z: z) if stueck is None else (lambda z: int(stueck.zeilen[min(z, len(stueck.zeilen)) - 1]))
    records, lines = [], []
    try:
        for record in reader:
            records.append(record)
            lines.append(reader.line_num - sum(cell.count("\n") for cell in record))  # where the row starts
    except csv.Error as exc:  # only the field size limit is left with strict=False
        raise befund(name, "Ein Feld ist über 100.000 Zeichen lang – vermutlich fehlt ein schließendes "
                           "Anführungszeichen (\").", zeile=datei_zeile(reader.line_num)) from exc
    widths = np.array([len(record) for record in records], dtype=np.int64)
    lines = np.array(lines, dtype=np.int64)
    return _frame(records), lines if stueck is None else stueck.zeilen[lines - 1], widths


def _xlsx_cells(data: bytes, name: str, blatt: str | None = None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray,
                                                                         pd.DataFrame]:
    """One worksheet (default the first) as text cells plus a mask of the cells that hold numbers; row numbers are
    the sheet's, so messages point at Excel rows. A number with a percent format is read as Excel shows it
    (0.156 → '15,6 %'), never as the fraction."""
    open_zip(data, name).close()
    import openpyxl  # on use: ~15 MB that a process reading no workbook need not hold

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken workbooks; all mean the same to a user
        raise befund(name, "Die Excel-Datei ist beschädigt oder unvollständig.") from exc
    try:
        if blatt is not None and blatt not in workbook.sheetnames:
            raise befund(name, f"Das Tabellenblatt „{blatt}“ gibt es nicht (vorhanden: "
                               f"{', '.join(workbook.sheetnames)}).", feld="blatt")
        sheet = workbook[blatt] if blatt is not None else workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write wrong dimensions; read what is there
        records, typed = [], []
        for row in sheet.iter_rows(min_row=1):
            records.append([_excel_text(cell.value, getattr(cell, "number_format", None)) for cell in row])
            typed.append([_is_number(cell.value) for cell in row])
    finally:
        workbook.close()
    cells = _frame(records)
    typed = pd.DataFrame([r + [False] * (cells.shape[1] - len(r)) for r in typed], columns=cells.columns,
                         dtype=bool) if records else pd.DataFrame(columns=cells.columns, dtype=bool)
    nonempty = cells.fillna("").ne("").to_numpy()
    # Excel has no field count: a row is as wide as its last filled cell
    widths = np.where(nonempty.any(axis=1), nonempty.shape[1] - np.argmax(nonempty[:, ::-1], axis=1), 0)
    return cells, np.arange(1, len(cells) + 1), widths, typed


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _percent_format(number_format: str | None) -> bool:
    """Whether an Excel number format shows the value in percent ('0.0%', '0 %'); a '%' inside quotes or after a
    backslash is literal text."""
    if not number_format:
        return False
    plain = re.sub(r'"[^"]*"|\\.', "", number_format)
    return "%" in plain


def _frame(records: list[list[str]]) -> pd.DataFrame:
    """Rows of different lengths as one table, short rows padded with missing cells."""
    width = max(map(len, records), default=0)
    return pd.DataFrame([list(r) + [None] * (width - len(r)) for r in records], columns=range(width), dtype="str")


def _excel_text(value, number_format: str | None = None) -> str:
    """An Excel cell as the text a German Excel shows: numbers with a decimal comma, a percent-formatted number in
    percent with '%' (zahlen.prozent_text), a first-of-month date as the period JJJJ-MM (Excel turns a typed
    2024-03 into 01.03.2024)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAHR" if value else "FALSCH"
    if isinstance(value, (int, float)) and _percent_format(number_format):
        return "" if value != value else prozent_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
        return dezimal_text(value)
    if isinstance(value, datetime):
        return f"{value:%Y-%m}" if value.day == 1 and value.time() == time() else f"{value:%d.%m.%Y}"
    if isinstance(value, date):
        return f"{value:%Y-%m}" if value.day == 1 else f"{value:%d.%m.%Y}"
    return str(value)
