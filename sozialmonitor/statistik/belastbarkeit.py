"""Small-area reliability: a rate on too small a base is "nicht belastbar" – marked on map, table, tooltip and export
and never classed as significant.

The rule is set per indicator in indikatoren.toml: `mindest_nenner` (e.g. the BA computes no unemployment rate below
a Bezugsgröße of 1.000) and `mindest_zaehler` (e.g. fewer than 5 cases). Without either key the Sozialmonitor's
default applies: at least 50 in the denominator (below that a single case moves the rate by 2 points or more).
For annual averages of monthly values the rule is applied to the mean monthly numerator and denominator."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sozialmonitor import fmt

STANDARD_MINDEST_NENNER = 50.0
TEXT = "nicht belastbar"


@dataclass(frozen=True)
class Regel:
    """Minimum denominator / numerator (Anzahl, per month for annual averages) below which a rate is unreliable."""
    mindest_nenner: float | None = STANDARD_MINDEST_NENNER
    mindest_zaehler: float | None = None

    @classmethod
    def aus(cls, mindest_nenner=None, mindest_zaehler=None) -> "Regel":
        """The rule from a catalogue row's values (NULL/NaN = not set); neither set → the default rule."""
        n = None if mindest_nenner is None or pd.isna(mindest_nenner) else float(mindest_nenner)
        z = None if mindest_zaehler is None or pd.isna(mindest_zaehler) else float(mindest_zaehler)
        if n is None and z is None:
            return cls()
        return cls(n, z)

    def text(self, einheit_nenner: str = "im Nenner") -> str:
        """'mindestens 1.000 im Nenner und 5 im Zähler'."""
        teile = []
        if self.mindest_nenner is not None:
            teile.append(f"{fmt.zahl(self.mindest_nenner)} {einheit_nenner}")
        if self.mindest_zaehler is not None:
            teile.append(f"{fmt.zahl(self.mindest_zaehler)} im Zähler")
        return "mindestens " + " und ".join(teile) if teile else "keine Mindestzahl"


def nicht_belastbar(zaehler, nenner, regel: Regel, monate=None) -> np.ndarray:
    """Per row: True where a rate rests on fewer than the rule's minimum denominator or numerator. zaehler/nenner:
    sums over the period (Anzahl); monate: months in an annual average (the rule applies to the mean month), NaN
    for native values. Rows without counts are not judged (False) – a published rate without its base cannot be
    checked and says so elsewhere."""
    z = pd.Series(zaehler, dtype="float64").to_numpy(dtype=float, na_value=np.nan)
    n = pd.Series(nenner, dtype="float64").to_numpy(dtype=float, na_value=np.nan)
    m = np.ones_like(n) if monate is None else pd.Series(monate, dtype="float64").to_numpy(dtype=float,
                                                                                        na_value=np.nan)
    m = np.where(np.isnan(m) | (m <= 0), 1.0, m)
    z, n = z / m, n / m
    flag = np.zeros(len(n), dtype=bool)
    if regel.mindest_nenner is not None:
        flag |= n < regel.mindest_nenner
    if regel.mindest_zaehler is not None:
        flag |= z < regel.mindest_zaehler
    return flag & ~np.isnan(n)


def satzanfang(text: str) -> str:
    """A reason at the start of a line: 'Nicht belastbar: …' (the map's tooltip and table note)."""
    return text.replace(TEXT, TEXT[0].upper() + TEXT[1:], 1)


def grund_schablone(regel: Regel, differenz_einheit: str, monatsmittel: bool = False, stellen_nenner: int = 0,
                    stellen_zaehler: int = 0, mit_aenderung: bool = True) -> str:
    """The sentence of grund() with gaps (fmt.LUECKE + decimals) for denominator, numerator and – mit_aenderung –
    the change one case makes, in that order: the one wording of the reason, filled by grund()/gruende() and sent
    as it is by the map (karten.tooltip)."""
    luecke = fmt.LUECKE
    was = "im Monatsmittel " if monatsmittel else ""
    text = (f"{TEXT}: {was}{luecke}{stellen_nenner} im Nenner, {luecke}{stellen_zaehler} im Zähler"
            f" (Regel: {regel.text()})")
    if mit_aenderung:
        text += f"; ein Fall mehr oder weniger ändert die Quote um {luecke}1 {differenz_einheit}"
    return text.strip()


def _stellen(anzahl: np.ndarray, grenze: float | None) -> np.ndarray:
    """Decimals of a number of persons (a monthly mean too): whole – '846', not '846,3' –, one decimal only where
    rounding would reach the rule's threshold it falls short of (999,6 stays '999,6', never '1.000' beside
    'mindestens 1.000'). Per row, 0 or 1; np.rint rounds as Python's round (half to even of the binary value)."""
    if grenze is None:
        return np.zeros(len(anzahl), dtype=int)
    with np.errstate(invalid="ignore"):
        return ((anzahl < grenze) & (grenze <= np.rint(anzahl))).astype(int)


def gruende_teile(zaehler, nenner, regel: Regel, faktor: float, differenz_einheit: str,
                  monate=None) -> tuple[list[str], np.ndarray]:
    """The reasons of many rates at once, as parts: per row its template (grund_schablone; a few distinct ones)
    and its numbers (float array rows × 3: denominator and numerator per month, the change one case makes in the
    unit of the difference; NaN where the template has no gap for it). zaehler/nenner: sums over the period
    (Anzahl), monate: months of an annual average (the reason speaks of the mean month), None or NaN otherwise."""
    z = pd.Series(zaehler, dtype="float64").to_numpy(dtype=float, na_value=np.nan)
    n = pd.Series(nenner, dtype="float64").to_numpy(dtype=float, na_value=np.nan)
    m = (np.ones_like(n) if monate is None
         else pd.Series(monate, dtype="float64").to_numpy(dtype=float, na_value=np.nan))
    m = np.where(np.isnan(m) | (m <= 0), 1.0, m)
    n, z = n / m, z / m
    with np.errstate(invalid="ignore", divide="ignore"):
        mit = n > 0
        aenderung = np.where(mit, faktor / np.where(mit, n, 1.0), np.nan)
    stellen_n, stellen_z = _stellen(n, regel.mindest_nenner), _stellen(z, regel.mindest_zaehler)
    schablonen, gemerkt = [], {}
    for schluessel in zip((m != 1).tolist(), stellen_n.tolist(), stellen_z.tolist(), mit.tolist()):
        if schluessel not in gemerkt:
            gemerkt[schluessel] = grund_schablone(regel, differenz_einheit, *schluessel)
        schablonen.append(gemerkt[schluessel])
    return schablonen, np.stack([n, z, aenderung], axis=1)


def gruende(zaehler, nenner, regel: Regel, faktor: float, differenz_einheit: str, monate=None) -> list[str]:
    """grund() of many rates at once (the same sentences)."""
    schablonen, werte = gruende_teile(zaehler, nenner, regel, faktor, differenz_einheit, monate)
    # every number of a column written once per count of decimals (fmt.zahlen), then each template filled
    texte = {(spalte, k): fmt.zahlen(werte[:, spalte], k) for spalte in range(3) for k in (0, 1)}
    teile = {s: s.split(fmt.LUECKE) for s in set(schablonen)}
    gruende_ = []
    for i, schablone in enumerate(schablonen):
        stuecke = teile[schablone]
        text = [stuecke[0]]
        for spalte, stueck in enumerate(stuecke[1:]):
            text += [texte[spalte, int(stueck[0])][i], stueck[1:]]
        gruende_.append("".join(text))
    return gruende_


def grund(zaehler: float, nenner: float, regel: Regel, faktor: float, differenz_einheit: str,
          monate=None) -> str:
    """Why one rate is not reliable, in German, e.g. 'nicht belastbar: 38 im Nenner, 3 im Zähler (Regel: mindestens
    50 im Nenner); ein Fall mehr oder weniger ändert die Quote um 2,6 Pp.' (monate: an annual average's months,
    the numbers are then those of the mean month: 'nicht belastbar: im Monatsmittel …')."""
    return gruende([zaehler], [nenner], regel, faktor, differenz_einheit, None if monate is None else [monate])[0]
