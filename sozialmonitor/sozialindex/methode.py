"""The index arithmetic, free of the database: z-standardisation, the composite of oriented z-values, classes and
types. Every function works on arrays whose last axes are areas (and indicators), so the same code runs once on the
published values and on every bootstrap draw at once (leading axis = draws).

Method (issue 21, after Berlin's Monitoring Soziale Stadtentwicklung and Hamburg's RISE Sozialmonitoring):
for each indicator the values of the areas in the index are z-standardised over those areas (unweighted mean,
standard deviation with n − 1) and oriented so that a higher z means more need (polarity "hoeher_ist_besser" is
turned round); the index value is the weighted mean of the oriented z-values, z-standardised again over the areas.
Status classes on that value: ≤ a "hoch", between "mittel", ≥ b "niedrig", ≥ c "sehr niedrig" (a, b, c default
−1,0 / +1,0 / +1,5); the dynamics index is the same construction on each indicator's change over the span (in
percentage points): ≤ a "positiv", between "stabil", ≥ b "negativ"."""

import numpy as np

STATUS_KLASSEN = ("hoch", "mittel", "niedrig", "sehr niedrig")
DYNAMIK_KLASSEN = ("positiv", "stabil", "negativ")
MINDEST_GEBIETE = 3  # fewer areas give no meaningful standard deviation


def standardisieren(x: np.ndarray) -> np.ndarray:
    """z-values along the last axis (areas): (x − mean) / sd, unweighted, sd with n − 1. Where the sd is 0 (all
    areas equal) every z is 0: no area stands out."""
    x = np.asarray(x, dtype=float)
    mittel = x.mean(axis=-1, keepdims=True)
    sd = x.std(axis=-1, ddof=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (x - mittel) / sd
    return np.where(sd > 0, z, 0.0)


def index_werte(werte: np.ndarray, richtung: np.ndarray, gewichte: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """werte (…, areas, indicators) → (oriented z-values (…, areas, indicators), index value (…, areas)).
    richtung: +1 where a higher value means more need, −1 where it means less (per indicator); gewichte > 0."""
    werte = np.asarray(werte, dtype=float)
    z = np.swapaxes(standardisieren(np.swapaxes(werte, -1, -2)), -1, -2) * np.asarray(richtung, dtype=float)
    gewichte = np.asarray(gewichte, dtype=float)
    mittel = (z * gewichte).sum(axis=-1) / gewichte.sum()
    return z, standardisieren(mittel)


def status_klasse(index: np.ndarray, grenzen) -> np.ndarray:
    """Class number 0 hoch, 1 mittel, 2 niedrig, 3 sehr niedrig: ≤ grenzen[0] → 0, ≥ grenzen[1] → 2,
    ≥ grenzen[2] → 3, between → 1."""
    a, b, c = grenzen
    index = np.asarray(index, dtype=float)
    return np.where(index <= a, 0, np.where(index < b, 1, np.where(index < c, 2, 3)))


def dynamik_klasse(index: np.ndarray, grenzen) -> np.ndarray:
    """Class number 0 positiv, 1 stabil, 2 negativ: ≤ grenzen[0] → 0, ≥ grenzen[1] → 2, between → 1."""
    a, b = grenzen
    index = np.asarray(index, dtype=float)
    return np.where(index <= a, 0, np.where(index < b, 1, 2))


def typ_nummer(status: int, dynamik: int) -> int:
    """The type 1 … 12: status class × dynamics class (1 = hoch/positiv, 12 = sehr niedrig/negativ)."""
    return int(status) * len(DYNAMIK_KLASSEN) + int(dynamik) + 1


def typ_name(status: int, dynamik: int) -> str:
    """'niedrig / negativ' for class numbers (2, 2)."""
    return f"{STATUS_KLASSEN[status]} / {DYNAMIK_KLASSEN[dynamik]}"


def aufmerksamkeit(status: int, dynamik: int | None) -> bool:
    """"besonderer Aufmerksamkeitsbedarf": status "sehr niedrig", or "niedrig" with dynamics "negativ"."""
    return status == 3 or (status == 2 and dynamik == 2)


def monte_carlo_fehler(anteil: np.ndarray, ziehungen: int) -> np.ndarray:
    """Standard error of a share estimated from `ziehungen` independent draws: sqrt(p (1 − p) / N)."""
    anteil = np.asarray(anteil, dtype=float)
    return np.sqrt(anteil * (1 - anteil) / ziehungen)
