"""The Vergleichsring: the k Kreise of Germany most similar to the own Kreis by the structural indicators the
planner chose, and their mean as a comparison line beside Kreis, Land and Bund.

Similarity: each indicator's rate of every Kreis with all chosen indicators in the year is z-standardised over
those Kreise (mean, standard deviation with n − 1), and the distance between two Kreise is the Euclidean distance of
their z-vectors. Standardising first gives every chosen indicator the same say whatever its unit and spread (a
1-Pp. difference in a 20-% rate is not the same as in a 5-% rate); the Euclidean distance is the one the
IAB-Vergleichstypen' nearest-neighbour matrix and ONS' "similar areas" use, and it is what a planner can check by
hand. A Mahalanobis distance would discount correlated indicators but needs a covariance that a handful of chosen
indicators do not estimate stably, and it would hide why two Kreise count as similar.

The ring's value of a rate is Σ numerators / Σ denominators of its Kreise × the indicator's factor: the mean
weighted by the population it rests on, from counts. The own Kreis' values are the published ones of the database
(table werte); the other Kreise' come from the reference data file (einlesen.vergleichsring)."""

import dataclasses
import math

import numpy as np
import pandas as pd

from sozialmonitor import fmt
from sozialmonitor.einlesen import register
from sozialmonitor.einlesen.sozialindex import Ring
from sozialmonitor.errors import SozialmonitorFehler
from sozialmonitor.sozialindex import methode
from sozialmonitor.sozialindex.berechnung import gespeichert


@dataclasses.dataclass
class Vergleichsring:
    """nachbarn: rang, kreis, name, land (name), abstand, and per indicator its rate (column = indicator id).
    vergleich: one row per indicator — indikator, name, einheit, nachkommastellen, kreis, ring, land, bund (values
    in the indicator's unit, NaN where none), land_jahr, bund_jahr (the year of that value: the latest up to the
    ring's year)."""
    ring: Ring
    kreis_name: str
    jahr: int
    nachbarn: pd.DataFrame
    vergleich: pd.DataFrame
    n_kreise: int
    synthetisch: bool
    reihen: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    # the ring's value per indicator and year (its Kreise held fixed): indikator, zeitraum, zaehler, nenner, wert
    typ: str | None = None  # the fixed ring: "Typ IIa (SGB-II-Vergleichstypen)"; None: the k nearest neighbours


def ring_definition(query=None) -> Ring | None:
    """The current Vergleichsring definition (stored in the database, else data/sozialindex.toml; None without)."""
    return gespeichert(query)[1]


def kreise_lesen(query) -> tuple[pd.DataFrame, bool]:
    """The imported Kreis values (queries/vergleichskreise.sql: kreis, indikator, zeitraum, zaehler, nenner) and
    whether any of them came from a file marked synthetic. SozialmonitorFehler (German) when none are imported."""
    kreise = query("vergleichskreise")
    if kreise.empty:
        raise SozialmonitorFehler("Vergleichsring: Es sind keine Vergleichsdaten der Kreise importiert (Seite "
                                  "„Daten“, Art „Vergleichsdaten der Kreise“, Spalten kreis;indikator;zeitraum;"
                                  "zaehler;nenner).")
    return kreise, bool(kreise["synthetisch"].any())


def berechnen_mit(query, ring: Ring, kreise: pd.DataFrame, synthetisch: bool = False) -> Vergleichsring:
    """The ring of `ring.kreis`. query: name, **params → DataFrame (queries/sozialindex_vergleich.sql,
    sozialindex_indikatoren.sql, vergleichstypen.sql); kreise: kreis, indikator, zeitraum, zaehler, nenner (the
    imported reference data). Raises SozialmonitorFehler (German) when the own Kreis or an indicator is missing,
    fewer than k other Kreise have all values, or a fixed ring finds no type for the Kreis."""
    katalog = query("sozialindex_indikatoren").set_index("id")
    unbekannt = [i for i in ring.indikatoren if i not in katalog.index]
    if unbekannt:
        raise SozialmonitorFehler(f"Vergleichsring: den Indikator „{unbekannt[0]}“ gibt es nicht im Katalog.")
    keine_quote = [i for i in ring.indikatoren if katalog.at[i, "art"] != "quote"]
    if keine_quote:
        raise SozialmonitorFehler(f"Vergleichsring: „{katalog.at[keine_quote[0], 'name']}“ ist keine Quote.")
    db = query("sozialindex_vergleich")
    eigene = db[db["gebiet"].eq(ring.kreis) & db["status"].eq("ok") & db["wert"].notna()]
    if eigene.empty:
        raise SozialmonitorFehler(f"Vergleichsring: Der Kreis {ring.kreis} hat keine veröffentlichten Werte in der "
                                  "Datenbank.")
    kreis_name = str(eigene["name"].iloc[0])
    andere = kreise[kreise["kreis"].ne(ring.kreis) & kreise["indikator"].isin(ring.indikatoren)
                    & kreise["nenner"].gt(0)]
    faktor = katalog["faktor"].astype(float)
    andere = andere.assign(wert=andere["zaehler"] / andere["nenner"] * andere["indikator"].map(faktor))
    jahre_eigen = set.intersection(*[set(eigene.loc[eigene["indikator"].eq(i), "zeitraum"])
                                     for i in ring.indikatoren])
    jahre_andere = set(andere["zeitraum"])
    gemeinsam = sorted(jahre_eigen & jahre_andere)
    if not gemeinsam:
        raise SozialmonitorFehler("Vergleichsring: Kein Jahr hat Werte aller Indikatoren für den Kreis und die "
                                  "Vergleichsdaten.")
    jahr = gemeinsam[-1]
    tafel = andere[andere["zeitraum"].eq(jahr)].pivot(index="kreis", columns="indikator", values="wert")
    tafel = tafel.reindex(columns=list(ring.indikatoren)).dropna()
    eigen = eigene[eigene["zeitraum"].eq(jahr)].set_index("indikator")["wert"].reindex(list(ring.indikatoren))
    if len(tafel) < ring.k:
        raise SozialmonitorFehler(f"Vergleichsring: nur {len(tafel)} andere Kreise haben {jahr} alle Werte "
                                  f"(gebraucht: {ring.k}).")
    alle = pd.concat([pd.DataFrame([eigen.to_numpy()], index=[ring.kreis], columns=tafel.columns), tafel])
    z = methode.standardisieren(alle.to_numpy().T).T
    abstand = np.sqrt(((z[1:] - z[0]) ** 2).sum(axis=1))
    reihenfolge = np.argsort(abstand, kind="stable")[: ring.k]
    typ = None
    if ring.vergleichstyp:
        reihenfolge, typ = _fester_ring(query, ring, tafel.index, abstand)
        ring = dataclasses.replace(ring, k=len(reihenfolge))
    reg = register.register().set_index("code")
    nachbarn = pd.DataFrame({
        "rang": range(1, ring.k + 1), "kreis": tafel.index[reihenfolge],
        "name": [reg.at[c, "name"] for c in tafel.index[reihenfolge]],
        "land": [reg.at[reg.at[c, "uebergeordnet"], "name"] for c in tafel.index[reihenfolge]],
        "abstand": abstand[reihenfolge]})
    for i in ring.indikatoren:
        nachbarn[i] = tafel[i].to_numpy()[reihenfolge]
    im_ring = andere[andere["zeitraum"].eq(jahr) & andere["kreis"].isin(nachbarn["kreis"])]
    summen = im_ring.groupby("indikator")[["zaehler", "nenner"]].sum()
    land = eigene["uebergeordnet"].iloc[0]
    zeilen = []
    for i in ring.indikatoren:
        def wert_von(gebiet):
            """The latest published value up to the ring's year (Land and Bund publish later): (value, year)."""
            teil = db[db["gebiet"].eq(gebiet) & db["indikator"].eq(i) & db["zeitraum"].le(jahr) & db["status"].eq("ok")
                      & db["wert"].notna()].sort_values("zeitraum")
            return (float(teil["wert"].iloc[-1]), str(teil["zeitraum"].iloc[-1])) if len(teil) else (math.nan, "")

        (land_wert, land_jahr), (bund_wert, bund_jahr) = wert_von(land), wert_von("DG")
        zeilen.append({"indikator": i, "name": katalog.at[i, "name"], "einheit": katalog.at[i, "einheit"],
                       "nachkommastellen": int(katalog.at[i, "nachkommastellen"]), "kreis": float(eigen[i]),
                       "ring": float(summen.at[i, "zaehler"] / summen.at[i, "nenner"] * faktor[i]),
                       "land": land_wert, "land_jahr": land_jahr, "bund": bund_wert, "bund_jahr": bund_jahr})
    alle_jahre = andere[andere["kreis"].isin(nachbarn["kreis"])]
    vollstaendig = alle_jahre.groupby(["indikator", "zeitraum"])["kreis"].transform("nunique").eq(ring.k)
    reihen = (alle_jahre[vollstaendig].groupby(["indikator", "zeitraum"], as_index=False)[["zaehler", "nenner"]].sum())
    reihen["wert"] = reihen["zaehler"] / reihen["nenner"] * reihen["indikator"].map(faktor)
    return Vergleichsring(ring, kreis_name, int(jahr), nachbarn, pd.DataFrame(zeilen), len(alle), synthetisch, reihen,
                          typ)


def _fester_ring(query, ring: Ring, kreise: pd.Index, abstand: np.ndarray) -> tuple[np.ndarray, str]:
    """The positions (in kreise, nearest first) of the other Kreise of the own Kreis' imported Vergleichstyp, and
    the type as text. SozialmonitorFehler when no grouping is imported or the Kreis has no type."""
    typen = query("vergleichstypen").set_index("kreis")
    if ring.kreis not in typen.index:
        raise SozialmonitorFehler(f"Vergleichsring: Für den Kreis {ring.kreis} ist kein Vergleichstyp importiert "
                                  "(Seite „Daten“, Art „Vergleichstypen der Kreise“).")
    typ, typologie = typen.at[ring.kreis, "typ"], typen.at[ring.kreis, "typologie"]
    gleich = typen.index[typen["typ"].eq(typ)]
    lage = np.flatnonzero(kreise.isin(gleich))
    if lage.size == 0:
        raise SozialmonitorFehler(f"Vergleichsring: Kein anderer Kreis des Vergleichstyps {typ} hat alle Werte.")
    return lage[np.argsort(abstand[lage], kind="stable")], f"Typ {typ} ({typologie})"


def zeitreihe(v: "Vergleichsring | str | None", indikator: str) -> pd.DataFrame:
    """The ring's annual values of one indicator as rows shaped like queries/area_time_series.sql (rolle
    'referenz', ebene 'vergleichsring'), for the time series beside Kreis, Land and Bund; empty without a ring or
    for an indicator it does not carry. A year is in it only when every Kreis of the ring has a value."""
    spalten = ["gebiet", "name", "ebene", "rolle", "zeitraum", "zaehler", "nenner", "wert", "status", "herkunft",
               "teile_gesperrt", "teile_fehlend", "monate", "kennzeichen"]
    if not isinstance(v, Vergleichsring) or v.reihen.empty:
        return pd.DataFrame(columns=spalten)
    teil = v.reihen[v.reihen["indikator"].eq(indikator)]
    name = ring_name(v)
    return pd.DataFrame({"gebiet": "vergleichsring", "name": name, "ebene": "vergleichsring", "rolle": "referenz",
                         "zeitraum": teil["zeitraum"].astype(str).to_numpy(), "zaehler": teil["zaehler"].to_numpy(),
                         "nenner": teil["nenner"].to_numpy(), "wert": teil["wert"].to_numpy(), "status": "ok",
                         "herkunft": "erhoben", "teile_gesperrt": 0, "teile_fehlend": 0, "monate": float("nan"),
                         "kennzeichen": None}, columns=spalten)


RING_GEBIET = "vergleichsring"  # the code of the ring's rows beside the areas (no area has it: codes are AGS)


def ring_name(v: Vergleichsring) -> str:
    """The ring as a line of a chart or a table: 'Vergleichsring: 5 ähnliche Kreise, synthetisch' (no brackets:
    the charts shorten a name at its first bracket)."""
    art = f"Kreise des {v.typ.split(' (')[0].replace('Typ ', 'Typs ')}" if v.typ else "ähnliche Kreise"
    return f"Vergleichsring: {v.ring.k} {art}" + (", synthetisch" if v.synthetisch else "")


def ziel_reihen(v: "Vergleichsring | str | None", katalog: pd.DataFrame) -> pd.DataFrame:
    """The ring's annual values as rows of queries/ziel_jahreswerte.sql (rolle 'vergleich', gebiet
    'vergleichsring', ebene 'vergleichsring') for every target of katalog (ziele_katalog: id, indikator) whose
    indicator the ring carries – the comparison line beside Kreis, Land and Bund on the goal page and in the
    documents. Population-weighted: Σ numerators / Σ denominators of the ring's Kreise. Empty without a ring."""
    spalten = ["ziel", "gebiet", "gebiet_name", "ebene", "rolle", "jahr", "wert", "zaehler", "nenner", "status",
               "monate", "kennzeichen", "ohne_daten"]
    if not isinstance(v, Vergleichsring) or v.reihen.empty or katalog.empty:
        return pd.DataFrame(columns=spalten)
    teile = []
    for ziel, indikator in zip(katalog["id"], katalog["indikator"]):
        reihe = v.reihen[v.reihen["indikator"].eq(indikator)]
        if reihe.empty:
            continue
        teile.append(pd.DataFrame({
            "ziel": ziel, "gebiet": RING_GEBIET, "gebiet_name": ring_name(v), "ebene": RING_GEBIET,
            "rolle": "vergleich", "jahr": reihe["zeitraum"].astype(int).to_numpy(), "wert": reihe["wert"].to_numpy(),
            "zaehler": reihe["zaehler"].to_numpy(), "nenner": reihe["nenner"].to_numpy(), "status": "ok",
            "monate": pd.NA, "kennzeichen": None, "ohne_daten": None}, columns=spalten))
    if not teile:
        return pd.DataFrame(columns=spalten)
    return pd.concat(teile, ignore_index=True).astype({"jahr": "Int32", "monate": "Int32"})


def berechnen(query) -> Vergleichsring | str | None:
    """The current ring (ring_definition) through a query callable on the imported Kreis values; None without a
    ring; the German reason as text when it cannot be computed (faulty definition, no or missing values)."""
    try:
        ring = ring_definition(query)
        if ring is None:
            return None
        kreise, synthetisch = kreise_lesen(query)
        return berechnen_mit(query, ring, kreise, synthetisch)
    except SozialmonitorFehler as exc:
        return str(exc)


def methodentext(v: Vergleichsring) -> str:
    namen = ", ".join(v.vergleich["name"])
    if v.typ:
        auswahl = (f"Vergleichsring für {v.kreis_name}: ein fester Ring aus den {v.ring.k} anderen Kreisen desselben "
                   f"veröffentlichten Vergleichstyps ({v.typ}) mit allen Werten {v.jahr}. Der Abstand daneben dient "
                   f"nur der Orientierung, gemessen an {namen}: ")
    else:
        auswahl = (f"Vergleichsring für {v.kreis_name}: die {v.ring.k} Kreise mit dem kleinsten Abstand unter "
                   f"{fmt.zahl(v.n_kreise)} Kreisen mit allen Werten {v.jahr}, gemessen an {namen}. ")
    return (auswahl + "Jede Quote wird über die "
            "Kreise z-standardisiert (Standardabweichung mit n − 1), der Abstand ist der euklidische Abstand der "
            "z-Werte: jede gewählte Größe zählt gleich viel, unabhängig von Einheit und Streuung, und der Abstand "
            "lässt sich nachrechnen (wie die Nachbarschaftsmatrix der IAB-Vergleichstypen). Ein Mahalanobis-Abstand "
            "würde zusammenhängende Größen abwerten, braucht aber eine Kovarianz, die wenige gewählte Quoten nicht "
            "stabil schätzen, und verbärge, warum zwei Kreise als ähnlich gelten. Der Wert des Rings ist "
            "Summe der Zähler durch Summe der Nenner seiner Kreise, also nach Bevölkerung gewichtet."
            + (" Die Werte der anderen Kreise sind synthetische Demodaten, keine amtlichen Zahlen." if v.synthetisch
               else ""))


def _mit_jahr(wert, jahr: str, r, ring_jahr: int) -> str:
    text = fmt.wert(wert, r.einheit, r.nachkommastellen)
    return text if not jahr or jahr == str(ring_jahr) or text == "–" else f"{text} ({jahr})"


def tabellen(v: Vergleichsring) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(neighbours, comparison) as German text tables for pages and documents."""
    nachbarn = pd.DataFrame({"Rang": v.nachbarn["rang"], "Kreis": v.nachbarn["name"], "Land": v.nachbarn["land"],
                             "Abstand": fmt.zahlen(v.nachbarn["abstand"], 2)})
    for r in v.vergleich.itertuples():
        nachbarn[f"{r.name} {v.jahr}"] = [fmt.wert(x, r.einheit, r.nachkommastellen) for x in v.nachbarn[r.indikator]]
    vergleich = pd.DataFrame({
        "Indikator": v.vergleich["name"],
        v.kreis_name: [fmt.wert(r.kreis, r.einheit, r.nachkommastellen) for r in v.vergleich.itertuples()],
        f"Vergleichsring ({v.ring.k} Kreise)": [fmt.wert(r.ring, r.einheit, r.nachkommastellen)
                                                for r in v.vergleich.itertuples()],
        "Land": [_mit_jahr(r.land, r.land_jahr, r, v.jahr) for r in v.vergleich.itertuples()],
        "Bund": [_mit_jahr(r.bund, r.bund_jahr, r, v.jahr) for r in v.vergleich.itertuples()]})
    return nachbarn, vergleich


def json_daten(v: Vergleichsring) -> dict:
    return {"kreis": v.ring.kreis, "name": v.kreis_name, "jahr": v.jahr, "k": v.ring.k, "kreise_mit_werten": v.n_kreise,
            "synthetisch": v.synthetisch, "indikatoren": list(v.ring.indikatoren), "vergleichstyp": v.typ,
            "nachbarn": [{"rang": int(r.rang), "kreis": r.kreis, "name": r.name, "land": r.land,
                          "abstand": float(r.abstand)} for r in v.nachbarn.itertuples()],
            "vergleich": [{"indikator": r.indikator, "kreis": r.kreis, "ring": r.ring,
                           "land": None if math.isnan(r.land) else r.land, "land_jahr": r.land_jahr or None,
                           "bund": None if math.isnan(r.bund) else r.bund, "bund_jahr": r.bund_jahr or None} for r in v.vergleich.itertuples()]}


def bericht(v: Vergleichsring) -> str:
    zeilen = [f"Vergleichsring für {v.kreis_name} ({v.jahr}, {v.ring.k} ähnlichste von {fmt.zahl(v.n_kreise)} Kreisen"
              + (", Vergleichsdaten synthetisch" if v.synthetisch else "") + "):"]
    zeilen += [f"  {r.rang}. {r.name} ({r.land}), Abstand {fmt.zahl(r.abstand, 2)}" for r in v.nachbarn.itertuples()]
    for r in v.vergleich.itertuples():
        zeilen.append(f"  {r.name}: Kreis {fmt.wert(r.kreis, r.einheit, r.nachkommastellen)}, Ring "
                      f"{fmt.wert(r.ring, r.einheit, r.nachkommastellen)}, Land {_mit_jahr(r.land, r.land_jahr, r, v.jahr)}, "
                      f"Bund {_mit_jahr(r.bund, r.bund_jahr, r, v.jahr)}")
    return "\n".join(zeilen)


def steckbrief_zeile(v: "Vergleichsring | str | None") -> str | None:
    """The ring as one line for a Steckbrief: 'Vergleichsring (5 ähnliche Kreise, synthetisch) 2024: SGB-II-Quote …
    21,1 % (Kyffhäuserkreis 18,6 %); …', the reason text where it cannot be computed, None without a ring."""
    if v is None or isinstance(v, str):
        return v
    teile = [f"{r.name} {fmt.wert(r.ring, r.einheit, r.nachkommastellen)} ({v.kreis_name} "
             f"{fmt.wert(r.kreis, r.einheit, r.nachkommastellen)})" for r in v.vergleich.itertuples()]
    return (f"Vergleichsring ({v.ring.k} ähnliche Kreise" + (", Vergleichsdaten synthetisch" if v.synthetisch else "")
            + f") {v.jahr}: " + "; ".join(teile))
