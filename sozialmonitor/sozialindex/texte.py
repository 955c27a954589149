"""What the Sozialindex says in German: the method text with every configured number, the area table for pages and
documents, the JSON of `python -m sozialmonitor sozialindex --json` and its text report. Every sentence is built
from the result it speaks of."""

import math

import pandas as pd

from sozialmonitor import fmt
from sozialmonitor.sozialindex import karte, methode
from sozialmonitor.sozialindex.berechnung import Ergebnis

QUELLEN = (
    ("Monitoring Soziale Stadtentwicklung Berlin (MSS), Senatsverwaltung für Stadtentwicklung: Status- und "
     "Dynamikindex aus z-standardisierten Index-Indikatoren, 4 Status- × 3 Dynamikklassen = 12 Gruppen, "
     "Planungsräume unter 300 Einwohnern bleiben außen vor",
     "https://fbinter.stadt-berlin.de/fb_daten/beschreibung/sozstadt_2015LOR.html"),
    ("RISE-Sozialmonitoring Hamburg, Behörde für Stadtentwicklung und Wohnen: Statistische Gebiete ab 300 "
     "Einwohnern, Statusindex hoch/mittel/niedrig/sehr niedrig, Dynamik über drei Jahre, Gebiete mit "
     "Aufmerksamkeitsbedarf",
     "https://www.hamburg.de/politik-und-verwaltung/behoerden/behoerde-fuer-stadtentwicklung-und-wohnen/themen/"
     "stadtentwicklung/integrierte-stadtteilentwicklung/sozialmonitoring-bericht-2022-286260"),
)
EBENE_TEXT = {"sozialraum": "Sozialräume", "gemeinde": "Gemeinden"}


def _z(value) -> str:
    """A z-value with its sign and two decimals: '+1,16', '−0,26'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = fmt.zahl(abs(value), 2)
    return ("−" if value < 0 and text != "0,00" else "+" if value > 0 and text != "0,00" else "±") + text


def _prozent(anteil) -> str:
    if anteil is None or (isinstance(anteil, float) and math.isnan(anteil)):
        return "–"
    return f"{fmt.zahl(100 * anteil, 0)} %"


def methodentext(ergebnis: Ergebnis) -> list[str]:
    """The German method text as paragraphs, with every number of the definition and the year's counts."""
    d = ergebnis.definition
    ind = ergebnis.indikatoren
    gleich = len(set(d.gewichte)) == 1
    namen = ", ".join(
        f"{r.name} ({'höher = mehr Bedarf' if r.richtung > 0 else 'höher = weniger Bedarf, umgedreht'}"
        + ("" if gleich else f", Gewicht {fmt.zahl(r.gewicht, 1)}") + ")" for r in ind.itertuples())
    a, b, c = (_z(g) for g in d.grenzen_status)
    da, db = (_z(g) for g in d.grenzen_dynamik)
    groesse = (f"Es gehen nur {EBENE_TEXT[d.ebene]} mit mindestens {fmt.zahl(d.mindestgroesse)} ein, gemessen am "
               f"Indikator „{ergebnis.groesse_name or d.groesse}“; kleinere sind „zu klein für den Index“." if d.groesse else
               "Eine Mindestgröße ist nicht festgelegt (kein Größen-Indikator angegeben).")
    absaetze = [
        f"{d.name}: {EBENE_TEXT[d.ebene]}, Stand {ergebnis.jahr}, Dynamik {ergebnis.basisjahr}–{ergebnis.jahr} "
        f"({fmt.anzahl(d.dynamik_jahre, 'Jahr', 'Jahre')}). Indikatoren: {namen}; "
        + ("alle gleich gewichtet." if gleich else "gewichtet wie angegeben."),
        groesse + f" Im Statusindex stehen {fmt.anzahl(ergebnis.n_status, 'Gebiet', 'Gebiete')}, im Dynamikindex "
        f"{fmt.anzahl(ergebnis.n_dynamik, 'Gebiet', 'Gebiete')}. Ein Gebiet, dem ein Wert fehlt, gesperrt oder "
        "geheim gehalten ist, bekommt keinen Index und nennt den Grund.",
        "Status: Jeder Indikator wird über die Gebiete des Index z-standardisiert (ungewichteter Mittelwert, "
        "Standardabweichung mit n − 1) und so ausgerichtet, dass ein höherer Wert mehr Bedarf bedeutet. Der "
        "Statuswert ist der gewichtete Mittelwert dieser z-Werte, noch einmal über die Gebiete standardisiert. "
        f"Klassen: bis {a} „hoch“, zwischen {a} und {b} „mittel“, ab {b} „niedrig“, ab {c} „sehr niedrig“.",
        f"Dynamik: dieselbe Rechnung auf der Veränderung jedes Indikators von {ergebnis.basisjahr} bis "
        f"{ergebnis.jahr} (in Prozentpunkten). Klassen: bis {da} „positiv“, zwischen {da} und {db} „stabil“, ab {db} "
        "„negativ“. Die Dynamik ist relativ zu den anderen Gebieten: „positiv“ heißt günstiger entwickelt als der "
        "Durchschnitt der Gebiete, nicht unbedingt gesunken. Status × Dynamik ergeben 12 Typen; „besonderer Aufmerksamkeitsbedarf“ haben Gebiete mit Status "
        "„sehr niedrig“ oder „niedrig“ mit Dynamik „negativ“.",
        f"Sicherheit: Die Zählerwerte jedes Gebiets werden {fmt.zahl(d.ziehungen)}-mal neu gezogen (Binomialmodell "
        "wie bei der Sicherheit der Ziele; ein Jahresdurchschnitt aus Monatswerten als unabhängige Monate auf den "
        "Monatssummen, was die Sicherheit eher über- als unterschätzt), und die "
        "ganze Standardisierung läuft auf jeder Ziehung neu. Der Anteil der Ziehungen mit derselben Klasse ist ihre "
        f"Sicherheit; unter {_prozent(d.sicher_ab)} gilt sie als „unsicher“. Fester Startwert; der größte "
        f"Monte-Carlo-Fehler einer gezeigten Sicherheit ist {fmt.zahl(ergebnis.mc_fehler, 2)} Prozentpunkte.",
        "Geheimhaltung: Der Index rechnet nur mit den veröffentlichten Werten nach der Geheimhaltung; ein geheim "
        "gehaltener Wert fehlt dem Index. Index und z-Werte verraten daher nichts, was die veröffentlichten Werte "
        "nicht zeigen.",
        "Vorbilder: das Monitoring Soziale Stadtentwicklung Berlin (MSS) und das RISE-Sozialmonitoring Hamburg "
        "(Status- und Dynamikindex aus z-Werten, vier Status- und drei Dynamikklassen, Mindestgröße 300 Einwohner). "
        f"Abweichungen: Die Dynamik umfasst hier {fmt.anzahl(d.dynamik_jahre, 'Jahr', 'Jahre')} (RISE: drei Jahre), "
        "die Indikatoren sind die des Kreises, und jede Klasse trägt ihre statistische Sicherheit, die keiner der "
        "beiden Berichte ausweist. Bei wenigen Gebieten (ein Landkreis hat wenige Sozialräume) sind z-Werte grob: "
        "mit n Gebieten ist |z| höchstens (n − 1)/√n.",
    ]
    absaetze.extend(f"Quelle: {text} ({url})" for text, url in QUELLEN)
    absaetze.extend(ergebnis.hinweise)
    return absaetze


def tabelle(ergebnis: Ergebnis) -> pd.DataFrame:
    """One row per area for pages and documents (German headings, text cells): type, status and dynamics with their
    values, the certainty, the previous year's class, and a note (attention, uncertain, why no index)."""
    zeilen = []
    for r in ergebnis.gebiete.itertuples():
        hinweis = [t for t, ja in (("besonderer Aufmerksamkeitsbedarf", r.aufmerksamkeit),
                                   ("Klasse unsicher", r.unsicher)) if ja] + ([r.grund] if r.grund else [])
        zeilen.append({
            "Gebiet": r.name,
            "Typ": r.typ or karte.OHNE_TYP,  # the words of the map's legend and tooltip
            "Status": r.status_klasse or karte.OHNE_KLASSE,
            "Statuswert": _z(r.status_wert),
            "Dynamik": r.dynamik_klasse or karte.OHNE_KLASSE,
            "Dynamikwert": _z(r.dynamik_wert),
            "Sicherheit Status": _prozent(r.sicherheit_status),
            "Sicherheit Typ": _prozent(r.sicherheit_typ),
            f"Status {ergebnis.jahr - 1}": r.status_klasse_vorjahr or "–",
            "Hinweis": "; ".join(hinweis),
        })
    return pd.DataFrame(zeilen)


def z_tabellen(ergebnis: Ergebnis) -> list[tuple[str, pd.DataFrame]]:
    """What drives each area's class, one table per indicator (name, table): per area of the status index its value,
    oriented z-value, change over the span (Pp.) and the change's oriented z-value. One wide table of every
    indicator needed 1.546 px and cut its columns at 1400 (issue 20)."""
    w = ergebnis.werte
    tabellen = []
    for i in ergebnis.indikatoren.itertuples():
        zeilen = []
        for gebiet, name in zip(ergebnis.gebiete["gebiet"], ergebnis.gebiete["name"]):
            eigene = w[w["gebiet"].eq(gebiet) & w["indikator"].eq(i.id)]
            if eigene.empty:
                continue
            r = eigene.iloc[0]
            zeilen.append({"Gebiet": name, f"Wert {ergebnis.jahr}": fmt.wert(r["wert"], i.einheit, i.nachkommastellen),
                           "z": _z(r["z"]),
                           f"Veränderung {ergebnis.basisjahr}–{ergebnis.jahr}": fmt.mit_vorzeichen(
                               r["aenderung"], i.nachkommastellen, "Pp."),
                           "z Veränderung": _z(r["z_aenderung"])})
        tabellen.append((i.name, pd.DataFrame(zeilen)))
    return tabellen


def _zahl_oder_none(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def json_daten(ergebnis: Ergebnis) -> dict:
    """The result as plain JSON data (numbers unrounded; None where none)."""
    werte = ergebnis.werte
    gebiete = []
    for r in ergebnis.gebiete.itertuples():
        eigene = werte[werte["gebiet"].eq(r.gebiet)]
        gebiete.append({
            "gebiet": r.gebiet, "name": r.name, "groesse": _zahl_oder_none(r.groesse),
            "status_wert": _zahl_oder_none(r.status_wert), "status_klasse": r.status_klasse,
            "dynamik_wert": _zahl_oder_none(r.dynamik_wert), "dynamik_klasse": r.dynamik_klasse,
            "typ": r.typ, "typ_nummer": int(r.typ_nummer) or None, "aufmerksamkeit": bool(r.aufmerksamkeit),
            "sicherheit_status": _zahl_oder_none(r.sicherheit_status),
            "sicherheit_typ": _zahl_oder_none(r.sicherheit_typ), "unsicher": bool(r.unsicher),
            "status_klasse_vorjahr": r.status_klasse_vorjahr if isinstance(r.status_klasse_vorjahr, str) else None,
            "klasse_geaendert": bool(r.klasse_geaendert), "grund": r.grund or None,
            "indikatoren": {w.indikator: {"wert": _zahl_oder_none(w.wert), "z": _zahl_oder_none(w.z),
                                          "aenderung": _zahl_oder_none(w.aenderung),
                                          "z_aenderung": _zahl_oder_none(w.z_aenderung)}
                            for w in eigene.itertuples()},
        })
    d = ergebnis.definition
    return {"id": d.id, "name": d.name, "ebene": d.ebene, "jahr": ergebnis.jahr, "basisjahr": ergebnis.basisjahr,
            "indikatoren": list(d.indikatoren), "gewichte": list(d.gewichte), "mindestgroesse": d.mindestgroesse,
            "grenzen_status": list(d.grenzen_status), "grenzen_dynamik": list(d.grenzen_dynamik),
            "ziehungen": d.ziehungen, "monte_carlo_fehler_pp": ergebnis.mc_fehler,
            "gebiete_status": ergebnis.n_status, "gebiete_dynamik": ergebnis.n_dynamik, "gebiete": gebiete}


def bericht(ergebnis: Ergebnis) -> str:
    """A plain German text report of one index for the terminal."""
    d = ergebnis.definition
    zeilen = [f"{d.name} ({EBENE_TEXT[d.ebene]}, Stand {ergebnis.jahr}, Dynamik {ergebnis.basisjahr}–"
              f"{ergebnis.jahr})"]
    for r in ergebnis.gebiete.itertuples():
        if r.status_klasse is None:
            zeilen.append(f"  {r.name}: {r.grund}")
            continue
        teil = f"Status {r.status_klasse} ({_z(r.status_wert)}, Sicherheit {_prozent(r.sicherheit_status)})"
        if r.typ:
            teil += f", Dynamik {r.dynamik_klasse} ({_z(r.dynamik_wert)}), Typ {r.typ} (Sicherheit " \
                    f"{_prozent(r.sicherheit_typ)})"
        else:
            teil += f", {r.grund}"
        if r.unsicher:
            teil += ", unsicher"
        if r.aufmerksamkeit:
            teil += ", besonderer Aufmerksamkeitsbedarf"
        if r.klasse_geaendert:
            teil += f", {ergebnis.jahr - 1} noch {r.status_klasse_vorjahr}"
        zeilen.append(f"  {r.name}: {teil}")
    zeilen.append(f"  Monte-Carlo-Fehler der Sicherheit höchstens {fmt.zahl(ergebnis.mc_fehler, 2)} Prozentpunkte "
                  f"({fmt.zahl(d.ziehungen)} Ziehungen).")
    zeilen.extend(f"  Hinweis: {h}" for h in ergebnis.hinweise)
    return "\n".join(zeilen)


def aufmerksamkeit_texte(ergebnis: Ergebnis) -> dict[str, list[str]]:
    """Sentences for the Sitzungsvorlage: which areas need attention, which changed class, which are uncertain."""
    g = ergebnis.gebiete
    jahr = ergebnis.jahr
    return {
        "aufmerksamkeit": [f"{r.name}: Status {r.status_klasse}" + (f", Dynamik {r.dynamik_klasse}"
                                                                    if r.dynamik_klasse else "")
                           + f" (Sicherheit {_prozent(r.sicherheit_typ if r.typ else r.sicherheit_status)})"
                           for r in g[g["aufmerksamkeit"]].itertuples()],
        "geaendert": [f"{r.name}: Status {r.status_klasse_vorjahr} ({jahr - 1}) → {r.status_klasse} ({jahr})"
                      for r in g[g["klasse_geaendert"]].itertuples()],
        "unsicher": [f"{r.name}: {r.typ or r.status_klasse}, Sicherheit Status {_prozent(r.sicherheit_status)}"
                     + (f", Typ {_prozent(r.sicherheit_typ)}" if r.typ else "")
                     for r in g[g["unsicher"]].itertuples()],
    }


def steckbrief_zeile(ergebnis: Ergebnis, gebiet: str) -> str | None:
    """One line for an area's Steckbrief: 'Sozialindex Kinder und Jugend 2024: Typ mittel / stabil (Status +0,32,
    Sicherheit 99 %; Dynamik +0,30; Sicherheit des Typs 77 %, unsicher)', or why the area has no index; None when
    the index is not of the area's level."""
    zeilen = ergebnis.gebiete[ergebnis.gebiete["gebiet"].eq(gebiet)]
    if zeilen.empty:
        return None
    r = next(zeilen.itertuples())
    kopf = f"{ergebnis.definition.name} {ergebnis.jahr}"
    if r.status_klasse is None:
        return f"{kopf}: {r.grund}"
    teile = [f"Status {r.status_klasse} ({_z(r.status_wert)}, Sicherheit {_prozent(r.sicherheit_status)})"]
    if r.typ:
        teile.append(f"Dynamik {ergebnis.basisjahr}–{ergebnis.jahr} {r.dynamik_klasse} ({_z(r.dynamik_wert)})")
        teile.append(f"Typ {r.typ} (Sicherheit {_prozent(r.sicherheit_typ)})")
    else:
        teile.append(r.grund)
    if r.unsicher:
        teile.append("Klasse unsicher")
    if r.aufmerksamkeit:
        teile.append("besonderer Aufmerksamkeitsbedarf")
    if r.klasse_geaendert:
        teile.append(f"{ergebnis.jahr - 1}: Status {r.status_klasse_vorjahr}")
    return f"{kopf}: " + "; ".join(teile)


def steckbrief_zeilen(ergebnisse: list, gebiet: str) -> tuple[str, ...]:
    """The Steckbrief lines of every index (berechnung.alle: results or reasons) for one area."""
    zeilen = []
    for ergebnis in ergebnisse:
        if isinstance(ergebnis, str):
            zeilen.append(ergebnis)
        elif (zeile := steckbrief_zeile(ergebnis, gebiet)) is not None:
            zeilen.append(zeile)
    return tuple(zeilen)


def klassen_namen() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The status and the dynamics class names, best first."""
    return methode.STATUS_KLASSEN, methode.DYNAMIK_KLASSEN
