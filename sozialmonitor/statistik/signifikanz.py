"""Significance of a change between two periods and the recent trend of a series – on the counts, never on rounded
rates.

* veraenderung_test: two-proportion z-test (pooled variance; equivalent to the 2×2 chi-square test without
  continuity correction) of x1/n1 against x2/n2.
* trendtest: chi-square test for trend in proportions (Cochran 1954, Armitage 1955; R's prop.trend.test, the test
  Fingertips uses for the trend markers of proportions) over the given years as scores, 1 degree of freedom.
* juengster_trend: the "jüngster Trend" marker in the style of Fingertips' recent-trend markers: the last 5 annual
  points with numerator and denominator; a trend counts as gesichert only when the test is significant at the chosen
  level AND stays significant in the same direction whenever any one of the 5 points is left out (one odd year does
  not make a trend).
Rates that are "nicht belastbar" (statistik.belastbarkeit) are never called significant. Distributions from scipy."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import chdtrc, ndtr  # chi-square and normal tails as plain ufuncs (fast on small arrays)

TREND_PUNKTE = 5              # Fingertips: the most recent five values
TREND_NIVEAU = 0.998          # the stricter of Fingertips' two levels (many areas × indicators are tested at once)


def _array(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def veraenderung_test(x1, n1, x2, n2):
    """Two-proportion z-test of the change from x1/n1 to x2/n2 (arrays or scalars, counts Anzahl; fractional counts
    of mean monthly bases allowed). Returns (z, p): z > 0 when the second proportion is higher; p two-sided; NaN
    where a base is missing or 0, or both proportions are 0 or 1 (no variance)."""
    x1, n1, x2, n2 = (_array(v) for v in (x1, n1, x2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = x1 / n1, x2 / n2
        pool = (x1 + x2) / (n1 + n2)
        se = np.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
        z = np.where(se > 0, (p2 - p1) / se, np.nan)
    p = 2 * ndtr(-np.abs(z))
    return z, p


def veraenderung_gesichert(x1, n1, x2, n2, niveau: float = 0.95, belastbar=True) -> np.ndarray:
    """Per area: True where the change is significant at `niveau` (0.95 or 0.998) and both rates are reliable;
    False where it is not; arrays of bool (a missing count gives False – see veraenderung_test for the p-value)."""
    _, p = veraenderung_test(x1, n1, x2, n2)
    return (np.nan_to_num(p, nan=1.0) < 1 - niveau) & np.asarray(belastbar, dtype=bool)


def trendtest(jahre, zaehler, nenner):
    """Chi-square test for trend in proportions, vectorised over rows: zaehler and nenner are (areas × years)
    arrays (or 1-D for one area), jahre the scores (years; unequal gaps allowed). NaN cells are left out of that
    row. Returns (chi2, p, richtung): richtung +1 rising, −1 falling, 0 none; NaN where fewer than 2 points or no
    variance."""
    x = np.atleast_2d(_array(zaehler))
    n = np.atleast_2d(_array(nenner))
    t = np.broadcast_to(_array(jahre), x.shape)
    ok = ~(np.isnan(x) | np.isnan(n)) & (n > 0)
    x, n, t = np.where(ok, x, 0.0), np.where(ok, n, 0.0), np.where(ok, t, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        N = n.sum(axis=1)
        pbar = x.sum(axis=1) / N
        tbar = (n * t).sum(axis=1) / N
        d = t - tbar[:, None]
        T = (x * d).sum(axis=1)
        var = pbar * (1 - pbar) * (n * d * d).sum(axis=1)
        stat = np.where((var > 0) & (ok.sum(axis=1) >= 2), T * T / var, np.nan)
    p = chdtrc(1, stat)
    richtung = np.where(np.isnan(stat), 0, np.sign(T)).astype(int)
    return stat, p, richtung


@dataclass(frozen=True)
class Trend:
    """A recent-trend marker: key 'steigend' | 'fallend' | 'kein' (no significant trend) | 'nicht_pruefbar'."""
    key: str
    p: float | None = None
    jahre: tuple = ()


TREND_TEXT = {"steigend": "↑ steigt", "fallend": "↓ sinkt", "kein": "→ kein gesicherter Trend",
              "nicht_pruefbar": "– nicht prüfbar"}


def juengster_trend_alle(jahre, zaehler, nenner, niveau: float = TREND_NIVEAU) -> tuple[np.ndarray, np.ndarray]:
    """The recent-trend key for many areas at once. jahre: the TREND_PUNKTE consecutive years tested (1-D);
    zaehler/nenner: (areas × those years). An area lacking counts in any of them is 'nicht_pruefbar'. Returns
    (keys, p of the full test)."""
    x, n = np.atleast_2d(_array(zaehler)), np.atleast_2d(_array(nenner))
    complete = ~(np.isnan(x) | np.isnan(n)).any(axis=1) & (x.shape[1] >= TREND_PUNKTE)
    keys = np.full(x.shape[0], "nicht_pruefbar", dtype=object)
    p = np.full(x.shape[0], np.nan)
    if not complete.any():  # nothing to test (e.g. a single year): no arrays of (areas × variants × years) at all
        return keys.astype(str), p
    # Only complete rows are tested: the full test and every leave-one-out test in one call (a left-out point is a
    # NaN cell, which trendtest skips). At 11.299 areas the arrays of all rows peaked at 25 MB (issue 22).
    x, n = x[complete], n[complete]
    punkte = x.shape[1]
    varianten = np.repeat(np.eye(punkte + 1, punkte, k=-1, dtype=bool)[None, :, :], x.shape[0], axis=0)
    xs = np.where(varianten, np.nan, x[:, None, :]).reshape(-1, punkte)
    ns = np.where(varianten, np.nan, n[:, None, :]).reshape(-1, punkte)
    _, p_alle, r_alle = trendtest(jahre, xs, ns)
    p_alle, r_alle = p_alle.reshape(x.shape[0], punkte + 1), r_alle.reshape(x.shape[0], punkte + 1)
    richtung = r_alle[:, 0]
    robust = ((p_alle < 1 - niveau) & (r_alle == richtung[:, None])).all(axis=1) & (richtung != 0)
    keys[complete] = np.where(robust, np.where(richtung > 0, "steigend", "fallend"), "kein")
    p[complete] = p_alle[:, 0]
    return keys.astype(str), p


def juengster_trend(jahre, zaehler, nenner, niveau: float = TREND_NIVEAU, monate=None) -> Trend:
    """The recent-trend marker of one series (years ascending, counts per year, NaN where none): the last
    TREND_PUNKTE years must be consecutive and all have numerator and denominator, else 'nicht_pruefbar'.
    monate: per year the months of an annual average (NaN for a native annual value): its mean month is tested,
    as on the map page (juengster_trend_je_gebiet) and in every interval (intervalle.fallzahlen)."""
    jahre, x, n = _array(jahre), _array(zaehler), _array(nenner)
    if monate is not None:
        m = _array(monate)
        m = np.where(np.isnan(m) | (m <= 0), 1.0, m)
        x, n = x / m, n / m
    usable = ~(np.isnan(x) | np.isnan(n)) & (n > 0)
    if len(jahre) < TREND_PUNKTE:
        return Trend("nicht_pruefbar")
    letzte = slice(len(jahre) - TREND_PUNKTE, len(jahre))
    if not usable[letzte].all() or jahre[letzte][-1] - jahre[letzte][0] != TREND_PUNKTE - 1:
        return Trend("nicht_pruefbar", jahre=tuple(int(j) for j in jahre[letzte]))
    keys, p = juengster_trend_alle(jahre[letzte], x[letzte][None, :], n[letzte][None, :], niveau)
    return Trend(str(keys[0]), float(p[0]), tuple(int(j) for j in jahre[letzte]))


def trend_text(key: str, polaritaet: str = "neutral") -> str:
    """'↑ steigt – schlechter', '↓ sinkt – besser', '→ kein gesicherter Trend', '– nicht prüfbar'."""
    text = TREND_TEXT[key]
    if key in ("steigend", "fallend") and polaritaet != "neutral":
        besser = (key == "fallend") == (polaritaet == "niedriger_ist_besser")
        text += " – besser" if besser else " – schlechter"
    return text


def viele_vergleiche_text(anzahl: int, niveau: float) -> str | None:
    """The many-comparisons warning for `anzahl` areas tested at once at `niveau`: with 28 Gemeinden at 95 % about
    1–2 are 'gesichert' by chance alone. None when fewer than 10 areas are compared."""
    if anzahl < 10:
        return None
    erwartet = anzahl * (1 - niveau)
    from sozialmonitor import fmt
    return (f"Hier werden {fmt.zahl(anzahl)} Gebiete zugleich geprüft: auf dem Niveau "
            f"{fmt.zahl(100 * niveau, 1 if niveau > 0.99 else 0)} % sind allein durch Zufall etwa "
            f"{fmt.zahl(erwartet, 1)} „gesichert“, auch wenn sich in Wahrheit nichts unterscheidet. "
            + ("Das strengere Niveau 99,8 % verringert das." if niveau < 0.998 else ""))


def juengster_trend_je_gebiet(werte: pd.DataFrame, bis: str, niveau: float = TREND_NIVEAU) -> pd.Series:
    """The recent-trend key of every area at once (the map page's table). werte: rows of the query
    indicator_values_all_periods (gebiet, zeitraum, zaehler, nenner, monate, herkunft); bis: the year shown
    ('2024'). Tested are the TREND_PUNKTE years up to it; an annual average of months counts with its mean month.
    Returns a Series gebiet → key (see juengster_trend); an area without counts in one of the years is
    'nicht_pruefbar'."""
    if len(bis) != 4 or werte.empty:
        return pd.Series(dtype=object)
    jahre = [str(int(bis) - i) for i in range(TREND_PUNKTE - 1, -1, -1)]
    frame = werte[werte["zeitraum"].isin(jahre)]
    months = frame["monate"].astype("float").where(frame["herkunft"].eq("jahresdurchschnitt")).fillna(1.0)
    frame = frame.assign(z=frame["zaehler"].astype("float") / months, n=frame["nenner"].astype("float") / months)
    gebiete = sorted(werte["gebiet"].unique())
    frame = frame.drop_duplicates(["gebiet", "zeitraum"]).set_index(["gebiet", "zeitraum"])
    x = frame["z"].unstack().reindex(index=gebiete, columns=jahre)
    n = frame["n"].unstack().reindex(index=gebiete, columns=jahre)
    keys, _ = juengster_trend_alle([int(j) for j in jahre], x.to_numpy(dtype=float), n.to_numpy(dtype=float),
                                   niveau)
    return pd.Series(keys, index=gebiete, dtype=object)
