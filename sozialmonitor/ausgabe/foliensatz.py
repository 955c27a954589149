"""Foliensatz für die Steuerungsgruppe: the goal evaluation as a PowerPoint deck (16:9); the Excel workbook is
sozialmonitor.ausgabe.arbeitsmappe.

The deck has a title slide, a summary slide and one slide per target (real tables with German number texts as the
goal page shows them, the trend chart as a picture). Invented demo numbers carry the demo notice on the title slide
and on every slide's footer. What they show comes from `sozialmonitor.ausgabe.unterlagen` (Unterlagen, collect
– also reachable as foliensatz.Unterlagen / foliensatz.collect – and the shared texts and tables). Nothing here imports
Streamlit."""

import asyncio
import io
import math
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import kaleido
import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from sozialmonitor import fmt
from sozialmonitor.ausgabe import diagramme
from sozialmonitor.karten import kartendaten
from sozialmonitor.ausgabe import steckbrief
from sozialmonitor.ziele import auswertung
from sozialmonitor.ausgabe.dokument import alt_text
from sozialmonitor.ausgabe.unterlagen import Unterlagen, datenstand_text, gebietstabelle, referenzquellen
from sozialmonitor.ausgabe.unterlagen import collect  # noqa: F401 – foliensatz.collect stays a name callers use
from sozialmonitor.daten.config import DEMO_NOTICE

DEMO_MARKE = "DEMODATEN – keine amtlichen Zahlen"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(endung: str, heute: date | None = None, zusatz: str = "") -> str:
    """'zielerreichung_2026-11-22.pptx'; with zusatz 'steckbriefen': 'zielerreichung_mit_steckbriefen_…' (two decks
    of one day must not replace each other in a download folder)."""
    teil = f"_mit_{zusatz}" if zusatz else ""
    return f"zielerreichung{teil}_{(heute or date.today()).isoformat()}.{endung}"


# ---------------------------------------------------------------- trend charts as pictures

CHART_PIXELS = (520, 620)  # drawn at twice this size; fills the right part of a target slide


def browser_path() -> str | None:
    """Kaleido 1.x draws with a Chrome/Chromium. BROWSER_PATH (choreographer's own variable) wins, else the first
    Chromium on PATH (Debian: /usr/bin/chromium). Passed explicitly so kaleido never looks for a downloaded Chrome."""
    return os.environ.get("BROWSER_PATH") or next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


def slide_chart(ziel, unterlagen: Unterlagen) -> go.Figure:
    """The goal page's trend chart with the areas it shows first, sized and styled for a slide."""
    namen = diagramme.trend_areas(ziel, unterlagen.bewertung)
    figure = diagramme.trend_chart(ziel, unterlagen.jahreswerte, unterlagen.bewertung,
                                diagramme.default_trend_areas(ziel, namen))
    width, height = CHART_PIXELS
    figure.update_xaxes(dtick=2, tickangle=0)  # every year would be turned on end in this narrow picture
    return figure.update_layout(template="plotly_white", width=width, height=height, font={"size": 18},
                                margin={"l": 10, "r": 20, "t": 40, "b": 10})


def render_pngs(figures: list[go.Figure]) -> tuple[list[bytes], str | None]:
    """PNG bytes of every figure, drawn in one browser session (starting Chromium takes seconds; each further
    figure a fraction of one). Without a usable browser: no pictures and a German note why."""
    if not figures:
        return [], None
    path = browser_path()
    if path is None or not os.path.isfile(path):
        return [], (f"Kein Chromium-Browser {'unter ' + path + ' ' if path else ''}gefunden (Debian-Paket "
                    "„chromium“ installieren oder BROWSER_PATH auf den Browser setzen).")
    def size(figure: go.Figure) -> dict:
        # A figure that sets its own size (Steckbrief, maps of the Sitzungsvorlage) is drawn at that size.
        return {"width": figure.layout.width or CHART_PIXELS[0], "height": figure.layout.height or CHART_PIXELS[1]}

    async def draw() -> list[bytes]:
        # mathjax=False: kaleido would otherwise load MathJax from the internet, which these machines cannot reach.
        async with kaleido.Kaleido(path=path, mathjax=False) as browser:
            return [await browser.calc_fig(figure, opts={"format": "png", **size(figure), "scale": 2})
                    for figure in figures]
    try:
        with ThreadPoolExecutor(max_workers=1) as worker:  # its own event loop, whatever the caller runs in
            return worker.submit(asyncio.run, draw()).result(), None
    except Exception as exc:  # noqa: BLE001 – a browser fails in many ways; the deck is made without pictures
        return [], f"Der Browser {path} konnte die Diagramme nicht zeichnen ({type(exc).__name__})."


# ---------------------------------------------------------------- PowerPoint

SLIDE_HEIGHT = Inches(7.5)
SLIDE_WIDTH = Emu(SLIDE_HEIGHT * 16 // 9)  # 16:9, as PowerPoint's own widescreen (12 192 000 EMU)
MARGIN = Inches(0.5)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
GREY = RGBColor(0x59, 0x59, 0x59)
DEMO_RED = RGBColor(0xB0, 0x1E, 0x1E)
RIGHT_ALIGNED = ("Jahr", "Wert", "Vergleich", "95-%-KI", "Frist")
TABLE_WIDTH = Inches(8.3)  # a target slide: table on the left, trend chart on the right
AREA_COLUMN_WIDTHS = {"Jahr": 0.5, "Wert": 0.95, "Vergleich": 0.85, "Status": 1.4, "95-%-KI": 1.0,
                      "Statistisch": 1.1}  # inches; deadline columns 0.95, Gebiet the rest


@dataclass(frozen=True)
class Foliensatz:
    data: bytes
    folien: int
    hinweis: str | None  # why the trend charts are missing, if they are


def build_pptx(unterlagen: Unterlagen, heute: date | None = None, steckbriefe: list[tuple] = ()) -> Foliensatz:
    """Title, summary, one slide per target, then one per Steckbrief (steckbriefe: (Steckbrief, spine figure,
    locator figure) from ausgabe.steckbrief_folien). All pictures are drawn in one browser session."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _title_slide(deck, unterlagen, heute or date.today())
    _summary_slide(deck, unterlagen)
    ziele = list(unterlagen.uebersicht.itertuples(index=False))
    extra = [figure for _, spine, lage in steckbriefe for figure in (spine, lage)]
    pngs, hinweis = render_pngs([slide_chart(ziel, unterlagen) for ziel in ziele] + extra)
    for index, ziel in enumerate(ziele):
        _target_slide(deck, unterlagen, ziel, pngs[index] if pngs else None, hinweis)
    for index, (profil, _, _) in enumerate(steckbriefe):
        first = len(ziele) + 2 * index
        _steckbrief_slide(deck, unterlagen, profil, *(pngs[first:first + 2] if pngs else (None, None)), hinweis)
    buffer = io.BytesIO()
    deck.save(buffer)
    return Foliensatz(buffer.getvalue(), len(deck.slides), hinweis)


def pptx_bytes(unterlagen: Unterlagen) -> bytes:
    """For st.download_button: the deck, built when the button is clicked."""
    return build_pptx(unterlagen).data


def _bild(slide, png: bytes, left, top, width, alt: str):
    """A picture with its text alternative (PowerPoint's "Alternativtext", cNvPr/@descr; WCAG 1.1.1)."""
    picture = slide.shapes.add_picture(io.BytesIO(png), left, top, width=width)
    picture._element.nvPicPr.cNvPr.set("descr", alt)
    return picture


def _new_slide(deck, title: str, layout: int = 5):
    """A slide of the default template's layout ('Title Only' unless told) with its title placed for 16:9."""
    slide = deck.slides.add_slide(deck.slide_layouts[layout])
    slide.shapes.title.text = title
    slide.shapes.title.left, slide.shapes.title.top = MARGIN, Inches(0.3)
    slide.shapes.title.width, slide.shapes.title.height = CONTENT_WIDTH, Inches(0.9)
    for paragraph in slide.shapes.title.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            # one line of 28 pt holds ~45 characters: a longer title gets 22 pt (two lines fit above the text)
            run.font.size, run.font.bold = Pt(28 if len(title) <= 45 else 22), True
    return slide


def _text(slide, left, top, width, height, paragraphs: list[str], size: int, colour: RGBColor | None = None,
          bold: bool = False):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for index, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = text
        for run in paragraph.runs:
            run.font.size, run.font.bold = Pt(size), bold
            if colour is not None:
                run.font.color.rgb = colour
    return box


def _footer(slide, unterlagen: Unterlagen, lines: list[str]) -> None:
    """Sources in small grey print, growing upwards from the bottom edge; on the demo a red marker, so a slide shown
    alone still says it is invented."""
    box = _text(slide, MARGIN, Inches(5.9), CONTENT_WIDTH - (Inches(3.2) if unterlagen.demo else 0), Inches(1.45),
                lines, 9, GREY)
    box.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    box.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    if unterlagen.demo:
        _text(slide, SLIDE_WIDTH - MARGIN - Inches(3.1), Inches(6.9), Inches(3.1), Inches(0.4), [DEMO_MARKE], 11,
              DEMO_RED, bold=True).text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT


def _badge(slide, left, top, width, height, text: str, colour: str, size: int = 14):
    """A coloured box with readable text (the text keeps its symbol: colour is never the only carrier)."""
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, height)
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(colour.lstrip("#"))
    shape.line.fill.background()
    frame = shape.text_frame
    frame.word_wrap = True
    frame.text = text
    for run in frame.paragraphs[0].runs:
        run.font.size, run.font.bold = Pt(size), True
        run.font.color.rgb = RGBColor.from_string(diagramme.readable_text(colour).lstrip("#"))
    return shape


def _table(slide, frame: pd.DataFrame, left, top, widths: list[float], size: int) -> None:
    """A real PowerPoint table of text cells; the status column in its status colour."""
    shape = slide.shapes.add_table(len(frame) + 1, len(frame.columns), left, top, Inches(sum(widths)),
                                   Inches(0.3) * (len(frame) + 1))
    table = shape.table
    for column, width in enumerate(widths):
        table.columns[column].width = Inches(width)
    for row_index, row in enumerate([list(frame.columns)] + frame.astype(str).values.tolist()):
        for column, text in enumerate(row):
            cell = table.cell(row_index, column)
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.text = text
            paragraph = cell.text_frame.paragraphs[0]
            if frame.columns[column] in RIGHT_ALIGNED or frame.columns[column].startswith(("Stand ", "Prognose ")):
                paragraph.alignment = PP_ALIGN.RIGHT
            for run in paragraph.runs:
                run.font.size = Pt(size)
            colour = auswertung.status_colour(text) if row_index else None
            if colour:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(colour.lstrip("#"))
                for run in paragraph.runs:
                    run.font.color.rgb = RGBColor.from_string(diagramme.readable_text(colour).lstrip("#"))


def _font_size(rows: int) -> int:
    """Smaller print for long tables, so a target with many areas still fits its slide."""
    return 10 if rows <= 10 else 9 if rows <= 14 else 8


def _title_slide(deck, unterlagen: Unterlagen, heute: date) -> None:
    slide = _new_slide(deck, f"Zielerreichung – {unterlagen.kreis}", layout=0)
    slide.shapes.title.top, slide.shapes.title.height = Inches(1.6), Inches(1.3)
    for run in slide.shapes.title.text_frame.paragraphs[0].runs:
        run.font.size = Pt(40)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(3.0), CONTENT_WIDTH, Inches(1.2)
    subtitle.text_frame.text = "Unterlagen für die Steuerungsgruppe"
    subtitle.text_frame.add_paragraph().text = (f"Datenstand: {datenstand_text(unterlagen)} (letzter Import) · "
                                                f"erstellt am {fmt.datum(heute)}")
    for paragraph in subtitle.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size, run.font.color.rgb = Pt(20), GREY
    if unterlagen.demo:
        _badge(slide, MARGIN, Inches(4.5), CONTENT_WIDTH, Inches(1.3), DEMO_NOTICE, "#fbe3d6", size=16)
    _footer(slide, unterlagen, [unterlagen.grenzen_quelle])


def _summary_slide(deck, unterlagen: Unterlagen) -> None:
    slide = _new_slide(deck, "Übersicht: Stand der Ziele")
    ziele = unterlagen.uebersicht
    statuses = ziele["status"] if not ziele.empty else pd.Series(dtype=str)
    _text(slide, MARGIN, Inches(1.1), CONTENT_WIDTH, Inches(0.5),  # two lines of 16 pt end above the table
          [auswertung.summary_text(statuses, ziele.get("spaeter_erreicht")) + "."], 16, bold=True)
    if not ziele.empty:
        table = auswertung.status_table(ziele)
        size = 12 if len(table) <= 8 else _font_size(len(table))  # the room of a whole slide
        # the date column holds '31.12.2023' on one line
        _table(slide, table, MARGIN, Inches(1.9), [3.0, 3.1, 1.4, 0.6, 1.4, 1.5, 1.33], size)
    quellen = referenzquellen(unterlagen)
    legende = auswertung.kennzeichen_legende(ziele) if not ziele.empty else ""
    _footer(slide, unterlagen, ([f"Vergleichswerte (Land, Bund): {'; '.join(quellen)}"] if quellen else [])
            + ([legende] if legende else []) + [unterlagen.grenzen_quelle])


def _target_slide(deck, unterlagen: Unterlagen, ziel, png: bytes | None, hinweis: str | None) -> None:
    slide = _new_slide(deck, ziel.titel)
    _text(slide, MARGIN, Inches(1.15), TABLE_WIDTH, Inches(0.45),
          [f"Zielvorgabe: {auswertung.comparison_text(ziel)} · Frist: {fmt.datum(ziel.frist)} · "
           f"Basisjahr: {ziel.basisjahr}"], 14)
    _badge(slide, MARGIN, Inches(1.65), TABLE_WIDTH, Inches(0.45),
           f"Gesamt: {auswertung.status_label(ziel.status)} – {ziel.gebiet_name}", auswertung.STATUS[ziel.status].farbe)
    table = gebietstabelle(ziel, unterlagen.bewertung)
    size = _font_size(len(table))
    widths = [AREA_COLUMN_WIDTHS.get(c, 0.95) for c in table.columns[1:]]
    _table(slide, table, MARGIN, Inches(2.3), [TABLE_WIDTH.inches - sum(widths)] + widths, size)
    notes = auswertung.notes(ziel, unterlagen.bewertung)
    quellen = referenzquellen(unterlagen, ziel.indikator)
    footer = [f"Quelle des Ziels: {ziel.quelle}"] + ([f"Vergleichswerte: {'; '.join(quellen)}"] if quellen else [])
    if notes:
        rows_height = Inches(0.45 if size >= 10 else 0.3) * (len(table) + 1)
        top = Inches(2.45) + rows_height
        # the footer grows upwards from the bottom edge: the notes get what is left between table and footer;
        # what does not fit stays in the slide's speaker notes (and in the workbook's column Hinweis)
        footer_top = SLIDE_HEIGHT - Inches(0.15) - Inches(0.16) * _zeilen(footer, CONTENT_WIDTH - Inches(3.2), 9)
        platz = max(0, int((footer_top - top) / Inches(0.18)))
        gezeigt = _passend(notes, platz, TABLE_WIDTH, 10)
        if not gezeigt and platz >= 2:  # the first note shortened to the lines there are
            zeichen = (platz - 1) * max(20, int(TABLE_WIDTH / Pt(10) * 2)) - 2
            gezeigt = [notes[0][:zeichen].rsplit(" ", 1)[0] + " …"]
        if len(gezeigt) < len(notes):
            gezeigt.append("Weitere Hinweise: in den Notizen zu dieser Folie und in den Tabellen (Excel, Spalte "
                           "„Hinweis“).")
            slide.notes_slide.notes_text_frame.text = "\n".join(notes)
        _text(slide, MARGIN, top, TABLE_WIDTH, Inches(1.0), gezeigt, 10, GREY)
    chart_left, chart_top = MARGIN + TABLE_WIDTH + Inches(0.25), Inches(1.15)
    chart_width = SLIDE_WIDTH - MARGIN - chart_left
    if png is not None:
        _bild(slide, png, chart_left, chart_top, chart_width, alt_text(f"Verlauf: {ziel.titel}"))
    else:
        _text(slide, chart_left, Inches(2.3), chart_width, Inches(2.0),
              ["Verlauf als Bild nicht verfügbar.", hinweis or "", "Der Verlauf steht in der App auf der Seite "
               "Zielerreichung."], 12, GREY)
    _footer(slide, unterlagen, footer)


def _zeilen(texte: list[str], breite, punkt: int) -> int:
    """Lines these paragraphs take in a box this wide at this type size (an estimate: a character of Calibri
    is about half an em wide on average)."""
    je_zeile = max(20, int(breite / Pt(punkt) * 2))
    return sum(max(1, math.ceil(len(text) / je_zeile)) for text in texte)


def _passend(texte: list[str], zeilen: int, breite, punkt: int) -> list[str]:
    """The first paragraphs that fit in `zeilen` lines (one line kept free for the pointer to the rest)."""
    gezeigt: list[str] = []
    for text in texte:
        if _zeilen(gezeigt + [text], breite, punkt) > (zeilen if len(gezeigt) + 1 == len(texte) else zeilen - 1):
            break
        gezeigt.append(text)
    return gezeigt


def _steckbrief_slide(deck, unterlagen: Unterlagen, profil, spine: bytes | None, lage: bytes | None,
                      hinweis: str | None) -> None:
    """One area's Steckbrief: the spine chart with sparklines on the left, locator map, population and goal
    verdicts on the right."""
    slide = _new_slide(deck, f"Steckbrief: {profil.kurzname}")
    left_width = Inches(8.4)
    if spine is not None:
        picture = _bild(slide, spine, MARGIN, Inches(1.15), left_width,
                        alt_text(f"Alle Indikatoren von {profil.kurzname}: letzter Wert im Vergleich (Spine-Chart)"))
        if picture.height > Inches(5.9):  # many indicators: keep the footer free
            picture.width = int(picture.width * Inches(5.9) / picture.height)
            picture.height = Inches(5.9)
    else:
        _text(slide, MARGIN, Inches(2.3), left_width, Inches(2.0),
              ["Spine-Chart als Bild nicht verfügbar.", hinweis or ""], 12, GREY)
    right = MARGIN + left_width + Inches(0.25)
    right_width = SLIDE_WIDTH - MARGIN - right
    top = Inches(1.2)
    if lage is not None:
        picture = _bild(slide, lage, right, top, right_width,
                        f"Karte: Lage von {profil.kurzname} im {profil.kreis_name}, dunkelblau hervorgehoben.")
        top += picture.height + Inches(0.15)
    lines = ["Bevölkerung:"] + profil.bevoelkerung()
    _text(slide, right, top, right_width, Inches(1.2), lines, 11)
    top += Inches(0.25) * len(lines) + Inches(0.2)
    if not profil.ziele.empty:
        _text(slide, right, top, right_width, Inches(1.6),
              ["Ziele:"] + [f"{r.Status} – {r.Ziel} ({r.Jahr}: {r.Wert})" for r in profil.ziele.itertuples()], 10)
    notes = [f"● {belastbar}"] if (belastbar := kartendaten.belastbarkeit_hinweis(profil.zeilen)) else []
    notes += [legende] if (legende := steckbrief.kennzeichen_legende(profil, vergleiche=())) else []  # own values
    _footer(slide, unterlagen, notes + [unterlagen.grenzen_quelle])
