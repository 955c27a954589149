"""Class bounds for choropleth maps: the classic classification schemes of thematic cartography.

Every function takes the values to classify (a 1-D array, NaN already removed, at least one value) and returns the
upper bounds of the classes, ascending, the last one at least the largest value – the convention of PySAL's
`mapclassify` (Rey, Stephens, Laura: "An evaluation of sampling and full enumeration strategies for Fisher Jenks
classification in big data settings", Transactions in GIS 2017), whose definitions these follow. The optimal
Jenks breaks come from `jenkspy` (Fisher 1958 / Jenks 1977, exact, in C). `mapclassify` itself is not used on the
map page: it loads scikit-learn and scipy.stats on import, about 130 MB in every server process
(bench/map_bench.py at 11,299 areas).

Units: those of the values (% or Anzahl)."""

import jenkspy
import numpy as np


def benutzerdefiniert(y: np.ndarray, grenzen) -> list[float]:
    """The given upper bounds; the largest value is appended as the last bound when it lies above them."""
    grenzen = [float(g) for g in grenzen]
    groesster = float(np.max(y))
    if not grenzen or grenzen[-1] < groesster:
        grenzen.append(groesster)
    return grenzen


def quantile(y: np.ndarray, anzahl: int) -> list[float]:
    """Upper bounds at the 100/anzahl, 2·100/anzahl … 100 % percentiles (linear interpolation as numpy's
    percentile); equal percentiles (many ties) collapse, so there may be fewer classes."""
    schritt = 100.0 / anzahl
    prozente = np.minimum(np.arange(1, anzahl + 1) * schritt, 100.0)
    return [float(q) for q in np.unique(np.percentile(y, prozente))]


def gleiche_intervalle(y: np.ndarray, anzahl: int) -> list[float]:
    """anzahl classes of equal width between the smallest and the largest value."""
    kleinster, groesster = float(np.min(y)), float(np.max(y))
    breite = (groesster - kleinster) / anzahl
    grenzen = [kleinster + breite * i for i in range(1, anzahl + 1)]
    grenzen[-1] = groesster
    return grenzen


def standardabweichung(y: np.ndarray, vielfache=(-2, -1, 1, 2)) -> list[float]:
    """Bounds at the mean plus the given multiples of the standard deviation (sample standard deviation,
    ddof = 1); the largest value closes the last class when it lies above."""
    mittel, streuung = float(np.mean(y)), float(np.std(y, ddof=1)) if len(y) > 1 else 0.0
    grenzen = [mittel + streuung * v for v in vielfache]
    groesster = float(np.max(y))
    if grenzen[-1] < groesster:
        grenzen.append(groesster)
    return grenzen


def jenks(y: np.ndarray, anzahl: int) -> list[float]:
    """Natural breaks (Fisher-Jenks, exact: the partition with the least within-class squared deviation) by
    jenkspy; anzahl must be less than the number of distinct values (the caller caps it)."""
    werte = np.sort(np.asarray(y, dtype=float))
    if np.unique(werte).size <= anzahl:
        return [float(v) for v in np.unique(werte)]
    grenzen = jenkspy.jenks_breaks(werte, n_classes=anzahl)
    return [float(g) for g in grenzen[1:]]
