"""The database file on disk (issue 11, item 5): what a killed import left behind is removed when the next import
takes the lock, a new version keeps the published file's mode and group, it is published durably, and a full disk
or a folder without write permission becomes a German message while everything stays as it was.

Durable publish follows the POSIX recipe for an atomic replace (as SQLite's and LMDB's documentation describe it):
write the new file, fsync it, rename it over the old one, fsync the folder so the rename itself is on disk."""

import errno
import glob
import os
import stat
from pathlib import Path

import duckdb

from sozialmonitor.errors import DatenbankFehler, betriebssystem_text

TEIL_ENDUNG = ".teil"  # an archived file while it is written (daten.arbeitskopie._archive)
NEUE_DATEI_MODUS = 0o644  # a first database: readable by the app's service account


def reste(db_path: Path, archiv: str) -> list[Path]:
    """Working copies (<name>.*.tmp and their .wal) and half-written archive files (archiv/*.teil) of imports that
    did not finish (killed, power cut). Only call while holding the import lock: then none is in use."""
    folder = db_path.parent
    pattern = glob.escape(db_path.name)
    found = [*folder.glob(pattern + ".*.tmp"), *folder.glob(pattern + ".*.tmp.wal"),
             *(folder / archiv).glob("*" + TEIL_ENDUNG)]
    return sorted(path for path in found if path.is_file())


def reste_entfernen(db_path: Path, archiv: str) -> list[Path]:
    """Remove what reste() finds; returns what was removed."""
    removed = []
    for path in reste(db_path, archiv):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
    return removed


def rechte_uebernehmen(temp: Path, db_path: Path) -> None:
    """Give the new version the published file's permission bits and group (mkstemp creates 0600, which would lock
    out a service account that reads the database through its group)."""
    if db_path.exists():
        published = os.stat(db_path)
        os.chmod(temp, stat.S_IMODE(published.st_mode))
        try:
            os.chown(temp, -1, published.st_gid)
        except PermissionError:
            pass  # not a member of that group: the mode still applies
    else:
        os.chmod(temp, NEUE_DATEI_MODUS)


def dauerhaft_ersetzen(temp: Path, db_path: Path) -> None:
    """fsync the new file, rename it over the published one, fsync the folder."""
    descriptor = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temp, db_path)
    folder = os.open(db_path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def schreibfehler(exc: BaseException, db_path: Path, pruefung: bool = False) -> DatenbankFehler:
    """A German message for a failed write (OSError or DuckDB's I/O error): full disk, no permission, other.
    pruefung: it was the check of a file (a dry run also works on a copy of the database), not an import."""
    folder = Path(db_path).parent
    code = getattr(exc, "errno", None)
    text = str(exc)
    was = ("Die Datei konnte nicht geprüft werden (auch die Prüfung braucht Platz für eine Arbeitskopie der "
           "Datenbank)" if pruefung else "Der Import wurde nicht übernommen")
    if code in (errno.ENOSPC, errno.EDQUOT) or "No space left" in text or "disk is full" in text.lower():
        return DatenbankFehler(
            f"Kein Speicherplatz mehr im Ordner {folder} – der Datenträger ist voll: {was}, die Datenbank ist "
            "unverändert. Bitte Platz schaffen (z. B. alte Sicherungen im Unterordner „sicherungen“ löschen) und "
            "noch einmal versuchen.")
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "Read-only file system" in text \
            or "Permission denied" in text:
        return DatenbankFehler(
            f"Im Ordner {folder} darf der Sozialmonitor nicht schreiben ({getattr(exc, 'strerror', None) or text}): "
            f"{was}, die Datenbank ist unverändert. Bitte die Schreibrechte des Dienstkontos für diesen Ordner "
            "prüfen.")
    return DatenbankFehler(f"Die Datenbank {db_path} ließ sich nicht schreiben "
                           f"({getattr(exc, 'strerror', None) or text}); sie ist unverändert.")


def grund(exc: BaseException) -> str:
    """Why a file could not be written, in German (the operating system's own text is English); also for DuckDB's and
    SQLite's errors about a full disk."""
    code = getattr(exc, "errno", None)
    text = str(exc)
    if code in (errno.ENOSPC, errno.EDQUOT) or "No space left" in text or "disk is full" in text.lower():
        return "kein Speicherplatz mehr – der Datenträger ist voll"
    if not isinstance(exc, OSError):
        return "Fehler beim Schreiben"
    if code in (errno.EACCES, errno.EPERM):
        return "keine Schreibrechte"
    if code == errno.EROFS:
        return "nur lesbarer Datenträger"
    if code == errno.ENOENT:
        return "Ordner nicht gefunden"
    if code == errno.EISDIR:
        return "das ist ein Ordner"
    if code in (errno.ENOTDIR, errno.EEXIST):
        return "ein Teil des Pfads ist eine Datei, kein Ordner"
    return betriebssystem_text(exc)


SCHREIBFEHLER = (OSError, duckdb.IOException)


def ist_schreibfehler(exc: BaseException) -> bool:
    """Whether an error is a failed write: an OSError, DuckDB's I/O error, or any other DuckDB error whose cause is
    one (a commit whose log could not be written raises TransactionException "Failed to commit: Could not write
    file …: No space left on device"; SQLite says "database or disk is full")."""
    if isinstance(exc, SCHREIBFEHLER):
        return True
    text = str(exc)
    return isinstance(exc, Exception) and any(zeichen in text for zeichen in (
        "No space left", "disk is full", "Disk quota exceeded", "Could not write file", "Read-only file system"))
