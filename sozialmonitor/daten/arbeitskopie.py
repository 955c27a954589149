"""Where an import writes: a working copy of the database file, published by an atomic, durable rename; the lock
that keeps two imports apart; the copy of the file before a schema migration (sicherungen/); the original files
archived beside the database (archiv/)."""

import fcntl
import hashlib
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from sozialmonitor.daten import ablage
from sozialmonitor.daten.db import CATALOG, SCHEMA_VERSION, ensure_schema, materialise_values, open_database
from sozialmonitor.errors import DatenbankFehler, ImportLaeuft

READ_ONLY_SETTING = "SOZIALMONITOR_NUR_LESEN"  # =1: the app shows data but offers no import or undo
ARCHIVE_FOLDER = "archiv"


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
                    # one DuckDB thread: each further one keeps arenas of its own, and the write is mostly Python
                    # (measured, bench/speicher_bench.py uebernehmen: 20-MB file published at 0,45 instead of 0,7 GB)
                    con.execute("SET threads = 1")
                    if publish:
                        _backup_before_migration(con, db_path)
                    ensure_schema(con)
                    yield con
                    if publish:
                        # werte on a fresh connection: what the write held (DuckDB's caches, freed blocks) goes
                        # with the old one (measured: 50-MB file, 553 → 313 MB before werte is computed)
                        con.execute("CHECKPOINT " + CATALOG)
                        con.close()
                        con = open_database(temp, read_only=False)
                        con.execute("SET threads = 1")
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
        raise ablage.schreibfehler(exc, db_path, pruefung=not publish) from exc
    except BaseException as exc:
        _remove_new_archives(db_path, archived_before)
        if isinstance(exc, duckdb.Error) and ablage.ist_schreibfehler(exc):  # a commit whose log found no space
            raise ablage.schreibfehler(exc, db_path, pruefung=not publish) from exc
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
            raise ImportLaeuft("Gerade läuft ein anderer Import in diese Datenbank. Bitte warten und dann "
                                  "noch einmal versuchen.") from exc
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def abgebrochene_importe(db_path: Path) -> list[datetime]:
    """When imports were interrupted (their process killed, the power cut) before they published: the times of the
    working copies they left behind, oldest first – read only while no import runs (the lock is free; a running
    import's copy is no remnant). Empty when nothing was left or an import runs now. The next import removes the
    remnants (ablage.reste_entfernen)."""
    db_path = Path(db_path)
    lock_path = db_path.with_name(db_path.name + ".lock")
    if not lock_path.exists():
        return []
    try:
        with open(lock_path, "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return []
            try:
                reste = [p for p in ablage.reste(db_path, ARCHIVE_FOLDER) if p.name.endswith(".tmp")]
                return sorted(datetime.fromtimestamp(p.stat().st_mtime) for p in reste)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    except OSError:  # a read-only folder: nothing to say
        return []


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_only() -> bool:
    """The app's setting: with SOZIALMONITOR_NUR_LESEN=1 it shows data but offers no import and no undo."""
    return os.environ.get(READ_ONLY_SETTING, "").strip().lower() in ("1", "ja", "true", "yes")


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
