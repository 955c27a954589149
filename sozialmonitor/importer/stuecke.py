"""A large observations file checked (and written) in pieces, so the memory needed does not grow with the file
(issue 23; docs/betrieb.md, „Speicher“).

Read whole, a CSV needs about 30 to 35 times its size (every cell a Python string, several tables of them at
once): 5,8 GB for 200 MB. Here the file's bytes are split at line ends into pieces of STUECK_BYTES (never inside a
quoted field), each piece decoded in the file's encoding and checked like a file of its own – with the file's
heading line in front, the file's line numbers, delimiter, quoting and decimal mark – and only what the report
needs is kept: the counts, the first rows of each kind of change for the preview, the findings and the notes.
The findings are the whole file's: the first MAX_BEFUNDE of each check across all pieces, a key repeated in a later
piece points at its first line in an earlier one (a 64-bit hash of the key per row is kept, 16 bytes a row), the
decimal mark is the whole file's (a piece with a cell like „1.503“ is read again when its own mark differs), and
the notes about areas without values and merged Gemeinden are made once from what all pieces read.
Writing („Übernehmen“) reads the pieces a second time and writes each in a transaction of its own into the
working copy of the database, which is published only when all are written.

Only plain text tables of the interchange layout go this way (no import profile, no --vorgaenger, no weights, not
UTF-16); anything else is read whole. Files above GROESSTE_MB are refused before they are read (ablauf.run and
the command line).

A note that lists lines or codes (invisible characters removed, dates read as periods, Gemeinden left out, areas
added from the register, keys converted) is made per piece and joined into one with the codes of all pieces
(klartext.Sammelhinweis). Limit, named: two rows that name the same area only after a key was converted
(03151401002 and 03151002) are found within a piece, not across pieces.

May import: basis, daten, einlesen, importer (its siblings)."""

import codecs
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sozialmonitor import klartext
from sozialmonitor.einlesen import gebietsstand
from sozialmonitor.einlesen.befunde import MAX_BEFUNDE, befund
from sozialmonitor.einlesen.dateiart import sniff, textart
from sozialmonitor.einlesen.kodierung import BOMS, NAMEN, erkenne
from sozialmonitor.einlesen.tabelle import Stueck, lese_zellen, trennzeichen
from sozialmonitor.einlesen.zahlen import stil_aus
from sozialmonitor.errors import Befund, EingabeFehler
from sozialmonitor.fmt import zahl
from sozialmonitor.importer.beobachtungen import (
    OBSERVATION_FIELDS,
    Pruefung,
    _successor_table,
    pruefen,
    schreiben,
)
from sozialmonitor.importer.ergebnis import Ergebnis, Progress
from sozialmonitor.importer.gebiete import hinweise_ohne_daten, is_boundary_file
from sozialmonitor.importer.schreiben import (
    OBSERVATION_KEY,
    _decide,
    _result,
    _step,
    register_batch,
    transaction,
)

GROESSTE_MB = 200  # the largest file checked at all (= server.maxUploadSize of the uploader)
AB_BYTES = 8 * 1024 * 1024  # files above this are read in pieces
STUECK_BYTES = 4 * 1024 * 1024  # one piece: about 140 MB while it is checked
VORSCHAU = 1000  # rows of each kind of change kept for the preview (Ergebnis.vorschau's limit)
_NUR_KOPF = "Die Datei enthält nur die Kopfzeile und keine Daten."


def zu_gross(groesse: int, name: str) -> EingabeFehler | None:
    """The German refusal for a file above GROESSTE_MB (groesse in bytes), or None. Asked before a file is read."""
    if groesse <= GROESSTE_MB * 1024 * 1024:
        return None
    return befund(klartext.bereinigen(name), f"Die Datei ist zu groß: {zahl(groesse / 1024 / 1024, 1)} MB, höchstens "
                                             f"{zahl(GROESSTE_MB)} MB je Datei. Bitte in mehrere Dateien teilen "
                                             "(etwa je Jahr oder je Indikator) und nacheinander importieren.")


def in_stuecken(data: bytes, name: str, *, profil: str | None, predecessors: bool, weights, indikator: str) -> bool:
    """Whether this observations file is checked in pieces: larger than AB_BYTES, a plain text table in the
    interchange layout, in an encoding whose line ends are single bytes."""
    return (len(data) > AB_BYTES and not profil and not predecessors and weights is None and not indikator
            and sniff(data) == "text" and textart(data) == "tabelle" and not is_boundary_file(data, name)
            and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in data[:65536])


def _kodierung(data: bytes, name: str) -> tuple[str, str, str]:
    """(codec of the first piece, codec of the others, the encoding's name for the preview) as kodierung.erkenne
    decides it for the whole file; refusals (broken UTF-8 after a BOM) are the whole file's."""
    for bom, codec in BOMS:
        if data.startswith(bom) and codec == "utf-8-sig":
            _gueltig(data, name, "utf-8-sig")
            return "utf-8-sig", "utf-8", NAMEN["utf-8-sig"]
    if data.isascii():
        return "ascii", "ascii", NAMEN["ascii"]
    if _gueltig(data, name, "utf-8", werfen=False):
        return "utf-8", "utf-8", NAMEN["utf-8"]
    gelesen = erkenne(data, name)  # a one-byte code page: decodes any byte, the choice needs the whole text once
    codec = gelesen.kodierung
    del gelesen
    return codec, codec, NAMEN.get(codec, codec)


def _gueltig(data: bytes, name: str, codec: str, werfen: bool = True) -> bool:
    """Whether data decodes strictly in codec, read in 16-MB steps (nothing kept); with werfen the whole file's
    refusal (kodierung.erkenne → _strict) instead of False."""
    decoder = codecs.getincrementaldecoder(codec)()
    schritt = 16 * 1024 * 1024
    try:
        for start in range(0, len(data), schritt):
            decoder.decode(data[start:start + schritt], final=start + schritt >= len(data))
    except UnicodeDecodeError:
        if werfen:
            erkenne(data, name)  # raises the same German refusal as reading the whole file
        return False
    return True


def grenzen(data: bytes, groesse: int, gequotet: bool) -> list[tuple[int, int]]:
    """(start, end) byte ranges of the pieces: each about groesse bytes, ending after a line end, never inside a
    quoted field (an even number of '"' in each piece when the file has quotes)."""
    teile, start, n = [], 0, len(data)
    while start < n:
        end = min(start + groesse, n)
        if end < n:
            nl = data.find(b"\n", end - 1)
            end = n if nl < 0 else nl + 1
            quotes = data.count(b'"', start, end) if gequotet else 0
            while quotes % 2 and end < n:
                nl = data.find(b"\n", end)
                neu = n if nl < 0 else nl + 1
                quotes += data.count(b'"', end, neu)
                end = neu
        teile.append((start, end))
        start = end
    return teile


@dataclass
class _Stuecke:
    """The pieces of one file and what the whole file decides."""

    data: bytes
    name: str
    teile: list[tuple[int, int]]
    codec_erstes: str
    codec: str
    kodierung: str
    delimiter: str
    gequotet: bool
    kopf: str = ""  # the heading line's text
    kopf_zeile: int = 1  # its line in the file
    erste_zeilen: list[int] = field(default_factory=list)  # the file line of each piece's first line
    stil: str | None | bool = False
    schluessel: list = field(default_factory=list)  # per piece: (sorted key hashes, their first line)

    def text(self, i: int) -> str:
        start, end = self.teile[i]
        return self.data[start:end].decode(self.codec_erstes if i == 0 else self.codec,
                                           errors="replace" if self.codec in ("cp1252", "mac_roman") else "strict")

    def stueck(self, i: int, text: str | None = None) -> Stueck:
        text = self.text(i) if text is None else text
        zeilen = _zeilen_anzahl(text)
        eigene = np.arange(self.erste_zeilen[i], self.erste_zeilen[i] + zeilen)
        if i > 0:
            text, eigene = self.kopf + "\n" + text, np.concatenate([[self.kopf_zeile], eigene])
        return Stueck(text, eigene, self.delimiter, self.gequotet, self.kodierung, self.stil,
                      lambda keys, lines, i=i: self._frueher(i, keys, lines))

    def _frueher(self, i: int, keys: pd.DataFrame, lines: pd.Series) -> np.ndarray:
        """The line where each key first stood in a piece before i (NaN: nowhere); remembers piece i's keys."""
        hashes = pd.util.hash_pandas_object(keys, index=False).to_numpy()
        first = np.full(len(hashes), np.nan)
        for earlier_hashes, earlier_lines in self.schluessel[:i]:
            if len(earlier_hashes) == 0:
                continue
            pos = np.minimum(np.searchsorted(earlier_hashes, hashes), len(earlier_hashes) - 1)
            hit = np.isnan(first) & (earlier_hashes[pos] == hashes)
            first[hit] = earlier_lines[pos[hit]]
        order = np.lexsort((lines.to_numpy(), hashes))
        sorted_hashes = hashes[order]
        keep = np.r_[True, sorted_hashes[1:] != sorted_hashes[:-1]] if len(order) else np.array([], dtype=bool)
        eintrag = (sorted_hashes[keep], lines.to_numpy()[order][keep].astype("float64"))
        if len(self.schluessel) > i:
            self.schluessel[i] = eintrag
        else:
            self.schluessel.append(eintrag)
        return first


def _zeilen_anzahl(text: str) -> int:
    """Lines of a piece as the reader counts them (\\r\\n and \\r are line ends too)."""
    lines = text.count("\n") + text.count("\r") - text.count("\r\n")
    return lines + (0 if text.endswith(("\n", "\r")) or not text else 1)


def _vorbereiten(data: bytes, name: str) -> _Stuecke:
    """Split the file, decide its encoding, delimiter and quoting, find its heading line."""
    codec_erstes, codec, kodierung = _kodierung(data, name)
    gequotet = b'"' in data
    teile = grenzen(data, STUECK_BYTES, gequotet)
    stuecke = _Stuecke(data, name, teile, codec_erstes, codec, kodierung, ";", gequotet)
    erste = stuecke.text(0)
    stuecke.delimiter = trennzeichen(erste.replace("\r\n", "\n").replace("\r", "\n"))
    zeile = 1
    for i in range(len(teile)):
        stuecke.erste_zeilen.append(zeile)
        zeile += _zeilen_anzahl(erste if i == 0 else stuecke.text(i))
    # the heading: the first line with a filled cell, read as the whole file reads it (invisible characters, quotes)
    lines = erste.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    probe = "\n".join(lines[:1000])
    zellen = lese_zellen(b"", name, stueck=Stueck(probe, np.arange(1, len(lines[:1000]) + 1), stuecke.delimiter,
                                                 gequotet, kodierung))
    filled = np.flatnonzero((zellen.cells != "").any(axis=1).to_numpy())
    if filled.size:
        stuecke.kopf_zeile = int(zellen.lines[filled[0]])
        stuecke.kopf = lines[stuecke.kopf_zeile - 1]
    return stuecke


@dataclass
class _Teil:
    """What one piece contributes to the report."""

    befunde: list[Befund]
    anzahlen: Counter
    vorschau: pd.DataFrame
    zeilen: int
    hinweise: list[str]  # keys.hinweise and the Gemeinden left out
    notizen: list[str]  # klartext notes (control or invisible characters, dates)
    gebiete: set
    umrechnung: pd.DataFrame  # (gebiet, zeitraum) of codes that kept their key after a merger
    stil: tuple
    mehrdeutig: bool
    pruefung: Pruefung | None = None


def _teil(con, stuecke: _Stuecke, i: int, neue_gebiete: bool, nummern: str | None, paare: pd.DataFrame,
          ueberlebende: set, halten: bool = False) -> _Teil | None:
    """Check piece i; None if it holds no data row (blank lines only)."""
    with klartext.hinweise_sammeln() as notizen:
        try:
            pruefung = pruefen(con, b"", stuecke.name, neue_gebiete=neue_gebiete, nummern=nummern,
                               stueck=stuecke.stueck(i))
        except EingabeFehler as exc:
            if (i > 0 or len(stuecke.teile) > 1) and [b.meldung for b in exc.befunde] == [_NUR_KOPF]:
                return None  # blank lines only: the whole file's refusal comes when no piece has data
            raise
    diff = pruefung.diff
    anzahlen = Counter(diff["aenderung"].value_counts().to_dict())
    vorschau = diff.groupby("aenderung", sort=False, group_keys=False).head(VORSCHAU)
    return _Teil(pruefung.befunde, anzahlen, vorschau, pruefung.zeilen, pruefung.keys.hinweise + pruefung.aufgeloest,
                 list(notizen), set(pruefung.rows["gebiet"]),
                 pruefung.rows.loc[pruefung.rows["gebiet"].isin(ueberlebende), ["gebiet", "zeitraum"]]
                 .drop_duplicates(), pruefung.stil, pruefung.mehrdeutig, pruefung if halten else None)


def _befunde(teile: list[_Teil]) -> list[Befund]:
    """The findings of all pieces as the whole file gives them: per check (Befund.art) the first MAX_BEFUNDE in
    file order; findings without a line once."""
    gezaehlt: Counter = Counter()
    ohne_zeile: list[Befund] = []
    result = []
    for teil in teile:
        for b in teil.befunde:
            if b.zeile is None:
                if b not in ohne_zeile:
                    ohne_zeile.append(b)
                    result.append(b)
            elif gezaehlt[b.art] < MAX_BEFUNDE:
                gezaehlt[b.art] += 1
                result.append(b)
    return result


def _hinweise(listen) -> list[str]:
    """The pieces' notes about keys and left-out rows as the whole file gives them: a note that lists codes or lines
    once with those of every piece (klartext.Sammelhinweis), in the whole file's order of kinds (art[0])."""
    verbunden = klartext.hinweise_verbinden(listen)
    return sorted(verbunden, key=lambda h: h.art[0] if isinstance(h, klartext.Sammelhinweis) else 0)


def pruefen_in_stuecken(con, data: bytes, name: str, *, dry_run: bool, progress: Progress | None = None,
                        neue_gebiete: bool = False, nummern: str | None = None) -> tuple[Ergebnis, list[Befund],
                                                                                      _Stuecke]:
    """Check a large observations file piece by piece: the Ergebnis (counts, preview, notes) and the findings as the
    whole file gives them, and the pieces (for writing)."""
    _step(progress, 0.1, "Datei lesen")
    stuecke = _vorbereiten(data, name)
    paare = _successor_table(con)
    ueberlebende = set(gebietsstand.ueberlebende_codes(paare))
    teile: list[_Teil | None] = []
    for i in range(len(stuecke.teile)):
        _step(progress, 0.1 + 0.6 * i / len(stuecke.teile),
              f"Werte prüfen (Teil {zahl(i + 1)} von {zahl(len(stuecke.teile))})")
        teile.append(_teil(con, stuecke, i, neue_gebiete, nummern, paare, ueberlebende))
    gelesen = [t for t in teile if t is not None]
    if not gelesen:
        raise befund(name, _NUR_KOPF)
    stuecke.stil = stil_aus(any(t.stil[0] for t in gelesen), any(t.stil[1] for t in gelesen))
    for i, teil in enumerate(teile):  # read again where the file's decimal mark decides a cell differently
        if teil is not None and teil.mehrdeutig and stil_aus(*teil.stil) != stuecke.stil:
            teile[i] = _teil(con, stuecke, i, neue_gebiete, nummern, paare, ueberlebende)
    gelesen = [t for t in teile if t is not None]
    _step(progress, 0.75, "Mit der Datenbank vergleichen")
    anzahlen = sum((t.anzahlen for t in gelesen), Counter())
    vorschau = pd.concat([t.vorschau for t in gelesen], ignore_index=True)
    vorschau = vorschau.groupby("aenderung", sort=False, group_keys=False).head(VORSCHAU).sort_values(
        "zeile", kind="stable").reset_index(drop=True)
    ergebnis = _result("beobachtungen", name, vorschau, OBSERVATION_KEY, OBSERVATION_FIELDS, dry_run)
    ergebnis.neu, ergebnis.geaendert, ergebnis.unveraendert = (int(anzahlen[a]) for a in
                                                               ("neu", "geaendert", "unveraendert"))
    ergebnis.anzahlen = {a: int(n) for a, n in anzahlen.items()}
    ergebnis.zeilen = sum(t.zeilen for t in gelesen)
    gebiete = set().union(*(t.gebiete for t in gelesen))
    umrechnung = gebietsstand.warnungen_ohne_umrechnung(
        pd.concat([t.umrechnung for t in gelesen], ignore_index=True), paare)
    ergebnis.hinweise = (umrechnung + _hinweise(t.hinweise for t in gelesen)
                         + hinweise_ohne_daten(con, pd.DataFrame({"gebiet": sorted(gebiete)}, dtype="str")))
    ergebnis.kodierung = stuecke.kodierung
    klartext.notieren(klartext.hinweise_verbinden(t.notizen for t in gelesen))
    return ergebnis, _befunde(gelesen), stuecke


def import_observations(con, data: bytes, name: str, digest: str, *, replace: bool = False, dry_run: bool = False,
                        progress: Progress | None = None, neue_gebiete: bool = False,
                        nummern: str | None = None) -> Ergebnis:
    """beobachtungen.import_observations for a file read in pieces: checked first, then – unless dry_run or
    refused – each piece read again and written into one batch, in one transaction."""
    ergebnis, befunde, stuecke = pruefen_in_stuecken(con, data, name, dry_run=dry_run, progress=progress,
                                                     neue_gebiete=neue_gebiete, nummern=nummern)
    if not _decide(con, ergebnis, befunde, replace):
        return ergebnis
    paare = _successor_table(con)
    # one transaction per piece: DuckDB holds a transaction's new rows in memory (measured, bench/speicher_bench.py
    # uebernehmen: one for a 50-MB file 0,86 instead of 0,55 GB, for 200 MB over 1,8 GB). All or nothing still
    # holds – the pieces go into the working copy, which is published only when every piece is written
    # (daten.arbeitskopie) and thrown away otherwise.
    with transaction(con):
        import_id = register_batch(con, ergebnis, digest, data)
    for i in range(len(stuecke.teile)):
        _step(progress, 0.75 + 0.2 * i / len(stuecke.teile),
              f"Schreiben (Teil {zahl(i + 1)} von {zahl(len(stuecke.teile))})")
        teil = _teil(con, stuecke, i, neue_gebiete, nummern, paare, set(), halten=True)
        if teil is not None:
            with transaction(con):
                schreiben(con, teil.pruefung, import_id)
    return ergebnis
