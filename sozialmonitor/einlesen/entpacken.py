"""Uploaded archives (zipped Shapefiles and GeoPackages, and XLSX, which is a zip too) are checked before anything is
unpacked, and unpacked only as a stream with a hard limit.

Two limits, as OWASP's "File Upload" guidance and Python's own zipfile documentation ("Decompression pitfalls") ask:
1. the zip's central directory: the sizes it declares may not exceed `MAX_ENTPACKT` in total, `MAX_EINTRAEGE` entries,
   nor a compression ratio of `MAX_VERHAELTNIS` for an entry larger than `VERHAELTNIS_AB` (a 6 MB file that declares
   985 MB is refused without unpacking a byte);
2. while unpacking (`kopieren`): at most the declared size of the entry and at most what is left of `MAX_ENTPACKT`,
   counted chunk by chunk, so an archive whose directory lies is stopped at the limit, never held in memory.
Every refusal is a German `EingabeFehler` naming the file and the entry."""

import zipfile
from pathlib import Path

from sozialmonitor.errors import Befund, EingabeFehler
from sozialmonitor.fmt import zahl

MAX_ENTPACKT = 300_000_000  # bytes unpacked per archive: the Gemeinden of all of Germany (VG250) need ~190 MB
MAX_EINTRAEGE = 10_000
MAX_VERHAELTNIS = 100  # a Shapefile compresses 2–10×, an XLSX sheet up to ~30×
VERHAELTNIS_AB = 1_000_000  # small entries may compress as they like
BLOCK = 1 << 20


def _mb(size: int) -> str:
    return f"{zahl(size / 1e6, 1)} MB"


def pruefe_verzeichnis(archive: zipfile.ZipFile, name: str) -> list[Befund]:
    """Findings for the sizes the archive's directory declares (empty: the archive may be unpacked)."""
    entries = archive.infolist()
    befunde = []
    if len(entries) > MAX_EINTRAEGE:
        befunde.append(Befund(name, None, None, f"Das ZIP-Archiv hat {zahl(len(entries))} Einträge (erlaubt: "
                                                f"{zahl(MAX_EINTRAEGE)}); aus Sicherheitsgründen abgelehnt."))
    for entry in entries:
        if entry.file_size > VERHAELTNIS_AB and entry.file_size > MAX_VERHAELTNIS * max(entry.compress_size, 1):
            befunde.append(Befund(name, None, entry.filename, f"Der Eintrag würde von {_mb(entry.compress_size)} auf "
                                                              f"{_mb(entry.file_size)} anwachsen – verdächtig stark "
                                                              "komprimiert (Zip-Bombe?); aus Sicherheitsgründen "
                                                              "abgelehnt."))
    total = sum(entry.file_size for entry in entries)
    if total > MAX_ENTPACKT:
        befunde.append(Befund(name, None, None, f"Das ZIP-Archiv wäre entpackt {_mb(total)} groß (erlaubt: "
                                                f"{_mb(MAX_ENTPACKT)}); bitte nur die benötigten Dateien packen."))
    return befunde


def pruefen(archive: zipfile.ZipFile, name: str) -> None:
    """Raises EingabeFehler when the directory declares too much (see pruefe_verzeichnis)."""
    befunde = pruefe_verzeichnis(archive, name)
    if befunde:
        raise EingabeFehler(befunde)


def kopieren(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path, name: str,
             budget: int = MAX_ENTPACKT) -> int:
    """Unpack one entry into target in blocks of 1 MB, never more than its declared size nor than budget bytes;
    returns the bytes written. Beyond a limit: target removed, EingabeFehler."""
    limit = min(entry.file_size, budget)
    written = 0
    try:
        with archive.open(entry) as source, open(target, "wb") as sink:
            while block := source.read(BLOCK):
                written += len(block)
                if written > limit:
                    raise EingabeFehler([Befund(name, None, entry.filename, (
                        f"Der Eintrag ist entpackt größer als angegeben oder als erlaubt ({_mb(limit)}); "
                        "aus Sicherheitsgründen abgelehnt."))])
                sink.write(block)
    except EingabeFehler:
        Path(target).unlink(missing_ok=True)
        raise
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        Path(target).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, (zipfile.BadZipFile, EOFError)) and exc.errno:
            raise  # disk full or read-only folder: the caller's German message
        raise EingabeFehler([Befund(name, None, entry.filename, "Der Eintrag im ZIP-Archiv ist beschädigt.")]) from exc
    return written

