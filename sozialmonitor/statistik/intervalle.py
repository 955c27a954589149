"""Confidence intervals for proportions (Wilson score, as PHEindicatormethods / Fingertips) at Fingertips' two
levels: 95 % and 99,8 % (roughly two and three standard errors); the counts an interval works on (fallzahlen) and
the comparison of a rate's interval with a benchmark value (abstand)."""

import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from scipy.special import ndtri  # the normal quantile as a plain ufunc: scipy.stats costs ~60 MB per process

NIVEAUS = {0.95: "95 %", 0.998: "99,8 %"}  # Fingertips' two levels for "significantly different"
STANDARD_NIVEAU = 0.95


@lru_cache(maxsize=16)
def z_wert(niveau: float = STANDARD_NIVEAU) -> float:
    """Two-sided standard normal quantile: 0.95 → 1.96, 0.998 → 3.09."""
    return float(ndtri(0.5 + niveau / 2))


def wilson(erfolge: float, n: float, niveau: float = STANDARD_NIVEAU, z: float | None = None) -> tuple[float, float]:
    """Wilson score interval (Newcombe 1998, method 3; PHEindicatormethods::wilson_lower/upper) for the proportion
    erfolge/n as fractions 0–1. n may be fractional (a mean monthly base). Raises ZeroDivisionError for n = 0."""
    z = z_wert(niveau) if z is None else z
    p = erfolge / n
    nenner = 1 + z * z / n
    mitte = (p + z * z / (2 * n)) / nenner
    halb = z / nenner * math.sqrt(max(0.0, p * (1 - p) / n + z * z / (4 * n * n)))
    return max(0.0, mitte - halb), min(1.0, mitte + halb)


def _fehlt(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def fallzahlen(zaehler, nenner, monate=None) -> tuple[float, float] | tuple[None, None]:
    """The numerator and denominator (Anzahl) an interval of one value works on: the period's counts; for an annual
    average of monthly counts (monate = the months averaged, None/NaN for a native annual value) the summed months,
    taken as independent months (issue 19; the same model as the certainty's bootstrap, statistik.sicherheit – with
    persons counted in several months the true interval is wider, up to the one of the mean month).
    (None, None) when a count is missing or the denominator is not positive."""
    if _fehlt(zaehler) or _fehlt(nenner) or not float(nenner) > 0:
        return None, None
    return float(zaehler), float(nenner)


@dataclass(frozen=True)
class Abstand:
    """A rate against a comparison value (a goal's threshold, the Kreis' value). ki_unten/ki_oben: the Wilson
    interval in the indicator's unit (%, ‰); gesichert: the interval excludes the comparison value and the rate is
    reliable (statistik.belastbarkeit – an unreliable rate is never 'gesichert'); hoeher: the interval lies above
    it (meaningful when gesichert)."""

    ki_unten: float
    ki_oben: float
    gesichert: bool
    hoeher: bool


def abstand(zaehler: float, nenner: float, faktor: float, vergleichswert, niveau: float = STANDARD_NIVEAU,
            belastbar: bool = True) -> Abstand:
    """Fingertips' comparison of a rate with a benchmark: the Wilson interval at `niveau` of zaehler/nenner (counts
    from `fallzahlen`), times faktor (100 for %), wholly above or below `vergleichswert` (same unit; None/NaN: not
    compared, never gesichert). The goal page's 'gesichert', the Steckbrief's 'besser/schlechter als der Kreis' and
    the Sitzungsvorlage's 'auffällige Gebiete' are all this one rule. Raises ZeroDivisionError for nenner = 0."""
    unten, oben = wilson(zaehler, nenner, niveau)
    ki_unten, ki_oben = unten * faktor, oben * faktor
    vergleichbar = not _fehlt(vergleichswert)
    gesichert = bool(belastbar and vergleichbar and not ki_unten <= vergleichswert <= ki_oben)
    return Abstand(ki_unten, ki_oben, gesichert, bool(vergleichbar and ki_unten > vergleichswert))
