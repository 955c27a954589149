"""Geheimhaltung: what may be shown. Every value a person or a file receives passes `schuetzen` exactly once: the
importer stores the protected values as the table `werte` when it publishes a version (db.materialise_values), and
every page, tooltip, table, chart, `check --json` and export reads only that table.

    regeln.py  thresholds per indicator from data/geheimhaltung.toml (default: the BA rule)
    katalog.py what the indicator catalogue says: which indicators count persons (protected), which count
               indicator is a rate's numerator or denominator (derived from the fields zaehler/nenner)
    schutz.py  one model of every relation a viewer can use, primary and secondary suppression, audit by linear
               programming (HiGHS); imported only where a version is published (the app's pages need just the
               rules and the words)

Earlier versions of the database ("Stand der Ziele am …") are protected each on its own; two of them side by side
could give away a value hidden in both (a corrected delivery changes a sum but not its hidden part). So they are
shown only to those who may see the import history anyway (fruehere_fassungen_erlaubt: Bearbeiter and Verwaltung,
who import the suppliers' unsuppressed files themselves); a Betrachter sees the current version only. Protecting
the union instead would change what earlier versions show whenever a later import arrives – the record of what a
committee saw on a date would change afterwards – and would cost a joint protection of every version at each
import.

May import: basis, config (it knows no output and no database)."""

import pandas as pd

from sozialmonitor.fmt import GEHEIM_HINWEIS as HINWEIS
from sozialmonitor.geheimhaltung.regeln import (
    IndikatorRegel,
    Regeln,
    datei,
    laden,
    lesen,
)

__all__ = [
    "HINWEIS",
    "METHODE",
    "METHODE_FACHLICH",
    "IndikatorRegel",
    "Regeln",
    "datei",
    "fruehere_fassungen_erlaubt",
    "geschuetzt",
    "geschuetzte_werte",
    "im_verlauf_geheim",
    "laden",
    "lesen",
    "regel_texte",
    "schuetzen",
]


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
    indikatoren = con.execute("SELECT * FROM indikatoren").df()  # art, faktor, decimals, texts, protection, links
    gemeindefrei = [r[0] for r in con.execute(
        "SELECT code FROM gebiete_ohne_daten WHERE grund = 'gemeindefrei'").fetchall()]
    return schuetzen(werte, regeln, teile, indikatoren, gemeindefrei)


def geschuetzt(katalog: pd.DataFrame, regeln: Regeln | None = None) -> dict[str, bool]:
    """{indicator id: protected?} – the catalogue's `geheimhaltung` where given, else the rules file (katalog.py)."""
    from sozialmonitor.geheimhaltung.katalog import schutz

    return schutz(katalog, regeln if regeln is not None else laden())


def fruehere_fassungen_erlaubt(person) -> bool:
    """May this person see earlier versions of the database (the goal page's "Stand der Ziele am …")? Only with the
    right to see the import history (rollen AKTIONEN 'verlauf_sehen': Bearbeiter, Verwaltung); None (nobody signed
    in) may not. See the module's text for why."""
    return person is not None and person.darf("verlauf_sehen")


def im_verlauf_geheim(stand: pd.DataFrame, indikatoren: pd.DataFrame, regeln: Regeln | None = None) -> pd.Series:
    """Which rows of an earlier state of the observations (queries/import_state.sql: gebiet, indikator, zeitraum,
    zaehler, nenner, wert, status, heute_geheim) must not be shown: today's published value is suppressed, or the
    earlier value itself falls under the primary rule (a count 1–2, a rate on few persons). Boolean Series aligned
    with `stand`. The Daten page's history shows raw values and would otherwise show what every other view hides."""
    from sozialmonitor.geheimhaltung.schutz import GEHEIM
    from sozialmonitor.geheimhaltung.schutz import schuetzen as step

    if stand.empty:
        return pd.Series(False, index=stand.index)
    regeln = regeln if regeln is not None else laden()
    zeilen = stand[["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert", "status"]].assign(
        herkunft="erhoben", monate=float("nan"), teile_gesperrt=0, teile_fehlend=0, quelle=None,
        _zeile=range(len(stand)))
    geschuetzt = step(zeilen, regeln, pd.DataFrame(columns=["obergebiet", "teilgebiet"]), indikatoren)
    primaer = geschuetzt.set_index("_zeile")["status"].eq(GEHEIM).sort_index().to_numpy()
    return pd.Series(primaer, index=stand.index) | stand["heute_geheim"].astype(bool)


def regel_texte(regeln: Regeln, namen: dict[str, str], katalog: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """(indicator name, its rule in German) for the Indikatoren page. katalog: the indicator catalogue (id, art and,
    where present, name, zaehler, nenner, geheimhaltung, zaehler_indikator, nenner_indikator) – whether an indicator
    is protected and which counts it is linked to come from there (katalog.py); without it the rules file alone."""
    from sozialmonitor.geheimhaltung import katalog as kat

    schutz = kat.schutz(katalog, regeln) if katalog is not None else {}
    links = kat.verknuepfungen(katalog, regeln) if katalog is not None else {
        i: (None, regeln.fuer(i).nenner_indikator) for i in namen if regeln.fuer(i).nenner_indikator}
    zeilen = []
    for ident, name in namen.items():
        r = regeln.fuer(ident)
        if not schutz.get(ident, r.schuetzen):
            zeilen.append((name, ("keine Geheimhaltung (keine Angaben über einzelne Personen, etwa Personal oder "
                                  "Einrichtungen)")))
            continue
        text = (f"Anzahlen von 1 bis {r.min_anzahl - 1} gesperrt; als Quote gesperrt bei einem Zähler von 1 bis "
                f"{r.min_zaehler - 1} oder weniger als {r.min_nenner} Personen im Nenner")
        zaehler, nenner = links.get(ident, (None, None))
        if zaehler:
            text += (f"; der Zähler ist der Indikator „{namen.get(zaehler, zaehler)}“ (dieselbe Zahl): ist einer "
                     "der beiden gesperrt, wird der andere mitgesperrt")
        if nenner:
            text += (f"; der Nenner ist der Indikator „{namen.get(nenner, nenner)}“: ist er gesperrt, wird auch die "
                     "Quote gesperrt")
        zeilen.append((name, text + f"; Schutzbreite {r.schutzbreite}"))
    return zeilen


METHODE = """
**Was die App nie zeigt.** Die Werte sind Zahlen über Kinder und Jugendliche in einzelnen Gemeinden. Bevor
irgendein Wert auf einer Karte, in einem Tooltip, einer Tabelle, einer Zeitreihe, der Veränderungskarte, in
`check --json` oder in einer CSV-, Excel-, PowerPoint- oder PNG-Datei erscheint, geht er durch **einen** Schritt,
die Geheimhaltung. Er wird beim Veröffentlichen jeder Datenbankfassung einmal auf alle Werte angewandt; alles
Angezeigte liest nur sein Ergebnis. Ob ein Indikator Personen zählt und geschützt wird, steht im
Indikatorenkatalog (`geheimhaltung = true/false` in `indikatoren.toml`; die Verwaltung kann es auf dieser Seite
ändern, mit Grund im Protokoll); die Schwellen stehen in `data/geheimhaltung.toml`.

**1. Primäre Sperrung** (Regel der Statistik der Bundesagentur für Arbeit): Anzahlen von 1 und 2 werden als
„geheim (\\*)“ gezeigt, die 0 bleibt sichtbar. Eine Quote wird nicht gezeigt, wenn ihr Zähler 1 oder 2 beträgt
oder ihr Nenner kleiner als die Mindestzahl ist (Standard: 10 Personen) – auch eine veröffentlichte Quote ohne
Zähler, wenn ihr Nenner als eigener Indikator bekannt ist. Bei Jahresdurchschnitten gilt die Regel für den
durchschnittlichen Monat. Was der Datenlieferant schon als „\\*“ geliefert hat („gesperrt“), wird genauso geschützt.

**2. Ein Modell von allem, was sich kombinieren lässt.** Jeder Wert hat eine Zahl von Personen (bei einer Quote:
Zähler und Nenner). Die Geheimhaltung kennt jede Gleichung, die ein Betrachter aufstellen kann:
- Summen: Kreis und Sozialraum sind die Summe ihrer Gemeinden (auch eine importierte, veröffentlichte Summe), der
  Kreis die Summe seiner Sozialräume – für Zähler und Nenner. Eine Gemeinde ohne Zeilen hebt die Summe nicht auf:
  eine berechnete Summe ist die Summe der Gemeinden mit Werten; in einer veröffentlichten Summe zählt ein
  gemeindefreies Gebiet als 0 und eine bewohnte Gemeinde ohne Daten als unbekannte Zahl;
- Jahr und Monate: ein Jahresdurchschnitt ist die Summe seiner Monate;
- Quote und Anzahl: ist der Zähler oder der Nenner einer Quote als eigener Indikator gezeigt (im Katalog abgeleitet
  aus den Feldern „Zähler“ und „Nenner“), ist es dieselbe Zahl;
- eine Quote ohne Zähler und Nenner (etwa von einem Statistikamt veröffentlicht) verrät mit ihrem Nenner den Zähler
  bis auf die Rundung ihrer Nachkommastellen;
- Zähler höchstens so groß wie der Nenner, Anzahlen ganze Zahlen ab 0.

**3. Sekundäre Sperrung**: In jeder Summe, die einen gesperrten Wert sonst festlegen würde, wird mindestens ein
weiterer Wert gesperrt – der mit der kleinsten Fallzahl, eine Gemeinde vor einem Sozialraum, einen Sozialraum vor
dem Kreis (wer die kleinste Fallzahl hat, wird zuerst gesperrt; Summen erst danach). Der
Kreiswert, auf den sich Ziele und Berichte beziehen, wird nur gesperrt, wo nichts anderes schützen kann. Eine Quote,
deren Zähler oder Nenner gesperrt ist, wird mitgesperrt, ebenso eine Anzahl, die Zähler einer gesperrten Quote ist.
Eine Veränderung zwischen zwei Jahren wird nur gezeigt, wenn beide Werte gezeigt werden.

**4. Prüfung wie ein Angreifer:** Für jeden gesperrten Wert wird aus allen Gleichungen aus 2. berechnet, wie viele
Personen es nach allem Sichtbaren mindestens und höchstens sein können. Liegen zwischen der
kleinsten und der größten möglichen ganzen Zahl weniger als die Schutzbreite (Standard: 2), wird ein weiterer Wert
gesperrt, bis jeder gesperrte Wert geschützt ist. Ein Test spielt diesen Angreifer unabhängig nach – auf der Demo
und auf zufällig erzeugten kleinen Kreisen mit Gemeinden ohne Zeilen, Quoten ohne Zähler, verknüpften Anzahlen und
gelieferten Sperrungen.

**5. Frühere Fassungen** („Stand der Ziele am …“) sehen nur Bearbeiter und Verwaltung: Zwei Fassungen nebeneinander
(etwa vor und nach einer Korrektur der Bundesagentur) könnten einen Wert verraten, der in beiden gesperrt ist. Eine
Sicht auf ungesperrte Werte gibt es in der App für niemanden: wer die Rohdaten braucht, hat die gelieferten Dateien.

Gezeigt wird für einen primär und einen sekundär gesperrten Wert dasselbe („geheim (\\*)“), damit niemand den
kleinen Wert von seinem Schutz unterscheiden kann. „geheim“, „gesperrt“ (vom Lieferanten), „keine Angabe“ und 0
bleiben verschieden.
"""

# The method names for statisticians, each with what it means (the Indikatoren page shows it in a closed detail).
METHODE_FACHLICH = """
Die Geheimhaltung folgt den Verfahren der statistischen Ämter:
- **Kostenfunktion der sekundären Sperrung** wie im Programm **τ-ARGUS** (Statistisches Amt der Niederlande und
  Eurostat, auch von den deutschen Ämtern genutzt): die Kosten eines Wertes sind seine Fallzahl, Summen kosten
  zehnmal so viel – gesperrt wird, was am wenigsten Information kostet.
- **Intervall-Audit nach Giessing** (Sarah Giessing, Statistisches Bundesamt): für jeden gesperrten Wert die kleinste
  und größte Zahl, die nach allem Sichtbaren möglich ist; wie in τ-ARGUS und im Verfahren SIMPLEHEURISTIC des
  R-Pakets sdcTable (auch dessen Verknüpfung mehrerer Tabellen, protectLinkedTables).
- Die Grenzen rechnet **lineare Optimierung** mit dem frei verfügbaren Löser **HiGHS** (Universität Edinburgh).

Quelle der Methode: Hundepool u. a., *Statistical Disclosure Control*, Wiley 2012, Kap. 4 (Tabellen, Sperrung,
Audit); Meindl, sdcTable (CRAN), für das Wechselspiel von Sperren und Angriff und für verknüpfte Tabellen
(gemeinsame Zellen haben in jeder Tabelle denselben Sperrstatus).
"""
