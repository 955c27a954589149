"""The interchange files' contents: observations, Gemeinde → Sozialraum membership, areas, the indicator
catalogue. Each parser returns rows and the findings that need no database; catalogue checks are the importer's."""

import tomllib

import numpy as np
import pandas as pd

from sozialmonitor.einlesen.befunde import MAX_BEFUNDE, findings
from sozialmonitor.einlesen.kodierung import decode
from sozialmonitor.einlesen.tabelle import read_table
from sozialmonitor.einlesen.zahlen import decimal_mark, parse_numbers, zahl_text
from sozialmonitor.errors import Befund, EingabeFehler

OBSERVATION_COLUMNS = ["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert"]
OBSERVATION_KEY = ["gebiet", "indikator", "zeitraum"]
OPTIONAL_OBSERVATION_COLUMNS = ["quelle"]
MEMBERSHIP_COLUMNS = ["gebiet", "sozialraum", "sozialraum_name"]
AREA_COLUMNS = ["gebiet", "name", "ebene", "uebergeordnet"]
LEVELS = ("gemeinde", "sozialraum", "kreis", "land", "bund")
PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]))?$"
UNITS = {"%": 100.0, "‰": 1000.0, "Anzahl": 1.0}
POLARITIES = ("niedriger_ist_besser", "hoeher_ist_besser", "neutral")
INDICATOR_KEYS = {"name", "einheit", "art", "zaehler", "nenner", "polaritaet", "nachkommastellen", "definition",
                  "quelle"}


def normalise_area_codes(codes: pd.Series) -> pd.Series:
    """AGS as Excel leaves them: a leading zero dropped from 8-, 5- and 2-digit keys is put back."""
    digits = codes.str.fullmatch(r"\d+", na=False)
    lengths = codes.str.len()
    padded = codes.copy()
    for short, full in ((7, 8), (4, 5), (1, 2)):
        padded = padded.mask(digits & lengths.eq(short), codes.str.zfill(full))
    return padded


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
