"""Figures of the goal page: the trend of a target's areas with target line, reference lines, deadline and projection,
the data of the map of the areas coloured by goal status (drawn by the map component), and the status colours for
tables. Plain plotly/pandas, no Streamlit."""

import pandas as pd
import plotly.graph_objects as go

from sozialmonitor import fmt, kennzeichen, klartext
from sozialmonitor.karten import kartendaten
from sozialmonitor.sozialindex import vergleichsring
from sozialmonitor.ziele import auswertung

GERMAN_SEPARATORS = ",."  # plotly: decimal comma, thousands point
COLOURS = ["#1f4e9c", "#e07b00", "#7b3294", "#008b8b", "#b8860b", "#c51b7d", "#4d4d4d"]  # none is a status colour
ZIEL_FARBE = "#1a7f37"
VERGLEICH_FARBE = "#6b6b6b"
RING_FARBE = "#3a3a3a"  # the Vergleichsring: darker than Land/Bund, dash-dotted with diamonds


def _value_text(value, ziel) -> str:
    return fmt.wert(value, ziel.einheit, int(ziel.nachkommastellen))


def trend_areas(ziel, bewertung: pd.DataFrame) -> dict[str, str]:
    """Code → name of the areas a target's trend can show (not its coverage row), in the order of the evaluation."""
    rows = auswertung.area_rows(ziel, bewertung)
    return dict(zip(rows["gebiet"], rows["gebiet_name"]))


def default_trend_areas(ziel, namen: dict[str, str]) -> list[str]:
    """The areas a trend shows first: the target's headline area (its Kreis), else the first six."""
    return [code for code in namen if code == ziel.gebiet] or list(namen)[:6]


def trend_chart(ziel, jahreswerte: pd.DataFrame, bewertung: pd.DataFrame, gebiete: list[str]) -> go.Figure:
    """Annual values of the chosen areas; target line (threshold, or the reference area's values), the other
    Land/Bund values as grey dashes, the deadline, and the projection of each area to the deadline (dotted)."""
    figure = go.Figure()
    werte = jahreswerte[(jahreswerte["ziel"] == ziel.id) & jahreswerte["wert"].notna()]
    for index, gebiet in enumerate(gebiete):
        reihe = werte[werte["rolle"].eq("gebiet") & werte["gebiet"].eq(gebiet)]
        if reihe.empty:
            continue
        colour = COLOURS[index % len(COLOURS)]
        name = klartext.plotly(reihe["gebiet_name"].iloc[0])  # plotly renders HTML and fills %{…}
        reihe = reihe.sort_values("jahr")
        x, y, symbole, texte = _mit_luecken(reihe["jahr"].astype(int).tolist(), reihe["wert"].tolist(),
                                             ["circle-open" if i else "circle" for i in reihe["status"].ne("ok")],
                                             [_hover_value(r, ziel) for r in reihe.itertuples()])
        figure.add_trace(go.Scatter(
            x=x, y=y, name=name, mode="lines+markers", connectgaps=False,
            line={"color": colour, "width": 3 if reihe["ebene"].iloc[0] == "kreis" else 2},
            marker={"color": colour, "size": 8, "symbol": [s or "circle" for s in symbole]},
            customdata=texte, hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
        ))
        _add_projection(figure, ziel, bewertung, gebiet, name, colour)
    _add_comparison_lines(figure, ziel, werte)
    _add_target_line(figure, ziel)
    figure.add_vline(x=ziel.frist.year, line={"color": "#333333", "dash": "dot", "width": 1},
                     annotation_text=f"Frist {fmt.datum(ziel.frist)}", annotation_position="top left")
    figure.update_layout(
        separators=GERMAN_SEPARATORS, height=460, margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.2}, hovermode="closest",
        yaxis={"title": klartext.plotly(_achsentitel(ziel.indikator_name, ziel.einheit)),
               "rangemode": "tozero", **_ganzzahlig(ziel, werte)},
        xaxis={"title": "Jahr" + (" (Jahresdurchschnitt)" if ziel.aggregation == "jahresdurchschnitt" else ""),
               "dtick": 1},
    )
    return figure


def verlauf_hinweis(figur: go.Figure) -> str:
    """The caption of trend_chart, read from the figure itself, so it names only what is drawn: the target line
    (a threshold, a threshold per area, or the reference area's values), the grey lines by their names (Land, Bund –
    none in the demo), the Vergleichsring, the prognosis (with its interval where it has one) and the open circle of
    a year with missing months. '' for an empty chart."""
    teile = []
    linien = [t for t in figur.data if t.name and not str(t.name).startswith("Prognose ")]
    schwelle = next((str(a.text) for a in figur.layout.annotations if str(a.text or "").startswith(
        ("Ziel:", "Schwelle je Gebiet:"))), None)
    if schwelle:
        teile.append("gestrichelt grün: " + ("die Schwelle je Gebiet" if schwelle.startswith("Schwelle")
                                             else "das Ziel"))
    grau, ring, referenz = [], False, None
    for t in linien:
        farbe = t.line.color if t.line else None
        if farbe == ZIEL_FARBE:
            referenz = str(t.name).split(" von ", 1)[-1]
        elif farbe == RING_FARBE and t.line.dash == "dashdot":
            ring = True
        elif farbe == VERGLEICH_FARBE:
            grau.append(str(t.name))
    if referenz:
        teile.append(f"grün gestrichelt mit Quadraten: das Ziel, die Werte von {referenz}")
    if grau:
        teile.append("grau gestrichelt: " + (", ".join(grau[:-1]) + " und " + grau[-1] if len(grau) > 1
                                             else grau[0]))
    if ring:
        teile.append("strichpunktiert mit Rauten: der Vergleichsring ähnlicher Kreise (Seite „Sozialindex“)")
    prognosen = [t for t in figur.data if str(t.name or "").startswith("Prognose ")]
    if prognosen:
        teile.append("gepunktet: Prognose bis zur Frist, wenn der bisherige Trend anhält"
                     + (", mit 95-%-Prognoseintervall" if any(t.error_y and t.error_y.array is not None
                                                              for t in prognosen) else ""))
    if any("circle-open" in (t.marker.symbol or ()) for t in linien
           if t.marker and isinstance(t.marker.symbol, (list, tuple))):
        teile.append("offener Kreis: Jahr mit fehlenden Monaten")
    if not teile:
        return ""
    text = "; ".join(teile) + "."
    return text[0].upper() + text[1:]


def fuer_raum(figur: go.Figure, schrift: int, hoehe: int) -> go.Figure:
    """A copy of a chart for a room: every text (axes, legend, annotations, title) at `schrift` px, `hoehe` px high,
    the legend under the plot."""
    figur = go.Figure(figur)
    figur.update_layout(font={"size": schrift}, height=hoehe, legend={"font": {"size": schrift}},
                        margin={"l": 10, "r": 10, "t": 50, "b": 10})
    figur.update_annotations(font_size=schrift)
    figur.update_xaxes(tickfont_size=schrift, title_font_size=schrift)
    figur.update_yaxes(tickfont_size=schrift, title_font_size=schrift)
    if figur.layout.title and figur.layout.title.text:
        figur.update_layout(title_font_size=schrift + 4)
    return figur


def _ganzzahlig(ziel, werte: pd.DataFrame) -> dict:
    """A count axis has whole ticks: no '0,2 Familienlotsen' (steps of 1 up to 10, else plotly's own steps)."""
    if ziel.einheit != "Anzahl":
        return {}
    hoechster = max([float(werte["wert"].max()) if len(werte) else 0.0,
                     float(ziel.schwelle) if auswertung.present(ziel.schwelle) else 0.0])
    return {"tickformat": ",d", **({"dtick": 1} if hoechster <= 10 else {})}


def _hover_value(row, ziel) -> str:
    text = kennzeichen.mit_zeichen(_value_text(row.wert, ziel), getattr(row, "kennzeichen", None))
    if row.status != "ok" and pd.notna(row.monate):
        text += f" (unvollständig: {int(row.monate)} von 12 Monaten)"
    return text


def _add_projection(figure: go.Figure, ziel, bewertung: pd.DataFrame, gebiet: str, name: str, colour: str) -> None:
    row = bewertung[(bewertung["ziel"] == ziel.id) & (bewertung["gebiet"] == gebiet)]
    if row.empty or pd.isna(row["prognose"].iloc[0]):
        return
    row = row.iloc[0]
    interval = auswertung.present(row.get("prognose_unten")) and auswertung.present(row.get("prognose_oben"))
    text = _value_text(row["prognose"], ziel)
    if interval:
        text += (f" (95-%-Prognoseintervall {fmt.zahl(row['prognose_unten'], int(ziel.nachkommastellen))}–"
                 f"{_value_text(row['prognose_oben'], ziel)})")
    figure.add_trace(go.Scatter(
        x=[int(row["zeitraum"]), ziel.frist.year], y=[row["wert"], row["prognose"]], mode="lines+markers",
        name=f"Prognose {name}", showlegend=False, line={"color": colour, "dash": "dot", "width": 2},
        marker={"symbol": ["circle", "diamond-open"], "size": [1, 11], "color": colour},
        error_y={"type": "data", "symmetric": False, "color": colour, "thickness": 1.5, "width": 6,
                 "array": [0, row["prognose_oben"] - row["prognose"]],
                 "arrayminus": [0, row["prognose"] - row["prognose_unten"]]} if interval else None,
        hovertemplate=f"Prognose {ziel.frist.year}: {text}<extra>{name}</extra>",
    ))


def _add_comparison_lines(figure: go.Figure, ziel, werte: pd.DataFrame) -> None:
    """Land and Bund: grey dashed; the Vergleichsring: dark grey dash-dotted with diamonds (apart also in greyscale
    print); the reference area of a reference target is the target line, in green."""
    vergleich = werte[werte["rolle"].eq("vergleich")]
    for gebiet, reihe in vergleich.groupby("gebiet", sort=False):
        is_target = auswertung.present(ziel.referenz) and gebiet == ziel.referenz
        ring = gebiet == vergleichsring.RING_GEBIET
        name = klartext.plotly(reihe["gebiet_name"].iloc[0])
        reihe = reihe.sort_values("jahr")
        figure.add_trace(go.Scatter(
            x=reihe["jahr"], y=reihe["wert"], mode="lines+markers",
            name=f"Ziel: {auswertung.REFERENZ_TEXT[ziel.vergleich]} von {name}" if is_target else name,
            line={"color": ZIEL_FARBE if is_target else RING_FARBE if ring else VERGLEICH_FARBE,
                  "dash": "dashdot" if ring else "dash", "width": 2},
            marker={"symbol": "diamond" if ring else "square", "size": 8},
            hovertemplate="%{x}: %{y:.1f}<extra>" + name + "</extra>",
        ))


def _add_target_line(figure: go.Figure, ziel) -> None:
    if auswertung.present(ziel.referenz):
        return  # the reference area's own values are the target line (see _add_comparison_lines)
    label = (f"Schwelle je Gebiet: {auswertung.ZEICHEN[ziel.vergleich]} {_value_text(ziel.schwelle, ziel)}"
             if auswertung.present(ziel.anzahl) else f"Ziel: {auswertung.comparison_text(ziel)}")
    figure.add_hline(y=ziel.schwelle, line={"color": ZIEL_FARBE, "dash": "dash", "width": 2},
                     annotation_text=klartext.plotly(label), annotation_position="top left")


def vergleich_tabelle(ziel, jahreswerte: pd.DataFrame, jahre: int = 5) -> pd.DataFrame:
    """The target's headline area (its Kreis) beside Land, Bund and the Vergleichsring (column "Vergleichsring") in
    the last `jahre` years with a value: one row per year, one column per line, German numbers in the indicator's
    unit ('–' where a line has no value that year). Empty when the target has no comparison line, or its headline
    area has no value to stand beside them (an area no longer stored: „Gebiet entfallen“)."""
    werte = jahreswerte[(jahreswerte["ziel"] == ziel.id) & jahreswerte["wert"].notna() & jahreswerte["jahr"].notna()]
    eigen = werte[werte["rolle"].eq("gebiet") & werte["gebiet"].eq(ziel.gebiet)]
    linien = pd.concat([eigen, werte[werte["rolle"].eq("vergleich")]])
    if eigen.empty or not werte["rolle"].eq("vergleich").any():
        return pd.DataFrame()
    namen = list(dict.fromkeys(linien["gebiet_name"]))
    tafel = linien.pivot_table(index="jahr", columns="gebiet_name", values="wert", aggfunc="first").reindex(
        columns=namen).sort_index().tail(jahre)
    stellen = auswertung.stellen_fuer(ziel)
    tabelle = pd.DataFrame({"Jahr": [str(int(j)) for j in tafel.index]})
    for name in namen:
        # the ring's column is short ("Vergleichsring"); how many Kreise and that they are synthetic the caption says
        spalte = "Vergleichsring" if name.startswith("Vergleichsring:") else name
        tabelle[spalte] = [fmt.wert(v, ziel.einheit, stellen) if pd.notna(v) else "–" for v in tafel[name]]
    return tabelle


def vergleich_hinweis(tabelle: pd.DataFrame, ring_name: str = "") -> str:
    """The caption of vergleich_tabelle, built from its columns: which lines stand beside the Kreis, what the ring
    is ('5 ähnliche Kreise, synthetisch', from ring_name 'Vergleichsring: …'), and that Land and Bund have no value
    where they are missing."""
    kreis, *linien = list(tabelle.columns[1:])
    namen = [("dem Vergleichsring" + (f" ({ring_name.split(': ', 1)[-1]})" if ring_name else ""))
             if n == "Vergleichsring" else n for n in linien]
    text = f"{kreis} neben " + (", ".join(namen[:-1]) + " und " + namen[-1] if len(namen) > 1 else namen[0]) + "."
    if linien == ["Vergleichsring"]:
        text += " Land und Bund: kein veröffentlichter Wert in diesen Jahren."
    if "Vergleichsring" in linien:
        text += (" Der Ring ist nach Bevölkerung gewichtet (Summe der Zähler durch Summe der Nenner seiner "
                 "Kreise).")
    return text


# The goal map shows each area's status exactly as the table beside it (auswertung.STATUS: symbol, word, colour);
# whether a difference is "gesichert" stays in the tooltip and the caption, said per area (zielkarte_hinweis).
ZIELKARTE_TITEL = "Status je Gebiet (wie in der Tabelle)"


def zielstatus(ziel, bewertung: pd.DataFrame, niveau: float = 0.95) -> pd.DataFrame:
    """Per area of a target (not its coverage row): gebiet, status (a key of auswertung.STATUS: the status of the
    area's row in the table), statistisch (gesichert / nicht gesichert / nicht belastbar / –) and the tooltip
    (value, interval, status, statistically)."""
    rows = auswertung.area_rows(ziel, bewertung)
    hover = auswertung.map_classes(ziel, bewertung, niveau)
    return pd.DataFrame({
        "gebiet": rows["gebiet"].values, "gebiet_name": rows["gebiet_name"].values, "status": rows["status"].values,
        "statistisch": [auswertung.statistisch_text(r["signifikant"], r.get("belastbar")) for _, r in rows.iterrows()],
        "hover": hover["hover"].values,
    })


def zielkarte_hinweis(klassen: pd.DataFrame, niveau: float = 0.95) -> str:
    """What the goal map shows and, for exactly the areas it applies to, why a difference is not 'gesichert':
    the interval contains the comparison value, or the rate is not reliable (too few cases for the indicator's
    rule). klassen: zielstatus()."""
    saetze = ["Farbe: der Status jedes Gebiets wie in der Tabelle."]
    stufe = auswertung.NIVEAUS.get(niveau, f"{fmt.zahl(100 * niveau, 1)} %").replace(" ", "-")  # '95-%-…'
    gruende = {"nicht gesichert": f"„nicht gesichert“ (das {stufe}-Konfidenzintervall enthält den Vergleichswert – "
                                  "der Unterschied kann Zufall sein)",
               "nicht belastbar": "„nicht belastbar“ (zu wenige Fälle nach der Regel des Indikators; nie gesichert)"}
    for wort, erklaerung in gruende.items():
        namen = [kartendaten.short_name(n) for n in klassen.loc[klassen["statistisch"].eq(wort), "gebiet_name"]]
        if namen:
            liste = namen[0] if len(namen) == 1 else f"{', '.join(namen[:-1])} und {namen[-1]}"
            saetze.append(f"Statistisch {erklaerung}: {liste}.")
    return " ".join(saetze)


def status_map_data(geometry: kartendaten.MapGeometry, klassen: pd.DataFrame) -> dict:
    """What the map component gets for the goal-status map (see kartendaten.map_data): per area of the served level
    its status as in the table (areas outside the target stay grey), the tooltip, and a legend that names each
    status with its symbol and how many areas have it, so colour is not the only carrier. klassen: zielstatus()."""
    keys = list(auswertung.STATUS)
    by_code = klassen.set_index("gebiet")
    index, hover = [], []
    for code in geometry.codes:
        name = f"<b>{klartext.plotly(geometry.names[code])}</b>"
        if code in by_code.index:
            index.append(keys.index(by_code.at[code, "status"]))
            hover.append(f"{name}<br>{by_code.at[code, 'hover']}")
        else:
            index.append(-1)
            hover.append(f"{name}<br>nicht Teil dieses Ziels")
    entries = [[auswertung.STATUS[key].farbe,
                f"{auswertung.status_label(key)} ({fmt.anzahl(index.count(i), 'Gebiet', 'Gebiete')})"]
               for i, key in enumerate(keys) if i in index]
    outside = index.count(-1)
    return {"klasse": index, "farben": [auswertung.STATUS[key].farbe for key in keys], "hover": hover,
            "unsicher": [], "auswahl": None,
            "legende": {"titel": ZIELKARTE_TITEL, "eintraege": entries,
                        "ohne_wert": f"nicht Teil dieses Ziels ({outside})" if outside else "", "unsicher": ""}}


def style_status(table: pd.DataFrame, column: str = "Status"):
    """A table with its status column in the status colour (the label keeps its symbol: colour is not alone)."""
    def css(label) -> str:
        colour = auswertung.status_colour(label)
        return f"background-color: {colour}; color: {readable_text(colour)}" if colour else ""
    return table.style.map(css, subset=[column])


def readable_text(background: str) -> str:
    red, green, blue = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#ffffff"


def _mit_luecken(jahre: list[int], werte: list, *spalten: list) -> tuple[list, ...]:
    """A year without a value (missing, hidden, not computable) breaks the line instead of being bridged: a None
    point is put after each gap's first year. Returns x, y and each further column with the gap points."""
    x, y, rest = [], [], [[] for _ in spalten]
    for k, jahr in enumerate(jahre):
        if k and jahr - jahre[k - 1] > 1:
            x.append(jahre[k - 1] + 1)
            y.append(None)
            for r in rest:
                r.append(None)
        x.append(jahr)
        y.append(werte[k])
        for r, spalte in zip(rest, spalten):
            r.append(spalte[k])
    return (x, y, *rest)


def _achsentitel(name: str, einheit: str) -> str:
    """'SGB-II-Quote (%)', but 'Jugendarbeitslosigkeit (15 bis unter 25 Jahre) in %' – no doubled brackets."""
    if einheit == "Anzahl":
        return name
    return f"{name} in {einheit}" if name.rstrip().endswith(")") else f"{name} ({einheit})"
