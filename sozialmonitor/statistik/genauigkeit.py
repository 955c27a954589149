"""Published precision: a value is compared with a threshold at the precision it is published with.

The Bundesagentur für Arbeit and the statistical offices publish rates with one decimal, rounded half away from
zero ("kaufmännisch"). A Kreis at 6,96 % is published as 7,0 % – and 7,0 % is not "unter 7 %". Comparing the
unrounded 6,96 would show "7,0 %" beside "✔ erreicht": what is shown and what is judged would contradict each
other. So every value a target judges is first rounded to the target's precision (`vergleich_genauigkeit` in
ziele.toml, default the indicator's `nachkommastellen`), and the page shows exactly that many decimals."""

import operator

import numpy as np
import pandas as pd

VERGLEICHE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}

# Guards against binary fractions: 6.95 is stored as 6.9499999…, yet published as 7,0.
_EPSILON = 1e-9


def runden(werte, stellen: int):
    """Round half away from zero to `stellen` decimals, as statistical offices publish (not Python's round-half-
    even). Scalars and numpy arrays (NaN stays NaN). 6.95 → 7.0, 6.949 → 6.9, -0.05 → -0.1 (1 decimal)."""
    faktor = 10.0 ** int(stellen)
    x = np.asarray(werte, dtype=float)
    gerundet = np.sign(x) * np.floor(np.abs(x) * faktor + 0.5 + _EPSILON) / faktor
    return float(gerundet) if np.ndim(gerundet) == 0 else gerundet


def erfuellt(werte, vergleich: str, schwelle, stellen: int):
    """Whether the values, rounded to `stellen` decimals, meet '<wert> <vergleich> <schwelle>' (the threshold or a
    reference value, also rounded). Arrays broadcast; NaN never meets. Raises KeyError for an unknown comparison."""
    return VERGLEICHE[vergleich](runden(werte, stellen), runden(schwelle, stellen))


def stellen_fuer(ziel) -> int:
    """The precision a target compares and shows its values at: `vergleich_genauigkeit`, else the indicator's
    `nachkommastellen`."""
    eigene = getattr(ziel, "vergleich_genauigkeit", None)
    if eigene is not None and not pd.isna(eigene):
        return int(eigene)
    return int(ziel.nachkommastellen)
