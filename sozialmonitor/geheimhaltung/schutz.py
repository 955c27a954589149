"""The disclosure-control step: primary suppression by threshold, secondary (complementary) suppression, and an
audit by linear programming that no suppressed count can be narrowed down from what stays visible.

Method (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, ch. 4 „Magnitude/frequency tables“; the
audit is τ-ARGUS' interval audit after Giessing; solver: HiGHS through highspy):

1. **Primary suppression** (rule of the Statistik der Bundesagentur für Arbeit, thresholds from
   `data/geheimhaltung.toml`): a count 1 … min_anzahl−1, a rate whose numerator is 1 … min_zaehler−1 or whose
   denominator is below min_nenner. Cells the supplier delivered as `*` (status gesperrt) count as suppressed too.
2. **Linked cells**: a rate whose denominator indicator (nenner_indikator) is suppressed at the same place and
   time is suppressed as well (count ↔ rate).
3. **Secondary suppression** over every additive relation the data obey – aggregate = sum of its Gemeinden
   (Sozialraum, Kreis, including imported published totals) and annual average = sum of its months: no relation
   may contain exactly one suppressed cell; the complement is the cheapest visible part (cost = its count, an
   aggregate costs ten times as much, as τ-ARGUS' default cost function weights totals, and a value of the top
   area – the Kreis, the headline figure of every report and goal – a thousand times: it is hidden only where
   nothing else can protect).
4. **Audit**: for every suppressed cell the attacker's feasible range is computed by two linear programs
   (min and max of the cell subject to all relations with the visible values fixed, counts ≥ 0, a rate's numerator
   ≤ its visible denominator). A range narrower than `schutzbreite` gets a further complement in one of the cell's
   relations; repeated until every range is wide enough. Within one round only one complement is added per group
   of relations that share a cell (the other weak cells there are audited again first): complements chosen for
   several weak cells of the same sum at once would hide more than protection needs.

The result keeps the frame's rows and columns; a suppressed cell has status 'geheim', no zaehler/nenner/wert and a
reason in `geheim_grund` ('primaer' or 'sekundaer' – shown to nobody as such: the page says the same for both, so
that a reader cannot tell the small value from its protector)."""

import os
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd
import highspy
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from sozialmonitor.geheimhaltung.regeln import Regeln

GEHEIM = "geheim"
PRIMAER, SEKUNDAER = "primaer", "sekundaer"
AGGREGAT_KOSTEN = 10.0  # complementing with an aggregate costs this many times its count
OBERSTE_KOSTEN = 1000.0  # … and with a value of the top area (the Kreis) this many times
MAX_RUNDEN = 400


@dataclass
class Relation:
    """sum(koeffizienten * count[zellen]) == 0, e.g. Kreis − Σ Gemeinden."""
    zellen: np.ndarray
    koeffizienten: np.ndarray
    aggregat: int  # the cell that is the total (costlier to suppress)


def schuetzen(werte: pd.DataFrame, regeln: Regeln, teilgebiete: pd.DataFrame,
              indikatoren: pd.DataFrame) -> pd.DataFrame:
    """Apply disclosure control to every value of a database version.

    werte: the view werte_live – gebiet, indikator, zeitraum, zaehler, nenner, wert (Anzahl or rate in %/‰),
    status, herkunft, teile_gesperrt, teile_fehlend, quelle, monate.
    teilgebiete: obergebiet, teilgebiet (the view teilgebiete: Sozialraum/Kreis → Gemeinde).
    indikatoren: id, art ('quote'/'anzahl'), faktor.
    Returns werte with the same rows plus `geheim_grund` (None, 'primaer', 'sekundaer'); suppressed rows have status
    'geheim' and NULL zaehler, nenner, wert. Pure function; raises nothing for well-formed frames."""
    # A fixed order: the same data give the same pattern in every published version, whatever order the view
    # returned its rows in (two versions with different patterns could be combined by an attacker).
    frame = werte.sort_values(["indikator", "zeitraum", "gebiet"], kind="stable").reset_index(drop=True)
    frame["geheim_grund"] = pd.Series([None] * len(frame), dtype=object)
    if frame.empty:
        return frame
    teile = teilgebiete.astype(str)
    stufen = [teile, _zwischenstufen(teile)]  # Sozialraum/Kreis → Gemeinde, Kreis → Sozialraum
    alle = pd.concat(stufen)
    oberste = set(alle["obergebiet"]) - set(alle["teilgebiet"])
    zellen = _Zellen(frame, regeln, indikatoren, frame["gebiet"].astype(str).isin(oberste).to_numpy())
    relationen = _relationen(frame, zellen, stufen)
    verborgen = zellen.primaer.copy() | zellen.gesperrt
    verborgen |= zellen.verknuepft(verborgen)
    _sekundaer(zellen, relationen, verborgen)
    grund = np.where(zellen.primaer, PRIMAER, np.where(verborgen & ~zellen.gesperrt, SEKUNDAER, None))
    neu = verborgen & ~zellen.gesperrt
    frame["geheim_grund"] = pd.Series(grund, dtype=object).where(neu, None)
    frame.loc[neu, ["zaehler", "nenner", "wert"]] = np.nan
    frame.loc[neu, "status"] = GEHEIM
    return frame


class _Zellen:
    """Per row: the protected count (numerator of a rate, value of a count), which rule applies, links."""

    def __init__(self, frame: pd.DataFrame, regeln: Regeln, indikatoren: pd.DataFrame, oberste: np.ndarray):
        art = dict(zip(indikatoren["id"], indikatoren["art"]))
        faktor = dict(zip(indikatoren["id"], indikatoren["faktor"].astype(float)))
        ind = frame["indikator"].to_numpy(object)
        self.quote = np.array([art.get(i) == "quote" for i in ind])
        zaehler = frame["zaehler"].astype(float).to_numpy()
        nenner = frame["nenner"].astype(float).to_numpy()
        wert = frame["wert"].astype(float).to_numpy()
        monate = frame["monate"].astype(float).to_numpy()
        schnitt = frame["herkunft"].eq("jahresdurchschnitt").to_numpy() & ~np.isnan(monate)
        f = np.array([faktor.get(i, 1.0) for i in ind])
        # A published rate without its numerator: the count it stands for, where the denominator is given.
        aus_quote = np.where(np.isnan(zaehler) & ~np.isnan(nenner), wert * nenner / f, np.nan)
        self.zaehl = np.where(self.quote, np.where(np.isnan(zaehler), aus_quote, zaehler), wert)
        self.nenner = nenner
        status = frame["status"].to_numpy(object)
        # 'entfällt' (the statistical offices' '–': nothing there) is a known 0 in every sum – an attacker
        # subtracts it like any shown value
        self.zaehl = np.where(status == "entfaellt", 0.0, self.zaehl)
        self.gesperrt = status == "gesperrt"
        self.ok = status == "ok"
        self.unvollstaendig = status == "unvollstaendig"
        regel = {i: regeln.fuer(i) for i in set(ind)}
        schuetzen = np.array([regel[i].schuetzen for i in ind])
        min_anzahl = np.array([regel[i].min_anzahl for i in ind], dtype=float)
        min_zaehler = np.array([regel[i].min_zaehler for i in ind], dtype=float)
        min_nenner = np.array([regel[i].min_nenner for i in ind], dtype=float)
        self.schutzbreite = np.array([regel[i].schutzbreite for i in ind], dtype=float)
        self.schuetzen = schuetzen
        # What a reader sees of an annual average is the mean month: the threshold applies to that.
        je_monat = np.where(schnitt & self.quote, monate, 1.0)
        klein_zaehler = (self.zaehl / je_monat >= 0.5) & (self.zaehl / je_monat < min_zaehler - 0.5 + 1e-9)
        klein_nenner = ~np.isnan(nenner) & (nenner / je_monat < min_nenner)
        klein_anzahl = (wert >= 0.5) & (wert < min_anzahl - 0.5 + 1e-9)
        hat_wert = ~np.isnan(wert) | ~np.isnan(zaehler)
        self.primaer = schuetzen & hat_wert & np.where(self.quote, klein_zaehler | klein_nenner, klein_anzahl)
        # links rate -> the cell of its denominator indicator (same gebiet, zeitraum)
        key = pd.MultiIndex.from_frame(frame[["gebiet", "indikator", "zeitraum"]])
        link_ind = pd.Series([regel[i].nenner_indikator for i in ind])
        link_key = pd.MultiIndex.from_arrays([frame["gebiet"], link_ind.fillna("\0"), frame["zeitraum"]])
        self.link = np.where(link_ind.notna().to_numpy(), key.get_indexer(link_key), -1)
        self.key = key
        self.n = len(frame)
        self.oberste = oberste  # cells of the top area (the Kreis): the costliest complement

    def verknuepft(self, verborgen: np.ndarray) -> np.ndarray:
        """Rates whose denominator cell is hidden."""
        has = self.link >= 0
        out = np.zeros(self.n, bool)
        out[has] = verborgen[self.link[has]]
        return out & self.schuetzen


def _relationen(frame: pd.DataFrame, zellen: _Zellen, stufen: list[pd.DataFrame]) -> list[Relation]:
    """Every additive relation among the cells: aggregate = Σ parts per indicator and period; annual average
    (herkunft jahresdurchschnitt) = Σ of the months it was computed from. stufen: obergebiet → teilgebiet pairs
    (as text), one frame per kind of sum."""
    relationen: list[Relation] = []
    positions = pd.DataFrame({"gebiet": frame["gebiet"].astype(str), "indikator": frame["indikator"].astype(str),
                              "zeitraum": frame["zeitraum"].astype(str), "pos": np.arange(len(frame))})
    for stufe in stufen:
        relationen += _summen(stufe.rename(columns={"obergebiet": "gebiet"}), positions, zellen)
    relationen += _jahre(frame, positions, zellen)
    return relationen


def _zwischenstufen(teile: pd.DataFrame) -> pd.DataFrame:
    """Kreis → Sozialraum where the Sozialräume partition the Kreis' Gemeinden (Kreis = Σ Sozialräume: an
    attacker subtracts visible Sozialräume from the Kreis, so a hidden Sozialraum needs a partner among them)."""
    mengen = {o: frozenset(g) for o, g in teile.groupby("obergebiet")["teilgebiet"]}
    je_gemeinde: dict[str, set] = {}
    for ober, gemeinden in mengen.items():
        for g in gemeinden:
            je_gemeinde.setdefault(g, set()).add(ober)
    paare = []
    for ober, gemeinden in mengen.items():
        kandidaten = {b for g in gemeinden for b in je_gemeinde[g]} - {ober}
        innen = [b for b in kandidaten if mengen[b] < gemeinden]
        if innen and sum(len(mengen[b]) for b in innen) == len(gemeinden) and \
                frozenset().union(*(mengen[b] for b in innen)) == gemeinden:
            paare += [(ober, b) for b in sorted(innen)]
    return pd.DataFrame(paare, columns=["obergebiet", "teilgebiet"], dtype=str)


def _summen(teile: pd.DataFrame, positions: pd.DataFrame, zellen: _Zellen) -> list[Relation]:
    """aggregate = Σ parts for every indicator and period where every part has a row."""
    relationen: list[Relation] = []
    if teile.empty:
        return relationen
    anzahl_teile = teile.groupby("gebiet").size().rename("soll")
    paar = positions.merge(teile, on="gebiet").merge(
        positions.rename(columns={"gebiet": "teilgebiet", "pos": "teil"}),
        on=["teilgebiet", "indikator", "zeitraum"], how="left").merge(anzahl_teile, on="gebiet")
    if not paar.empty:
        teil = paar["teil"].to_numpy(dtype=float)
        known = ~np.isnan(teil)
        safe = np.where(known, teil, 0).astype(int)
        member_ok = known & (~np.isnan(zellen.zaehl[safe]) | zellen.gesperrt[safe])
        gruppen = pd.DataFrame({"pos": paar["pos"], "ok": member_ok, "soll": paar["soll"]}).groupby("pos").agg(
            ok=("ok", "all"), n=("ok", "size"), soll=("soll", "first"))
        ober_ok = ~np.isnan(zellen.zaehl) | zellen.gesperrt
        valid = gruppen.index[gruppen["ok"] & gruppen["n"].eq(gruppen["soll"]) & ober_ok[gruppen.index]]
        paar = paar[paar["pos"].isin(valid)].sort_values("pos", kind="stable")
        pos = paar["pos"].to_numpy()
        teil = paar["teil"].to_numpy(dtype=float).astype(int)
        grenzen = np.flatnonzero(np.diff(pos)) + 1
        for ober, glieder in zip(pos[np.r_[0, grenzen]] if len(pos) else [], np.split(teil, grenzen)):
            members = np.concatenate([[ober], glieder])
            koeffizienten = np.concatenate([[-1.0], np.ones(len(glieder))])
            if zellen.schuetzen[members].any() and _gilt(zellen, members, koeffizienten):
                relationen.append(Relation(members, koeffizienten, int(ober)))
    return relationen


def _jahre(frame: pd.DataFrame, positions: pd.DataFrame, zellen: _Zellen) -> list[Relation]:
    """Annual averages of monthly values: the view sums the months that were 'ok'."""
    relationen: list[Relation] = []
    jahr = positions[frame["herkunft"].eq("jahresdurchschnitt").to_numpy() & ~np.isnan(zellen.zaehl)]
    monat = positions[frame["zeitraum"].str.len().eq(7).to_numpy() & zellen.ok]
    if len(jahr) and len(monat):
        monat = monat.assign(jahr=monat["zeitraum"].str[:4])
        verbund = jahr.merge(monat, left_on=["gebiet", "indikator", "zeitraum"],
                             right_on=["gebiet", "indikator", "jahr"], suffixes=("", "_monat"))
        verbund = verbund[~np.isnan(zellen.zaehl[verbund["pos_monat"].to_numpy()])].sort_values("pos", kind="stable")
        pos = verbund["pos"].to_numpy()
        monate = verbund["pos_monat"].to_numpy()
        grenzen = np.flatnonzero(np.diff(pos)) + 1
        for ober, glieder in zip(pos[np.r_[0, grenzen]] if len(pos) else [], np.split(monate, grenzen)):
            if not zellen.schuetzen[ober]:
                continue
            gewicht = -1.0 if zellen.quote[ober] else -float(len(glieder))  # counts: the year is the mean month
            members = np.concatenate([[ober], glieder])
            koeffizienten = np.concatenate([[gewicht], np.ones(len(glieder))])
            if _gilt(zellen, members, koeffizienten):
                relationen.append(Relation(members, koeffizienten, int(ober)))
    return relationen


def _gilt(zellen: _Zellen, members: np.ndarray, koeffizienten: np.ndarray) -> bool:
    """An imported (published) total that does not equal the sum of its parts is no identity anyone could solve:
    left out, so that it cannot make the audit's equations contradictory. With a part delivered as '*' the total is
    taken at its word."""
    if zellen.gesperrt[members].any():
        return True
    return bool(abs(np.dot(koeffizienten, zellen.zaehl[members])) < 1e-6 * max(1.0, np.abs(zellen.zaehl[members]).max()))


def _kosten(zellen: _Zellen, relation: Relation, verborgen: np.ndarray) -> tuple[int | None, float]:
    """The cheapest visible member with a positive count (suppressing a 0 protects nothing)."""
    best, best_cost = None, np.inf
    for cell in relation.zellen:
        if verborgen[cell] or not zellen.schuetzen[cell]:
            continue
        value = zellen.zaehl[cell]
        if not value > 0:
            continue
        cost = value * (OBERSTE_KOSTEN if zellen.oberste[cell] else AGGREGAT_KOSTEN if cell == relation.aggregat
                        else 1.0)
        if cost < best_cost:
            best, best_cost = int(cell), cost
    if best is None and not verborgen[relation.aggregat] and zellen.schuetzen[relation.aggregat] \
            and zellen.zaehl[relation.aggregat] == 0:
        # every visible part is 0: a visible total of 0 pins the hidden ones to 0 and no other complement can
        # change that – the total goes instead, at the price of a count of 1 at its level
        best, best_cost = int(relation.aggregat), OBERSTE_KOSTEN if zellen.oberste[relation.aggregat] \
            else AGGREGAT_KOSTEN
    return best, best_cost


def _sekundaer(zellen: _Zellen, relationen: list[Relation], verborgen: np.ndarray) -> None:
    """Adds complementary suppressions to `verborgen` (in place) until no relation has a single hidden member and
    the audit finds every hidden count's range at least schutzbreite wide."""
    by_cell: dict[int, list[int]] = {}
    for index, relation in enumerate(relationen):
        for cell in relation.zellen:
            by_cell.setdefault(int(cell), []).append(index)
    offen = zellen.primaer | zellen.gesperrt
    for _ in range(MAX_RUNDEN):
        changed = True
        while changed:  # cheap rule first: no relation with exactly one hidden member
            changed = False
            for relation in relationen:
                if verborgen[relation.zellen].sum() == 1:
                    cell, _ = _kosten(zellen, relation, verborgen)
                    if cell is not None:
                        verborgen[cell] = True
                        changed = True
            link = zellen.verknuepft(verborgen) & ~verborgen
            if link.any():
                verborgen |= link
                changed = True
        # Hiding more only widens every range: a cell that passed stays protected, only the weak are re-checked.
        schwach = audit(zellen.zaehl, verborgen, relationen, zellen.schutzbreite, zellen.nenner,
                        zellen.link, pruefen=offen & verborgen)
        offen = np.zeros_like(offen)
        offen[schwach] = True
        if not schwach:
            return
        added = False
        beruehrt: set[int] = set()  # relations that got a new hidden cell in this round
        for cell in schwach:
            eigene = by_cell.get(cell, [])
            if not verborgen[cell] or beruehrt.intersection(eigene):
                continue  # audited again next round: the complement added there may already protect it
            options = [_kosten(zellen, relationen[r], verborgen) for r in eigene]
            options = [o for o in options if o[0] is not None]
            if options:
                neu = min(options, key=lambda o: o[1])[0]
                verborgen[neu] = True
                beruehrt.update(eigene)
                beruehrt.update(by_cell.get(neu, []))
                added = True
        if not added:
            return  # nothing left to suppress in these relations: the audit's best


def audit(zaehl: np.ndarray, verborgen: np.ndarray, relationen: list[Relation], schutzbreite: np.ndarray,
          nenner: np.ndarray | None = None, link: np.ndarray | None = None,
          pruefen: np.ndarray | None = None) -> list[int]:
    """The cells (of `pruefen`, default all hidden) whose feasible range is narrower than their schutzbreite.

    The attacker knows every visible count exactly and every relation; hidden counts are ≥ 0 and a hidden rate's
    numerator is at most its denominator where that denominator is visible through the linked count indicator.
    Each range is min/max of the cell by linear programming (HiGHS) over the connected part of the relations."""
    pruefen = verborgen if pruefen is None else pruefen
    variablen = np.flatnonzero(verborgen)
    if not len(variablen) or not pruefen.any():
        return []
    spalte = -np.ones(len(verborgen), int)
    spalte[variablen] = np.arange(len(variablen))
    rows, cols, vals, rhs = [], [], [], []
    for relation in relationen:
        hidden = verborgen[relation.zellen]
        if not hidden.any():
            continue
        r = len(rhs)
        for cell, coef in zip(relation.zellen[hidden], relation.koeffizienten[hidden]):
            rows.append(r)
            cols.append(spalte[cell])
            vals.append(coef)
        shown = ~hidden
        rhs.append(-float(np.dot(relation.koeffizienten[shown], zaehl[relation.zellen[shown]])))
    obere = np.full(len(variablen), np.inf)
    if nenner is not None and link is not None:
        for j, cell in enumerate(variablen):
            l = link[cell]
            if l >= 0 and not verborgen[l] and not np.isnan(zaehl[l]):
                obere[j] = zaehl[l]  # the rate's denominator is the visible count of the linked indicator
    if not rhs:
        return []
    matrix = csr_matrix(coo_matrix((vals, (rows, cols)), shape=(len(rhs), len(variablen))))
    rhs = np.array(rhs)
    # connected parts: variables linked through a shared relation
    incidence = (matrix.T @ matrix).tocsr()
    _, part = connected_components(incidence, directed=False)
    schwach = []
    for komponente in np.unique(part[[spalte[c] for c in np.flatnonzero(pruefen) if spalte[c] >= 0]]):
        vars_k = np.flatnonzero(part == komponente)
        zeilen = np.unique(matrix[:, vars_k].nonzero()[0])
        if not len(zeilen):
            continue
        ziele = [local for local, j in enumerate(vars_k) if pruefen[variablen[j]]]
        wahr = zaehl[variablen[vars_k]]
        # a visible denominator n already tells 0 ≤ x ≤ n: no suppression can make the range wider than that
        noetig = np.minimum(schutzbreite[variablen[vars_k]], obere[vars_k])
        breiten = _spannen(matrix[zeilen][:, vars_k].tocsc(), rhs[zeilen], obere[vars_k], ziele, wahr, noetig)
        for local, breite in zip(ziele, breiten):
            cell = variablen[vars_k[local]]
            if breite < noetig[local] - 1e-6:
                schwach.append(int(cell))
    return schwach


def _highs() -> "highspy.Highs":
    """A silent HiGHS instance (its constructor prints a banner on the process' stdout, which would end up in the
    command line's output)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def _spannen(a, b: np.ndarray, obere: np.ndarray, ziele: list[int], wahr: np.ndarray,
             noetig: np.ndarray) -> list[float]:
    """max − min of each target variable over {x ≥ 0, x ≤ obere, a x = b}: one HiGHS model, the objective changed
    per solve so the simplex starts from the last basis. inf where unbounded; inf for all when the relations
    contradict each other (published totals that do not add up give no exact path). Where the true value is known
    (it is a feasible point) a maximum at least `noetig` above it settles the question without the minimum."""
    h = _highs()
    h.setOptionValue("presolve", "off")
    lp = highspy.HighsLp()
    n = a.shape[1]
    lp.num_col_, lp.num_row_ = n, a.shape[0]
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.where(np.isinf(obere), highspy.kHighsInf, obere)
    lp.row_lower_ = b
    lp.row_upper_ = b
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    h.passModel(lp)
    optimal = highspy.HighsModelStatus.kOptimal
    breiten, vorher = [], None
    for j in ziele:
        if vorher is not None:
            h.changeColCost(vorher, 0.0)
        h.changeColCost(j, 1.0)
        vorher = j
        werte = []
        for sense in (highspy.ObjSense.kMaximize, highspy.ObjSense.kMinimize):
            h.changeObjectiveSense(sense)
            h.run()
            status = h.getModelStatus()
            if status == highspy.HighsModelStatus.kInfeasible:
                return [np.inf] * len(ziele)
            werte.append(h.getInfo().objective_function_value if status == optimal else None)
            if werte[0] is None or (not np.isnan(wahr[j]) and werte[0] - wahr[j] >= noetig[j] - 1e-6):
                break
        if werte[0] is None:
            breiten.append(np.inf)
        elif len(werte) == 1:
            breiten.append(werte[0] - wahr[j])
        else:
            breiten.append(np.inf if werte[1] is None else werte[0] - werte[1])
    return breiten
