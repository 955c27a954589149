"""The sequence of views of presentation mode (no Streamlit): goal overview → per target its table and trend, then
its map → the Steckbriefe of the Sozialräume (of the Gemeinden where there are no Sozialräume). Every view has an id
that stands in the address (?praesentation=1&folie=…), so each one can be bookmarked."""

from dataclasses import dataclass

import pandas as pd

from sozialmonitor.karten import kartendaten

UEBERSICHT = "uebersicht"
SCHRITTE = ("weiter", "zurueck", "erste", "letzte")


@dataclass(frozen=True)
class Folie:
    id: str     # 'uebersicht', 'ziel:<id>', 'karte:<id>', 'sozialindex:<id>', 'steckbrief:<code>'
    art: str    # uebersicht, ziel, karte, sozialindex, steckbrief
    bezug: str  # the target id or area code ('' for the overview)
    titel: str


def steckbrief_folie(gebiet: str) -> str:
    return f"steckbrief:{gebiet}"


def _steckbrief_folien(gebiet: str, name: str) -> list[Folie]:
    """An area's Steckbrief as two views, each fitting a screen at 1920×1080 in a room's type: the chart with
    location and population, then its goals with the notes ('steckbrief-ziele:<code>')."""
    kurz = kartendaten.short_name(name)
    return [Folie(steckbrief_folie(gebiet), "steckbrief", gebiet, f"Steckbrief {kurz}"),
            Folie(f"steckbrief-ziele:{gebiet}", "steckbrief_ziele", gebiet, f"Steckbrief {kurz}: Ziele und Hinweise")]


def folien(uebersicht: pd.DataFrame, gebiete: pd.DataFrame, indizes: tuple = ()) -> list[Folie]:
    """uebersicht: targets.overview (id, titel); gebiete: steckbrief_gebiete.sql (gebiet, name, ebene); indizes:
    (id, name) of each Sozialindex, shown as a type map after the targets."""
    sequence = [Folie(UEBERSICHT, "uebersicht", "", "Stand der Ziele")]
    for ziel in uebersicht.itertuples(index=False):
        sequence.append(Folie(f"ziel:{ziel.id}", "ziel", ziel.id, ziel.titel))
        sequence.append(Folie(f"karte:{ziel.id}", "karte", ziel.id, f"Karte: {ziel.titel}"))
    for ident, name in indizes:
        sequence.append(Folie(f"sozialindex:{ident}", "sozialindex", ident, name))
    level = "sozialraum" if gebiete["ebene"].eq("sozialraum").any() else "gemeinde"
    for area in gebiete[gebiete["ebene"].eq(level)].itertuples(index=False):
        sequence += _steckbrief_folien(area.gebiet, area.name)
    return sequence


def finden(sequence: list[Folie], folie_id: str | None, gebiete: pd.DataFrame | None = None) -> int:
    """Index of a view id in the sequence; a Steckbrief of an area outside the sequence (a Gemeinde, from a
    bookmark) is appended; an unknown id gives the first view."""
    ids = [f.id for f in sequence]
    if folie_id in ids:
        return ids.index(folie_id)
    if gebiete is not None and folie_id and folie_id.startswith(("steckbrief:", "steckbrief-ziele:")):
        code = folie_id.split(":", 1)[1]
        match = gebiete[gebiete["gebiet"].eq(code)]
        if not match.empty:
            sequence += _steckbrief_folien(code, match["name"].iloc[0])
            return len(sequence) - (1 if folie_id.startswith("steckbrief-ziele:") else 2)
    return 0


def schritt(position: int, anzahl: int, richtung: str) -> int:
    """The view index after a step (weiter, zurueck, erste, letzte); stays within 0 … anzahl − 1."""
    target = {"weiter": position + 1, "zurueck": position - 1, "erste": 0, "letzte": anzahl - 1}[richtung]
    return max(0, min(anzahl - 1, target))


def naechste_karte(sequence: list[Folie], position: int) -> str | None:
    """The target whose status map presentation mode keeps on the page at view `position`: that view's own when it
    is a map view, else the nearest map view's (the following one when two are equally near, since a
    presentation mostly steps forward), so the next map view only has to show the map. None: no map view."""
    karten = [i for i, folie in enumerate(sequence) if folie.art == "karte"]
    if not karten:
        return None
    nearest = min(karten, key=lambda i: (abs(i - position), i < position))
    return sequence[nearest].bezug
