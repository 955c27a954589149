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


def _personen(anzahl: float, grenze: float | None) -> str:
    """A number of persons (a monthly mean too) as a whole number – '846', not '846,3' –, with one decimal only where
    rounding would reach the rule's threshold it falls short of (999,6 stays '999,6', never '1.000' beside
    'mindestens 1.000')."""
    if grenze is not None and anzahl < grenze <= round(anzahl):
        return fmt.zahl(anzahl, 1)
    return fmt.zahl(anzahl, 0)


def grund(zaehler: float, nenner: float, regel: Regel, faktor: float, differenz_einheit: str,
          monate=None) -> str:
    """Why one rate is not reliable, in German, e.g. 'nicht belastbar: 38 im Nenner (Regel: mindestens 50 im
    Nenner); ein Fall mehr oder weniger ändert die Quote um 2,6 Pp.'"""
    m = monate if monate is not None and pd.notna(monate) and monate > 0 else 1
    n, z = nenner / m, zaehler / m
    was = "im Monatsmittel " if m != 1 else ""
    text = (f"{TEXT}: {was}{_personen(n, regel.mindest_nenner)} im Nenner, "
            f"{_personen(z, regel.mindest_zaehler)} im Zähler")
    text += f" (Regel: {regel.text()})"
    if n > 0:
        text += f"; ein Fall mehr oder weniger ändert die Quote um {fmt.zahl(faktor / n, 1)} {differenz_einheit}"
    return text.strip()
