"""The text encoding of a Shapefile's attribute table (.dbf) when no .cpg file names it.

GDAL reads a DBF without .cpg and without a language driver ID as ISO-8859-1: a UTF-8 file (QGIS, GeoPandas and
ogr2ogr write UTF-8) then arrives as „SÃ¼lfeld“. The bytes themselves decide instead, in this order:

1. A `.cpg` next to the .dbf names the encoding: it is honoured (GDAL reads it; this module is not asked).
2. Every text field of every record decodes strictly as UTF-8 and some byte is not ASCII → UTF-8. German names
   in a one-byte code page (ü = 0xFC in Windows-1252, 0x81 in CP850) are never valid UTF-8, so this cannot
   mistake them.
3. The language driver ID (LDID, byte 29 of the DBF header) names a code page → that code page (table `LDID`,
   from the dBASE/ESRI list of language drivers).
4. No LDID (0): Windows-1252 or CP850 (DOS), whichever gives German letters instead of box-drawing or typographic
   characters (the tie-break of `einlesen.kodierung`); Windows-1252 on a tie.

Sources: dBASE file format (dBASE Level 5 header: record count at byte 4, header length 8, record length 10, LDID
29, field descriptors of 32 bytes from byte 32 up to 0x0D); ESRI, "Code pages supported by ArcGIS" (LDID values);
GDAL shapefile driver documentation (SHAPE_ENCODING, .cpg)."""

import codecs
import struct
from dataclasses import dataclass
from pathlib import Path

from sozialmonitor.einlesen.kodierung import DEUTSCH, FREMD

# Language driver ID → Python codec (dBASE / ESRI list); 0 = not given.
LDID = {
    0x01: "cp437", 0x02: "cp850", 0x03: "cp1252", 0x04: "mac_roman", 0x08: "cp865", 0x09: "cp437", 0x0A: "cp850",
    0x0B: "cp437", 0x0D: "cp437", 0x0E: "cp850", 0x0F: "cp437", 0x10: "cp850", 0x11: "cp437", 0x12: "cp850",
    0x13: "cp932", 0x14: "cp850", 0x15: "cp437", 0x16: "cp850", 0x17: "cp865", 0x18: "cp437", 0x19: "cp437",
    0x1A: "cp850", 0x1B: "cp437", 0x1C: "cp863", 0x1D: "cp850", 0x1F: "cp852", 0x22: "cp852", 0x23: "cp852",
    0x24: "cp860", 0x25: "cp850", 0x26: "cp866", 0x37: "cp850", 0x40: "cp852", 0x4D: "cp936", 0x4E: "cp949",
    0x4F: "cp950", 0x50: "cp874", 0x57: "cp1252", 0x58: "cp1252", 0x59: "cp1252", 0x64: "cp852", 0x65: "cp866",
    0x66: "cp865", 0x67: "cp861", 0x6A: "cp737", 0x6B: "cp857", 0x78: "cp950", 0x79: "cp949", 0x7A: "cp936",
    0x7B: "cp932", 0x7C: "cp874", 0x7D: "cp1255", 0x7E: "cp1256", 0x86: "cp737", 0x87: "cp852", 0x88: "cp857",
    0x96: "mac_cyrillic", 0x97: "mac_latin2", 0x98: "mac_greek", 0xC8: "cp1250", 0xC9: "cp1251", 0xCA: "cp1254",
    0xCB: "cp1253", 0xCC: "cp1257",
}
OHNE_LDID = ("cp1252", "cp850")
NAMEN = {"UTF-8": "UTF-8", "cp1252": "Windows-1252", "cp850": "DOS (CP850)", "cp437": "DOS (CP437)",
         "latin-1": "ISO-8859-1 (Latin-1)"}
MAX_LESEN = 64_000_000  # bytes of records looked at: all Gemeinden of Germany (VG250) are ~10 MB


@dataclass(frozen=True)
class DbfKodierung:
    """The encoding to read a DBF with (a Python codec name pyogrio/GDAL accept) and why, in German, for the report."""

    kodierung: str
    grund: str

    @property
    def name(self) -> str:
        return NAMEN.get(self.kodierung, self.kodierung)


def textfelder(data: bytes) -> tuple[int, list[bytes]]:
    """(LDID, the raw bytes of every character field of every record not marked deleted, trailing blanks cut).
    A header that is too short or inconsistent gives (LDID, []) – GDAL then reports the broken file."""
    if len(data) < 32:
        return 0, []
    ldid = data[29]
    records, header_length, record_length = struct.unpack("<IHH", data[4:12])
    fields, offset, position = [], 1, 32  # offset 1: each record starts with its deletion flag
    while position + 32 <= min(header_length, len(data)) and data[position] != 0x0D:
        kind, length = chr(data[position + 11]), data[position + 16]
        if kind not in "NF":  # as GDAL reads it: beyond 255 bytes the 'decimals' byte is the width's high byte
            length += data[position + 17] * 256
        if kind == "C":
            fields.append((offset, length))
        offset += length
        position += 32
    if not fields or record_length <= 0:
        return ldid, []
    values = []
    end = min(len(data), header_length + records * record_length, header_length + MAX_LESEN)
    for start in range(header_length, end - record_length + 1, record_length):
        if data[start] == 0x2A:  # '*': deleted
            continue
        for field_offset, length in fields:
            value = data[start + field_offset:start + field_offset + length].rstrip(b" \x00")
            if value:
                values.append(value)
    return ldid, values


def _utf8(value: bytes) -> bool:
    """Strict UTF-8; a multi-byte letter cut by the field width at the very end is allowed (GDAL cuts by bytes)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        decoder.decode(value, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _german(values: list[bytes], codec: str) -> int | None:
    """How German the texts read in codec: German letters minus three per foreign-looking character; None if the
    code page cannot decode the bytes at all."""
    score = 0
    for value in values:
        try:
            text = value.decode(codec)
        except UnicodeDecodeError:
            return None
        score += sum(ch in DEUTSCH for ch in text) - 3 * sum(ch in FREMD or "\u2500" <= ch <= "\u259f" for ch in text)
    return score


def erkenne(data: bytes) -> DbfKodierung:
    """The encoding of a DBF's texts from its bytes (see the module text). data: the whole .dbf file."""
    ldid, values = textfelder(data)
    wider = [v for v in values if not v.isascii()]
    if not wider:
        return DbfKodierung("UTF-8", "nur ASCII-Zeichen")
    if all(_utf8(v) for v in wider):
        return DbfKodierung("UTF-8", "ohne .cpg-Datei aus den Bytes erkannt")
    named = LDID.get(ldid)
    if named and _german(wider, named) is not None:
        return DbfKodierung(named, f"Sprachtreiber-Kennung 0x{ldid:02X} der DBF-Datei")
    scores = {codec: _german(wider, codec) for codec in OHNE_LDID}
    usable = [codec for codec in OHNE_LDID if scores[codec] is not None]
    if not usable:
        return DbfKodierung("latin-1", "keine Kennung; als Latin-1 gelesen")
    best = max(usable, key=lambda codec: (scores[codec], codec == OHNE_LDID[0]))
    return DbfKodierung(best, "ohne .cpg-Datei und Sprachtreiber-Kennung aus den Umlauten erkannt")


def fuer_shapefile(shp: Path) -> DbfKodierung | None:
    """The encoding to read a Shapefile's DBF with: None if a .cpg names it (GDAL honours the .cpg) or there is no
    .dbf, else erkenne() of the .dbf's bytes."""
    shp = Path(shp)
    siblings = {p.suffix.lower(): p for p in shp.parent.glob(shp.stem + ".*")}
    if ".cpg" in siblings and siblings[".cpg"].read_text(encoding="ascii", errors="ignore").strip():
        return None
    if ".dbf" not in siblings:
        return None
    with open(siblings[".dbf"], "rb") as handle:
        return erkenne(handle.read(MAX_LESEN + 65_536))


# What a .cpg file says (ESRI: a code page name or number) → Python codec; others are left to GDAL
CPG = {"utf-8": "UTF-8", "utf8": "UTF-8", "65001": "UTF-8", "1252": "cp1252", "ansi 1252": "cp1252",
       "cp1252": "cp1252", "windows-1252": "cp1252", "iso-8859-1": "latin-1", "iso8859-1": "latin-1",
       "88591": "latin-1", "8859_1": "latin-1", "latin1": "latin-1", "850": "cp850", "oem 850": "cp850"}
CPG_TEXT = {"UTF-8": "UTF-8", "cp1252": "1252", "cp850": "850", "latin-1": "ISO-8859-1", "cp437": "437"}


def _cpg_und_namen(shp: Path):
    """(what the .cpg says, its codec, the DBF's LDID, the non-ASCII names as bytes), or None where there is no .cpg
    with a known code page, no .dbf or no name beyond ASCII."""
    shp = Path(shp)
    siblings = {p.suffix.lower(): p for p in shp.parent.glob(shp.stem + ".*")}
    if ".cpg" not in siblings or ".dbf" not in siblings:
        return None
    said = siblings[".cpg"].read_bytes()[:100].decode("ascii", errors="ignore").strip()
    codec = CPG.get(said.lower())
    if codec is None:
        return None
    with open(siblings[".dbf"], "rb") as handle:
        data = handle.read(MAX_LESEN + 65_536)
    ldid, values = textfelder(data)
    wider = [v for v in values if not v.isascii()]
    return (said, codec, ldid, wider) if wider else None


def cpg_widerspruch(shp: Path) -> str | None:
    """A German problem when a Shapefile's .cpg says UTF-8 and the names in its .dbf are a one-byte code page (GDAL
    fails on them with Python's „'utf-8' codec can't decode“), naming both and an example; None when they agree, or
    there is no .cpg, no .dbf or nothing but ASCII. The other way round see cpg_einbyte_statt_utf8."""
    found = _cpg_und_namen(shp)
    if found is None:
        return None
    said, codec, ldid, wider = found
    if codec != "UTF-8" or all(_utf8(v) for v in wider):
        return None
    actual = erkenne_ohne_cpg(ldid, wider)
    example = wider[0].decode(actual.kodierung, errors="replace").strip()
    return (f"Die .cpg-Datei sagt „{said}“ ({NAMEN.get(codec, codec)}), die Namen der DBF-Datei sind aber "
            f"{actual.name} kodiert (z. B. „{example}“). Bitte in der .cpg-Datei "
            f"„{CPG_TEXT.get(actual.kodierung, actual.name)}“ eintragen oder die .cpg-Datei aus dem ZIP-Archiv nehmen "
            "(dann wird die Kodierung aus den Bytes erkannt).")


def cpg_einbyte_statt_utf8(shp: Path) -> str | None:
    """The sentence naming the cause when a .cpg names a one-byte code page and the DBF's names are UTF-8 (GDAL then
    delivers „SÃ¼lfeld“, which grenzen.verstuemmelte_namen refuses): „Die .cpg-Datei sagt „1252“ …, die Namen der
    DBF-Datei sind aber UTF-8 kodiert.“; None otherwise."""
    found = _cpg_und_namen(shp)
    if found is None:
        return None
    said, codec, _, wider = found
    if codec == "UTF-8" or not all(_utf8(v) for v in wider):
        return None
    return (f"Die .cpg-Datei sagt „{said}“ ({NAMEN.get(codec, codec)}), die Namen der DBF-Datei sind aber UTF-8 "
            "kodiert – bitte in der .cpg-Datei „UTF-8“ eintragen oder sie aus dem ZIP-Archiv nehmen.")


def erkenne_ohne_cpg(ldid: int, wider: list[bytes]) -> DbfKodierung:
    """The one-byte code page of non-UTF-8 names: the LDID's, else Windows-1252 or CP850 by the German letters."""
    named = LDID.get(ldid)
    if named and _german(wider, named) is not None:
        return DbfKodierung(named, f"Sprachtreiber-Kennung 0x{ldid:02X}")
    scores = {codec: _german(wider, codec) for codec in OHNE_LDID}
    usable = [codec for codec in OHNE_LDID if scores[codec] is not None]
    if not usable:
        return DbfKodierung("latin-1", "")
    return DbfKodierung(max(usable, key=lambda codec: (scores[codec], codec == OHNE_LDID[0])), "")
