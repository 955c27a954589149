"""Forecasts: the area's own series projected to the deadline year, with a 95 % prediction interval.

Log-linear least squares over ALL years since the base year (not two endpoints): ln(wert) = a + b·jahr, so the
forecast continues the average annual rate of change. The prediction interval is the classical one for a new
observation of a simple regression (t distribution with n − 2 degrees of freedom; from scipy), transformed back
with exp – it widens with the distance to the deadline and with the scatter around the trend. With two years there
is a point but no interval; a series containing 0 is fitted linearly instead (a logarithm of 0 does not exist) and
the forecast is kept at 0 or above."""

import math
from functools import lru_cache
from dataclasses import dataclass

import numpy as np
from scipy.special import stdtrit  # Student's t quantile as a plain ufunc (scipy.stats costs ~60 MB per process)


@dataclass(frozen=True)
class Prognose:
    """wert, unten, oben in the indicator's unit (unten/oben None with fewer than 3 years); methode 'loglinear' or
    'linear'; jahre: the years the fit used."""
    zieljahr: int
    wert: float
    unten: float | None
    oben: float | None
    methode: str
    jahre: int


@lru_cache(maxsize=64)
def _t_quantil(niveau: float, freiheitsgrade: int) -> float:
    return float(stdtrit(freiheitsgrade, 0.5 + niveau / 2))


def prognose(jahre, werte, zieljahr: int, niveau: float = 0.95, obergrenze: float | None = None) -> Prognose | None:
    """Project a series (years ascending, values; NaN left out) to `zieljahr`. None with fewer than two values.
    obergrenze: the largest possible value (a share: 100 for %, 1000 for ‰) – the projection and its interval
    never go beyond it (a log-linear interval ten years out can otherwise reach billions of per cent)."""
    x, y = np.asarray(jahre, dtype=float), np.asarray(werte, dtype=float)
    keep = ~np.isnan(y)
    x, y = x[keep], y[keep]
    if len(x) < 2 or np.ptp(x) == 0:
        return None
    log = bool((y > 0).all())
    z = np.log(y) if log else y
    xbar = x.mean()
    sxx = float(((x - xbar) ** 2).sum())
    b = float(((x - xbar) * (z - z.mean())).sum() / sxx)
    a = float(z.mean() - b * xbar)
    punkt = a + b * zieljahr
    unten = oben = None
    if len(x) >= 3:
        resid = z - (a + b * x)
        s = math.sqrt(float((resid ** 2).sum()) / (len(x) - 2))
        se = s * math.sqrt(1 + 1 / len(x) + (zieljahr - xbar) ** 2 / sxx)
        q = _t_quantil(niveau, len(x) - 2)
        unten, oben = punkt - q * se, punkt + q * se
    grenze = math.inf if obergrenze is None else float(obergrenze)

    def back(v):
        wert = math.exp(min(v, 700.0)) if log else max(0.0, v)  # beyond e^700 a float overflows
        return min(grenze, wert)
    return Prognose(int(zieljahr), back(punkt), None if unten is None else back(unten),
                    None if oben is None else back(oben), "loglinear" if log else "linear", len(x))
