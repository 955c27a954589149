"""The map's tooltips, built straight from the values as the compact form the component receives (issue 22).

A tooltip reads, line by line (each line only where it applies):

    <b>Name</b>                      the area's name (the label points file carries it: uebertragung.titel)
    Wert: 9,1 %                      the value, or why there is none („geheim“, „kein Wert für diesen Zeitraum“ …)
    Geheimhaltung: …                 where the value is kept secret (fmt.GEHEIM_HINWEIS)
    31 von 340 [im Monatsmittel]     numerator of denominator, for rates with counts
    ≈ Mittel der Monatsquoten …      an annual average of published monthly rates without counts
    veröffentlicht: 9,3 % (…)        a rate published without counts beside the computed one (issue 19)
    ⚠ Nicht belastbar: …             why the rate rests on too few cases (statistik.belastbarkeit.grund)
    <span …>Kreis: …<br>Land: …</span>  the Kreis, Land and Bund of the same period (kartendaten.reference_texts)

`packen` writes these lines in the form `uebertragung` describes (per area: form and line indices; the numbers of
templated lines in one column; every distinct text once) without building 11.299 tooltip strings and parsing them
again: a plain value goes as the template „Wert: ␀1 %“ with its number, numerator and denominator as „␀0 von ␀0“
with theirs, each reason for „nicht belastbar“ as a template of its numbers, everything else as shared text. The
browser (karte.js `tooltipText`) and `uebertragung.entpacken` write the lines back; `texte` is exactly that, so the
server's tooltip text and the browser's come from one definition (tests/e2e/test_karte_tooltip.py holds them
equal, character for character, for every kind of value on the demo)."""

import numpy as np
import pandas as pd

from sozialmonitor import fmt
from sozialmonitor.karten import uebertragung
from sozialmonitor.karten.uebertragung import LUECKE
from sozialmonitor.statistik import belastbarkeit

NAEHERUNG_TEXT = "Mittel der Monatsquoten, nicht BA-Jahresdurchschnitt"
VEROEFFENTLICHT = ("veröffentlicht: {} (ohne Zähler und Nenner; gezeigt wird der aus den Fallzahlen berechnete "
                   "Wert)")
GRENZE = 2**32  # numbers travel as unsigned 32-bit integers at most; a larger one stays in its text


class _Texte:
    """Every distinct line text once, numbered in order of first use (uebertragung: tooltip.texte)."""

    def __init__(self):
        self.nummer: dict[str, int] = {}

    def code(self, text: str) -> int:
        """A line of plain text (a control character never reaches a tooltip as it is: klartext removes it)."""
        if LUECKE in text:
            text = text.replace(LUECKE, "\ufffd")
        return self.nummer.setdefault(text, len(self.nummer))

    def schablone(self, text: str) -> int:
        """A template: its gaps (LUECKE and the number's decimals) stay."""
        return self.nummer.setdefault(text, len(self.nummer))

    def codes(self, maske: np.ndarray, text, werte=None) -> np.ndarray:
        """Per area its line's text number, −1 where the line is absent (maske False). text: one text for all areas
        (str), or a function giving the line's text from the area's entry of werte (a sequence, one entry per
        area) – called once per distinct entry among the areas where maske holds (most lines are absent from most
        areas, and the rest repeat: 11.299 Gemeinden share 400 Kreis lines)."""
        codes = np.full(len(maske), -1, dtype=np.int64)
        wo = np.flatnonzero(maske)
        if not len(wo):
            return codes
        if isinstance(text, str):
            codes[wo] = self.code(text)
            return codes
        roh = np.asarray(werte, dtype=object)[wo] if not isinstance(werte, np.ndarray) else werte[wo]
        je_zeile, verschiedene = pd.factorize(roh)
        codes[wo] = np.asarray([self.code(text(w)) for w in verschiedene], dtype=np.int64)[je_zeile]
        return codes


class _Zeile:
    """One kind of line over all areas: code (int per area, index into the texts, −1 = absent), zahlen (int
    matrix, areas × numbers: the numbers of a templated line, in its order) and anzahl (per area, how many of
    them its line takes; 0 for a line of plain text)."""

    def __init__(self, code: np.ndarray, zahlen: np.ndarray | None = None, anzahl: np.ndarray | None = None):
        self.code = code
        self.zahlen = np.zeros((len(code), 0), dtype=np.int64) if zahlen is None else zahlen
        self.anzahl = np.zeros(len(code), dtype=np.int64) if anzahl is None else np.where(code >= 0, anzahl, 0)


def ganzzahlen(werte, stellen: int) -> tuple[np.ndarray, np.ndarray]:
    """fmt.in_einheiten, limited to what travels: below GRENZE (2³²) in units of the last decimal."""
    zahlen, moeglich = fmt.in_einheiten(werte, stellen)
    return zahlen, moeglich & (zahlen < GRENZE)


def _lohnt(zahlen: np.ndarray, maske: np.ndarray) -> bool:
    """Whether a line travels better as a template with numbers than as one text per distinct line: when more than
    1 in uebertragung.SCHABLONE_AB of its uses is a line of its own (a rate with one decimal has a few hundred
    distinct values among 11.299 Gemeinden: texts; numerator and denominator differ nearly everywhere: numbers)."""
    genutzt = int(maske.sum())
    if not genutzt:
        return False
    zeilen = zahlen[maske]
    if zeilen.ndim == 2:  # two numbers below 2³² each (ganzzahlen): one 64-bit key per line
        zeilen = (zeilen[:, 0] << 32) | zeilen[:, 1]
    verschieden = len(pd.unique(zeilen))
    return verschieden * uebertragung.SCHABLONE_AB > genutzt


def _wert_zeile(frame: pd.DataFrame, texte: _Texte, einheit: str, stellen: int, da: np.ndarray) -> _Zeile:
    """'Wert: 9,1 %': a plain value as template and number where that pays (_lohnt), any other value text – and
    every value where recurring texts are cheaper – as text."""
    schlicht = frame["wert_schlicht"].fillna(False).to_numpy(dtype=bool) & da
    zahlen, moeglich = ganzzahlen(frame["wert"], stellen)
    schlicht &= moeglich
    if not _lohnt(zahlen, schlicht):
        schlicht[:] = False
    codes = texte.codes(da & ~schlicht, lambda t: f"Wert: {t}", frame["wert_text"].tolist())
    if schlicht.any():
        codes = np.where(schlicht, texte.schablone(f"Wert: {LUECKE}{stellen}" + ("" if einheit == "Anzahl"
                                                                               else f" {einheit}")), codes)
    return _Zeile(codes, zahlen[:, None], schlicht.astype(np.int64))


def _anteil_zeile(frame: pd.DataFrame, texte: _Texte, da: np.ndarray) -> _Zeile:
    """'31 von 340' or '31 von 340 im Monatsmittel' (kartendaten._fractions), as a template and two numbers; where
    a number cannot travel as one, the line's text."""
    gezeigt = frame["anteil_zaehler"].notna().to_numpy() & da  # prepare_values: a number exactly where a text is
    z, z_moeglich = ganzzahlen(frame["anteil_zaehler"], 0)
    n, n_moeglich = ganzzahlen(frame["anteil_nenner"], 0)
    als_schablone = gezeigt & z_moeglich & n_moeglich
    if not _lohnt(np.stack([z, n], axis=1), als_schablone):
        als_schablone[:] = False
    codes = texte.codes(gezeigt & ~als_schablone, str, frame["anteil_text"].tolist())
    monatsmittel = frame["anteil_monatsmittel"].fillna(False).to_numpy(dtype=bool)
    for maske, schablone in ((als_schablone & ~monatsmittel, f"{LUECKE}0 von {LUECKE}0"),
                             (als_schablone & monatsmittel, f"{LUECKE}0 von {LUECKE}0 im Monatsmittel")):
        if maske.any():
            codes = np.where(maske, texte.schablone(schablone), codes)
    return _Zeile(codes, np.stack([z, n], axis=1), np.where(als_schablone, 2, 0))


def _grund_zeile(frame: pd.DataFrame, texte: _Texte, da: np.ndarray, regel=None, faktor: float = 1.0,
                 differenz_einheit: str = "") -> _Zeile:
    """'⚠ Nicht belastbar: 38 im Nenner, …': with the indicator's rule (regel: statistik.belastbarkeit.Regel) the
    sentence's template (belastbarkeit.grund_schablone, a few per map) and its numbers straight from the counts
    (prepare_values: bezug_zaehler, bezug_nenner) – 2.727 reasons of a rate with the BA's rule of 1.000 at 11.299
    Gemeinden are not parsed one by one; without a rule, or where a number cannot travel (negative, missing), each
    distinct reason once through uebertragung.schablone, or as text."""
    codes = np.full(len(frame), -1, dtype=np.int64)
    wo = np.flatnonzero(frame["unsicher"].fillna(False).to_numpy(dtype=bool) & da)
    je_zeile: dict[int, list[int]] = {}  # area → the numbers of its line
    rest = wo
    if len(wo) and regel is not None and "bezug_nenner" in frame:
        schablonen, werte = belastbarkeit.gruende_teile(frame["bezug_zaehler"].to_numpy(dtype=float)[wo],
                                                        frame["bezug_nenner"].to_numpy(dtype=float)[wo], regel,
                                                        faktor, differenz_einheit)
        # each number in units of its last decimal, for either count of decimals the template may ask for
        einheiten = [{k: fmt.in_einheiten(werte[:, spalte], k) for k in (0, 1)} for spalte in range(3)]
        gemerkt: dict[str, tuple[int, list[int]]] = {}
        uebrig = []
        for i, schablone in enumerate(schablonen):
            if schablone not in gemerkt:
                gemerkt[schablone] = (texte.schablone("⚠ " + belastbarkeit.satzanfang(schablone)),
                                      [int(t[0]) for t in schablone.split(LUECKE)[1:]])
            code, stellen = gemerkt[schablone]
            zahlen = [einheiten[spalte][k][0][i] for spalte, k in enumerate(stellen)]
            if all(einheiten[spalte][k][1][i] for spalte, k in enumerate(stellen)) and max(zahlen) < GRENZE:
                codes[wo[i]] = code
                je_zeile[int(wo[i])] = zahlen
            else:
                uebrig.append(wo[i])
        rest = np.asarray(uebrig, dtype=np.int64)
    if len(rest):
        gruende = frame["unsicher_grund"].tolist()
        roh = np.empty(len(rest), dtype=object)
        roh[:] = [f"⚠ {gruende[i]}" for i in rest.tolist()]
        nummer, verschiedene = pd.factorize(roh)
        for k, text in enumerate(verschiedene):
            teil = uebertragung.schablone(text)
            for zeile in rest[nummer == k].tolist():
                codes[zeile] = texte.schablone(teil[0]) if teil else texte.code(text)
                if teil:
                    je_zeile[zeile] = list(teil[1])
    breite = max((len(z) for z in je_zeile.values()), default=0)
    zahlen = np.zeros((len(frame), breite), dtype=np.int64)
    anzahl = np.zeros(len(frame), dtype=np.int64)
    for zeile, werte_der_zeile in je_zeile.items():
        zahlen[zeile, :len(werte_der_zeile)] = werte_der_zeile
        anzahl[zeile] = len(werte_der_zeile)
    return _Zeile(codes, zahlen, anzahl)


def zeilen(frame: pd.DataFrame, referenzen: list[str], einheit: str, stellen: int, regel=None, faktor: float = 1.0,
           differenz_einheit: str = "") -> tuple[list[_Zeile], _Texte]:
    """The kinds of lines in the order a tooltip shows them. frame: kartendaten.prepare_values rows, one per area
    of the map in its order (name NaN = the area has no row: only its name is shown); referenzen: per row the
    Kreis → Land → Bund text (kartendaten.reference_texts), '' where none; regel, faktor, differenz_einheit: the
    indicator's reliability rule and the unit of a difference (the reason's template, _grund_zeile)."""
    texte = _Texte()
    da = frame["name"].notna().to_numpy()
    geheim = frame["wert_text"].eq(fmt.STATUS_TEXT["geheim"]).fillna(False).to_numpy(dtype=bool) & da
    naeherung = (frame["naeherung"].fillna(False).to_numpy(dtype=bool) if "naeherung" in frame
                 else np.zeros(len(frame), dtype=bool)) & da
    veroeffentlicht = (frame["veroeffentlicht_text"].fillna("") if "veroeffentlicht_text" in frame
                       else pd.Series("", index=frame.index))
    mit_veroeffentlicht = veroeffentlicht.ne("").to_numpy(dtype=bool) & da
    referenz = np.empty(len(frame), dtype=object)
    referenz[:] = list(referenzen)
    mit_referenz = (referenz != "") & pd.notna(referenz) & da
    art = [
        _wert_zeile(frame, texte, einheit, stellen, da),
        _Zeile(texte.codes(geheim, fmt.GEHEIM_HINWEIS)),
        _anteil_zeile(frame, texte, da),
        _Zeile(texte.codes(naeherung, f"≈ {NAEHERUNG_TEXT}")),
        _Zeile(texte.codes(mit_veroeffentlicht, VEROEFFENTLICHT.format, veroeffentlicht.tolist())),
        _grund_zeile(frame, texte, da, regel, faktor, differenz_einheit),
        _Zeile(texte.codes(mit_referenz, lambda r: f"<span style='color:#555'>{r}</span>", referenz)),
    ]
    return art, texte


def packen(frame: pd.DataFrame, referenzen: list[str], einheit: str, stellen: int,
           klasse: np.ndarray | None = None, regel=None, faktor: float = 1.0, differenz_einheit: str = "") -> dict:
    """The packed tooltips of the map's areas (uebertragung describes the form): 'gebiete' (DataFrame, one row per
    area in frame's order: klasse if given (int8 per area), form, d0, d1, …), 'zahlen' (DataFrame: z) and 'tooltip'
    (formen, texte). frame and referenzen as for `zeilen`; einheit and stellen: the indicator's unit and decimals
    (the plain value's template); regel, faktor, differenz_einheit as for `zeilen`. Whole columns at once (numpy):
    no tooltip string is built."""
    arten, texte = zeilen(frame, referenzen, einheit, stellen, regel, faktor, differenz_einheit)
    codes = np.stack([a.code for a in arten], axis=1)
    da = codes >= 0
    anzahl = da.sum(axis=1)
    # the present lines of each area moved to its first columns, in their order (a stable sort on absence)
    reihenfolge = np.argsort(~da, axis=1, kind="stable")
    dicht = np.take_along_axis(np.where(da, codes, 0), reihenfolge, axis=1)
    breite = int(anzahl.max()) if len(anzahl) else 0
    # the most used texts get the smallest numbers: a column whose lines are few and frequent fits in one byte
    texte_liste = list(texte.nummer)
    genutzt = np.bincount(codes[da], minlength=len(texte_liste))
    neue_reihenfolge = np.argsort(-genutzt, kind="stable")
    neue_nummer = np.empty_like(neue_reihenfolge)
    neue_nummer[neue_reihenfolge] = np.arange(len(neue_reihenfolge))
    dicht = np.where(np.arange(dicht.shape[1])[None, :] < anzahl[:, None], neue_nummer[dicht], 0) \
        if len(texte_liste) else dicht
    texte_liste = [texte_liste[i] for i in neue_reihenfolge.tolist()]
    verschiedene_anzahlen, form = np.unique(anzahl, return_inverse=True)
    spalten = {} if klasse is None else {"klasse": np.asarray(klasse, dtype=np.int8)}
    spalten["form"] = np.asarray(form, dtype=np.uint8)
    for k in range(breite):
        spalten[f"d{k}"] = uebertragung.schmal(dicht[:, k])
    # the numbers: area by area, line by line, each line's first `anzahl` numbers
    alle = np.concatenate([a.zahlen for a in arten], axis=1)
    genommen = np.concatenate([np.arange(a.zahlen.shape[1])[None, :] < a.anzahl[:, None] for a in arten], axis=1)
    return {"gebiete": pd.DataFrame(spalten),
            "zahlen": pd.DataFrame({"z": uebertragung.schmal(alle[genommen])}),
            "tooltip": {"formen": ["N" + "D" * int(n) for n in verschiedene_anzahlen],
                        "texte": texte_liste}}
