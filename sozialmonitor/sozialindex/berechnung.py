"""The Sozialindex of one definition on the published values: which areas take part and why others do not, the
z-values per indicator, status and dynamics with their classes and types, the class of the previous year, and the
certainty of each class from a parametric bootstrap of the counts.

Every value comes from the table `werte` (queries/sozialindex_werte.sql): the values after the disclosure step
(Geheimhaltung), exactly those a viewer sees. A suppressed value is missing for the index, so the index, its
z-values and its classes are functions of published values only and reveal nothing the published values do not.

Uncertainty: each area's numerator is drawn anew from its published count with the model of the goal certainty
(statistik.sicherheit.ziehungen: binomial(n, x/n), for an annual average of months binomial on the summed months as
independent months; a published rate without counts is taken as it is) for the index year and the start of the
dynamics span; the whole
standardisation runs again on every draw. The share of draws that give an area its shown class is the certainty of
that class; below `sicher_ab` (default 80 %) the class is "unsicher". Deterministic: each area × indicator draws from
its own generator seeded with SEED and the definition's, area's and indicator's codes."""

import dataclasses
import functools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from sozialmonitor.daten.config import DATA_DIR
from sozialmonitor.daten.queries import run_query
from sozialmonitor.einlesen.sozialindex import Definition, Ring, aus_gespeichert, parse_definitionen, parse_ring
from sozialmonitor.errors import SozialmonitorFehler, betriebssystem_text
from sozialmonitor.sozialindex import methode
from sozialmonitor.statistik import sicherheit

DATEI = DATA_DIR / "sozialindex.toml"
GRUENDE = {"geheim": "geheim gehalten (Geheimhaltung)", "gesperrt": "von der Quelle gesperrt",
           "fehlt": "kein Wert", "entfaellt": "entfällt"}


def definitionen(query=None, pfad: Path | None = None) -> list[Definition]:
    """The current index definitions (gespeichert). Raises EingabeFehler (German, naming file or index and key)
    when faulty, SozialmonitorFehler when the file is missing."""
    return gespeichert(query, pfad)[0]


def gespeichert(query=None, pfad: Path | None = None) -> tuple[list[Definition], Ring | None, str]:
    """(definitions, Vergleichsring, where from): the current versions stored in the database (query: name,
    **params → DataFrame over queries/sozialindex_definitionen.sql; written by the page "Sozialindex bearbeiten" or
    an import of a sozialindex.toml, each a versioned batch), else – no query, an explicit `pfad`, or nothing
    stored yet – data/sozialindex.toml (or `pfad`), the seed the demo imports. Where from: 'datenbank' or the
    file's name."""
    if pfad is None and query is not None:
        zeilen = query("sozialindex_definitionen")
        if not zeilen.empty:
            gelesen = aus_gespeichert([(r.art, r.id, json.loads(r.definition)) for r in zeilen.itertuples()])
            return *gelesen, "datenbank"
    pfad = pfad or DATEI
    data = datei_lesen(pfad, "Die Index-Definitionen")
    return parse_definitionen(data, pfad.name), parse_ring(data, pfad.name), pfad.name


def aus_json(text: str) -> Definition:
    """One stored version of an index (its JSON) as a Definition; EingabeFehler when it does not pass the checks."""
    definitionen_, _ = aus_gespeichert([("index", "", json.loads(text))])
    return definitionen_[0]


def datei_lesen(pfad: Path, was: str) -> bytes:
    """The bytes of a file the Sozialindex reads; SozialmonitorFehler in German when it cannot be read."""
    try:
        return pfad.read_bytes()
    except OSError as exc:
        raise SozialmonitorFehler(f"{was} {pfad} lassen sich nicht lesen ({betriebssystem_text(exc)}).") from exc


@dataclasses.dataclass
class Ergebnis:
    """The index of one definition and year.

    gebiete: one row per area of the level — gebiet, name, groesse, status_wert, status_klasse (text or None),
        dynamik_wert, dynamik_klasse, typ (e.g. "niedrig / negativ"), typ_nummer (1–12, 0 = none), aufmerksamkeit
        (bool), sicherheit_status, sicherheit_typ (shares 0–1, NaN where no class), unsicher (bool),
        status_klasse_vorjahr, typ_vorjahr, klasse_geaendert (bool), grund (why no status/type, German; "" if none).
    werte: one row per area in the status index × indicator — gebiet, indikator, wert (unit of the indicator), z
        (oriented), aenderung (Pp. over the span, NaN if not computable), z_aenderung (oriented, NaN outside the
        dynamics index).
    mc_fehler: the largest Monte-Carlo standard error of a certainty shown, in percentage points."""
    definition: Definition
    jahr: int
    gebiete: pd.DataFrame
    werte: pd.DataFrame
    indikatoren: pd.DataFrame  # id, name, einheit, polaritaet, nachkommastellen, richtung, gewicht
    n_status: int
    n_dynamik: int
    mc_fehler: float
    hinweise: list[str]
    groesse_name: str | None = None  # the catalogue name of the size indicator

    @property
    def basisjahr(self) -> int:
        return self.jahr - self.definition.dynamik_jahre


def katalog(query, definition: Definition) -> pd.DataFrame:
    """The definition's indicators from the catalogue, in its order, with richtung (+1 more need when higher) and
    gewicht. query: name, **params → DataFrame (queries.run_query bound to a connection, or the app's cached
    query). Raises SozialmonitorFehler (German) for an unknown indicator, a count, or one without polarity."""
    alle = query("sozialindex_indikatoren").set_index("id")
    fehler = []
    for ident in definition.indikatoren + ((definition.groesse,) if definition.groesse else ()):
        if ident not in alle.index:
            fehler.append(f"den Indikator „{ident}“ gibt es nicht im Katalog")
    for ident in definition.indikatoren:
        if ident in alle.index and alle.at[ident, "polaritaet"] == "neutral":
            fehler.append(f"„{alle.at[ident, 'name']}“ hat keine Wertung (Polarität neutral) und kann nicht in "
                          "einen Index eingehen")
        elif ident in alle.index and alle.at[ident, "art"] != "quote":
            fehler.append(f"„{alle.at[ident, 'name']}“ ist keine Quote; der Index vergleicht Anteile")
    if fehler:
        raise SozialmonitorFehler(f"Index „{definition.name}“: " + "; ".join(fehler) + ".")
    frame = alle.loc[list(definition.indikatoren)].reset_index()
    return frame.assign(richtung=np.where(frame["polaritaet"].eq("hoeher_ist_besser"), -1.0, 1.0),
                        gewicht=list(definition.gewichte))


def berechnen(con, definition: Definition, jahr: int | None = None, bootstrap: bool = True) -> Ergebnis:
    """The index of `definition` on the published values of the open (read-only) database, for `jahr` (default:
    the latest year in which every indicator has a published value at the level)."""
    return berechnen_mit(functools.partial(run_query, con), definition, jahr, bootstrap)


def berechnen_mit(query, definition: Definition, jahr: int | None = None, bootstrap: bool = True) -> Ergebnis:
    """berechnen through a query callable (name, **params → DataFrame), as the documents read the database."""
    indikatoren = katalog(query, definition)
    frame = query("sozialindex_werte", ebene=definition.ebene)
    ergebnis = rechnen(frame, indikatoren, definition, jahr, bootstrap)
    if definition.groesse:
        namen = query("sozialindex_indikatoren").set_index("id")["name"]
        ergebnis.groesse_name = namen.get(definition.groesse)
    return ergebnis


def alle(query) -> list[Ergebnis | str]:
    """Every current index (gespeichert) through a query callable; where one cannot be computed (a faulty
    definition, an unknown indicator, no common year) its German reason instead, so that a document or a
    Steckbrief says why rather than failing."""
    try:
        definitionen_ = definitionen(query)
    except SozialmonitorFehler as exc:
        return [f"Sozialindex: {exc}"]
    ergebnisse = []
    for definition in definitionen_:
        try:
            ergebnisse.append(berechnen_mit(query, definition))
        except SozialmonitorFehler as exc:
            ergebnisse.append(str(exc))
    return ergebnisse


def juengstes_jahr(frame: pd.DataFrame, definition: Definition) -> int | None:
    """The latest year in which every indicator of the definition has at least one value with status ok."""
    ok = frame[frame["status"].eq("ok") & frame["wert"].notna() & frame["indikator"].isin(definition.indikatoren)]
    if ok.empty or set(ok["indikator"]) != set(definition.indikatoren):
        return None
    return int(ok.groupby("indikator")["zeitraum"].max().astype(int).min())


def rechnen(frame: pd.DataFrame, indikatoren: pd.DataFrame, definition: Definition, jahr: int | None = None,
            bootstrap: bool = True) -> Ergebnis:
    """The index from published values. frame: columns of queries/sozialindex_werte.sql (gebiet, name, indikator,
    zeitraum 'JJJJ', zaehler, nenner, wert, status, monate); indikatoren: katalog(). Raises SozialmonitorFehler when
    no year has values for every indicator."""
    frame = frame.assign(zeitraum=frame["zeitraum"].astype("string"))
    if jahr is None:
        jahr = juengstes_jahr(frame, definition)
        if jahr is None:
            raise SozialmonitorFehler(f"Index „{definition.name}“: Nicht jeder Indikator hat einen veröffentlichten "
                                      f"Wert auf der Ebene {definition.ebene}.")
    namen = frame.drop_duplicates("gebiet").set_index("gebiet")["name"]
    gebiete = list(namen.index)
    basis = jahr - definition.dynamik_jahre
    nach = _nachschlagen(frame)
    status, hinweise = _teil(nach, indikatoren, definition, gebiete, jahr, basis)
    vorjahr, _ = _teil(nach, indikatoren, definition, gebiete, jahr - 1, basis - 1)
    tabelle = status["gebiete"].assign(name=namen.reindex(status["gebiete"]["gebiet"]).to_numpy())
    tabelle = tabelle.merge(vorjahr["gebiete"][["gebiet", "status_klasse", "typ"]].rename(
        columns={"status_klasse": "status_klasse_vorjahr", "typ": "typ_vorjahr"}), on="gebiet", how="left")
    for spalte in ("status_klasse", "dynamik_klasse", "typ", "status_klasse_vorjahr", "typ_vorjahr"):
        tabelle[spalte] = tabelle[spalte].astype(object).where(tabelle[spalte].notna(), None)
    tabelle["klasse_geaendert"] = (tabelle["status_klasse"].notna() & tabelle["status_klasse_vorjahr"].notna()
                                   & tabelle["status_klasse"].ne(tabelle["status_klasse_vorjahr"]))
    tabelle["sicherheit_status"] = np.nan
    tabelle["sicherheit_typ"] = np.nan
    mc = 0.0
    if bootstrap and status["n_status"]:
        tabelle, mc = _sicherheit(nach, indikatoren, definition, tabelle, status, jahr, basis)
    tabelle["unsicher"] = (tabelle["sicherheit_status"].lt(definition.sicher_ab)
                           | tabelle["sicherheit_typ"].lt(definition.sicher_ab))
    spalten = ["gebiet", "name", "groesse", "status_wert", "status_klasse", "dynamik_wert", "dynamik_klasse", "typ",
               "typ_nummer", "aufmerksamkeit", "sicherheit_status", "sicherheit_typ", "unsicher",
               "status_klasse_vorjahr", "typ_vorjahr", "klasse_geaendert", "grund"]
    return Ergebnis(definition, jahr, tabelle[spalten], status["werte"], indikatoren, status["n_status"],
                    status["n_dynamik"], mc, hinweise)


@dataclasses.dataclass(frozen=True)
class _Wert:
    wert: float
    zaehler: float
    nenner: float
    status: str
    monate: float


_FEHLT = _Wert(math.nan, math.nan, math.nan, "fehlt", math.nan)


def _nachschlagen(frame: pd.DataFrame) -> dict[tuple[str, str, str], _Wert]:
    """(indikator, zeitraum, gebiet) → its published value, built once (plain lookups keep the index fast)."""
    def zahl(x):
        return math.nan if x is None or pd.isna(x) else float(x)

    return {(r.indikator, str(r.zeitraum), r.gebiet): _Wert(zahl(r.wert), zahl(r.zaehler), zahl(r.nenner),
                                                             r.status if isinstance(r.status, str) else "fehlt",
                                                             zahl(r.monate))
            for r in frame[frame["indikator"].notna()].itertuples(index=False)}


def _grund(name: str, jahr: int, zeile) -> str | None:
    if zeile.status != "ok":
        return f"{name} {jahr}: {GRUENDE.get(zeile.status, zeile.status)}"
    if math.isnan(zeile.wert):
        return f"{name} {jahr}: nicht berechenbar"
    return None


def _teil(nach, indikatoren, definition, gebiete, jahr, basis) -> tuple[dict, list[str]]:
    """Status and dynamics for one year: the area table and the long z-table."""
    gruende = {g: [] for g in gebiete}
    groesse = pd.Series(np.nan, index=gebiete)
    if definition.groesse:
        groesse = pd.Series([nach.get((definition.groesse, str(jahr), g), _FEHLT) for g in gebiete], index=gebiete,
                            dtype=object).map(lambda w: w.wert if w.status == "ok" else math.nan).astype(float)
        for g in gebiete:
            if math.isnan(groesse[g]):
                gruende[g].append(f"Größe {jahr} unbekannt")
            elif groesse[g] < definition.mindestgroesse:
                gruende[g].append("zu klein für den Index")
    zu_klein = {g for g in gebiete if gruende[g]}
    jetzt = {i: {g: nach.get((i, str(jahr), g), _FEHLT) for g in gebiete} for i in definition.indikatoren}
    frueher = {i: {g: nach.get((i, str(basis), g), _FEHLT) for g in gebiete} for i in definition.indikatoren}
    name = dict(zip(indikatoren["id"], indikatoren["name"]))
    dyn_gruende = {g: [] for g in gebiete}
    for g in gebiete:
        if g in zu_klein:
            continue
        for i in definition.indikatoren:
            if (text := _grund(name[i], jahr, jetzt[i][g])) is not None:
                gruende[g].append(text)
            if (text := _grund(name[i], basis, frueher[i][g])) is not None:
                dyn_gruende[g].append(text)
    im_status = [g for g in gebiete if not gruende[g]]
    im_dynamik = [g for g in im_status if not dyn_gruende[g]]
    hinweise = []
    if len(im_status) < methode.MINDEST_GEBIETE:
        hinweise.append(f"{jahr}: nur {len(im_status)} Gebiete mit allen Werten – zu wenige für eine "
                        f"Standardisierung (mindestens {methode.MINDEST_GEBIETE}).")
        for g in im_status:
            gruende[g].append("zu wenige Gebiete mit allen Werten")
        im_status, im_dynamik = [], []
    if len(im_dynamik) < methode.MINDEST_GEBIETE:
        if im_status:
            hinweise.append(f"Dynamik {basis}–{jahr}: nur {len(im_dynamik)} Gebiete mit allen Werten – zu wenige "
                            "für eine Standardisierung.")
        for g in im_dynamik:
            dyn_gruende[g].append("zu wenige Gebiete mit allen Werten")
        im_dynamik = []
    richtung = indikatoren["richtung"].to_numpy()
    gewicht = indikatoren["gewicht"].to_numpy()
    werte_jetzt = np.array([[jetzt[i][g].wert for i in definition.indikatoren] for g in im_status], float)
    zeilen = pd.DataFrame({"gebiet": gebiete, "groesse": groesse.to_numpy()})
    zeilen["status_wert"] = np.nan
    zeilen["dynamik_wert"] = np.nan
    lang = []
    if im_status:
        z, index = methode.index_werte(werte_jetzt, richtung, gewicht)
        zeilen.loc[zeilen["gebiet"].isin(im_status), "status_wert"] = pd.Series(index, index=im_status).reindex(
            zeilen.loc[zeilen["gebiet"].isin(im_status), "gebiet"]).to_numpy()
        aenderung = {}
        z_aenderung = {}
        if im_dynamik:
            d = np.array([[jetzt[i][g].wert - frueher[i][g].wert for i in definition.indikatoren]
                          for g in im_dynamik], float)
            dz, dindex = methode.index_werte(d, richtung, gewicht)
            aenderung = dict(zip(im_dynamik, d))
            z_aenderung = dict(zip(im_dynamik, dz))
            lage = zeilen["gebiet"].isin(im_dynamik)
            zeilen.loc[lage, "dynamik_wert"] = pd.Series(dindex, index=im_dynamik).reindex(
                zeilen.loc[lage, "gebiet"]).to_numpy()
        for a, g in enumerate(im_status):
            for k, i in enumerate(definition.indikatoren):
                lang.append({"gebiet": g, "indikator": i, "wert": werte_jetzt[a, k], "z": z[a, k],
                             "aenderung": aenderung[g][k] if g in aenderung else np.nan,
                             "z_aenderung": z_aenderung[g][k] if g in z_aenderung else np.nan})
    s_nr = methode.status_klasse(zeilen["status_wert"].to_numpy(), definition.grenzen_status)
    d_nr = methode.dynamik_klasse(zeilen["dynamik_wert"].to_numpy(), definition.grenzen_dynamik)
    s_ok = zeilen["status_wert"].notna().to_numpy()
    d_ok = zeilen["dynamik_wert"].notna().to_numpy()
    zeilen["status_nr"] = np.where(s_ok, s_nr, -1)
    zeilen["dynamik_nr"] = np.where(d_ok, d_nr, -1)
    zeilen["status_klasse"] = [methode.STATUS_KLASSEN[n] if ok else None for n, ok in zip(s_nr, s_ok)]
    zeilen["dynamik_klasse"] = [methode.DYNAMIK_KLASSEN[n] if ok else None for n, ok in zip(d_nr, d_ok)]
    zeilen["typ"] = [methode.typ_name(s, d) if so and do else None for s, d, so, do in zip(s_nr, d_nr, s_ok, d_ok)]
    zeilen["typ_nummer"] = [methode.typ_nummer(s, d) if so and do else 0
                            for s, d, so, do in zip(s_nr, d_nr, s_ok, d_ok)]
    zeilen["aufmerksamkeit"] = [bool(so and methode.aufmerksamkeit(s, d if do else None))
                                for s, d, so, do in zip(s_nr, d_nr, s_ok, d_ok)]
    texte = []
    for g, so in zip(gebiete, s_ok):
        if not so:
            texte.append("kein Index: " + "; ".join(gruende[g]))
        elif dyn_gruende[g]:
            texte.append("keine Dynamik: " + "; ".join(dyn_gruende[g]))
        else:
            texte.append("")
    zeilen["grund"] = texte
    werte = pd.DataFrame(lang, columns=["gebiet", "indikator", "wert", "z", "aenderung", "z_aenderung"])
    return {"gebiete": zeilen, "werte": werte, "n_status": len(im_status), "n_dynamik": len(im_dynamik),
            "im_status": im_status, "im_dynamik": im_dynamik}, hinweise


def _ziehungen(nach, gebiete, indikator, jahre, art, faktor, definition, anzahl) -> np.ndarray:
    """(draws × areas × years) values of one indicator (statistik.sicherheit.ziehungen per area)."""
    out = np.empty((anzahl, len(gebiete), len(jahre)))
    for a, g in enumerate(gebiete):
        werte = [nach.get((indikator, str(j), g), _FEHLT) for j in jahre]

        def spalte(name: str, werte=werte) -> list[float]:
            return [getattr(w, name) for w in werte]

        rng = sicherheit.generator("sozialindex", definition.id, g, indikator)
        out[:, a, :], _ = sicherheit.ziehungen(spalte("wert"), spalte("zaehler"), spalte("nenner"),
                                               spalte("monate"), art, faktor, rng, anzahl)
    return out


def _sicherheit(nach, indikatoren, definition, tabelle, teil, jahr, basis) -> tuple[pd.DataFrame, float]:
    """Certainty of each area's status class and type: the share of bootstrap draws that give the same class."""
    im_status, im_dynamik = teil["im_status"], teil["im_dynamik"]
    anzahl = definition.ziehungen
    richtung = indikatoren["richtung"].to_numpy()
    gewicht = indikatoren["gewicht"].to_numpy()
    jetzt = np.empty((anzahl, len(im_status), len(indikatoren)))
    frueher = np.full_like(jetzt, np.nan)
    for k, row in enumerate(indikatoren.itertuples()):
        zug = _ziehungen(nach, im_status, row.id, [jahr, basis], row.art, row.faktor, definition, anzahl)
        jetzt[:, :, k], frueher[:, :, k] = zug[:, :, 0], zug[:, :, 1]
    _, index = methode.index_werte(jetzt, richtung, gewicht)
    s_zug = methode.status_klasse(index, definition.grenzen_status)
    tabelle = tabelle.set_index("gebiet")
    s_punkt = tabelle.loc[im_status, "status_nr"].to_numpy()
    treffer_s = s_zug == s_punkt
    tabelle.loc[im_status, "sicherheit_status"] = treffer_s.mean(axis=0)
    anteile = [treffer_s.mean(axis=0)]
    if im_dynamik:
        lage = [im_status.index(g) for g in im_dynamik]
        d = jetzt[:, lage, :] - frueher[:, lage, :]
        _, dindex = methode.index_werte(d, richtung, gewicht)
        d_zug = methode.dynamik_klasse(dindex, definition.grenzen_dynamik)
        d_punkt = tabelle.loc[im_dynamik, "dynamik_nr"].to_numpy()
        treffer_t = treffer_s[:, lage] & (d_zug == d_punkt)
        tabelle.loc[im_dynamik, "sicherheit_typ"] = treffer_t.mean(axis=0)
        anteile.append(treffer_t.mean(axis=0))
    mc = float(max(methode.monte_carlo_fehler(a, anzahl).max() for a in anteile)) * 100
    return tabelle.reset_index(), mc
