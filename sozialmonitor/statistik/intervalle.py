"""Confidence intervals for proportions (Wilson score, as PHEindicatormethods / Fingertips) at Fingertips' two
levels: 95 % and 99,8 % (roughly two and three standard errors)."""

import math
from functools import lru_cache

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
