"""Tables as the statistical offices and the BA publish them: a header block above the column headings (title,
table number, Stichtag), footnotes and the office's copyright below the data, several sheets, and wide tables with
one column per year or month. Used by import profiles (profile.py) to find the rows that are data.

Shapes followed: Regionalstatistik/GENESIS-Online CSV exports ("Statistik Regional … Tabelle 12411-01-01-4",
data rows, "__________", "© Statistische Ämter des Bundes und der Länder", the Zeichenerklärung) and the BA's
Excel tables (title rows, "Quelle: Statistik der Bundesagentur für Arbeit", "*) Aus Datenschutzgründen …")."""

import datetime
import re

import numpy as np
import pandas as pd

# The first non-empty cell of a row that is a note, not data
FUSSNOTE = re.compile(r"^(_{3,}|-{3,}|©|\(c\)|\*\)|\d{1,2}\)|Quelle\b|Quellen\b|Stand\b|Hinweis|Erläuterung|Fußnote|"
                      r"Anmerkung|Zeichenerklärung|Statistik der Bundesagentur|Statistische Ämter|Erstellungsdatum|"
                      r"Datenstand|Gebietsstand|Abweichungen|Die Angaben|Aus Datenschutzgründen)", re.IGNORECASE)
MONATE = {name: number for number, names in enumerate((
    ("jan", "januar", "jän", "jänner"), ("feb", "februar"), ("mär", "märz", "maerz", "mrz"), ("apr", "april"),
    ("mai",), ("jun", "juni"), ("jul", "juli"), ("aug", "august"), ("sep", "sept", "september"),
    ("okt", "oktober"), ("nov", "november"), ("dez", "dezember")), start=1) for name in names}


def ist_fussnote(row: pd.Series, breite: float = 0) -> bool:
    """A row that is a note: empty; a first filled cell like 'Quelle: …', '1) …', '© …', '______'; or a single
    filled cell where data rows have breite (their typical number of filled cells) of three or more."""
    filled = [cell for cell in row if cell != ""]
    if not filled:
        return True
    if FUSSNOTE.match(filled[0]):
        return True
    return len(filled) == 1 and (breite >= 3 or (len(filled[0]) > 25 and " " in filled[0]))


def kopfzeile_finden(cells: pd.DataFrame, headings: list[str]) -> int | None:
    """The position (0-based row of cells) of the first row that holds every heading in headings (compared as
    a person would type them: case, umlauts, blanks and line breaks do not matter); None if no row does."""
    wanted = {normalise(h) for h in headings}
    for position in range(min(len(cells), 200)):
        present = {normalise(cell) for cell in cells.iloc[position] if cell != ""}
        if wanted <= present:
            return position
    return None


def normalise(heading: str) -> str:
    """A column heading for comparison: lower case, umlauts spelt out, any run of blanks one blank."""
    text = re.sub(r"\s+", " ", str(heading)).strip().lower()
    return text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


def zeitraum_aus_text(heading: str, art: str | None = None) -> str | None:
    """A period column heading → JJJJ or JJJJ-MM, or None if the heading is no period. Recognised: 2023, 2023-03,
    03/2023, 03.2023, 'März 2023', 'Dez 2023', a Stichtag 31.12.2023 or KomMonitor's DATE_2023-12-31. art 'jahr'
    keeps only the year (a December count stands for its year), 'monat' the month; by default a month where the
    heading names one, except a Stichtag 31.12., which is the year."""
    year, month, end_of_year = _datum(normalise(heading).removeprefix("date_").strip())
    if year is None:
        return None
    if art == "jahr" or month is None or (art is None and end_of_year):
        return year
    return f"{year}-{month:02d}"


def _datum(text: str) -> tuple[str | None, int | None, bool]:
    """(year, month or None, whether it is the date 31.12.) of a heading."""
    if re.fullmatch(r"\d{4}", text):
        return text, None, False
    month_first = re.fullmatch(r"(\d{1,2})[./](\d{4})", text)
    found = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if found or month_first:
        year, month = (found[1], int(found[2])) if found else (month_first[2], int(month_first[1]))
        return (year, month, False) if 1 <= month <= 12 else (None, None, False)
    if found := re.fullmatch(r"([a-zäöü]+)\.? (\d{4})", text):
        month = MONATE.get(found[1])
        return (found[2], month, False) if month else (None, None, False)
    date = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text) or re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if date:
        year, month, day = (date[1], date[2], date[3]) if len(date[1]) == 4 else (date[3], date[2], date[1])
        try:
            datetime.date(int(year), int(month), int(day))  # 31.02. or 32.12. is no date
        except ValueError:
            return None, None, False
        return year, int(month), int(month) == 12 and int(day) == 31
    return None, None, False


def datenzeilen(cells: pd.DataFrame, start: int) -> np.ndarray:
    """Positions of the data rows below the heading row at start: notes and blank rows (between the data and at
    the end) are left out."""
    below = cells.iloc[start + 1:]
    if below.empty:
        return np.array([], dtype=int)
    filled = below.ne("").sum(axis=1)
    breite = float(filled[filled >= 2].median()) if (filled >= 2).any() else 0.0
    keep = np.array([not ist_fussnote(row, breite) for _, row in below.iterrows()], dtype=bool)
    return np.arange(start + 1, len(cells))[keep]
