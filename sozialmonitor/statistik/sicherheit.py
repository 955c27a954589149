"""How certain is a status? A parametric bootstrap of the counts behind it.

Each year's numerator is drawn anew from its observed rate – binomial(n, x/n) for a share of persons with
numerator and denominator, Poisson(x) for a rate of events whose numerator can exceed its denominator – the values
are rounded to the published precision and the target's whole rule (statistik.urteil) runs on every draw. The share
of draws that give the status shown is its certainty: "auf Kurs (Sicherheit 61 %)". Below UNSICHER_UNTER (80 %) the
status is marked "unsicher".

An annual average of months (the BA's Jahresdurchschnitt: the months' numerators summed over their denominators
summed) is drawn from its monthly counts as **independent months**: the sum of twelve independent binomial months
with a common rate is binomial on the summed counts, so the annual numerator is binomial(Σ n, Σ x / Σ n). Up to
issue 19 one binomial on the mean month was drawn – as if the same persons were counted in all twelve months
(perfectly correlated months), which made every annual status look less certain than the counts say. Persons who
stay unemployed for several months make neighbouring months positively correlated, so the truth lies between the
two models: the certainty shown is an upper bound of it, the Wilson interval (intervalle.fallzahlen) a lower bound
of its width; the method text on the goal page says so.

A year published as a rate without counts is taken as it is (it has no known base to draw from), and so is a plain
count (art "anzahl", e.g. Familienlotsen on 31.12.): it is a full count of a register, not the outcome of a rate,
and has no sampling error. Deterministic: every target × area draws from its own generator seeded with SEED and the
target's and area's codes, so the result does not depend on the order of evaluation.

Monte-Carlo error: a certainty p estimated from R draws has the standard error √(p(1 − p)/R), at most 0.5/√R;
with R = ZIEHUNGEN = 4.000 that is 0,79 percentage points (mc_fehler)."""

import zlib
from collections import Counter

import numpy as np

ZIEHUNGEN = 4000          # Monte-Carlo error of a certainty ≤ 0.5/√4000 = 0,79 pp
SEED = 20191127            # the day of the Kyffhäuserkreis agreement; any fixed number will do
UNSICHER_UNTER = 0.8


def generator(*schluessel: str) -> np.random.Generator:
    """The random generator of one target × area: SEED plus a checksum of each key."""
    return np.random.default_rng([SEED, *(zlib.crc32(str(s).encode("utf-8")) for s in schluessel)])


def ziehungen(werte, zaehler, nenner, monate, art: str, faktor: float, rng: np.random.Generator,
              anzahl: int = ZIEHUNGEN) -> tuple[np.ndarray, np.ndarray]:
    """Draws of one area's series. werte/zaehler/nenner/monate: per year (NaN where none; monate NaN for native
    annual values; kept for the callers, an annual average is drawn on its sums); art 'quote' or 'anzahl'; faktor 100
    for %, 1000 for ‰. Returns (draws × years) values in the indicator's unit and a per-year bool: whether that year
    was resampled (False: taken as it is)."""
    w = np.asarray(werte, dtype=float)
    z = np.asarray(zaehler, dtype=float)
    n = np.asarray(nenner, dtype=float)
    out = np.tile(w, (anzahl, 1))
    ok = np.zeros(len(w), dtype=bool)
    if art != "quote":
        return out, ok
    # an annual average: its summed months as independent binomial months (see the module's text)
    basis = np.round(n)
    x = z
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


def mc_fehler(anteil: float, anzahl: int = ZIEHUNGEN) -> float:
    """Monte-Carlo standard error of a certainty `anteil` (0–1) estimated from `anzahl` draws, as a fraction."""
    return float(np.sqrt(max(anteil * (1 - anteil), 0.0) / anzahl))


MC_FEHLER_MAX = 0.5 / np.sqrt(ZIEHUNGEN)  # the worst case, at a certainty of 50 %
