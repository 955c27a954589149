"""What kind of file this is, from its first bytes (users rename files), the kinds no table reader takes, and zip
archives checked before anything is unpacked."""

import io
import re
import zipfile
from pathlib import PurePosixPath

from sozialmonitor.einlesen.befunde import befund
from sozialmonitor.errors import Befund, EingabeFehler
from sozialmonitor.fmt import zahl

MAX_UNPACKED_BYTES = 1_000_000_000
MAX_RATIO = 200

REFUSED_KINDS = {
    "xls": "Das alte Excel-Format (.xls) wird nicht gelesen. Bitte in Excel als Arbeitsmappe (.xlsx) oder CSV "
           "speichern.",
    "zip": "Ein ZIP-Archiv ist hier nicht möglich (nur bei Grenzen als gezipptes Shapefile). Bitte die CSV- oder "
           "Excel-Datei selbst hochladen.",
    "zip_defekt": "Die Datei ist ein beschädigtes oder unvollständiges ZIP-Archiv bzw. eine beschädigte "
                  "Excel-Datei (.xlsx). Bitte neu speichern oder neu herunterladen.",
    "sqlite": "Eine GeoPackage-/SQLite-Datei ist hier nicht möglich (nur bei Grenzen). Bitte CSV oder Excel.",
}


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
    paths) and the unpacked size must stay reasonable (zip bombs)."""
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
        elif entry.file_size > MAX_RATIO * max(entry.compress_size, 1) and entry.file_size > 10_000_000:
            befunde.append(Befund(name, None, entry.filename, "Der Eintrag ist verdächtig stark komprimiert "
                                                              "(Zip-Bombe?); aus Sicherheitsgründen abgelehnt."))
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        befunde.append(Befund(name, None, None, f"Das ZIP-Archiv wäre entpackt {zahl(unpacked / 1e6)} MB groß "
                                                f"(erlaubt: {zahl(MAX_UNPACKED_BYTES / 1e6)} MB)."))
    if befunde:
        archive.close()
        raise EingabeFehler(befunde)
    return archive
