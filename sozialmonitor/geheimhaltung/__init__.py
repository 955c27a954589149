"""Geheimhaltung: what may be shown. Every value a person or a file receives passes `schuetzen` exactly once: the
importer stores the protected values as the table `werte` when it publishes a version (db.materialise_values), and
every page, tooltip, table, chart, `check --json` and export reads only that table.

    regeln.py  thresholds per indicator from data/geheimhaltung.toml (default: the BA rule)
    schutz.py  primary and secondary suppression, audit by linear programming (HiGHS); imported only where a
               version is published (the app's pages need just the rules and the words)

May import: basis, config (it knows no output and no database)."""

import pandas as pd

from sozialmonitor.fmt import GEHEIM_HINWEIS as HINWEIS
from sozialmonitor.geheimhaltung.regeln import IndikatorRegel, Regeln, datei, laden, lesen

__all__ = ["IndikatorRegel", "Regeln", "datei", "laden", "lesen", "schuetzen", "geschuetzte_werte", "HINWEIS",
           "regel_texte", "METHODE", "im_verlauf_geheim"]


def schuetzen(*args, **kwargs):
    """See schutz.schuetzen."""
    from sozialmonitor.geheimhaltung.schutz import schuetzen as step

    return step(*args, **kwargs)


def geschuetzte_werte(con, regeln: Regeln | None = None):
    """werte_live of the open database after disclosure control (see schutz.schuetzen), as a DataFrame with the
    view's columns plus geheim_grund; read with the writer's connection when a version is published.
    Raises EingabeFehler when the rules file is faulty."""
    regeln = regeln if regeln is not None else laden()
    werte = con.execute("SELECT * FROM werte_live").df()
    teile = con.execute("SELECT obergebiet, teilgebiet FROM teilgebiete").df()
    indikatoren = con.execute("SELECT id, art, faktor FROM indikatoren").df()
    return schuetzen(werte, regeln, teile, indikatoren)


def im_verlauf_geheim(stand: pd.DataFrame, indikatoren: pd.DataFrame, regeln: Regeln | None = None) -> pd.Series:
    """Which rows of an earlier state of the observations (queries/import_state.sql: gebiet, indikator, zeitraum,
    zaehler, nenner, wert, status, heute_geheim) must not be shown: today's published value is suppressed, or the
    earlier value itself falls under the primary rule (a count 1–2, a rate on few persons). Boolean Series aligned
    with `stand`. The Daten page's history shows raw values and would otherwise show what every other view hides."""
    from sozialmonitor.geheimhaltung.schutz import GEHEIM, schuetzen as step

    if stand.empty:
        return pd.Series(False, index=stand.index)
    regeln = regeln if regeln is not None else laden()
    zeilen = stand[["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert", "status"]].assign(
        herkunft="erhoben", monate=float("nan"), teile_gesperrt=0, teile_fehlend=0, quelle=None,
        _zeile=range(len(stand)))
    geschuetzt = step(zeilen, regeln, pd.DataFrame(columns=["obergebiet", "teilgebiet"]), indikatoren)
    primaer = geschuetzt.set_index("_zeile")["status"].eq(GEHEIM).sort_index().to_numpy()
    return pd.Series(primaer, index=stand.index) | stand["heute_geheim"].astype(bool)


def regel_texte(regeln: Regeln, namen: dict[str, str]) -> list[tuple[str, str]]:
    """(indicator name, its rule in German) for the Indikatoren page."""
    zeilen = []
    for ident, name in namen.items():
        r = regeln.fuer(ident)
        if not r.schuetzen:
            zeilen.append((name, "keine Geheimhaltung (keine Angaben über einzelne Hilfebedürftige)"))
            continue
        text = (f"Anzahlen von 1 bis {r.min_anzahl - 1} gesperrt; als Quote gesperrt bei einem Zähler von 1 bis "
                f"{r.min_zaehler - 1} oder weniger als {r.min_nenner} Personen im Nenner")
        if r.nenner_indikator:
            text += (f"; auch gesperrt, wo der Nenner ({namen.get(r.nenner_indikator, r.nenner_indikator)}) "
                     "gesperrt ist")
        zeilen.append((name, text + f"; Schutzbreite {r.schutzbreite}"))
    return zeilen


METHODE = """
**Was die App nie zeigt.** Die Werte sind Zahlen über Kinder und Jugendliche in einzelnen Gemeinden. Bevor
irgendein Wert auf einer Karte, in einem Tooltip, einer Tabelle, einer Zeitreihe, der Veränderungskarte, in
`check --json` oder in einer CSV-, Excel-, PowerPoint- oder PNG-Datei erscheint, geht er durch **einen** Schritt,
die Geheimhaltung. Er wird beim Veröffentlichen jeder Datenbankfassung einmal auf alle Werte angewandt; alles
Angezeigte liest nur sein Ergebnis.

**1. Primäre Sperrung** (Regel der Statistik der Bundesagentur für Arbeit): Anzahlen von 1 und 2 werden als
„geheim (\\*)“ gezeigt, die 0 bleibt sichtbar. Eine Quote wird nicht gezeigt, wenn ihr Zähler 1 oder 2 beträgt
oder ihr Nenner kleiner als die Mindestzahl ist (Standard: 10 Personen). Bei Jahresdurchschnitten gilt die Regel
für den durchschnittlichen Monat. Was der Datenlieferant schon als „\\*“ geliefert hat („gesperrt“), wird genauso
geschützt. Die Schwellen stehen je Indikator in `data/geheimhaltung.toml`.

**2. Sekundäre Sperrung**: Ein gesperrter Wert darf sich nicht nachrechnen lassen – nicht als Kreis- oder
Sozialraumsumme minus die übrigen Gemeinden (auch nicht mit einer importierten, veröffentlichten Kreissumme), nicht
als Jahressumme minus die übrigen Monate, nicht aus einer Quote und ihrem Nenner (die Einwohnerzahl als eigener
Indikator), nicht aus der Differenz zweier Jahre und nicht durch Zurückrechnen eines Konfidenzintervalls. Dazu wird
in jeder Summe, die einen gesperrten Wert enthält, mindestens ein weiterer Wert gesperrt – der mit der kleinsten
Fallzahl, eine Gemeinde vor einem Sozialraum, einen Sozialraum vor dem Kreis (Kostenfunktion wie im Programm
τ-ARGUS der statistischen Ämter: Kosten = Fallzahl, Summen teurer). Der Kreiswert, auf den sich Ziele und Berichte
beziehen, wird nur gesperrt, wo nichts anderes schützen kann. Je Runde kommt in einer Gruppe zusammenhängender Summen
nur ein weiterer gesperrter Wert hinzu; danach wird neu geprüft – so wird nicht mehr gesperrt als nötig. Eine Quote, deren Nenner gesperrt ist, wird mitgesperrt. Eine Veränderung zwischen zwei
Jahren wird nur gezeigt, wenn beide Werte gezeigt werden.

**3. Prüfung wie ein Angreifer** (Intervall-Audit nach Giessing, wie in τ-ARGUS; Löser HiGHS): Für jeden
gesperrten Wert wird mit linearer Optimierung berechnet, in welchem Bereich er nach allem, was sichtbar ist, noch
liegen kann (kleinster und größter möglicher Wert, alle Summen, Werte ≥ 0, Zähler höchstens so groß wie ein
sichtbarer Nenner). Ist der Bereich schmaler als die Schutzbreite, wird ein weiterer Wert gesperrt, bis jeder
gesperrte Wert geschützt ist.

Gezeigt wird für einen primär und einen sekundär gesperrten Wert dasselbe („geheim (\\*)“), damit niemand den
kleinen Wert von seinem Schutz unterscheiden kann. „geheim“, „gesperrt“ (vom Lieferanten), „keine Angabe“ und 0
bleiben verschieden. Quelle der Methode: Hundepool u. a., *Statistical Disclosure Control*, Wiley 2012, Kap. 4
(Tabellen, Sperrung, Audit).
"""
