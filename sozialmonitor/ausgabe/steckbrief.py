"""Steckbrief: one Sozialraum or Gemeinde at a glance (no Streamlit).

Every indicator's latest annual value against the range of the Kreis' areas of the same level and against the
Kreis, Land and Bund values — the *spine chart* of England's Fingertips (PHE, "Public Health Profiles", technical
guidance: marker coloured by the comparison of the value's 95 % interval with the benchmark, and by polarity) —,
the series of each indicator with its recent-trend test, the goal verdicts of the area and the population the rates
rest on. Suppression and small-number marks come from `kartendaten.prepare_values`, exactly as on the map page.

Every statistical mark comes from the shared `statistik` package, so Steckbrief, goal page, map page and
Sitzungsvorlage can never disagree: the comparison with the Kreis is `intervalle.abstand` (the goal page's
'gesichert'), the change since the previous year `signifikanz.veraenderung_gesichert` (the map page's change map),
the recent trend `signifikanz.juengster_trend` (the goal page's and map page's 'Jüngster Trend')."""

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from sozialmonitor import fmt, kennzeichen, klartext
from sozialmonitor.karten import kartendaten
from sozialmonitor.ziele import auswertung
from sozialmonitor.statistik import intervalle, signifikanz

GERMAN_SEPARATORS = ",."

# Comparison with the Kreis (Fingertips' colours: better green, similar amber, worse red; without a judgement
# (polarity neutral) darker / lighter blue; no interval: not compared, grey). Each class also has a word and a symbol,
# so colour is never the only carrier.
VERGLEICH = {
    "besser": ("besser als der Kreis (gesichert)", "#1a9641", "⊕"),
    "aehnlich": ("nicht vom Kreis unterscheidbar", "#f2b705", "≈"),
    "schlechter": ("schlechter als der Kreis (gesichert)", "#d7191c", "⊖"),
    "hoeher": ("höher als der Kreis (gesichert, ohne Wertung)", "#2c5aa0", "▲"),
    "niedriger": ("niedriger als der Kreis (gesichert, ohne Wertung)", "#9ecae1", "▼"),
    "ohne": ("nicht verglichen (kein Intervall)", "#9e9e9e", "○"),
}
# The recent-trend marker of statistik.signifikanz.juengster_trend (its keys).
TREND = {
    "steigend": "steigt (gesichert)", "fallend": "sinkt (gesichert)", "kein": "kein gesicherter Trend",
    "nicht_pruefbar": "kein Trendtest",  # fewer than 5 years in a row with numerator and denominator
}
TREND_SYMBOL = {"steigend": "↑", "fallend": "↓", "kein": "→", "nicht_pruefbar": "–"}
# Short texts for table cells (the long ones above for legends and help).
# ⊕/⊖ say better/worse whatever the direction (a lower SGB-II rate is better: never "▲ besser" below the Kreis);
# ▲/▼ only say higher/lower, for indicators without a judgement; ● stays the mark of "nicht belastbar".
VERGLEICH_KURZ = {"besser": "⊕ besser", "aehnlich": "≈ ähnlich", "schlechter": "⊖ schlechter", "hoeher": "▲ höher",
                  "niedriger": "▼ niedriger", "ohne": "○ kein Vergleich"}
BEREICH_FARBE, QUARTIL_FARBE = "#e6e6e6", "#b3b3b3"


@dataclass(frozen=True)
class Steckbrief:
    """Everything one area's profile shows. zeilen: one row per indicator (see `profile`), verlauf: annual series
    (indikator, rolle, gebiet, zeitraum, wert), ziele: the goal verdicts of this area (rows of auswertung.evaluate with
    the German texts Ziel, Status, Wert, Vergleich, Statistisch)."""

    gebiet: str
    name: str
    ebene: str
    kreis_name: str
    zeilen: pd.DataFrame
    verlauf: pd.DataFrame
    ziele: pd.DataFrame
    sozialindex: tuple[str, ...] = ()  # one line per index of its level (sozialindex.texte.steckbrief_zeilen)
    ring: dict[str, str] | None = None  # indicator → the Vergleichsring's value as text (mit_ring); None: no ring

    @property
    def kurzname(self) -> str:
        return kartendaten.short_name(self.name)

    def bevoelkerung(self) -> list[str]:
        """'Kinder unter 10 Jahren: 556 (2024)' for the counts without a judgement (the population the rates rest
        on), as people read them."""
        counts = self.zeilen[self.zeilen["polaritaet"].eq("neutral")]
        return [f"{r.name}: {r.wert_text} ({r.zeitraum})" for r in counts.itertuples()]


def areas(frame: pd.DataFrame) -> dict[str, str]:
    """steckbrief_gebiete.sql → code → 'Name (Sozialraum)' for the area picker."""
    level = {"sozialraum": "Sozialraum", "gemeinde": "Gemeinde"}
    return {r.gebiet: f"{kartendaten.short_name(r.name)} ({level.get(r.ebene, r.ebene)})" for r in frame.itertuples()}


def profile(gebiet: str, werte: pd.DataFrame, indikatoren: pd.DataFrame, bewertung: pd.DataFrame,
            katalog: pd.DataFrame | None = None) -> Steckbrief:
    """The Steckbrief of `gebiet`.

    werte: steckbrief_werte.sql (rolle gebiet/vergleich/kreis/land/bund, annual values); indikatoren:
    map_indicators.sql (with faktor); bewertung: auswertung.evaluate(); katalog: ziele_katalog.sql (titles, units).
    zeilen columns: indikator, name, einheit, art, polaritaet, nachkommastellen, zeitraum, wert, wert_text,
    anteil_text, status, unsicher, unsicher_grund, ki_unten, ki_oben (in the unit), kreis, land, bund (values of the
    same year, NaN if none), kreis_text, land_text, bund_text, minimum, q25, q75, maximum, gebiete (areas with a
    value in the range, this one included), vergleich (a key of VERGLEICH), trend (a key of TREND), trend_p,
    vorjahr, veraenderung (latest − previous year, unit), veraenderung_gesichert (bool or None), kennzeichen,
    kreis_kennzeichen, land_kennzeichen, bund_kennzeichen (compact codes of the official flags of the shown
    values, e.g. 'p', '' for none: sozialmonitor.kennzeichen).
    Raises KeyError when the area has no row at all (unknown code)."""
    own = werte[werte["rolle"].eq("gebiet")]
    if own.empty:
        raise KeyError(gebiet)
    first = own.iloc[0]
    kreis_rows = werte[werte["rolle"].eq("kreis")]
    rows, series = [], []
    je_indikator = dict(tuple(werte.groupby("indikator", sort=False)))  # filter the small part, not all rows
    for spec in indikatoren.itertuples(index=False):
        indikator = kartendaten.Indikator.from_row(spec._asdict())
        alle = je_indikator.get(indikator.id, werte.head(0))
        mine = alle[alle["rolle"].eq("gebiet")].sort_values("zeitraum")
        if mine.empty:
            continue
        prepared = kartendaten.prepare_values(mine, indikator)
        latest = prepared.iloc[-1]
        jahr = latest["zeitraum"]
        same_year = alle[alle["zeitraum"].eq(jahr)]
        refs = {rolle: _reference(alle, rolle, jahr) for rolle in ("kreis", "land", "bund")}
        ref_value = {r: (float(f["wert"].iloc[0]) if not f.empty and pd.notna(f["wert"].iloc[0]) else math.nan)
                     for r, f in refs.items()}
        gefunden = {r: f for r, f in refs.items() if not f.empty}  # their texts in one pass
        vorbereitet = kartendaten.prepare_values(pd.concat(gefunden.values()), indikator) if gefunden else None
        texte = dict(zip(gefunden, vorbereitet["wert_text"])) if gefunden else {}
        marken = dict(zip(gefunden, (str(k) for k in vorbereitet["kennzeichen"]))) if gefunden else {}
        ref_text = {r: (texte[r] + ("" if f["zeitraum"].iloc[0] == jahr else f" ({f['zeitraum'].iloc[0]})")
                        if not f.empty else "–") for r, f in refs.items()}
        if not indikator.ist_quote:  # a Kreis' count is no yardstick for a Gemeinde's count
            ref_value = dict.fromkeys(ref_value, math.nan)
            ref_text = dict.fromkeys(ref_text, "–")
        peers = same_year[same_year["rolle"].isin(["gebiet", "vergleich"]) & same_year["wert"].notna()]["wert"]
        zaehler, nenner = intervalle.fallzahlen(latest["zaehler"], latest["nenner"], latest["monate"])
        lage = (intervalle.abstand(zaehler, nenner, indikator.faktor, ref_value["kreis"],
                                   belastbar=not latest["unsicher"])
                if indikator.ist_quote and zaehler is not None else None)
        ki = (lage.ki_unten, lage.ki_oben) if lage else (math.nan, math.nan)
        vergleich = vergleich_key(lage, ref_value["kreis"], indikator.polaritaet)
        trend = (signifikanz.juengster_trend(prepared["zeitraum"].astype(int), prepared["zaehler"],
                                             prepared["nenner"], monate=prepared["monate"])
                 if indikator.ist_quote else signifikanz.Trend("nicht_pruefbar"))
        vorjahr, veraenderung, gesichert = _change(prepared, indikator)
        rows.append({
            "indikator": indikator.id, "name": indikator.name, "einheit": indikator.einheit, "art": indikator.art,
            "polaritaet": indikator.polaritaet, "nachkommastellen": indikator.nachkommastellen, "zeitraum": jahr,
            "wert": latest["wert"], "wert_text": latest["wert_text"], "anteil_text": latest["anteil_text"],
            "status": latest["status"], "unsicher": bool(latest["unsicher"]),
            "unsicher_grund": latest["unsicher_grund"], "ki_unten": ki[0], "ki_oben": ki[1],
            "regel": indikator.regel_text(latest.get("herkunft") == "jahresdurchschnitt"),
            **{r: ref_value[r] for r in ref_value}, **{f"{r}_text": ref_text[r] for r in ref_text},
            "minimum": peers.min() if len(peers) else math.nan,
            "q25": peers.quantile(0.25) if len(peers) else math.nan,
            "q75": peers.quantile(0.75) if len(peers) else math.nan,
            "maximum": peers.max() if len(peers) else math.nan, "gebiete": int(len(peers)),
            "vergleich": vergleich, "trend": trend.key, "trend_p": math.nan if trend.p is None else trend.p,
            "vorjahr": vorjahr,
            "veraenderung": veraenderung, "veraenderung_gesichert": gesichert,
            # compact codes of the official flags of the values this row shows (own, Kreis, Land, Bund), for the legend
            "kennzeichen": str(latest["kennzeichen"]),
            **{f"{r}_kennzeichen": marken[r] if r in marken and indikator.ist_quote else "" for r in refs},
        })
        series.append(mine.assign(rolle="gebiet")[["indikator", "rolle", "gebiet", "zeitraum", "wert"]])
        kreis_series = kreis_rows[kreis_rows["indikator"].eq(indikator.id)]
        if indikator.ist_quote and not kreis_series.empty:
            series.append(kreis_series[["indikator", "rolle", "gebiet", "zeitraum", "wert"]])
    zeilen = pd.DataFrame(rows)
    verlauf = (pd.concat(series, ignore_index=True) if series
               else pd.DataFrame(columns=["indikator", "rolle", "gebiet", "zeitraum", "wert"]))
    kreis_name = kreis_rows["name"].iloc[0] if not kreis_rows.empty else "Kreis"
    return Steckbrief(gebiet, first["name"], first["ebene"], kreis_name, zeilen, verlauf,
                      goal_rows(gebiet, bewertung, katalog))


def _reference(werte: pd.DataFrame, rolle: str, jahr: str) -> pd.DataFrame:
    """The Kreis/Land/Bund row of the same year (werte: one indicator's rows); Land and Bund are often published
    later: else their latest earlier value with a value (the text then names its year). Empty when there is none."""
    rows = werte[werte["rolle"].eq(rolle) & werte["zeitraum"].le(jahr)]
    same = rows[rows["zeitraum"].eq(jahr)]
    if not same.empty or rolle == "kreis":
        return same.head(1)
    return rows[rows["wert"].notna()].sort_values("zeitraum").tail(1)


def vergleich_key(lage: intervalle.Abstand | None, bezug, polaritaet: str) -> str:
    """The key of VERGLEICH for a rate's comparison with the Kreis (intervalle.abstand): significantly
    higher/lower, judged by polarity (besser/schlechter; without a judgement hoeher/niedriger); not significant
    (or not reliable) → 'aehnlich'; no interval or no Kreis value → 'ohne'."""
    if lage is None or pd.isna(bezug):
        return "ohne"
    if not lage.gesichert:
        return "aehnlich"
    if polaritaet == "neutral":
        return "hoeher" if lage.hoeher else "niedriger"
    return "schlechter" if lage.hoeher == (polaritaet == "niedriger_ist_besser") else "besser"


def _change(prepared: pd.DataFrame, indikator: kartendaten.Indikator):
    """The previous year, the change since then (unit of the indicator) and whether it is significant
    (signifikanz.veraenderung_gesichert at 95 % on the counts, never for a rate that is not reliable)."""
    known = prepared[prepared["wert"].notna() & prepared["status"].isin(["ok", "unvollstaendig"])]
    if len(known) < 2 or int(known["zeitraum"].iloc[-1]) - int(known["zeitraum"].iloc[-2]) != 1:
        return None, math.nan, None
    before, after = known.iloc[-2], known.iloc[-1]
    gesichert = None
    if indikator.ist_quote:
        (z0, n0), (z1, n1) = (intervalle.fallzahlen(r["zaehler"], r["nenner"], r["monate"]) for r in (before, after))
        if n0 and n1:
            gesichert = bool(signifikanz.veraenderung_gesichert(
                z0, n0, z1, n1, belastbar=not (before["unsicher"] or after["unsicher"])))
    return before["zeitraum"], float(after["wert"] - before["wert"]), gesichert


def goal_rows(gebiet: str, bewertung: pd.DataFrame, katalog: pd.DataFrame | None) -> pd.DataFrame:
    """The goal verdicts of one area with German texts (Ziel, Jahr, Wert, Vergleich, Status, Statistisch) and the
    columns for code, not for show: ziel, status, kennzeichen (the stored flags of the value)."""
    rows = bewertung[bewertung["gebiet"].eq(gebiet)] if not bewertung.empty else bewertung
    if rows.empty or katalog is None or katalog.empty:
        return pd.DataFrame(columns=["ziel", "status", "kennzeichen", "Ziel", "Jahr", "Wert", "Zielvorgabe", "Status",
                                     "Statistisch"])
    ziele = {z.id: z for z in katalog.itertuples(index=False)}
    out = []
    for r in rows.itertuples(index=False):
        ziel = ziele.get(r.ziel)
        if ziel is None:
            continue
        flags = getattr(r, "kennzeichen", None) if auswertung.present(r.wert) else None
        out.append({"ziel": r.ziel, "status": r.status, "kennzeichen": flags, "Ziel": ziel.titel,
                    "Jahr": r.zeitraum if auswertung.present(r.zeitraum) else "–",
                    "Wert": kennzeichen.mit_zeichen(fmt.wert(r.wert, ziel.einheit, int(ziel.nachkommastellen)), flags),
                    "Zielvorgabe": auswertung.comparison_short(ziel),
                    # after a missed deadline '· später erreicht (2024)' as in the goal table and the documents
                    "Status": auswertung.status_mit_sicherheit(r.status,
                                                               spaeter=getattr(r, "spaeter_erreicht", None)),
                    # the goal table's word ('nicht belastbar' before 'nicht gesichert'): one vocabulary
                    "Statistisch": auswertung.statistisch_text(r.signifikant, getattr(r, "belastbar", None))})
    return pd.DataFrame(out)


def table(steckbrief: Steckbrief) -> pd.DataFrame:
    """The Steckbrief as a German table (one row per indicator), as page and documents show it. 'Vergleich mit dem
    Kreis' and 'Trend' say whether a difference is significant ('besser'/'schlechter'/'steigt'/'sinkt' only when
    it is; 'ähnlich'/'kein Trend' when not) – the legend (LEGENDE) says so in full."""
    rows = []
    for r in steckbrief.zeilen.itertuples(index=False):
        indikator = _indikator(r)
        spanne = ("–" if pd.isna(r.minimum) else indikator.wert(r.minimum) if r.minimum == r.maximum
                  else f"{indikator.zahl(r.minimum)} bis {indikator.wert(r.maximum)}")
        hinweis = kartendaten.NICHT_BELASTBAR if r.unsicher else ""
        rows.append({
            "Indikator": r.name, "Jahr": r.zeitraum, "Wert": r.wert_text, "Zähler von Nenner": r.anteil_text or "–",
            "Kreis": r.kreis_text, "Land": r.land_text, "Bund": r.bund_text,
            **({"Vergleichsring": steckbrief.ring.get(r.indikator, "–")} if steckbrief.ring else {}),
            f"Spanne der {LEVEL_PLURAL.get(steckbrief.ebene, 'Gebiete')}": spanne,
            "Vergleich mit dem Kreis": VERGLEICH_KURZ[r.vergleich],
            "Trend (5 Jahre)": signifikanz.trend_text(r.trend, r.polaritaet) if r.art == "quote" else "–",
            "Hinweis": hinweis,
        })
    return pd.DataFrame(rows)


def mit_ring(steckbrief: Steckbrief, v) -> Steckbrief:
    """The Steckbrief with the Vergleichsring's value beside Kreis, Land and Bund (table column "Vergleichsring"):
    for each rate the ring carries, its value of the row's year, else the latest before it with the year in
    brackets, as Land and Bund are shown. v: sozialindex.vergleichsring.Vergleichsring, or a reason text / None
    (then unchanged)."""
    import dataclasses

    reihen = getattr(v, "reihen", None)
    if reihen is None or reihen.empty or steckbrief.zeilen.empty:
        return steckbrief
    texte = {}
    for r in steckbrief.zeilen.itertuples(index=False):
        teil = reihen[reihen["indikator"].eq(r.indikator) & reihen["zeitraum"].astype(str).le(str(r.zeitraum))]
        if r.art != "quote" or teil.empty:
            continue
        letzte = teil.sort_values("zeitraum").iloc[-1]
        text = _indikator(r).wert(letzte["wert"])
        texte[r.indikator] = text if str(letzte["zeitraum"]) == str(r.zeitraum) else f"{text} ({letzte['zeitraum']})"
    return dataclasses.replace(steckbrief, ring=texte or None)


def kennzeichen_legende(steckbrief: Steckbrief, vergleiche=("kreis", "land", "bund")) -> str:
    """'Kennzeichen der Statistik: p = vorläufige Zahl · …' for the official flags of the values the Steckbrief
    shows (its indicators' rows, the comparison columns given in vergleiche and its goal verdicts); '' if none."""
    columns = ["kennzeichen"] + [f"{r}_kennzeichen" for r in vergleiche]
    codes = [c for column in columns if column in steckbrief.zeilen for c in steckbrief.zeilen[column]]
    codes += list(steckbrief.ziele["kennzeichen"]) if "kennzeichen" in steckbrief.ziele else []
    legende = kennzeichen.legende(codes)
    return f"Kennzeichen der Statistik: {legende}" if legende else ""


LEVEL_PLURAL = {"sozialraum": "Sozialräume", "gemeinde": "Gemeinden"}
LEGENDE = ("Vergleich mit dem Kreis: ⊕ besser / ⊖ schlechter: das 95-%-Konfidenzintervall (Wilson) liegt ganz auf "
           "der besseren oder der schlechteren Seite des Kreiswerts (statistisch gesichert; was besser ist, sagt die "
           "Richtung des Indikators), ▲ höher / ▼ niedriger: ebenso bei Indikatoren ohne Wertung, ≈ ähnlich: es "
           "enthält den Kreiswert oder die Quote ist nicht belastbar, ○ kein Vergleich bei Anzahlen. Trend: "
           "Chi-Quadrat-Test auf Trend über die letzten fünf Jahre (99,8 %), der auch ohne jedes einzelne Jahr "
           "bestehen bleibt (wie auf der Karten- und der Zielseite); ↑/↓ nur wenn gesichert.")


def _indikator(row) -> kartendaten.Indikator:
    return kartendaten.Indikator(row.indikator, row.name, row.einheit, row.art, row.polaritaet, int(row.nachkommastellen))


# ---------------------------------------------------------------- figures

def spine_position(row) -> dict:
    """Positions on the spine (−1 … 1, the Kreis value at 0, worse to the left, better to the right; without a
    judgement lower to the left) of: minimum, q25, q75, maximum, wert, land, bund, kreis. Counts, which have no
    Kreis yardstick, are placed within their range (the middle of the range at 0)."""
    centre = row["kreis"] if pd.notna(row["kreis"]) else (row["minimum"] + row["maximum"]) / 2
    values = {k: row[k] for k in ("minimum", "q25", "q75", "maximum", "wert", "land", "bund", "kreis")}
    spread = max([abs(v - centre) for v in values.values() if pd.notna(v)] + [1e-9])
    sign = -1.0 if row["polaritaet"] == "niedriger_ist_besser" else 1.0
    return {k: (sign * (v - centre) / spread if pd.notna(v) else None) for k, v in values.items()}


SPARK = (-3.3, -1.45)  # x range of the sparklines; the spine runs from −1 to 1 (the Kreis at 0)


def _spark_points(steckbrief: Steckbrief, indikator: str, rolle: str, y: float, lo: float, hi: float):
    part = steckbrief.verlauf[steckbrief.verlauf["indikator"].eq(indikator)
                              & steckbrief.verlauf["rolle"].eq(rolle)].sort_values("zeitraum")
    years = sorted(steckbrief.verlauf.loc[steckbrief.verlauf["indikator"].eq(indikator), "zeitraum"].unique())
    if part.empty or len(years) < 2:
        return [], [], []
    index = {year: k for k, year in enumerate(years)}
    xs = [SPARK[0] + (SPARK[1] - SPARK[0]) * index[t] / (len(years) - 1) for t in part["zeitraum"]]
    ys = [y - 0.32 + 0.55 * ((v - lo) / (hi - lo) if hi > lo else 0.5) if pd.notna(v) else None
          for v in part["wert"]]
    return xs, ys, list(part["zeitraum"])


def figure(steckbrief: Steckbrief, width: int | None = None, font_size: int = 12) -> go.Figure:
    """Per indicator one row: its sparkline (this area solid, Kreis dashed grey) on the left, its spine on the
    right: the range of the Kreis' areas (light), their middle half (darker), Kreis (line at the centre), Land (◆)
    and Bund (■), this area's value (●, coloured by VERGLEICH); above each row the name, the value (German
    numbers) and the trend. One plot area and a few traces for all rows (a subplot per row made the browser draw
    for seconds)."""
    zeilen = steckbrief.zeilen.to_dict("records")
    n = max(1, len(zeilen))
    layers = {key: {"x": [], "y": [], "text": []} for key in
              ("bereich", "quartil", "spark_kreis", "spark_gebiet", "kreis", "land", "bund", "wert", "ende_links",
               "ende_rechts", "ende_mitte", "titel")}
    farben = []
    for i, row in enumerate(zeilen):
        y = -float(i)
        indikator = _indikator(pd.Series(row))
        werte = steckbrief.verlauf.loc[steckbrief.verlauf["indikator"].eq(row["indikator"]), "wert"].dropna()
        lo, hi = (werte.min(), werte.max()) if len(werte) else (0.0, 1.0)
        for rolle, layer in (("kreis", "spark_kreis"), ("gebiet", "spark_gebiet")):
            xs, ys, jahre = _spark_points(steckbrief, row["indikator"], rolle, y, lo, hi)
            part = steckbrief.verlauf[steckbrief.verlauf["indikator"].eq(row["indikator"])
                                      & steckbrief.verlauf["rolle"].eq(rolle)].sort_values("zeitraum")
            layers[layer]["x"] += xs + [None]
            layers[layer]["y"] += ys + [None]
            label = "Kreis" if rolle == "kreis" else steckbrief.kurzname
            layers[layer]["text"] += [f"{label} {j}: {indikator.wert(v)}" for j, v in zip(jahre, part["wert"])] + [""]
        pos = spine_position(row)
        if pos["minimum"] is not None:
            for layer, (a, b) in (("bereich", ("minimum", "maximum")), ("quartil", ("q25", "q75"))):
                layers[layer]["x"] += [pos[a], pos[b], None]
                layers[layer]["y"] += [y, y, None]
            ends = (indikator.wert(row["minimum"]), indikator.wert(row["maximum"]))
            if row["polaritaet"] == "niedriger_ist_besser":
                ends = ends[::-1]
            links, rechts = sorted((pos["minimum"], pos["maximum"]))
            # one area with a value (or all equal): one label, not two on top of each other
            enden = ((("ende_links", links, ends[0]), ("ende_rechts", rechts, ends[1])) if ends[0] != ends[1]
                     else (("ende_mitte", links, ends[0]),))
            for layer, x, text in enden:
                layers[layer]["x"].append(x)
                layers[layer]["y"].append(y - 0.12)
                layers[layer]["text"].append(text)
        names = {"kreis": "Kreis", "land": "Land", "bund": "Bund"}
        for key in ("kreis", "land", "bund"):
            if pos[key] is not None:
                layers[key]["x"].append(pos[key])
                layers[key]["y"].append(y)
                layers[key]["text"].append(f"{names[key]}: {row[key + '_text']}")
        if pos["wert"] is not None:
            layers["wert"]["x"].append(pos["wert"])
            layers["wert"]["y"].append(y)
            layers["wert"]["text"].append(f"{steckbrief.kurzname}: {row['wert_text']} – "
                                          f"{VERGLEICH[row['vergleich']][0]}")
            farben.append(VERGLEICH[row["vergleich"]][1])
        titel = f"<b>{row['name']}</b> {row['zeitraum']}: <b>{row['wert_text']}</b>"
        if row["unsicher"]:
            titel += f" ● {kartendaten.NICHT_BELASTBAR}"
        if row["art"] == "quote":  # a count has no trend test: nothing to say there
            titel += f"   {TREND_SYMBOL[row['trend']]} {TREND[row['trend']]}"
        layers["titel"]["x"].append(SPARK[0])
        layers["titel"]["y"].append(y + 0.42)
        layers["titel"]["text"].append(titel)

    fig = go.Figure()

    def line(layer, colour, width, dash=None, hover=False):
        fig.add_trace(go.Scatter(x=layers[layer]["x"], y=layers[layer]["y"], mode="lines", showlegend=False,
                                 line={"color": colour, "width": width, "dash": dash}, connectgaps=False,
                                 text=layers[layer]["text"] if hover else None,
                                 hoverinfo="text" if hover else "skip"))

    def marks(layer, symbol, size, colour, outline="#000000"):
        fig.add_trace(go.Scatter(x=layers[layer]["x"], y=layers[layer]["y"], mode="markers", showlegend=False,
                                 marker={"symbol": symbol, "size": size, "color": colour,
                                         "line": {"color": outline, "width": 1.5}},
                                 text=layers[layer]["text"], hoverinfo="text"))

    def texts(layer, position, size, colour):
        fig.add_trace(go.Scatter(x=layers[layer]["x"], y=layers[layer]["y"], mode="text", showlegend=False,
                                 text=layers[layer]["text"], textposition=position, hoverinfo="skip",
                                 textfont={"size": size, "color": colour}))

    line("bereich", BEREICH_FARBE, 16)
    line("quartil", QUARTIL_FARBE, 16)
    line("spark_kreis", "#8c8c8c", 1.5, "dash", hover=True)
    line("spark_gebiet", "#1f4e9c", 2.5, hover=True)
    marks("kreis", "line-ns", 22, "#000000")
    marks("land", "diamond", 10, "#555555")
    marks("bund", "square", 9, "#ffffff")
    marks("wert", "circle", 15, farben)
    texts("ende_links", "bottom right", font_size - 3, "#555555")
    texts("ende_mitte", "bottom center", font_size - 3, "#555555")
    texts("ende_rechts", "bottom left", font_size - 3, "#555555")
    texts("titel", "middle right", font_size, "#1a1a1a")
    fig.update_xaxes(visible=False, range=[SPARK[0] - 0.05, 1.2], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-(n - 1) - 0.75, 0.75], fixedrange=True)
    fig.add_annotation(
        text=("links: Verlauf (durchgezogen: dieses Gebiet, gestrichelt: Kreis)<br>rechts: Spanne der "
              f"{LEVEL_PLURAL.get(steckbrief.ebene, 'Gebiete')} im Kreis (hell: alle, dunkel: mittlere Hälfte)<br>"
              "│ Kreis, ◆ Land, ■ Bund, ● dieses Gebiet (Farbe: Vergleich mit dem Kreis); links schlechter, "
              "rechts besser"),
        x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="top", yshift=-8, showarrow=False,
        align="left", font={"size": font_size - 2, "color": "#555555"})
    fig.update_layout(height=int(n * font_size * 6.8) + 140, margin={"l": 8, "r": 8, "t": 8, "b": 100 + 2 * font_size},
                      separators=GERMAN_SEPARATORS, plot_bgcolor="#ffffff", paper_bgcolor="#ffffff",
                      font={"size": font_size}, hovermode="closest")
    if width:
        fig.update_layout(width=width)
    return fig


def locator_map_data(geometry: kartendaten.MapGeometry, gebiet: str) -> dict:
    """Map component data (see kartendaten.map_data): this area highlighted, the other areas of its level grey."""
    hover = [f"<b>{klartext.plotly(geometry.names[c])}</b>" + ("<br>dieses Gebiet" if c == gebiet else "")
             for c in geometry.codes]
    return {"klasse": [0 if c == gebiet else -1 for c in geometry.codes], "farben": ["#1f4e9c"], "hover": hover,
            "unsicher": [], "auswahl": geometry.codes.index(gebiet) if gebiet in geometry.codes else None,
            "legende": {"titel": "Lage im Kreis",
                        "eintraege": [["#1f4e9c", kartendaten.short_name(geometry.names.get(gebiet, gebiet))]],
                        "ohne_wert": "übrige Gebiete", "unsicher": ""}}
