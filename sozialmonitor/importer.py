"""The single write path: parse → validate → report what would change → commit in one transaction.

The app holds the published database open read-only, and DuckDB lets no other process write to it meanwhile.
So every write goes to a working copy of the file, and a successful import publishes it with an atomic rename;
readers notice the new file version and reopen. A refused import removes the copy: the database is untouched.

Nothing is lost: every import is a batch (file name, sha256, row counts, time, user) whose original file is
archived next to the database; rows a batch replaces move to the *_historie tables, so undo() restores the exact
previous state and state_at() can show any earlier one."""

import fcntl
import getpass
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import shapely

from sozialmonitor import abhaengigkeiten, ablage, einlesen, fmt, geo, klartext, protokoll, zugang
from sozialmonitor.einlesen import grenzen, profile, register, schluessel
from sozialmonitor.einlesen.zahlen import KENNZEICHEN_TEXT
from sozialmonitor.db import CATALOG, SCHEMA_VERSION, ensure_schema, materialise_values, open_database
from sozialmonitor.errors import Befund, DatenbankFehler, EingabeFehler, SozialmonitorFehler
from sozialmonitor.fmt import STATUS_TEXT, anzahl, zahl
from sozialmonitor.statistik import gebietsstand
from sozialmonitor.targets import parse_targets

OBSERVATION_KEY = einlesen.OBSERVATION_KEY
PARENT_BY_LEVEL = {"gemeinde": 5, "kreis": 2}  # an AGS's parent is its prefix of this length
READ_ONLY_SETTING = "SOZIALMONITOR_NUR_LESEN"  # =1: the app shows data but offers no import or undo
ARCHIVE_FOLDER = "archiv"

# Every table a batch writes, with its key. SQL below names tables and columns only from this constant (never
# from input), so composing those identifiers is safe; values always travel as $parameters or registered frames.
VERSIONED_TABLES = {
    "gebiete": ["code"],
    "geometrien": ["gebiet"],
    "zuordnung": ["gemeinde"],
    "indikatoren": ["id"],
    "beobachtungen": OBSERVATION_KEY,
    "ziele": ["id"],
}
KIND_NAMES = {"beobachtungen": "Beobachtungen", "gebiete": "Gebiete", "grenzen": "Grenzen",
              "zuordnung": "Sozialraum-Zuordnung", "indikatoren": "Indikatoren", "ziele": "Ziele",
              "rueckgaengig": "Rückgängig"}

# What one line of a file is, where "28 neu" alone would leave it open (a membership file also creates Sozialräume)
RECORD_NOUNS = {"zuordnung": ("Zuordnung", "Zuordnungen")}

FIELD_LABELS = {"original_wkb": "Grenze", "uebergeordnet": "übergeordnet", "sozialraum": "Sozialraum",
                "name": "Name", "ebene": "Ebene", "einheit": "Einheit", "art": "Art",
                "nachkommastellen": "Nachkommastellen"}

Progress = Callable[[float, str], None]


@dataclass
class Ergebnis:
    """What an import did (or, with dry_run, would do). neu/geaendert/unveraendert count the file's own records;
    a membership file also creates or changes the Sozialräume it names (sozialraeume_*). aenderungen: one row per
    incoming record (and Sozialraum) with the key columns, the new and the old values (alt_*), 'aenderung'
    (neu/geaendert/unveraendert) and 'zeile'."""

    art: str
    datei: str
    zeilen: int = 0
    neu: int = 0
    geaendert: int = 0
    unveraendert: int = 0
    import_id: int | None = None
    bereits_importiert: bool = False
    trockenlauf: bool = False
    aenderungen: pd.DataFrame | None = field(default=None, repr=False)
    schluessel: list[str] = field(default_factory=list, repr=False)
    felder: list[str] = field(default_factory=list, repr=False)
    sozialraeume_neu: int = 0
    sozialraeume_geaendert: int = 0
    hinweise: list[str] = field(default_factory=list, repr=False)  # what the import converted, added or left out
    kodierung: str = ""  # the encoding a text file was read in, for the preview ("Windows-1252 (ANSI)")
    profil: str | None = None  # the import profile the file was read with

    def zusammenfassung(self) -> str:
        if self.bereits_importiert:
            return (f"{self.datei}: Diese Datei wurde bereits importiert (Import {self.import_id}); "
                    "nichts geändert.")
        verb = "würde übernehmen" if self.trockenlauf else f"übernommen als Import {self.import_id}"
        noun = RECORD_NOUNS.get(self.art)
        counts = [f"{anzahl(self.neu, *noun) if noun else zahl(self.neu)} neu", f"{zahl(self.geaendert)} geändert",
                  f"{zahl(self.unveraendert)} unverändert"]
        sozialraeume = [f"{anzahl(n, 'Sozialraum', 'Sozialräume')} {change}" for n, change in (
            (self.sozialraeume_neu, "neu" if self.trockenlauf else "angelegt"),
            (self.sozialraeume_geaendert, "geändert")) if n]
        text = f"{self.datei}: {anzahl(self.zeilen, 'Zeile', 'Zeilen')} geprüft, {verb}: {', '.join(counts)}"
        if sozialraeume:
            text += "; " + ", ".join(sozialraeume)
        return text + "." + "".join(f"\nHinweis: {hinweis}" for hinweis in self.hinweise)

    def vorschau_anzahl(self, aenderung: str) -> int:
        """Rows of one kind of change in the preview: the file's records and the Sozialräume a membership file
        names. vorschau_anzahl('geaendert') is what a user has to agree to replace."""
        return 0 if self.aenderungen is None else int(self.aenderungen["aenderung"].eq(aenderung).sum())

    def vorschau(self, aenderung: str, limit: int = 1000) -> pd.DataFrame:
        """Rows of one kind of change for a person to read: Zeile, Schlüssel, bisher, neu."""
        if self.aenderungen is None:
            return pd.DataFrame(columns=["Zeile", "Schlüssel", "bisher", "neu"])
        rows = self.aenderungen[self.aenderungen["aenderung"].eq(aenderung)].head(limit)
        return pd.DataFrame({
            "Zeile": rows["zeile"].astype("Int64"),
            "Schlüssel": ["/".join(str(getattr(r, k)) for k in self.schluessel)
                          for r in rows.itertuples(index=False)],
            "bisher": [_describe_fields(r, self.felder, "alt_") if aenderung != "neu" else ""
                       for r in rows.itertuples(index=False)],
            "neu": [_describe_fields(r, self.felder, "") for r in rows.itertuples(index=False)],
        })

    def konflikte(self) -> list[Befund]:
        """Changed rows as findings (old → new), for a refusal without --replace."""
        rows = self.aenderungen[self.aenderungen["aenderung"].eq("geaendert")]
        return [Befund(self.datei, int(r.zeile) if pd.notna(r.zeile) else None, None,
                       f"Konflikt: {'/'.join(str(getattr(r, k)) for k in self.schluessel)} ist schon gespeichert: "
                       f"{_describe_fields(r, self.felder, 'alt_')} → {_describe_fields(r, self.felder, '')}. "
                       "Nur mit „Ersetzen“ (--replace) übernehmen.")
                for r in rows.head(einlesen.MAX_BEFUNDE).itertuples(index=False)]


def _number(value: float) -> str:
    return zahl(value) if float(value).is_integer() else zahl(value, 2)


def _describe_fields(row, fields: list[str], prefix: str) -> str:
    """Values of a row in German: 'Wert 6,5 (Zähler 13, Nenner 200)' for observations, 'name: Adorf' otherwise."""
    if "status" in fields:
        status, value = getattr(row, prefix + "status"), getattr(row, prefix + "wert")
        if status != "ok":
            return STATUS_TEXT.get(status, status)
        text = "leer" if pd.isna(value) else _number(value)
        counts = [(label, getattr(row, prefix + name)) for label, name in (("Zähler", "zaehler"),
                                                                             ("Nenner", "nenner"))]
        shown = [f"{label} {_number(v)}" for label, v in counts if pd.notna(v)]
        flags = getattr(row, prefix + "kennzeichen", None)
        if isinstance(flags, str) and flags:
            shown.append(", ".join(KENNZEICHEN_TEXT.get(flag, flag) for flag in flags.split(",")))
        return text + (f" ({', '.join(shown)})" if shown else "")
    parts = []
    for name in fields:
        value = getattr(row, prefix + name)
        if isinstance(value, (bytes, bytearray)):
            value = f"Fläche mit {zahl(shapely.get_num_coordinates(shapely.from_wkb(bytes(value))))} Punkten"
        if not (pd.api.types.is_scalar(value) and pd.isna(value)):
            parts.append(f"{FIELD_LABELS.get(name, name)}: {value}")
    return ", ".join(parts) or "–"


# ---------------------------------------------------------------- working copy, batches, archive

@contextmanager
def working_copy(db_path: Path, publish: bool = True):
    """A read-write connection to a copy of the database; published by atomic, durable rename when the block
    succeeds, with the published file's mode and group. A lock file keeps two imports (command line and page) from
    publishing over each other; whoever takes it first removes what killed imports left behind. A full disk or a
    folder without write permission: DatenbankFehler in German, the database and archive as they were."""
    db_path = Path(db_path)
    archived_before = _archived(db_path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with _import_lock(db_path):
            ablage.reste_entfernen(db_path, ARCHIVE_FOLDER)
            handle, temp_name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
            os.close(handle)
            temp = Path(temp_name)
            try:
                if db_path.exists():
                    shutil.copyfile(db_path, temp)
                else:
                    temp.unlink()
                try:
                    con = open_database(temp, read_only=False)
                except duckdb.IOException:
                    raise
                except duckdb.Error as exc:
                    raise DatenbankFehler(f"Die Datenbank {db_path} lässt sich nicht öffnen ({exc}).") from exc
                try:
                    if publish:
                        _backup_before_migration(con, db_path)
                    ensure_schema(con)
                    yield con
                    if publish:
                        materialise_values(con)
                    con.execute("CHECKPOINT " + CATALOG)
                finally:
                    con.close()
                if publish:
                    ablage.rechte_uebernehmen(temp, db_path)
                    ablage.dauerhaft_ersetzen(temp, db_path)
            finally:
                temp.unlink(missing_ok=True)
                Path(str(temp) + ".wal").unlink(missing_ok=True)
    except ablage.SCHREIBFEHLER as exc:
        _remove_new_archives(db_path, archived_before)
        raise ablage.schreibfehler(exc, db_path) from exc
    except BaseException:
        _remove_new_archives(db_path, archived_before)
        raise


def _archived(db_path: Path) -> set[Path]:
    folder = db_path.parent / ARCHIVE_FOLDER
    return set(folder.iterdir()) if folder.is_dir() else set()


def _remove_new_archives(db_path: Path, before: set[Path]) -> None:
    """A write that failed leaves no archived file behind (the database does not name it)."""
    try:
        for path in _archived(db_path) - before:
            path.unlink(missing_ok=True)
    except OSError:
        pass


BACKUP_FOLDER = "sicherungen"


def _backup_before_migration(con, db_path: Path) -> Path | None:
    """A copy of the published file before a write migrates it to a newer schema (mode and times kept):
    sicherungen/<name>.schema<N>.<time>.duckdb next to the database. None when there is nothing to migrate."""
    try:
        found = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
    except duckdb.Error:
        return None  # a new database
    if found is None or found >= SCHEMA_VERSION or not db_path.exists():
        return None
    folder = db_path.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    target = folder / f"{db_path.stem}.schema{found}.{datetime.now():%Y%m%d-%H%M%S}{db_path.suffix}"
    shutil.copy2(db_path, target)
    return target


@contextmanager
def _import_lock(db_path: Path):
    lock_path = db_path.with_name(db_path.name + ".lock")
    with open(lock_path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise DatenbankFehler("Gerade läuft ein anderer Import in diese Datenbank. Bitte warten und dann "
                                  "noch einmal versuchen.") from exc
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_only() -> bool:
    """The app's setting: with SOZIALMONITOR_NUR_LESEN=1 it shows data but offers no import and no undo."""
    return os.environ.get(READ_ONLY_SETTING, "").strip().lower() in ("1", "ja", "true", "yes")


def _seen_before(con, art: str, data: bytes, name: str, whole_file: bool = True) -> tuple[str, Ergebnis | None]:
    """The file's sha256, and the no-op result if the same file was imported before (and not undone). A batch of
    one part of a file (a GeoPackage layer, named in name) counts only if it had the same name."""
    digest = sha256(data)
    previous = con.execute(
        "SELECT max(import_id) FROM importe WHERE art = $art AND sha256 = $sha AND rueckgaengig_durch IS NULL "
        "AND ($whole_file OR datei = $name)", {"art": art, "sha": digest, "whole_file": whole_file, "name": name},
    ).fetchall()[0][0]
    if previous is None:
        return digest, None
    return digest, Ergebnis(art, name, import_id=previous, bereits_importiert=True)


def _database_folder(con) -> Path | None:
    """The folder of the database file this connection writes (the working copy lies beside the published file)."""
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return Path(path[0][0]).parent if path and path[0][0] else None


def _archive(con, data: bytes, name: str, digest: str) -> str | None:
    """Keep the original file in archiv/ next to the database; returns its path relative to the database folder.
    Named by content, so archiving the same file twice writes it once."""
    folder = _database_folder(con)
    if folder is None or not data:
        return None
    safe_name = re.sub(r"[^\w.\-]+", "_", Path(name).name)[-120:] or "datei"
    relative = Path(ARCHIVE_FOLDER) / f"{digest[:16]}_{safe_name}"
    target = folder / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ablage.TEIL_ENDUNG)
        try:
            with open(partial, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return relative.as_posix()


def _register_batch(con, ergebnis: Ergebnis, digest: str, data: bytes = b"",
                    file_name: str | None = None) -> int:
    """file_name: the archived file's name where the batch is named for a part of it (a GeoPackage layer)."""
    import_id = con.execute("SELECT nextval('import_id_seq')").fetchall()[0][0]
    con.execute(
        "INSERT INTO importe (import_id, art, datei, sha256, zeilen, neu, geaendert, unveraendert, benutzer, "
        "zeitpunkt, archiv) VALUES ($id, $art, $datei, $sha, $zeilen, $neu, $geaendert, $unveraendert, $benutzer, "
        "$zeitpunkt, $archiv)",
        {"id": import_id, "art": ergebnis.art, "datei": ergebnis.datei, "sha": digest, "zeilen": ergebnis.zeilen,
         "neu": ergebnis.neu, "geaendert": ergebnis.geaendert, "unveraendert": ergebnis.unveraendert,
         "benutzer": _user(), "zeitpunkt": datetime.now(),
         "archiv": _archive(con, data, file_name or ergebnis.datei, digest)})
    ergebnis.import_id = import_id
    return import_id


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unbekannt"


def _refuse_if(befunde: list[Befund]) -> None:
    if befunde:
        raise EingabeFehler(sorted(befunde, key=lambda b: (b.zeile is not None, b.zeile or 0)))


@contextmanager
def _transaction(con):
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _parse(parse, data: bytes, name: str):
    """Run a parser on a user's file: whatever goes wrong while reading it is that file's problem, reported in
    German, never a traceback."""
    try:
        return klartext.bereinigt_gelesen(parse(data, name), name)  # control characters out, with a note
    except SozialmonitorFehler:
        raise
    except Exception as exc:  # any library error on unreadable bytes means the same to the user
        raise einlesen.befund(name, f"Die Datei lässt sich nicht lesen ({type(exc).__name__}: {exc}).") from exc


def _step(progress: Progress | None, fraction: float, text: str) -> None:
    if progress is not None:
        progress(fraction, text)


# ---------------------------------------------------------------- versioned writes

@contextmanager
def _registered(con, frame: pd.DataFrame):
    con.register("eingang", frame)
    try:
        yield
    finally:
        con.unregister("eingang")


def _key_match(table: str) -> str:
    return " AND ".join(f"e.{k} = {table}.{k}" for k in VERSIONED_TABLES[table])


def _retire(con, table: str, condition: str, import_id: int) -> None:
    """Move the rows matching condition (a constant SQL predicate) to the table's history, marked as replaced by
    this batch."""
    con.execute(f"INSERT INTO {table}_historie BY NAME SELECT {table}.*, $id AS ersetzt_durch FROM {table} "
                f"WHERE {condition}", {"id": import_id})
    con.execute(f"DELETE FROM {table} WHERE {condition}")


def _replace_rows(con, table: str, incoming: pd.DataFrame, import_id: int) -> None:
    """Incoming rows (the table's columns without import_id) replace the rows with the same key; the replaced
    rows are kept in history."""
    with _registered(con, incoming):
        _retire(con, table, f"EXISTS (SELECT 1 FROM eingang e WHERE {_key_match(table)})", import_id)
        con.execute(f"INSERT INTO {table} BY NAME SELECT e.*, $id AS import_id FROM eingang e", {"id": import_id})


def _diff(con, table: str, incoming: pd.DataFrame, fields: list[str], keep: list[str] = ()) -> pd.DataFrame:
    """Incoming rows with the stored values beside them (alt_*) and 'aenderung': neu, geaendert (any of fields
    differs) or unveraendert. keep: further stored columns to bring along."""
    keys = VERSIONED_TABLES[table]
    old = ", ".join(f"t.{c} AS alt_{c}" for c in [*fields, *keep])
    same = " AND ".join(f"t.{c} IS NOT DISTINCT FROM e.{c}" for c in fields)
    on = " AND ".join(f"t.{k} = e.{k}" for k in keys)
    with _registered(con, incoming):
        return con.execute(f"""
            SELECT e.*, {old},
                   CASE WHEN t.{keys[0]} IS NULL THEN 'neu' WHEN {same} THEN 'unveraendert' ELSE 'geaendert' END
                       AS aenderung
            FROM eingang e LEFT JOIN {table} t ON {on}
            ORDER BY e.zeile""").df()


def _result(art: str, name: str, diff: pd.DataFrame, keys: list[str], fields: list[str],
            dry_run: bool, counted: pd.DataFrame | None = None) -> Ergebnis:
    """counted: the rows that are the file's own records, if diff holds more (a membership file's Sozialräume)."""
    own = diff if counted is None else counted
    counts = own["aenderung"].value_counts()
    return Ergebnis(art, name, zeilen=len(own), neu=int(counts.get("neu", 0)),
                    geaendert=int(counts.get("geaendert", 0)), unveraendert=int(counts.get("unveraendert", 0)),
                    trockenlauf=dry_run, aenderungen=diff, schluessel=keys, felder=fields)


def _decide(ergebnis: Ergebnis, befunde: list[Befund], replace: bool) -> bool:
    """Refuse on findings, and on conflicts unless replacing; True if the batch is to be written."""
    if not ergebnis.trockenlauf and ergebnis.vorschau_anzahl("geaendert") and not replace:
        flagged = {b.zeile for b in befunde}  # a line with errors needs fixing first, not a decision
        befunde = befunde + [k for k in ergebnis.konflikte() if k.zeile is None or k.zeile not in flagged]
    _refuse_if(befunde)
    return not ergebnis.trockenlauf


# ---------------------------------------------------------------- observations

def validate_observations(con, rows: pd.DataFrame, name: str, predecessors: bool = False,
                          ) -> tuple[pd.DataFrame, list[Befund]]:
    """Check rows against the catalogue and areas; compute each quote's value from its counts."""
    befunde: list[Befund] = []
    catalogue = con.execute("SELECT id AS indikator, art, faktor, nachkommastellen FROM indikatoren").df()
    areas = pd.concat([con.execute("SELECT code FROM gebiete").df()["code"], register.register()["code"]])
    successors = _successor_table(con)
    rows = rows.merge(catalogue, on="indikator", how="left")
    befunde += einlesen.findings(name, rows, rows["art"].isna() & rows["indikator"].ne(""), "indikator",
                                lambda r: f"Den Indikator „{r.indikator}“ gibt es nicht im Katalog.")
    unknown = rows[~rows["gebiet"].isin(areas) & rows["gebiet"].ne("")]
    hint = (successors.groupby("vorgaenger")["nachfolger"].agg(lambda s: ", ".join(sorted(set(s)))).to_dict()
            if not predecessors else {})
    befunde += einlesen.findings(name, unknown, slice(None), "gebiet", lambda r: (
        f"Das Gebiet „{r.gebiet}“ ist unbekannt.{schluessel.unbekannt_hinweis(r.gebiet)}" + (
            f" Es ist ein Vorgänger von {hint[r.gebiet]}: Werte nach altem Gebietsstand mit „--vorgaenger“ "
            "(Seite: „Vorgänger-Schlüssel umrechnen“) importieren." if r.gebiet in hint else "")))

    ok = rows["status"].eq("ok")
    has_z, has_n, has_w = rows["zaehler"].notna(), rows["nenner"].notna(), rows["wert"].notna()
    quote = rows["art"].eq("quote")
    befunde += einlesen.findings(name, rows, ok & quote & (has_z ^ has_n), None, lambda r: (
        f"Für eine Quote werden Zähler und Nenner zusammen angegeben (oder nur der Wert); hier fehlt der "
        f"{'Nenner' if pd.isna(r.nenner) else 'Zähler'}."))
    befunde += einlesen.findings(name, rows, ok & ~has_z & ~has_n & ~has_w & rows["art"].notna(), "wert",
                                "Die Zeile hat weder Zähler und Nenner noch einen Wert (für „keine Angabe“ "
                                "bitte „.“ eintragen).")

    computed = rows["faktor"] * rows["zaehler"] / rows["nenner"].where(rows["nenner"] > 0)
    tolerance = 0.5 * 10.0 ** (-rows["nachkommastellen"].fillna(1)) + 1e-9
    mismatch = ok & quote & has_w & computed.notna() & ((rows["wert"] - computed).abs() > tolerance)
    befunde += einlesen.findings(name, rows.assign(berechnet=computed), mismatch, "wert", lambda r: (
        f"Der Wert {einlesen.zahl_text(r.wert)} passt nicht zu Zähler/Nenner "
        f"({zahl(r.berechnet, int(r.nachkommastellen))})."))
    rows["wert"] = rows["wert"].mask(ok & quote & has_z & has_n, computed)
    rows["wert"] = rows["wert"].mask(ok & rows["art"].eq("anzahl") & ~has_w, rows["zaehler"])
    # A rate on an empty base (0 of 0) is not a zero rate: there is nobody it could apply to.
    rows["status"] = rows["status"].mask(ok & quote & rows["nenner"].eq(0), "entfaellt")
    extra = [c for c in ("vorgaenger_code", "gewicht") if c in rows]
    return rows[["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert", "status", "kennzeichen", "quelle",
                 "zeile", *extra]], befunde


def _successor_table(con) -> pd.DataFrame:
    """Predecessor AGS → today's area, from gebiete.vorgaenger (e.g. AGS_VORGAENGER of the boundary file)."""
    return gebietsstand.nachfolger(con)


def combine_predecessors(con, rows: pd.DataFrame, name: str, refused: frozenset = frozenset()
                         ) -> tuple[pd.DataFrame, list[Befund]]:
    """Sum the rows of all predecessors of a Gemeinde into one row for today's Gemeinde (statistik.gebietsstand):
    counts are summed (weighted for a split predecessor) and a rate recomputed from them; an 'x' part adds
    nothing. A sum needs every predecessor, and a rate needs its counts."""
    mapped = rows[rows["vorgaenger_code"].notna()]
    plain = rows[rows["vorgaenger_code"].isna()].drop(columns=["vorgaenger_code", "gewicht"], errors="ignore")
    if mapped.empty:
        return plain, []
    catalogue = con.execute("SELECT id AS indikator, art, faktor FROM indikatoren").df()
    successors = _successor_table(con)
    befunde: list[Befund] = []
    mixed = mapped.merge(plain[OBSERVATION_KEY + ["zeile"]], on=OBSERVATION_KEY, suffixes=("", "_heute"))
    befunde += einlesen.findings(name, mixed, slice(None), "gebiet", lambda r: (
        f"{r.vorgaenger_code} ist ein Vorgänger von {r.gebiet}, das in Zeile {r.zeile_heute} schon mit "
        "heutigem Gebietsstand steht: beides zusammen würde doppelt zählen."))
    checked = mapped.merge(catalogue, on="indikator", how="left")
    befunde += einlesen.findings(name, checked, checked["status"].eq("ok") & checked["art"].eq("quote")
                                & (checked["zaehler"].isna() | checked["nenner"].isna()), "zaehler",
                                lambda r: f"Für die Umrechnung von {r.vorgaenger_code} auf {r.gebiet} braucht die "
                                          "Quote Zähler und Nenner (Quoten lassen sich nicht addieren).")
    groups = mapped.groupby(OBSERVATION_KEY, sort=True)
    present = groups["vorgaenger_code"].agg(set)
    expected = successors.groupby("nachfolger")["vorgaenger"].agg(set)
    first_line = groups["zeile"].min()
    for key, codes in present.items():
        lacking = sorted(expected.get(key[0], set()) - codes - refused)  # a refused split is reported already
        if lacking:
            befunde.append(Befund(name, int(first_line[key]), "gebiet",
                                  f"Für {key[0]} ({key[1]}, {key[2]}) fehlen die Vorgänger {', '.join(lacking)}: "
                                  "die Summe wäre unvollständig."))
    summed = gebietsstand.summieren(mapped, catalogue)
    combined = pd.concat([plain, summed[plain.columns]], ignore_index=True).sort_values(["zeile", "gebiet"],
                                                                                       kind="stable")
    return combined.reset_index(drop=True), befunde


OBSERVATION_FIELDS = ["zaehler", "nenner", "wert", "status", "kennzeichen"]


def compare_with_database(con, rows: pd.DataFrame) -> pd.DataFrame:
    """Each incoming row marked 'neu', 'geaendert' or 'unveraendert', with the old values beside it."""
    return _diff(con, "beobachtungen", rows, OBSERVATION_FIELDS)


def indicator_catalogue(con) -> pd.DataFrame:
    """The stored catalogue as the readers need it (einlesen.parse_observations): id, art, faktor,
    nachkommastellen."""
    return con.execute("SELECT id, art, faktor, nachkommastellen FROM indikatoren").df()


def import_observations(con, data: bytes, name: str, replace: bool = False, dry_run: bool = False,
                        predecessors: bool = False, progress: Progress | None = None,
                        weights: tuple[bytes, str] | None = None, profil: str | None = None, indikator: str = "",
                        id_field: str = "ID") -> Ergebnis:
    """Observations CSV/XLSX, or a KomMonitor boundary export (DATE_YYYY-MM-DD properties of the indicator
    `indikator`, areas by id_field). predecessors: codes of former Gemeinden are converted to today's Gemeinden;
    weights: (data, name) of a file vorgaenger;nachfolger;gewicht apportioning predecessors that belong to several
    of today's Gemeinden (statistik.gebietsstand). profil: the name of an import profile (einlesen.profile) for a
    file in another layout. Official keys (ARS, Regionalstatistik) are converted to the AGS and reported
    (einlesen.schluessel); Kreis, Land and Bund rows of areas not yet stored come from the built-in register
    (einlesen.register)."""
    digest, seen = _seen_before(con, "beobachtungen", data, name)
    if seen:
        return seen
    _step(progress, 0.1, "Datei lesen")
    if is_boundary_file(data, name) and (indikator or einlesen.sniff(data) == "text"):
        # KomMonitor: one indicator's values as DATE_YYYY-MM-DD properties of its spatial units
        parsed, befunde = _parse(lambda d, n: grenzen.kommonitor_beobachtungen(d, n, id_field, indikator), data, name)
    else:
        layout = profile.laden(profil, _database_folder(con)) if profil else None
        katalog = indicator_catalogue(con)
        parsed, befunde = _parse(lambda d, n: einlesen.parse_observations(d, n, katalog, layout), data, name)
    kodierung = parsed.attrs.get("kodierung", "")
    keys = schluessel.aufloesen(con, parsed, name)
    parsed, befunde = keys.zeilen, befunde + keys.befunde
    paare = _successor_table(con)
    hinweise = [] if predecessors else gebietsstand.warnungen_ohne_umrechnung(parsed, paare)
    if weights is not None and not predecessors:
        befunde.append(Befund(weights[1], None, None, "Gewichte gelten nur zusammen mit „--vorgaenger“."))
    if predecessors:
        gewichte = None
        if weights is not None:
            gewichte, more = _parse(lambda d, n: gebietsstand.lese_gewichte(d, n, paare), *weights)
            befunde += more
        refused = frozenset(parsed["gebiet"]) & frozenset(gebietsstand.teilungen(paare)) - frozenset(
            gewichte["vorgaenger"] if gewichte is not None else ())
        parsed, more = gebietsstand.zuordnen(parsed, paare, gewichte, name)
        befunde += more
    _step(progress, 0.35, "Werte prüfen")
    rows, more = validate_observations(con, parsed, name, predecessors)
    befunde += more
    if predecessors:
        rows, more = combine_predecessors(con, rows, name, refused)
        befunde += more
    _step(progress, 0.55, "Mit der Datenbank vergleichen")
    diff = compare_with_database(con, rows.drop(columns=["vorgaenger_code", "gewicht"], errors="ignore"))
    ergebnis = _result("beobachtungen", name, diff, OBSERVATION_KEY, OBSERVATION_FIELDS, dry_run)
    # values read (a wide table gives several per line); with predecessors split by weights: the file's lines
    ergebnis.zeilen = (int(parsed["zeile"].nunique()) if predecessors else len(parsed)) + keys.ausgelassen
    ergebnis.hinweise = hinweise + keys.hinweise + grenzen.hinweise_ohne_daten(con, rows)
    ergebnis.kodierung, ergebnis.profil = kodierung, profil
    if not _decide(ergebnis, befunde, replace):
        return ergebnis
    _step(progress, 0.75, "Schreiben")
    with _transaction(con):
        import_id = _register_batch(con, ergebnis, digest, data)
        _write_areas(con, _area_diff(con, keys.neue_gebiete, AREA_FIELDS), import_id)
        incoming = diff.loc[diff["aenderung"].ne("unveraendert"),
                            ["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert", "status", "kennzeichen",
                             "quelle"]]
        _replace_rows(con, "beobachtungen", incoming, import_id)
    return ergebnis


# ---------------------------------------------------------------- catalogue and areas

INDICATOR_FIELDS = ["name", "definition", "zaehler", "nenner", "einheit", "art", "polaritaet", "nachkommastellen",
                    "quelle", "faktor", "mindest_nenner", "mindest_zaehler", "turnus"]
AREA_FIELDS = ["name", "ebene", "uebergeordnet"]


def import_indicators(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False) -> Ergebnis:
    digest, seen = _seen_before(con, "indikatoren", data, name)
    if seen:
        return seen
    catalogue, befunde = _parse(einlesen.parse_indicators, data, name)
    _refuse_if(befunde)
    incoming = catalogue[["id", *INDICATOR_FIELDS]].assign(zeile=pd.array([pd.NA] * len(catalogue), dtype="Int64"))
    diff = _diff(con, "indikatoren", incoming, INDICATOR_FIELDS)
    ergebnis = _result("indikatoren", name, diff, ["id"], ["name", "einheit", "art", "nachkommastellen"], dry_run)
    if not _decide(ergebnis, [], replace):
        return ergebnis
    with _transaction(con):
        import_id = _register_batch(con, ergebnis, digest, data)
        _replace_rows(con, "indikatoren", diff.loc[diff["aenderung"].ne("unveraendert"),
                                                   ["id", *INDICATOR_FIELDS]], import_id)
    return ergebnis


def import_targets(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False) -> Ergebnis:
    """ziele.toml: audit targets, checked against the indicator catalogue and the areas; replaced by id."""
    digest, seen = _seen_before(con, "ziele", data, name)
    if seen:
        return seen
    indicators = set(r[0] for r in con.execute("SELECT id FROM indikatoren").fetchall())
    areas = dict(con.execute("SELECT code, ebene FROM gebiete").fetchall())
    rows, befunde = klartext.bereinigt_gelesen(parse_targets(data, name, indicators, areas), name)
    _refuse_if(befunde)
    fields = [c for c in rows.columns if c != "id"]
    diff = _diff(con, "ziele", rows.assign(zeile=pd.array([pd.NA] * len(rows), dtype="Int64")), fields)
    ergebnis = _result("ziele", name, diff, ["id"], ["titel", "indikator", "vergleich", "schwelle", "frist"], dry_run)
    if not _decide(ergebnis, [], replace):
        return ergebnis
    with _transaction(con):
        import_id = _register_batch(con, ergebnis, digest, data)
        _replace_rows(con, "ziele", diff.loc[diff["aenderung"].ne("unveraendert"), ["id", *fields]], import_id)
    return ergebnis


def _no_text(frame: pd.DataFrame) -> pd.Series:
    """An empty text column (DuckDB needs a type even when every value is missing)."""
    return pd.Series(None, index=frame.index, dtype="str")


def _area_diff(con, areas: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    """Areas (code, name, ebene, uebergeordnet, vorgaenger, zeile) against the stored ones; an areas table
    without predecessors keeps the stored ones."""
    if "bez" not in areas:
        areas = areas.assign(bez=pd.Series(None, index=areas.index, dtype="str"))
    diff = _diff(con, "gebiete", areas, fields, keep=[c for c in ("vorgaenger", "bez") if c not in fields])
    for kept in ("vorgaenger", "bez"):
        if f"alt_{kept}" in diff and kept not in fields:
            diff[kept] = diff[kept].where(diff[kept].notna() & diff[kept].ne(""), diff[f"alt_{kept}"])
    return diff


def _write_areas(con, diff: pd.DataFrame, import_id: int) -> None:
    _replace_rows(con, "gebiete", diff.loc[diff["aenderung"].ne("unveraendert"),
                                           ["code", "name", "ebene", "uebergeordnet", "vorgaenger", "bez"]], import_id)


def import_areas_table(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False) -> Ergebnis:
    """Areas without boundaries, e.g. the Kreis and the reference areas Land and Bund (CSV or XLSX)."""
    digest, seen = _seen_before(con, "gebiete", data, name)
    if seen:
        return seen
    frame, befunde = _parse(einlesen.parse_areas_csv, data, name)
    padded = schluessel.auf_ebene(frame["gebiet"], frame["ebene"])
    befunde += schluessel.doppelt_nach_umrechnung(name, frame.assign(gebiet=padded), ["gebiet"],
                                                  padded.ne(frame["gebiet"]))
    frame["gebiet"] = padded
    frame["uebergeordnet"] = schluessel.auf_ebene(frame["uebergeordnet"].fillna(""), frame["ebene"].map(
        schluessel.PARENT_LEVEL)).replace("", None)
    areas = pd.DataFrame({"code": frame["gebiet"], "name": frame["name"], "ebene": frame["ebene"],
                          "uebergeordnet": frame["uebergeordnet"], "vorgaenger": _no_text(frame),
                          "zeile": frame["zeile"]})
    diff = _area_diff(con, areas, AREA_FIELDS)
    ergebnis = _result("gebiete", name, diff, ["code"], AREA_FIELDS, dry_run)
    if not _decide(ergebnis, befunde, replace):
        return ergebnis
    with _transaction(con):
        import_id = _register_batch(con, ergebnis, digest, data)
        _write_areas(con, diff, import_id)
    return ergebnis


def _stored_if_same_shape(con, shapes) -> list[bytes]:
    """The incoming boundaries as WKB, but the stored bytes where the shape is the same: another file format writes
    the same area as a MultiPolygon or starts its rings elsewhere, which is no change."""
    stored = dict(con.execute("SELECT gebiet, original_wkb FROM geometrien").fetchall())
    incoming = geo.to_wkb(shapes.geometry)
    before = [stored.get(code) for code in shapes["code"]]
    same = geo.same_shapes(incoming, before)
    return [bytes(old) if unchanged else new for new, old, unchanged in zip(incoming, before, same)]


def import_boundaries(con, data: bytes, name: str, level: str, id_field: str, name_field: str,
                      dry_run: bool = False, replace: bool = False, layer: str | None = None,
                      crs: str | None = None, quelle: str | None = None, kreis: str | None = None) -> Ergebnis:
    """Boundary file → areas of one level with original and display geometry; Sozialräume re-dissolved from their
    Gemeinden unless a Sozialraum boundary file gave their own polygons (kept as imported, under their own codes).
    layer: the layer of a GeoPackage with several; the batch and its messages are named after it. crs: the CRS of a
    file that names none. quelle: the attribution to store and show (else what the file says, see
    einlesen.grenzen.quellenangabe). kreis: only the Gemeinden of this Kreis (einrichten). Gemeinden bring their
    Kreis, Land and Deutschland from the built-in register; a Kreis not in it is reported."""
    if level not in einlesen.LEVELS:
        raise einlesen.befund(name, f"Ebene „{level}“ ist unbekannt (erlaubt: {', '.join(einlesen.LEVELS)}).",
                             feld="--level")
    label = name if layer is None else f"{name} (Ebene {layer})"
    label = label if kreis is None else f"{label} (Kreis {kreis})"
    digest, seen = _seen_before(con, "grenzen", data, label, whole_file=layer is None and kreis is None)
    if seen:
        return seen
    shapes = _parse(lambda d, n: geo.read_boundaries(d, n, id_field, name_field, layer, crs=crs,
                                                     ebene=level if level != "sozialraum" else None), data, label)
    source = grenzen.quellenangabe(quelle, shapes.attrs.get("quelle"), name)
    if kreis is not None:
        shapes = shapes[shapes["code"].str.startswith(kreis) & shapes["code"].str.len().eq(8)]
        if shapes.empty:
            raise einlesen.befund(name, f"Die Datei enthält keine Gemeinde des Kreises {kreis} (Feld {id_field}).",
                                 feld=id_field)
    prefix = PARENT_BY_LEVEL.get(level)
    parents = (shapes["code"].str[:prefix] if prefix else grenzen.uebergeordnete_kreise(con, shapes)
               if level == "sozialraum" else
               pd.Series("DG" if level == "land" else None, index=shapes.index, dtype="str"))
    lines = pd.Series(range(1, len(shapes) + 1), index=shapes.index)
    incoming = pd.DataFrame({"code": shapes["code"], "name": shapes["name"], "ebene": level,
                             "uebergeordnet": parents, "vorgaenger": shapes["vorgaenger"], "bez": shapes["bez"],
                             "zeile": lines})
    stored = dict(con.execute("SELECT code, ebene FROM gebiete").fetchall())
    chain = register.neue_gebiete(set(parents.dropna()), set(stored)) if level != "sozialraum" else None
    with_bez = ["bez"] if shapes["bez"].notna().any() else []
    areas = _area_diff(con, incoming, AREA_FIELDS + ["vorgaenger"] + with_bez)
    befunde = einlesen.findings(label, areas, areas["alt_ebene"].notna() & areas["alt_ebene"].ne(level), id_field,
                               lambda r: f"Der Schlüssel {r.code} gehört schon {r.alt_name} (Ebene {r.alt_ebene}); "
                                         f"eine Grenzdatei der Ebene {level} kann ihn nicht übernehmen.")
    display = geo.simplify_for_display(shapes.geometry)
    geometries = _diff(con, "geometrien", pd.DataFrame({
        "gebiet": shapes["code"], "original_wkb": _stored_if_same_shape(con, shapes),
        "anzeige_wkb": geo.to_wkb(display), "zeile": lines}), ["original_wkb"])
    diff = areas.merge(geometries[["gebiet", "original_wkb", "anzeige_wkb", "alt_original_wkb", "aenderung"]],
                       left_on="code", right_on="gebiet", suffixes=("", "_flaeche"))
    diff["aenderung"] = diff["aenderung"].where(diff["aenderung_flaeche"].eq("unveraendert")
                                                | diff["aenderung"].eq("geaendert"), diff["aenderung_flaeche"])
    ergebnis = _result("grenzen", label, diff, ["code"], ["name", "original_wkb"], dry_run)
    ergebnis.hinweise = grenzen.hinweise_grenzen(shapes, parents, chain, set(stored), source, kreis, level)
    if not _decide(ergebnis, befunde, replace):
        return ergebnis
    with _transaction(con):
        import_id = _register_batch(con, ergebnis, digest, data, name)
        con.execute("INSERT INTO grenzen_quellen VALUES ($id, $ebene, $quelle)",
                    {"id": import_id, "ebene": level, "quelle": source})
        if chain is not None and not chain.empty:
            _write_areas(con, _area_diff(con, chain, AREA_FIELDS), import_id)
        _write_areas(con, areas, import_id)
        changed = geometries[geometries["aenderung"].ne("unveraendert")]
        _replace_rows(con, "geometrien", changed[["gebiet", "original_wkb", "anzeige_wkb"]], import_id)
        if not changed.empty and level != "sozialraum":  # a Sozialraum file's own polygons are kept as imported
            _dissolve_sozialraeume(con, import_id)
    return ergebnis


def _dissolve_sozialraeume(con, import_id: int) -> None:
    """Sozialraum polygons are the union of their Gemeinden's polygons, rebuilt whenever either changes – except
    those a Sozialraum boundary file gave (einlesen.grenzen.SOZIALRAEUME_AUS_DATEI), kept as imported."""
    members = con.execute(f"""
        SELECT z.sozialraum, g.original_wkb, g.anzeige_wkb
        FROM zuordnung z JOIN geometrien g ON g.gebiet = z.gemeinde
        WHERE z.sozialraum NOT IN ({grenzen.SOZIALRAEUME_AUS_DATEI})
        ORDER BY z.sozialraum""").df()
    _retire(con, "geometrien", "gebiet IN (SELECT code FROM gebiete WHERE ebene = 'sozialraum') "
                               f"AND gebiet NOT IN ({grenzen.SOZIALRAEUME_AUS_DATEI})", import_id)
    if members.empty:
        return
    original = geo.dissolve(pd.Series(geo.from_wkb(members["original_wkb"])), members["sozialraum"])
    display = geo.dissolve(pd.Series(geo.from_wkb(members["anzeige_wkb"])), members["sozialraum"])
    display = display.apply(lambda g: shapely.set_precision(g, geo.DISPLAY_PRECISION))
    _replace_rows(con, "geometrien", pd.DataFrame({
        "gebiet": original.index, "original_wkb": geo.to_wkb(original.values),
        "anzeige_wkb": geo.to_wkb(display.loc[original.index].values)}), import_id)


def import_membership(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False) -> Ergebnis:
    """The full Gemeinde → Sozialraum assignment; creates the Sozialräume and dissolves their polygons."""
    digest, seen = _seen_before(con, "zuordnung", data, name)
    if seen:
        return seen
    frame, befunde = _parse(einlesen.parse_membership, data, name)
    keys = schluessel.aufloesen(con, frame, name)
    frame, befunde = keys.zeilen, befunde + keys.befunde
    gemeinden = con.execute("SELECT code, uebergeordnet FROM gebiete WHERE ebene = 'gemeinde'").df()
    befunde += einlesen.findings(name, frame, ~frame["gebiet"].isin(gemeinden["code"]) & frame["gebiet"].ne(""),
                                "gebiet", lambda r: f"„{r.gebiet}“ ist keine bekannte Gemeinde.")
    kreise = set(gemeinden.loc[gemeinden["code"].isin(frame["gebiet"]), "uebergeordnet"])
    unassigned = gemeinden[gemeinden["uebergeordnet"].isin(kreise) & ~gemeinden["code"].isin(frame["gebiet"])]
    befunde += [Befund(name, None, "gebiet", f"Die Gemeinde {code} ist keinem Sozialraum zugeordnet (die Datei "
                                             "muss alle Gemeinden des Kreises enthalten).")
                for code in unassigned["code"].head(einlesen.MAX_BEFUNDE)]
    parent_by_gemeinde = dict(zip(gemeinden["code"], gemeinden["uebergeordnet"]))
    sozialraeume = frame.drop_duplicates("sozialraum")
    areas = _area_diff(con, pd.DataFrame({
        "code": sozialraeume["sozialraum"], "name": sozialraeume["sozialraum_name"], "ebene": "sozialraum",
        "uebergeordnet": sozialraeume["gebiet"].map(parent_by_gemeinde), "vorgaenger": _no_text(sozialraeume),
        "zeile": sozialraeume["zeile"]}), AREA_FIELDS)
    befunde += einlesen.findings(name, areas, areas["alt_ebene"].notna() & areas["alt_ebene"].ne("sozialraum"),
                                "sozialraum", lambda r: f"Der Schlüssel {r.code} gehört schon einem Gebiet der "
                                                        f"Ebene {r.alt_ebene} ({r.alt_name}).")
    assignment = _diff(con, "zuordnung", pd.DataFrame({"gemeinde": frame["gebiet"], "sozialraum": frame["sozialraum"],
                                                       "zeile": frame["zeile"]}), ["sozialraum"])
    diff = pd.concat([assignment.rename(columns={"gemeinde": "schluessel"}),
                      areas.rename(columns={"code": "schluessel"})[["schluessel", "name", "alt_name", "zeile",
                                                                    "aenderung"]]], ignore_index=True)
    ergebnis = _result("zuordnung", name, diff, ["schluessel"], ["sozialraum", "name"], dry_run, counted=assignment)
    ergebnis.kodierung = frame.attrs.get("kodierung", "")
    ergebnis.hinweise = [h for h in keys.hinweise if "Gebietsregister" not in h]
    area_changes = areas["aenderung"].value_counts()
    ergebnis.sozialraeume_neu = int(area_changes.get("neu", 0))
    ergebnis.sozialraeume_geaendert = int(area_changes.get("geaendert", 0))
    if not _decide(ergebnis, befunde, replace):
        return ergebnis
    with _transaction(con):
        import_id = _register_batch(con, ergebnis, digest, data)
        _write_areas(con, areas, import_id)
        changed = assignment[assignment["aenderung"].ne("unveraendert")]
        _replace_rows(con, "zuordnung", changed[["gemeinde", "sozialraum"]], import_id)
        if not changed.empty:
            _dissolve_sozialraeume(con, import_id)
    return ergebnis


# ---------------------------------------------------------------- one entry for the command line and the page

KINDS = ("observations", "areas", "membership", "indicators", "targets")


def is_boundary_file(data: bytes, name: str) -> bool:
    """An areas file with geometry (GeoJSON, GeoPackage, zipped Shapefile) rather than a table (CSV, XLSX)."""
    kind = einlesen.sniff(data)
    return kind in ("zip", "zip_defekt", "sqlite") or (kind == "text" and Path(name).suffix.lower() in (".geojson",
                                                                                                      ".json"))


def run(db_path: Path, kind: str, data: bytes, name: str, *, person: zugang.Person | None,
        grund: str | None = None, replace: bool = False, dry_run: bool = False,
        predecessors: bool = False, level: str = "gemeinde", id_field: str = "AGS", name_field: str = "GEN",
        layer: str | None = None, progress: Progress | None = None,
        weights: tuple[bytes, str] | None = None, profil: str | None = None, crs: str | None = None,
        quelle: str | None = None, indikator: str = "") -> Ergebnis:
    """Import one file into the database at db_path (published on success unless dry_run). layer: which layer of a
    boundary file with several (GeoPackage); crs: the CRS of a boundary file that names none; quelle: the
    attribution of a boundary file; indikator: the indicator of a KomMonitor export's DATE_ values; profil: an
    import profile by name (observations in another layout). Control characters in the file name and the file's
    text are removed (Ergebnis.hinweise says where). person: who imports (zugang.pruefe 'importieren', raises
    KeinZugriff before anything is read); the batch and the Protokoll record their name and the optional grund."""
    zugang.pruefe(person, "importieren")
    name = klartext.bereinigen(name)
    with klartext.hinweise_sammeln() as hinweise, working_copy(db_path, publish=not dry_run) as con:
        if kind == "observations":
            ergebnis = import_observations(con, data, name, replace=replace, dry_run=dry_run,
                                           predecessors=predecessors, progress=progress, weights=weights,
                                           profil=profil, indikator=indikator, id_field=id_field)
        elif kind == "indicators":
            ergebnis = import_indicators(con, data, name, dry_run=dry_run, replace=replace)
        elif kind == "membership":
            ergebnis = import_membership(con, data, name, dry_run=dry_run, replace=replace)
        elif kind == "targets":
            ergebnis = import_targets(con, data, name, dry_run=dry_run, replace=replace)
        elif is_boundary_file(data, name):
            ergebnis = import_boundaries(con, data, name, level=level, id_field=id_field, name_field=name_field,
                                         dry_run=dry_run, replace=replace, layer=layer, crs=crs, quelle=quelle)
        else:
            ergebnis = import_areas_table(con, data, name, dry_run=dry_run, replace=replace)
        ergebnis.hinweise = [*ergebnis.hinweise, *hinweise]
        if not dry_run and not ergebnis.bereits_importiert and ergebnis.import_id is not None:
            protokoll.batch_zuschreiben(con, person, ergebnis.import_id, grund)
            protokoll.eintragen(con, person, "import", f"Import {ergebnis.import_id}: "
                                f"{KIND_NAMES.get(ergebnis.art, ergebnis.art)} – {ergebnis.datei}", grund,
                                ergebnis.import_id)
        _step(progress, 0.95, "Neue Datenbankversion veröffentlichen")
    _step(progress, 1.0, "Fertig")
    return ergebnis


def boundary_layers(data: bytes, name: str) -> list[str]:
    """The layers of a GeoPackage (also zipped) to choose from. Other files have one; an unreadable file has none
    to choose from (its import check says why)."""
    if einlesen.sniff(data) not in ("sqlite", "zip"):
        return []
    try:
        return geo.layer_names(data, name)
    except SozialmonitorFehler:
        return []


def upgrade(db_path: Path, person: zugang.Person | None) -> None:
    """Bring an existing database to this version's schema (working_copy migrates it, after a copy of the old file
    in sicherungen/) and publish it; the values stay as they are. Never rebuilt from the demo files. Needs the
    right 'datenbank_aktualisieren' (KeinZugriff otherwise); recorded in the Protokoll."""
    zugang.pruefe(person, "datenbank_aktualisieren")
    if not Path(db_path).exists():
        raise DatenbankFehler(f"Die Datenbank {db_path} gibt es nicht.")
    with working_copy(db_path) as con:
        protokoll.eintragen(con, person, "datenbank_aktualisiert", f"Schema-Version {SCHEMA_VERSION}")


# ---------------------------------------------------------------- undo and earlier states

def undo(con, import_id: int) -> Ergebnis:
    """Revert one batch: its rows leave, the rows it replaced come back from history. Refused while a later,
    still active batch has replaced rows of this one (undo that first), so the result is always an exact earlier
    state."""
    batch = con.execute("SELECT art, datei, rueckgaengig_durch FROM importe WHERE import_id = $id",
                        {"id": import_id}).fetchall()
    where = f"Import {import_id}"
    if not batch:
        raise einlesen.befund(where, "Diesen Import gibt es nicht.")
    art, datei, undone_by = batch[0]
    if undone_by is not None:
        raise einlesen.befund(where, f"Dieser Import ({datei}) wurde schon rückgängig gemacht (Eintrag {undone_by}).")
    if art == "rueckgaengig":
        raise einlesen.befund(where, "Ein Rückgängig-Eintrag lässt sich nicht rückgängig machen. Die Datei bitte "
                                    "erneut importieren.")
    later = sorted({row[0] for table in VERSIONED_TABLES for row in con.execute(
        f"SELECT DISTINCT ersetzt_durch FROM {table}_historie WHERE import_id = $id AND ersetzt_durch <> $id",
        {"id": import_id}).fetchall()})
    dependants = dict(abhaengigkeiten.abhaengige_importe(con, import_id))
    if later or dependants:
        names = dict(con.execute("SELECT import_id, datei FROM importe").fetchall())
        blocking = sorted(set(later) | set(dependants))
        listed = ", ".join(f"Import {i} ({names.get(i, '?')})" for i in blocking)
        reason = ("Werte aus diesem Import wurden später ersetzt" if later and not dependants else
                  "Spätere Importe bauen auf diesem auf (sie nennen Gebiete, Indikatoren oder Grenzen, die er "
                  "angelegt hat)" + (" oder haben Werte aus ihm ersetzt" if later else ""))
        raise AbhaengigeImporte(where, f"{reason}: {listed}. Bitte zuerst diese rückgängig machen oder alle "
                                       "zusammen (Seite „Daten“: „mit den abhängigen Importen“, Kommandozeile: "
                                       "--mit-abhaengigen).", blocking)
    ergebnis = Ergebnis("rueckgaengig", f"{where}: {datei}")
    with _transaction(con):
        for table in VERSIONED_TABLES:
            removed = con.execute(f"SELECT count(*) FROM {table} WHERE import_id = $id",
                                  {"id": import_id}).fetchall()[0][0]
            restored = con.execute(f"SELECT count(*) FROM {table}_historie WHERE ersetzt_durch = $id AND "
                                   "import_id IS DISTINCT FROM $id", {"id": import_id}).fetchall()[0][0]
            ergebnis.neu += restored
            ergebnis.geaendert += removed
        ergebnis.zeilen = ergebnis.neu + ergebnis.geaendert
        undo_id = _register_batch(con, ergebnis, "")
        con.execute("DELETE FROM grenzen_quellen WHERE import_id = $id", {"id": import_id})
        for table in VERSIONED_TABLES:
            con.execute(f"DELETE FROM {table} WHERE import_id = $id", {"id": import_id})
            con.execute(f"INSERT INTO {table} BY NAME SELECT * EXCLUDE (ersetzt_durch) FROM {table}_historie "
                        "WHERE ersetzt_durch = $id AND import_id IS DISTINCT FROM $id", {"id": import_id})
            con.execute(f"DELETE FROM {table}_historie WHERE ersetzt_durch = $id", {"id": import_id})
        con.execute("UPDATE importe SET rueckgaengig_durch = $undo WHERE import_id = $id",
                    {"undo": undo_id, "id": import_id})
    return ergebnis


def undo_summary(ergebnis: Ergebnis) -> str:
    return (f"{ergebnis.datei} rückgängig gemacht (Eintrag {ergebnis.import_id}): "
            f"{anzahl(ergebnis.geaendert, 'Zeile', 'Zeilen')} entfernt, "
            f"{anzahl(ergebnis.neu, 'frühere Zeile', 'frühere Zeilen')} wiederhergestellt.")


class AbhaengigeImporte(EingabeFehler):
    """An undo refused because later imports build on the import; importe: their ids."""

    def __init__(self, where: str, message: str, importe: list[int]):
        self.importe = importe
        super().__init__([Befund(where, None, None, message)])


def undo_with_dependants(con, import_id: int) -> list[Ergebnis]:
    """Undo the import and, newest first, every later import that builds on it (each its own transaction; the
    caller publishes them as one version). Returns the undo results, the import's own last."""
    results: list[Ergebnis] = []
    while True:
        try:
            results.append(undo(con, import_id))
            return results
        except AbhaengigeImporte as refused:
            results += undo_with_dependants(con, max(refused.importe))


def run_undo(db_path: Path, import_id: int, *, person: zugang.Person | None, grund: str | None,
             with_dependants: bool = False) -> Ergebnis:
    """Undo one import (published as a new version). Refused with AbhaengigeImporte when later imports build on it,
    unless with_dependants: then they are undone too, in the same new version; the result then counts all of
    them and names them in its file column. person needs the right 'rueckgaengig' (KeinZugriff otherwise); grund
    is required (SozialmonitorFehler without); both are recorded on each undo batch and in the Protokoll."""
    zugang.pruefe(person, "rueckgaengig")
    grund = protokoll.verlange_grund(grund, "Rückgängig")
    with working_copy(db_path) as con:
        results = undo_with_dependants(con, import_id) if with_dependants else [undo(con, import_id)]
        for ergebnis in results:
            protokoll.batch_zuschreiben(con, person, ergebnis.import_id, grund)
            protokoll.eintragen(con, person, "rueckgaengig", ergebnis.datei, grund, ergebnis.import_id)
    own = results[-1]
    if len(results) > 1:
        own.datei += " – zusammen mit " + ", ".join(r.datei for r in results[:-1])
        own.neu, own.geaendert = sum(r.neu for r in results), sum(r.geaendert for r in results)
    return own


# ---------------------------------------------------------------- tables for people (page and command line)

def befunde_tabelle(befunde: list[Befund]) -> pd.DataFrame:
    return pd.DataFrame({"Zeile": pd.array([b.zeile for b in befunde], dtype="Int64"),
                         "Feld": [b.feld or "" for b in befunde], "Befund": [b.meldung for b in befunde]})


def batch_label(history: pd.DataFrame, import_id: int) -> str:
    row = history[history["import_id"].eq(import_id)].iloc[0]
    return f"{import_id}: {KIND_NAMES.get(row['art'], row['art'])} – {row['datei']} ({fmt.datum(row['zeitpunkt'])})"


def verlauf_tabelle(history: pd.DataFrame) -> pd.DataFrame:
    """queries/import_history.sql as the page shows it."""
    return pd.DataFrame({
        "Nr.": history["import_id"],
        "Art": history["art"].map(lambda a: KIND_NAMES.get(a, a)),
        "Datei": history["datei"],
        "Zeilen": history["zeilen"].map(zahl),
        "neu": history["neu"].map(zahl),
        "geändert": history["geaendert"].map(zahl),
        "unverändert": history["unveraendert"].map(zahl),
        "Zeitpunkt": history["zeitpunkt"].map(lambda t: t.strftime("%d.%m.%Y %H:%M")),
        "Benutzer": history["benutzer"],
        "Grund": history["grund"].fillna("–") if "grund" in history else "–",
        "Archiv": history["archiv"].fillna(""),
        "Status": history["rueckgaengig_durch"].map(
            lambda u: "aktiv" if pd.isna(u) else f"rückgängig gemacht ({int(u)})"),
    })


def stand_tabelle(state: pd.DataFrame) -> pd.DataFrame:
    """queries/import_state.sql as the page shows it."""
    def shown(value, status):
        return STATUS_TEXT.get(status, status) if status != "ok" else ("–" if pd.isna(value) else _number(value))

    return pd.DataFrame({
        "Gebiet": state["gebiet"] + " " + state["gebiet_name"].fillna(""),
        "Indikator": state["indikator"],
        "Zeitraum": state["zeitraum"].map(fmt.zeitraum),
        "Wert damals": [shown(v, s) for v, s in zip(state["wert"], state["status"])],
        "aus Import": state["import_id"],
        "Wert heute": [("entfernt" if s == "entfernt" else shown(v, s))
                       for v, s in zip(state["heute_wert"], state["heute_status"])],
    })
