"""Reading the interchange formats: observations CSV, membership CSV, areas CSV, indicators TOML.

Text files come from Excel on German Windows machines and from the Federal Employment Agency (BA): UTF-8 with or
without BOM or Windows-1252, ';' or ',' as delimiter, decimal comma or point, thousands separators, and the BA's
symbols ('*' suppressed, '-' zero, '.' unknown, 'x' not applicable). Everything wrong is collected as a Befund
(file, line, field, German message) and reported together."""

import csv
import io
import re
import tomllib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sozialmonitor.errors import Befund, EingabeFehler

OBSERVATION_COLUMNS = ["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert"]
OPTIONAL_OBSERVATION_COLUMNS = ["quelle"]
MEMBERSHIP_COLUMNS = ["gebiet", "sozialraum", "sozialraum_name"]
AREA_COLUMNS = ["gebiet", "name", "ebene", "uebergeordnet"]
LEVELS = ("gemeinde", "sozialraum", "kreis", "land", "bund")

# BA symbols → observation status. '-' is a real zero.
SYMBOL_STATUS = {"*": "gesperrt", ".": "fehlt", "x": "entfaellt", "X": "entfaellt"}
ZERO_SYMBOL = "-"

PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]))?$"
UNITS = {"%": 100.0, "‰": 1000.0, "Anzahl": 1.0}
INDICATOR_KEYS = {"name", "einheit", "art", "zaehler", "nenner", "polaritaet", "nachkommastellen", "definition",
                  "quelle"}


@dataclass
class Table:
    """A text table as strings, with the file line of every row (for messages)."""

    name: str
    frame: pd.DataFrame  # all columns str, plus 'zeile' (1-based line in the file)
    delimiter: str


def decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:65536]:
        raise EingabeFehler([Befund(name, None, None, "Die Datei ist keine Textdatei (CSV). Bitte als CSV speichern.")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise EingabeFehler([Befund(name, None, None,
                                    "Die Zeichenkodierung ist weder UTF-8 noch Windows-1252 (ANSI).")]) from exc


def read_table(data: bytes, name: str, required: list[str], optional: list[str] = ()) -> Table:
    """Decode, find the delimiter from the header, check the header, return all cells as strings."""
    text = decode(data, name)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise EingabeFehler([Befund(name, None, None, "Die Datei ist leer.")])
    header_line = lines[first]
    delimiter = ";" if ";" in header_line else ("\t" if "\t" in header_line else ",")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows, line_numbers = [], []
    header = None
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in record]
            continue
        rows.append(record)
        line_numbers.append(reader.line_num)
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    if missing or unknown:
        erwartet = ";".join(required)
        teile = []
        if missing:
            teile.append("es fehlt " + ", ".join(f"„{c}“" for c in missing))
        if unknown:
            teile.append("unbekannt ist " + ", ".join(f"„{c}“" for c in unknown))
        raise EingabeFehler([Befund(name, first + 1, None,
                                    f"Die Kopfzeile passt nicht ({'; '.join(teile)}). Erwartet wird: {erwartet}")])
    if not rows:
        raise EingabeFehler([Befund(name, None, None, "Die Datei enthält nur die Kopfzeile und keine Daten.")])
    befunde = [Befund(name, line, None, f"Die Zeile hat {len(r)} statt {len(header)} Felder.")
               for r, line in zip(rows, line_numbers) if len(r) != len(header)]
    if befunde:
        raise EingabeFehler(befunde[:50])
    frame = pd.DataFrame(rows, columns=header, dtype="str")
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    frame["zeile"] = line_numbers
    return Table(name, frame, delimiter)


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
    values = pd.to_numeric(cleaned, errors="coerce").astype("float64")
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


def parse_observations(data: bytes, name: str) -> tuple[pd.DataFrame, list[Befund]]:
    """Observations CSV → rows (gebiet, indikator, zeitraum, zaehler, nenner, wert, status, quelle, zeile) and the
    findings that need no database (format, numbers, duplicates). Catalogue checks are the importer's."""
    table = read_table(data, name, OBSERVATION_COLUMNS, OPTIONAL_OBSERVATION_COLUMNS)
    frame = table.frame
    befunde: list[Befund] = []

    def report(mask: pd.Series, field: str, message) -> None:
        for _, row in frame[mask].head(200).iterrows():
            befunde.append(Befund(name, int(row["zeile"]), field, message(row) if callable(message) else message))

    report(frame["gebiet"].eq(""), "gebiet", "Das Gebiet fehlt.")
    report(frame["indikator"].eq(""), "indikator", "Der Indikator fehlt.")
    report(~frame["zeitraum"].str.match(PERIOD_PATTERN, na=False), "zeitraum",
           lambda r: f"Zeitraum „{r['zeitraum']}“ ist weder JJJJ noch JJJJ-MM (z. B. 2024 oder 2024-03).")
    frame["gebiet"] = normalise_area_codes(frame["gebiet"])

    numeric_fields = ["zaehler", "nenner", "wert"]
    mark = decimal_mark(pd.concat([frame[c] for c in numeric_fields]), table.delimiter)
    values = {}
    for field in numeric_fields:
        values[field], ok = parse_numbers(frame[field], mark)
        report(~ok, field, lambda r, f=field: f"„{r[f]}“ ist keine Zahl (erlaubt: Zahl, leer, * - . x).")
    for field in ("zaehler", "nenner"):
        report(values[field] < 0, field, lambda r, f=field: f"Eine Anzahl kann nicht negativ sein ({r[f]}).")

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
    over = result["zaehler"] > result["nenner"]
    report(over, "zaehler", lambda r: f"Der Zähler ({r['zaehler']}) ist größer als der Nenner ({r['nenner']}).")
    key = ["gebiet", "indikator", "zeitraum"]
    duplicated = result.duplicated(key, keep=False)
    if duplicated.any():
        first_line = result[duplicated].groupby(key)["zeile"].transform("min")
        for (_, row), first in zip(result[duplicated].iterrows(), first_line):
            if row["zeile"] != first:
                befunde.append(Befund(name, int(row["zeile"]), None,
                                      f"{row['gebiet']}/{row['indikator']}/{row['zeitraum']} steht schon in Zeile "
                                      f"{int(first)}: jeder Wert darf nur einmal vorkommen."))
    return result, befunde


def parse_membership(data: bytes, name: str) -> tuple[pd.DataFrame, list[Befund]]:
    table = read_table(data, name, MEMBERSHIP_COLUMNS)
    frame = table.frame
    frame["gebiet"] = normalise_area_codes(frame["gebiet"])
    befunde = [Befund(name, int(r["zeile"]), field, f"Das Feld „{field}“ ist leer.")
               for _, r in frame.iterrows() for field in MEMBERSHIP_COLUMNS if r[field] == ""]
    for _, r in frame[frame.duplicated("gebiet", keep="first")].iterrows():
        befunde.append(Befund(name, int(r["zeile"]), "gebiet",
                              f"Die Gemeinde {r['gebiet']} ist mehr als einem Sozialraum zugeordnet."))
    names = frame.groupby("sozialraum")["sozialraum_name"].nunique()
    for code in names[names > 1].index:
        befunde.append(Befund(name, None, "sozialraum_name", f"Der Sozialraum {code} hat verschiedene Namen."))
    return frame, befunde


def parse_areas_csv(data: bytes, name: str) -> tuple[pd.DataFrame, list[Befund]]:
    """Areas without boundaries (Kreis, Land, Bund, or any area): gebiet;name;ebene;uebergeordnet."""
    table = read_table(data, name, AREA_COLUMNS)
    frame = table.frame
    frame["gebiet"] = normalise_area_codes(frame["gebiet"])
    frame["uebergeordnet"] = normalise_area_codes(frame["uebergeordnet"])
    befunde = []
    for _, r in frame.iterrows():
        if r["gebiet"] == "":
            befunde.append(Befund(name, int(r["zeile"]), "gebiet", "Der Gebietsschlüssel fehlt."))
        if r["name"] == "":
            befunde.append(Befund(name, int(r["zeile"]), "name", "Der Name fehlt."))
        if r["ebene"] not in LEVELS:
            befunde.append(Befund(name, int(r["zeile"]), "ebene",
                                  f"Ebene „{r['ebene']}“ ist unbekannt (erlaubt: {', '.join(LEVELS)})."))
    for _, r in frame[frame.duplicated("gebiet", keep="first")].iterrows():
        befunde.append(Befund(name, int(r["zeile"]), "gebiet", f"Das Gebiet {r['gebiet']} steht doppelt in der Datei."))
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
        if spec.get("polaritaet") not in ("niedriger_ist_besser", "hoeher_ist_besser"):
            befunde.append(Befund(name, None, f"{where} polaritaet",
                                  "Erlaubt sind „niedriger_ist_besser“ und „hoeher_ist_besser“."))
        if not isinstance(spec.get("nachkommastellen"), int) or not 0 <= spec.get("nachkommastellen", -1) <= 4:
            befunde.append(Befund(name, None, f"{where} nachkommastellen", "Erwartet wird eine ganze Zahl von 0 bis 4."))
        if spec.get("art") == "quote" and spec.get("einheit") == "Anzahl":
            befunde.append(Befund(name, None, f"{where} einheit", "Eine Quote hat die Einheit % oder ‰."))
        rows.append({"id": indicator_id, **{k: spec.get(k) for k in sorted(INDICATOR_KEYS)},
                     "faktor": UNITS.get(spec.get("einheit"), np.nan)})
    return pd.DataFrame(rows), befunde
