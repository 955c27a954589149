"""CSV and XLSX → a table of strings with the file line of every row (Table), for messages that point at the line."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
import openpyxl
import pandas as pd

from sozialmonitor.einlesen.befunde import MAX_BEFUNDE, befund
from sozialmonitor.einlesen.dateiart import REFUSED_KINDS, open_zip, sniff
from sozialmonitor.einlesen.kodierung import decode
from sozialmonitor.errors import Befund

@dataclass
class Table:
    """A table as strings, with the file line (CSV) or sheet row (XLSX) of every row, for messages."""

    name: str
    frame: pd.DataFrame  # all columns str, plus 'zeile' (1-based line in the file)
    delimiter: str  # for XLSX ';', since its numbers are written with a decimal comma (see _excel_text)
    befunde: list  # rows with the wrong number of fields: reported, and left out of frame


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


def lese_text(data: bytes, name: str) -> Zellen:
    """A delimited text file (CSV, TSV) in any supported encoding."""
    text = decode(data, name).replace("\r\n", "\n").replace("\r", "\n")
    cells, lines, widths, delimiter = _csv_cells(text, name)
    return Zellen(cells, lines, widths, delimiter, True, "")


def lese_xlsx(data: bytes, name: str) -> Zellen:
    """The first worksheet of an Excel workbook. Its numbers are written with a decimal comma (see _excel_text),
    so the delimiter is reported as ';'."""
    cells, lines, widths = _xlsx_cells(data, name)
    return Zellen(cells, lines, widths, ";", False, "Excel-Arbeitsmappe")


# One reader per sniffed kind (dateiart.sniff); every reader returns Zellen, so the checks below are shared.
# Kinds without a reader are refused with dateiart.REFUSED_KINDS. Model: pandas' ExcelFile._engines.
LESER = {"text": lese_text, "xlsx": lese_xlsx}


def lese_zellen(data: bytes, name: str) -> Zellen:
    """The reader for this file's kind, or a German refusal naming what to do instead."""
    kind = sniff(data)
    if kind in REFUSED_KINDS:
        raise befund(name, REFUSED_KINDS[kind])
    return LESER[kind](data, name)


def read_table(data: bytes, name: str, required: list[str], optional: list[str] = ()) -> Table:
    """CSV or XLSX → every cell as a stripped string, the header checked; rows with the wrong number of fields
    are reported in Table.befunde and left out."""
    zellen = lese_zellen(data, name)
    cells, lines, widths, delimiter = zellen.cells, zellen.lines, zellen.widths, zellen.delimiter
    cells = cells.fillna("")
    for column in cells.columns:
        cells[column] = cells[column].str.strip()
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
    frame = body.iloc[~wrong, :width].set_axis(header, axis=1).reset_index(drop=True)
    frame["zeile"] = lines[~wrong]
    return Table(name, frame, delimiter, befunde)


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


def _csv_cells(text: str, name: str) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, str]:
    """Cells (columns 0…k), the line of each row and its number of fields. Fast path: pandas' C parser, where
    row i is line i+1; files with quotes (which may hold line breaks) go through the csv module instead."""
    first = next((line for line in text.split("\n", 50) if line.strip()), "")
    delimiter = ";" if ";" in first else ("\t" if "\t" in first else ",")
    if '"' in text:
        return (*_quoted_csv_cells(text, delimiter, name), delimiter)
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    widths = np.fromiter((line.count(delimiter) for line in lines), dtype=np.int64, count=len(lines)) + 1
    cells = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, names=range(int(widths.max(initial=1))),
                        dtype="str", keep_default_na=False, na_values=[], skip_blank_lines=False,
                        quoting=csv.QUOTE_NONE,
                        engine="c")
    return cells, np.arange(1, len(cells) + 1), widths, delimiter


def _quoted_csv_cells(text: str, delimiter: str, name: str) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)
    records, lines = [], []
    try:
        for record in reader:
            records.append(record)
            lines.append(reader.line_num - sum(cell.count("\n") for cell in record))  # where the row starts
    except csv.Error as exc:  # only the field size limit is left with strict=False
        raise befund(name, "Ein Feld ist über 100.000 Zeichen lang – vermutlich fehlt ein schließendes "
                           "Anführungszeichen (\").", zeile=reader.line_num) from exc
    widths = np.array([len(record) for record in records], dtype=np.int64)
    return _frame(records), np.array(lines, dtype=np.int64), widths


def _xlsx_cells(data: bytes, name: str) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The first worksheet of an Excel workbook; row numbers are the sheet's, so messages point at Excel rows."""
    open_zip(data, name).close()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken workbooks; all mean the same to a user
        raise befund(name, "Die Excel-Datei ist beschädigt oder unvollständig.") from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write wrong dimensions; read what is there
        records = [[_excel_text(value) for value in row] for row in sheet.iter_rows(min_row=1, values_only=True)]
    finally:
        workbook.close()
    cells = _frame(records)
    nonempty = cells.fillna("").ne("").to_numpy()
    # Excel has no field count: a row is as wide as its last filled cell
    widths = np.where(nonempty.any(axis=1), nonempty.shape[1] - np.argmax(nonempty[:, ::-1], axis=1), 0)
    return cells, np.arange(1, len(cells) + 1), widths


def _frame(records: list[list[str]]) -> pd.DataFrame:
    """Rows of different lengths as one table, short rows padded with missing cells."""
    width = max(map(len, records), default=0)
    return pd.DataFrame([list(r) + [None] * (width - len(r)) for r in records], columns=range(width), dtype="str")


def _excel_text(value) -> str:
    """An Excel cell as the text a German Excel shows: numbers with a decimal comma, a first-of-month date as
    the period JJJJ-MM (Excel turns a typed 2024-03 into 01.03.2024)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAHR" if value else "FALSCH"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
        return np.format_float_positional(value, trim="-").replace(".", ",")
    if isinstance(value, datetime):
        return f"{value:%Y-%m}" if value.day == 1 and value.time() == time() else f"{value:%d.%m.%Y}"
    if isinstance(value, date):
        return f"{value:%Y-%m}" if value.day == 1 else f"{value:%d.%m.%Y}"
    return str(value)
