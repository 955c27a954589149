"""Text encodings of the files planners receive: the bytes of a text file → str, or a German refusal.

Decoders in a fixed order (STYLE-EXAMPLES 1.1): a byte-order mark decides first (UTF-8, UTF-16 LE/BE – Excel's
"Unicode-Text" export), then NUL-byte patterns (UTF-16 without BOM), then strict UTF-8. What is left is a one-byte
code page: Windows-1252 (Excel on Windows, "ANSI") or Mac Roman (Excel for Mac). Both decode any byte, so the choice
is charset-normalizer's (the library requests uses; its "chaos" measure ranks candidates), with a tie broken by
German letters: Mac Roman's ü (0x9F) is Windows-1252's Ÿ, which no German text contains.

Mojibake that is already in the text (UTF-8 read as Windows-1252 and saved again: „Ã¼“ for „ü“) cannot be repaired
safely; `verstuemmelt` finds it so the reader refuses that cell with line and field."""

import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from sozialmonitor.einlesen.befunde import befund
from sozialmonitor.einlesen.dateiart import REFUSED_KINDS, sniff

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
EINBYTE = ("cp1252", "mac_roman")
NAMEN = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 mit BOM", "utf-16": "UTF-16 mit BOM (Excel „Unicode-Text“)",
         "utf-16-le": "UTF-16 LE ohne BOM", "utf-16-be": "UTF-16 BE ohne BOM", "cp1252": "Windows-1252 (ANSI)",
         "mac_roman": "Mac Roman (Excel für Mac)", "ascii": "UTF-8 (nur ASCII-Zeichen)",
         "utf-8-defekt": "UTF-8 mit beschädigten Bytes"}
DEFEKT = "\ufffd"  # the replacement character a broken byte becomes (Unicode REPLACEMENT CHARACTER)
DEUTSCH = set("äöüÄÖÜß")
# Letters a one-byte decoding with the wrong code page produces inside German words
FREMD = set("ŸŠŒŽšœžƒ†‡ˆ‰‹›•˜™¬√∫≈∆«»ÆØæø¿¡ﬁﬂ‚„")
# UTF-8 bytes of ä, ö, ü, ß, é … shown as Windows-1252/Latin-1 characters: 'Ã' followed by a continuation byte
MOJIBAKE = re.compile("Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
                      "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|Â[\u00a0-\u00bf]|Ÿ")


@dataclass(frozen=True)
class Text:
    """A decoded text file and its encoding (Python codec name) for the preview."""

    text: str
    kodierung: str

    @property
    def name(self) -> str:
        """The encoding as a person reads it in the preview: 'UTF-16 mit BOM (Excel „Unicode-Text“)'."""
        return NAMEN.get(self.kodierung, self.kodierung)


def decode(data: bytes, name: str) -> str:
    """The text of a text file in any supported encoding; raises EingabeFehler (German) for binary files."""
    return erkenne(data, name).text


def erkenne(data: bytes, name: str) -> Text:
    """Decode bytes as the first fitting decoder: BOM, UTF-16 by NUL pattern, strict UTF-8, then Windows-1252 or
    Mac Roman. Raises EingabeFehler for non-text files (Excel 97, ZIP, SQLite, images)."""
    kind = sniff(data)
    if kind in REFUSED_KINDS:
        raise befund(name, REFUSED_KINDS[kind])
    for bom, codec in BOMS:
        if data.startswith(bom):
            return _strict(data, codec, name)
    if b"\x00" in data[:65536]:
        codec = _utf16_without_bom(data[:65536])
        if codec is None:
            raise befund(name, "Die Datei ist keine Textdatei (CSV). Bitte als CSV (Trennzeichen Semikolon) oder "
                               "Excel-Arbeitsmappe (.xlsx) speichern.")
        return _strict(data, codec, name)
    try:
        text = data.decode("utf-8")
        return Text(text, "utf-8" if not text.isascii() else "ascii")
    except UnicodeDecodeError:
        pass
    beschaedigt = _utf8_mit_defekten_bytes(data)
    if beschaedigt is not None:
        return Text(beschaedigt, "utf-8-defekt")
    return Text(*_einbyte(data))


def _utf8_mit_defekten_bytes(data: bytes) -> str | None:
    """A UTF-8 file with a few broken bytes (a transfer fault, a cut-off character): more valid non-ASCII UTF-8
    characters than invalid bytes. Decoded as UTF-8 with each broken byte as U+FFFD, which the table reader refuses
    cell by cell (one finding naming line and field) – not the whole file read as Windows-1252, which would turn
    every correct Umlaut into mojibake on other lines. None for a file that is not such."""
    text = data.decode("utf-8", errors="replace")
    defekt = text.count(DEFEKT)
    gueltig = sum(1 for ch in text if ord(ch) > 127 and ch != DEFEKT)
    return text if gueltig > defekt else None


def _strict(data: bytes, codec: str, name: str) -> Text:
    try:
        return Text(data.decode(codec), codec)
    except UnicodeDecodeError as exc:
        raise befund(name, f"Die Datei beginnt wie {NAMEN[codec]}, enthält aber an Byte {exc.start} Zeichen, die "
                           "es darin nicht gibt. Bitte neu speichern (UTF-8).") from exc


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text with ASCII letters has a NUL in every other byte: odd positions for little endian."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    odd = head[1:2 * pairs:2].count(0) / pairs
    even = head[0:2 * pairs:2].count(0) / pairs
    if odd > 0.6 and even < 0.05:
        return "utf-16-le"
    if even > 0.6 and odd < 0.05:
        return "utf-16-be"
    return None


def _einbyte(data: bytes) -> tuple[str, str]:
    """Windows-1252 or Mac Roman: charset-normalizer's ranking, ties broken by German letters."""
    results = {match.encoding: match.chaos for match in from_bytes(data[:200_000], cp_isolation=list(EINBYTE))}
    best = min(results.values(), default=0.0)

    def score(codec: str) -> tuple:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:  # cp1252 leaves five bytes undefined
            return (1, 0, 0)
        plausible = sum(ch in DEUTSCH for ch in text) - 3 * sum(ch in FREMD for ch in text)
        near_best = results.get(codec, 1.0) <= best + 0.02
        return (0, -int(near_best), -plausible)

    codec = min(EINBYTE, key=score)
    return data.decode(codec, errors="replace"), codec


def verstuemmelt(text: str) -> str | None:
    """The first mojibake sequence in a text ('Ã¼'), or None."""
    found = MOJIBAKE.search(text)
    return found.group(0) if found else None
