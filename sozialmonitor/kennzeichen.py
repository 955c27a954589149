"""The official flags of a value (Zeichenerklärung der statistischen Ämter) as a planner reads them beside it.

The importer stores the flags a statistical office sets beside a number (einlesen/zahlen.py KENNZEICHEN) in
`beobachtungen.kennzeichen`, comma-separated: 'vorlaeufig' (p), 'berichtigt' (r), 'geschaetzt' (s), 'unsicher'
(a number in brackets). An aggregate carries every flag of the parts it sums, an annual average every flag of its
months (schema.sql, werte_berechnet / werte_jahresdurchschnitt). They are shown as the offices print them:

| stored | on screen, in PPTX/DOCX/PDF | word (CSV/XLSX column „Kennzeichen“, legend) |
|---|---|---|
| vorlaeufig | `9,0 % p` | vorläufig |
| berichtigt | `9,0 % r` | berichtigt |
| geschaetzt | `9,0 % s` | geschätzt |
| unsicher | `(9,0) %` | Aussagewert eingeschränkt |

A flag is shown only beside a value that is shown: a suppressed, missing or not computable value shows its reason
alone (the Geheimhaltung step decides what is shown; flags never add to or take from it).
Source: Statistisches Bundesamt / Statistische Ämter des Bundes und der Länder, Zeichenerklärung (e.g. GENESIS-
Online, Regionaldatenbank Deutschland: „p = vorläufige Zahl, r = berichtigte Zahl, s = geschätzte Zahl, ( ) =
Aussagewert ist eingeschränkt, da der Zahlenwert statistisch relativ unsicher ist“)."""

import numpy as np
import pandas as pd

# stored flag → (mark beside the value, German word), in the order the marks are written
KENNZEICHEN = {
    "unsicher": ("()", "Aussagewert eingeschränkt"),
    "vorlaeufig": ("p", "vorläufig"),
    "berichtigt": ("r", "berichtigt"),
    "geschaetzt": ("s", "geschätzt"),
}
ERKLAERUNG = {
    "unsicher": "( ) = Aussagewert eingeschränkt, da der Zahlenwert statistisch relativ unsicher ist",
    "vorlaeufig": "p = vorläufige Zahl",
    "berichtigt": "r = berichtigte Zahl",
    "geschaetzt": "s = geschätzte Zahl",
}


ZEICHEN = {mark: flag for flag, (mark, _) in KENNZEICHEN.items()}


def teile(kennzeichen) -> list[str]:
    """The known flags of a value, stored ('geschaetzt,vorlaeufig') or as compact code ('p s', see kuerzel) →
    ['vorlaeufig', 'geschaetzt'], in mark order; None/NaN/'' → []."""
    if not isinstance(kennzeichen, str) or not kennzeichen:
        return []
    found = {ZEICHEN.get(part, part) for part in kennzeichen.replace(",", " ").split()}
    return [flag for flag in KENNZEICHEN if flag in found]


def kuerzel(kennzeichen) -> str:
    """The compact code of a stored value's flags for a map's or table's column: 'p', 'p s', '()', '() p', ''."""
    return " ".join(KENNZEICHEN[flag][0] for flag in teile(kennzeichen))


def mit_zeichen(text: str, kennzeichen) -> str:
    """A formatted value with its flags as the offices print them: ('9,0 %', 'vorlaeufig') → '9,0 % p';
    ('9,0 %', 'unsicher,geschaetzt') → '(9,0) % s' – the number in brackets, the unit outside, so that the mark
    also reads inside a sentence's brackets. The caller passes only shown values (never a reason text)."""
    flags = teile(kennzeichen)
    if not flags:
        return text
    if "unsicher" in flags:
        number, _, unit = text.partition(" ")
        text = f"({number}) {unit}".strip()
    letters = " ".join(KENNZEICHEN[flag][0] for flag in flags if flag != "unsicher")
    return f"{text} {letters}" if letters else text


def woerter(kennzeichen) -> str:
    """The flags in words for a CSV/XLSX column „Kennzeichen“: 'vorläufig, geschätzt'; '' for none."""
    return ", ".join(KENNZEICHEN[flag][1] for flag in teile(kennzeichen))


def legende(kennzeichen_werte) -> str:
    """The legend line for the flags that occur among the given stored values (any iterable of str/None): 'p =
    vorläufige Zahl · s = geschätzte Zahl'; '' if none occurs."""
    found = {flag for value in kennzeichen_werte for flag in teile(value)}
    return " · ".join(ERKLAERUNG[flag] for flag in KENNZEICHEN if flag in found)


def als_kategorie(kennzeichen: pd.Series) -> pd.Series:
    """The stored flags of many values (a map's 11,299 areas) as a categorical column of their compact codes: one
    byte per row and a handful of categories instead of a Python string per row."""
    werte = pd.Series(kennzeichen, dtype=object)
    nummern, verschiedene = pd.factorize(werte)  # each distinct stored flag once; missing → −1
    kuerzel_je = [kuerzel(value) if isinstance(value, str) else "" for value in verschiedene.tolist()]
    kategorien = sorted({"", *kuerzel_je})  # as pd.Categorical orders them
    stelle = {k: i for i, k in enumerate(kategorien)}
    codes = np.asarray([stelle[k] for k in kuerzel_je] + [0], dtype=np.int64)[nummern]  # −1 takes the last: ""
    return pd.Series(pd.Categorical.from_codes(codes, categories=kategorien), index=kennzeichen.index,
                     name=kennzeichen.name)
