"""Import profiles: how a file in another layout (a BA or GENESIS table with a header block and footnotes, a sheet
among several, years or months as columns) maps onto the interchange columns of observations, saved as TOML under a
name so next year's file of the same source imports in one step (page "Daten" and `import observations --profil
NAME`).

A profile, e.g. `profile/ba-sgb2.toml` beside the database:

    name = "ba-sgb2"
    beschreibung = "BA, Kinder in Bedarfsgemeinschaften, Kreisreport (Excel)"
    blatt = "Gemeinden"          # optional: the worksheet (default: the first)
    kopfzeile = 6                # optional: line/row of the (last) column headings (default: the first heading
                                 # block holding them; rows of headings above it are read with it, einlesen.kopfblock)
    nummern = "STGT##"           # optional: the file's own area numbers → codes (1 → STGT01); never Länder/Kreise

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

    [filter]                     # optional: only the rows whose column holds one of the values (long tables)
    Altersgruppe = "Insgesamt"   # a column by heading or path, or without heading "Spalte C" = ["Insgesamt"]

A column named by heading is found in the heading block as its whole path („Insgesamt › Altersgruppen › Insgesamt“),
its path without rows that tell no column apart, or the end of its path; a name that fits several columns is refused
naming them all (kopfblock.py). Applied in one order, as sdg-build's InputBase.alter_data does for every input:
sheet → heading block → data rows (footnotes out, genesis.py; a repeated heading row refused) → column map → row
filter → fixed values → own numbers → wide to long. The result is a Table with the interchange
columns, so every check of the interchange format applies unchanged."""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sozialmonitor import klartext
from sozialmonitor.einlesen import genesis, kopfblock
from sozialmonitor.einlesen.befunde import befund, toml_befund
from sozialmonitor.einlesen.tabelle import Table, lese_zellen
from sozialmonitor.errors import Befund, EingabeFehler
from sozialmonitor.fmt import zahl

# name: the area's name as the file writes it – not stored, only compared with the register's (schluessel)
FELDER = ("gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert", "quelle", "name")
ZAHLFELDER = ("zaehler", "nenner", "wert")
ORDNER = "profile"  # beside the database; the project's own examples are in data/profile/
NAME_MUSTER = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
SCHLUESSEL = {"name", "beschreibung", "blatt", "kopfzeile", "spalten", "fest", "breit", "filter", "nummern"}
NUMMERN_MUSTER = re.compile(r"^[^#]*#+[^#]*$")


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
    filter: dict[str, list[str]] = field(default_factory=dict)  # column (heading or "Spalte C") → values kept
    nummern: str | None = None  # the file's own area numbers → codes: "STGT##" makes 1 the code STGT01

    def tabelle(self, data: bytes, name: str) -> Table:
        """The file read with this profile → a Table with the interchange columns (one row per area and period)
        and the file line of each, plus findings for what the profile names but the file lacks. The headings are
        read as a block of rows (einlesen.kopfblock): a column named in [spalten] or [filter] is found by its whole
        path, its path without rows that tell no column apart, or the end of its path – a name that fits several
        columns is refused naming them all. Rows are kept where [filter] says; a Stichtag 31.12.JJJJ is the year."""
        zellen = lese_zellen(data, name, self.blatt)
        cells, lines = zellen.cells, zellen.lines
        typed = zellen.typisiert if zellen.typisiert is not None else pd.DataFrame(False, index=cells.index,
                                                                                   columns=cells.columns)
        kopf = self._kopf(zellen, name)
        head = kopf.letzte
        position, befunde = {}, []
        for wo, angabe in [*(("spalten", v) for v in self.spalten.values()),
                           *(("filter", k) for k in self.filter)]:
            spalte, problem = _spalte_finden(kopf, angabe, cells.shape[1])
            if problem:
                befunde.append(Befund(name, int(lines[head]), f"{wo}: {angabe}", f"{problem} (Profil „{self.name}“)."))
            else:
                position[_key(angabe)] = spalte
        if befunde:
            raise EingabeFehler(befunde)
        rows = genesis.datenzeilen(cells, head)
        rows, repeated = _ohne_wiederholte_kopfzeile(cells, rows, head)
        if repeated is not None:
            raise befund(name, f"Die Zeile wiederholt die Überschriften aus Zeile {int(lines[head])} – hier beginnt "
                               "wohl eine zweite, angehängte Tabelle (zwei Exporte hintereinander). Bitte die zweite "
                               "Kopfzeile löschen oder die Dateien einzeln importieren.",
                         zeile=int(lines[repeated]))
        if "gebiet" in self.spalten:  # rows right below the headings without an area: units, second heading row
            area = cells.iloc[rows, position[_key(self.spalten["gebiet"])]].to_numpy()
            first = int(np.argmax(area != "")) if (area != "").any() else len(rows)
            rows = rows[first:]
        rows = self._gefiltert(cells, rows, position, kopf)
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
        if self.nummern and "gebiet" in base:
            base["gebiet"] = nummern_umsetzen(base["gebiet"], self.nummern, name)
        base["zeile"] = lines[rows]
        if self.breit_feld:
            leaves = pd.Series([p[-1] if p else "" for p in kopf.pfade], index=cells.columns)
            base, base_typed = self._lang(body, body_typed, base, base_typed, leaves, head, lines, name)
        for target in FELDER:
            if target not in base:
                base[target], base_typed[target] = "", False
        frame = base[[*FELDER, "zeile"]].reset_index(drop=True)
        return Table(name, frame, zellen.delimiter, [], zellen.kodierung,
                     base_typed[list(FELDER)].reset_index(drop=True).astype(bool))

    def _kopf(self, zellen, name: str) -> kopfblock.Kopf:
        """The heading block: ending at the profile's kopfzeile (its last heading row), else the first block in
        which every column the profile names by heading is found."""
        cells = kopfblock.zellen_mit_verbundenen(zellen.cells, zellen.verbunden)
        excel = zellen.verbunden is not None
        if self.kopfzeile is not None:
            found = np.flatnonzero(zellen.lines == self.kopfzeile)
            if found.size == 0:
                raise befund(name, f"Die Kopfzeile {self.kopfzeile} des Profils „{self.name}“ gibt es in der Datei "
                                   "nicht.", feld="kopfzeile")
            return kopfblock.lesen(cells, kopfblock.block_bis(cells, int(found[0])), excel)
        namen = [h for h in [*self.spalten.values(), *self.filter] if isinstance(h, str) and not _spaltennummer(h)]
        kopf = kopfblock.finden(cells, namen, excel)
        if kopf is None:
            raise befund(name, f"Keine Zeile der Datei enthält alle Spalten des Profils „{self.name}“ "
                               f"({', '.join(str(v) for v in self.spalten.values())}). Ist es die Datei dieser Quelle?")
        return kopf

    def _gefiltert(self, cells: pd.DataFrame, rows: np.ndarray, position: dict, kopf) -> np.ndarray:
        """The rows the [filter] keeps (every named column holds one of its values), with a note how many it left
        out and why."""
        if not self.filter or rows.size == 0:
            return rows
        keep = np.ones(rows.size, dtype=bool)
        for angabe, values in self.filter.items():
            wanted = {genesis.normalise(v) for v in values}
            column = cells.iloc[rows, position[_key(angabe)]].map(genesis.normalise).to_numpy()
            keep &= np.isin(column, list(wanted))
        if (~keep).any():
            bedingung = "; ".join(f"{k} = {' oder '.join(v)}" for k, v in self.filter.items())
            klartext.notieren([f"Zeilenfilter des Profils „{self.name}“ ({bedingung}): {zahl(int(keep.sum()))} von "
                               f"{zahl(rows.size)} Datenzeilen übernommen, {zahl(int((~keep).sum()))} ausgelassen."])
        return rows[keep]

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
        if self.nummern:
            lines.insert(2, f"nummern = {_toml(self.nummern)}")
        lines += ["", "[fest]", *(f"{k} = {_toml(v)}" for k, v in self.fest.items())]
        if self.filter:
            lines += ["", "[filter]", *(f"{_toml(k)} = [{', '.join(_toml(v) for v in values)}]"
                                        for k, values in self.filter.items())]
        if self.breit_feld:
            lines += ["", "[breit]", f"feld = {_toml(self.breit_feld)}"]
            if self.breit_spalten:
                lines.append(f"spalten = [{', '.join(_toml(s) for s in self.breit_spalten)}]")
            if self.breit_zeitraum:
                lines.append(f"zeitraum = {_toml(self.breit_zeitraum)}")
        return "\n".join(lines) + "\n"


def _key(heading: str | int) -> str | int:
    """How a column of [spalten] or [filter] is looked up: by its number (3, "3" or "Spalte C"), or by its heading
    as a person types it."""
    if isinstance(heading, int):
        return heading
    number = _spaltennummer(heading)
    return number if number is not None else genesis.normalise(heading)


def _spaltennummer(text: str) -> int | None:
    """A column given by number in a text, as the mapping step names a column without heading: "Spalte C" or
    "Spalte 3" (also "Spalte C (ohne Überschrift)") → 3; else None (a heading "2019" is a heading)."""
    found = re.fullmatch(r"\s*spalte\s+([a-z]{1,3}|\d{1,4})\s*(?:\(ohne überschrift\))?\s*", str(text), re.IGNORECASE)
    if not found:
        return None
    token = found[1]
    if token.isdigit():
        return int(token) if int(token) >= 1 else None
    number = 0
    for letter in token.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _spalte_finden(kopf: kopfblock.Kopf, angabe: str | int, breite: int) -> tuple[int | None, str | None]:
    """The 0-based column an entry of [spalten]/[filter] names, or a German problem: not there, or several columns
    fit (each named by its column letter and whole path)."""
    key = _key(angabe)
    if isinstance(key, int):
        return (key - 1, None) if key <= breite else (None, f"Die Spalte {key} gibt es nicht (die Datei hat "
                                                              f"{breite} Spalten)")
    columns, _ = kopf.finden(angabe)
    if not columns:
        vorhanden = [f"„{kopf.text(c)}“" for c in range(len(kopf.pfade)) if kopf.pfade[c]]
        return None, (f"Die Spalte „{angabe}“ gibt es in den Überschriften nicht. Vorhanden: "
                      + ", ".join(vorhanden[:60]) + (" …" if len(vorhanden) > 60 else ""))
    if len(columns) > 1:
        listed = "; ".join(f"Spalte {_spaltenname(c)} „{kopf.text(c)}“" for c in columns)
        return None, (f"„{angabe}“ passt zu {len(columns)} Spalten: {listed}. Bitte im Profil den ganzen Pfad der "
                      f"gemeinten Spalte angeben (z. B. „{kopf.text(columns[0])}“) oder ihre Nummer")
    return columns[0], None


def _ohne_wiederholte_kopfzeile(cells: pd.DataFrame, rows: np.ndarray, head: int) -> tuple[np.ndarray, int | None]:
    """The data rows, and the position of the first row that repeats the last heading row (two exports joined),
    or None."""
    heading = [genesis.normalise(c) for c in cells.iloc[head]]
    if sum(h != "" for h in heading) < 2 or rows.size == 0:
        return rows, None
    normalised = cells.iloc[rows].apply(lambda column: column.map(genesis.normalise))
    same = (normalised == pd.Series(heading, index=cells.columns)).all(axis=1).to_numpy()
    return rows, (int(rows[np.argmax(same)]) if same.any() else None)


def nummern_umsetzen(codes: pd.Series, muster: str, datei: str) -> pd.Series:
    """A file's own area numbers → the codes of the areas, by the pattern a planner declares (profile key nummern,
    --nummern): each run of # is filled with the number, with leading zeros ("STGT##": 1 → STGT01, 11 → STGT11).
    Only cells of digits are numbers; anything else stays as written. The import report says what was done."""
    run = re.search(r"#+", muster)
    digits = codes.str.fullmatch(r"\d+", na=False)
    if not digits.any():
        return codes
    width = len(run.group(0))
    converted = codes.where(~digits, muster[:run.start()] + codes.str.lstrip("0").replace("", "0").str.zfill(width)
                            + muster[run.end():])
    examples = [f"{a} → {b}" for a, b in zip(codes[digits].head(3), converted[digits].head(3))]
    klartext.notieren([f"{datei}: eigene Nummern nach dem Muster „{muster}“ umgesetzt: {zahl(int(digits.sum()))} "
                       f"({'; '.join(examples)}{' …' if digits.sum() > 3 else ''})."])
    return converted


def _toml(text: str) -> str:
    """A TOML basic string (quotes, backslashes and control characters escaped)."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group(0)):04x}", escaped) + '"'


def aus_toml(text: str, name: str) -> Profil:
    """A profile from its TOML text; every mistake is a German finding naming the key."""
    try:
        spec = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_befund(name, exc, "Die Profildatei") from exc
    befunde = [Befund(name, None, key, "Unbekannter Schlüssel.") for key in sorted(set(spec) - SCHLUESSEL)]
    spalten, fest, breit = spec.get("spalten", {}), spec.get("fest", {}), spec.get("breit", {})
    zeilenfilter = spec.get("filter", {})
    for section, value in (("spalten", spalten), ("fest", fest), ("breit", breit), ("filter", zeilenfilter)):
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
    nummern = spec.get("nummern")
    if nummern is not None and (not isinstance(nummern, str) or not NUMMERN_MUSTER.match(nummern)):
        befunde.append(Befund(name, None, "nummern", "Erwartet wird ein Muster mit einer Folge von # für die Ziffern, "
                                                     "z. B. „STGT##“ (1 → STGT01)."))
    for key, value in zeilenfilter.items():
        values = value if isinstance(value, list) else [value]
        if not values or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
            befunde.append(Befund(name, None, f"filter.{key}", "Erwartet wird der Wert (Text) oder eine Liste von "
                                                               "Werten, z. B. Altersgruppe = \"Insgesamt\"."))
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
                  breit_zeitraum=breit.get("zeitraum"), nummern=nummern,
                  filter={str(k): [str(v) for v in (value if isinstance(value, list) else [value])]
                          for k, value in zeilenfilter.items()})


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


def kopfzeile_vorschlag(data: bytes, name: str, blatt: str | None = None) -> int | None:
    """The line of the likely last heading row (kopfblock.vorschlag): the first of the first 100 rows that is at
    least half as full as the fullest and holds headings (no numbers, no symbols), and the heading rows right below
    it – so a GENESIS table with three heading rows gives the third. None where no row holds headings (a file of
    data only): the page then asks instead of suggesting a data row."""
    zellen = lese_zellen(data, name, blatt)
    cells = kopfblock.zellen_mit_verbundenen(zellen.cells, zellen.verbunden)
    position = kopfblock.vorschlag(cells, zellen.verbunden is not None)
    return None if position is None else int(zellen.lines[position])


def ueberschriften(data: bytes, name: str, blatt: str | None, kopfzeile: int) -> dict[str, str | int]:
    """The columns to map onto the interchange fields, label → what the profile stores. The heading block ending
    at line kopfzeile is read as paths (kopfblock): a column is shown and saved by its whole path („Insgesamt ›
    Altersgruppen (unter 3 bis 75 u.m.) › Insgesamt“); a column without any heading (GENESIS leaves the key column
    blank) as 'Spalte B (ohne Überschrift)' → 2, and a path two columns share as 'Spalte AL: …' → its number."""
    zellen = lese_zellen(data, name, blatt)
    found = np.flatnonzero(zellen.lines == kopfzeile)
    if found.size == 0:
        return {}
    head = int(found[0])
    cells = kopfblock.zellen_mit_verbundenen(zellen.cells, zellen.verbunden)
    kopf = kopfblock.lesen(cells, kopfblock.block_bis(cells, head), zellen.verbunden is not None)
    used = zellen.cells.iloc[head:head + 100].ne("").any(axis=0)
    texts = [kopf.text(position) for position in range(len(kopf.pfade))]
    columns = {}
    for position, text in enumerate(texts):
        if text and texts.count(text) == 1:
            columns[text] = text
        elif text:
            columns[f"Spalte {_spaltenname(position)}: {text}"] = position + 1
        elif used.iloc[position]:
            columns[f"Spalte {_spaltenname(position)} (ohne Überschrift)"] = position + 1
    return columns
