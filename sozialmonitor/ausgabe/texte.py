"""The sentences of the Sitzungsvorlage, from rules (ausgabe.regeln) over the evaluated data. No Streamlit.

Every number goes through fmt (German format); every value shown is a value the app shows too (suppressed values
stay 'gesperrt', never a count)."""

import math

import pandas as pd

from sozialmonitor import fmt
from sozialmonitor.karten import kartendaten
from sozialmonitor.ausgabe import steckbrief
from sozialmonitor.ziele import auswertung
from sozialmonitor.statistik import intervalle, signifikanz
from sozialmonitor.ausgabe.regeln import Regeln


def schwelle_text(value: float, einheit: str, nachkommastellen: int) -> str:
    """A target threshold as the agreement writes it: 7 → '7 %', 6.5 → '6,5 %' (no invented decimals)."""
    for stellen in range(0, max(0, nachkommastellen) + 1):
        if math.isclose(round(value, stellen), value, abs_tol=1e-9):
            return fmt.wert(value, einheit, stellen)
    return fmt.wert(value, einheit, nachkommastellen)


def subjekt(regeln: Regeln, indikator: str, indikator_name: str) -> str:
    tabelle = regeln["subjekt"]
    return regeln.fuellen(tabelle.get(indikator, tabelle["standard"]), {"indikator_name": indikator_name},
                          f"subjekt.{indikator}")


def wo(regeln: Regeln, ebene: str, gebiet_name: str) -> str:
    woerter = regeln["woerter"]
    if ebene == "kreis":
        return woerter["wo_kreis"]
    return regeln.fuellen(woerter["wo_gebiet"], {"gebiet_name": kartendaten.short_name(gebiet_name)}, "woerter.wo_gebiet")


def art(ziel) -> str:
    if auswertung.present(ziel.anzahl):
        return "abdeckung"
    return "referenz" if auswertung.present(ziel.referenz) else "schwelle"


def urteil(regeln: Regeln, ziel, row: pd.Series, gebiete: int) -> tuple[str, str]:
    """(verdict sentence, deadline sentence) of one evaluation row of a target (its Kreis or coverage row).
    ziel: a row of auswertung.overview; row: a row of auswertung.evaluate; gebiete: how many areas the target has."""
    stellen = auswertung.stellen_fuer(ziel)  # the precision the target is judged at (statistik.genauigkeit)
    spaeter = row.get("spaeter_erreicht")
    felder = {"art": art(ziel), "status": row["status"], "titel": ziel.titel, "ebene": row["ebene"],
              "spaeter_erreicht": auswertung.present(spaeter),
              "spaeter": str(int(spaeter)) if auswertung.present(spaeter) else "",
              "subjekt": subjekt(regeln, ziel.indikator, ziel.indikator_name),
              "jahr": row["zeitraum"] if auswertung.present(row["zeitraum"]) else "–",
              "wo": wo(regeln, row["ebene"], row["gebiet_name"] or ""),
              "frist": fmt.datum(ziel.frist), "fristjahr": str(ziel.frist.year),
              "status_text": auswertung.STATUS[row["status"]].text, "anzahl": "", "erfuellt": "", "gebiete": "",
              "vorgabe": "", "referenz": ziel.referenz_name if auswertung.present(ziel.referenz) else "",
              "wert": "–", "ziel": "", "lage": "", "vergleichswert": "", "prognose": "–"}
    if auswertung.present(row["erreicht"]):
        felder["erreicht"] = bool(row["erreicht"])
    if auswertung.present(row["signifikant"]):
        felder["signifikant"] = bool(row["signifikant"])
    if felder["art"] == "abdeckung":
        felder.update(erfuellt=fmt.zahl(row["wert"]) if auswertung.present(row["wert"]) else "–",
                      gebiete=fmt.zahl(gebiete), anzahl=fmt.zahl(int(ziel.anzahl)),
                      vorgabe=f"Wert {auswertung.ZEICHEN[ziel.vergleich]} "
                              + (ziel.referenz_name if auswertung.present(ziel.referenz)
                                 else schwelle_text(ziel.schwelle, ziel.einheit, stellen)))
        if auswertung.present(row["prognose"]):
            felder["prognose"] = fmt.anzahl(int(round(row["prognose"])), "Gebiet", "Gebieten")
    elif auswertung.present(row["wert"]):
        gerundet = auswertung.runden(float(row["wert"]), stellen)
        vergleich = float(row["vergleichswert"]) if auswertung.present(row["vergleichswert"]) else math.nan
        woerter = regeln["woerter"]
        felder.update(
            wert=fmt.wert(gerundet, ziel.einheit, stellen),
            ziel=schwelle_text(ziel.schwelle, ziel.einheit, stellen) if auswertung.present(ziel.schwelle) else "",
            vergleichswert=fmt.wert(vergleich, ziel.einheit, stellen),
            lage=(woerter["lage_ueber"] if gerundet > auswertung.runden(vergleich, stellen) else
                  woerter["lage_unter"] if gerundet < auswertung.runden(vergleich, stellen) else woerter["lage_gleich"]),
        )
        if auswertung.present(row["prognose"]):
            felder["prognose"] = fmt.wert(row["prognose"], ziel.einheit, stellen)
    felder["abstand"] = regeln.waehle("abstand", felder)
    satz = regeln.waehle("urteil", felder)
    return satz, regeln.waehle("stand", felder)


def urteile(regeln: Regeln, uebersicht: pd.DataFrame, bewertung: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Target id → (verdict sentence, deadline sentence) for the row that speaks for the target."""
    result = {}
    for ziel in uebersicht.itertuples(index=False):
        head = auswertung.headline(bewertung, ziel.id)
        # the target's areas as evaluated (all of them – a reader restricted to one area has only its row)
        gebiete = (int(head["gebiete_anzahl"]) if auswertung.present(head.get("gebiete_anzahl"))
                   else len(auswertung.area_rows(ziel, bewertung)))
        result[ziel.id] = urteil(regeln, ziel, head, gebiete)
    return result


def _reihen(werte: pd.DataFrame, indikator: kartendaten.Indikator):
    for gebiet, reihe in werte[werte["indikator"].eq(indikator.id)].groupby("gebiet", sort=False):
        yield gebiet, kartendaten.prepare_values(reihe.sort_values("zeitraum"), indikator)


def veraenderungen(regeln: Regeln, werte: pd.DataFrame, indikatoren: pd.DataFrame) -> list[str]:
    """Statistically significant changes from the previous year to the latest (rates only; the map page's and the
    Steckbrief's test, signifikanz.veraenderung_gesichert at 95 %, never for a rate that is not reliable), for
    every area of `werte` (jahreswerte_ebene.sql rows of the Kreis and the Sozialräume). Empty list when there is
    none."""
    saetze = []
    woerter = regeln["woerter"]
    for spec in indikatoren.itertuples(index=False):
        indikator = kartendaten.Indikator.from_row(spec._asdict())
        if not indikator.ist_quote:
            continue
        for _, reihe in _reihen(werte, indikator):
            known = reihe[reihe["wert"].notna() & reihe["status"].eq("ok")]
            if len(known) < 2:
                continue
            before, after = known.iloc[-2], known.iloc[-1]
            if int(after["zeitraum"]) - int(before["zeitraum"]) != 1:
                continue
            (z0, n0), (z1, n1) = (intervalle.fallzahlen(r["zaehler"], r["nenner"], r["monate"])
                                  for r in (before, after))
            if not (n0 and n1) or not signifikanz.veraenderung_gesichert(
                    z0, n0, z1, n1, belastbar=not (before["unsicher"] or after["unsicher"])):
                continue
            differenz = float(after["wert"] - before["wert"])
            saetze.append(regeln.fuellen(regeln["veraenderung"]["satz"], {
                "subjekt": subjekt(regeln, indikator.id, indikator.name),
                "wo": wo(regeln, after["ebene"], after["name"]), "vorjahr": before["zeitraum"],
                "jahr": after["zeitraum"], "alt": before["wert_text"], "neu": after["wert_text"],
                "richtung": woerter["gestiegen"] if differenz > 0 else woerter["gesunken"],
                "differenz": indikator.differenz(differenz)}, "veraenderung.satz"))
    return saetze


def _aufzaehlung(teile: list[str], hoechstens: int | None = None) -> str:
    """'A', 'A und B', 'A, B und C'; beyond `hoechstens`: 'A, B, … und 7 weitere'."""
    if hoechstens is not None and len(teile) > hoechstens:
        return f"{', '.join(teile[:hoechstens])} und {len(teile) - hoechstens} weitere"
    return teile[0] if len(teile) == 1 else f"{', '.join(teile[:-1])} und {teile[-1]}"


def auffaellige_gebiete(regeln: Regeln, kreis: pd.DataFrame, gebiete: pd.DataFrame,
                        indikatoren: pd.DataFrame) -> list[str]:
    """Per rate: the areas whose 95 % Wilson interval lies wholly above / below their Kreis' value in the Kreis'
    latest year (intervalle.abstand, the Steckbrief's comparison with the Kreis; a rate that is not reliable never
    stands out), above/below without a judgement."""
    saetze = []
    for spec in indikatoren.itertuples(index=False):
        indikator = kartendaten.Indikator.from_row(spec._asdict())
        if not indikator.ist_quote:
            continue
        for kreis_code, kreis_reihe in _reihen(kreis, indikator):
            known = kreis_reihe[kreis_reihe["wert"].notna()]
            if known.empty:
                continue
            latest = known.iloc[-1]
            teile = gebiete[gebiete["indikator"].eq(indikator.id) & gebiete["uebergeordnet"].eq(kreis_code)
                            & gebiete["zeitraum"].eq(latest["zeitraum"])]
            teile = kartendaten.prepare_values(teile, indikator)
            lagen: dict[str, list[str]] = {"hoeher": [], "niedriger": []}
            for _, r in teile.sort_values("wert", ascending=False).iterrows():
                zaehler, nenner = intervalle.fallzahlen(r["zaehler"], r["nenner"], r["monate"])
                if zaehler is None:
                    continue
                lage = steckbrief.vergleich_key(intervalle.abstand(zaehler, nenner, indikator.faktor, latest["wert"],
                                                                   belastbar=not r["unsicher"]),
                                                latest["wert"], "neutral")
                if lage in lagen:
                    lagen[lage].append(f"{kartendaten.short_name(r['name'])} ({r['wert_text']})")
            felder = {"subjekt": subjekt(regeln, indikator.id, indikator.name), "jahr": latest["zeitraum"],
                      "kreiswert": latest["wert_text"]}
            for lage, key in (("hoeher", "ueber"), ("niedriger", "unter")):
                if lagen[lage]:
                    saetze.append(regeln.fuellen(regeln["auffaellig"][key],
                                                 felder | {"gebiete": _aufzaehlung(lagen[lage]),
                                                           "lagen": "lag" if len(lagen[lage]) == 1 else "lagen"},
                                                 f"auffaellig.{key}"))
    return saetze


EBENEN = {"kreis": "Kreis", "sozialraum": "Sozialräume", "gemeinde": "Gemeinden"}
# Why a value is not shown, as the tables write it (fmt.STATUS_TEXT): the official statistics' suppression and the
# Sozialmonitor's own (sozialmonitor.geheimhaltung) are different facts and get different words.
VERBORGEN = ("gesperrt", "geheim")


def _gebietsliste(frame: pd.DataFrame, hoechstens: int = 12) -> str:
    """'Sozialräume Artern und Ebeleben; Gemeinden A, B, … und 7 weitere' (rows with name and ebene)."""
    return "; ".join(f"{EBENEN.get(ebene, ebene)} "
                     f"{_aufzaehlung([kartendaten.short_name(n) for n in gruppe['name']], hoechstens)}"
                     for ebene, gruppe in frame.groupby("ebene", sort=False))


def hinweise(regeln: Regeln, demo: bool, werte: pd.DataFrame, indikatoren: pd.DataFrame) -> list[str]:
    """Caveats about each indicator's latest year, each built from the values it speaks of: demo data; values
    suppressed by the official statistics ('gesperrt') and by the Sozialmonitor's own rule ('geheim'), counted and
    named separately; values that cannot be computed because parts are hidden; rates that are not reliable, each
    indicator with its own rule from the catalogue. werte: annual values of the areas the document talks about
    (jahreswerte_ebene.sql rows of Kreis, Sozialräume, Gemeinden); indikatoren: map_indicators.sql."""
    texte = regeln["hinweise"]
    result = [texte["demo"]] if demo else []
    verborgen: dict[str, list[str]] = {status: [] for status in VERBORGEN}
    anzahl = {status: 0 for status in VERBORGEN}
    teilweise, klein = [], []
    for spec in indikatoren.itertuples(index=False):
        indikator = kartendaten.Indikator.from_row(spec._asdict())
        eigene = werte[werte["indikator"].eq(indikator.id)]
        if eigene.empty:
            continue
        jahr = eigene["zeitraum"].max()
        letzte = kartendaten.prepare_values(eigene[eigene["zeitraum"].eq(jahr)], indikator)
        for status in VERBORGEN:
            betroffen = letzte[letzte["status"].eq(status)]
            if len(betroffen):
                anzahl[status] += len(betroffen)
                verborgen[status].append(f"{indikator.name} {jahr}: {_gebietsliste(betroffen)}")
        offen = letzte[~letzte["status"].isin(VERBORGEN) & letzte["wert"].isna()
                       & pd.to_numeric(letzte["teile_gesperrt"], errors="coerce").fillna(0).gt(0)]
        for _, r in offen.iterrows():
            teilweise.append(f"{indikator.name} {jahr}: {kartendaten.short_name(r['name'])} "
                             f"({EBENEN.get(r['ebene'], r['ebene'])}, {r['wert_text']})")
        kleine = letzte[letzte["unsicher"]]
        if len(kleine):
            je_monat = "herkunft" in kleine and kleine["herkunft"].eq("jahresdurchschnitt").any()
            klein.append(f"{indikator.name} {jahr} (Regel: {indikator.regel_text(je_monat)}): "
                         f"{_gebietsliste(kleine)}")
    for status in VERBORGEN:
        if verborgen[status]:
            result.append(regeln.fuellen(texte[status], {
                "anzahl": fmt.anzahl(anzahl[status], "Wert", "Werte"), "liste": "; ".join(verborgen[status])},
                f"hinweise.{status}"))
    if teilweise:
        result.append(regeln.fuellen(texte["teilweise"], {"liste": "; ".join(teilweise)}, "hinweise.teilweise"))
    if not any(verborgen.values()) and not teilweise:
        result.append(texte["keine_gesperrt"])
    if klein:
        result.append(regeln.fuellen(texte["geringe_fallzahl"], {"liste": "; ".join(klein)},
                                     "hinweise.geringe_fallzahl"))
    return result
