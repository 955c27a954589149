"""The attacker of the disclosure tests: collects everything the app and its exports show about a database, then
tries every way to recompute a suppressed count from it.

What is collected (each as an interval [lo, hi] of a count of persons per gebiet × indikator × zeitraum):
- the map page's tooltips as the map component receives them (every indicator, level and period; the "x von y"
  lines, "x von y im Monatsmittel", values of counts, rates together with a visible denominator) and the table's CSV file,
- the change map's differences between consecutive periods (with one visible end: the other end),
- `check --json`, the Excel workbook and the PowerPoint tables: values and 95 % Wilson intervals, inverted to the
  numerator and denominator they came from,
- `sozialindex --json` (issue 21): every area's unrounded indicator values and z-values, and the change over the
  dynamics span – each value times a visible denominator is a count, the change gives the base year's count.
Paths: (1) shown directly, (2) aggregate minus its other parts (Gemeinde → Sozialraum → Kreis, Kreis − Sozialräume),
(3) annual sum minus the other months, (4) rate × visible denominator, (5) difference of two periods,
(6) interval inversion, and (7) all of it at once: the smallest and largest value a linear program allows."""

import csv
import io
import json
import math
import re
from contextlib import redirect_stdout

import highspy
import numpy as np
import openpyxl
import pandas as pd
from pptx import Presentation

from sozialmonitor import cli
from sozialmonitor.ausgabe import arbeitsmappe, foliensatz
from sozialmonitor.daten import db
from sozialmonitor.karten import kartendaten, uebertragung
from sozialmonitor.daten import queries
from sozialmonitor.ziele import auswertung

ZAHL = r"\d[\d.]*(?:,\d+)?"


def zahl(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def dezimalen(text: str) -> int:
    return len(text.split(",")[1]) if "," in text else 0


class Wissen:
    """Intervals of counts the attacker has established; key (gebiet, indikator, zeitraum)."""

    def __init__(self):
        self.spanne: dict[tuple, tuple[float, float]] = {}
        self.nenner: dict[tuple, tuple[float, float]] = {}
        self.wege: dict[tuple, str] = {}

    def lerne(self, key, lo, hi, weg, nenner=False):
        table = self.nenner if nenner else self.spanne
        old = table.get(key, (-math.inf, math.inf))
        new = (max(old[0], lo), min(old[1], hi))
        if new != old:
            table[key] = new
            if not nenner and new[1] - new[0] < old[1] - old[0]:
                self.wege[key] = weg
            return True
        return False

    def exakt(self, key) -> float | None:
        lo, hi = self.spanne.get(key, (-math.inf, math.inf))
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return None
        if math.floor(hi + 1e-6) == math.ceil(lo - 1e-6):
            return float(math.ceil(lo - 1e-6))
        return None


def _rate_interval(text: str, faktor: float) -> tuple[float, float]:
    value = zahl(text)
    half = 0.5 * 10 ** -dezimalen(text)
    return (value - half) / faktor, (value + half) / faktor


# ---------------------------------------------------------------- harvesting

def sammle_karte(con, wissen: Wissen) -> int:
    """Every tooltip and table CSV of the map page; returns how many texts were read."""
    texts = 0
    indicators = queries.run_query(con, "map_indicators")
    for _, row in indicators.iterrows():
        indikator = kartendaten.Indikator.from_row(row)
        periods = queries.run_query(con, "indicator_periods")
        periods = periods[periods["indikator"].eq(indikator.id)]
        for ebene in periods["ebene"].unique():
            geometry = kartendaten.map_geometry(queries.run_query(con, "area_geometries", ebene=ebene))
            code_by_name = {kartendaten.short_name(n): c for c, n in geometry.names.items()}
            ordered = sorted(periods.loc[periods["ebene"].eq(ebene), "zeitraum"])
            frames = {}
            for zeitraum in ordered:
                values = kartendaten.prepare_values(queries.run_query(
                    con, "indicator_values_by_area", indikator=indikator.id, zeitraum=zeitraum, ebene=ebene),
                    indikator)
                frames[zeitraum] = values
                references = queries.run_query(con, "reference_values", indikator=indikator.id, zeitraum=zeitraum)
                # the map's own path: tooltips packed from the values, written out as the browser writes them
                data = kartendaten.map_data(geometry, values, None, "", indikator=indikator,
                                            referenzen=kartendaten.reference_texts(values, references, indikator))
                titel = [f["properties"]["titel"] for f in geometry.label_collection()["features"]]
                for code, text in zip(geometry.codes, uebertragung.entpacken(data, titel)["hover"]):
                    texts += 1
                    _lies_tooltip(wissen, code, indikator, zeitraum, text)
                table = kartendaten.area_table(values, indikator)
                for line in csv.DictReader(io.StringIO(kartendaten.csv_bytes(table).decode("utf-8-sig")), delimiter=";"):
                    texts += 1
                    code = code_by_name.get(line["Gebiet"])
                    if code and line.get("Zähler von Nenner"):
                        _lies_anteil(wissen, code, indikator, zeitraum, line["Zähler von Nenner"], "CSV der Tabelle")
            same_kind = [[p for p in ordered if len(p) == n] for n in (4, 7)]
            for kind in same_kind:
                for before, after in zip(kind, kind[1:]):
                    change = kartendaten.change_values(frames[before], frames[after], indikator)
                    for r in change.itertuples():
                        texts += 1
                        _lies_veraenderung(wissen, r.gebiet, indikator, before, after, r.hover, con)
    # "entfällt" (the offices' '–', nothing there) is shown as such: a known 0 in every sum
    for gebiet, indikator, zeitraum in con.execute(
            "SELECT gebiet, indikator, zeitraum FROM werte WHERE status = 'entfaellt'").fetchall():
        texts += 1
        wissen.lerne((gebiet, indikator, zeitraum), 0.0, 0.0, "„entfällt“ gezeigt")
    return texts


def _lies_tooltip(wissen: Wissen, code, indikator, zeitraum, text: str) -> None:
    for line in text.split("<br>"):
        if line.startswith("Wert: "):
            shown = line.removeprefix("Wert: ")
            m = re.fullmatch(rf"({ZAHL})(?: (%|‰))?(?: \(Ø.*\))?", shown)
            if not m:
                continue
            if indikator.ist_quote:
                lo, hi = _rate_interval(m.group(1), indikator.faktor)
                wissen.lerne((code, indikator.id, zeitraum, "quote"), lo, hi, "Tooltip", nenner=True)
            else:
                value = zahl(m.group(1))
                wissen.lerne((code, indikator.id, zeitraum), value, value, "Tooltip")
        elif " von " in line:
            _lies_anteil(wissen, code, indikator, zeitraum, line, "Tooltip")


def _lies_anteil(wissen: Wissen, code, indikator, zeitraum, text: str, weg: str) -> None:
    m = re.fullmatch(rf"(Ø )?({ZAHL}) von ({ZAHL})( im Monatsmittel| im Monat)?", text.strip())
    if not m:
        return
    z, n = zahl(m.group(2)), zahl(m.group(3))
    if m.group(1) or m.group(4):  # a mean month: the year's sum is 12 (or fewer) times it; rounded to one decimal
        return _lies_monatsmittel(wissen, code, indikator, zeitraum, m.group(2), m.group(3))
    wissen.lerne((code, indikator.id, zeitraum), z, z, weg)
    wissen.lerne((code, indikator.id, zeitraum), n, n, weg, nenner=True)


def _lies_monatsmittel(wissen, code, indikator, zeitraum, z_text, n_text) -> None:
    wissen.monatsmittel = getattr(wissen, "monatsmittel", {})
    wissen.monatsmittel[(code, indikator.id, zeitraum)] = (zahl(z_text), 0.5 * 10 ** -dezimalen(z_text))


def _lies_veraenderung(wissen, code, indikator, before, after, hover: str, con) -> None:
    m = re.search(rf"Veränderung: ([+−±])({ZAHL})", hover)
    if not m:
        return
    sign = {"+": 1, "−": -1, "±": 0}[m.group(1)]
    diff = sign * zahl(m.group(2))
    half = 0.5 * 10 ** -dezimalen(m.group(2))
    wissen.differenzen = getattr(wissen, "differenzen", [])
    wissen.differenzen.append((code, indikator.id, before, after, diff - half, diff + half, indikator.ist_quote,
                               indikator.faktor))


def wilson_umkehren(wert: float, unten: float, oben: float, faktor: float, genauigkeit: float,
                    max_n: int = 200_000) -> list[tuple[int, int]]:
    """Every (zaehler, nenner) whose rate and 95 % Wilson interval round to what a document shows."""
    n = np.arange(1, max_n + 1, dtype=float)
    x = np.round(wert / faktor * n)
    ok = np.abs(faktor * x / n - wert) <= genauigkeit + 1e-9
    n, x = n[ok], x[ok]
    if not len(n):
        return []
    z = auswertung.Z_95
    p = x / n
    denom = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / denom
    half = z / denom * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    lo, hi = np.maximum(0, mid - half) * faktor, np.minimum(1, mid + half) * faktor
    ok = (np.abs(lo - unten) <= genauigkeit + 1e-9) & (np.abs(hi - oben) <= genauigkeit + 1e-9)
    found = list(zip(x[ok].astype(int).tolist(), n[ok].astype(int).tolist()))
    return found


def _lerne_intervall(wissen, gebiet, indikator, faktor, jahr, wert, unten, oben, genauigkeit, weg):
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (wert, unten, oben)):
        return
    found = wilson_umkehren(float(wert), float(unten), float(oben), faktor, genauigkeit)
    if found and len(found) <= 3:
        zs = [f[0] for f in found]
        wissen.lerne((gebiet, indikator, str(jahr)), min(zs), max(zs), weg)


def sammle_dokumente(con, path, wissen: Wissen) -> int:
    """check --json, the Excel workbook and the deck's tables; returns how many values were read."""
    katalog = queries.run_query(con, "ziele_katalog")
    indikator_of = dict(zip(katalog["id"], katalog["indikator"]))
    faktor_of = dict(zip(katalog["id"], katalog["faktor"]))
    monatlich = dict(zip(katalog["id"], katalog["aggregation"].eq("jahresdurchschnitt")))
    read = 0
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["check", "--db", str(path), "--json"]) == 0
    for r in json.loads(out.getvalue()):
        read += 1
        if monatlich[r["ziel"]]:
            continue  # intervals of annual averages rest on the mean month (not an integer count)
        _lerne_intervall(wissen, r["gebiet"], indikator_of[r["ziel"]], faktor_of[r["ziel"]], r["zeitraum"], r["wert"],
                         r["ki_unten"], r["ki_oben"], 0.00005, "check --json")
    unterlagen = foliensatz.collect(lambda name: queries.run_query(con, name))
    book = openpyxl.load_workbook(io.BytesIO(arbeitsmappe.xlsx_bytes(unterlagen)))
    for ziel_id in katalog["id"]:
        sheet = next((s for s in book.worksheets if s.title == ziel_id[:31]), None)
        if sheet is None or monatlich[ziel_id]:
            continue
        rows = list(sheet.iter_rows(values_only=True))
        header = next(i for i, row in enumerate(rows) if row and row[0] == "Gebiet")
        for row in rows[header + 1:]:
            read += 1
            record = dict(zip(rows[header], row))
            _lerne_intervall(wissen, record["Gebietsschlüssel"], indikator_of[ziel_id], faktor_of[ziel_id],
                             record["Jahr"], record["Wert"], record["95-%-KI unten"], record["95-%-KI oben"], 1e-9,
                             "Excel")
    deck = Presentation(io.BytesIO(foliensatz.build_pptx(unterlagen).data))
    names = dict(zip(unterlagen.bewertung["gebiet_name"], unterlagen.bewertung["gebiet"]))
    for slide, ziel in zip(list(deck.slides)[2:], unterlagen.uebersicht.itertuples()):
        if monatlich[ziel.id]:
            continue
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            cells = [[c.text for c in row.cells] for row in shape.table.rows]
            for row in cells[1:]:
                read += 1
                record = dict(zip(cells[0], row))
                m = re.fullmatch(rf"({ZAHL})–({ZAHL}) %", record.get("95-%-KI", ""))
                w = re.fullmatch(rf"({ZAHL}) %", record.get("Wert", ""))
                if m and w and record.get("Gebiet") in names:
                    _lerne_intervall(wissen, names[record["Gebiet"]], indikator_of[ziel.id], faktor_of[ziel.id],
                                     record["Jahr"], zahl(w.group(1)), zahl(m.group(1)), zahl(m.group(2)), 0.05,
                                     "PowerPoint")
    return read


def sammle_sozialindex(con, path, wissen: Wissen) -> int:
    """`sozialindex --json`: each area's value of each indicator in the index year, recovered from its z-value
    (x = mean + z · sd over the index's areas: what a reader of the z-table can do) and checked against the value
    printed beside it, times the denominator the map shows → the count; value minus the change over the span → the
    base year's value and count. Returns how many values were read."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["sozialindex", "--db", str(path), "--json"]) == 0
    faktor = dict(con.execute("SELECT id, faktor FROM indikatoren").fetchall())
    nenner = {(g, i, z): n for g, i, z, n in con.execute(
        "SELECT gebiet, indikator, zeitraum, nenner FROM werte WHERE status = 'ok' AND nenner IS NOT NULL").fetchall()}
    read = 0
    for index in json.loads(out.getvalue())["indizes"]:
        jahr, basis = str(index["jahr"]), str(index["basisjahr"])
        for indikator in index["indikatoren"]:
            zeilen = [(g["gebiet"], g["indikatoren"][indikator]) for g in index["gebiete"]
                      if indikator in g["indikatoren"]]
            werte = np.array([w["wert"] for _, w in zeilen])
            if len(werte) < 2:
                continue
            mittel, sd = werte.mean(), werte.std(ddof=1)
            for gebiet, w in zeilen:
                read += 1
                x = mittel + w["z"] * sd if w["z"] is not None else w["wert"]
                assert abs(x - w["wert"]) < 1e-6 * max(1.0, abs(x))  # the z-value says nothing the value does not
                for zeitraum, wert in ((jahr, x), (basis, None if w["aenderung"] is None else x - w["aenderung"])):
                    n = nenner.get((gebiet, indikator, zeitraum))
                    if wert is None or n is None:
                        continue
                    zaehler = wert * n / faktor[indikator]
                    wissen.lerne((gebiet, indikator, zeitraum), zaehler - 1e-6, zaehler + 1e-6, "sozialindex --json")
    return read


# ---------------------------------------------------------------- recomputation

def relationen(con) -> list[tuple[tuple, list[tuple]]]:
    """(aggregate key, part keys) for every aggregate the data obey, also Kreis = Σ Sozialräume. An imported
    (published) aggregate that does not equal the sum of its parts is no identity an attacker could use: left out."""
    roh = con.execute("SELECT w.gebiet, w.indikator, w.zeitraum, w.status, "
                      "CASE WHEN w.status = 'entfaellt' THEN 0 WHEN i.art = 'quote' THEN w.zaehler ELSE w.wert END "
                      "AS anzahl "
                      "FROM werte_live w JOIN indikatoren i ON i.id = w.indikator").df()
    wahr = {(g, i, z): (s, a) for g, i, z, s, a in roh.itertuples(index=False)}

    def stimmt(agg, parts) -> bool:
        total = wahr.get(agg)
        values = [wahr.get(p) for p in parts]
        if total is None or total[1] != total[1] or any(v is None for v in values):
            return False
        if any(v[0] == "gesperrt" for v in values):
            return True  # unknown part: the published total is taken at its word
        return abs(sum(v[1] for v in values) - total[1]) < 1e-6
    teile = con.execute("SELECT obergebiet, teilgebiet FROM teilgebiete").df()
    werte = con.execute("SELECT DISTINCT indikator, zeitraum FROM werte").df()
    parts = teile.groupby("obergebiet")["teilgebiet"].agg(list).to_dict()
    gebiete = con.execute("SELECT code, ebene, uebergeordnet FROM gebiete").df()
    sozialraeume = gebiete.loc[gebiete["ebene"].eq("sozialraum"), "code"].tolist()
    for kreis in gebiete.loc[gebiete["ebene"].eq("kreis"), "code"]:
        gemeinden = set(parts.get(kreis, []))
        srs = [s for s in sozialraeume if set(parts.get(s, [])) <= gemeinden and parts.get(s)]
        if srs and set().union(*(set(parts[s]) for s in srs)) == gemeinden:
            parts[("sr", kreis)] = srs
    out = []
    for indikator, zeitraum in werte.itertuples(index=False):
        for ober, glieder in parts.items():
            name = ober[1] if isinstance(ober, tuple) else ober
            agg, members = (name, indikator, zeitraum), [(g, indikator, zeitraum) for g in glieder]
            if stimmt(agg, members):
                out.append((agg, members))
    return out


def nachrechnen(con, wissen: Wissen, links: dict[str, str]) -> None:
    """Paths 2–5 to a fixed point: each new exact count may open the next path."""
    rels = relationen(con)
    monate = con.execute("SELECT gebiet, indikator, zeitraum FROM werte WHERE length(zeitraum) = 7").df()
    jahre = monate.assign(jahr=monate["zeitraum"].str[:4]).groupby(["gebiet", "indikator", "jahr"])["zeitraum"].agg(list)
    for _ in range(20):
        changed = False
        # (4) rate × visible denominator (the denominator as its own count indicator, or shown beside the rate)
        for key, (lo, hi) in list(wissen.nenner.items()):
            if len(key) == 4:
                gebiet, indikator, zeitraum, _ = key
                n = wissen.nenner.get((gebiet, indikator, zeitraum))
                if n is None and indikator in links:
                    n = wissen.spanne.get((gebiet, links[indikator], zeitraum))
                if n is not None and n[0] == n[1]:
                    changed |= wissen.lerne((gebiet, indikator, zeitraum), lo * n[0], hi * n[0], "Quote × Nenner")
        # (2) aggregate minus parts
        for agg, parts in rels:
            keys = [agg] + parts
            spans = [wissen.spanne.get(k) for k in keys]
            unknown = [i for i, s in enumerate(spans) if s is None or s[1] - s[0] > 1e-6]
            if len(unknown) == 1:
                i = unknown[0]
                known = sum(s[0] for j, s in enumerate(spans) if j != i and j != 0)
                if i == 0:
                    changed |= wissen.lerne(keys[0], known, known, "Summe der Teile")
                else:
                    rest = spans[0][0] - known
                    changed |= wissen.lerne(keys[i], rest, rest, "Aggregat minus übrige Teile")
        # (3) annual sum (mean month × months) minus the other months
        for (gebiet, indikator, jahr), months in jahre.items():
            mean = getattr(wissen, "monatsmittel", {}).get((gebiet, indikator, jahr))
            if mean is None:
                continue
            k = len(months)
            total = (mean[0] - mean[1]) * k, (mean[0] + mean[1]) * k
            spans = [wissen.spanne.get((gebiet, indikator, m)) for m in months]
            unknown = [i for i, s in enumerate(spans) if s is None or s[1] - s[0] > 1e-6]
            if len(unknown) == 1:
                known = sum(s[0] for j, s in enumerate(spans) if j != unknown[0])
                changed |= wissen.lerne((gebiet, indikator, months[unknown[0]]), total[0] - known, total[1] - known,
                                        "Jahressumme minus übrige Monate")
        # (5) difference of two periods: one end visible gives the other (as a rate, then × denominator)
        for gebiet, indikator, before, after, lo, hi, quote, faktor in getattr(wissen, "differenzen", []):
            a = wissen.nenner.get((gebiet, indikator, before, "quote")) if quote else wissen.spanne.get((gebiet, indikator, before))
            b = wissen.nenner.get((gebiet, indikator, after, "quote")) if quote else wissen.spanne.get((gebiet, indikator, after))
            scale = 1 / faktor if quote else 1
            if a is not None and b is None:
                target, span = (gebiet, indikator, after, "quote"), (a[0] + lo * scale, a[1] + hi * scale)
            elif b is not None and a is None:
                target, span = (gebiet, indikator, before, "quote"), (b[0] - hi * scale, b[1] - lo * scale)
            else:
                continue
            if quote:
                changed |= wissen.lerne(target, *span, "Differenz zweier Jahre", nenner=True)
            else:
                changed |= wissen.lerne(target[:3], *span, "Differenz zweier Jahre")
        if not changed:
            return


def lp_spannen(con, wissen: Wissen, ziele: list[tuple]) -> dict[tuple, tuple[float, float]]:
    """(7) min and max of each target count subject to every aggregate relation and every interval the attacker
    holds, counts ≥ 0 (HiGHS, warm-started per target)."""
    rels = relationen(con)
    keys = set(ziele) | set(wissen.spanne)
    rels = [(agg, parts) for agg, parts in rels if any(k in keys for k in [agg] + parts)]
    for agg, parts in rels:
        keys |= {agg, *parts}
    index = {k: i for i, k in enumerate(sorted(keys, key=str))}
    lower = np.zeros(len(index))
    upper = np.full(len(index), highspy.kHighsInf)
    for k, (lo, hi) in wissen.spanne.items():
        lower[index[k]] = max(0.0, lo)
        upper[index[k]] = hi if math.isfinite(hi) else highspy.kHighsInf
    rows, cols, vals = [], [], []
    for r, (agg, parts) in enumerate(rels):
        rows.append(r); cols.append(index[agg]); vals.append(-1.0)
        for p in parts:
            rows.append(r); cols.append(index[p]); vals.append(1.0)
    from scipy.sparse import coo_matrix
    a = coo_matrix((vals, (rows, cols)), shape=(len(rels), len(index))).tocsc()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(index), len(rels)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = np.zeros(len(index)), lower, upper
    lp.row_lower_, lp.row_upper_ = np.zeros(len(rels)), np.zeros(len(rels))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
    h.passModel(lp)
    result, previous = {}, None
    for key in ziele:
        j = index[key]
        if previous is not None:
            h.changeColCost(previous, 0.0)
        h.changeColCost(j, 1.0)
        previous = j
        span = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            h.changeObjectiveSense(sense)
            h.run()
            status = h.getModelStatus()
            span.append(h.getInfo().objective_function_value if status == highspy.HighsModelStatus.kOptimal
                        else (math.nan if status == highspy.HighsModelStatus.kInfeasible else math.inf))
        result[key] = tuple(span)
    return result
