"""Hypothesis strategies for import tests, defined once (model: pandas/_testing/_hypothesis.py): a table of counts
and rates with its true stored values, and every way a planner's software writes it out – encoding, delimiter,
number style, the BA's or the statistical offices' symbols, Excel."""

import csv
import io
from dataclasses import dataclass

import openpyxl
from hypothesis import strategies as st

# The tiny test database (tests/daten): its areas and indicators
GEBIETE = ["01001001", "01001002", "01001003", "01001", "DG", "SRA", "SRB"]
QUOTE, ANZAHL = "quote_jahr", "anzahl"  # a rate in % with 1 decimal; a count shown without decimals
QUELLE = "Statistik für Gemeinden – Größe, Übersicht"  # umlauts, ß and an en dash survive every encoding

SYMBOLSAETZE = {  # status → symbol, for the BA and for the statistical offices (einlesen/zahlen.py SYMBOLE)
    "ba": {"gesperrt": "*", "fehlt": ".", "entfaellt": "x", "null": "-"},
    "amt": {"gesperrt": "/", "fehlt": "...", "entfaellt": "x", "null": "–"},
}
KENNZEICHEN = {"p": "vorlaeufig", "r": "berichtigt", "s": "geschaetzt", "()": "unsicher"}


@dataclass(frozen=True)
class Zeile:
    """One observation as it is meant: art 'zn' (counts of a rate), 'w' (a value only), 'sym' (a symbol),
    'null' (the zero symbol); flag: one of KENNZEICHEN or None."""

    gebiet: str
    indikator: str
    jahr: int
    art: str
    zaehler: int = 0
    nenner: int = 0
    wert: float = 0.0
    status: str = "ok"
    flag: str | None = None

    def erwartet(self) -> tuple:
        """(zaehler, nenner, wert, status, kennzeichen) as they must be stored; None for missing."""
        flag = KENNZEICHEN.get(self.flag) if self.flag else None
        if self.art == "sym":
            return (None, None, None, self.status, None)
        if self.art == "null":
            if self.indikator == QUOTE:
                return (0.0, float(self.nenner), 0.0, "ok", None)
            return (None, None, 0.0, "ok", None)
        if self.art == "zn":
            return (float(self.zaehler), float(self.nenner), 100 * self.zaehler / self.nenner, "ok", flag)
        return (None, None, self.wert, "ok", flag)


@st.composite
def zeilen(draw) -> list[Zeile]:
    """A table of counts and rates: distinct keys, every kind of cell."""
    keys = draw(st.lists(st.tuples(st.sampled_from(GEBIETE), st.sampled_from([QUOTE, ANZAHL]),
                                   st.integers(2000, 2039)), min_size=1, max_size=12, unique=True))
    rows = []
    for gebiet, indikator, jahr in keys:
        art = draw(st.sampled_from(["zn", "w", "sym", "null"] if indikator == QUOTE else ["w", "sym", "null"]))
        flag = draw(st.sampled_from([None, None, "p", "r", "s", "()"])) if art in ("zn", "w") else None
        if art == "zn":
            nenner = draw(st.integers(1, 2_000_000))
            rows.append(Zeile(gebiet, indikator, jahr, art, zaehler=draw(st.integers(0, nenner)), nenner=nenner,
                              flag=flag))
        elif art == "w":
            wert = (draw(st.integers(0, 1000)) / 10 if indikator == QUOTE else float(draw(st.integers(0, 9_999_999))))
            rows.append(Zeile(gebiet, indikator, jahr, art, wert=wert, flag=flag))
        elif art == "sym":
            rows.append(Zeile(gebiet, indikator, jahr, art, status=draw(st.sampled_from(["gesperrt", "fehlt",
                                                                                         "entfaellt"]))))
        else:
            rows.append(Zeile(gebiet, indikator, jahr, art, nenner=draw(st.integers(1, 50_000))))
    return rows


@dataclass(frozen=True)
class Schreibweise:
    """How a file is written: encoding ('xlsx' for an Excel workbook), delimiter, number style ('de': 1.503,5;
    'de_ohne': 1503,5; 'en': 1,503.5; 'en_ohne': 1503.5), symbol set."""

    kodierung: str
    trennzeichen: str
    zahlen: str
    symbole: str


schreibweisen = st.builds(Schreibweise,
                          st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "mac_roman", "xlsx"]),
                          st.sampled_from([";", ",", "\t"]), st.sampled_from(["de", "de_ohne", "en", "en_ohne"]),
                          st.sampled_from(list(SYMBOLSAETZE)))


def zahl(value: float, style: str, decimals: int) -> str:
    text = f"{value:,.{decimals}f}" if style in ("de", "en") else f"{value:.{decimals}f}"
    if style.startswith("de"):
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _mit_flag(text: str, flag: str | None) -> str:
    if flag == "()":
        return f"({text})"
    return f"{text} {flag}" if flag else text


def zellen(row: Zeile, weise: Schreibweise, excel: bool = False) -> list:
    """The row's cells as this software writes them; Excel writes numbers as numbers."""
    symbols = SYMBOLSAETZE[weise.symbole]

    def number(value, decimals):
        if excel and not row.flag:
            return value if decimals else int(value)
        return _mit_flag(zahl(value, weise.zahlen, decimals), row.flag)

    z = n = w = ""
    if row.art == "zn":
        z, n = number(row.zaehler, 0), number(row.nenner, 0)
    elif row.art == "w":
        w = number(row.wert, 1 if row.indikator == QUOTE else 0)
    elif row.art == "sym":
        if row.indikator == QUOTE:
            z = n = symbols[row.status]
        else:
            w = symbols[row.status]
    elif row.indikator == QUOTE:
        z, n = symbols["null"], (row.nenner if excel else zahl(row.nenner, weise.zahlen, 0))
    else:
        w = symbols["null"]
    return [row.gebiet, row.indikator, str(row.jahr), z, n, w, QUELLE]


def datei(rows: list[Zeile], weise: Schreibweise) -> bytes:
    """The table written out as this software writes it."""
    header = ["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert", "quelle"]
    if weise.kodierung == "xlsx":
        workbook = openpyxl.Workbook()
        workbook.active.append(header)
        for row in rows:
            workbook.active.append(zellen(row, weise, excel=True))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=weise.trennzeichen, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(zellen(row, weise))
    return buffer.getvalue().encode(weise.kodierung)
