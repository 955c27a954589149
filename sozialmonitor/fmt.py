"""German formatting of numbers, values and dates for everything a person reads."""

import math
from datetime import date

import numpy as np
import pandas as pd

from sozialmonitor.kennzeichen import mit_zeichen

STATUS_TEXT = {
    "gesperrt": "gesperrt (*)",
    "geheim": "geheim (*)",  # suppressed by the app's own rule (sozialmonitor.geheimhaltung): never 0, never "fehlt"
    "fehlt": "keine Angabe (.)",
    "entfaellt": "entfällt (x)",
    "unvollstaendig": "unvollständig",
    "kein_wert": "kein Wert für diesen Zeitraum",
}

# What a reader learns about a suppressed value: the same words whether it is small itself or protects a small one
# (sozialmonitor.geheimhaltung), so that nobody can tell the two apart.
GEHEIM_HINWEIS = ("Geheimhaltung: kleine Fallzahl oder Schutz einer kleinen Fallzahl vor dem Nachrechnen "
                  "(Methode auf der Seite „Indikatoren“)")

MONATE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember"]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


_ENGLISCH_ZU_DEUTSCH = str.maketrans(",.", ".,")  # swaps both separators in one pass


def zahl(value, nachkommastellen: int = 0) -> str:
    """1503 -> '1.503', 9.04 (1) -> '9,0'; thousands with '.', decimals with ','."""
    if _missing(value):
        return "–"
    return format(value, f",.{nachkommastellen}f").translate(_ENGLISCH_ZU_DEUTSCH)


LUECKE = "\x00"  # in a text template: followed by one digit, the decimals of the number that goes there


def fuellen(schablone: str, werte) -> str:
    """A template's gaps (LUECKE + decimals) filled with werte in order, each as zahl() writes it:
    ('um \x001 Pp.', [2.63]) → 'um 2,6 Pp.'."""
    teile = schablone.split(LUECKE)
    text = [teile[0]]
    for teil, wert in zip(teile[1:], werte):
        text += [zahl(wert, int(teil[0])), teil[1:]]
    return "".join(text)


def in_einheiten(values, nachkommastellen: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Numbers as zahl() writes them, as integers in units of their last decimal (9,14 with 1 decimal → 91: int64
    array), and where that holds (bool array): a finite number, not negative (−0,0 included: its sign stays with
    format), below 2⁵² in those units. Rounded as zahl() rounds (Python's format: the exact binary value, half to
    even) without formatting each: numpy's rint of value × 10^stellen gives the same integer except within rounding
    error of a half, and exactly those few are formatted (tests/test_karte_uebertragung.py: halves and at random)."""
    a = pd.Series(values, dtype="float64").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore", over="ignore"):
        skaliert = a * 10.0**nachkommastellen
        moeglich = np.isfinite(a) & ~np.signbit(a) & (skaliert < 2.0**52)
        skaliert = np.where(moeglich, skaliert, 0.0)
        ganz = np.rint(skaliert)
        nahe_halb = np.abs(skaliert - np.floor(skaliert) - 0.5) < 1e-6 + skaliert * 1e-15
    spec = f".{nachkommastellen}f"
    for i in np.flatnonzero(nahe_halb & moeglich).tolist():
        ganz[i] = int(format(float(a[i]), spec).replace(".", ""))
    return ganz.astype(np.int64), moeglich


def ganz_text(wert: int, nachkommastellen: int = 0) -> str:
    """An integer in units of its last decimal in German digits: (12345, 1) → '1.234,5', (1503, 0) → '1.503'
    (karte.js zahlText does the same in the browser)."""
    ganz, rest = divmod(int(wert), 10 ** nachkommastellen)
    text = f"{ganz:,}".replace(",", ".")
    return f"{text},{str(rest).zfill(nachkommastellen)}" if nachkommastellen else text


def zahlen(values, nachkommastellen: int = 0) -> list[str]:
    """zahl() for a whole column (11.000 values in a few milliseconds instead of ~100): one float array, rounded
    as integers (in_einheiten), each distinct one written once (a rate with one decimal has a few hundred at 11.299
    Gemeinden); negative numbers one by one with format; missing values (None, NaN, pd.NA) become '–'."""
    floats = pd.Series(values).to_numpy(dtype=float, na_value=np.nan)
    ganz, moeglich = in_einheiten(floats, nachkommastellen)
    texte = np.full(len(floats), "–", dtype=object)
    if moeglich.any():
        codes, verschiedene = pd.factorize(ganz[moeglich])
        texte[moeglich] = np.asarray([ganz_text(w, nachkommastellen) for w in verschiedene.tolist()],
                                     dtype=object)[codes]
    spec = f",.{nachkommastellen}f"
    for i in np.flatnonzero(~moeglich & ~np.isnan(floats)).tolist():  # negative, −0,0, infinite, huge
        texte[i] = format(floats[i], spec).translate(_ENGLISCH_ZU_DEUTSCH)
    return texte.tolist()


def wie_gezeigt(values, nachkommastellen: int = 0) -> np.ndarray:
    """Each value rounded exactly as zahl() writes it (float array, NaN stays NaN): 0,05 with one decimal is 0,1
    on the page, and a rank or a comparison of shown values must use that – numpy's round gives 0,0 (half to even
    on the binary value). Each distinct value is formatted once."""
    floats = pd.Series(values, dtype="float64").to_numpy(dtype=float, na_value=np.nan)
    codes, verschiedene = pd.factorize(floats, use_na_sentinel=True)
    gerundet = np.asarray([float(format(v, f".{nachkommastellen}f")) for v in verschiedene.tolist()] + [np.nan])
    return gerundet[codes]  # code −1 (missing) takes the last entry, NaN


def anzahl(n, einzahl: str, mehrzahl: str) -> str:
    """A count with its noun in the right number: (1, 'Eintrag', 'Einträge') -> '1 Eintrag', 1503 -> '1.503 Einträge'.
    Only exactly one takes the singular: '0 Einträge'."""
    return f"{zahl(n)} {einzahl if n == 1 else mehrzahl}"


def wert(value, einheit: str, nachkommastellen: int) -> str:
    """A value with its unit: '9,0 %', '12,5 ‰', '1.503'."""
    if _missing(value):
        return "–"
    text = zahl(value, nachkommastellen)
    return text if einheit == "Anzahl" else f"{text} {einheit}"


def wert_mit_status(value, status: str, einheit: str, nachkommastellen: int, teile_gesperrt: int = 0,
                    teile_fehlend: int = 0, monate=None, ohne_daten: str | None = None, kennzeichen=None) -> str:
    """A value as a person should read it, with the reason where there is none or it is incomplete. ohne_daten:
    the parts of an aggregate without any rows with their reason as the view werte_berechnet writes them ("Giebel
    (03151501): gemeindefrei, ohne Einwohner; Neudorf (16065998): keine Daten"), named after the value.
    kennzeichen: the value's official flags ('vorlaeufig', 'unsicher,geschaetzt' …), marked beside a shown value
    ('9,0 % p', '(9,0) %', see sozialmonitor.kennzeichen); a reason text never gets a mark."""
    if status == "unvollstaendig" and _missing(value):
        teile = []
        if teile_gesperrt:
            teile.append(f"{anzahl(teile_gesperrt, 'Teilgebiet', 'Teilgebiete')} gesperrt")
        if teile_fehlend:
            teile.append(f"{teile_fehlend} ohne Angabe")
        return "nicht berechenbar (" + ", ".join(teile) + ")" if teile else "nicht berechenbar"
    if status in STATUS_TEXT and status != "unvollstaendig":
        return STATUS_TEXT[status]
    text = wert(value, einheit, nachkommastellen)
    if isinstance(kennzeichen, str) and kennzeichen and not _missing(value):
        text = mit_zeichen(text, kennzeichen)
    if status == "unvollstaendig" and not _missing(monate):
        text += f" (Ø aus {int(monate)} von 12 Monaten)"
    if isinstance(ohne_daten, str) and ohne_daten:
        text += f" (Teilgebiete ohne Werte – {ohne_daten})"
    return text


def mit_vorzeichen(value, nachkommastellen: int, einheit: str = "") -> str:
    """A change with its sign: '+1,2 Pp.', '−0,5 %', '±0 Anzahl'. The sign follows the number as shown: −0,04 at
    one decimal is '±0,0 Pp.', never '−0,0 Pp.'."""
    if _missing(value):
        return "–"
    betrag = zahl(abs(value), nachkommastellen)
    null = not betrag.strip("0,.")
    sign = "±" if null else ("+" if value > 0 else "−")
    return f"{sign}{betrag} {einheit}".strip()


def zeitraum(period: str, jahresdurchschnitt: bool = False) -> str:
    """'2024-03' -> 'März 2024'; '2024' -> '2024' or '2024 (Jahresdurchschnitt)'."""
    if len(period) == 7:
        return f"{MONATE[int(period[5:7]) - 1]} {period[:4]}"
    return f"{period} (Jahresdurchschnitt)" if jahresdurchschnitt else period


SCHLUESSEL_WOERTER = {"gebiet": "Gebiet", "indikator": "Indikator", "kreis": "Kreis", "code": "Gebiet",
                      "schluessel": "Gebiet", "id": "Kennung"}


def schluessel(werte: dict, namen: dict[str, dict] | None = None) -> str:
    """A file row's key as a person reads it (the file's own line is named beside it): 'Gebiet 01001001, Indikator
    anzahl, 2024' – each field by its German word, the period in German ('März 2024'); with namen (field → code →
    name) a known code by its name ('Kinder unter 10 Jahren'); never '01001001/anzahl/2024'."""
    teile = []
    for feld, wert in werte.items():
        if feld == "zeitraum":
            teile.append(zeitraum(str(wert)))
        elif (name := (namen or {}).get(feld, {}).get(wert)) is not None:
            teile.append(str(name))
        else:
            teile.append(f"{SCHLUESSEL_WOERTER.get(feld, feld)} {wert}")
    return ", ".join(teile)


def datum(value: date) -> str:
    return value.strftime("%d.%m.%Y")


POLARITAET_TEXT = {"niedriger_ist_besser": "niedriger ist besser ↓", "hoeher_ist_besser": "höher ist besser ↑",
                   "neutral": "ohne Wertung"}


def formel(art: str, einheit: str, zaehler: str, nenner: str) -> str:
    """How a value is computed, in words: 'Zähler ÷ Nenner × 100'."""
    if art == "anzahl":
        return f"Anzahl: {zaehler}"
    faktor = {"%": "100", "‰": "1.000"}.get(einheit, "1")
    return f"{zaehler} ÷ {nenner} × {faktor}"
