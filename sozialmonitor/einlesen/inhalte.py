"""The interchange files' contents: observations, Gemeinde → Sozialraum membership, areas, the indicator
catalogue. Each parser returns rows and the findings that need no database; catalogue checks are the importer's."""

import re
import tomllib

import numpy as np
import pandas as pd

from sozialmonitor import fmt, klartext
from sozialmonitor.einlesen import genesis

from sozialmonitor.einlesen.befunde import MAX_BEFUNDE, findings, toml_befund
from sozialmonitor.einlesen.kodierung import decode
from sozialmonitor.einlesen.tabelle import Stueck, Table, read_table
from sozialmonitor.einlesen.zahlen import (ERLAUBT, NULL_SYMBOLE, STATUS_RANG, SYMBOL_STATUS, Lesart, Zelle, lies,
                                          mehrdeutig, stil_aus, stil_zeichen, zahl_text, zerlege)
from sozialmonitor.errors import Befund, EingabeFehler

OBSERVATION_COLUMNS = ["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert"]
OBSERVATION_KEY = ["gebiet", "indikator", "zeitraum"]
OPTIONAL_OBSERVATION_COLUMNS = ["quelle", "name"]  # name: the area's name, checked against the register
MEMBERSHIP_COLUMNS = ["gebiet", "sozialraum", "sozialraum_name"]
AREA_COLUMNS = ["gebiet", "name", "ebene", "uebergeordnet"]
LEVELS = ("gemeinde", "sozialraum", "kreis", "land", "bund")
PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]))?$"
UNITS = {"%": 100.0, "‰": 1000.0, "Anzahl": 1.0}
POLARITIES = ("niedriger_ist_besser", "hoeher_ist_besser", "neutral")
INDICATOR_KEYS = {"name", "einheit", "art", "zaehler", "nenner", "polaritaet", "nachkommastellen", "definition",
                  "quelle"}
# Optional: the reliability rule of a rate (statistik.belastbarkeit) – minimum denominator / numerator.
INDICATOR_OPTIONAL = ("mindest_nenner", "mindest_zaehler")
# Optional: how often the indicator is counted – its periods are years (JJJJ) or months (JJJJ-MM).
TURNUS = {"jahr": "JJJJ", "monat": "JJJJ-MM"}
# Optional (issue 19): whether the indicator counts persons and falls under the Geheimhaltung (true/false; without
# it the rules file decides, by default true), and which count indicator is a rate's numerator or denominator
# when that cannot be read from the texts zaehler/nenner (sozialmonitor.geheimhaltung.katalog).
INDICATOR_GEHEIMHALTUNG = ("geheimhaltung", "zaehler_indikator", "nenner_indikator")


def normalise_area_codes(codes: pd.Series) -> pd.Series:
    """Area codes are text and stay as written (stripped): a code is never padded into a code of another level
    (Sozialraum 3 is not Land 03). A leading zero Excel dropped is put back where the database or the declared
    level says which area is meant: sozialmonitor.einlesen.schluessel."""
    return codes.fillna("").astype("str").str.strip()


def parse_observations(data: bytes, name: str, katalog: pd.DataFrame | None = None,
                       profil=None, stueck: Stueck | None = None) -> tuple[pd.DataFrame, list[Befund]]:
    """Observations CSV/XLSX → rows (gebiet, indikator, zeitraum, zaehler, nenner, wert, status, kennzeichen, quelle,
    zeile) and the findings that need no database beyond the catalogue (format, numbers, symbols, contradictions,
    duplicates). katalog: the indicator catalogue (columns id, art, faktor, nachkommastellen), which decides how an
    ambiguous '1.503' is read and what a percent cell means; without it such cells are refused. profil: an import
    profile (profile.Profil) for files in another layout. rows.attrs['kodierung']: the encoding read. stueck: one
    piece of a large text file (importer.stuecke); rows.attrs['stil']: (decimal comma seen, decimal point seen),
    rows.attrs['mehrdeutig']: whether a cell like '1.503' was read by the file's decimal mark."""
    if profil is not None:
        table = profil.tabelle(data, name)
    else:
        table = read_table(data, name, OBSERVATION_COLUMNS, OPTIONAL_OBSERVATION_COLUMNS, stueck=stueck)
    rows, befunde = beobachtungen(table, katalog, stueck)
    rows.attrs["kodierung"] = table.kodierung
    return rows, befunde


def stichtage(periods: pd.Series, name: str, turnus: pd.Series | None = None) -> pd.Series:
    """Periods written as a date or a month name → JJJJ or JJJJ-MM (genesis.zeitraum_aus_text): a Stichtag 31.12.2015
    is the year 2015 for a yearly indicator (a count at the end of the year stands for its year) and 2015-12 for a
    monthly one (turnus beside periods: 'jahr', 'monat' or None = not said: the year), any other date its month,
    „März 2023“ 2023-03. What is neither stays as written (and is refused). A note says what was read how."""
    periods = periods.fillna("").astype("str").str.strip()
    other = ~periods.str.match(PERIOD_PATTERN, na=False) & periods.ne("")
    if not other.any():
        return periods
    monthly = (turnus.eq("monat") if turnus is not None else pd.Series(False, index=periods.index)) & other
    read = periods.copy()
    for art, rows in (("monat", monthly), (None, other & ~monthly)):
        if rows.any():
            found = {text: genesis.zeitraum_aus_text(text, art) for text in periods[rows].unique()}
            read[rows] = periods[rows].map(lambda t, f=found: f[t] if f[t] is not None else t)
    hits = other & read.ne(periods)
    if not hits.any():
        return periods
    pairs = list(dict.fromkeys(zip(periods[hits], read[hits])))
    klartext.notieren([_stichtag_satz(klartext.bereinigen(name), pairs[:4], int(hits.sum()), frozenset(pairs[4:5]))])
    return read


def _stichtag_satz(name: str, pairs, anzahl: int, weitere: frozenset) -> klartext.Sammelhinweis:
    """„…: Zeiträume aus Datumsangaben gelesen (31.12.2015 → 2015; …; 12 Zeilen) …“. pairs: the first four distinct
    (text, period) pairs; weitere: a fifth, if there is one (then „…“ also after four)."""
    pairs = list(dict.fromkeys(pairs))
    examples = "; ".join(f"{a} → {b}" for a, b in pairs[:3])
    return klartext.Sammelhinweis(
        f"{name}: Zeiträume aus Datumsangaben gelesen ({examples}{' …' if len(pairs) > 3 or weitere else ''}; "
        f"{anzahl} Zeilen) – der Stichtag 31.12. ist bei einem jährlichen Indikator das Jahr, sonst zählt der Monat.",
        ("stichtage", name), pairs[:4], anzahl,
        lambda p, n, e: _stichtag_satz(name, p, n, e if len(p) <= 4 else e | {p[4]}), weitere)


def beobachtungen(table: Table, katalog: pd.DataFrame | None = None,
                  stueck: Stueck | None = None) -> tuple[pd.DataFrame, list[Befund]]:
    """A table with the interchange columns (from read_table or an import profile) → observation rows and
    findings; see parse_observations (stueck: its decimal mark and the keys of earlier pieces count)."""
    name = table.name
    frame = table.frame
    befunde = list(table.befunde)
    befunde += findings(name, frame, frame["gebiet"].eq(""), "gebiet", "Das Gebiet fehlt.")
    befunde += findings(name, frame, frame["indikator"].eq(""), "indikator", "Der Indikator fehlt.")
    frame["zeitraum"] = stichtage(frame["zeitraum"], name, _turnus(frame["indikator"], katalog))
    befunde += findings(name, frame, ~frame["zeitraum"].str.match(PERIOD_PATTERN, na=False), "zeitraum",
                        lambda r: f"Zeitraum „{r.zeitraum}“ ist weder JJJJ noch JJJJ-MM (z. B. 2024 oder 2024-03).")
    frame["gebiet"] = normalise_area_codes(frame["gebiet"])

    spec = _indicator_spec(frame["indikator"], katalog)
    typed = table.typisiert if table.typisiert is not None else pd.DataFrame(False, index=frame.index,
                                                                              columns=NUMERIC_FIELDS)
    # Cells with marks (flags, %, brackets, blanks) are taken apart one by one; plain numbers and symbols at once
    plain = {field: frame[field].str.fullmatch(PLAIN, na=False)
             | (typed[field].astype(bool) & ~frame[field].str.contains("%", regex=False)) for field in NUMERIC_FIELDS}
    parts = {field: {i: zerlege(frame[field].iat[i]) for i in np.flatnonzero(~plain[field].to_numpy())}
             for field in NUMERIC_FIELDS}
    texts = pd.concat([frame[field][plain[field] & ~typed[field].astype(bool)] for field in NUMERIC_FIELDS]
                      + [pd.Series([p.zahl for p in parts[field].values()], dtype="str") for field in NUMERIC_FIELDS])
    zeichen = stil_zeichen(texts)
    mark = stil_aus(*zeichen) if stueck is None or stueck.stil is False else stueck.stil
    values, statuses, nulls, flag_lists, problems = {}, {}, {}, {}, []
    for field in NUMERIC_FIELDS:
        values[field], statuses[field], nulls[field], flag_lists[field], found = _spalte(
            frame[field], plain[field], typed[field].astype(bool), parts[field], field, spec, mark)
        problems += found
    lines = frame["zeile"].to_numpy()
    problems.sort(key=lambda p: p[0])
    befunde += [Befund(name, int(lines[i]), field, problem) for i, field, problem in problems[:MAX_BEFUNDE]]
    for field in ("zaehler", "nenner"):
        befunde += findings(name, frame, values[field] < 0, field,
                            lambda r, f=field: f"Eine Anzahl kann nicht negativ sein ({getattr(r, f)}).")

    status = pd.Series("ok", index=frame.index, dtype="str")
    rank = pd.Series(0, index=frame.index, dtype="int64")
    has_number = pd.Series(False, index=frame.index)
    for field in NUMERIC_FIELDS:
        field_rank = pd.Series(0, index=frame.index, dtype="int64")
        for meaning, order in STATUS_RANG.items():
            field_rank = field_rank.mask(statuses[field].eq(meaning), order)
        status = status.mask(field_rank > rank, statuses[field])
        rank = rank.where(field_rank <= rank, field_rank)
        has_number |= values[field].notna() & ~nulls[field]
    flags = pd.Series(None, index=frame.index, dtype="str")
    flagged = sorted(set().union(*(flag_lists[field] for field in NUMERIC_FIELDS)))
    for i in flagged:
        found = sorted({f for field in NUMERIC_FIELDS for f in flag_lists[field].get(i, ())})
        flags.iat[i] = ",".join(found) if found else None
    befunde += findings(name, frame, status.eq("entfaellt") & has_number, None, lambda r: (
        "Die Zeile widerspricht sich: ein Feld sagt „x“ (Aussage nicht sinnvoll), ein anderes enthält eine Zahl "
        f"(Zähler „{r.zaehler}“, Nenner „{r.nenner}“, Wert „{r.wert}“)."))
    result = pd.DataFrame({
        "gebiet": frame["gebiet"],
        "indikator": frame["indikator"],
        "zeitraum": frame["zeitraum"],
        "zaehler": values["zaehler"].where(status.eq("ok")),
        "nenner": values["nenner"].where(status.eq("ok")),
        "wert": values["wert"].where(status.eq("ok")),
        "status": status,
        "kennzeichen": flags,
        "quelle": frame["quelle"].replace("", None) if "quelle" in frame else pd.Series(None, index=frame.index,
                                                                                        dtype="str"),
        "zeile": frame["zeile"],
        "gebietsname": frame["name"] if "name" in frame else pd.Series("", index=frame.index, dtype="str"),
        # nothing but a dash ("nichts vorhanden") in the number fields: how a table lists a dissolved Gemeinde
        "nur_strich": (pd.concat([nulls[f] | frame[f].eq("") for f in NUMERIC_FIELDS], axis=1).all(axis=1)
                       & pd.concat([nulls[f] & frame[f].str.fullmatch(r"[-–—]", na=False) for f in NUMERIC_FIELDS],
                                   axis=1).any(axis=1)),
    })
    befunde += findings(name, result, result["zaehler"] > result["nenner"], "zaehler",
                        lambda r: f"Der Zähler ({zahl_text(r.zaehler)}) ist größer als der Nenner "
                                  f"({zahl_text(r.nenner)}).")
    maximum = spec["quote_max"]
    befunde += findings(name, result.assign(maximum=maximum, einheit=spec["einheit"]),
                        maximum.notna() & ((result["wert"] > maximum) | (result["wert"] < 0)), "wert",
                        lambda r: f"Eine Quote von {zahl_text(r.wert)} {r.einheit} ist unmöglich (erlaubt: 0 bis "
                                  f"{zahl_text(r.maximum)} {r.einheit}).")
    befunde += duplicate_findings(name, result, OBSERVATION_KEY, stueck.frueher if stueck is not None else None,
                                  # the indicator by its title where the catalogue has one
                                  {"indikator": dict(zip(katalog["id"], katalog["name"]))}
                                  if katalog is not None and "name" in katalog else None)
    result.attrs["stil"] = zeichen
    # whether a cell may be read by the file's decimal mark ('1.503'); a piece with one is read again when the whole
    # file's mark differs from its own
    result.attrs["mehrdeutig"] = any(bool(frame[f].str.contains(r"\d[.,]\d{3}(?!\d)", na=False).any())
                                     for f in NUMERIC_FIELDS)
    return result, befunde


NUMERIC_FIELDS = ["zaehler", "nenner", "wert"]
FIELD_NAMES = {"zaehler": "Zähler", "nenner": "Nenner", "wert": "Wert"}
PLAIN = r"-?\d+([.,]\d+)?|" + "|".join(map(re.escape, [*SYMBOL_STATUS, *NULL_SYMBOLE])) + "|"
AMBIGUOUS = r"[+-]?[1-9]\d{0,2}[.,]\d{3}"


def _spalte(texts: pd.Series, plain: pd.Series, typed: pd.Series, parts: dict, field: str, spec: pd.DataFrame,
            mark: str | None) -> tuple:
    """One numeric column → (values, status per cell, zero-symbol mask, {position: flags}, [(position, field,
    problem)]). Plain cells (empty, symbols, digits with at most one separator) are read at once; cells with marks
    (parts, from zahlen.zerlege) one by one."""
    status = pd.Series("ok", index=texts.index, dtype="str")
    for symbol, meaning in SYMBOL_STATUS.items():
        status = status.mask(plain & texts.eq(symbol), meaning)
    nulls = texts.isin(NULL_SYMBOLE) & plain
    digits = plain & texts.str.fullmatch(r"-?\d+([.,]\d+)?", na=False)
    values = pd.Series(np.nan, index=texts.index, dtype="float64")
    values[nulls] = 0.0
    as_written = texts.str.replace(",", ".", regex=False)
    simple = digits & (typed | ~texts.str.fullmatch(AMBIGUOUS, na=False))
    values[simple] = as_written[simple].astype("float64")
    problems = []
    ambiguous = digits & ~simple
    if ambiguous.any():
        whole = spec["ganzzahl"] | (field != "wert")
        maximum = spec["quote_max"] if field == "wert" else pd.Series(np.nan, index=texts.index)
        thousands = texts.str.replace(r"[.,]", "", regex=True).where(ambiguous).astype("float64")
        decimal = as_written.where(ambiguous).astype("float64")
        separator = texts.str[-4]
        by_mark = (decimal.where(separator.eq(mark), thousands) if mark is not None
                   else pd.Series(np.nan, index=texts.index))
        chosen = by_mark.mask(maximum.notna() & (thousands > maximum), decimal).mask(whole, thousands)
        values[ambiguous] = chosen[ambiguous]
        for i in np.flatnonzero((ambiguous & chosen.isna()).to_numpy()):
            problems.append((int(i), field, mehrdeutig(texts.iat[i], thousands.iat[i], decimal.iat[i])))
    flags = {}
    for i, part in parts.items():
        row = spec.iloc[i]
        value, problem = _value(part, bool(typed.iat[i]), field, row, mark)
        values.iat[i] = value
        status.iat[i] = part.status
        nulls.iat[i] = part.null
        if part.kennzeichen:
            flags[i] = part.kennzeichen
        if problem:
            problems.append((int(i), field, problem))
    return values, status, nulls, flags, problems




def _turnus(indicators: pd.Series, katalog: pd.DataFrame | None) -> pd.Series | None:
    """Per row the indicator's turnus ('jahr'/'monat'/None) from the catalogue, or None without one."""
    if katalog is None or "turnus" not in katalog:
        return None
    return indicators.map(katalog.drop_duplicates("id").set_index("id")["turnus"])


def _indicator_spec(indicators: pd.Series, katalog: pd.DataFrame | None) -> pd.DataFrame:
    """Per row: whether the value is whole (a count shown without decimals), the maximum of a rate, its unit."""
    empty = pd.DataFrame({"ganzzahl": False, "quote_max": np.nan, "einheit": None, "art": None},
                         index=indicators.index)
    if katalog is None or katalog.empty:
        return empty
    by_id = katalog.drop_duplicates("id").set_index("id")
    codes = pd.Categorical(indicators, categories=by_id.index).codes  # -1: not in the catalogue
    known = codes >= 0

    def lookup(column: str, dtype, missing):
        values = by_id[column].to_numpy(dtype=dtype)
        return pd.Series(np.where(known, values[np.maximum(codes, 0)] if len(values) else missing, missing),
                         index=indicators.index)

    art = lookup("art", object, None)
    faktor = lookup("faktor", "float64", np.nan).astype("float64")
    decimals = lookup("nachkommastellen", "float64", np.nan).astype("float64")
    return pd.DataFrame({
        "ganzzahl": art.eq("anzahl") & decimals.eq(0),
        "quote_max": faktor.where(art.eq("quote")),
        "einheit": pd.Series(np.select([faktor.eq(100.0), faktor.eq(1000.0)], ["%", "‰"], ""), index=indicators.index,
                             dtype=object),
        "art": art,
    }, index=indicators.index)


def _value(part: Zelle, is_typed: bool, field: str, spec, mark: str | None) -> tuple[float, str | None]:
    """One cell's number (NaN for empty cells and symbols, 0 for the zero symbols) and a German problem or None."""
    if part.null:
        return 0.0, None
    if part.zahl == "":
        if part.kennzeichen or part.prozent:
            return np.nan, f"Neben dem Zeichen steht keine Zahl (erlaubt: {ERLAUBT})."
        return np.nan, None
    lesart = Lesart(ganzzahl=field != "wert" or bool(spec["ganzzahl"]),
                    quote_max=None if field != "wert" or pd.isna(spec["quote_max"]) else float(spec["quote_max"]))
    if is_typed:
        value, problem = float(part.zahl.replace(",", ".")), None
    else:
        value, problem = lies(part.zahl, lesart, mark)
    if problem:
        return np.nan, problem
    if value is None:
        return np.nan, f"„{part.zahl}“ ist keine Zahl (erlaubt: {ERLAUBT})."
    if part.prozent:
        if field != "wert":
            return np.nan, f"Der {FIELD_NAMES[field]} ist eine Anzahl, kein Prozentwert („{part.zahl} %“)."
        if spec["art"] == "anzahl":
            return np.nan, f"„{part.zahl} %“ ist ein Prozentwert, der Indikator aber eine Anzahl."
        if spec["einheit"] == "‰":
            return value * 10, None  # percent → per mille
    return value, None


def duplicate_findings(name: str, frame: pd.DataFrame, key: list[str], frueher=None,
                       namen: dict[str, dict] | None = None) -> list[Befund]:
    """Every repetition of a key, pointing at the line where it first occurs. frueher: for a piece of a large file,
    a function of the key rows and their lines giving the line where each key first stood in an earlier piece (NaN: nowhere)."""
    if frueher is not None:
        earlier = pd.Series(frueher(frame[key], frame["zeile"]), index=frame.index, dtype="float64")
        candidates = frame[frame.duplicated(key, keep=False) | earlier.notna()]
        first_line = candidates.groupby(key, sort=False)["zeile"].transform("min").where(
            earlier[candidates.index].isna(), earlier[candidates.index]).astype("int64")
    else:
        candidates = frame[frame.duplicated(key, keep=False)]
        first_line = candidates.groupby(key, sort=False)["zeile"].transform("min")
    repeated = candidates["zeile"].ne(first_line)
    return findings(name, candidates.assign(erste=first_line), repeated, key[0] if len(key) == 1 else None,
                    lambda r: f"{fmt.schluessel({k: getattr(r, k) for k in key}, namen)} steht schon in Zeile {int(r.erste)}: "
                              "jeder Schlüssel darf nur einmal vorkommen.")


def empty_field_findings(name: str, frame: pd.DataFrame, fields: list[str], what: dict[str, str]) -> list[Befund]:
    return [b for field in fields for b in findings(name, frame, frame[field].eq(""), field, f"{what[field]} fehlt.")]


def parse_membership(data: bytes, name: str) -> tuple[pd.DataFrame, list[Befund]]:
    """Gemeinde → Sozialraum: gebiet;sozialraum;sozialraum_name."""
    table = read_table(data, name, MEMBERSHIP_COLUMNS)
    frame = table.frame
    frame.attrs["kodierung"] = table.kodierung
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


_TOML_TABELLE = re.compile(r'^\[\s*(?:"([^"]+)"|([A-Za-z0-9_-]+))\s*\]\s*(?:#.*)?$')
_TOML_SCHLUESSEL = re.compile(r'^(?:"([^"]+)"|([A-Za-z0-9_-]+))\s*=')


def katalog_zeilen(data: bytes, name: str) -> dict[tuple[str, str | None], int]:
    """Where each indicator of an indikatoren.toml stands, for findings with a line: {(id, None): line of its
    table heading [id], (id, key): line of its key = …} (lines counted from 1, as an editor shows them). Keys inside
    a multi-line string are not told apart from real ones; the first occurrence counts."""
    zeilen: dict[tuple[str, str | None], int] = {}
    current = None
    for number, line in enumerate(decode(data, name).splitlines(), 1):
        text = line.strip()
        if (match := _TOML_TABELLE.match(text)) is not None:
            current = match.group(1) or match.group(2)
            zeilen.setdefault((current, None), number)
        elif current is not None and (match := _TOML_SCHLUESSEL.match(text)) is not None:
            zeilen.setdefault((current, match.group(1) or match.group(2)), number)
    return zeilen


def parse_indicators(data: bytes, name: str) -> tuple[pd.DataFrame, list[Befund]]:
    """indikatoren.toml: one table per indicator id → DataFrame(id, the INDICATOR_KEYS, mindest_nenner,
    mindest_zaehler (float, NaN if not given), faktor, turnus ('jahr'/'monat' or None if not given), geheimhaltung
    (bool or None), zaehler_indikator, nenner_indikator (id or None)), findings."""
    try:
        catalogue = tomllib.loads(decode(data, name))
    except tomllib.TOMLDecodeError as exc:
        raise toml_befund(name, exc) from exc
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
        for key in sorted(set(spec) - INDICATOR_KEYS - set(INDICATOR_OPTIONAL) - {"turnus"}
                          - set(INDICATOR_GEHEIMHALTUNG)):
            befunde.append(Befund(name, None, f"{where} {key}", "Unbekannter Schlüssel."))
        if "geheimhaltung" in spec and not isinstance(spec["geheimhaltung"], bool):
            befunde.append(Befund(name, None, f"{where} geheimhaltung",
                                  "Erwartet wird true (zählt Personen: Geheimhaltung) oder false (etwa Personal "
                                  "oder Einrichtungen)."))
        for key in ("zaehler_indikator", "nenner_indikator"):
            if key in spec and (not isinstance(spec[key], str) or spec[key] not in catalogue
                                or not isinstance(catalogue[spec[key]], dict)
                                or catalogue[spec[key]].get("art") != "anzahl"):
                befunde.append(Befund(name, None, f"{where} {key}",
                                      f"„{spec[key]}“ ist kein Indikator mit art = \"anzahl\" in dieser Datei."))
        for key in INDICATOR_OPTIONAL:
            value = spec.get(key)
            if key in spec and (not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0):
                befunde.append(Befund(name, None, f"{where} {key}",
                                      "Erwartet wird eine Zahl ab 0 (Mindestzahl, unter der eine Quote „nicht "
                                      "belastbar“ ist), z. B. 1000."))
        if "turnus" in spec and spec["turnus"] not in TURNUS:
            befunde.append(Befund(name, None, f"{where} turnus", f"„{spec['turnus']}“: erlaubt sind „jahr“ (Werte je "
                                                                 "Jahr, JJJJ) und „monat“ (Werte je Monat, JJJJ-MM)."))
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
                     **{k: float(spec[k]) if isinstance(spec.get(k), (int, float)) and not isinstance(spec.get(k), bool)
                        else np.nan for k in INDICATOR_OPTIONAL},
                     "faktor": UNITS.get(spec.get("einheit"), np.nan),
                     "turnus": spec.get("turnus") if spec.get("turnus") in TURNUS else None,
                     "geheimhaltung": spec["geheimhaltung"] if isinstance(spec.get("geheimhaltung"), bool) else None,
                     "zaehler_indikator": spec.get("zaehler_indikator") if isinstance(spec.get("zaehler_indikator"),
                                                                                      str) else None,
                     "nenner_indikator": spec.get("nenner_indikator") if isinstance(spec.get("nenner_indikator"),
                                                                                    str) else None})
    return pd.DataFrame(rows), befunde
