"""Heading blocks: the column headings of a table that take several rows (Regionalstatistik/GENESIS, the BA's and
the Land offices' tables, merged cells in Excel), read as one path per column –
„Insgesamt › Altersgruppen (unter 3 bis 75 u.m.) › Insgesamt“ – so that a column is named by all its headings, not
by the first cell that happens to read like it.

How a block is read:

1. The block is the run of heading rows that ends at the last heading row, right above the data. A heading row has
   at least two filled cells and none that is a number or a statistical symbol (- . x …); a year or a date is a
   heading (one column per year). A data row always has a number or a symbol, so the block never takes a data row.
2. A group heading stands for every column below it: in Excel, a merged cell's text for every cell of the merged
   range (the ranges are the sheet's); in a CSV, an empty cell right of a heading in an upper row of the block
   continues that heading, within the group above it (how a merged cell arrives in a CSV export).
3. A column's path is its non-empty headings from top to bottom; a heading repeated right below itself counts once
   (GENESIS writes a vertically merged cell into every row).
4. A name (an import profile's column) is looked up in three steps; the first step that finds any column decides:
   a) the whole path, the parts joined by „›“;
   b) the path without the rows that read the same over every column (they tell no column apart, e.g. GENESIS'
      „Altersgruppen (unter 3 bis 75 u.m.)“ over all 54 columns): so „Insgesamt“ is the column headed Insgesamt in
      every row that tells columns apart – the sum of the sums;
   c) the end of the path („Insgesamt“: every column whose last heading is Insgesamt).
   Several columns in the deciding step are refused, naming each by its whole path: never a guess.

Sources of the layouts: Regionalstatistik/GENESIS-Online CSV exports (e.g. 12411-02-03-5: three heading rows, the
group „Insgesamt“ over the age groups and three sum columns „Insgesamt“), BA-Statistik Excel tables (merged group
headings)."""

import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

TRENNER = " › "
_ZAHL = re.compile(r"[+-]?\(?\d[\d.,\s\u00a0']*\)?\s*(%|‰|[prs])?")
_SYMBOL = {"-", "–", "—", ".", "...", "…", "x", "X", "*", "/"}
_JAHR = re.compile(r"(19|20)\d{2}")


def normalise(text: str) -> str:
    """A heading for comparison: lower case, umlauts spelt out, any run of blanks one blank."""
    text = re.sub(r"\s+", " ", str(text)).strip().lower()
    return text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


def _datenzelle(cell: str) -> bool:
    """A cell only a data row has: a number (not a year or a date) or a statistical symbol."""
    if cell in _SYMBOL:
        return True
    if _JAHR.fullmatch(cell) or re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}(-\d{2})?|\d{1,2}/\d{4}", cell):
        return False
    return _ZAHL.fullmatch(cell) is not None


def ist_kopfzeile(row) -> bool:
    """A heading row: at least two filled cells, or one that is not in the first column (a group heading over the
    value columns; a title stands in the first column), and none of them a number or a symbol."""
    cells = list(row)
    filled = [cell for cell in cells if cell != ""]
    if not filled or any(_datenzelle(cell) for cell in filled):
        return False
    return len(filled) >= 2 or cells[0] == ""


@dataclass
class Kopf:
    """The heading block of a table: zeilen (0-based positions of its rows in the cells, top to bottom), and per
    column (0…k) its path (tuple of headings) and short path (without the rows that are the same over every
    column). A column without any heading has the path ()."""

    zeilen: list[int]
    pfade: list[tuple[str, ...]]
    kurz: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def letzte(self) -> int:
        return self.zeilen[-1]

    def text(self, spalte: int) -> str:
        return TRENNER.join(self.pfade[spalte])

    def finden(self, angabe: str) -> tuple[list[int], str]:
        """The columns a name means (see the module text): ([positions], step 'ganz'/'kurz'/'ende'); ([], '') if
        none. More than one position means the name is ambiguous."""
        teile = tuple(normalise(t) for t in re.split(r"\s*›\s*", str(angabe)) if t.strip())
        if not teile:
            return [], ""
        ganz = [tuple(normalise(h) for h in p) for p in self.pfade]
        kurz = [tuple(normalise(h) for h in p) for p in self.kurz]
        for schritt, kandidaten in (("ganz", [i for i, p in enumerate(ganz) if p and p == teile]),
                                    ("kurz", [i for i, p in enumerate(kurz) if p and p == teile]),
                                    ("ende", [i for i, p in enumerate(ganz) if len(p) >= len(teile)
                                              and p[-len(teile):] == teile])):
            if kandidaten:
                return kandidaten, schritt
        return [], ""


def _zusammenziehen(pfad) -> tuple[str, ...]:
    """Non-empty headings, a heading right below the same heading taken once."""
    result = []
    for heading in pfad:
        if heading and (not result or normalise(result[-1]) != normalise(heading)):
            result.append(heading)
    return tuple(result)


def block_bis(cells: pd.DataFrame, ende: int) -> list[int]:
    """The rows of the heading block whose last row is at position ende: ende and the heading rows right above it."""
    start = ende
    while start > 0 and ist_kopfzeile(cells.iloc[start - 1]):
        start -= 1
    return list(range(start, ende + 1))


def letzte_kopfzeile(cells: pd.DataFrame, start: int) -> int:
    """The last row of the heading block that holds the row at start: start and the heading rows right below it."""
    ende = start
    while ende + 1 < len(cells) and ist_kopfzeile(cells.iloc[ende + 1]):
        ende += 1
    return ende


def lesen(cells: pd.DataFrame, zeilen: list[int], excel: bool = False) -> Kopf:
    """The block of rows zeilen read as paths (see the module text). cells: for Excel with its merged ranges filled
    in (zellen_mit_verbundenen), excel True; for a CSV the upper rows are continued to the right instead."""
    block = cells.iloc[zeilen].to_numpy(dtype=object).copy()
    block = np.where(pd.isna(block), "", block).astype(object)
    if not excel and len(zeilen) > 1:
        for r in range(len(zeilen) - 1):  # upper rows: a group heading continues to the right, within its group
            for c in range(1, block.shape[1]):
                same_group = r == 0 or block[r - 1, c] == block[r - 1, c - 1]
                if block[r, c] == "" and block[r, c - 1] != "" and same_group and _unter_gefuellt(block, r, c):
                    block[r, c] = block[r, c - 1]
    pfade = [_zusammenziehen(block[:, c]) for c in range(block.shape[1])]
    konstant = []
    for r in range(len(zeilen)):
        filled = {normalise(v) for v in block[r] if v != ""}
        konstant.append(len(filled) == 1 and sum(v != "" for v in block[r]) > 1)
    kurz = []
    for c in range(block.shape[1]):
        ohne = _zusammenziehen([block[r, c] for r in range(len(zeilen)) if not konstant[r]])
        kurz.append(ohne if ohne else pfade[c])
    return Kopf(list(zeilen), pfade, kurz)


def _unter_gefuellt(block, r: int, c: int) -> bool:
    """Whether the column has a heading below row r (a group heading only continues over columns with headings)."""
    return any(block[k, c] != "" for k in range(r + 1, block.shape[0]))


def finden(cells: pd.DataFrame, namen: list[str], excel: bool = False, bis: int = 200) -> Kopf | None:
    """The first heading block (within the first bis rows) in which every name in namen fits at least one column;
    None if there is none. With no names: the first block. cells: as for lesen."""
    position = 0
    limit = min(len(cells), bis)
    while position < limit:
        if not ist_kopfzeile(cells.iloc[position]):
            position += 1
            continue
        ende = letzte_kopfzeile(cells, position)
        kopf = lesen(cells, block_bis(cells, ende), excel)
        if all(kopf.finden(name)[0] for name in namen):
            return kopf
        position = ende + 1
    return None


def vorschlag(cells: pd.DataFrame, excel: bool = False, bis: int = 100) -> int | None:
    """The position of the likely last heading row: of the first bis rows, the first heading row at least half as
    full as the fullest row, and the heading rows right below it; None where no row is a heading row (a file of
    data only) – never a data row."""
    head = cells.head(bis)
    filled = head.ne("").sum(axis=1).to_numpy()
    if filled.size == 0 or filled.max() == 0:
        return None
    for position in np.flatnonzero(filled >= max(2, filled.max() / 2)):
        if ist_kopfzeile(head.iloc[position]):
            return letzte_kopfzeile(cells, int(position))
    return None


def zellen_mit_verbundenen(cells: pd.DataFrame, verbunden) -> pd.DataFrame:
    """The cells with every merged range's text written into each of its cells (Excel keeps it in the first only),
    for reading the headings; the data are read from the cells as they are."""
    if not verbunden:
        return cells
    filled = cells.copy()
    for r0, c0, r1, c1 in verbunden:
        if r0 >= len(cells) or c0 >= cells.shape[1]:
            continue
        value = cells.iat[r0, c0]
        if value == "" or pd.isna(value):
            continue
        filled.iloc[r0:min(r1, len(cells) - 1) + 1, c0:min(c1, cells.shape[1] - 1) + 1] = value
    return filled


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
_BEREICH = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
MAX_BEREICHE = 10_000


def _spalte(letters: bytes) -> int:
    number = 0
    for letter in letters.decode("ascii"):
        number = number * 26 + ord(letter) - 64
    return number - 1


def verbundene_bereiche(data: bytes, blatt: str | None) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a worksheet of an Excel workbook (blatt: its name, default the first) as 0-based (first
    row, first column, last row, last column); [] where the workbook does not say. Read from the sheet's XML
    (<mergeCell ref="C8:T8"/>, ECMA-376 Part 1, 18.3.1.55), since openpyxl's read-only mode does not give them."""
    import xml.etree.ElementTree as ET
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = ET.fromstring(archive.read("xl/workbook.xml"))
            rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            sheets = workbook.findall("m:sheets/m:sheet", _NS)
            sheet = next((s for s in sheets if blatt is None or s.get("name") == blatt), None)
            if sheet is None:
                return []
            rid = sheet.get(f"{{{_NS['r']}}}id")
            target = next(r.get("Target") for r in rels.findall("p:Relationship", _NS) if r.get("Id") == rid)
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            xml = archive.read(path)
    except (KeyError, StopIteration, ET.ParseError, zipfile.BadZipFile, OSError, ValueError, TypeError):
        return []
    return [(int(r0) - 1, _spalte(c0), int(r1) - 1, _spalte(c1))
            for c0, r0, c1, r1 in _BEREICH.findall(xml)[:MAX_BEREICHE]]
