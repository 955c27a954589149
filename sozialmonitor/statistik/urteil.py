"""Progress statuses and deadline verdicts for one curve – vectorised over bootstrap draws, so the status shown and
the status whose certainty is estimated come from the very same rule.

Up to the deadline the progress measure of open-sdg / Statistics Canada: the ratio of the observed annual rate of
change since the base year to the rate required to reach the goal by the deadline, cut at 0.95 / 0.6 / 0.
After the deadline only the deadline year's value counts: "erreicht" or "nicht erreicht zur Frist"; without a value
for the deadline year "zur Frist nicht entscheidbar" – never a guess from another year. A later year that meets the
goal is reported beside it ("später erreicht (2024)").

Edge rules:
* one year of data (or none since the base year): judged against the goal; not met → "kein Trend (nur ein Jahr)";
* no movement is not moving away: a series that stands still where it is not met (e.g. exactly at a strict
  threshold) is "zu langsam"; "entfernt sich" needs a change in the wrong direction;
* a start value of 0 (or a goal of 0) has no growth rate: the linear annual change is used instead."""

from dataclasses import dataclass
from datetime import date

import numpy as np

from sozialmonitor.statistik.genauigkeit import VERGLEICHE

AUF_KURS_AB, MAESSIG_AB, ZU_LANGSAM_AB = 0.95, 0.6, 0.0  # open-sdg cut-offs for observed / required rate

STATUS_KEYS = ("erreicht", "auf_kurs", "maessig", "zu_langsam", "entfernt_sich", "kein_trend", "nicht_erreicht",
               "nicht_entscheidbar", "keine_daten")


@dataclass(frozen=True)
class Kurve:
    """One quantity over the years, the way a target judges it. messwert: (draws × years) at published precision –
    the value, the gap to the reference value, or the number of areas meeting the goal."""

    jahre: tuple
    messwert: np.ndarray
    zielwert: float
    vergleich: str       # messwert <vergleich> zielwert means met
    geometrisch: bool    # compound growth rate (values) or linear change (gaps, counts)

    @property
    def richtung(self) -> int:
        """+1 when the goal lies above (higher is better for this target), −1 when below."""
        return 1 if self.vergleich.startswith(">") else -1

    def met(self, spalte: int) -> np.ndarray:
        return VERGLEICHE[self.vergleich](self.messwert[:, spalte], self.zielwert)


@dataclass
class Urteil:
    """Per draw: status (keys of STATUS_KEYS) and verhaeltnis (NaN where none); for the curve: the year judged,
    the start year of the trend, whether the deadline has passed, and the first later year that met the goal
    (from draw 0, the observed values)."""
    status: np.ndarray
    verhaeltnis: np.ndarray
    erreicht: np.ndarray
    bewertet_jahr: int | None
    startjahr: int | None
    frist_vorbei: bool
    spaeter_erreicht: int | None = None


def progress_ratio(start, aktuell, ziel, jahre_bisher: float, jahre_gesamt: float, geometrisch: bool):
    """Observed annual rate / required annual rate (open-sdg). Compound annual growth where start, current value
    and goal are positive, else the linear annual change. Arrays broadcast. The caller makes sure the goal lies
    ahead of the start (the required rate is not 0)."""
    start, aktuell = np.asarray(start, dtype=float), np.asarray(aktuell, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        linear = ((aktuell - start) / jahre_bisher) / ((ziel - start) / jahre_gesamt)
        if not geometrisch or ziel <= 0:
            return linear
        geo_ok = (start > 0) & (aktuell > 0)
        beobachtet = np.power(np.where(geo_ok, aktuell / np.where(start > 0, start, 1), 1.0), 1 / jahre_bisher) - 1
        erforderlich = np.power(ziel / np.where(start > 0, start, 1), 1 / jahre_gesamt) - 1
        return np.where(geo_ok, beobachtet / erforderlich, linear)


def progress_status(verhaeltnis):
    """The open-sdg status of a ratio (scalar → str, array → array of keys)."""
    v = np.asarray(verhaeltnis, dtype=float)
    keys = np.select([v >= AUF_KURS_AB, v >= MAESSIG_AB, v >= ZU_LANGSAM_AB], ["auf_kurs", "maessig", "zu_langsam"],
                     "entfernt_sich")
    return str(keys) if keys.ndim == 0 else keys


def urteile(kurve: Kurve, basisjahr: int, frist: date, heute: date) -> Urteil:
    """The status of every draw of the curve (see the module text for the rules)."""
    jahre = list(kurve.jahre)
    draws = kurve.messwert.shape[0]
    verhaeltnis = np.full(draws, np.nan)
    start = next((i for i, j in enumerate(jahre) if j >= basisjahr), None)
    startjahr = jahre[start] if start is not None else None
    if heute > frist:
        if frist.year in jahre:
            k = jahre.index(frist.year)
            erreicht = kurve.met(k)
            status = np.where(erreicht, "erreicht", "nicht_erreicht")
        else:
            erreicht = np.zeros(draws, dtype=bool)
            status = np.full(draws, "nicht_entscheidbar")
        later = [i for i, j in enumerate(jahre) if j > frist.year]
        spaeter = next((jahre[i] for i in later if bool(kurve.met(i)[0])), None)
        if frist.year in jahre and bool(erreicht[0]):
            spaeter = None
        return Urteil(status.astype(object), verhaeltnis, erreicht, frist.year, startjahr, True, spaeter)

    last = len(jahre) - 1
    erreicht = kurve.met(last)
    if start is None or start >= last:
        status = np.where(erreicht, "erreicht", "kein_trend")
        return Urteil(status.astype(object), verhaeltnis, erreicht, jahre[last], startjahr, False)
    t0, t = jahre[start], jahre[last]
    anfang, jetzt = kurve.messwert[:, start], kurve.messwert[:, last]
    voraus = (kurve.zielwert - anfang) * kurve.richtung > 0   # the goal still lay ahead at the start
    if frist.year > t0:
        ratio = progress_ratio(anfang, jetzt, kurve.zielwert, t - t0, frist.year - t0, kurve.geometrisch)
        verhaeltnis = np.where(voraus, ratio, np.nan)
    bewegung = (jetzt - anfang) * kurve.richtung                # > 0: towards the goal
    ohne_ratio = np.where(bewegung < 0, "entfernt_sich", "zu_langsam")
    fortschritt = progress_status(np.nan_to_num(verhaeltnis, nan=-1.0))
    status = np.where(erreicht, "erreicht", np.where(np.isnan(verhaeltnis), ohne_ratio, fortschritt))
    return Urteil(status.astype(object), verhaeltnis, erreicht, t, t0, False)
