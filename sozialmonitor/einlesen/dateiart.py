"""What kind of file this is, from its first bytes (users rename files), the kinds no table reader takes, and zip
archives checked before anything is unpacked."""

import io
import re
import zipfile
from pathlib import PurePosixPath

from sozialmonitor.einlesen import entpacken
from sozialmonitor.einlesen.befunde import befund
from sozialmonitor.errors import Befund, EingabeFehler


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


GRENZFORMATE = "GeoJSON, GeoPackage, gezipptes Shapefile, KML oder KMZ"
TEXTARTEN = {"geojson": "GeoJSON-Grenzdatei", "json": "JSON-Datei", "kml": "KML-Grenzdatei (Google Earth)",
             "xml": "XML-Datei"}


def textart(data: bytes) -> str:
    """What a text file holds, from its first characters: 'geojson' or 'json' (starts with { or [), 'kml' (XML with a
    <kml> element), 'xml' (other XML: GML, an Excel 2003 XML sheet …) or 'tabelle' (anything else: CSV, TSV)."""
    head = data[:8192]
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom):].decode(codec, errors="ignore")
            break
    else:
        head = head.decode("utf-8", errors="ignore")
    head = head.lstrip(" \t\r\n\ufeff")
    if re.match(r'\{\s*("|\})|\[\s*[{\["\d\]-]', head):  # a JSON object or array – not "[Tabelle 1]"
        return "geojson" if re.search(r'"type"\s*:\s*"(Feature|FeatureCollection)"', head) else "json"
    if re.match(r"<(\?xml|!--|[A-Za-z_][\w:.-]*[\s>/])", head):  # an XML declaration or element – not "<5;…"
        return "kml" if re.search(r"<(\w+:)?kml[\s>]", head, re.IGNORECASE) else "xml"
    return "tabelle"


def ist_kmz(data: bytes) -> bool:
    """A KMZ: a ZIP archive holding a .kml file (Google Earth)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(n.lower().endswith(".kml") for n in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """A zip archive checked before anything is unpacked: no entry may leave the target folder (../, absolute
    paths) and the unpacked size must stay reasonable (zip bombs: einlesen.entpacken)."""
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
    befunde += entpacken.pruefe_verzeichnis(archive, name)  # sizes, ratio, entries (zip bombs)
    if befunde:
        archive.close()
        raise EingabeFehler(befunde)
    return archive
