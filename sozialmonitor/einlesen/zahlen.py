"""Numbers as planners' files write them: decimal comma or point, thousands separators, percent cells, and the
symbols of the Federal Employment Agency (BA) and the statistical offices (Destatis/GENESIS, Regionalstatistik).

A cell is read in three steps:
1. A symbol alone (table SYMBOLE) gives a status or a zero instead of a number.
2. Marks around a number are flags (KENNZEICHEN): "(12)" uncertain, "12 p" provisional, "12 r" revised,
   "12 s" estimated; a trailing "%" says the number is in percent.
3. The number. Where its form decides (1503, 6,5, 4.9, 1.503,5, 1.234.567) it is read as written. "1.503" or
   "1,503" (one separator, three digits after it, no leading zero) is a thousands separator or a decimal mark:
   decided by the column and the indicator (see `lies`), then by the file's other numbers, and refused where it
   stays ambiguous. A count never gets a fraction from a thousands dot.

Sources: Destatis, "Zeichenerklärung" of the GENESIS-Online tables and the Statistische Jahrbücher; BA-Statistik,
"Zeichenerklärung" of its tables (* Geheimhaltung, - nichts vorhanden, . keine Angabe, x Nachweis nicht sinnvoll).
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

# ------------------------------------------------------------------ the symbol table (README "Austauschformate")
# Symbol → what is stored. status: 'gesperrt' (suppressed by the source), 'fehlt' (missing), 'entfaellt' (not
# applicable); null: the number 0 with status 'ok'. One table for the BA's and the statistical offices' symbols.


@dataclass(frozen=True)
class Symbol:
    zeichen: str
    bedeutung: str  # as the source's Zeichenerklärung says it
    quelle: str
    status: str  # stored status; 'ok' only for the zero symbols, whose value is 0


SYMBOLE = (
    Symbol("*", "Geheimhaltung (Datenschutz)", "BA", "gesperrt"),
    Symbol("/", "keine Angabe, da Zahlenwert nicht sicher genug", "Statistische Ämter", "gesperrt"),
    Symbol(".", "Zahlenwert unbekannt oder geheim zu halten / keine Angabe", "BA, Statistische Ämter", "fehlt"),
    Symbol("...", "Angabe fällt später an", "Statistische Ämter", "fehlt"),
    Symbol("…", "Angabe fällt später an (als ein Zeichen geschrieben)", "Statistische Ämter", "fehlt"),
    Symbol("-", "nichts vorhanden (genau null)", "BA; Statistische Ämter als Bindestrich", "ok"),
    Symbol("–", "nichts vorhanden (genau null, Halbgeviertstrich)", "Statistische Ämter", "ok"),
    Symbol("—", "nichts vorhanden (genau null, Geviertstrich)", "Statistische Ämter", "ok"),
    Symbol("x", "Tabellenfach gesperrt, weil Aussage nicht sinnvoll", "BA, Statistische Ämter", "entfaellt"),
    Symbol("X", "Tabellenfach gesperrt, weil Aussage nicht sinnvoll", "BA, Statistische Ämter", "entfaellt"),
)
SYMBOL_STATUS = {s.zeichen: s.status for s in SYMBOLE if s.status != "ok"}
NULL_SYMBOLE = tuple(s.zeichen for s in SYMBOLE if s.status == "ok")
# Stronger status wins when a row's fields carry different symbols (a row with one suppressed field is suppressed)
STATUS_RANG = {"ok": 0, "fehlt": 1, "gesperrt": 2, "entfaellt": 3}

# Marks beside a number → a flag stored with the value (beobachtungen.kennzeichen). The value itself is kept.
KENNZEICHEN = {
    "()": ("unsicher", "Aussagewert eingeschränkt, da der Zahlenwert statistisch relativ unsicher ist"),
    "p": ("vorlaeufig", "vorläufige Zahl"),
    "r": ("berichtigt", "berichtigte Zahl"),
    "s": ("geschaetzt", "geschätzte Zahl"),
}
KENNZEICHEN_TEXT = {flag: text for flag, text in KENNZEICHEN.values()}

ERLAUBT = "Zahl, leer, " + " ".join(dict.fromkeys(s.zeichen for s in SYMBOLE)) + ", (Zahl), Zahl p/r/s"

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")  # blanks and apostrophes as thousands separators (1 503, 1'503)
_FLAG = re.compile(r"^(?P<rest>.*?[\d)])\s*(?P<flag>[prs])$")
_PARENS = re.compile(r"^\((?P<rest>.+)\)$")
_PERCENT = re.compile(r"^(?P<rest>.+?)\s*%$")
_INT = re.compile(r"^[+-]?\d+$")
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}([.,])\d{3}$")
_DE = re.compile(r"^[+-]?([1-9]\d{0,2}(\.\d{3})+(,\d+)?|\d+,\d+)$")  # 1.503,5 · 1.234.567 · 6,5
_EN = re.compile(r"^[+-]?([1-9]\d{0,2}(,\d{3})+(\.\d+)?|\d+\.\d+)$")  # 1,503.5 · 1,234,567 · 4.9


@dataclass
class Zelle:
    """One cell taken apart: the text without marks, a symbol's status, flags, and whether it is in percent."""

    zahl: str = ""
    status: str = "ok"
    null: bool = False
    kennzeichen: tuple = ()
    prozent: bool = False


def zerlege(cell: str) -> Zelle:
    """Symbol, flags, percent sign and the number text of one cell (steps 1 and 2 of the module docstring)."""
    text = cell.strip()
    if text == "":
        return Zelle()
    if text in SYMBOL_STATUS:
        return Zelle(status=SYMBOL_STATUS[text])
    if text in NULL_SYMBOLE:
        return Zelle(null=True)
    flags = []
    for _ in range(3):  # "(12) p" and "12 p" and "(12)"
        if found := _FLAG.match(text):
            flags.append(KENNZEICHEN[found["flag"]][0])
            text = found["rest"].strip()
        elif found := _PARENS.match(text):
            flags.append(KENNZEICHEN["()"][0])
            text = found["rest"].strip()
        else:
            break
    prozent = False
    if found := _PERCENT.match(text):
        prozent, text = True, found["rest"]
    text = _SPACES.sub("", text)
    if text.startswith("−"):  # typographic minus
        text = "-" + text[1:]
    return Zelle(zahl=text, kennzeichen=tuple(sorted(set(flags))), prozent=prozent)


def stil(texts: pd.Series) -> str | None:
    """The file's decimal mark where its numbers show it: ',' if only decimal commas occur unambiguously, '.' if only
    decimal points, None if neither or both."""
    return stil_aus(*stil_zeichen(texts))


def stil_zeichen(texts: pd.Series) -> tuple[bool, bool]:
    """Whether texts show a decimal comma and whether they show a decimal point unambiguously (for stil; a file read
    in pieces joins these of all pieces)."""
    candidates = texts[texts.ne("") & ~texts.str.match(_AMBIGUOUS.pattern, na=False)]
    return bool(candidates.str.match(_DE.pattern, na=False).any()), bool(candidates.str.match(_EN.pattern,
                                                                                              na=False).any())


def stil_aus(german: bool, english: bool) -> str | None:
    """The decimal mark from stil_zeichen: ',' only German, '.' only English, else None."""
    if german and not english:
        return ","
    if english and not german:
        return "."
    return None


@dataclass(frozen=True)
class Lesart:
    """How to read an ambiguous '1.503' in one cell: whole (a count: thousands), quote_max (a rate: its unit's
    maximum, 100 for %, 1000 for ‰), or neither (then the file's style, else refused)."""

    ganzzahl: bool = False
    quote_max: float | None = None


def lies(zahl: str, lesart: Lesart, mark: str | None) -> tuple[float | None, str | None]:
    """The number text of a cell → (value, None) or (None, German reason). mark: the file's decimal mark (stil)."""
    if zahl == "":
        return np.nan, None
    if _INT.match(zahl):
        return float(zahl), None
    ambiguous = _AMBIGUOUS.match(zahl)
    if ambiguous:
        separator = ambiguous.group(1)
        as_thousands = float(zahl.replace(separator, ""))
        as_decimal = float(zahl.replace(",", "."))
        if lesart.ganzzahl:
            return as_thousands, None  # a count is whole: the separator can only group thousands
        if lesart.quote_max is not None:
            if as_thousands > lesart.quote_max:
                return as_decimal, None  # a share cannot exceed its maximum: the separator is the decimal mark
            if mark is None:
                return None, mehrdeutig(zahl, as_thousands, as_decimal)
        if mark is None:
            return None, mehrdeutig(zahl, as_thousands, as_decimal)
        return (as_decimal if separator == mark else as_thousands), None
    if _DE.match(zahl):
        return float(zahl.replace(".", "").replace(",", ".")), None
    if _EN.match(zahl):
        return float(zahl.replace(",", "")), None
    return None, None


def mehrdeutig(zahl: str, as_thousands: float, as_decimal: float) -> str:
    return (f"„{zahl}“ ist mehrdeutig: {zahl_text(as_thousands)} (mit Tausendertrennzeichen) oder "
            f"{zahl_text(as_decimal)} (mit Dezimaltrennzeichen)? Bitte ohne Tausenderpunkt schreiben "
            f"(z. B. {zahl_text(as_thousands)}) oder mit mehr oder weniger Nachkommastellen.")


def dezimal_text(value: float) -> str:
    """An Excel number exactly as typed, with a decimal comma and no thousands separator (0.156 → '0,156';
    percent cells: see prozent_text)."""
    return np.format_float_positional(value, trim="-").replace(".", ",")


def prozent_text(value: float) -> str:
    """An Excel cell with a percent format as Excel shows it: 0.156 → '15,6 %' (exact, no float noise)."""
    try:
        scaled = (Decimal(repr(float(value))) * 100).normalize()
    except InvalidOperation:
        return dezimal_text(value)
    text = format(scaled, "f")
    return text.replace(".", ",") + " %"


def zahl_text(value: float) -> str:
    """A parsed number back as the German text a user typed (1503 → 1503, 6.5 → 6,5)."""
    return f"{value:.10g}".replace(".", ",")
