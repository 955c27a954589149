"""What the map component receives per rerun, compactly (issue 22): only what differs per area, typed, plus what
is shared once.

A map view is built as per-area lists (`kartendaten.map_data`: "klasse" and the finished tooltip "hover" per area of
the served GeoJSON). Sent as they are, 11.299 tooltips of ~200 bytes repeat the same Kreis/Land/Bund lines 11.299
times (2,3 MB per change). `packen` sends instead:

- a table `gebiete` (Arrow, one row per area in file order, typed columns): `klasse` (int8, −1 = no value), `form`
  (index into `tooltip.formen`), `z`/`n` (the numbers of a fraction line, see below) and `d0`, `d1`, … (indices into
  `tooltip.texte` for the tooltip's other lines, in order);
- `tooltip.texte`: every distinct line once (a value line, a reason, a Kreis → Land → Bund block);
- `tooltip.formen`: each distinct line sequence as a string of kinds: `N` the area's name in bold (taken from the
  label points file the browser loads once, property `titel`), `B` a fraction „12 von 340“ (z, n), `M` a monthly
  mean fraction „Ø 1,2 von 34,5 im Monat“ (z, n in tenths), `D` the next text of `texte`.

Nothing is computed anew: the tooltips are built (and protected by Geheimhaltung) exactly as before, and packing is
lossless – `entpacken` rebuilds every tooltip string, and the browser (karte.js, `tooltipText`) builds the same; a
test holds both equal for every area and kind of value of the demo. A line is packed as a fraction only if
formatting its numbers again gives back exactly that line (otherwise it stays text)."""

import re

import numpy as np
import pandas as pd

from sozialmonitor import fmt, klartext

BRUCH = re.compile(r"^(\d{1,3}(?:\.\d{3})*) von (\d{1,3}(?:\.\d{3})*)$")
MONATSBRUCH = re.compile(r"^Ø (\d{1,3}(?:\.\d{3})*,\d) von (\d{1,3}(?:\.\d{3})*,\d) im Monat$")
GRAUER_BLOCK = "<br><span"  # the reference block's lines belong together: one text, not three


def titel(name: str) -> str:
    """The name line's text as a tooltip shows it (escaped: names are user text); the label points carry it."""
    return klartext.plotly(name)


def _ganzzahl(text: str) -> int:
    """'1.234' → 1234, '1.234,5' → 12345 (tenths): the digits of a formatted number."""
    return int(text.replace(".", "").replace(",", ""))


def _bruch_text(art: str, z: int, n: int) -> str:
    if art == "B":
        return f"{fmt.zahl(z)} von {fmt.zahl(n)}"
    return f"Ø {fmt.zahl(z / 10, 1)} von {fmt.zahl(n / 10, 1)} im Monat"


def _zeilen(hover: str) -> list[str]:
    kopf, trenner, grau = hover.partition(GRAUER_BLOCK)
    return kopf.split("<br>") + ([trenner.removeprefix("<br>") + grau] if trenner else [])


def packen(daten: dict, namen: list[str]) -> dict:
    """The component data as sent: daten from kartendaten.map_data (or a map view built the same way, with
    'klasse' and 'hover' per area); namen: the areas' names in file order (MapGeometry.names). Returns daten
    without 'klasse'/'hover' but with 'gebiete' (DataFrame: klasse, form, z, n, d0…) and 'tooltip' (formen, texte)."""
    texte: dict[str, int] = {}
    formen: dict[str, int] = {}
    form, z, n, codes = [], [], [], []
    for hover, name in zip(daten["hover"], namen):
        art, eigene = [], []
        zn = (0, 0)
        for position, zeile in enumerate(_zeilen(hover)):
            if position == 0 and zeile == f"<b>{titel(name)}</b>":
                art.append("N")
                continue
            treffer = BRUCH.match(zeile) or MONATSBRUCH.match(zeile)
            if treffer and "B" not in art and "M" not in art:
                kind = "B" if treffer.re is BRUCH else "M"
                werte = (_ganzzahl(treffer.group(1)), _ganzzahl(treffer.group(2)))
                if _bruch_text(kind, *werte) == zeile:
                    art.append(kind)
                    zn = werte
                    continue
            art.append("D")
            eigene.append(texte.setdefault(zeile, len(texte)))
        form.append(formen.setdefault("".join(art), len(formen)))
        z.append(zn[0])
        n.append(zn[1])
        codes.append(eigene)
    breite = max((len(c) for c in codes), default=0)
    spalten = {"klasse": np.asarray(daten["klasse"], dtype=np.int8), "form": np.asarray(form, dtype=np.uint8),
               "z": _schmal(z), "n": _schmal(n)}
    for stelle in range(breite):
        spalten[f"d{stelle}"] = _schmal([c[stelle] if stelle < len(c) else 0 for c in codes])
    gepackt = {k: v for k, v in daten.items() if k not in ("klasse", "hover")}
    gepackt["gebiete"] = pd.DataFrame(spalten)
    gepackt["tooltip"] = {"formen": list(formen), "texte": list(texte)}
    return gepackt


def _schmal(werte: list[int]) -> np.ndarray:
    """The narrowest unsigned type for non-negative integers (2 bytes per area where they fit)."""
    groesste = max(werte, default=0)
    return np.asarray(werte, dtype=np.uint16 if groesste < 2**16 else np.uint32)


def entpacken(gepackt: dict, titel_je_gebiet: list[str]) -> dict:
    """The inverse of packen, as the browser does it: 'klasse' and 'hover' per area again. titel_je_gebiet: the
    label points' property 'titel' in file order. Used by the tests (AppTest runs no JavaScript)."""
    tabelle: pd.DataFrame = gepackt["gebiete"]
    formen, texte = gepackt["tooltip"]["formen"], gepackt["tooltip"]["texte"]
    d_spalten = [c for c in tabelle.columns if c.startswith("d")]
    hover = []
    for zeile, name in zip(tabelle.itertuples(index=False), titel_je_gebiet):
        teile, naechste = [], 0
        for art in formen[zeile.form]:
            if art == "N":
                teile.append(f"<b>{name}</b>")
            elif art in "BM":
                teile.append(_bruch_text(art, int(zeile.z), int(zeile.n)))
            else:
                teile.append(texte[int(getattr(zeile, d_spalten[naechste]))])
                naechste += 1
        hover.append("<br>".join(teile))
    rest = {k: v for k, v in gepackt.items() if k not in ("gebiete", "tooltip")}
    return {**rest, "klasse": tabelle["klasse"].astype(int).tolist(), "hover": hover}
