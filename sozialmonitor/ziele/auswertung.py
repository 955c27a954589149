"""Audit targets: evaluating every target × area (the targets file is read in sozialmonitor.einlesen.ziele).

The progress measure is the one of open-sdg / Statistics Canada: the ratio of the observed annual rate of change
since the base year to the rate required to reach the target by the deadline, with the cut-offs 0.95 / 0.6 / 0.
Adapted where a growth rate is undefined: a reference target ("not above the Bundesdurchschnitt") works on the gap to
the reference (goal: gap 0), a coverage target on the number of areas that meet it, and both use the linear annual
change. METHODE is the same in plain German for the app. Nothing here imports Streamlit."""

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from sozialmonitor import fmt, kennzeichen
from sozialmonitor.daten import queries
from sozialmonitor.einlesen.ziele import (AGGREGATIONEN, GEBIETS_WOERTER, OPTIONAL, PFLICHT, TEXT_KEYS,  # noqa: F401
                                         VERGLEICHE, expand_areas, parse_targets)
# The statistics and the evaluation live in sozialmonitor.statistik; these names stay here for every caller.
from sozialmonitor.statistik import signifikanz
from sozialmonitor.statistik.bewertung import JSON_KEYS, SPALTEN, evaluate, present
from sozialmonitor.statistik.bewertung import with_dates as _with_dates
from sozialmonitor.statistik.genauigkeit import runden, stellen_fuer
from sozialmonitor.statistik.intervalle import NIVEAUS, wilson  # noqa: F401
from sozialmonitor.statistik.methode import METHODE, methode  # noqa: F401
from sozialmonitor.statistik.sicherheit import UNSICHER_UNTER, ZIEHUNGEN
from sozialmonitor.statistik.urteil import (AUF_KURS_AB, MAESSIG_AB, ZU_LANGSAM_AB, Kurve,  # noqa: F401
                                           progress_ratio, progress_status, urteile)

VERGLEICH_TEXT = {"<": "unter", "<=": "höchstens", ">": "über", ">=": "mindestens"}
REFERENZ_TEXT = {"<": "unter dem Wert", "<=": "nicht über dem Wert", ">": "über dem Wert",
                 ">=": "nicht unter dem Wert"}
ZEICHEN = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
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
    Status("kein_trend", "kein Trend (nur ein Jahr)", "•", "#bdbdbd", "gray"),
    Status("nicht_erreicht", "nicht erreicht zur Frist", "✖", "#8c1d18", "red"),
    Status("nicht_entscheidbar", "zur Frist nicht entscheidbar", "?", "#757575", "gray"),
    Status("keine_daten", "keine Daten", "?", "#9e9e9e", "gray"),
    # the target names an area that is no longer stored (a membership import removed the Sozialraum): no verdict
    Status("gebiet_entfallen", "Gebiet entfallen", "⊘", "#616161", "gray"),
)}
STATUS_RANG = list(STATUS)  # best first; the headline of a multi-area target without a Kreis is its worst area

# Whether the 95 % interval excludes the comparison value (see METHODE), as tables and documents say it.
SIGNIFIKANZ_TEXT = {True: "gesichert", False: "nicht gesichert"}

# Goal status on the map: met or not, and whether the 95 % interval puts the area clearly on that side of the
# comparison value ("gesichert") or also contains it (pale: the difference may be chance).
# The goal map shows where each area's judged value stands against the target value in its year – a state, not the
# verdict (a target not yet due can be "auf Kurs" while its value is still above the target value): hence
# "eingehalten" / "noch nicht eingehalten", never "erreicht"/"verfehlt".
KARTENKLASSEN = {
    "erreicht": ("✔ Vorgabe eingehalten, gesichert", "#1a7f37"),
    "erreicht_unsicher": ("✓ Vorgabe eingehalten, nicht gesichert", "#a1d99b"),
    "verfehlt_unsicher": ("✗ Vorgabe nicht eingehalten, nicht gesichert", "#f4a582"),
    "nicht_erreicht": ("✖ Vorgabe nicht eingehalten, gesichert", "#c0392b"),
    "kein_vergleich": ("? Wert ohne Vergleichswert", "#d9d9d9"),
    "keine_daten": ("? keine Daten", "#bdbdbd"),
}



# ---------------------------------------------------------------- targets file

def load(con, heute: date | None = None, niveau: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The targets (query ziele_katalog) and their evaluation (see statistik.bewertung.evaluate), with a row
    „Gebiet entfallen“ for each area a target names that is no longer stored (mit_entfallenen)."""
    katalog = queries.run_query(con, "ziele_katalog")
    bewertung = evaluate(katalog, queries.run_query(con, "ziel_jahreswerte"), heute, niveau)
    return katalog, mit_entfallenen(bewertung, queries.run_query(con, "ziel_gebiete_entfallen"))


def mit_entfallenen(bewertung: pd.DataFrame, entfallen: pd.DataFrame) -> pd.DataFrame:
    """The evaluation with one row per area a target names by code that is no longer stored (entfallen: query
    ziel_gebiete_entfallen – ziel, gebiet, gebiet_name, ebene, entfernt_durch, entfernt_am): status
    'gebiet_entfallen', no value, a German hinweis naming the import that removed it. Such a target is not judged
    over its remaining areas – the agreement named an area that is gone (headline)."""
    if entfallen.empty:
        return bewertung

    def hinweis(r) -> str:
        woher = (f" (entfallen mit Import {int(r.entfernt_durch)} vom {fmt.datum(r.entfernt_am)})"
                 if present(r.entfernt_durch) and present(r.entfernt_am) else "")
        return (f"{r.gebiet_name} ({r.gebiet}) gibt es nicht mehr{woher}. Das Ziel nennt dieses Gebiet und wird "
                "deshalb nicht bewertet, bis es angepasst ist (Seite „Ziele bearbeiten“) oder der Import rückgängig "
                "gemacht ist.")

    rows = pd.DataFrame({"ziel": entfallen["ziel"], "gebiet": entfallen["gebiet"],
                         "gebiet_name": entfallen["gebiet_name"], "ebene": entfallen["ebene"],
                         "status": STATUS["gebiet_entfallen"].key, "abdeckung": False,
                         "hinweis": [hinweis(r) for r in entfallen.itertuples(index=False)]},
                        columns=SPALTEN).astype({"abdeckung": bool})
    if bewertung.empty:
        return rows
    return pd.concat([bewertung, rows.astype(bewertung.dtypes.to_dict(), errors="ignore")], ignore_index=True)


# ---------------------------------------------------------------- views on the evaluation

def headline(bewertung: pd.DataFrame, ziel_id: str) -> pd.Series:
    """The row that speaks for a whole target: its coverage row, else its Kreis, else its worst area. "erreicht"
    over all areas needs all areas: where every area with data has met the target but one has no data, that area's
    row speaks ("keine Daten", naming it) – the target is not met while a part is unknown. An area the target names
    that is no longer stored speaks before all („Gebiet entfallen“): the verdict over the remaining areas would not
    be the agreed target."""
    rows = bewertung[bewertung["ziel"] == ziel_id]
    entfallen = rows[rows["status"].eq("gebiet_entfallen")]
    if not entfallen.empty:
        return entfallen.iloc[0]
    for mask in (rows["abdeckung"].astype(bool), rows["ebene"].eq("kreis")):
        if mask.any():
            return rows[mask].iloc[0]
    rated = rows[rows["status"].ne("keine_daten")]
    pool = rated if not rated.empty else rows
    worst = pool.iloc[pool["status"].map(STATUS_RANG.index).argmax()]
    if worst["status"] == "erreicht" and len(rated) < len(rows):
        return rows[rows["status"].eq("keine_daten")].iloc[0]
    return worst


def overview(katalog: pd.DataFrame, bewertung: pd.DataFrame) -> pd.DataFrame:
    """One row per target: its definition and its headline result."""
    heads = pd.DataFrame([headline(bewertung, z) for z in katalog["id"]]).reset_index(drop=True)
    return _with_dates(katalog).reset_index(drop=True).join(
        heads[["gebiet", "gebiet_name", "zeitraum", "wert", "vergleichswert", "erreicht", "status", "prognose",
               "spaeter_erreicht", "sicherheit", "unsicher", "kennzeichen"]])


def filter_overview(uebersicht: pd.DataFrame, handlungsfelder: list[str], stati: list[str]) -> pd.DataFrame:
    """The targets of the chosen fields and statuses; an empty choice means all."""
    keep = pd.Series(True, index=uebersicht.index)
    if handlungsfelder:
        keep &= uebersicht["handlungsfeld"].isin(handlungsfelder)
    if stati:
        keep &= uebersicht["status"].isin(stati)
    return uebersicht[keep]


def summary_text(statuses: pd.Series, spaeter: pd.Series | None = None) -> str:
    """'1 von 4 Zielen erreicht, 2 nicht erreicht zur Frist (1 davon später erreicht), 1 zu langsam' – counted by
    the verdicts: after the deadline only the deadline year counts. spaeter: per target the year it was met later
    (NaN where not), aligned with statuses."""
    if statuses.empty:
        return "Noch keine Ziele importiert."
    counts = statuses.value_counts()
    total = len(statuses)
    later = {}
    if spaeter is not None:
        met_later = pd.Series(list(spaeter), index=statuses.index).notna()
        later = statuses[met_later].value_counts().to_dict()
    parts = [f"{int(counts.get('erreicht', 0))} von {fmt.anzahl(total, 'Ziel', 'Zielen')} erreicht"]
    for key in STATUS_RANG[1:]:
        if key in counts:
            part = (f"{int(counts[key])} mit entfallenem Gebiet" if key == "gebiet_entfallen"
                    else f"{int(counts[key])} {STATUS[key].text}")
            if later.get(key):
                part += f" ({int(later[key])} davon später erreicht)"
            parts.append(part)
    return ", ".join(parts)


def summary(con, heute: date | None = None) -> dict:
    """For the home page: {'ziele': 4, 'erreicht': 1, 'je_status': {'nicht_erreicht': 2, …}, 'text': '…'}."""
    katalog, bewertung = load(con, heute)
    uebersicht = overview(katalog, bewertung) if not katalog.empty else None
    statuses = uebersicht["status"] if uebersicht is not None else pd.Series(dtype=str)
    spaeter = uebersicht["spaeter_erreicht"] if uebersicht is not None else None
    return {"ziele": len(statuses), "erreicht": int(statuses.eq("erreicht").sum()),
            "je_status": {k: int(v) for k, v in statuses.value_counts().items()},
            "spaeter_erreicht": int(spaeter.notna().sum()) if spaeter is not None else 0,
            "text": summary_text(statuses, spaeter)}


def map_class(row) -> str:
    """Met or not, 'nicht gesichert' when the Wilson interval contains the comparison value. Without counts there
    is no interval: the value is taken as it is."""
    if row["status"] == "nicht_entscheidbar" and present(row["wert"]) and not present(row["erreicht"]):
        return "kein_vergleich"  # the area's value exists, the comparison value of its year does not
    if row["status"] == "keine_daten" or not present(row["erreicht"]):
        return "keine_daten"
    uncertain = present(row["signifikant"]) and not row["signifikant"]
    if row["erreicht"]:
        return "erreicht_unsicher" if uncertain else "erreicht"
    return "verfehlt_unsicher" if uncertain else "nicht_erreicht"


def area_rows(ziel, bewertung: pd.DataFrame) -> pd.DataFrame:
    """The evaluation rows of a target's single areas (not its coverage row), in evaluation order."""
    return bewertung[(bewertung["ziel"] == ziel.id) & ~bewertung["abdeckung"].astype(bool)]


def map_classes(ziel, bewertung: pd.DataFrame, niveau: float = 0.95) -> pd.DataFrame:
    """gebiet, klasse (see KARTENKLASSEN) and a hover text for each area of a target (an area no longer stored has no
    shape: not on the map, its row says „Gebiet entfallen“ in the table)."""
    rows = area_rows(ziel, bewertung)
    rows = rows[rows["status"].ne("gebiet_entfallen")]
    table = display_table(ziel, rows, niveau)
    if ki_spalte(niveau) not in table:
        table[ki_spalte(niveau)], table["Statistisch"] = "–", "–"
    return pd.DataFrame({
        "gebiet": rows["gebiet"].values,
        "klasse": [map_class(r) for _, r in rows.iterrows()],
        "hover": [f"{r['Jahr']}: {r['Wert']} ({ki_spalte(niveau)} {r[ki_spalte(niveau)]})<br>{r['Status']}, "
                  f"{r['Statistisch']}"
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


def status_mit_sicherheit(status: str, sicherheit=None, unsicher=None, spaeter=None) -> str:
    """'↑ auf Kurs (Sicherheit 61 %, unsicher)': the status with the share of bootstrap draws that give it (without
    counts to draw from just the status), and after a missed deadline '· später erreicht (2024)' beside it."""
    label = status_label(status)
    if present(sicherheit):
        text = f"Sicherheit {fmt.zahl(100 * sicherheit)} %"
        label = f"{label} ({text}, unsicher)" if unsicher else f"{label} ({text})"
    if present(spaeter):
        label += f" · später erreicht ({int(spaeter)})"
    return label


def status_colour(text: str) -> str | None:
    """The status colour of a label as status_label or status_mit_sicherheit write it."""
    for key, status in STATUS.items():
        label = status_label(key)
        if text == label or str(text).startswith((label + " (", label + " ·")):
            return status.farbe
    return None


def statistisch_text(signifikant, belastbar=None) -> str:
    """'gesichert', 'nicht gesichert', 'nicht belastbar' (too few cases: never gesichert) or '–'."""
    if belastbar is False:
        return "nicht belastbar"
    return SIGNIFIKANZ_TEXT.get(signifikant, "–") if present(signifikant) else "–"


def ki_spalte(niveau: float = 0.95) -> str:
    """The interval column's header: '95-%-KI', '99,8-%-KI'."""
    return f"{NIVEAUS.get(niveau, fmt.zahl(100 * niveau, 1) + ' %').replace(' ', '-')}-KI"


def comparison_text(ziel) -> str:
    """'unter 7,0 %', 'nicht über dem Wert von Deutschland im selben Jahr', 'mindestens 6 Gebiete mit Wert ≥ 1'."""
    stellen = stellen_fuer(ziel)
    if present(ziel.anzahl):
        schwelle = ziel.referenz_name if present(ziel.referenz) else fmt.wert(ziel.schwelle, ziel.einheit, stellen)
        return (f"mindestens {fmt.anzahl(int(ziel.anzahl), 'Gebiet', 'Gebiete')} mit Wert "
                f"{ZEICHEN[ziel.vergleich]} {schwelle}")
    if present(ziel.referenz):
        return f"{REFERENZ_TEXT[ziel.vergleich]} von {ziel.referenz_name} im selben Jahr"
    return f"{VERGLEICH_TEXT[ziel.vergleich]} {fmt.wert(ziel.schwelle, ziel.einheit, stellen)}"


def status_table(uebersicht: pd.DataFrame) -> pd.DataFrame:
    """The overview of targets (one row each) with German headers, as the page's status table shows it."""
    rows = []
    for ziel in uebersicht.itertuples(index=False):
        coverage = present(ziel.anzahl)
        wert = ("–" if not present(ziel.wert) else
                f"{int(ziel.wert)} von {fmt.anzahl(int(ziel.anzahl), 'Gebiet', 'Gebieten')}" if coverage
                else kennzeichen.mit_zeichen(fmt.wert(runden(ziel.wert, stellen_fuer(ziel)), ziel.einheit,
                                                      stellen_fuer(ziel)), getattr(ziel, "kennzeichen", None)))
        rows.append({
            "Status": status_mit_sicherheit(ziel.status, getattr(ziel, "sicherheit", None),
                                            getattr(ziel, "unsicher", None), getattr(ziel, "spaeter_erreicht", None)),
            "Ziel": ziel.titel,
            "Gebiet": "–" if coverage else ziel.gebiet_name,
            "Jahr": ziel.zeitraum if present(ziel.zeitraum) else "–", "Wert": wert,
            "Zielvorgabe": comparison_short(ziel), "Frist": fmt.datum(ziel.frist),
        })
    return pd.DataFrame(rows)


def comparison_short(ziel) -> str:
    """'< 7,0 %', '≤ Deutschland', '≥ 6 Gebiete mit ≥ 1' (for narrow table columns)."""
    zeichen = ZEICHEN[ziel.vergleich]
    gegen = ziel.referenz_name if present(ziel.referenz) else fmt.wert(ziel.schwelle, ziel.einheit, stellen_fuer(ziel))
    return (f"≥ {fmt.anzahl(int(ziel.anzahl), 'Gebiet', 'Gebiete')} mit {zeichen} {gegen}" if present(ziel.anzahl)
            else f"{zeichen} {gegen}")


def display_table(ziel, bewertung: pd.DataFrame, niveau: float = 0.95) -> pd.DataFrame:
    """One target's rows with German headers and formatted values, as a person reads them. Values are shown at the
    precision they are judged at (statistik.genauigkeit), so the table never contradicts its status."""
    rows = bewertung[bewertung["ziel"] == ziel.id]
    stellen = stellen_fuer(ziel)

    def value(v, coverage):
        if not present(v):
            return "–"
        return (fmt.anzahl(int(round(v)), "Gebiet", "Gebiete") if coverage
                else fmt.wert(runden(v, stellen), ziel.einheit, stellen))

    def shown_value(r):
        if r["status"] == "nicht_entscheidbar" and not present(r["wert"]):
            return "kein Wert"
        text = value(r["wert"], r["abdeckung"])
        if present(r["wert"]) and not r["abdeckung"]:
            text = kennzeichen.mit_zeichen(text, r.get("kennzeichen"))  # '9,0 % p' (official flags)
        if present(r["wert"]) and r.get("naeherung") is True:
            text = "≈ " + text
        return text

    def interval(r):
        if not present(r["ki_unten"]):
            return "–"
        return (f"{fmt.zahl(r['ki_unten'], stellen)}–"
                f"{fmt.wert(r['ki_oben'], ziel.einheit, stellen)}")

    def statistically(r):
        return statistisch_text(r["signifikant"], r.get("belastbar"))

    def at_deadline(r):
        parts = []
        if present(r["frist_erreicht"]):
            parts.append(f"{value(r['fristwert'], r['abdeckung'])} {'✔' if r['frist_erreicht'] else '✖'}")
        elif r["status"] == "nicht_entscheidbar":
            parts.append("kein Vergleichswert" if present(r["wert"]) else "kein Wert")
        if present(r["spaeter_erreicht"]):
            parts.append(f"später erreicht ({int(r['spaeter_erreicht'])})")
        return " · ".join(parts) or "–"

    def forecast(r):
        text = value(r["prognose"], r["abdeckung"])
        if present(r["prognose"]) and present(r["prognose_unten"]):
            text += f" ({fmt.zahl(runden(r['prognose_unten'], stellen), stellen)}–" \
                    f"{fmt.zahl(runden(r['prognose_oben'], stellen), stellen)})"
        if present(r["prognose"]) and present(r["prognose_referenz"]):
            text += f"; {ziel.referenz_name}: {value(r['prognose_referenz'], False)}"
        return text

    columns = {
        "Gebiet": rows["gebiet_name"],
        "Jahr": rows["zeitraum"].fillna("–"),
        "Wert": [shown_value(r) for _, r in rows.iterrows()],
        "Vergleich": [value(v, c) for v, c in zip(rows["vergleichswert"], rows["abdeckung"])],
        "Status": [status_mit_sicherheit(r["status"], r["sicherheit"], r["unsicher"]) for _, r in rows.iterrows()],
        ki_spalte(niveau): [interval(r) for _, r in rows.iterrows()],
        "Statistisch": [statistically(r) for _, r in rows.iterrows()],
        "Jüngster Trend": [signifikanz.trend_text(k, ziel.polaritaet) if present(k) else "–"
                           for k in rows["juengster_trend"]],
        f"Stand {ziel.frist.year}": [at_deadline(r) for _, r in rows.iterrows()],
        f"Prognose {ziel.frist.year}": [forecast(r) for _, r in rows.iterrows()],
    }
    table = pd.DataFrame(columns).reset_index(drop=True)
    if ziel.art != "quote":
        table = table.drop(columns=[ki_spalte(niveau), "Statistisch", "Jüngster Trend"])
    if rows["ohne_wert"].notna().any():
        table["Ohne Wert"] = rows["ohne_wert"].fillna("–").values
    return table

def tabellen_hinweis(table: pd.DataFrame) -> str:
    """The caption under display_table, built from what the table shows: the Sicherheit only where a status carries
    one (a count target has none), the prognosis interval only where a prognosis has one in brackets, the recent
    trend only where the table has that column. The numbers come from statistik (draws, threshold, trend points).
    '' when the table shows none of them (the Familienlotsen: no Sicherheit, no prognosis, no trend)."""
    def zeigt(spalte: str, merkmal: str) -> bool:
        return spalte in table and table[spalte].astype(str).str.contains(merkmal, regex=False).any()

    saetze = []
    if zeigt("Status", "Sicherheit"):
        saetze.append(f"Sicherheit: Anteil von {fmt.zahl(ZIEHUNGEN)} Ziehungen der Fallzahlen, die "
                      f"denselben Status ergeben; unter {fmt.zahl(100 * UNSICHER_UNTER)} % „unsicher“.")
    prognose = next((c for c in table.columns if str(c).startswith("Prognose ")), None)
    if prognose and zeigt(prognose, "("):
        saetze.append("Prognose in Klammern: 95-%-Prognoseintervall.")
    if "Jüngster Trend" in table:
        saetze.append(f"Jüngster Trend: letzte {signifikanz.TREND_PUNKTE} Jahre, Chi-Quadrat-Test auf Trend "
                      "(siehe „So wird gerechnet“).")
    return " ".join(saetze)


def notes(ziel, bewertung: pd.DataFrame) -> list[str]:
    """The notes of a target's rows, each said once with the areas it applies to; last the legend of the official
    flags its values carry ('Kennzeichen der Statistik: p = vorläufige Zahl'), if any."""
    rows = bewertung[(bewertung["ziel"] == ziel.id) & bewertung["hinweis"].notna()]
    grouped = rows.groupby("hinweis", sort=False)["gebiet_name"].agg(list)
    total = (bewertung["ziel"] == ziel.id).sum()
    lines = [f"{'Alle Gebiete' if len(names) == total else ', '.join(names)}: {hinweis}"
             for hinweis, names in grouped.items()]
    if "kennzeichen" in bewertung and (legende := kennzeichen_legende(bewertung[bewertung["ziel"] == ziel.id])):
        lines.append(legende)
    return lines


def kennzeichen_legende(rows: pd.DataFrame) -> str:
    """'Kennzeichen der Statistik: p = vorläufige Zahl · …' for the flags of the shown values among rows (bewertung
    or overview rows: columns wert, kennzeichen); '' if none."""
    if "kennzeichen" not in rows:
        return ""
    shown = rows.loc[rows["wert"].notna(), "kennzeichen"] if "wert" in rows else rows["kennzeichen"]
    legende = kennzeichen.legende(shown.astype(object).tolist())
    return f"Kennzeichen der Statistik: {legende}" if legende else ""


def text_report(katalog: pd.DataFrame, bewertung: pd.DataFrame) -> str:
    """The evaluation as German plain text, one block per target (for the command line)."""
    if katalog.empty:
        return "Noch keine Ziele in der Datenbank. Import: python -m sozialmonitor import targets data/ziele.toml"
    uebersicht = overview(katalog, bewertung)
    blocks = [summary_text(uebersicht["status"], uebersicht["spaeter_erreicht"]) + "."]
    for ziel in uebersicht.itertuples(index=False):
        blocks.append("\n".join([
            f"{ziel.id} – {ziel.titel}",
            f"  Ziel: {comparison_text(ziel)}, Frist {fmt.datum(ziel.frist)}, Basisjahr {ziel.basisjahr}",
            f"  Gesamt: {status_label(ziel.status)} ({ziel.gebiet_name})",
            display_table(ziel, bewertung).to_string(index=False),
            *(f"  Hinweis – {note}" for note in notes(ziel, bewertung)),
        ]))
    return "\n\n".join(blocks)
