"""The Sozialindex on the map: the 4 × 3 bivariate colours of the type map, the data the map component receives
(kartendaten.map_data's shape: class index per area, colours, tooltips, uncertain areas, legend) for the type,
status and dynamics maps, and the bivariate legend as a small plotly figure.

Colours: lightness carries the status (hoch light → sehr niedrig dark, 4 steps of CIE L* 17 apart), hue carries
the dynamics on the blue–orange axis that every common colour-vision deficiency keeps apart (positiv blue, stabil
grey, negativ orange; Okabe & Ito 2008, ColorBrewer's PuOr), and within a status negativ is 4 L* darker and positiv
4 L* lighter: in greyscale print all 12 types keep a strict order, the status classes stay 9 L* or more apart, the
lightest type (L* 82) stays apart from the light grey of an area without a class (L* 87), and the type's short code
(e.g. "3−") is printed in each legend cell."""

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sozialmonitor import fmt, klartext
from sozialmonitor.karten import kartendaten
from sozialmonitor.sozialindex import methode
from sozialmonitor.sozialindex.berechnung import Ergebnis

L_STATUS = (78.0, 61.0, 44.0, 27.0)  # hoch … sehr niedrig: the lightest type stays darker than "no value"
L_DYNAMIK = (4.0, 0.0, -4.0)  # positiv lighter, negativ darker
L_OHNE_WERT = 87.0  # the map component's grey for an area without a class (#d9d9d9)
AB_DYNAMIK = ((-6.0, -30.0), (0.0, 0.0), (24.0, 38.0))  # CIELAB a*, b*: blue, grey, orange
ZEICHEN_DYNAMIK = ("+", "=", "−")


def _lab_zu_srgb(l: float, a: float, b: float) -> tuple[float, float, float]:
    """CIELAB (D65) → sRGB in 0…1, clipped to the gamut."""
    fy = (l + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200

    def f_inv(t):
        return t ** 3 if t ** 3 > 0.008856 else (t - 16 / 116) / 7.787

    x, y, z = 0.95047 * f_inv(fx), 1.0 * f_inv(fy), 1.08883 * f_inv(fz)
    lin = (3.2406 * x - 1.5372 * y - 0.4986 * z, -0.9689 * x + 1.8758 * y + 0.0415 * z,
           0.0557 * x - 0.2040 * y + 1.0570 * z)

    def gamma(c):
        c = min(max(c, 0.0), 1.0)
        return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055

    return tuple(gamma(c) for c in lin)


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(255 * c):02x}" for c in rgb)


def typ_farbe(status: int, dynamik: int) -> str:
    a, b = AB_DYNAMIK[dynamik]
    return _hex(_lab_zu_srgb(L_STATUS[status] + L_DYNAMIK[dynamik], a, b))


TYP_FARBEN = tuple(typ_farbe(s, d) for s in range(4) for d in range(3))  # type 1 … 12
# The status map alone: the status lightness of the type map on a blue-violet hue (CIELAB a* +12, b* −34, kept apart
# along the blue–yellow axis that every common colour-vision deficiency keeps), not the grey of "stabil": the class
# "hoch" was a light grey beside the light grey of an area without a class (fresh tester, issue 20). hoch stays
# 15 L* darker than that grey and differs from it in hue; the classes stay 15 L* apart (greyscale print).
L_STATUS_KARTE = (72.0, 57.0, 42.0, 27.0)
AB_STATUS_KARTE = (12.0, -34.0)
STATUS_FARBEN = tuple(_hex(_lab_zu_srgb(l, *AB_STATUS_KARTE)) for l in L_STATUS_KARTE)
OHNE_KLASSE = "ohne Klasse"  # the word of the legend, the tooltip and the table for an area without a class
OHNE_TYP = "ohne Typ"
DYNAMIK_FARBEN = tuple(typ_farbe(1, d) for d in range(3))


def graustufe(farbe: str) -> float:
    """Relative luminance (WCAG) of a '#rrggbb' colour: what greyscale print keeps."""
    def lin(c):
        c = int(c, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(farbe[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def kurzzeichen(status: int, dynamik: int) -> str:
    """The type's short code: status class number 1–4 and the dynamics sign, e.g. '3−' = niedrig / negativ."""
    return f"{status + 1}{ZEICHEN_DYNAMIK[dynamik]}"


def _prozent(anteil) -> str:
    return "–" if anteil is None or (isinstance(anteil, float) and math.isnan(anteil)) else \
        f"{fmt.zahl(100 * anteil, 0)} %"


def _z(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return ("+" if value >= 0 else "−") + fmt.zahl(abs(value), 2)


def hover_texte(ergebnis: Ergebnis) -> pd.Series:
    """The tooltip per area (index gebiet): name, type, status and dynamics with z and certainty, or why none."""
    texte = {}
    for r in ergebnis.gebiete.itertuples():
        zeilen = [f"<b>{klartext.plotly(r.name)}</b>"]
        if r.status_klasse:
            zeilen.append(f"Status: {r.status_klasse} ({_z(r.status_wert)}), Sicherheit {_prozent(r.sicherheit_status)}")
        else:  # the legend's words: "ohne Klasse", "ohne Typ"
            zeilen.append(f"Status: {OHNE_KLASSE}, Typ: {OHNE_TYP}")
        if r.dynamik_klasse:
            zeilen.append(f"Dynamik: {r.dynamik_klasse} ({_z(r.dynamik_wert)})")
        if r.typ:
            zeilen.append(f"Typ: {r.typ}, Sicherheit {_prozent(r.sicherheit_typ)}")
        if r.unsicher:
            zeilen.append("⚠ Klasse unsicher (unter der Sicherheitsschwelle)")
        if r.aufmerksamkeit:
            zeilen.append("besonderer Aufmerksamkeitsbedarf")
        if r.grund:
            zeilen.append(klartext.plotly(r.grund))
        texte[r.gebiet] = "<br>".join(zeilen)
    return pd.Series(texte)


def karten_daten(geometry: kartendaten.MapGeometry, ergebnis: Ergebnis, art: str, selected: str | None = None) -> dict:
    """What the map component receives for art 'typ', 'status' or 'dynamik' (see kartendaten.map_data): the class
    index per area of the served GeoJSON (−1 = none), colours, tooltips, the uncertain areas marked, the legend
    with the number of areas per class."""
    g = ergebnis.gebiete.set_index("gebiet").reindex(list(geometry.codes))
    hover = hover_texte(ergebnis).reindex(list(geometry.codes))
    if art == "typ":
        klasse = np.where(g["typ_nummer"].fillna(0).to_numpy() > 0, g["typ_nummer"].fillna(0).to_numpy() - 1, -1)
        farben = TYP_FARBEN
        texte = [f"{kurzzeichen(s, d)} {methode.typ_name(s, d)}" for s in range(4) for d in range(3)]
        titel = f"Typ (Status / Dynamik), {ergebnis.jahr}"
        unsicher = g["unsicher"].fillna(False).to_numpy(bool)
    elif art == "status":
        klasse = g["status_klasse"].map({k: i for i, k in enumerate(methode.STATUS_KLASSEN)}).fillna(-1).to_numpy()
        farben, texte = STATUS_FARBEN, list(methode.STATUS_KLASSEN)
        titel = f"Status, {ergebnis.jahr}"
        unsicher = g["sicherheit_status"].lt(ergebnis.definition.sicher_ab).to_numpy(bool)
    else:
        klasse = g["dynamik_klasse"].map({k: i for i, k in enumerate(methode.DYNAMIK_KLASSEN)}).fillna(-1).to_numpy()
        farben, texte = DYNAMIK_FARBEN, list(methode.DYNAMIK_KLASSEN)
        titel = f"Dynamik, {ergebnis.basisjahr}–{ergebnis.jahr}"
        unsicher = np.zeros(len(g), bool)
    klasse = klasse.astype(int)
    hover = [h if isinstance(h, str) else f"<b>{klartext.plotly(geometry.names[c])}</b>"
             for h, c in zip(hover, geometry.codes)]
    eintraege = [[f, f"{t} ({int((klasse == i).sum())})"] for i, (f, t) in enumerate(zip(farben, texte))
                 if art != "typ" or (klasse == i).any()]
    ohne = int((klasse < 0).sum())
    return {"klasse": klasse.tolist(), "farben": list(farben), "hover": hover,
            "unsicher": np.flatnonzero(unsicher).tolist(),
            "auswahl": geometry.codes.index(selected) if selected in geometry.codes else None,
            "legende": {"titel": titel, "eintraege": eintraege,
                        "ohne_wert": f"{OHNE_TYP if art == 'typ' else OHNE_KLASSE} ({ohne})" if ohne else "",
                        "unsicher": f"Klasse unsicher, Sicherheit unter {_prozent(ergebnis.definition.sicher_ab)} "
                                    f"({int(unsicher.sum())})" if unsicher.any() else ""}}


def legende_figur(ergebnis: Ergebnis, schrift: int = 13) -> go.Figure:
    """The 4 × 3 bivariate legend: rows status (hoch at the top), columns dynamics; each cell in its colour with
    its short code and the number of areas of that type. schrift: font size in px (presentation mode: 24)."""
    anzahl = ergebnis.gebiete["typ_nummer"].value_counts()
    figur = go.Figure()
    for s in range(4):
        for d in range(3):
            n = int(anzahl.get(methode.typ_nummer(s, d), 0))
            farbe = TYP_FARBEN[s * 3 + d]
            farbe_text = "#000000" if graustufe(farbe) > 0.25 else "#ffffff"
            figur.add_shape(type="rect", x0=d, x1=d + 1, y0=3 - s, y1=4 - s, fillcolor=farbe,
                            line={"color": "#ffffff", "width": 2})
            figur.add_annotation(x=d + 0.5, y=3.5 - s, showarrow=False, font={"color": farbe_text, "size": schrift},
                                 text=f"<b>{kurzzeichen(s, d)}</b>" + (f"<br>{n}" if n else ""))
    figur.update_xaxes(range=[0, 3], tickvals=[0.5, 1.5, 2.5], ticktext=list(methode.DYNAMIK_KLASSEN),
                       side="top", showgrid=False, zeroline=False, fixedrange=True, tickfont={"size": schrift},
                       title={"text": "Dynamik →", "font": {"size": schrift}})
    figur.update_yaxes(range=[0, 4], tickvals=[3.5, 2.5, 1.5, 0.5], ticktext=list(methode.STATUS_KLASSEN),
                       showgrid=False, zeroline=False, fixedrange=True, tickfont={"size": schrift},
                       title={"text": "Status", "font": {"size": schrift}})
    faktor = schrift / 13
    figur.update_layout(height=int(300 * faktor), width=int(360 * faktor),
                        margin={"l": 10, "r": 10, "t": int(60 * faktor), "b": 10}, font={"size": schrift},
                        plot_bgcolor="#ffffff", paper_bgcolor="#ffffff")
    return figur
