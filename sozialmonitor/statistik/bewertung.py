"""The evaluation of every target × area: which year is judged, at which precision, with which status, how certain,
how reliable, where it is heading. The rules are those of statistik.urteil (statuses and deadlines),
statistik.genauigkeit (published precision), statistik.sicherheit (bootstrap), statistik.prognose (forecast),
statistik.belastbarkeit and statistik.signifikanz; METHODE in statistik.methode says all of it in German."""

import math
from datetime import date

import numpy as np
import pandas as pd

from sozialmonitor import fmt
from sozialmonitor.statistik import belastbarkeit, intervalle, prognose, sicherheit, signifikanz
from sozialmonitor.statistik.genauigkeit import VERGLEICHE, runden, stellen_fuer
from sozialmonitor.statistik.urteil import Kurve, urteile

JSON_KEYS = ["ziel", "gebiet", "zeitraum", "wert", "vergleichswert", "erreicht", "status", "ki_unten", "ki_oben",
             "signifikant", "prognose", "prognose_unten", "prognose_oben", "prognose_referenz", "spaeter_erreicht",
             "sicherheit", "unsicher", "belastbar", "juengster_trend", "naeherung", "ohne_wert", "fehlende_teile"]
SPALTEN = JSON_KEYS[:2] + ["gebiet_name", "ebene"] + JSON_KEYS[2:] + [
    "startjahr", "startwert", "verhaeltnis", "fristwert", "frist_erreicht", "neuester_zeitraum", "neuester_wert",
    "prognose_erreicht", "status_anteile", "monate", "abdeckung", "hinweis", "kennzeichen",
    "gebiete_anzahl"]  # coverage row: how many areas the target has (all of them, also for a restricted reader)


def present(value) -> bool:
    """Not None, NaN or NA (DuckDB and pandas use all three for a missing value)."""
    return value is not None and value is not pd.NA and not (isinstance(value, float) and math.isnan(value))


def with_dates(katalog: pd.DataFrame) -> pd.DataFrame:
    """DuckDB hands a DATE to pandas as a timestamp; deadlines are dates."""
    return katalog.assign(frist=pd.to_datetime(katalog["frist"]).dt.date)


def regel_fuer(ziel) -> belastbarkeit.Regel:
    """The indicator's reliability rule from a catalogue row (columns mindest_nenner, mindest_zaehler)."""
    return belastbarkeit.Regel.aus(getattr(ziel, "mindest_nenner", None), getattr(ziel, "mindest_zaehler", None))


def evaluate(katalog: pd.DataFrame, jahreswerte: pd.DataFrame, heute: date | None = None,
             niveau: float = intervalle.STANDARD_NIVEAU, ziehungen: int = sicherheit.ZIEHUNGEN) -> pd.DataFrame:
    """Every target × area, plus one coverage row per coverage target; columns SPALTEN.

    katalog: rows of the query ziele_katalog (id, indikator, art, faktor, nachkommastellen, polaritaet, vergleich,
    schwelle, referenz, anzahl, basisjahr, frist, optional vergleich_genauigkeit, mindest_nenner, mindest_zaehler).
    jahreswerte: rows of the query ziel_jahreswerte (ziel, gebiet, gebiet_name, ebene, rolle, jahr, wert, zaehler,
    nenner, status, monate, optional kennzeichen: the official flags, carried to the judged value's row). heute: the
    day of the evaluation (deadlines); niveau: 0.95 or 0.998 for "gesichert";
    ziehungen: bootstrap draws per target × area (0: no certainty)."""
    heute = heute or date.today()
    katalog = with_dates(katalog)
    rows = []
    spalten = Spalten(jahreswerte)
    for ziel in katalog.itertuples(index=False):
        werte = jahreswerte[jahreswerte["ziel"] == ziel.id]
        ref_index = spalten.index.get((ziel.id, "vergleich", ziel.referenz)) if present(ziel.referenz) else None
        referenz = spalten.reihe(ref_index) if ref_index is not None else spalten.reihe(np.zeros(0, dtype=int))
        referenz = referenz[~np.isnan(referenz.wert)]
        gebiete = werte[werte["rolle"].eq("gebiet")]
        for gebiet in dict.fromkeys(gebiete["gebiet"]):
            index = spalten.index[(ziel.id, "gebiet", gebiet)]
            rows.append(_evaluate_area(ziel, spalten, index, referenz, heute, niveau, ziehungen))
        if present(ziel.anzahl):
            rows.append(_evaluate_coverage(ziel, gebiete, referenz.frame(), heute, ziehungen))
    return eindeutige_namen(pd.DataFrame(rows, columns=SPALTEN))


EBENE_EINZAHL = {"bund": "Bund", "land": "Land", "kreis": "Kreis", "sozialraum": "Sozialraum",
                 "gemeinde": "Gemeinde"}


def eindeutige_namen(bewertung: pd.DataFrame) -> pd.DataFrame:
    """Areas of one target that share a name (the Kreis Gifhorn, the Sozialraum Gifhorn, the Gemeinde Gifhorn) get
    their level and key beside it – „Gifhorn (Kreis 03151)“, „Gifhorn (Sozialraum EG009)“ – so every table, note
    and document built from the evaluation names each row distinguishably. Unique names stay as they are."""
    if bewertung.empty:
        return bewertung
    eigene = ~bewertung["abdeckung"].fillna(False).astype(bool)
    doppelt = eigene & bewertung[eigene].duplicated(["ziel", "gebiet_name"], keep=False).reindex(
        bewertung.index, fill_value=False)
    if not doppelt.any():
        return bewertung
    zusatz = [f" ({EBENE_EINZAHL.get(e, e)} {g})" if present(e) else f" ({g})"
              for e, g in zip(bewertung.loc[doppelt, "ebene"], bewertung.loc[doppelt, "gebiet"])]
    bewertung = bewertung.copy()
    bewertung.loc[doppelt, "gebiet_name"] = bewertung.loc[doppelt, "gebiet_name"].astype(str) + zusatz
    return bewertung


class Spalten:
    """The columns of ziel_jahreswerte as numpy arrays, with the row positions of each (ziel, rolle, gebiet)."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

        def floats(column):
            return frame[column].to_numpy(dtype=float, na_value=np.nan)
        self.jahr = floats("jahr")
        self.wert, self.zaehler, self.nenner, self.monate = (floats(c) for c in ("wert", "zaehler", "nenner",
                                                                                  "monate"))
        self.status = np.asarray(frame["status"].astype(object).where(frame["status"].notna(), "ok").tolist(),
                                 dtype=object)
        self.gebiet_name = frame["gebiet_name"].astype(object).tolist()
        self.kennzeichen = (frame["kennzeichen"].astype(object).where(frame["kennzeichen"].notna(), None).tolist()
                            if "kennzeichen" in frame else [None] * len(frame))
        self.ohne_daten = (frame["ohne_daten"].astype(object).where(frame["ohne_daten"].notna(), None).tolist()
                           if "ohne_daten" in frame else [None] * len(frame))
        self.ebene = frame["ebene"].astype(object).tolist()
        self.index = ({key: np.asarray(rows) for key, rows in
                       frame.reset_index(drop=True).groupby(["ziel", "rolle", "gebiet"], sort=False).indices.items()}
                      if not frame.empty else {})

    def reihe(self, index: np.ndarray) -> "Reihe":
        index = index[~np.isnan(self.jahr[index])]
        index = index[np.argsort(self.jahr[index], kind="stable")]
        return Reihe(self.jahr[index].astype(int), self.wert[index], self.zaehler[index], self.nenner[index],
                     self.status[index], self.monate[index])


class Reihe:
    """One area's annual rows as numpy arrays (pandas indexing per row is far too slow for 1,000 draws × areas)."""

    def __init__(self, jahr, wert, zaehler, nenner, status, monate):
        self.jahr, self.wert, self.zaehler, self.nenner = jahr, wert, zaehler, nenner
        self.status, self.monate = status, monate

    @classmethod
    def aus(cls, frame: pd.DataFrame) -> "Reihe":
        frame = frame[frame["jahr"].notna()].sort_values("jahr")

        def floats(column):
            return frame[column].to_numpy(dtype=float, na_value=np.nan)
        return cls(frame["jahr"].to_numpy(dtype=int), floats("wert"), floats("zaehler"), floats("nenner"),
                   np.asarray(frame["status"].fillna("ok").astype(str).tolist(), dtype=object), floats("monate"))

    def __getitem__(self, mask) -> "Reihe":
        return Reihe(self.jahr[mask], self.wert[mask], self.zaehler[mask], self.nenner[mask], self.status[mask],
                     self.monate[mask])

    def __len__(self) -> int:
        return len(self.jahr)

    def bei(self, jahre) -> "Reihe":
        index = {int(j): i for i, j in enumerate(self.jahr)}
        return self[np.asarray([index[int(j)] for j in jahre], dtype=int)]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"wert": self.wert, "zaehler": self.zaehler, "nenner": self.nenner,
                             "monate": self.monate}, index=self.jahr)


def fehlende_teile(ohne_daten) -> str | None:
    """The inhabited parts an aggregate lacks, from the view's ohne_daten ('Giebel (03151501): gemeindefrei, ohne
    Einwohner; Neudorf (16065998): keine Daten' → 'Neudorf (16065998)'); None where it lacks none. Uninhabited parts
    (gemeindefrei) are no gap: they have nothing to count."""
    if not isinstance(ohne_daten, str) or not ohne_daten:
        return None
    teile = [t.rsplit(": ", 1)[0].strip() for t in ohne_daten.split("; ") if t.strip().endswith(": keine Daten")]
    return "; ".join(teile) or None


def _years_text(jahre) -> str:
    return ", ".join(str(int(j)) for j in jahre)


def _months(monate) -> str:
    return f"{int(monate)} von 12 Monaten" if present(monate) else "unvollständig"


def _naeherung(ziel, reihe: Reihe, k: int) -> bool:
    """An annual average of published monthly rates without counts: the mean of the rates, not the BA's annual
    average (sum of counts / sum of bases)."""
    return bool(ziel.art == "quote" and not np.isnan(reihe.monate[k]) and not np.isnan(reihe.wert[k])
                and np.isnan(reihe.zaehler[k]))


def _evaluate_area(ziel, spalten: Spalten, index: np.ndarray, referenz: Reihe, heute: date, niveau: float,
                   ziehungen: int) -> dict:
    first = int(index[0])
    stellen = stellen_fuer(ziel)
    row = dict.fromkeys(SPALTEN) | {"ziel": ziel.id, "gebiet": spalten.frame["gebiet"].iloc[first],
                                    "gebiet_name": spalten.gebiet_name[first], "ebene": spalten.ebene[first],
                                    "abdeckung": False}
    is_ref = present(ziel.referenz)
    alle = spalten.reihe(index)
    mit_wert = alle[~np.isnan(alle.wert)]
    hinweise = []
    # A year that cannot be computed (a part suppressed or missing) is named, not silently replaced.
    ohne_maske = np.isnan(alle.wert) & (alle.jahr >= ziel.basisjahr)
    ohne = alle.jahr[ohne_maske]
    if len(ohne):
        row["ohne_wert"] = _years_text(ohne)
        geheim = ohne_maske & (alle.status == "geheim")
        if geheim.any():  # hidden by the Geheimhaltung, not by a supplier's '*'
            hinweise.append(f"{_years_text(alle.jahr[geheim])}: geheim (Geheimhaltung: der Wert beruht auf zu "
                            "wenigen Personen oder ließe einen solchen nachrechnen) – dieses Jahr wird nicht durch "
                            "ein früheres ersetzt.")
        rest = ohne_maske & ~geheim
        if rest.any():
            hinweise.append(f"{_years_text(alle.jahr[rest])}: nicht berechenbar (ein Teilgebiet vom Lieferanten "
                            "gesperrt, ohne Angabe oder ohne Wert) – dieses Jahr wird nicht durch ein früheres "
                            "ersetzt.")
    vergleichbar = mit_wert[np.isin(mit_wert.jahr, referenz.jahr)] if is_ref else mit_wert
    if not len(vergleichbar) and is_ref and len(mit_wert) and heute > ziel.frist:
        # The area has values, only the reference has none in their years: the deadline year is shown with the
        # area's own value (if any) and not judged – not "keine Daten" (review finding: Ebeleben 2023).
        frist_jahr = ziel.frist.year
        eigen = np.flatnonzero(mit_wert.jahr == frist_jahr)
        seit_basis = mit_wert.jahr[mit_wert.jahr >= ziel.basisjahr]
        hinweise.append(f"{_years_text(seit_basis if len(seit_basis) else mit_wert.jahr)}: kein Vergleichswert ({ziel.referenz_name}) – nicht "
                        f"bewertet. Für das Jahr der Frist ({frist_jahr}) gibt es keinen vergleichbaren Wert – zur "
                        "Frist nicht entscheidbar.")
        result = {"status": "nicht_entscheidbar", "zeitraum": str(frist_jahr), "vergleichswert": None}
        if len(eigen):
            result |= {"wert": float(mit_wert.wert[eigen[0]]),
                       "monate": None if np.isnan(mit_wert.monate[eigen[0]]) else int(mit_wert.monate[eigen[0]])}
        return row | result | {"hinweis": " ".join(hinweise)}
    if not len(vergleichbar):
        hinweise.append("Kein Jahr mit Wert und Vergleichswert." if is_ref else "Kein Wert vorhanden.")
        if is_ref and len(mit_wert):
            hinweise.append(f"Werte ohne Vergleichswert ({ziel.referenz_name}): {_years_text(mit_wert.jahr)}.")
        if (alle.status == "geheim").any():  # suppressed years (Geheimhaltung) have no value here
            hinweise.append("Werte unterliegen der Geheimhaltung.")
        return row | {"status": "keine_daten", "hinweis": " ".join(hinweise)}
    ohne_vergleich = [int(j) for j in mit_wert.jahr if j > vergleichbar.jahr.max()]
    if ohne_vergleich:
        hinweise.append(f"{_years_text(ohne_vergleich)}: kein Vergleichswert ({ziel.referenz_name}) – nicht bewertet.")
    complete = vergleichbar[vergleichbar.status == "ok"]
    pool = complete if len(complete) else vergleichbar
    for k in np.flatnonzero(vergleichbar.jahr > pool.jahr.max()):
        hinweise.append(f"{int(vergleichbar.jahr[k])}: nur {_months(vergleichbar.monate[k])} – nicht bewertet.")
    if pool.status[-1] != "ok":
        hinweise.append(f"{int(pool.jahr[-1])} ist unvollständig ({_months(pool.monate[-1])}).")

    jahre = tuple(int(j) for j in pool.jahr)
    ref = referenz.bei(jahre) if is_ref else None

    def curve(values: np.ndarray, refs: np.ndarray | None) -> Kurve:
        if is_ref:
            return Kurve(jahre, runden(runden(values, stellen) - runden(refs, stellen), stellen), 0.0,
                         ziel.vergleich, geometrisch=False)
        return Kurve(jahre, runden(values, stellen), float(ziel.schwelle), ziel.vergleich, geometrisch=True)

    point = urteile(curve(pool.wert[None, :], None if ref is None else ref.wert[None, :]), int(ziel.basisjahr),
                    ziel.frist, heute)
    status = str(point.status[0])
    judged = point.bewertet_jahr
    if point.startjahr is not None and point.startjahr != ziel.basisjahr:
        hinweise.append(f"Basisjahr {ziel.basisjahr} ohne vergleichbaren Wert; Trend ab {point.startjahr}.")
    elif point.startjahr is None:
        hinweise.append(f"Kein Wert ab dem Basisjahr {ziel.basisjahr}.")
    result = {"status": status, "zeitraum": str(judged), "startjahr": point.startjahr,
              "spaeter_erreicht": point.spaeter_erreicht,
              "verhaeltnis": None if np.isnan(point.verhaeltnis[0]) else float(point.verhaeltnis[0])}
    if point.startjahr is not None:
        result["startwert"] = float(pool.wert[jahre.index(point.startjahr)])
    if judged in jahre:
        k = jahre.index(judged)
        result |= {"wert": float(pool.wert[k]), "erreicht": bool(point.erreicht[0]),
                   "vergleichswert": float(ref.wert[k]) if is_ref else float(ziel.schwelle),
                   "monate": None if np.isnan(pool.monate[k]) else int(pool.monate[k]),
                   "naeherung": _naeherung(ziel, pool, k),
                   "kennzeichen": next((spalten.kennzeichen[i] for i in index if spalten.jahr[i] == judged), None)}
        fehlend = fehlende_teile(next((spalten.ohne_daten[i] for i in index if spalten.jahr[i] == judged), None))
        if fehlend:  # an aggregate computed without an inhabited part: said beside its value and verdict
            result["fehlende_teile"] = fehlend
            hinweise.append(f"{judged}: ohne {fehlend} berechnet (keine Daten) – der Wert umfasst diese "
                            f"{'Gemeinde' if ';' not in fehlend else 'Gemeinden'} nicht.")
        if point.frist_vorbei:
            result |= {"fristwert": result["wert"], "frist_erreicht": result["erreicht"]}
        result |= _interval(ziel, pool, k, result["vergleichswert"], niveau)
    else:  # the deadline year has no value: nothing is judged in its place
        result |= {"vergleichswert": float(ziel.schwelle) if not is_ref else None}
        eigen = np.flatnonzero(mit_wert.jahr == judged)
        unvollstaendig = bool(len(eigen)) and mit_wert.status[eigen[0]] != "ok"
        if len(eigen):  # the area's own value exists, only the comparison value is missing: shown, not judged
            result |= {"wert": float(mit_wert.wert[eigen[0]]),
                       "monate": None if np.isnan(mit_wert.monate[eigen[0]]) else int(mit_wert.monate[eigen[0]])}
        if unvollstaendig:  # a value is shown for the deadline year: say why it is not judged
            hinweise.append(f"Für das Jahr der Frist ({judged}) gibt es nur einen unvollständigen Wert "
                            f"({_months(mit_wert.monate[eigen[0]])}) – zur Frist nicht entscheidbar; neuester "
                            f"vollständiger {'vergleichbarer ' if is_ref else ''}Wert: {jahre[-1]}.")
        else:
            hinweise.append(f"Für das Jahr der Frist ({judged}) gibt es keinen "
                            f"{'vergleichbaren ' if is_ref else ''}Wert – zur Frist nicht entscheidbar; "
                            f"neuester {'vergleichbarer ' if is_ref else ''}Wert: {jahre[-1]}.")
    if point.frist_vorbei and jahre[-1] != judged:
        result |= {"neuester_zeitraum": str(jahre[-1]), "neuester_wert": float(pool.wert[-1])}
    if point.spaeter_erreicht:
        hinweise.append(f"Später erreicht ({point.spaeter_erreicht}).")
    if result.get("naeherung"):
        hinweise.append(f"{judged}: Mittel der Monatsquoten, nicht BA-Jahresdurchschnitt (keine Zähler und Nenner) "
                        "– eine Näherung.")
    eigene = mit_wert[mit_wert.status == "ok"] if (mit_wert.status == "ok").any() else mit_wert
    if not point.frist_vorbei and ziel.frist.year > int(eigene.jahr.max()):
        result |= _forecast(ziel, eigene, referenz, stellen)
    if ziel.art == "quote":
        result["juengster_trend"] = signifikanz.juengster_trend(alle.jahr, alle.zaehler, alle.nenner,
                                                                 monate=alle.monate).key
    # a value "nicht belastbar" gets no certainty figure that would suggest the opposite
    if ziehungen and status != "nicht_entscheidbar" and result.get("belastbar") is not False:
        result |= _certainty(ziel, pool, ref, curve, status, heute, ziehungen, row["gebiet"])
    widerspruch = _widerspruch(status, result.get("prognose_erreicht"))
    if widerspruch:
        hinweise.append(widerspruch)
    return row | result | {"hinweis": " ".join(hinweise) or None}


def _widerspruch(status: str, prognose_erreicht) -> str | None:
    """Status and forecast rest on different trend estimates: the status on the average annual rate between the
    start year and the latest year (open-sdg), the forecast on a regression over every year. Where they point in
    different directions the page says so instead of leaving two verdicts side by side."""
    if prognose_erreicht is None:
        return None
    if status in ("entfernt_sich", "zu_langsam") and prognose_erreicht:
        return ("Status und Prognose weichen voneinander ab: der Status vergleicht nur Start- und letztes Jahr, die "
                "Prognose schreibt den Verlauf aller Jahre fort und erreicht das Ziel – der Verlauf schwankt.")
    if status == "auf_kurs" and not prognose_erreicht:
        return ("Status und Prognose weichen voneinander ab: der Status vergleicht nur Start- und letztes Jahr, die "
                "Prognose schreibt den Verlauf aller Jahre fort und verfehlt das Ziel – der Verlauf schwankt.")
    return None


def _interval(ziel, reihe: Reihe, k: int, vergleichswert, niveau: float) -> dict:
    """Wilson interval of the judged year at `niveau`, whether it excludes the comparison value ('gesichert') and
    whether the rate is reliable at all (an unreliable rate is never 'gesichert')."""
    zaehler, nenner, monate = reihe.zaehler[k], reihe.nenner[k], reihe.monate[k]
    z, n = intervalle.fallzahlen(zaehler, nenner, monate)  # an annual average: the mean monthly base
    if ziel.art != "quote" or z is None:
        return {}
    belastbar = not bool(belastbarkeit.nicht_belastbar([zaehler], [nenner], regel_fuer(ziel), [monate])[0])
    lage = intervalle.abstand(z, n, ziel.faktor, vergleichswert, niveau, belastbar)
    return {"ki_unten": lage.ki_unten, "ki_oben": lage.ki_oben, "signifikant": lage.gesichert, "belastbar": belastbar}


def _forecast(ziel, reihe: Reihe, referenz: Reihe, stellen: int) -> dict:
    """Log-linear forecast of the area's own series (every year since the base year, whether or not the reference
    has a value that year); for a reference target the reference's own series is projected separately and the
    two projections are compared."""
    seit = reihe[reihe.jahr >= ziel.basisjahr]
    anteil = float(ziel.faktor) if ziel.art == "quote" else None  # a share never exceeds 100 % (1.000 ‰)
    p = prognose.prognose(seit.jahr, seit.wert, ziel.frist.year, obergrenze=anteil)
    if p is None:
        return {}
    result = {"prognose": p.wert, "prognose_unten": p.unten, "prognose_oben": p.oben}
    if present(ziel.referenz):
        ref = referenz[referenz.jahr >= ziel.basisjahr]
        r = prognose.prognose(ref.jahr, ref.wert, ziel.frist.year, obergrenze=anteil)
        if r is None:
            return result
        result |= {"prognose_referenz": r.wert,
                   "prognose_erreicht": bool(VERGLEICHE[ziel.vergleich](runden(p.wert, stellen),
                                                                        runden(r.wert, stellen)))}
    else:
        result["prognose_erreicht"] = bool(VERGLEICHE[ziel.vergleich](runden(p.wert, stellen),
                                                                     runden(float(ziel.schwelle), stellen)))
    return result


def _certainty(ziel, pool: Reihe, ref: Reihe | None, curve, status: str, heute: date, ziehungen: int,
               gebiet: str) -> dict:
    rng = sicherheit.generator(ziel.id, gebiet)
    draws, resampled = sicherheit.ziehungen(pool.wert, pool.zaehler, pool.nenner, pool.monate, ziel.art,
                                            float(ziel.faktor), rng, ziehungen)
    ref_draws = None
    if ref is not None:
        ref_draws, ref_resampled = sicherheit.ziehungen(ref.wert, ref.zaehler, ref.nenner, ref.monate, ziel.art,
                                                        float(ziel.faktor), rng, ziehungen)
        resampled = resampled | ref_resampled
    if not resampled.any():
        return {}
    drawn = urteile(curve(draws, ref_draws), int(ziel.basisjahr), ziel.frist, heute)
    shares = sicherheit.anteile(drawn.status)
    certainty = shares.get(status, 0.0)
    return {"sicherheit": certainty, "unsicher": certainty < sicherheit.UNSICHER_UNTER, "status_anteile": shares}


def _evaluate_coverage(ziel, gebiete: pd.DataFrame, referenz: pd.DataFrame, heute: date, ziehungen: int) -> dict:
    """How many of the target's areas meet it, per year; the goal is ziel.anzahl of them."""
    stellen = stellen_fuer(ziel)
    areas = gebiete["gebiet"].nunique()
    row = dict.fromkeys(SPALTEN) | {"ziel": ziel.id, "gebiet": "+".join(ziel.gebiete),
                                    "gebiet_name": f"Abdeckung: {int(ziel.anzahl)} von "
                                                   f"{fmt.anzahl(areas, 'Gebiet', 'Gebieten')} verlangt",
                                    "ebene": "abdeckung", "abdeckung": True, "vergleichswert": float(ziel.anzahl),
                                    "gebiete_anzahl": int(areas)}
    werte = gebiete[gebiete["wert"].notna() & gebiete["jahr"].notna()].copy()
    werte["jahr"] = werte["jahr"].astype(int)
    if present(ziel.referenz):
        werte = werte[werte["jahr"].isin(referenz.index)]
    if werte.empty:
        return row | {"status": "keine_daten", "hinweis": "Kein Gebiet hat einen Wert."}
    jahre = tuple(sorted(werte["jahr"].unique()))
    vergleich = (referenz.loc[list(jahre), "wert"].to_numpy(dtype=float) if present(ziel.referenz)
                 else np.full(len(jahre), float(ziel.schwelle)))

    def counts(draw_count: int, rng=None) -> tuple[np.ndarray, np.ndarray]:
        total = np.zeros((draw_count, len(jahre)))
        resampled_any = np.zeros(len(jahre), dtype=bool)
        for gebiet, reihe in werte.groupby("gebiet", sort=True):
            idx = [jahre.index(j) for j in reihe["jahr"]]
            if rng is None:
                values, resampled = reihe["wert"].to_numpy(dtype=float)[None, :], np.zeros(len(idx), dtype=bool)
            else:
                values, resampled = sicherheit.ziehungen(reihe["wert"], reihe["zaehler"], reihe["nenner"],
                                                         reihe["monate"], ziel.art, float(ziel.faktor), rng,
                                                         draw_count)
            met = VERGLEICHE[ziel.vergleich](runden(values, stellen), runden(vergleich[idx], stellen))
            total[:, idx] += met
            resampled_any[idx] |= resampled
        return total, resampled_any

    observed, _ = counts(1)
    point = urteile(Kurve(jahre, observed, float(ziel.anzahl), ">=", geometrisch=False), int(ziel.basisjahr),
                    ziel.frist, heute)
    status = str(point.status[0])
    judged = point.bewertet_jahr
    hinweise = []
    result = {"status": status, "zeitraum": str(judged), "startjahr": point.startjahr,
              "spaeter_erreicht": point.spaeter_erreicht,
              "verhaeltnis": None if np.isnan(point.verhaeltnis[0]) else float(point.verhaeltnis[0])}
    if point.startjahr is not None:
        result["startwert"] = float(observed[0, jahre.index(point.startjahr)])
    if judged in jahre:
        k = jahre.index(judged)
        result |= {"wert": float(observed[0, k]), "erreicht": bool(point.erreicht[0])}
        if point.frist_vorbei:
            result |= {"fristwert": result["wert"], "frist_erreicht": result["erreicht"]}
        mit_wert = int(werte[werte["jahr"].eq(judged)]["gebiet"].nunique())
        if areas - mit_wert:
            hinweise.append(f"{judged}: {fmt.anzahl(areas - mit_wert, 'Gebiet', 'Gebiete')} ohne Wert.")
    else:
        hinweise.append(f"Für das Jahr der Frist ({judged}) gibt es keine Werte – zur Frist nicht entscheidbar.")
    if point.frist_vorbei and jahre[-1] != judged:
        result |= {"neuester_zeitraum": str(jahre[-1]), "neuester_wert": float(observed[0, -1])}
    if point.spaeter_erreicht:
        hinweise.append(f"Später erreicht ({point.spaeter_erreicht}).")
    if not point.frist_vorbei and point.startjahr is not None and ziel.frist.year > jahre[-1]:
        seit = [i for i, j in enumerate(jahre) if j >= point.startjahr]
        t0, t = jahre[seit[0]], jahre[-1]
        start, now = observed[0, seit[0]], observed[0, -1]
        result["prognose"] = float(min(areas, max(0.0, now + (now - start) / (t - t0) * (ziel.frist.year - t))))
        result["prognose_erreicht"] = result["prognose"] >= ziel.anzahl
    if ziehungen:
        drawn_counts, resampled = counts(ziehungen, sicherheit.generator(ziel.id, "abdeckung"))
        if resampled.any():
            drawn = urteile(Kurve(jahre, drawn_counts, float(ziel.anzahl), ">=", geometrisch=False),
                            int(ziel.basisjahr), ziel.frist, heute)
            shares = sicherheit.anteile(drawn.status)
            result |= {"sicherheit": shares.get(status, 0.0), "status_anteile": shares,
                       "unsicher": shares.get(status, 0.0) < sicherheit.UNSICHER_UNTER}
    return row | result | {"hinweis": " ".join(hinweise) or None}
