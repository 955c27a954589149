"""How certain is a status? A parametric bootstrap of the counts behind it.

Each year's numerator is drawn anew from its observed rate – binomial(n, x/n) for a share of persons with
numerator and denominator (for an annual average of months: the mean monthly numerator and denominator), Poisson(x)
for a rate of events whose numerator can exceed its denominator – the values are rounded to the published precision and the target's whole rule (statistik.urteil)
runs on every draw. The share of draws that give the status shown is its certainty: "auf Kurs (Sicherheit 61 %)".
Below UNSICHER_UNTER (80 %) the status is marked "unsicher". A year published as a rate without counts is taken as
it is (it has no known base to draw from), and so is a plain count (art "anzahl", e.g. Familienlotsen on
31.12.): it is a full count of a register, not the outcome of a rate, and has no sampling error. Deterministic: every target × area draws from its own generator seeded
with SEED and the target's and area's codes, so the result does not depend on the order of evaluation."""

import zlib
from collections import Counter

import numpy as np

ZIEHUNGEN = 1000
SEED = 20191127            # the day of the Kyffhäuserkreis agreement; any fixed number will do
UNSICHER_UNTER = 0.8


def generator(*schluessel: str) -> np.random.Generator:
    """The random generator of one target × area: SEED plus a checksum of each key."""
    return np.random.default_rng([SEED, *(zlib.crc32(str(s).encode("utf-8")) for s in schluessel)])


def ziehungen(werte, zaehler, nenner, monate, art: str, faktor: float, rng: np.random.Generator,
              anzahl: int = ZIEHUNGEN) -> tuple[np.ndarray, np.ndarray]:
    """Draws of one area's series. werte/zaehler/nenner/monate: per year (NaN where none; monate NaN for native
    annual values); art 'quote' or 'anzahl'; faktor 100 for %, 1000 for ‰. Returns (draws × years) values in the
    indicator's unit and a per-year bool: whether that year was resampled (False: taken as it is)."""
    w = np.asarray(werte, dtype=float)
    z = np.asarray(zaehler, dtype=float)
    n = np.asarray(nenner, dtype=float)
    m = np.asarray(monate, dtype=float)
    m = np.where(np.isnan(m) | (m <= 0), 1.0, m)
    out = np.tile(w, (anzahl, 1))
    ok = np.zeros(len(w), dtype=bool)
    if art != "quote":
        return out, ok
    basis = np.round(n / m)
    x = z / m
    ok = ~np.isnan(z) & ~np.isnan(basis) & (basis > 0) & ~np.isnan(w)
    binomial = ok & (x <= basis)
    poisson = ok & (x > basis)
    if binomial.any():
        p = np.clip(x[binomial] / basis[binomial], 0.0, 1.0)
        draws = rng.binomial(basis[binomial].astype(np.int64), p, size=(anzahl, int(binomial.sum())))
        out[:, binomial] = faktor * draws / basis[binomial]
    if poisson.any():
        draws = rng.poisson(x[poisson], size=(anzahl, int(poisson.sum())))
        out[:, poisson] = faktor * draws / basis[poisson]
    return out, ok


def anteile(status: np.ndarray) -> dict[str, float]:
    """Share of each status among the draws, largest first."""
    counts = Counter(np.asarray(status).tolist())
    total = sum(counts.values())
    return {str(key): n / total for key, n in counts.most_common()}
