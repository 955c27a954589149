"""Import profiles: how a file in another layout (a BA or GENESIS table with a header block and footnotes, a sheet
among several, years or months as columns) maps onto the interchange columns of observations, saved as TOML under a
name so next year's file of the same source imports in one step (page "Daten" and `import observations --profil
NAME`).

A profile, e.g. `profile/ba-sgb2.toml` beside the database:

    name = "ba-sgb2"
    beschreibung = "BA, Kinder in Bedarfsgemeinschaften, Kreisreport (Excel)"
    blatt = "Gemeinden"          # optional: the worksheet (default: the first)
    kopfzeile = 6                # optional: line/row of the column headings (default: the first row holding them)

    [spalten]                    # interchange field = heading of the file's column, or its number (1 = A)
    gebiet = "Regionalschlüssel"
    zaehler = "Kinder in BG"
    nenner = "Kinder unter 10"

    [fest]                       # the same value for every row
    indikator = "sgb2_u10"
    zeitraum = "2023"

    [breit]                      # optional: one column per period (headings 2021, 2022 … or "Dez 2023")
    feld = "wert"                # the field the period columns fill
    spalten = ["2021", "2022"]   # optional: which columns (default: every heading that is a period)
    zeitraum = "jahr"            # optional: a dated heading (31.12.2023) is a year ("jahr") or a month ("monat")

Applied in one order, as sdg-build's InputBase.alter_data does for every input: sheet → heading row → data rows
(footnotes out, genesis.py) → column map → fixed values → wide to long. The result is a Table with the interchange
columns, so every check of the interchange format applies unchanged."""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sozialmonitor.einlesen import genesis
from sozialmonitor.einlesen.befunde import befund
from sozialmonitor.einlesen.tabelle import Table, lese_zellen
from sozialmonitor.errors import Befund, EingabeFehler

FELDER = ("gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert", "quelle")
ZAHLFELDER = ("zaehler", "nenner", "wert")
ORDNER = "profile"  # beside the database; the project's own examples are in data/profile/
NAME_MUSTER = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
SCHLUESSEL = {"name", "beschreibung", "blatt", "kopfzeile", "spalten", "fest", "breit"}


@dataclass
class Profil:
    """One import profile (see the module docstring for the TOML keys)."""

    name: str
    spalten: dict[str, str | int] = field(default_factory=dict)  # a heading, or a column number from 1
    fest: dict[str, str] = field(default_factory=dict)
    beschreibung: str = ""
    blatt: str | None = None
    kopfzeile: int | None = None
    breit_feld: str | None = None
    breit_spalten: list[str] | None = None
    breit_zeitraum: str | None = None

    def tabelle(self, data: bytes, name: str) -> Table:
        """The file read with this profile → a Table with the interchange columns (one row per area and period)
        and the file line of each, plus findings for what the profile names but the file lacks."""
        zellen = lese_zellen(data, name, self.blatt)
        cells, lines = zellen.cells, zellen.lines
        typed = zellen.typisiert if zellen.typisiert is not None else pd.DataFrame(False, index=cells.index,
                                                                                   columns=cells.columns)
        head = self._kopfzeile(cells, lines, name)
        headings = [genesis.normalise(cell) for cell in cells.iloc[head]]
        position = {heading: column for column, heading in reversed(list(enumerate(headings))) if heading}
        position.update({number: number - 1 for number in self.spalten.values()
                         if isinstance(number, int) and number <= cells.shape[1]})
        missing = [heading for heading in self.spalten.values() if _key(heading) not in position]
        if missing:
            raise EingabeFehler([Befund(name, int(lines[head]), str(heading), "Die Spalte gibt es in der Kopfzeile "
                                        f"nicht (Profil „{self.name}“). Vorhanden: "
                                        f"{', '.join(c for c in cells.iloc[head] if c)}.") for heading in missing])
        rows = genesis.datenzeilen(cells, head)
        if "gebiet" in self.spalten:  # rows right below the headings without an area: units, second heading row
            area = cells.iloc[rows, position[_key(self.spalten["gebiet"])]].to_numpy()
            first = int(np.argmax(area != "")) if (area != "").any() else len(rows)
            rows = rows[first:]
        if rows.size == 0:
            raise befund(name, f"Unter der Kopfzeile stehen keine Daten (Profil „{self.name}“).", zeile=int(lines[head]))
        body, body_typed = cells.iloc[rows].reset_index(drop=True), typed.iloc[rows].reset_index(drop=True)
        base = pd.DataFrame(index=body.index)
        base_typed = pd.DataFrame(index=body.index)
        for target, heading in self.spalten.items():
            column = position[_key(heading)]
            base[target], base_typed[target] = body[column], body_typed[column]
        for target, value in self.fest.items():
            base[target], base_typed[target] = str(value), False
        base["zeile"] = lines[rows]
        if self.breit_feld:
            base, base_typed = self._lang(body, body_typed, base, base_typed, cells.iloc[head], head, lines, name)
        for target in FELDER:
            if target not in base:
                base[target], base_typed[target] = "", False
        frame = base[[*FELDER, "zeile"]].reset_index(drop=True)
        return Table(name, frame, zellen.delimiter, [], zellen.kodierung,
                     base_typed[list(FELDER)].reset_index(drop=True).astype(bool))

    def _kopfzeile(self, cells: pd.DataFrame, lines: np.ndarray, name: str) -> int:
        if self.kopfzeile is not None:
            found = np.flatnonzero(lines == self.kopfzeile)
            if found.size == 0:
                raise befund(name, f"Die Kopfzeile {self.kopfzeile} des Profils „{self.name}“ gibt es in der Datei "
                                   "nicht.", feld="kopfzeile")
            return int(found[0])
        head = genesis.kopfzeile_finden(cells, [h for h in self.spalten.values() if isinstance(h, str)])
        if head is None:
            raise befund(name, f"Keine Zeile der Datei enthält alle Spalten des Profils „{self.name}“ "
                               f"({', '.join(str(v) for v in self.spalten.values())}). Ist es die Datei dieser Quelle?")
        return head

    def _lang(self, body, body_typed, base, base_typed, heading_row, head, lines, name):
        """Wide to long: one row per data row and period column."""
        wanted = ({genesis.normalise(h) for h in self.breit_spalten} if self.breit_spalten else None)
        periods = []
        for column, heading in heading_row.items():
            if heading == "" or (wanted is not None and genesis.normalise(heading) not in wanted):
                continue
            period = genesis.zeitraum_aus_text(heading, self.breit_zeitraum)
            if period is None and wanted is not None:
                raise befund(name, f"Die Spalte „{heading}“ ist kein Zeitraum (erkannt werden z. B. 2023, 2023-03, "
                                   "März 2023, 31.12.2023).", zeile=int(lines[head]), feld=heading)
            if period is not None:
                periods.append((column, period))
        if not periods:
            raise befund(name, f"Das Profil „{self.name}“ erwartet Spalten je Zeitraum (breit), die Kopfzeile hat "
                               "keine.", zeile=int(lines[head]))
        frames, typed = [], []
        for column, period in periods:
            frames.append(base.assign(**{self.breit_feld: body[column], "zeitraum": period}))
            typed.append(base_typed.assign(**{self.breit_feld: body_typed[column], "zeitraum": False}))
        return pd.concat(frames, ignore_index=True), pd.concat(typed, ignore_index=True)

    def als_toml(self) -> str:
        """The profile as the TOML file it is saved as."""
        lines = [f"name = {_toml(self.name)}", f"beschreibung = {_toml(self.beschreibung)}"]
        if self.blatt:
            lines.append(f"blatt = {_toml(self.blatt)}")
        if self.kopfzeile:
            lines.append(f"kopfzeile = {int(self.kopfzeile)}")
        lines += ["", "[spalten]", *(f"{k} = {v if isinstance(v, int) else _toml(v)}" for k, v in self.spalten.items())]
        lines += ["", "[fest]", *(f"{k} = {_toml(v)}" for k, v in self.fest.items())]
        if self.breit_feld:
            lines += ["", "[breit]", f"feld = {_toml(self.breit_feld)}"]
            if self.breit_spalten:
                lines.append(f"spalten = [{', '.join(_toml(s) for s in self.breit_spalten)}]")
            if self.breit_zeitraum:
                lines.append(f"zeitraum = {_toml(self.breit_zeitraum)}")
        return "\n".join(lines) + "\n"


def _key(heading: str | int) -> str | int:
    """How a column of [spalten] is looked up: by its number, or by its heading as a person types it."""
    return heading if isinstance(heading, int) else genesis.normalise(heading)


def _toml(text: str) -> str:
    """A TOML basic string (quotes, backslashes and control characters escaped)."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group(0)):04x}", escaped) + '"'


def aus_toml(text: str, name: str) -> Profil:
    """A profile from its TOML text; every mistake is a German finding naming the key."""
    try:
        spec = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise befund(name, f"Die Profildatei ist fehlerhaft: {exc}") from exc
    befunde = [Befund(name, None, key, "Unbekannter Schlüssel.") for key in sorted(set(spec) - SCHLUESSEL)]
    spalten, fest, breit = spec.get("spalten", {}), spec.get("fest", {}), spec.get("breit", {})
    for section, value in (("spalten", spalten), ("fest", fest), ("breit", breit)):
        if not isinstance(value, dict):
            befunde.append(Befund(name, None, section, "Erwartet wird eine Tabelle [" + section + "]."))
    if befunde:
        raise EingabeFehler(befunde)
    for key in sorted((set(spalten) | set(fest)) - set(FELDER)):
        befunde.append(Befund(name, None, key, f"Unbekanntes Feld (erlaubt: {', '.join(FELDER)})."))
    for key in sorted(set(spalten) & set(fest)):
        befunde.append(Befund(name, None, key, "Das Feld ist zugleich Spalte und fester Wert."))
    feld = breit.get("feld")
    if breit and feld not in ZAHLFELDER:
        befunde.append(Befund(name, None, "breit.feld", "Erwartet wird zaehler, nenner oder wert."))
    if breit.get("zeitraum") not in (None, "jahr", "monat"):
        befunde.append(Befund(name, None, "breit.zeitraum", "Erlaubt sind „jahr“ und „monat“."))
    provided = set(spalten) | set(fest) | ({feld, "zeitraum"} if breit else set())
    for needed in ("gebiet", "indikator", "zeitraum"):
        if needed not in provided:
            befunde.append(Befund(name, None, needed, "Das Profil sagt nicht, woher dieses Feld kommt "
                                                      "([spalten] oder [fest])."))
    if not provided & set(ZAHLFELDER):
        befunde.append(Befund(name, None, "spalten", "Das Profil nennt keine Zahlenspalte (zaehler, nenner, wert)."))
    kopfzeile = spec.get("kopfzeile")
    if kopfzeile is not None and (not isinstance(kopfzeile, int) or kopfzeile < 1):
        befunde.append(Befund(name, None, "kopfzeile", "Erwartet wird eine Zeilennummer ab 1."))
    if not NAME_MUSTER.match(str(spec.get("name", ""))):
        befunde.append(Befund(name, None, "name", "Erwartet wird ein Name aus Kleinbuchstaben, Ziffern, - und _."))
    if befunde:
        raise EingabeFehler(befunde)
    for key, value in spalten.items():
        if isinstance(value, bool) or not isinstance(value, (str, int)) or (isinstance(value, int) and value < 1):
            befunde.append(Befund(name, None, f"spalten.{key}", "Erwartet wird die Überschrift der Spalte oder ihre "
                                                                "Nummer (1 = Spalte A)."))
    if befunde:
        raise EingabeFehler(befunde)
    return Profil(name=spec["name"], spalten={k: v if isinstance(v, int) else str(v) for k, v in spalten.items()},
                  fest={k: str(v) for k, v in fest.items()}, beschreibung=str(spec.get("beschreibung", "")),
                  blatt=spec.get("blatt"), kopfzeile=kopfzeile, breit_feld=feld,
                  breit_spalten=[str(s) for s in breit["spalten"]] if breit.get("spalten") else None,
                  breit_zeitraum=breit.get("zeitraum"))


def ordner(database_folder: Path | None, beispiele: Path | None = None) -> list[Path]:
    """Where profiles are looked up: beside the database first, then the project's examples (the folder the caller
    names, usually daten.config.DATA_DIR / ORDNER; a reader does not know where the database or the project lives)."""
    folders = [Path(database_folder) / ORDNER] if database_folder else []
    return folders + ([Path(beispiele)] if beispiele else [])


def namen(database_folder: Path | None, beispiele: Path | None = None) -> list[str]:
    """Every profile name available for this database, sorted."""
    return sorted({path.stem for folder in ordner(database_folder, beispiele) if folder.is_dir()
                   for path in folder.glob("*.toml")})


def laden(name: str, database_folder: Path | None, beispiele: Path | None = None) -> Profil:
    """The profile of that name; a German refusal naming the profiles there are."""
    where = f"Profil „{name}“"
    if not NAME_MUSTER.match(name or ""):
        raise befund(where, "Ein Profilname besteht aus Kleinbuchstaben, Ziffern, - und _.", feld="--profil")
    for folder in ordner(database_folder, beispiele):
        path = folder / f"{name}.toml"
        if path.is_file():
            profil = aus_toml(path.read_text(encoding="utf-8"), path.name)
            if profil.name != name:
                raise befund(path.name, f"Die Datei heißt {name}.toml, das Profil darin „{profil.name}“.",
                             feld="name")
            return profil
    known = namen(database_folder)
    raise befund(where, "Dieses Importprofil gibt es nicht. " + (
        f"Vorhanden: {', '.join(known)}." if known else "Es gibt noch keines (Seite „Daten“: Spalten zuordnen)."),
        feld="--profil")


def speichern(profil: Profil, database_folder: Path) -> Path:
    """Write the profile beside the database (replacing one of the same name); returns its path. The text is
    checked by reading it back first, so a saved profile always loads."""
    text = profil.als_toml()
    aus_toml(text, f"{profil.name}.toml")
    folder = Path(database_folder) / ORDNER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{profil.name}.toml"
    partial = path.with_name(path.name + ".teil")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
    return path


# ---------------------------------------------------------------- for the mapping step on the page "Daten"

def rohansicht(data: bytes, name: str, blatt: str | None = None, zeilen: int = 20) -> pd.DataFrame:
    """The first rows of a file as they are, for a person to see where the headings and the data are: one column
    per file column (A, B, C …), index = line (CSV) or row (Excel) number."""
    zellen = lese_zellen(data, name, blatt)
    shown = zellen.cells.head(zeilen)
    shown = shown.loc[:, (shown != "").any(axis=0)] if not shown.empty else shown
    shown.columns = [_spaltenname(int(c)) for c in shown.columns]
    shown.index = pd.Index(zellen.lines[:len(shown)], name="Zeile")
    return shown


def _spaltenname(position: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel names columns)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def kopfzeile_vorschlag(data: bytes, name: str, blatt: str | None = None) -> int:
    """The line of the likely heading row: the first of the first 100 rows that is at least half as full as the
    fullest and holds text, not numbers (a title block above has one filled cell per row; data rows hold numbers)."""
    zellen = lese_zellen(data, name, blatt)
    head = zellen.cells.head(100)
    filled = head.ne("").sum(axis=1).to_numpy()
    if filled.size == 0 or filled.max() == 0:
        return 1
    numeric = head.apply(lambda column: column.str.fullmatch(r"[\d.,\s%*/()+-]+", na=False)).sum(axis=1).to_numpy()
    candidates = np.flatnonzero((filled >= max(2, filled.max() / 2)) & (numeric * 2 < filled))
    position = int(candidates[0]) if candidates.size else int(np.argmax(filled))
    return int(zellen.lines[position])


def ueberschriften(data: bytes, name: str, blatt: str | None, kopfzeile: int) -> dict[str, str | int]:
    """The columns to map onto the interchange fields, label → what the profile stores: the heading in the row at
    line kopfzeile, or for a column without one (GENESIS leaves the key column blank) 'Spalte B' → 2."""
    zellen = lese_zellen(data, name, blatt)
    found = np.flatnonzero(zellen.lines == kopfzeile)
    if found.size == 0:
        return {}
    head = int(found[0])
    used = zellen.cells.iloc[head:head + 100].ne("").any(axis=0)
    columns = {}
    for position, heading in enumerate(zellen.cells.iloc[head]):
        if heading != "":
            columns.setdefault(heading, heading)
        elif used.iloc[position]:
            columns[f"Spalte {_spaltenname(position)} (ohne Überschrift)"] = position + 1
    return columns
