"""Findings while reading a file: a refusal with one finding, one finding per marked row, and how many of one
kind are worth reporting."""

import re
import sys

import pandas as pd

from sozialmonitor.errors import Befund, EingabeFehler

MAX_BEFUNDE = 200  # per kind of finding: enough to see the pattern, few enough to read


def befund(name: str, message: str, zeile: int | None = None, feld: str | None = None) -> EingabeFehler:
    """A refusal with a single finding."""
    return EingabeFehler([Befund(name, zeile, feld, message)])


def findings(name: str, frame: pd.DataFrame, mask, field: str | None, message) -> list[Befund]:
    """One finding per marked row (the first MAX_BEFUNDE); message is a text or a function of the row. Each finding's
    art is the calling line and the field (one check, capped as one)."""
    caller = sys._getframe(1)
    art = (caller.f_code.co_filename, caller.f_lineno, field)
    return [Befund(name, int(row.zeile), field, message(row) if callable(message) else message, art)
            for row in frame[mask].head(MAX_BEFUNDE).itertuples(index=False)]


# tomllib's messages (Python 3.11, tomllib._parser) → German, by their beginning; the first that fits
TOML_MELDUNGEN = (
    ("Expected '=' after a key", "nach einem Schlüssel fehlt „=“ (Schlüssel = Wert)"),
    ("Expected ']' at the end of a table", "der Abschnittsname ist nicht mit „]“ geschlossen"),
    ("Expected ']]' at the end of an array", "der Abschnittsname ist nicht mit „]]“ geschlossen"),
    ("Expected", "an dieser Stelle fehlt ein Zeichen"),
    ("Cannot declare", "ein Abschnitt steht doppelt"),
    ("Cannot overwrite a value", "ein Schlüssel steht doppelt"),
    ("Cannot mutate", "ein Schlüssel steht doppelt"),
    ("Cannot redefine", "ein Abschnitt steht doppelt"),
    ("Duplicate inline table key", "ein Schlüssel steht doppelt"),
    ("Unterminated string", "ein Text ist nicht mit Anführungszeichen geschlossen"),
    ("Unclosed array", "eine Liste ist nicht mit „]“ geschlossen"),
    ("Unclosed inline table", "eine Tabelle ist nicht mit „}“ geschlossen"),
    ("Unescaped '\\'", "ein \\ in einem Text muss doppelt geschrieben werden"),
    ("Invalid value", "der Wert ist weder Zahl noch Text in Anführungszeichen noch true/false"),
    ("Invalid date", "das Datum ist ungültig"),
    ("Invalid statement", "die Zeile ist weder „Schlüssel = Wert“ noch ein [Abschnitt]"),
    ("Invalid initial character for a key", "ein Schlüssel beginnt mit einem Zeichen, das dort nicht stehen darf"),
    ("Illegal character", "die Datei enthält ein Steuerzeichen"),
    ("Found invalid character", "hier steht ein Zeichen, das dort nicht stehen darf"),
    ("Invalid hex value", "eine \\u-Angabe ist ungültig"),
    ("Escaped character", "eine \\u-Angabe ist ungültig"),
)


def toml_befund(name: str, exc: Exception, was: str = "Die TOML-Datei") -> EingabeFehler:
    """A tomllib.TOMLDecodeError as a German refusal naming the line and column and what is wrong there (never
    tomllib's English text)."""
    text = str(exc)
    where = re.search(r"\(at line (\d+), column (\d+)\)", text)
    what = next((german for english, german in TOML_MELDUNGEN if text.startswith(english)),
                "der Text ist dort kein gültiges TOML")
    if where:
        return befund(name, f"{was} ist fehlerhaft (Spalte {where[2]}): {what}.", zeile=int(where[1]))
    return befund(name, f"{was} ist fehlerhaft{' (am Ende der Datei)' if 'end of document' in text else ''}: {what}.")
