"""Audit targets: reading the targets file (data/ziele.toml) and evaluating every target × area.

The progress measure is the one of open-sdg / Statistics Canada: the ratio of the observed annual rate of change
since the base year to the rate required to reach the target by the deadline, with the cut-offs 0.95 / 0.6 / 0.
Adapted where a growth rate is undefined: a reference target ("not above the Bundesdurchschnitt") works on the gap to
the reference (goal: gap 0), a coverage target on the number of areas that meet it, and both use the linear annual
change. METHODE is the same in plain German for the app. Nothing here imports Streamlit."""

import math
import operator
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from sozialmonitor import fmt, queries
from sozialmonitor.errors import Befund, EingabeFehler
from sozialmonitor.einlesen.kodierung import decode

VERGLEICHE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
VERGLEICH_TEXT = {"<": "unter", "<=": "höchstens", ">": "über", ">=": "mindestens"}
REFERENZ_TEXT = {"<": "unter dem Wert", "<=": "nicht über dem Wert", ">": "über dem Wert",
                 ">=": "nicht unter dem Wert"}
ZEICHEN = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
AGGREGATIONEN = ("jahreswert", "jahresdurchschnitt")
GEBIETS_WOERTER = {"kreis": "kreis", "sozialraeume": "sozialraum"}  # word in the file → ebene it stands for
PFLICHT = ("id", "titel", "indikator", "gebiete", "vergleich", "aggregation", "basisjahr", "frist", "handlungsfeld",
           "quelle", "verantwortlich")
OPTIONAL = ("wortlaut", "hinweis", "schwelle", "referenz", "anzahl")
TEXT_KEYS = ("id", "titel", "indikator", "vergleich", "aggregation", "handlungsfeld", "quelle", "verantwortlich",
             "wortlaut", "hinweis", "referenz")

# open-sdg cut-offs for the ratio observed / required rate.
AUF_KURS_AB, MAESSIG_AB, ZU_LANGSAM_AB = 0.95, 0.6, 0.0
Z_95 = 1.959963984540054  # two-sided 95 % normal quantile


@dataclass(frozen=True)
class Status:
    key: str
    text: str
    symbol: str  # colour is never the only carrier
    farbe: str
    badge: str   # the nearest of Streamlit's badge colours


STATUS = {s.key: s for s in (
    Status("erreicht", "erreicht", "✔", "#1a7f37", "green"),
    Status("auf_kurs", "auf Kurs", "↑", "#7cc47f", "green"),
    Status("maessig", "mäßiger Fortschritt", "↗", "#f2c744", "yellow"),
    Status("zu_langsam", "zu langsam", "→", "#f08c3a", "orange"),
    Status("entfernt_sich", "entfernt sich vom Ziel", "↓", "#d7301f", "red"),
    Status("nicht_erreicht", "nicht erreicht (Frist abgelaufen)", "✖", "#8c1d18", "red"),
    Status("keine_daten", "keine Daten", "?", "#9e9e9e", "gray"),
)}
STATUS_RANG = list(STATUS)  # best first; the headline of a multi-area target without a Kreis is its worst area

# Whether the 95 % interval excludes the comparison value (see METHODE), as tables and documents say it.
SIGNIFIKANZ_TEXT = {True: "gesichert", False: "nicht gesichert"}

# Goal status on the map: met or not, and whether the 95 % interval puts the area clearly on that side of the
# comparison value ("gesichert") or also contains it (pale: the difference may be chance).
KARTENKLASSEN = {
    "erreicht": ("✔ erreicht, gesichert", "#1a7f37"),
    "erreicht_unsicher": ("✓ erreicht, nicht gesichert", "#a1d99b"),
    "verfehlt_unsicher": ("✗ verfehlt, nicht gesichert", "#f4a582"),
    "nicht_erreicht": ("✖ verfehlt, gesichert", "#c0392b"),
    "keine_daten": ("? keine Daten", "#bdbdbd"),
}

JSON_KEYS = ["ziel", "gebiet", "zeitraum", "wert", "vergleichswert", "erreicht", "status", "ki_unten", "ki_oben",
             "signifikant", "prognose"]
SPALTEN = JSON_KEYS[:2] + ["gebiet_name", "ebene"] + JSON_KEYS[2:] + [
    "startjahr", "startwert", "verhaeltnis", "fristwert", "frist_erreicht", "monate", "abdeckung", "hinweis"]

METHODE = """
**Welcher Wert zählt?** Für jedes Ziel und jedes Gebiet der letzte Jahreswert – bei Monatsdaten der
Jahresdurchschnitt (Summe der Arbeitslosen aller Monate geteilt durch die Summe der Bezugsgrößen, wie bei der
Bundesagentur für Arbeit). Ein Jahr, in dem Monate fehlen, wird nicht stillschweigend gemittelt: bewertet wird das
letzte vollständige Jahr, das unvollständige wird als Hinweis genannt. Nur wenn es kein vollständiges Jahr gibt, wird
das unvollständige bewertet – und so gekennzeichnet.

**Erreicht?** Der Wert wird mit der Schwelle verglichen (z. B. „unter 7 %“) oder – bei Zielen wie „auf dem Niveau
des Bundesdurchschnitts“ – mit dem Wert des Vergleichsgebiets **im selben Jahr**. Bewertet wird dann das letzte Jahr,
für das es beide Werte gibt.

**Fortschritt** (Verfahren von open-sdg und Statistics Canada): Wie schnell hat sich der Wert seit dem Basisjahr
jährlich verändert, und wie schnell hätte er sich verändern müssen, um das Ziel bis zur Frist zu erreichen? Das
Verhältnis der beiden Raten ergibt den Status:
- **↑ auf Kurs**: mindestens 95 % des nötigen Tempos,
- **↗ mäßiger Fortschritt**: 60 bis 95 %,
- **→ zu langsam**: in die richtige Richtung, aber unter 60 %,
- **↓ entfernt sich vom Ziel**: in die falsche Richtung (oder das Ziel war schon erreicht und ist es nicht mehr).

Bei einer Schwelle wird die durchschnittliche jährliche Wachstumsrate verwendet. Bei einem Vergleichsgebiet zählt
der **Abstand** zu dessen Wert (Ziel: Abstand 0), bei „in 6 Sozialräumen“ die **Zahl der Gebiete**, die das Ziel
erfüllen; dort gilt die lineare jährliche Veränderung, weil eine Wachstumsrate von null aus nicht definiert ist.
Fehlt im Basisjahr ein Wert, beginnt der Trend im ersten späteren Jahr mit Wert.

**Frist**: Ist sie abgelaufen, heißt es nur noch ✔ erreicht oder ✖ nicht erreicht. Der Stand im Jahr der Frist
wird zusätzlich genannt. Die **Prognose** schreibt den bisherigen Trend bis zum Jahr der Frist fort.

**Zufall oder Unterschied?** Auch eine Vollzählung schwankt von Jahr zu Jahr zufällig – in einem Sozialraum mit
wenigen hundert Kindern sind 9 % und 11 % oft kein echter Unterschied. Für Quoten aus Zähler und Nenner zeigt das
95-%-Konfidenzintervall nach Wilson, in welchem Bereich der Wert plausibel liegt (bei Jahresdurchschnitten mit dem
durchschnittlichen Monatsnenner). Liegt die Schwelle (bzw. der Vergleichswert) außerhalb, ist der Unterschied
**gesichert**; liegt sie innerhalb, ist er **nicht gesichert** – das Gebiet ist von ihr nicht unterscheidbar, der
Unterschied kann Zufall sein. Die Karte zeigt beides: erreicht oder verfehlt, kräftig wenn gesichert, blass wenn nicht.
"""


# ---------------------------------------------------------------- targets file

def parse_targets(data: bytes, name: str, indicators: set[str], areas: dict[str, str]) -> tuple[pd.DataFrame,
                                                                                                   list[Befund]]:
    """ziele.toml → one row per [[ziel]] (columns of table ziele). areas maps code → ebene.
    Every finding names the target and the key; the caller refuses the file when there is any."""
    text = decode(data, name)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EingabeFehler([Befund(name, None, None, f"Die TOML-Datei ist fehlerhaft: {exc}")]) from exc
    befunde = [Befund(name, None, key, "Unbekannter Abschnitt; erwartet werden nur [[ziel]]-Abschnitte.")
               for key in document if key != "ziel"]
    specs = document.get("ziel")
    if not isinstance(specs, list) or not specs:
        raise EingabeFehler(befunde + [Befund(name, None, None, "Die Datei enthält kein Ziel ([[ziel]]).")])
    header_lines = [text.count("\n", 0, m.start()) + 1
                    for m in re.finditer(r"^[ \t]*\[\[[ \t]*ziel[ \t]*\]\]", text, re.M)]
    rows, seen = [], set()
    for position, spec in enumerate(specs):
        first = header_lines[position] if position < len(header_lines) else None
        end = header_lines[position + 1] if position + 1 < len(header_lines) else None
        block = text.splitlines()[(first or 1) - 1:end and end - 1]

        def report(key: str | None, meldung: str) -> None:
            line = first
            if key is not None and first is not None:
                line = next((first + i for i, t in enumerate(block) if re.match(rf"\s*{key}\s*=", t)), first)
            befunde.append(Befund(name, line, key, f"Ziel „{ident}“: {meldung}"))

        ident = spec.get("id") if isinstance(spec, dict) and isinstance(spec.get("id"), str) else f"Nr. {position + 1}"
        if not isinstance(spec, dict):
            report(None, "Jedes Ziel ist ein [[ziel]]-Abschnitt mit Schlüsseln.")
            continue
        row = _check_target(spec, report, indicators, areas)
        if ident in seen:
            report("id", "Die ID kommt mehrfach vor.")
        seen.add(ident)
        rows.append({"id": ident, "reihenfolge": position + 1, **row})
    return pd.DataFrame(rows), befunde


def _check_target(spec: dict, report, indicators: set[str], areas: dict[str, str]) -> dict:
    for key in PFLICHT:
        if key not in spec:
            report(key, "Der Schlüssel fehlt.")
    for key in sorted(set(spec) - set(PFLICHT) - set(OPTIONAL)):
        report(key, f"Unbekannter Schlüssel (erlaubt: {', '.join(PFLICHT + OPTIONAL)}).")
    for key in TEXT_KEYS:
        if key in spec and (not isinstance(spec[key], str) or not spec[key].strip()):
            report(key, "Erwartet wird ein nicht leerer Text in Anführungszeichen.")
    if isinstance(spec.get("indikator"), str) and spec["indikator"] not in indicators:
        report("indikator", f"Den Indikator „{spec['indikator']}“ gibt es nicht im Katalog.")
    gebiete = _check_areas(spec.get("gebiete"), report, areas) if "gebiete" in spec else []
    if "vergleich" in spec and spec["vergleich"] not in VERGLEICHE:
        report("vergleich", f"„{spec['vergleich']}“ ist kein erlaubter Vergleich (<, <=, >, >=).")
    if ("schwelle" in spec) == ("referenz" in spec):
        report("schwelle", "Genau einer der Schlüssel „schwelle“ (eine Zahl) oder „referenz“ (ein Gebiet) "
                           "muss angegeben sein.")
    if "schwelle" in spec and not _is_number(spec["schwelle"]):
        report("schwelle", "Erwartet wird eine Zahl, z. B. 7 oder 6.5.")
    if isinstance(spec.get("referenz"), str) and spec["referenz"] not in areas:
        report("referenz", f"Das Vergleichsgebiet „{spec['referenz']}“ ist unbekannt.")
    if "anzahl" in spec:
        if not isinstance(spec["anzahl"], int) or isinstance(spec["anzahl"], bool) or spec["anzahl"] < 1:
            report("anzahl", "Erwartet wird eine ganze Zahl ab 1 (so viele Gebiete sollen das Ziel erfüllen).")
        elif gebiete and spec["anzahl"] > len(expand_areas(gebiete, areas)):
            report("anzahl", f"Verlangt sind {spec['anzahl']} Gebiete, das Ziel umfasst aber nur "
                             f"{len(expand_areas(gebiete, areas))}.")
    if "aggregation" in spec and spec["aggregation"] not in AGGREGATIONEN:
        report("aggregation", "Erlaubt sind „jahreswert“ und „jahresdurchschnitt“.")
    basisjahr = spec.get("basisjahr")
    if "basisjahr" in spec and (not isinstance(basisjahr, int) or isinstance(basisjahr, bool)
                                or not 1950 <= basisjahr <= 2100):
        report("basisjahr", "Erwartet wird eine Jahreszahl, z. B. 2019.")
        basisjahr = None
    frist = _as_date(spec.get("frist")) if "frist" in spec else None
    if "frist" in spec and frist is None:
        report("frist", "Erwartet wird ein Datum, z. B. 2023-12-31.")
    if frist is not None and basisjahr is not None and frist.year <= basisjahr:
        report("frist", f"Die Frist ({fmt.datum(frist)}) muss nach dem Basisjahr {basisjahr} liegen.")
    return {
        "titel": spec.get("titel"), "wortlaut": spec.get("wortlaut"), "indikator": spec.get("indikator"),
        "gebiete": gebiete, "vergleich": spec.get("vergleich"),
        "schwelle": float(spec["schwelle"]) if _is_number(spec.get("schwelle")) else None,
        "referenz": spec.get("referenz"), "anzahl": spec.get("anzahl"), "aggregation": spec.get("aggregation"),
        "basisjahr": basisjahr, "frist": frist, "handlungsfeld": spec.get("handlungsfeld"),
        "quelle": spec.get("quelle"), "verantwortlich": spec.get("verantwortlich"), "hinweis": spec.get("hinweis"),
    }


def _check_areas(value, report, areas: dict[str, str]) -> list[str]:
    gebiete = [value] if isinstance(value, str) else value
    if not isinstance(gebiete, list) or not gebiete or not all(isinstance(g, str) for g in gebiete):
        report("gebiete", "Erwartet wird eine Liste von Gebietsschlüsseln (z. B. [\"16065\", \"sozialraeume\"]) "
                          "oder „kreis“ bzw. „sozialraeume“.")
        return []
    for code in gebiete:
        if code not in areas and code not in GEBIETS_WOERTER:
            report("gebiete", f"Das Gebiet „{code}“ ist unbekannt (erlaubt sind Gebietsschlüssel, „kreis“ und "
                              "„sozialraeume“).")
    if not expand_areas(gebiete, areas):
        report("gebiete", "Das Ziel umfasst kein einziges bekanntes Gebiet (gibt es schon Sozialräume?).")
    return gebiete


def expand_areas(gebiete: list[str], areas: dict[str, str]) -> set[str]:
    """The codes a target's gebiete stand for (the view ziel_gebiete does the same in SQL)."""
    levels = {GEBIETS_WOERTER[g] for g in gebiete if g in GEBIETS_WOERTER}
    return {code for code, ebene in areas.items() if code in gebiete or ebene in levels}


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------- statistics

def wilson(erfolge: float, n: float, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for the proportion erfolge/n (Newcombe 1998, method 3); n may be fractional."""
    p = erfolge / n
    nenner = 1 + z * z / n
    mitte = (p + z * z / (2 * n)) / nenner
    halb = z / nenner * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, mitte - halb), min(1.0, mitte + halb)


def progress_ratio(start: float, aktuell: float, ziel: float, jahre_bisher: float, jahre_gesamt: float,
                   geometrisch: bool) -> float:
    """Observed annual rate / required annual rate (open-sdg). Geometric (compound annual growth rate) where both
    values are positive, else linear. The caller makes sure the goal still lies ahead of the start."""
    if geometrisch and start > 0 and aktuell > 0:
        ziel = ziel if ziel > 0 else 0.001  # open-sdg's guard against a zero target
        beobachtet = (aktuell / start) ** (1 / jahre_bisher) - 1
        erforderlich = (ziel / start) ** (1 / jahre_gesamt) - 1
    else:
        beobachtet = (aktuell - start) / jahre_bisher
        erforderlich = (ziel - start) / jahre_gesamt
    return beobachtet / erforderlich


def project(start: float, aktuell: float, jahre_bisher: float, jahre_bis_frist: float, geometrisch: bool) -> float:
    """The value at the deadline if the trend since the start year goes on (never below 0)."""
    if geometrisch and start > 0 and aktuell > 0:
        return aktuell * (aktuell / start) ** (jahre_bis_frist / jahre_bisher)
    return max(0.0, aktuell + (aktuell - start) / jahre_bisher * jahre_bis_frist)


def _projected_gap(kurve, urteil: dict, frist_jahr: int) -> float:
    t0, t = urteil["startjahr"], kurve.jahre[-1]
    start, aktuell = kurve.messwert[kurve.jahre.index(t0)], kurve.messwert[-1]
    return aktuell + (aktuell - start) / (t - t0) * (frist_jahr - t)


def progress_status(verhaeltnis: float) -> str:
    if verhaeltnis >= AUF_KURS_AB:
        return "auf_kurs"
    if verhaeltnis >= MAESSIG_AB:
        return "maessig"
    if verhaeltnis >= ZU_LANGSAM_AB:
        return "zu_langsam"
    return "entfernt_sich"


# ---------------------------------------------------------------- evaluation

@dataclass(frozen=True)
class Kurve:
    """One quantity over the years, the way a target judges it."""

    jahre: list[int]
    messwert: list[float]   # what is compared and trended: the value, the gap to the reference, or a count
    zielwert: float         # the goal for messwert: the threshold, 0 (gap), or anzahl
    vergleich: str          # messwert <vergleich> zielwert means met
    geometrisch: bool

    @property
    def richtung(self) -> int:
        """+1 when the goal lies above (higher is better for this target), −1 when below."""
        return 1 if self.vergleich.startswith(">") else -1

    def met(self, index: int) -> bool:
        return bool(VERGLEICHE[self.vergleich](self.messwert[index], self.zielwert))


def judge(kurve: Kurve, basisjahr: int, frist: date, heute: date) -> dict:
    """erreicht, status, start year and value, ratio and projection for the last point of the curve."""
    t, aktuell = kurve.jahre[-1], kurve.messwert[-1]
    erreicht = kurve.met(-1)
    start_index = next((i for i, j in enumerate(kurve.jahre) if j >= basisjahr), None)
    result = {"erreicht": erreicht, "startjahr": None, "startwert": None, "verhaeltnis": None, "prognose": None,
              "frist_erreicht": None}
    if heute > frist and frist.year in kurve.jahre and t > frist.year:  # a later year is judged: state at deadline
        result["frist_erreicht"] = kurve.met(kurve.jahre.index(frist.year))
    has_trend = start_index is not None and kurve.jahre[start_index] < t
    if has_trend:
        t0, start = kurve.jahre[start_index], kurve.messwert[start_index]
        result.update(startjahr=t0, startwert=start)
        if frist.year > t:
            result["prognose"] = project(start, aktuell, t - t0, frist.year - t, kurve.geometrisch)
        still_ahead = (kurve.zielwert - start) * kurve.richtung > 0
        if still_ahead and frist.year > t0:
            result["verhaeltnis"] = progress_ratio(start, aktuell, kurve.zielwert, t - t0, frist.year - t0,
                                                   kurve.geometrisch)
    if erreicht:
        status = "erreicht"
    elif heute > frist:
        status = "nicht_erreicht"
    elif has_trend and result["verhaeltnis"] is None:
        status = "entfernt_sich"  # the goal was reached at the start and has been lost since
    elif result["verhaeltnis"] is None:
        status = "keine_daten"    # a single year: no trend to judge
    else:
        status = progress_status(result["verhaeltnis"])
    return result | {"status": status}


def load(con, heute: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The targets (query ziele_katalog) and their evaluation (see evaluate)."""
    katalog = queries.run_query(con, "ziele_katalog")
    return katalog, evaluate(katalog, queries.run_query(con, "ziel_jahreswerte"), heute)


def evaluate(katalog: pd.DataFrame, jahreswerte: pd.DataFrame, heute: date | None = None) -> pd.DataFrame:
    """Every target × area, plus one coverage row per coverage target; columns SPALTEN."""
    heute = heute or date.today()
    katalog = _with_dates(katalog)
    rows = []
    for ziel in katalog.itertuples(index=False):
        werte = jahreswerte[jahreswerte["ziel"] == ziel.id]  # sorted by area and year in the query
        referenz = werte[werte["rolle"].eq("vergleich") & werte["gebiet"].eq(ziel.referenz) & werte["wert"].notna()]
        referenz = dict(zip(referenz["jahr"].astype(int), referenz["wert"]))
        gebiete = werte[werte["rolle"].eq("gebiet")]
        rows.extend(_evaluate_area(ziel, reihe, referenz, heute) for _, reihe in gebiete.groupby("gebiet", sort=False))
        if present(ziel.anzahl):
            rows.append(_evaluate_coverage(ziel, gebiete, referenz, heute))
    return pd.DataFrame(rows, columns=SPALTEN)


def _with_dates(katalog: pd.DataFrame) -> pd.DataFrame:
    """DuckDB hands a DATE to pandas as a timestamp; deadlines are dates."""
    return katalog.assign(frist=pd.to_datetime(katalog["frist"]).dt.date)


def present(value) -> bool:
    """Not None, NaN or NA (DuckDB and pandas use all three for a missing value)."""
    return value is not None and value is not pd.NA and not (isinstance(value, float) and math.isnan(value))


def _comparison(ziel, referenz: dict[int, float], jahr: int) -> float | None:
    return referenz.get(jahr) if present(ziel.referenz) else ziel.schwelle


def _evaluate_area(ziel, reihe: pd.DataFrame, referenz: dict[int, float], heute: date) -> dict:
    first = reihe.iloc[0]
    row = dict.fromkeys(SPALTEN) | {"ziel": ziel.id, "gebiet": first["gebiet"], "gebiet_name": first["gebiet_name"],
                                    "ebene": first["ebene"], "abdeckung": False}
    mit_wert = reihe[reihe["wert"].notna()]
    reihe = mit_wert[[_comparison(ziel, referenz, int(j)) is not None for j in mit_wert["jahr"]]]
    if reihe.empty:
        hinweis = ("Kein Jahr mit Wert und Vergleichswert." if present(ziel.referenz) else "Kein Wert vorhanden.")
        return row | {"status": "keine_daten", "hinweis": hinweis}
    complete = reihe[reihe["status"].eq("ok")]
    pool = complete if not complete.empty else reihe
    hinweise = []
    latest = pool.iloc[-1]
    ohne_vergleich = [str(int(j)) for j in mit_wert["jahr"] if j > reihe["jahr"].max()]
    if ohne_vergleich:
        hinweise.append(f"{', '.join(ohne_vergleich)}: kein Vergleichswert ({ziel.referenz_name}) – nicht bewertet.")
    for later in reihe[reihe["jahr"] > latest["jahr"]].itertuples():
        hinweise.append(f"{int(later.jahr)}: nur {_months(later.monate)} – nicht bewertet.")
    if latest["status"] != "ok":
        hinweise.append(f"{int(latest['jahr'])} ist unvollständig ({_months(latest['monate'])}).")

    jahre = [int(j) for j in pool["jahr"]]
    vergleich = [_comparison(ziel, referenz, j) for j in jahre]
    kurve = _curve(ziel, jahre, list(pool["wert"]), vergleich)
    urteil = judge(kurve, int(ziel.basisjahr), ziel.frist, heute)
    if urteil["startjahr"] is not None and urteil["startjahr"] != ziel.basisjahr:
        hinweise.append(f"Basisjahr {ziel.basisjahr} ohne vergleichbaren Wert; Trend ab {urteil['startjahr']}.")
    if urteil["frist_erreicht"] is not None:
        urteil["fristwert"] = float(pool["wert"].iloc[jahre.index(ziel.frist.year)])

    wert, vergleichswert = float(latest["wert"]), vergleich[-1]
    if present(ziel.referenz) and urteil["startjahr"] is not None:
        # The judgement ran on the gap; report values: the start value, and the projected gap on top of the
        # latest reference value.
        urteil["startwert"] = float(pool["wert"].iloc[jahre.index(urteil["startjahr"])])
        if urteil["prognose"] is not None:
            urteil["prognose"] = vergleichswert + _projected_gap(kurve, urteil, ziel.frist.year)
    ki_unten = ki_oben = signifikant = None
    if ziel.art == "quote" and pd.notna(latest["zaehler"]) and pd.notna(latest["nenner"]) and latest["nenner"] > 0:
        monate = latest["monate"] if pd.notna(latest["monate"]) else 1  # a year's average: the mean monthly base
        unten, oben = wilson(latest["zaehler"] / monate, latest["nenner"] / monate)
        ki_unten, ki_oben = unten * ziel.faktor, oben * ziel.faktor
        signifikant = bool(not ki_unten <= vergleichswert <= ki_oben)
    return row | urteil | {
        "zeitraum": str(int(latest["jahr"])), "wert": wert, "vergleichswert": vergleichswert, "ki_unten": ki_unten,
        "ki_oben": ki_oben, "signifikant": signifikant,
        "monate": int(latest["monate"]) if pd.notna(latest["monate"]) else None,
        "hinweis": " ".join(hinweise) or None,
    }


def _months(monate) -> str:
    return f"{int(monate)} von 12 Monaten" if pd.notna(monate) else "unvollständig"


def _curve(ziel, jahre: list[int], werte: list[float], vergleich: list[float]) -> Kurve:
    if present(ziel.referenz):
        return Kurve(jahre, [w - v for w, v in zip(werte, vergleich)], 0.0, ziel.vergleich, geometrisch=False)
    return Kurve(jahre, werte, float(ziel.schwelle), ziel.vergleich, geometrisch=True)


def _evaluate_coverage(ziel, gebiete: pd.DataFrame, referenz: dict[int, float], heute: date) -> dict:
    """How many of the target's areas meet it, per year; the goal is ziel.anzahl of them."""
    areas = gebiete["gebiet"].nunique()
    werte = gebiete[gebiete["wert"].notna()].copy()
    werte["vergleich"] = [_comparison(ziel, referenz, int(j)) for j in werte["jahr"]]
    werte = werte[werte["vergleich"].notna()]
    row = dict.fromkeys(SPALTEN) | {"ziel": ziel.id, "gebiet": "+".join(ziel.gebiete),
                                    "gebiet_name": f"Abdeckung: {int(ziel.anzahl)} von "
                                                   f"{fmt.anzahl(areas, 'Gebiet', 'Gebieten')} verlangt",
                                    "ebene": "abdeckung", "abdeckung": True, "vergleichswert": float(ziel.anzahl)}
    if werte.empty:
        return row | {"status": "keine_daten", "hinweis": "Kein Gebiet hat einen Wert."}
    werte["erfuellt"] = [VERGLEICHE[ziel.vergleich](w, v) for w, v in zip(werte["wert"], werte["vergleich"])]
    per_year = werte.groupby("jahr").agg(erfuellt=("erfuellt", "sum"), mit_wert=("gebiet", "nunique"))
    jahre = [int(j) for j in per_year.index]
    counts = [float(c) for c in per_year["erfuellt"]]
    kurve = Kurve(jahre, counts, float(ziel.anzahl), ">=", geometrisch=False)
    urteil = judge(kurve, int(ziel.basisjahr), ziel.frist, heute)
    if urteil["prognose"] is not None:
        urteil["prognose"] = min(float(areas), urteil["prognose"])
    if urteil["frist_erreicht"] is not None:
        urteil["fristwert"] = counts[jahre.index(ziel.frist.year)]
    hinweise = []
    ohne_wert = areas - int(per_year["mit_wert"].iloc[-1])
    if ohne_wert:
        hinweise.append(f"{jahre[-1]}: {fmt.anzahl(ohne_wert, 'Gebiet', 'Gebiete')} ohne Wert.")
    return row | urteil | {"zeitraum": str(jahre[-1]), "wert": counts[-1], "hinweis": " ".join(hinweise) or None}


# ---------------------------------------------------------------- views on the evaluation

def headline(bewertung: pd.DataFrame, ziel_id: str) -> pd.Series:
    """The row that speaks for a whole target: its coverage row, else its Kreis, else its worst area."""
    rows = bewertung[bewertung["ziel"] == ziel_id]
    for mask in (rows["abdeckung"].astype(bool), rows["ebene"].eq("kreis")):
        if mask.any():
            return rows[mask].iloc[0]
    rated = rows[rows["status"].ne("keine_daten")]
    pool = rated if not rated.empty else rows
    return pool.iloc[pool["status"].map(STATUS_RANG.index).argmax()]


def overview(katalog: pd.DataFrame, bewertung: pd.DataFrame) -> pd.DataFrame:
    """One row per target: its definition and its headline result."""
    heads = pd.DataFrame([headline(bewertung, z) for z in katalog["id"]]).reset_index(drop=True)
    return _with_dates(katalog).reset_index(drop=True).join(
        heads[["gebiet", "gebiet_name", "zeitraum", "wert", "vergleichswert", "erreicht", "status", "prognose"]])


def filter_overview(uebersicht: pd.DataFrame, handlungsfelder: list[str], stati: list[str]) -> pd.DataFrame:
    """The targets of the chosen fields and statuses; an empty choice means all."""
    keep = pd.Series(True, index=uebersicht.index)
    if handlungsfelder:
        keep &= uebersicht["handlungsfeld"].isin(handlungsfelder)
    if stati:
        keep &= uebersicht["status"].isin(stati)
    return uebersicht[keep]


def summary_text(statuses: pd.Series) -> str:
    """'1 von 4 Zielen erreicht, 2 nicht erreicht (Frist abgelaufen), 1 zu langsam'."""
    if statuses.empty:
        return "Noch keine Ziele importiert."
    counts = statuses.value_counts()
    total = len(statuses)
    parts = [f"{int(counts.get('erreicht', 0))} von {fmt.anzahl(total, 'Ziel', 'Zielen')} erreicht"]
    parts += [f"{int(counts[key])} {STATUS[key].text}" for key in STATUS_RANG[1:] if key in counts]
    return ", ".join(parts)


def summary(con, heute: date | None = None) -> dict:
    """For the home page: {'ziele': 4, 'erreicht': 1, 'je_status': {'nicht_erreicht': 2, …}, 'text': '…'}."""
    katalog, bewertung = load(con, heute)
    statuses = overview(katalog, bewertung)["status"] if not katalog.empty else pd.Series(dtype=str)
    return {"ziele": len(statuses), "erreicht": int(statuses.eq("erreicht").sum()),
            "je_status": {k: int(v) for k, v in statuses.value_counts().items()}, "text": summary_text(statuses)}


def map_class(row) -> str:
    """Met or not, 'nicht gesichert' when the Wilson interval contains the comparison value. Without counts there
    is no interval: the value is taken as it is."""
    if row["status"] == "keine_daten" or not present(row["erreicht"]):
        return "keine_daten"
    uncertain = present(row["signifikant"]) and not row["signifikant"]
    if row["erreicht"]:
        return "erreicht_unsicher" if uncertain else "erreicht"
    return "verfehlt_unsicher" if uncertain else "nicht_erreicht"


def area_rows(ziel, bewertung: pd.DataFrame) -> pd.DataFrame:
    """The evaluation rows of a target's single areas (not its coverage row), in evaluation order."""
    return bewertung[(bewertung["ziel"] == ziel.id) & ~bewertung["abdeckung"].astype(bool)]


def map_classes(ziel, bewertung: pd.DataFrame) -> pd.DataFrame:
    """gebiet, klasse (see KARTENKLASSEN) and a hover text for each area of a target."""
    rows = area_rows(ziel, bewertung)
    table = display_table(ziel, rows)
    return pd.DataFrame({
        "gebiet": rows["gebiet"].values,
        "klasse": [map_class(r) for _, r in rows.iterrows()],
        "hover": [f"{r['Jahr']}: {r['Wert']} (95-%-KI {r['95-%-KI']})<br>{r['Status']}, {r['Statistisch']}"
                  for _, r in table.iterrows()],
    })


def json_records(bewertung: pd.DataFrame) -> list[dict]:
    """The evaluation with exactly JSON_KEYS; NaN becomes null, numbers are rounded to 4 decimals."""
    def clean(value):
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            return None
        if hasattr(value, "item"):
            value = value.item()
        return round(value, 4) if isinstance(value, float) else value
    return [{key: clean(r[key]) for key in JSON_KEYS} for _, r in bewertung.iterrows()]


# ---------------------------------------------------------------- German presentation

def status_label(status: str) -> str:
    return f"{STATUS[status].symbol} {STATUS[status].text}"


def comparison_text(ziel) -> str:
    """'unter 7,0 %', 'nicht über dem Wert von Deutschland im selben Jahr', 'mindestens 6 Gebiete mit Wert ≥ 1'."""
    if present(ziel.anzahl):
        schwelle = ziel.referenz_name if present(ziel.referenz) else fmt.wert(ziel.schwelle, ziel.einheit,
                                                                               int(ziel.nachkommastellen))
        return (f"mindestens {fmt.anzahl(int(ziel.anzahl), 'Gebiet', 'Gebiete')} mit Wert "
                f"{ZEICHEN[ziel.vergleich]} {schwelle}")
    if present(ziel.referenz):
        return f"{REFERENZ_TEXT[ziel.vergleich]} von {ziel.referenz_name} im selben Jahr"
    return f"{VERGLEICH_TEXT[ziel.vergleich]} {fmt.wert(ziel.schwelle, ziel.einheit, int(ziel.nachkommastellen))}"


def status_table(uebersicht: pd.DataFrame) -> pd.DataFrame:
    """The overview of targets (one row each) with German headers, as the page's status table shows it."""
    rows = []
    for ziel in uebersicht.itertuples(index=False):
        coverage = present(ziel.anzahl)
        wert = ("–" if not present(ziel.wert) else
                f"{int(ziel.wert)} von {fmt.anzahl(int(ziel.anzahl), 'Gebiet', 'Gebieten')}" if coverage
                else fmt.wert(ziel.wert, ziel.einheit, int(ziel.nachkommastellen)))
        rows.append({
            "Status": status_label(ziel.status), "Ziel": ziel.titel,
            "Gebiet": "–" if coverage else ziel.gebiet_name,
            "Jahr": ziel.zeitraum if present(ziel.zeitraum) else "–", "Wert": wert,
            "Zielvorgabe": comparison_short(ziel), "Frist": fmt.datum(ziel.frist),
        })
    return pd.DataFrame(rows)


def comparison_short(ziel) -> str:
    """'< 7,0 %', '≤ Deutschland', '≥ 6 Gebiete mit ≥ 1' (for narrow table columns)."""
    zeichen = ZEICHEN[ziel.vergleich]
    gegen = ziel.referenz_name if present(ziel.referenz) else fmt.wert(ziel.schwelle, ziel.einheit,
                                                                       int(ziel.nachkommastellen))
    return (f"≥ {fmt.anzahl(int(ziel.anzahl), 'Gebiet', 'Gebiete')} mit {zeichen} {gegen}" if present(ziel.anzahl)
            else f"{zeichen} {gegen}")


def display_table(ziel, bewertung: pd.DataFrame) -> pd.DataFrame:
    """One target's rows with German headers and formatted values, as a person reads them."""
    rows = bewertung[bewertung["ziel"] == ziel.id]

    def value(v, coverage):
        if not present(v):
            return "–"
        return (fmt.anzahl(int(round(v)), "Gebiet", "Gebiete") if coverage
                else fmt.wert(v, ziel.einheit, int(ziel.nachkommastellen)))

    def interval(r):
        if not present(r["ki_unten"]):
            return "–"
        return (f"{fmt.zahl(r['ki_unten'], int(ziel.nachkommastellen))}–"
                f"{fmt.wert(r['ki_oben'], ziel.einheit, int(ziel.nachkommastellen))}")

    def at_deadline(r):
        if not present(r["frist_erreicht"]):
            return "–"
        return f"{value(r['fristwert'], r['abdeckung'])} {'✔' if r['frist_erreicht'] else '✖'}"

    return pd.DataFrame({
        "Gebiet": rows["gebiet_name"],
        "Jahr": rows["zeitraum"].fillna("–"),
        "Wert": [value(v, c) for v, c in zip(rows["wert"], rows["abdeckung"])],
        "Vergleich": [value(v, c) for v, c in zip(rows["vergleichswert"], rows["abdeckung"])],
        "Status": rows["status"].map(status_label),
        "95-%-KI": [interval(r) for _, r in rows.iterrows()],
        "Statistisch": rows["signifikant"].map(SIGNIFIKANZ_TEXT).fillna("–"),
        f"Stand {ziel.frist.year}": [at_deadline(r) for _, r in rows.iterrows()],
        f"Prognose {ziel.frist.year}": [value(v, c) for v, c in zip(rows["prognose"], rows["abdeckung"])],
    }).reset_index(drop=True)


def notes(ziel, bewertung: pd.DataFrame) -> list[str]:
    """The notes of a target's rows, each said once with the areas it applies to."""
    rows = bewertung[(bewertung["ziel"] == ziel.id) & bewertung["hinweis"].notna()]
    grouped = rows.groupby("hinweis", sort=False)["gebiet_name"].agg(list)
    total = (bewertung["ziel"] == ziel.id).sum()
    return [f"{'Alle Gebiete' if len(names) == total else ', '.join(names)}: {hinweis}"
            for hinweis, names in grouped.items()]


def text_report(katalog: pd.DataFrame, bewertung: pd.DataFrame) -> str:
    """The evaluation as German plain text, one block per target (for the command line)."""
    if katalog.empty:
        return "Noch keine Ziele in der Datenbank. Import: python -m sozialmonitor import targets data/ziele.toml"
    uebersicht = overview(katalog, bewertung)
    blocks = [summary_text(uebersicht["status"]) + "."]
    for ziel in uebersicht.itertuples(index=False):
        blocks.append("\n".join([
            f"{ziel.id} – {ziel.titel}",
            f"  Ziel: {comparison_text(ziel)}, Frist {fmt.datum(ziel.frist)}, Basisjahr {ziel.basisjahr}",
            f"  Gesamt: {status_label(ziel.status)} ({ziel.gebiet_name})",
            display_table(ziel, bewertung).to_string(index=False),
            *(f"  Hinweis – {note}" for note in notes(ziel, bewertung)),
        ]))
    return "\n\n".join(blocks)
