"""The disclosure-control step: primary suppression by threshold, secondary (complementary) suppression, and an
audit by linear programming that no suppressed count can be narrowed down from what stays visible.

Method (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, ch. 4 „Magnitude/frequency tables“; the
audit is τ-ARGUS' interval audit after Giessing; the loop “suppress, solve the attacker's problems, add a complement
where a cell is still too narrow” is sdcTable's SIMPLEHEURISTIC; common cells of linked tables share one
suppression state, as in sdcTable's protectLinkedTables; solver: HiGHS through highspy).

**One model of everything a viewer can combine.** Every row has a count Z (the value of a count, the numerator of a
rate) and, for a rate, a denominator N. What a viewer sees fixes some of them; the relations the data obey tie them
together (modell below):

- sums: aggregate = Σ its parts, for Z and for N (Gemeinde → Sozialraum → Kreis, Kreis = Σ Sozialräume). A part
  without a row never drops the relation: a computed aggregate (herkunft 'berechnet') is the sum of the parts that
  have a row – that is how the view computes it and what an attacker subtracts from; an imported (published) total
  also contains the parts without a row: an uninhabited part (gemeindefrei) as a known 0, an inhabited one as an
  unknown count ≥ 0;
- months → year: an annual average's numerator and denominator are the sums of its months (a count's year is the
  mean month);
- links from the catalogue (katalog.verknuepfungen): a rate's numerator that is shown as a count indicator of its
  own is the same Z, its denominator the linked count's Z;
- a rate shown without counts (a city's published Sozialraum rate) says Z/N lies within the rounding interval of
  its published decimals: (w − h)·N ≤ f·Z ≤ (w + h)·N – linear in Z and N, so it holds with a visible or with a
  hidden denominator;
- Z ≤ N for a share, every count ≥ 0.

1. **Primary suppression** (rule of the Statistik der Bundesagentur für Arbeit, thresholds from
   `data/geheimhaltung.toml`; whether an indicator is protected at all from the catalogue): a count
   1 … min_anzahl−1, a rate whose numerator is 1 … min_zaehler−1 or whose denominator is below min_nenner (a rate
   without counts: the count it stands for with the linked denominator). Cells the supplier delivered as `*`
   (status gesperrt) count as suppressed too.
2. **Linked cells**: a rate whose linked numerator or denominator count is suppressed is suppressed as well, and a
   count that is a suppressed rate's numerator.
3. **Secondary suppression**: no sum may pin a hidden count down alone; the complement is the cheapest visible part
   (cost = its count, an aggregate costs ten times as much, as τ-ARGUS' default cost function weights totals, and a
   value of the top area – the Kreis, the headline figure of every report and goal – a thousand times: it is hidden
   only where nothing else can protect).
4. **Audit**: for every suppressed count the attacker's feasible range is computed by two linear programs over the
   whole model (the visible values fixed). The range counts whole persons: ⌊max⌋ − ⌈min⌉. A range narrower than
   `schutzbreite` gets a further complement in one of the relations of the cell (or of the counts linked to it);
   repeated until every range is wide enough. Within one round only one complement is added per group of relations
   that share a cell.

The result keeps the frame's rows and columns; a suppressed cell has status 'geheim', no zaehler/nenner/wert and a
reason in `geheim_grund` ('primaer' or 'sekundaer' – shown to nobody as such: the page says the same for both, so
that a reader cannot tell the small value from its protector)."""

import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from sozialmonitor.geheimhaltung import katalog
from sozialmonitor.geheimhaltung.regeln import Regeln

GEHEIM = "geheim"
PRIMAER, SEKUNDAER = "primaer", "sekundaer"
AGGREGAT_KOSTEN = 10.0  # complementing with an aggregate costs this many times its count
OBERSTE_KOSTEN = 1000.0  # … and with a value of the top area (the Kreis) this many times
MAX_RUNDEN = 400
GLEICH, INTERVALL = "gleich", "intervall"


@dataclass
class Relation:
    """lo ≤ Σ koeffizienten · x[variablen] ≤ hi. Variable i < n is the count Z of row i, n + i its denominator N,
    2n + k the k-th part without a row. art 'gleich' (lo = hi = 0: a sum, a link) or 'intervall' (a shown rate's
    rounding interval, Z ≤ N). traeger: the row whose display makes the relation known (−1: it always holds);
    aggregat: the row that is the total (costlier to suppress), −1 for none. zaehlt: a Z-relation whose single
    hidden member would be pinned down (sums of counts, the numerator link) – the quick rule looks only at these."""
    variablen: np.ndarray
    koeffizienten: np.ndarray
    art: str = GLEICH
    aggregat: int = -1
    traeger: int = -1
    lo: float = 0.0
    hi: float = 0.0
    zaehlt: bool = False


def schuetzen(werte: pd.DataFrame, regeln: Regeln, teilgebiete: pd.DataFrame,
              indikatoren: pd.DataFrame, gemeindefrei=()) -> pd.DataFrame:
    """Apply disclosure control to every value of a database version.

    werte: the view werte_live – gebiet, indikator, zeitraum, zaehler, nenner, wert (Anzahl or rate in %/‰),
    status, herkunft, teile_gesperrt, teile_fehlend, quelle, monate.
    teilgebiete: obergebiet, teilgebiet (the view teilgebiete: Sozialraum/Kreis → Gemeinde).
    indikatoren: id, art ('quote'/'anzahl'), faktor; optional name, zaehler, nenner (the catalogue's texts, from
    which the links are derived), nachkommastellen (published decimals), geheimhaltung (the catalogue's per-indicator
    switch, overriding the rules file's `schuetzen`), zaehler_indikator, nenner_indikator.
    gemeindefrei: codes of parts without inhabitants (a known 0 in an imported total).
    Returns werte with the same rows plus `geheim_grund` (None, 'primaer', 'sekundaer'); suppressed rows have status
    'geheim' and NULL zaehler, nenner, wert. Pure function; raises nothing for well-formed frames."""
    # A fixed order: the same data give the same pattern in every published version, whatever order the view
    # returned its rows in.
    frame = werte.sort_values(["indikator", "zeitraum", "gebiet"], kind="stable").reset_index(drop=True)
    frame["geheim_grund"] = pd.Series([None] * len(frame), dtype=object)
    if frame.empty:
        return frame
    modell = Modell(frame, regeln, indikatoren, teilgebiete, set(map(str, gemeindefrei)))
    verborgen = modell.primaer | modell.gesperrt
    modell.verknuepfen(verborgen)
    _sekundaer(modell, verborgen)
    neu = verborgen & ~modell.gesperrt
    grund = np.where(modell.primaer, PRIMAER, SEKUNDAER)
    frame["geheim_grund"] = pd.Series(grund, dtype=object).where(neu, None)
    # a published rate kept beside a computed value (veroeffentlicht) says the same number: hidden with it
    frame.loc[neu, [c for c in ("zaehler", "nenner", "wert", "veroeffentlicht") if c in frame]] = np.nan
    frame.loc[neu, "status"] = GEHEIM
    return frame


def _dezimalen(wert: float, mindestens: int) -> int:
    """The decimals a stored value carries (at least the catalogue's): 8.9 → 1, 8.88 → 2."""
    for stellen in range(mindestens, 7):
        if abs(round(wert, stellen) - wert) < 1e-9:
            return stellen
    return 7


class Modell:
    """Rows, their counts and the relations among them (see the module's text)."""

    def __init__(self, frame: pd.DataFrame, regeln: Regeln, indikatoren: pd.DataFrame, teilgebiete: pd.DataFrame,
                 gemeindefrei: set[str]):
        n = self.n = len(frame)
        ind = frame["indikator"].astype(str).to_numpy(object)
        spalten = indikatoren.set_index("id")
        art = spalten["art"].to_dict()
        faktor = spalten["faktor"].astype(float).to_dict()
        stellen = (spalten["nachkommastellen"].to_dict() if "nachkommastellen" in spalten else {})
        self.quote = np.array([art.get(i) == "quote" for i in ind])
        self.faktor = np.array([faktor.get(i, 1.0) for i in ind])
        zaehler = frame["zaehler"].astype(float).to_numpy()
        nenner = frame["nenner"].astype(float).to_numpy()
        wert = frame["wert"].astype(float).to_numpy()
        monate = frame["monate"].astype(float).to_numpy()
        status = frame["status"].to_numpy(object)
        self.status = status
        self.gesperrt = status == "gesperrt"
        self.ok = status == "ok"
        entfaellt = status == "entfaellt"
        herkunft = frame["herkunft"].to_numpy(object)
        self.wert = wert
        # Z and N as far as the data know them; 'entfällt' (the offices' '–': nothing there) is a known 0
        self.zaehl = np.where(self.quote, zaehler, wert)
        self.zaehl = np.where(entfaellt, 0.0, self.zaehl)
        self.nennwert = np.where(self.quote, nenner, np.nan)
        self.nennwert = np.where(entfaellt & self.quote, 0.0, self.nennwert)
        self.nur_wert = self.quote & np.isnan(zaehler) & ~np.isnan(wert) & ~entfaellt  # a rate without counts
        self.halb = np.array([0.5 * 10 ** -_dezimalen(w, int(stellen.get(i, 1) if pd.notna(stellen.get(i, 1))
                                                                   else 1)) if not np.isnan(w) else 0.0
                              for w, i in zip(wert, ind)])
        self.key = pd.MultiIndex.from_arrays([frame["gebiet"].astype(str), pd.Series(ind), frame["zeitraum"].astype(str)])
        position = pd.Series(np.arange(n), index=self.key)

        # the catalogue decides whether an indicator is protected; the rules file keeps the thresholds
        schutz = katalog.schutz(indikatoren, regeln)
        regel = {i: regeln.fuer(i) for i in set(ind)}
        self.schuetzen = np.array([schutz.get(i, regel[i].schuetzen) for i in ind])
        min_anzahl = np.array([regel[i].min_anzahl for i in ind], dtype=float)
        min_zaehler = np.array([regel[i].min_zaehler for i in ind], dtype=float)
        min_nenner = np.array([regel[i].min_nenner for i in ind], dtype=float)
        self.schutzbreite = np.array([regel[i].schutzbreite for i in ind], dtype=float)

        # links numerator/denominator → count indicator (same gebiet, zeitraum): positions or −1
        links = katalog.verknuepfungen(indikatoren, regeln)

        def verweis(welche: int) -> np.ndarray:
            ziel = pd.Series([links.get(i, (None, None))[welche] for i in ind])
            schluessel = pd.MultiIndex.from_arrays([frame["gebiet"].astype(str), ziel.fillna("\0"),
                                                    frame["zeitraum"].astype(str)])
            return np.where(ziel.notna().to_numpy(), self.key.get_indexer(schluessel), -1)
        self.zaehler_link = verweis(0)
        self.nenner_link = verweis(1)
        # a rate without counts: the denominator it stands on, from the linked count where the row has none
        n_link = np.where(self.nenner_link >= 0, self.zaehl[np.maximum(self.nenner_link, 0)], np.nan)
        self.nenner_bekannt = np.where(np.isnan(self.nennwert), n_link, self.nennwert)
        aus_quote = np.where(self.nur_wert, wert * self.nenner_bekannt / self.faktor, np.nan)
        self.schaetzung = np.where(np.isnan(self.zaehl), np.round(aus_quote), self.zaehl)  # for costs and rules

        # primary rule; what a reader sees of an annual average is the mean month: the threshold applies to that
        schnitt = (herkunft == "jahresdurchschnitt") & ~np.isnan(monate)
        je_monat = np.where(schnitt & self.quote, monate, 1.0)
        z = self.schaetzung / je_monat
        klein_zaehler = (z >= 0.5) & (z < min_zaehler - 0.5 + 1e-9)
        klein_nenner = ~np.isnan(self.nenner_bekannt) & (self.nenner_bekannt / je_monat < min_nenner) & \
            ~np.isnan(wert)
        klein_anzahl = (wert >= 0.5) & (wert < min_anzahl - 0.5 + 1e-9)
        hat_wert = ~np.isnan(wert) | ~np.isnan(zaehler)
        self.primaer = self.schuetzen & hat_wert & np.where(self.quote, klein_zaehler | klein_nenner, klein_anzahl)

        teile = teilgebiete.astype(str)
        stufen = [teile, _zwischenstufen(teile)]
        alle = pd.concat(stufen)
        oberste = set(alle["obergebiet"]) - set(alle["teilgebiet"])
        self.oberste = frame["gebiet"].astype(str).isin(oberste).to_numpy()
        self.frei = 0  # parts without a row inside an imported total: variables 2n, 2n + 1, …
        self.relationen: list[Relation] = []
        for k, stufe in enumerate(stufen):
            self._summen(stufe, frame, position, herkunft, gemeindefrei, zwischen=k == 1)
        self._jahre(frame, position, herkunft)
        self._links(herkunft)
        self._quoten()

    # ------------------------------------------------------------------ relations

    def _gilt(self, variablen: np.ndarray, koeffizienten: np.ndarray) -> bool:
        """An imported (published) total that does not equal the sum of its parts is no identity anyone could solve:
        left out, so that it cannot make the audit's equations contradictory. Unknown members: taken at its word."""
        werte = self.wahr(variablen)
        unbekannt = np.isnan(werte)
        bekannt = float(np.dot(koeffizienten[~unbekannt], werte[~unbekannt]))
        if not unbekannt.any():
            return bool(abs(bekannt) < 1e-6 * max(1.0, np.abs(werte).max()))
        vorzeichen = np.sign(koeffizienten[unbekannt])
        if (vorzeichen == vorzeichen[0]).all():  # unknowns ≥ 0 must be able to close the gap
            return bool(-bekannt * vorzeichen[0] >= -1e-6 * max(1.0, np.abs(werte[~unbekannt]).max(initial=0)))
        return True

    def wahr(self, variablen: np.ndarray) -> np.ndarray:
        """The true value of each variable as far as the data know it (NaN: unknown)."""
        variablen = np.asarray(variablen)
        out = np.full(len(variablen), np.nan)
        z = variablen < self.n
        d = (variablen >= self.n) & (variablen < 2 * self.n)
        out[z] = self.zaehl[variablen[z]]
        out[d] = self.nennwert[variablen[d] - self.n]
        return out

    def _summen(self, stufe: pd.DataFrame, frame: pd.DataFrame, position: pd.Series, herkunft: np.ndarray,
                gemeindefrei: set[str], zwischen: bool) -> None:
        """aggregate = Σ parts for Z and (rates) N, per indicator and period where the aggregate has a value."""
        if stufe.empty:
            return
        glieder = stufe.groupby("obergebiet")["teilgebiet"].agg(list).to_dict()
        gebiet = frame["gebiet"].astype(str).to_numpy(object)
        ind = frame["indikator"].astype(str).to_numpy(object)
        zeit = frame["zeitraum"].astype(str).to_numpy(object)
        for ober in np.flatnonzero(np.isin(gebiet, list(glieder))):
            if np.isnan(self.zaehl[ober]) and not self.nur_wert[ober] and not self.gesperrt[ober]:
                continue  # no value (unvollständig, fehlt): nothing to subtract from
            if not self.schuetzen[ober]:
                continue
            teile, fehlende = [], 0
            for teil in glieder[gebiet[ober]]:
                p = position.get((teil, ind[ober], zeit[ober]))
                if p is not None:
                    teile.append(int(p))
                elif herkunft[ober] == "erhoben" and teil not in gemeindefrei:
                    fehlende += 1  # an inhabited part without a row: unknown ≥ 0 inside a published total
            if not teile and not fehlende:
                continue
            if zwischen and any((herkunft[t] == "erhoben") != (herkunft[ober] == "erhoben") for t in teile):
                continue  # a computed Kreis is the sum of its Gemeinden, not of published Sozialraum totals
            if herkunft[ober] != "erhoben":
                # computed by the view from the parts that have a value (a part 'gesperrt'/'fehlt' leaves it
                # without one): exactly those are its parts, and the sum must hold exactly
                teile = [t for t in teile if not np.isnan(self.zaehl[t])]
                if np.isnan(self.zaehl[ober]):
                    continue
            frei = np.arange(2 * self.n + self.frei, 2 * self.n + self.frei + fehlende)
            self.frei += fehlende
            for offset in ((0, self.n) if self.quote[ober] else (0,)):
                variablen = np.concatenate([[ober + offset], np.asarray(teile, int) + offset, frei if offset == 0
                                            else np.arange(0)])
                if offset and fehlende:
                    frei_n = np.arange(2 * self.n + self.frei, 2 * self.n + self.frei + fehlende)
                    self.frei += fehlende
                    variablen = np.concatenate([variablen, frei_n])
                koeffizienten = np.concatenate([[-1.0], np.ones(len(variablen) - 1)])
                if self._gilt(variablen, koeffizienten):
                    self.relationen.append(Relation(variablen, koeffizienten, aggregat=int(ober), zaehlt=offset == 0))

    def _jahre(self, frame: pd.DataFrame, position: pd.Series, herkunft: np.ndarray) -> None:
        """Annual averages of monthly values: the view sums the months that were 'ok'."""
        jahr = np.flatnonzero((herkunft == "jahresdurchschnitt") & ~np.isnan(self.zaehl))
        if not len(jahr):
            return
        zeit = frame["zeitraum"].astype(str)
        monat = np.flatnonzero(zeit.str.len().eq(7).to_numpy() & self.ok & ~np.isnan(self.zaehl))
        if not len(monat):
            return
        schluessel = pd.DataFrame({"gebiet": frame["gebiet"].astype(str).to_numpy()[monat],
                                   "indikator": frame["indikator"].astype(str).to_numpy()[monat],
                                   "jahr": zeit.str[:4].to_numpy()[monat], "pos": monat})
        gruppen = schluessel.groupby(["gebiet", "indikator", "jahr"])["pos"].agg(list).to_dict()
        for ober in jahr:
            if not self.schuetzen[ober]:
                continue
            g, i, z = self.key[ober]
            monate = np.asarray(gruppen.get((g, i, z), []), int)
            if not len(monate):
                continue
            for offset in ((0, self.n) if self.quote[ober] else (0,)):
                gewicht = -1.0 if self.quote[ober] else -float(len(monate))  # a count's year is the mean month
                variablen = np.concatenate([[ober + offset], monate + offset])
                koeffizienten = np.concatenate([[gewicht], np.ones(len(monate))])
                if self._gilt(variablen, koeffizienten):
                    self.relationen.append(Relation(variablen, koeffizienten, aggregat=int(ober),
                                                    zaehlt=offset == 0))

    def _links(self, herkunft: np.ndarray) -> None:
        """The same count shown twice: a rate's numerator as a count indicator, a rate's denominator as one – where
        both are counted alike (a published total beside a computed sum of the Gemeinden with rows is not)."""
        for zeile in np.flatnonzero(self.zaehler_link >= 0):
            ziel = int(self.zaehler_link[zeile])
            if herkunft[zeile] != herkunft[ziel]:
                continue
            variablen = np.array([zeile, ziel])
            if self._gilt(variablen, np.array([1.0, -1.0])):
                self.relationen.append(Relation(variablen, np.array([1.0, -1.0]), zaehlt=True))
        for zeile in np.flatnonzero(self.nenner_link >= 0):
            ziel = int(self.nenner_link[zeile])
            if herkunft[zeile] != herkunft[ziel]:
                continue
            variablen = np.array([self.n + zeile, ziel])
            if self._gilt(variablen, np.array([1.0, -1.0])):
                self.relationen.append(Relation(variablen, np.array([1.0, -1.0])))

    def _quoten(self) -> None:
        """Z ≤ N for every share; a rate shown without counts: its rounding interval (only while it is shown)."""
        teilbar = self.quote & ~(self.zaehl > self.nennwert)
        for zeile in np.flatnonzero(teilbar):
            self.relationen.append(Relation(np.array([zeile, self.n + zeile]), np.array([1.0, -1.0]), INTERVALL,
                                            lo=-np.inf, hi=0.0))
        for zeile in np.flatnonzero(self.nur_wert):
            f, w, h = self.faktor[zeile], self.wert[zeile], self.halb[zeile]
            variablen = np.array([zeile, self.n + zeile])
            # f·Z − (w − h)·N ≥ 0 and f·Z − (w + h)·N ≤ 0
            self.relationen.append(Relation(variablen, np.array([f, -(max(w - h, 0.0))]), INTERVALL, traeger=zeile,
                                            lo=0.0, hi=np.inf))
            self.relationen.append(Relation(variablen, np.array([f, -(w + h)]), INTERVALL, traeger=zeile,
                                            lo=-np.inf, hi=0.0))

    # ------------------------------------------------------------------ patterns

    def verknuepfen(self, verborgen: np.ndarray) -> bool:
        """Adds (in place) the rates whose linked numerator or denominator count is hidden and the counts that are a
        hidden rate's numerator. True if anything was added."""
        vorher = verborgen.copy()
        for link in (self.zaehler_link, self.nenner_link):
            has = link >= 0
            verborgen[has] |= verborgen[link[has]] & self.schuetzen[has]
        has = self.zaehler_link >= 0
        ziele = self.zaehler_link[has]
        verborgen[ziele] |= verborgen[has] & self.schuetzen[ziele]
        return bool((verborgen != vorher).any())

    def fest(self, verborgen: np.ndarray) -> np.ndarray:
        """The value of every variable a viewer knows exactly (NaN: hidden or unknown)."""
        werte = np.full(2 * self.n + self.frei, np.nan)
        werte[:self.n] = np.where(verborgen | self.nur_wert, np.nan, self.zaehl)
        werte[self.n:2 * self.n] = np.where(verborgen, np.nan, self.nennwert)
        return werte

    def zeile(self, variable: int) -> int:
        """The row a variable belongs to (−1 for a part without a row)."""
        return variable if variable < self.n else variable - self.n if variable < 2 * self.n else -1


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


# ---------------------------------------------------------------------- secondary suppression

def _kosten(modell: Modell, relation: Relation, verborgen: np.ndarray) -> tuple[int | None, float]:
    """The cheapest visible member row with a positive count (suppressing a 0 protects nothing)."""
    best, best_cost = None, np.inf
    for variable in relation.variablen:
        cell = modell.zeile(int(variable))
        if cell < 0 or verborgen[cell] or not modell.schuetzen[cell]:
            continue
        value = modell.schaetzung[cell]
        if not value > 0:
            continue
        cost = value * (OBERSTE_KOSTEN if modell.oberste[cell] else AGGREGAT_KOSTEN
                        if cell in (relation.aggregat, relation.traeger) else 1.0)
        if cost < best_cost:
            best, best_cost = int(cell), cost
    ober = relation.aggregat
    if best is None and ober >= 0 and not verborgen[ober] and modell.schuetzen[ober] and modell.zaehl[ober] == 0:
        # every visible part is 0: a visible total of 0 pins the hidden ones to 0 and no other complement can
        # change that – the total goes instead, at the price of a count of 1 at its level
        best, best_cost = int(ober), OBERSTE_KOSTEN if modell.oberste[ober] else AGGREGAT_KOSTEN
    return best, best_cost


def _festgelegt(modell: Modell, relation: Relation, verborgen: np.ndarray, fest: np.ndarray) -> bool:
    """A count relation with exactly one member not known to the viewer, and that member a hidden count."""
    offen = relation.variablen[np.isnan(fest[relation.variablen])]
    if len(offen) != 1 or offen[0] >= modell.n:
        return False
    return bool(verborgen[offen[0]])


def _sekundaer(modell: Modell, verborgen: np.ndarray) -> None:
    """Adds complementary suppressions to `verborgen` (in place) until no count relation pins a hidden count down
    alone and the audit finds every hidden count's range at least schutzbreite wide."""
    relationen = modell.relationen
    by_cell: dict[int, list[int]] = {}
    for index, relation in enumerate(relationen):
        for variable in relation.variablen:
            cell = modell.zeile(int(variable))
            if cell >= 0:
                by_cell.setdefault(cell, []).append(index)
        if relation.traeger >= 0:
            by_cell.setdefault(relation.traeger, []).append(index)
    # a count's relations include those of the counts linked to it (its numerator/denominator rows)
    nachbarn: dict[int, set[int]] = {}
    for link in (modell.zaehler_link, modell.nenner_link):
        for zeile in np.flatnonzero(link >= 0):
            nachbarn.setdefault(int(zeile), set()).add(int(link[zeile]))
            nachbarn.setdefault(int(link[zeile]), set()).add(int(zeile))
    zaehlend = [r for r in relationen if r.zaehlt]
    offen = modell.primaer | modell.gesperrt
    for _ in range(MAX_RUNDEN):
        changed = True
        while changed:  # cheap rule first: no count relation pins a hidden count down alone
            changed = False
            fest = modell.fest(verborgen)
            for relation in zaehlend:
                if _festgelegt(modell, relation, verborgen, fest):
                    cell, _ = _kosten(modell, relation, verborgen)
                    if cell is not None:
                        verborgen[cell] = True
                        fest = modell.fest(verborgen)
                        changed = True
            if modell.verknuepfen(verborgen):
                changed = True
        # Hiding more only widens every range: a cell that passed stays protected, only the weak are re-checked.
        schwach = audit(modell, verborgen, pruefen=offen & verborgen)
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
            options = [o for o in (_kosten(modell, relationen[r], verborgen) for r in eigene) if o[0] is not None]
            if not options:  # the cell's own relations are exhausted: those of the counts linked to it
                eigene = list(dict.fromkeys(r for nb in nachbarn.get(cell, ()) for r in by_cell.get(nb, [])))
                options = [o for o in (_kosten(modell, relationen[r], verborgen) for r in eigene)
                           if o[0] is not None]
            if options:
                neu = min(options, key=lambda o: o[1])[0]
                verborgen[neu] = True
                beruehrt.update(eigene)
                beruehrt.update(by_cell.get(neu, []))
                added = True
        if not added:
            return  # nothing left to suppress in these relations: the audit's best


# ---------------------------------------------------------------------- audit

def spannen(modell: Modell, verborgen: np.ndarray, ziele: np.ndarray) -> dict[int, tuple[float, float]]:
    """(min, max) of the count Z of each row in `ziele` over everything a viewer knows (±inf where unbounded,
    (nan, nan) if the relations contradict each other)."""
    return _loesen(modell, verborgen, np.asarray(ziele, int), None)


def audit(modell: Modell, verborgen: np.ndarray, pruefen: np.ndarray | None = None) -> list[int]:
    """The rows (of `pruefen`, default all hidden) whose count's feasible range – whole persons, ⌊max⌋ − ⌈min⌉ – is
    narrower than their schutzbreite (or than a visible denominator, which already bounds it)."""
    pruefen = verborgen if pruefen is None else pruefen
    ziele = np.flatnonzero(pruefen & verborgen)
    if not len(ziele):
        return []
    fest = modell.fest(verborgen)
    noetig = modell.schutzbreite.copy()
    nenner_sichtbar = fest[modell.n:2 * modell.n]
    link_n = np.where(modell.nenner_link >= 0, fest[np.maximum(modell.nenner_link, 0)], np.nan)
    sichtbar = np.where(np.isnan(nenner_sichtbar), link_n, nenner_sichtbar)
    noetig = np.where(modell.quote & ~np.isnan(sichtbar), np.minimum(noetig, sichtbar), noetig)
    ergebnis = _loesen(modell, verborgen, ziele, noetig)
    schwach = []
    for cell in ziele:
        lo, hi = ergebnis[int(cell)]
        if np.isnan(lo) and np.isnan(hi):
            continue  # contradicting published totals: no exact path
        breite = np.floor(hi + 1e-6) - np.ceil(lo - 1e-6) if np.isfinite(hi) else np.inf
        if breite < noetig[cell] - 1e-6:
            schwach.append(int(cell))
    return schwach


def _loesen(modell: Modell, verborgen: np.ndarray, ziele: np.ndarray,
            noetig: np.ndarray | None) -> dict[int, tuple[float, float]]:
    """min/max of Z of each target row by linear programming over the connected part of the model. With `noetig`,
    a maximum whose distance to the true value already reaches it settles the target without the minimum (then
    lo is reported as the true value)."""
    fest = modell.fest(verborgen)
    offen = np.isnan(fest)
    spalte = -np.ones(len(fest), int)
    variablen = np.flatnonzero(offen)
    spalte[variablen] = np.arange(len(variablen))
    rows, cols, vals, lo, hi = [], [], [], [], []
    for relation in modell.relationen:
        if relation.traeger >= 0 and verborgen[relation.traeger]:
            continue  # the rate that showed it is hidden
        o = offen[relation.variablen]
        if not o.any():
            continue
        r = len(lo)
        for variable, koeffizient in zip(relation.variablen[o], relation.koeffizienten[o]):
            rows.append(r)
            cols.append(spalte[variable])
            vals.append(koeffizient)
        bekannt = float(np.dot(relation.koeffizienten[~o], fest[relation.variablen[~o]]))
        lo.append(relation.lo - bekannt)
        hi.append(relation.hi - bekannt)
    ergebnis = {int(c): (0.0, np.inf) for c in ziele}  # a count in no relation: anything ≥ 0
    if not lo:
        return ergebnis
    matrix = csr_matrix(coo_matrix((vals, (rows, cols)), shape=(len(lo), len(variablen))))
    lo, hi = np.array(lo), np.array(hi)
    _, part = connected_components((matrix.T @ matrix).tocsr(), directed=False)
    gruppen: dict[int, list[int]] = {}
    for c in ziele:
        gruppen.setdefault(int(part[spalte[c]]), []).append(int(c))
    reihenfolge = np.argsort(part, kind="stable")
    grenzen = np.searchsorted(part[reihenfolge], np.arange(part.max() + 2))
    matrix_csc = matrix.tocsc()
    for komponente, eigene in gruppen.items():
        vars_k = np.sort(reihenfolge[grenzen[komponente]:grenzen[komponente + 1]])
        zeilen = np.unique(matrix_csc[:, vars_k].nonzero()[0])
        if not len(zeilen):
            continue
        lokal = {int(j): k for k, j in enumerate(vars_k)}
        wahr = modell.wahr(variablen[vars_k])
        n_k = None if noetig is None else np.array([noetig[c] for c in eigene])
        werte = _spannen(matrix[zeilen][:, vars_k].tocsc(), lo[zeilen], hi[zeilen],
                         [lokal[spalte[c]] for c in eigene], wahr, n_k)
        for c, span in zip(eigene, werte):
            ergebnis[c] = span
    return ergebnis


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


def _spannen(a, lo: np.ndarray, hi: np.ndarray, ziele: list[int], wahr: np.ndarray,
             noetig: np.ndarray | None) -> list[tuple[float, float]]:
    """(min, max) of each target variable over {x ≥ 0, lo ≤ a x ≤ hi}: one HiGHS model, the objective changed per
    solve so the simplex starts from the last basis. ±inf where unbounded; (nan, nan) for all when the relations
    contradict each other."""
    h = _highs()
    h.setOptionValue("presolve", "off")
    lp = highspy.HighsLp()
    n = a.shape[1]
    inf = highspy.kHighsInf
    lp.num_col_, lp.num_row_ = n, a.shape[0]
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.full(n, inf)
    lp.row_lower_ = np.where(np.isinf(lo), -inf, lo)
    lp.row_upper_ = np.where(np.isinf(hi), inf, hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    h.passModel(lp)
    optimal = highspy.HighsModelStatus.kOptimal
    spannen, vorher = [], None
    for k, j in enumerate(ziele):
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
                return [(np.nan, np.nan)] * len(ziele)
            werte.append(h.getInfo().objective_function_value if status == optimal
                         else (np.inf if sense == highspy.ObjSense.kMaximize else 0.0))
            if noetig is not None and not np.isnan(wahr[j]) and \
                    np.floor(werte[0] + 1e-6) - wahr[j] >= noetig[k] - 1e-6:
                werte.append(wahr[j])
                break
            if np.isinf(werte[0]):
                werte.append(0.0)
                break
        spannen.append((werte[1], werte[0]))
    return spannen
