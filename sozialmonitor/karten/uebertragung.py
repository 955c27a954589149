"""What the map component receives per rerun, compactly (issue 22): only what differs per area, typed, plus what
is shared once.

A map view is built as per-area lists (`kartendaten.map_data`: "klasse" and the finished tooltip "hover" per area of
the served GeoJSON). Sent as they are, 11.299 tooltips of ~200 bytes repeat the same Kreis/Land/Bund lines 11.299
times (2,3 MB per change). `packen` sends instead:

- a table `gebiete` (Arrow, one row per area in file order, typed columns): `klasse` (int8, −1 = no value), `form`
  (index into `tooltip.formen`) and `d0`, `d1`, … (for each of the tooltip's lines after the name, an index into
  `tooltip.texte`);
- a table `zahlen` (Arrow, one column `z`): the numbers of the areas' templated lines, one after the other in area
  and line order;
- `tooltip.texte`: every distinct line once – as it is (a Kreis → Land → Bund block shared by a Kreis' Gemeinden,
  a reason, a value that recurs), or as a template whose numbers differ from area to area („Wert: ␀0“,
  „␀0 von ␀0“, „⚠ Nicht belastbar: ␀0 im Nenner …␀1 Pp.“): ␀ followed by the number of decimals marks where the next
  number of `zahlen` goes, as an integer in units of its last decimal (1.234,5 → 12345);
- `tooltip.formen`: each distinct line sequence as a string of kinds: `N` the area's name in bold (taken from the
  label points file the browser loads once, property `titel`), `D` the next line of `d0`, `d1`, ….

A line becomes a template where that is smaller: when its template has many different lines (more than a quarter of
the areas showing it), i.e. the numbers differ per area. Nothing is computed anew: the tooltips are built (and
protected by Geheimhaltung) exactly as before, and packing is lossless – `entpacken` rebuilds every tooltip string,
and the browser (karte.js, `tooltipText`) builds the same; a test holds both equal for every area and kind of value of
the demo. A number is taken out of a line only if writing it again gives back exactly that line."""

import re
from collections import defaultdict

import numpy as np
import pandas as pd

from sozialmonitor import fmt, klartext

LUECKE = fmt.LUECKE  # in a template: followed by one digit, the decimals of the number that goes here
ZAHL = re.compile(r"(?<![\d&#.,])(\d{1,3}(?:\.\d{3})*)(?:,(\d{1,9}))?(?![\d.,]\d|\d)")
GRAUER_BLOCK = "<br><span"  # the reference block's lines belong together: one text, not three
SCHABLONE_AB = 4  # a template pays when more than 1 in SCHABLONE_AB of its uses is a line of its own


def titel(name: str) -> str:
    """The name line's text as a tooltip shows it (escaped: names are user text); the label points carry it."""
    return klartext.plotly(name)


def zahl_text(wert: int, stellen: int) -> str:
    """An integer in units of its last decimal in German digits: (12345, 1) → '1.234,5', (1503, 0) → '1.503'.
    Integer arithmetic only, as karte.js does it."""
    return fmt.ganz_text(wert, stellen)


def schablone(zeile: str) -> tuple[str, list[int]] | None:
    """A line with its numbers taken out, or None where it has none or writing them again would differ.

    ZAHL only matches digits grouped as fmt groups them, so a number comes back exactly as zahl_text writes it
    unless its integer part starts with a 0 that fmt would not write ('012', '0.123'): then the line stays text.
    (Checked here by that rule instead of formatting every number again: 33.000 numbers per change at 11.299
    areas; the tests hold both equal.)"""
    teile, zahlen, anfang = [], [], 0
    for treffer in ZAHL.finditer(zeile):
        ganz, dezimal = treffer.groups()
        if ganz[0] == "0" and len(ganz) > 1:
            return None
        wert = int(ganz.replace(".", "") + dezimal) if dezimal else int(ganz.replace(".", ""))
        if wert >= 2**32:
            return None
        start, ende = treffer.span()
        teile += [zeile[anfang:start], f"{LUECKE}{len(dezimal) if dezimal else 0}"]
        zahlen.append(wert)
        anfang = ende
    if not zahlen:
        return None
    return "".join(teile) + zeile[anfang:], zahlen


def _zeilen(hover: str) -> list[str]:
    if LUECKE in hover:
        hover = hover.replace(LUECKE, "\ufffd")  # a control character never reaches a tooltip (klartext removes it)
    kopf, trenner, grau = hover.partition(GRAUER_BLOCK)
    return kopf.split("<br>") + ([trenner.removeprefix("<br>") + grau] if trenner else [])


def packen(daten: dict, namen: list[str]) -> dict:
    """The component data as sent: daten from kartendaten.map_data (or a map view built the same way, with
    'klasse' and 'hover' per area); namen: the areas' names in file order (MapGeometry.names). Returns daten
    without 'klasse'/'hover' but with 'gebiete' (DataFrame: klasse, form, d0…), 'zahlen' (DataFrame: z) and
    'tooltip' (formen, texte).

    One pass over the tooltips collects their lines in one flat list; everything after works on the distinct lines
    (pandas.factorize) and on whole columns (numpy), so 11.299 areas cost one Python loop, not five (issue 22)."""
    formen: dict[str, int] = {}
    form, anzahl, flach = [], [], []
    for hover, name in zip(daten["hover"], namen):
        zeilen = _zeilen(hover)
        mit_name = zeilen[0] == f"<b>{titel(name)}</b>"
        eigene = zeilen[1:] if mit_name else zeilen
        form.append(formen.setdefault(("N" if mit_name else "") + "D" * len(eigene), len(formen)))
        anzahl.append(len(eigene))
        flach += eigene
    codes, verschiedene_zeilen = pd.factorize(np.asarray(flach, dtype=object))  # distinct lines, in order of use
    verschiedene_zeilen = list(verschiedene_zeilen)
    zerlegt = [schablone(z) for z in verschiedene_zeilen]
    # which lines travel as templates: those whose template stands for many different lines
    nutzungen_je_zeile = np.bincount(codes, minlength=len(verschiedene_zeilen)).tolist()
    nutzungen, verschiedene = defaultdict(int), defaultdict(int)
    for teil, n in zip(zerlegt, nutzungen_je_zeile):
        if teil:
            verschiedene[teil[0]] += 1
            nutzungen[teil[0]] += n
    schablonen = {s for s, n in verschiedene.items() if n * SCHABLONE_AB > nutzungen[s]}
    texte: dict[str, int] = {}
    code_je_zeile, zahlen_je_zeile = [], []
    for zeile, teil in zip(verschiedene_zeilen, zerlegt):  # in order of first use, as the areas list them
        if teil and teil[0] in schablonen:
            code_je_zeile.append(texte.setdefault(teil[0], len(texte)))
            zahlen_je_zeile.append(teil[1])
        else:
            code_je_zeile.append(texte.setdefault(zeile, len(texte)))
            zahlen_je_zeile.append(None)
    zahlen = [z for c in codes.tolist() if (teil := zahlen_je_zeile[c]) is not None for z in teil]
    # line k of area i goes to column d<k>: row = area, column = position of the line in its area
    anzahl = np.asarray(anzahl, dtype=np.int64)
    breite = int(anzahl.max()) if len(anzahl) else 0
    zeile_von = np.repeat(np.arange(len(anzahl)), anzahl)
    stelle = np.arange(len(codes)) - np.repeat(np.cumsum(anzahl) - anzahl, anzahl)
    tabelle = np.zeros((len(anzahl), breite), dtype=np.int64)
    tabelle[zeile_von, stelle] = np.asarray(code_je_zeile, dtype=np.int64)[codes] if len(codes) else []
    spalten = {"klasse": np.asarray(daten["klasse"], dtype=np.int8), "form": np.asarray(form, dtype=np.uint8)}
    for k in range(breite):
        spalten[f"d{k}"] = schmal(tabelle[:, k])
    gepackt = {k: v for k, v in daten.items() if k not in ("klasse", "hover")}
    gepackt["gebiete"] = pd.DataFrame(spalten)
    gepackt["zahlen"] = pd.DataFrame({"z": schmal(zahlen)})
    gepackt["tooltip"] = {"formen": list(formen), "texte": list(texte)}
    return gepackt


def schmal(werte) -> np.ndarray:
    """The narrowest unsigned type for non-negative integers (1 or 2 bytes each where they fit)."""
    groesste = int(np.max(werte)) if len(werte) else 0
    return np.asarray(werte, dtype=np.uint8 if groesste < 2**8 else np.uint16 if groesste < 2**16 else np.uint32)


def _fuellen(schablone: str, zahlen, position: int) -> tuple[str, int]:
    """A template with the next numbers of zahlen from position on; returns the line and the next position."""
    teile = schablone.split(LUECKE)
    text = [teile[0]]
    for teil in teile[1:]:
        text += [zahl_text(int(zahlen[position]), int(teil[0])), teil[1:]]
        position += 1
    return "".join(text), position


def entpacken(gepackt: dict, titel_je_gebiet: list[str]) -> dict:
    """The inverse of packen, as the browser does it: 'klasse' and 'hover' per area again. titel_je_gebiet: the
    label points' property 'titel' in file order. Used by the tests (AppTest runs no JavaScript)."""
    tabelle: pd.DataFrame = gepackt["gebiete"]
    zahlen = gepackt["zahlen"]["z"].to_numpy()
    formen, texte = gepackt["tooltip"]["formen"], gepackt["tooltip"]["texte"]
    d_spalten = [tabelle[c].to_numpy() for c in tabelle.columns if c.startswith("d")]
    hover, position = [], 0
    for index, (form, name) in enumerate(zip(tabelle["form"].to_numpy(), titel_je_gebiet)):
        teile, naechste = [], 0
        for art in formen[form]:
            if art == "N":
                teile.append(f"<b>{name}</b>")
                continue
            zeile, position = _fuellen(texte[int(d_spalten[naechste][index])], zahlen, position)
            teile.append(zeile)
            naechste += 1
        hover.append("<br>".join(teile))
    rest = {k: v for k, v in gepackt.items() if k not in ("gebiete", "zahlen", "tooltip")}
    if "klasse" in tabelle:
        rest["klasse"] = tabelle["klasse"].astype(int).tolist()
    return {**rest, "hover": hover}
