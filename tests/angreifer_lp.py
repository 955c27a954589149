"""The attacker as one linear (or integer) program over every relation a viewer can use (issue 19). Written apart
from sozialmonitor.geheimhaltung, from what is published and what the documentation says about how values are
computed – so that a relation the protection step forgets is one the attacker still uses.

What the attacker knows, per published version (the table `werte` every view reads):
- a shown count, a shown rate's numerator and denominator exactly; a rate shown without counts within the rounding
  interval of its decimals: (w − h)·N ≤ f·Z ≤ (w + h)·N; 'entfällt' as 0;
- sums: a computed aggregate (herkunft 'berechnet') is the sum of the parts that have a row; a published total
  (herkunft 'erhoben') is the sum of all parts – an uninhabited part (gemeindefrei) adds 0, an inhabited part without
  a row an unknown count ≥ 0; Kreis = Σ Sozialräume where these partition it; for a rate both numerator and
  denominator;
- an annual average of months: numerator and denominator are the sums of the months that were counted (a count's
  year is the mean month);
- links of the catalogue: a count indicator that is a rate's numerator or denominator is the same number;
- a share's numerator never exceeds its denominator; counts are whole numbers ≥ 0;
- several versions (the history view, "Stand der Ziele am …"): a count that did not change between two versions is
  the same unknown in both (the Daten page lists which rows an import changed).
For every sensitive cell (by the BA rule on the true values, and every cell the supplier delivered as '*') the
attacker minimises and maximises its count. Ranges are whole persons: ⌊max⌋ − ⌈min⌉ (integer program: max − min)."""

import math
from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


@dataclass
class Fassung:
    """One published version: werte (the published table) and wahr (werte_live of the same version, the truth)."""
    werte: pd.DataFrame
    wahr: pd.DataFrame


@dataclass
class Lage:
    """What the attacker knows: rows of a linear system over whole-number unknowns."""
    spalten: dict = field(default_factory=dict)   # (version, key, 'Z'/'N') -> column
    frei: int = 0
    zeilen: list = field(default_factory=list)     # (columns, coefficients, lo, hi)

    def spalte(self, schluessel) -> int:
        if schluessel not in self.spalten:
            self.spalten[schluessel] = len(self.spalten) + self.frei
        return self.spalten[schluessel]

    def neu(self) -> int:
        self.frei += 1
        return len(self.spalten) + self.frei - 1

    def gilt(self, spalten, koeffizienten, lo=0.0, hi=0.0) -> None:
        self.zeilen.append((list(spalten), list(koeffizienten), lo, hi))


def _dezimalen(wert: float, mindestens: int) -> int:
    for stellen in range(mindestens, 7):
        if abs(round(wert, stellen) - wert) < 1e-9:
            return stellen
    return 7


def _partition(teile: pd.DataFrame) -> list[tuple[str, str]]:
    """Kreis → Sozialraum pairs where Sozialräume (sets of Gemeinden inside a bigger set) partition it."""
    mengen = {o: set(g) for o, g in teile.groupby("obergebiet")["teilgebiet"]}
    paare = []
    for ober, gemeinden in mengen.items():
        innen = [b for b, m in mengen.items() if b != ober and m < gemeinden]
        if innen and sum(len(mengen[b]) for b in innen) == len(gemeinden) and set().union(
                *(mengen[b] for b in innen)) == gemeinden:
            paare += [(ober, b) for b in innen]
    return paare


def lage(fassungen: list[Fassung], teile: pd.DataFrame, gemeindefrei: set[str], katalog: pd.DataFrame,
         links: dict[str, tuple[str | None, str | None]]) -> Lage:
    """The attacker's linear system over all versions."""
    art = dict(zip(katalog["id"], katalog["art"]))
    faktor = dict(zip(katalog["id"], katalog["faktor"].astype(float)))
    stellen = dict(zip(katalog["id"], katalog["nachkommastellen"].astype(int)))
    teile = teile.astype(str)
    glieder = {o: list(g) for o, g in teile.groupby("obergebiet")["teilgebiet"]}
    stufen = [glieder, {}]
    for ober, sr in _partition(teile):
        stufen[1].setdefault(ober, []).append(sr)
    system = Lage()
    vorher = None
    for v, fassung in enumerate(fassungen):
        w = fassung.werte.assign(gebiet=fassung.werte["gebiet"].astype(str))
        wahr = fassung.wahr.assign(gebiet=fassung.wahr["gebiet"].astype(str)).set_index(
            ["gebiet", "indikator", "zeitraum"])
        # a count unchanged since the previous version is the same unknown
        if vorher is not None:
            for key in wahr.index.intersection(vorher[0].index):
                a, b = wahr.loc[key, ["zaehler", "nenner", "wert"]], vorher[0].loc[key, ["zaehler", "nenner", "wert"]]
                if all((x == y) or (pd.isna(x) and pd.isna(y)) for x, y in zip(a, b)):
                    for teil in ("Z", "N"):
                        system.spalten[(v, key, teil)] = system.spalte((v - 1, key, teil))
        vorher = (wahr,)
        zeilen = {(r.gebiet, r.indikator, r.zeitraum): r for r in w.itertuples(index=False)}

        def Z(key):
            return system.spalte((v, key, "Z"))

        def N(key):
            return system.spalte((v, key, "N"))
        for key, r in zeilen.items():
            quote = art[r.indikator] == "quote"
            if r.status == "entfaellt":
                system.gilt([Z(key)], [1], 0, 0)
                if quote:
                    system.gilt([N(key)], [1], 0, 0)
                continue
            if r.status in ("geheim", "gesperrt", "fehlt"):
                pass
            elif quote:
                if pd.notna(r.zaehler):
                    system.gilt([Z(key)], [1], r.zaehler, r.zaehler)
                if pd.notna(r.nenner):
                    system.gilt([N(key)], [1], r.nenner, r.nenner)
                if pd.isna(r.zaehler) and pd.notna(r.wert):
                    h = 0.5 * 10 ** -_dezimalen(float(r.wert), stellen[r.indikator])
                    f = faktor[r.indikator]
                    system.gilt([Z(key), N(key)], [f, -max(r.wert - h, 0)], 0, math.inf)
                    system.gilt([Z(key), N(key)], [f, -(r.wert + h)], -math.inf, 0)
            elif pd.notna(r.wert):
                system.gilt([Z(key)], [1], r.wert, r.wert)
            if quote:
                system.gilt([Z(key), N(key)], [1, -1], -math.inf, 0)
            # links of the catalogue
            zl, nl = links.get(r.indikator, (None, None))
            for ziel, eigen in ((zl, Z), (nl, N)):
                # the same number only where both are counted alike (a published total beside a computed sum of
                # the Gemeinden with rows is not)
                if ziel and (r.gebiet, ziel, r.zeitraum) in zeilen and \
                        zeilen[(r.gebiet, ziel, r.zeitraum)].herkunft == r.herkunft:
                    system.gilt([eigen(key), Z((r.gebiet, ziel, r.zeitraum))], [1, -1])
        # sums
        for stufe in stufen:
            for key, r in zeilen.items():
                if r.gebiet not in stufe or r.herkunft == "jahresdurchschnitt":
                    continue
                if r.status not in ("ok", "geheim", "gesperrt") and not pd.notna(r.wert):
                    continue
                teile_hier, frei = [], 0
                for teil in stufe[r.gebiet]:
                    tk = (teil, r.indikator, r.zeitraum)
                    t = zeilen.get(tk)
                    if t is not None and (r.herkunft == "erhoben" or t.status in ("ok", "geheim", "entfaellt")):
                        teile_hier.append(tk)
                    elif t is None and r.herkunft == "erhoben" and teil not in gemeindefrei:
                        frei += 1
                if r.herkunft != "erhoben" and any(zeilen[t].status in ("gesperrt", "fehlt") for t in teile_hier):
                    continue
                if stufe is stufen[1] and any((zeilen[t].herkunft == "erhoben") != (r.herkunft == "erhoben")
                                              for t in teile_hier):
                    continue  # a computed Kreis is the sum of its Gemeinden, not of published Sozialraum totals
                for was in (("Z", "N") if art[r.indikator] == "quote" else ("Z",)):
                    spalte = Z if was == "Z" else N
                    cols = [spalte(key)] + [spalte(t) for t in teile_hier] + [system.neu() for _ in range(frei)]
                    system.gilt(cols, [-1] + [1] * (len(cols) - 1))
        # months → year
        je_jahr: dict[tuple, list] = {}
        for k, m in zeilen.items():
            if len(k[2]) == 7 and m.status in ("ok", "geheim"):
                je_jahr.setdefault((k[0], k[1], k[2][:4]), []).append(k)
        for key, r in zeilen.items():
            if r.herkunft != "jahresdurchschnitt" or r.status not in ("ok", "geheim", "unvollstaendig"):
                continue
            monate = je_jahr.get(key, [])
            if not monate or (r.status != "geheim" and pd.isna(r.wert)):
                continue
            quote = art[r.indikator] == "quote"
            if quote and r.status != "geheim" and pd.isna(r.zaehler):
                continue  # a mean of monthly rates: no sum
            for was in (("Z", "N") if quote else ("Z",)):
                spalte = Z if was == "Z" else N
                gewicht = -1 if quote else -len(monate)
                system.gilt([spalte(key)] + [spalte(m) for m in monate], [gewicht] + [1] * len(monate))
    return system


def ziele(fassungen: list[Fassung], katalog: pd.DataFrame, regeln) -> pd.DataFrame:
    """The sensitive cells of each version by the BA rule on the true values (not by the code under test):
    version, gebiet, indikator, zeitraum, status shown, noetig (the range they must keep)."""
    art = dict(zip(katalog["id"], katalog["art"]))
    schutz = dict(zip(katalog["id"], katalog["geheimhaltung"])) if "geheimhaltung" in katalog else {}
    out = []
    for v, fassung in enumerate(fassungen):
        shown = fassung.werte.set_index(["gebiet", "indikator", "zeitraum"])["status"]
        for r in fassung.wahr.itertuples(index=False):
            regel = regeln.fuer(r.indikator)
            geschuetzt = schutz.get(r.indikator)
            if not (regel.schuetzen if geschuetzt is None or pd.isna(geschuetzt) else bool(geschuetzt)):
                continue
            if r.herkunft == "jahresdurchschnitt":
                continue  # a mean month is no count a person has; its months are attacked one by one
            if art[r.indikator] == "quote":
                z, n = r.zaehler, r.nenner
                klein = pd.notna(z) and (1 <= z < regel.min_zaehler or (pd.notna(n) and n < regel.min_nenner and z >= 1))
            else:
                klein = pd.notna(r.wert) and 1 <= r.wert < regel.min_anzahl
            if klein or r.status == "gesperrt":
                key = (str(r.gebiet), r.indikator, r.zeitraum)
                out.append({"version": v, "gebiet": key[0], "indikator": key[1], "zeitraum": key[2],
                            "gezeigt": shown.get(key), "schutzbreite": regel.schutzbreite,
                            "wahr": r.zaehler if art[r.indikator] == "quote" else r.wert})
    return pd.DataFrame(out, columns=["version", "gebiet", "indikator", "zeitraum", "gezeigt", "schutzbreite",
                                      "wahr"])


def spannen(system: Lage, ziel_spalten: list[int], ganzzahlig: bool) -> list[tuple[float, float]]:
    """(min, max) of each column: HiGHS, an integer program when `ganzzahlig`, else the LP with ⌈min⌉/⌊max⌋ – solved
    per connected part of the system (unknowns that share no relation do not inform each other)."""
    n = len(system.spalten) + system.frei
    rows, cols, vals, lo, hi = [], [], [], [], []
    for r, (c, k, a, b) in enumerate(system.zeilen):
        rows += [r] * len(c)
        cols += c
        vals += k
        lo.append(a)
        hi.append(b)
    a = coo_matrix((vals, (rows, cols)), shape=(len(lo), n)).tocsr()
    _, teil = connected_components((a.T @ a).tocsr(), directed=False)
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    ergebnis: dict[int, tuple[float, float]] = {}
    gruppen: dict[int, list[int]] = {}
    for j in dict.fromkeys(ziel_spalten):
        gruppen.setdefault(int(teil[j]), []).append(j)
    for komponente, ziele_k in gruppen.items():
        spalten = np.flatnonzero(teil == komponente)
        zeilen = np.unique(a[:, spalten].nonzero()[0])
        if not len(zeilen):
            ergebnis.update({j: (0.0, math.inf) for j in ziele_k})
            continue
        lokal = {int(j): i for i, j in enumerate(spalten)}
        werte = _loesen(a[zeilen][:, spalten].tocsc(), lo[zeilen], hi[zeilen], [lokal[j] for j in ziele_k],
                        ganzzahlig)
        ergebnis.update(zip(ziele_k, werte))
    return [ergebnis[j] for j in ziel_spalten]


def _loesen(a, lo: np.ndarray, hi: np.ndarray, ziele: list[int], ganzzahlig: bool) -> list[tuple[float, float]]:
    n = a.shape[1]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, len(lo)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = np.zeros(n), np.zeros(n), np.full(n, inf)
    lp.row_lower_ = np.array([-inf if math.isinf(x) else x for x in lo], dtype=float)
    lp.row_upper_ = np.array([inf if math.isinf(x) else x for x in hi], dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
    if ganzzahlig:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h.passModel(lp)
    out, vorher = [], None
    for j in ziele:
        if vorher is not None:
            h.changeColCost(vorher, 0.0)
        h.changeColCost(j, 1.0)
        vorher = j
        span = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            h.changeObjectiveSense(sense)
            h.run()
            status = h.getModelStatus()
            if status == highspy.HighsModelStatus.kInfeasible:
                raise AssertionError("Die veröffentlichten Werte widersprechen einander – der Angriff ist falsch "
                                     "aufgebaut.")
            span.append(h.getInfo().objective_function_value if status == highspy.HighsModelStatus.kOptimal
                        else (math.inf if sense == highspy.ObjSense.kMaximize else 0.0))
        out.append((span[0], span[1]))
    return out


def angreifen(fassungen: list[Fassung], teile: pd.DataFrame, gemeindefrei: set[str], katalog: pd.DataFrame,
              links: dict, regeln, ganzzahlig: bool = True) -> pd.DataFrame:
    """Every sensitive cell with the range the attacker leaves it (columns of `ziele` plus unten, oben, breite,
    noetig: min(schutzbreite, a denominator the attacker sees exactly), schwach: shown or breite < noetig)."""
    system = lage(fassungen, teile, gemeindefrei, katalog, links)
    zellen = ziele(fassungen, katalog, regeln)
    if zellen.empty:
        return zellen.assign(unten=[], oben=[], breite=[], noetig=[], schwach=[])
    spalten = [system.spalte((r.version, (r.gebiet, r.indikator, r.zeitraum), "Z")) for r in zellen.itertuples()]
    # a denominator the attacker knows exactly already bounds the count: no protection can do more
    nenner = [system.spalte((r.version, (r.gebiet, r.indikator, r.zeitraum), "N")) for r in zellen.itertuples()]
    bereiche = spannen(system, spalten + nenner, ganzzahlig)
    unten = np.array([b[0] for b in bereiche[:len(spalten)]])
    oben = np.array([b[1] for b in bereiche[:len(spalten)]])
    n_lo = np.array([b[0] for b in bereiche[len(spalten):]])
    n_hi = np.array([b[1] for b in bereiche[len(spalten):]])
    breite = np.floor(oben + 1e-6) - np.ceil(unten - 1e-6)
    noetig = zellen["schutzbreite"].to_numpy(float)
    art = dict(zip(katalog["id"], katalog["art"]))
    quote = zellen["indikator"].map(art).eq("quote").to_numpy()
    n_exakt = quote & (np.abs(n_hi - n_lo) < 1e-6)
    noetig = np.where(n_exakt, np.minimum(noetig, n_hi), noetig)
    gezeigt = ~zellen["gezeigt"].isin(["geheim", "gesperrt"]).to_numpy()
    return zellen.assign(unten=unten, oben=oben, breite=breite, noetig=noetig,
                         schwach=gezeigt | (breite < noetig - 1e-6))
