"""Reading the interchange formats: observations CSV, membership CSV, areas CSV, indicators TOML.

Text files come from Excel on German Windows machines and from the Federal Employment Agency (BA): UTF-8 with or
without BOM or Windows-1252, ';' or ',' as delimiter, decimal comma or point, thousands separators, and the BA's
symbols ('*' suppressed, '-' zero, '.' unknown, 'x' not applicable). Everything wrong is collected as a Befund
(file, line, field, German message) and reported together."""

import csv
import io
import re
import tomllib
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePosixPath

import numpy as np
import openpyxl
import pandas as pd

from sozialmonitor.einlesen import entpacken
from sozialmonitor.errors import Befund, EingabeFehler
from sozialmonitor.fmt import zahl

OBSERVATION_COLUMNS = ["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert"]
OBSERVATION_KEY = ["gebiet", "indikator", "zeitraum"]
OPTIONAL_OBSERVATION_COLUMNS = ["quelle"]
MEMBERSHIP_COLUMNS = ["gebiet", "sozialraum", "sozialraum_name"]
AREA_COLUMNS = ["gebiet", "name", "ebene", "uebergeordnet"]
LEVELS = ("gemeinde", "sozialraum", "kreis", "land", "bund")

# BA symbols → observation status. '-' is a real zero.
SYMBOL_STATUS = {"*": "gesperrt", ".": "fehlt", "x": "entfaellt", "X": "entfaellt"}
ZERO_SYMBOL = "-"

PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]))?$"
UNITS = {"%": 100.0, "‰": 1000.0, "Anzahl": 1.0}
MAX_BEFUNDE = 200  # per kind of finding: enough to see the pattern, few enough to read
REFUSED_KINDS = {
    "xls": "Das alte Excel-Format (.xls) wird nicht gelesen. Bitte in Excel als Arbeitsmappe (.xlsx) oder CSV "
           "speichern.",
    "zip": "Ein ZIP-Archiv ist hier nicht möglich (nur bei Grenzen als gezipptes Shapefile). Bitte die CSV- oder "
           "Excel-Datei selbst hochladen.",
    "zip_defekt": "Die Datei ist ein beschädigtes oder unvollständiges ZIP-Archiv bzw. eine beschädigte "
                  "Excel-Datei (.xlsx). Bitte neu speichern oder neu herunterladen.",
    "sqlite": "Eine GeoPackage-/SQLite-Datei ist hier nicht möglich (nur bei Grenzen). Bitte CSV oder Excel.",
}
POLARITIES = ("niedriger_ist_besser", "hoeher_ist_besser", "neutral")
INDICATOR_KEYS = {"name", "einheit", "art", "zaehler", "nenner", "polaritaet", "nachkommastellen", "definition",
                  "quelle"}


@dataclass
class Table:
    """A table as strings, with the file line (CSV) or sheet row (XLSX) of every row, for messages."""

    name: str
    frame: pd.DataFrame  # all columns str, plus 'zeile' (1-based line in the file)
    delimiter: str  # for XLSX ';', since its numbers are written with a decimal comma (see _excel_text)
    befunde: list  # rows with the wrong number of fields: reported, and left out of frame


def befund(name: str, message: str, zeile: int | None = None, feld: str | None = None) -> EingabeFehler:
    """A refusal with a single finding."""
    return EingabeFehler([Befund(name, zeile, feld, message)])


def sniff(data: bytes) -> str:
    """What kind of file this is, from its content (users rename files): xlsx, xls, zip, sqlite or text."""
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "xlsx" if "xl/workbook.xml" in archive.namelist() else "zip"
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return "zip_defekt"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    if data[:16] == b"SQLite format 3\x00":
        return "sqlite"
    return "text"


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """A zip archive checked before anything is unpacked: no entry may leave the target folder (../, absolute
    paths) and the unpacked size must stay reasonable (zip bombs: einlesen.entpacken)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise befund(name, "Das ZIP-Archiv ist beschädigt oder unvollständig.") from exc
    befunde = []
    for entry in entries:
        path = PurePosixPath(entry.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", entry.filename):
            befunde.append(Befund(name, None, entry.filename, "Das ZIP-Archiv enthält einen Pfad außerhalb des "
                                                              "Archivs (../ oder absolut); aus Sicherheitsgründen "
                                                              "abgelehnt."))
    befunde += entpacken.pruefe_verzeichnis(archive, name)  # sizes, ratio, entries (zip bombs)
    if befunde:
        archive.close()
        raise EingabeFehler(befunde)
    return archive


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


def read_table(data: bytes, name: str, required: list[str], optional: list[str] = ()) -> Table:
    """CSV or XLSX → every cell as a stripped string, the header checked; rows with the wrong number of fields
    are reported in Table.befunde and left out."""
    is_excel = sniff(data) == "xlsx"
    if is_excel:
        cells, lines, widths, delimiter = *_xlsx_cells(data, name), ";"
    else:
        text = decode(data, name).replace("\r\n", "\n").replace("\r", "\n")
        cells, lines, widths, delimiter = _csv_cells(text, name)
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
    if not is_excel:
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


def decimal_mark(cells: pd.Series, delimiter: str) -> str:
    """The file's decimal mark: ',' if any number has a comma; '.' for comma-delimited files or where a point
    cannot be a thousands separator; otherwise ',' (German default, so '1.503' reads as 1503)."""
    numeric = cells[cells.str.match(r"^-?[\d.,]+$", na=False)]
    if delimiter != "," and numeric.str.contains(",", regex=False).any():
        return ","
    if delimiter == ",":
        return "."
    if numeric.str.match(r"^-?\d+\.(\d{1,2}|\d{4,})$").any():
        return "."
    return ","


def parse_numbers(cells: pd.Series, mark: str) -> tuple[pd.Series, pd.Series]:
    """Cells → (float values, ok-mask). Empty cells and symbols give NaN with ok=True; anything else unparsable
    gives ok=False."""
    thousands = "." if mark == "," else ","
    pattern = (r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+(,\d+)?$" if mark == ","
               else r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+(\.\d+)?$")
    is_number = cells.str.match(pattern, na=False)
    cleaned = cells.where(is_number, None).str.replace(thousands, "", regex=False)
    if mark == ",":
        cleaned = cleaned.str.replace(",", ".", regex=False)
    values = cleaned.astype("float64")
    is_blank_or_symbol = cells.eq("") | cells.isin(list(SYMBOL_STATUS) + [ZERO_SYMBOL])
    values = values.mask(cells.eq(ZERO_SYMBOL), 0.0)
    return values, is_number | is_blank_or_symbol


def normalise_area_codes(codes: pd.Series) -> pd.Series:
    """AGS as Excel leaves them: a leading zero dropped from 8-, 5- and 2-digit keys is put back."""
    digits = codes.str.fullmatch(r"\d+", na=False)
    lengths = codes.str.len()
    padded = codes.copy()
    for short, full in ((7, 8), (4, 5), (1, 2)):
        padded = padded.mask(digits & lengths.eq(short), codes.str.zfill(full))
    return padded


def findings(name: str, frame: pd.DataFrame, mask, field: str | None, message) -> list[Befund]:
    """One finding per marked row (the first MAX_BEFUNDE); message is a text or a function of the row."""
    return [Befund(name, int(row.zeile), field, message(row) if callable(message) else message)
            for row in frame[mask].head(MAX_BEFUNDE).itertuples(index=False)]


def parse_observations(data: bytes, name: str) -> tuple[pd.DataFrame, list[Befund]]:
    """Observations CSV/XLSX → rows (gebiet, indikator, zeitraum, zaehler, nenner, wert, status, quelle, zeile) and
    the findings that need no database (format, numbers, duplicates). Catalogue checks are the importer's."""
    table = read_table(data, name, OBSERVATION_COLUMNS, OPTIONAL_OBSERVATION_COLUMNS)
    frame = table.frame
    befunde = table.befunde
    befunde += findings(name, frame, frame["gebiet"].eq(""), "gebiet", "Das Gebiet fehlt.")
    befunde += findings(name, frame, frame["indikator"].eq(""), "indikator", "Der Indikator fehlt.")
    befunde += findings(name, frame, ~frame["zeitraum"].str.match(PERIOD_PATTERN, na=False), "zeitraum",
                        lambda r: f"Zeitraum „{r.zeitraum}“ ist weder JJJJ noch JJJJ-MM (z. B. 2024 oder 2024-03).")
    frame["gebiet"] = normalise_area_codes(frame["gebiet"])

    numeric_fields = ["zaehler", "nenner", "wert"]
    mark = decimal_mark(pd.concat([frame[c] for c in numeric_fields]), table.delimiter)
    values = {}
    for field in numeric_fields:
        values[field], ok = parse_numbers(frame[field], mark)
        befunde += findings(name, frame, ~ok, field,
                            lambda r, f=field: f"„{getattr(r, f)}“ ist keine Zahl (erlaubt: Zahl, leer, * - . x).")
    for field in ("zaehler", "nenner"):
        befunde += findings(name, frame, values[field] < 0, field,
                            lambda r, f=field: f"Eine Anzahl kann nicht negativ sein ({getattr(r, f)}).")

    status = pd.Series("ok", index=frame.index, dtype="str")
    for symbol, meaning in (("x", "entfaellt"), ("X", "entfaellt"), (".", "fehlt"), ("*", "gesperrt")):
        status = status.mask(frame[numeric_fields].eq(symbol).any(axis=1), meaning)
    result = pd.DataFrame({
        "gebiet": frame["gebiet"],
        "indikator": frame["indikator"],
        "zeitraum": frame["zeitraum"],
        "zaehler": values["zaehler"].where(status.eq("ok")),
        "nenner": values["nenner"].where(status.eq("ok")),
        "wert": values["wert"].where(status.eq("ok")),
        "status": status,
        "quelle": frame["quelle"].replace("", None) if "quelle" in frame else pd.Series(None, index=frame.index,
                                                                                        dtype="str"),
        "zeile": frame["zeile"],
    })
    befunde += findings(name, result, result["zaehler"] > result["nenner"], "zaehler",
                        lambda r: f"Der Zähler ({zahl_text(r.zaehler)}) ist größer als der Nenner "
                                  f"({zahl_text(r.nenner)}).")
    befunde += duplicate_findings(name, result, OBSERVATION_KEY)
    return result, befunde


def zahl_text(value: float) -> str:
    """A parsed number back as the German text a user typed (1503 → 1503, 6.5 → 6,5)."""
    return f"{value:.10g}".replace(".", ",")


def duplicate_findings(name: str, frame: pd.DataFrame, key: list[str]) -> list[Befund]:
    """Every repetition of a key, pointing at the line where it first occurs."""
    candidates = frame[frame.duplicated(key, keep=False)]
    first_line = candidates.groupby(key, sort=False)["zeile"].transform("min")
    repeated = candidates["zeile"].ne(first_line)
    return findings(name, candidates.assign(erste=first_line), repeated, key[0] if len(key) == 1 else None,
                    lambda r: f"{'/'.join(str(getattr(r, k)) for k in key)} steht schon in Zeile {int(r.erste)}: "
                              "jeder Schlüssel darf nur einmal vorkommen.")


def empty_field_findings(name: str, frame: pd.DataFrame, fields: list[str], what: dict[str, str]) -> list[Befund]:
    return [b for field in fields for b in findings(name, frame, frame[field].eq(""), field, f"{what[field]} fehlt.")]


def parse_membership(data: bytes, name: str) -> tuple[pd.DataFrame, list[Befund]]:
    """Gemeinde → Sozialraum: gebiet;sozialraum;sozialraum_name."""
    table = read_table(data, name, MEMBERSHIP_COLUMNS)
    frame = table.frame
    frame["gebiet"] = normalise_area_codes(frame["gebiet"])
    befunde = table.befunde + empty_field_findings(name, frame, MEMBERSHIP_COLUMNS, {
        "gebiet": "Der Gemeindeschlüssel", "sozialraum": "Der Sozialraum-Schlüssel", "sozialraum_name":
        "Der Name des Sozialraums"})
    repeated = frame[frame["gebiet"].ne("")]
    befunde += findings(name, repeated, repeated.duplicated("gebiet", keep="first"), "gebiet",
                        lambda r: f"Die Gemeinde {r.gebiet} steht mehrfach in der Datei (jede Gemeinde gehört zu "
                                  "genau einem Sozialraum).")
    names = frame.groupby("sozialraum")["sozialraum_name"].nunique()
    for code in names[names > 1].index[:MAX_BEFUNDE]:
        lines = frame.loc[frame["sozialraum"].eq(code), "zeile"]
        befunde.append(Befund(name, int(lines.iloc[0]), "sozialraum_name",
                              f"Der Sozialraum {code} hat in der Datei verschiedene Namen "
                              f"(Zeilen {', '.join(str(z) for z in lines.head(10))})."))
    return frame, befunde


def parse_areas_csv(data: bytes, name: str) -> tuple[pd.DataFrame, list[Befund]]:
    """Areas without boundaries (Kreis, Land, Bund, or any area): gebiet;name;ebene;uebergeordnet."""
    table = read_table(data, name, AREA_COLUMNS)
    frame = table.frame
    frame["gebiet"] = normalise_area_codes(frame["gebiet"])
    frame["uebergeordnet"] = normalise_area_codes(frame["uebergeordnet"])
    befunde = table.befunde + empty_field_findings(name, frame, ["gebiet", "name"],
                                                   {"gebiet": "Der Gebietsschlüssel", "name": "Der Name"})
    befunde += findings(name, frame, ~frame["ebene"].isin(LEVELS), "ebene",
                        lambda r: f"Ebene „{r.ebene}“ ist unbekannt (erlaubt: {', '.join(LEVELS)}).")
    befunde += duplicate_findings(name, frame[frame["gebiet"].ne("")], ["gebiet"])
    frame["uebergeordnet"] = frame["uebergeordnet"].replace("", None)
    return frame, befunde


def parse_indicators(data: bytes, name: str) -> tuple[pd.DataFrame, list[Befund]]:
    """indikatoren.toml: one table per indicator id."""
    try:
        catalogue = tomllib.loads(decode(data, name))
    except tomllib.TOMLDecodeError as exc:
        raise EingabeFehler([Befund(name, None, None, f"Die TOML-Datei ist fehlerhaft: {exc}")]) from exc
    if not catalogue:
        raise EingabeFehler([Befund(name, None, None, "Die Datei enthält keinen Indikator.")])
    befunde, rows = [], []
    for indicator_id, spec in catalogue.items():
        where = f"[{indicator_id}]"
        if not isinstance(spec, dict):
            befunde.append(Befund(name, None, where, "Jeder Indikator ist eine Tabelle [id] mit Schlüsseln."))
            continue
        for key in sorted(INDICATOR_KEYS - set(spec)):
            befunde.append(Befund(name, None, f"{where} {key}", "Der Schlüssel fehlt."))
        for key in sorted(set(spec) - INDICATOR_KEYS):
            befunde.append(Befund(name, None, f"{where} {key}", "Unbekannter Schlüssel."))
        if spec.get("einheit") not in UNITS:
            befunde.append(Befund(name, None, f"{where} einheit", f"„{spec.get('einheit')}“ ist keine erlaubte Einheit "
                                                                  "(%, ‰, Anzahl)."))
        if spec.get("art") not in ("quote", "anzahl"):
            befunde.append(Befund(name, None, f"{where} art", "Erlaubt sind „quote“ und „anzahl“."))
        if spec.get("polaritaet") not in POLARITIES:
            befunde.append(Befund(name, None, f"{where} polaritaet",
                                  "Erlaubt sind „niedriger_ist_besser“, „hoeher_ist_besser“ und „neutral“ "
                                  "(ohne Wertung, etwa für Einwohnerzahlen)."))
        if not isinstance(spec.get("nachkommastellen"), int) or not 0 <= spec.get("nachkommastellen", -1) <= 4:
            befunde.append(Befund(name, None, f"{where} nachkommastellen",
                                  "Erwartet wird eine ganze Zahl von 0 bis 4."))
        if spec.get("art") == "quote" and spec.get("einheit") == "Anzahl":
            befunde.append(Befund(name, None, f"{where} einheit", "Eine Quote hat die Einheit % oder ‰."))
        rows.append({"id": indicator_id, **{k: spec.get(k) for k in sorted(INDICATOR_KEYS)},
                     "faktor": UNITS.get(spec.get("einheit"), np.nan)})
    return pd.DataFrame(rows), befunde
