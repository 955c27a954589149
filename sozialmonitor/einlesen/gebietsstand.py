"""Values of former areas converted to today's Gemeinden ("Umrechnung auf den aktuellen Gebietsstand").

gebiete.vorgaenger lists each Gemeinde's predecessor AGS (e.g. AGS_VORGAENGER of the VG250 boundary file). A value
delivered for a predecessor is converted like this:
* numerators and denominators (or counts) of all predecessors of a Gemeinde are added, a rate is recomputed from
  the sums (rates cannot be added);
* a predecessor marked "x" (entfällt: the area did not exist, no persons) contributes nothing – it does not erase
  the others; only when every part is "x" the sum is "x";
* a suppressed ("*") or missing (".") part makes the sum suppressed/missing – a sum without it would be wrong;
* a predecessor that belongs to several of today's Gemeinden (an area split between them) is refused with a message
  naming the split, unless the user apportions it by weights (`--gewichte DATEI`: vorgaenger;nachfolger;gewicht,
  e.g. the population shares; each predecessor's weights sum to 1). Counts are multiplied by the weight.
The result never depends on the order of the rows. Nothing here touches the database."""

import pandas as pd

from sozialmonitor.einlesen.befunde import findings
from sozialmonitor.einlesen.inhalte import duplicate_findings
from sozialmonitor.einlesen.tabelle import read_table
from sozialmonitor.einlesen.zahlen import Lesart, lies, stil, zahl_text, zerlege
from sozialmonitor.errors import Befund

STATUS_RANG = {"ok": 0, "fehlt": 1, "gesperrt": 2}  # worst wins; "entfaellt" parts are left out
GEWICHT_TOLERANZ = 1e-6


def nachfolger(con) -> pd.DataFrame:
    """Predecessor AGS → today's area, one row per pair (columns nachfolger, vorgaenger), from gebiete.vorgaenger."""
    return con.execute("""
        SELECT DISTINCT code AS nachfolger, trim(v) AS vorgaenger
        FROM (SELECT code, unnest(string_split(vorgaenger, ',')) AS v FROM gebiete
              WHERE vorgaenger IS NOT NULL AND vorgaenger <> '')
        WHERE trim(v) <> ''
        ORDER BY nachfolger, vorgaenger""").df()


def teilungen(paare: pd.DataFrame) -> dict[str, list[str]]:
    """Predecessors that belong to several of today's areas → those areas (sorted)."""
    je = paare.groupby("vorgaenger")["nachfolger"].agg(lambda s: sorted(set(s)))
    return {v: n for v, n in je.items() if len(n) > 1}


def _gewichte_als_zahlen(texts: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The weight column as numbers (0,4 · 0.4 · 40 %) and a mask of the cells that could be read."""
    texts = texts.fillna("").astype(str)
    mark = stil(texts.str.strip())
    werte, lesbar = [], []
    for cell in texts:
        zelle = zerlege(cell)
        wert, _ = lies(zelle.zahl, Lesart(), mark) if zelle.status == "ok" and not zelle.null else (None, None)
        if wert is not None and zelle.prozent:
            wert = wert / 100
        werte.append(float("nan") if wert is None else wert)
        lesbar.append(wert is not None and zelle.zahl != "")
    return pd.Series(werte, index=texts.index, dtype=float), pd.Series(lesbar, index=texts.index, dtype=bool)


def lese_gewichte(data: bytes, name: str, paare: pd.DataFrame) -> tuple[pd.DataFrame, list[Befund]]:
    """The weights file (CSV/XLSX: vorgaenger;nachfolger;gewicht) → columns vorgaenger, nachfolger, gewicht, zeile.
    Every finding names file, line and field: a pair that is no predecessor relation, a weight that is not a number
    in 0–1, a predecessor whose weights do not sum to 1 or leave out one of its successors."""
    table = read_table(data, name, ["vorgaenger", "nachfolger", "gewicht"])
    frame = table.frame
    befunde = list(table.befunde)
    zahlen, ok = _gewichte_als_zahlen(frame["gewicht"])
    frame = frame.assign(gewicht=zahlen, vorgaenger=frame["vorgaenger"].str.strip(),
                         nachfolger=frame["nachfolger"].str.strip())
    befunde += findings(name, frame, ~ok | zahlen.isna() | (zahlen < 0) | (zahlen > 1), "gewicht",
                                "Erwartet wird ein Gewicht zwischen 0 und 1 (z. B. 0,4 für 40 %).")
    known = set(zip(paare["vorgaenger"], paare["nachfolger"]))
    unknown = pd.Series([(v, n) not in known for v, n in zip(frame["vorgaenger"], frame["nachfolger"])],
                        index=frame.index, dtype=bool)
    befunde += findings(name, frame, unknown,
                                "nachfolger", lambda r: f"{r.vorgaenger} ist laut Gebietsstand kein Vorgänger von "
                                                        f"{r.nachfolger}.")
    befunde += duplicate_findings(name, frame, ["vorgaenger", "nachfolger"])
    splits = teilungen(paare)
    for vorgaenger, rows in frame.groupby("vorgaenger", sort=True):
        total = rows["gewicht"].sum()
        if abs(total - 1) > GEWICHT_TOLERANZ and not rows["gewicht"].isna().any():
            befunde.append(Befund(name, int(rows["zeile"].min()), "gewicht",
                                  f"Die Gewichte von {vorgaenger} ergeben zusammen {zahl_text(total)} statt 1."))
        fehlen = sorted(set(splits.get(vorgaenger, [])) - set(rows["nachfolger"]))
        if fehlen:
            befunde.append(Befund(name, int(rows["zeile"].min()), "nachfolger",
                                  f"{vorgaenger} gehört auch zu {', '.join(fehlen)}; dafür fehlt ein Gewicht."))
    return frame[["vorgaenger", "nachfolger", "gewicht", "zeile"]], befunde


def zuordnen(rows: pd.DataFrame, paare: pd.DataFrame, gewichte: pd.DataFrame | None, name: str
             ) -> tuple[pd.DataFrame, list[Befund]]:
    """Rows keyed by a predecessor AGS get today's code (the old one stays in vorgaenger_code) and a gewicht (1, or
    the user's weight for a split predecessor, one row per successor). A split predecessor without weights is a
    finding naming the split. Rows of today's codes that are no predecessor keep gewicht 1."""
    splits = teilungen(paare)
    eindeutig = paare[~paare["vorgaenger"].isin(splits)].drop_duplicates("vorgaenger")
    ziel = dict(zip(eindeutig["vorgaenger"], eindeutig["nachfolger"]))
    befunde: list[Befund] = []
    geteilt = rows["gebiet"].isin(splits)
    ohne_gewicht = geteilt & ~rows["gebiet"].isin(set(gewichte["vorgaenger"]) if gewichte is not None else set())
    befunde += findings(name, rows, ohne_gewicht, "gebiet", lambda r: (
        f"{r.gebiet} ist ein Vorgänger mehrerer heutiger Gemeinden ({', '.join(splits[r.gebiet])}): der Wert lässt "
        "sich nicht eindeutig zuordnen. Bitte mit Gewichten aufteilen („--gewichte DATEI“ mit den Spalten "
        "vorgaenger;nachfolger;gewicht, z. B. Bevölkerungsanteile) – ohne Gewichte wird nichts übernommen."))
    einfach = rows[~geteilt].copy()
    mapped = einfach["gebiet"].map(ziel)
    einfach = einfach.assign(vorgaenger_code=einfach["gebiet"].where(mapped.notna()),
                             gebiet=mapped.fillna(einfach["gebiet"]), gewicht=1.0)
    teile = rows[geteilt & ~ohne_gewicht]
    if not teile.empty:
        teile = teile.merge(gewichte[["vorgaenger", "nachfolger", "gewicht"]], left_on="gebiet",
                            right_on="vorgaenger", how="inner")
        teile = teile.assign(vorgaenger_code=teile["gebiet"], gebiet=teile["nachfolger"]).drop(
            columns=["vorgaenger", "nachfolger"])
    result = pd.concat([einfach, teile], ignore_index=True) if not teile.empty else einfach
    return result.sort_values(["zeile", "gebiet"], kind="stable").reset_index(drop=True), befunde


def kennzeichen_der_teile(flags: pd.Series) -> str | None:
    """The flags of a sum: every flag of any part (a sum with a provisional part is provisional)."""
    found = sorted({flag for value in flags.dropna() for flag in str(value).split(",") if flag})
    return ",".join(found) or None


def summieren(mapped: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """One row per (today's gebiet, indikator, zeitraum) from its predecessors' rows (columns of the importer's
    validated rows plus vorgaenger_code and gewicht): weighted sums of zaehler, nenner and (counts) wert; a rate
    recomputed from the sums; 'x' parts left out; suppressed/missing parts make the sum suppressed/missing. The
    result does not depend on the order of the rows."""
    key = ["gebiet", "indikator", "zeitraum"]
    frame = mapped.merge(catalogue[["indikator", "art", "faktor"]], on="indikator", how="left",
                         suffixes=("", "_katalog"))
    art = frame["art_katalog"] if "art_katalog" in frame else frame["art"]
    faktor = frame["faktor_katalog"] if "faktor_katalog" in frame else frame["faktor"]
    frame = frame.assign(art=art, faktor=faktor)
    teil = ~frame["status"].eq("entfaellt")
    w = frame["gewicht"].astype(float)
    frame = frame.assign(
        zaehler=(frame["zaehler"] * w).where(teil), nenner=(frame["nenner"] * w).where(teil),
        wert=(frame["wert"] * w).where(teil), rang=frame["status"].map(STATUS_RANG).where(teil))
    frame = frame.sort_values([*key, "vorgaenger_code"], kind="stable")
    groups = frame.groupby(key, sort=False)
    summed = groups.agg(zaehler=("zaehler", lambda s: s.sum(min_count=1)),
                        nenner=("nenner", lambda s: s.sum(min_count=1)),
                        wert=("wert", lambda s: s.sum(min_count=1)),
                        rang=("rang", "max"), quelle=("quelle", "first"), zeile=("zeile", "min"),
                        kennzeichen=("kennzeichen", kennzeichen_der_teile),
                        art=("art", "first"), faktor=("faktor", "first")).reset_index()
    rang_status = {v: k for k, v in STATUS_RANG.items()}
    summed["status"] = summed["rang"].map(rang_status).fillna("entfaellt")  # every part 'x' → 'x'
    rate = summed["art"].eq("quote")
    summed["wert"] = summed["wert"].mask(rate, summed["faktor"] * summed["zaehler"]
                                         / summed["nenner"].where(summed["nenner"] > 0))
    summed["status"] = summed["status"].mask(rate & summed["status"].eq("ok") & summed["nenner"].eq(0), "entfaellt")
    for column in ("zaehler", "nenner", "wert"):
        summed[column] = summed[column].where(summed["status"].eq("ok"))
    return summed.drop(columns=["rang"])


def ueberlebende_codes(paare: pd.DataFrame) -> dict[str, list[str]]:
    """Today's codes that are also one of their own predecessors, with the others merged into them: a value for
    such a code from before the merger covers only its old part."""
    je = paare.groupby("nachfolger")["vorgaenger"].agg(lambda s: sorted(set(s)))
    return {n: [v for v in vs if v != n] for n, vs in je.items() if n in vs and len(vs) > 1}


def warnungen_ohne_umrechnung(rows: pd.DataFrame, paare: pd.DataFrame) -> list[str]:
    """For an import without --vorgaenger: a warning per surviving code that gets values, naming the years – if
    those years lie before the merger the value covers only the old part and should be imported with
    --vorgaenger."""
    codes = ueberlebende_codes(paare)
    betroffen = rows[rows["gebiet"].isin(codes)]
    hinweise = []
    for code, jahre in betroffen.groupby("gebiet", sort=True)["zeitraum"]:
        liste = ", ".join(sorted({str(j)[:4] for j in jahre}))
        hinweise.append(
            f"{code} ist nach einer Gebietsänderung mit {', '.join(codes[code])} zusammengelegt worden und hat "
            f"denselben Schlüssel behalten. Liegen die Werte für {liste} vor der Zusammenlegung, umfassen sie nur "
            f"den alten Teil – dann bitte mit „--vorgaenger“ (Werte aller Vorgänger) importieren.")
    return hinweise
