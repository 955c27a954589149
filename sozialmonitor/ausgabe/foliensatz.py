"""Unterlagen für die Steuerungsgruppe: the goal evaluation as a PowerPoint deck (16:9) and an Excel workbook.

The deck has a title slide, a summary slide and one slide per target (real tables with German number texts as the
goal page shows them, the trend chart as a picture); the workbook keeps numbers as numbers with a German-looking
number format so planners can compute with them. Invented demo numbers carry the demo notice on the title slide, on
every slide's footer and on every sheet. What they show comes from `sozialmonitor.ausgabe.unterlagen` (Unterlagen, collect
– also reachable as bericht.Unterlagen / bericht.collect – and the shared texts and tables). Nothing here imports
Streamlit."""

import asyncio
import functools
import io
import math
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import kaleido
import pandas as pd
import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from sozialmonitor import fmt, kennzeichen, klartext
from sozialmonitor.ausgabe import diagramme
from sozialmonitor.karten import kartendaten
from sozialmonitor.ausgabe import steckbrief
from sozialmonitor.ziele import auswertung
from sozialmonitor.ausgabe.unterlagen import Unterlagen, datenstand_text, gebietstabelle, referenzquellen
from sozialmonitor.ausgabe.unterlagen import collect  # noqa: F401 – bericht.collect stays a name callers use
from sozialmonitor.daten.config import DEMO_NOTICE, GEODATA_ATTRIBUTION

DEMO_MARKE = "DEMODATEN – keine amtlichen Zahlen"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(endung: str, heute: date | None = None) -> str:
    """'zielerreichung_2026-11-22.pptx'."""
    return f"zielerreichung_{(heute or date.today()).isoformat()}.{endung}"


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
        slide.shapes.add_picture(io.BytesIO(png), chart_left, chart_top, width=chart_width)
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
        picture = slide.shapes.add_picture(io.BytesIO(spine), MARGIN, Inches(1.15), width=left_width)
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
        picture = slide.shapes.add_picture(io.BytesIO(lage), right, top, width=right_width)
        top += picture.height + Inches(0.15)
    lines = ["Bevölkerung:"] + profil.bevoelkerung()
    _text(slide, right, top, right_width, Inches(1.2), lines, 11)
    top += Inches(0.25) * len(lines) + Inches(0.2)
    if not profil.ziele.empty:
        _text(slide, right, top, right_width, Inches(1.6),
              ["Ziele:"] + [f"{r.Status} – {r.Ziel} ({r.Jahr}: {r.Wert})" for r in profil.ziele.itertuples()], 10)
    notes = ([f"● {kartendaten.NICHT_BELASTBAR}: weniger Fälle als die Regel des Indikators (ohne eigene Regel: weniger als "
              f"{kartendaten.MIN_NENNER} im Nenner)."] if profil.zeilen["unsicher"].any() else [])
    notes += [legende] if (legende := steckbrief.kennzeichen_legende(profil, vergleiche=())) else []  # own values
    _footer(slide, unterlagen, notes + [unterlagen.grenzen_quelle])


# ---------------------------------------------------------------- Excel

# Fonts are named: one without a name is drawn in the program's default, often a wide serif.
TEXT = functools.partial(Font, name="Calibri", size=11)
BOLD = TEXT(bold=True)
DEMO_FONT = TEXT(bold=True, color="B01E1E")
DATE_FORMAT = "DD.MM.YYYY"


@dataclass(frozen=True)
class Zelle:
    wert: object
    format: str | None = None  # Excel number format
    farbe: str | None = None   # background, a status colour '#rrggbb'


def number_format(einheit: str, nachkommastellen: int) -> str:
    """'#,##0.0 "%"', '#,##0' – thousands and decimals as the planner's Excel shows them (German: 1.503 and 9,2)."""
    digits = "#,##0" + ("." + "0" * nachkommastellen if nachkommastellen else "")
    return digits if einheit == "Anzahl" else f'{digits} "{einheit}"'


def _number(value, ziel, coverage: bool = False) -> Zelle:
    """A value as a real number with its target's format; a coverage row counts Gebiete. Missing: an empty cell."""
    fmt_code = number_format("Gebiete", 0) if coverage else number_format(ziel.einheit, int(ziel.nachkommastellen))
    return Zelle(float(value) if auswertung.present(value) else None, fmt_code)


def _kennzeichen(row) -> str:
    """The official flags of a row's value in words („vorläufig“), for the column „Kennzeichen“; '' for none."""
    return kennzeichen.woerter(getattr(row, "kennzeichen", None)) if auswertung.present(row.wert) else ""


def _status(key: str) -> Zelle:
    return Zelle(auswertung.status_label(key), farbe=auswertung.STATUS[key].farbe)


def _year(zeitraum) -> Zelle:
    return Zelle(int(zeitraum) if auswertung.present(zeitraum) else None, "0")  # a year: no thousands point


def xlsx_bytes(unterlagen: Unterlagen) -> bytes:
    """Übersicht (one row per target), one sheet per target with its areas, and the sources."""
    book = Workbook()
    _overview_sheet(book.active, unterlagen)
    used = {"Übersicht", "Quellen"}
    for ziel in unterlagen.uebersicht.itertuples(index=False):
        name = _sheet_name(ziel.id, used)
        used.add(name)
        _target_sheet(book.create_sheet(name), unterlagen, ziel)
    _sources_sheet(book.create_sheet("Quellen"), unterlagen)
    klartext.xlsx_entschaerfen(book)  # no text becomes a formula (OWASP CSV injection)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(ident: str, used: set[str]) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name; names must differ."""
    base = re.sub(r"[\[\]:*?/\\]", "-", ident)[:31]
    name, number = base, 2
    while name in used:
        name = f"{base[:28]}-{number}"
        number += 1
    return name


def _write_sheet(sheet, heading: list[str], unterlagen: Unterlagen, header: list[str],
                 rows: list[list]) -> None:
    """Heading lines (the first bold), the demo notice, then a table with a bold header, a filter and frozen
    panes; column widths from the longest text; printed as wide as one landscape page."""
    widths = [min(50, max(10, max([len(title)] + [_text_width(row[index]) for row in rows]) + 2))
              for index, title in enumerate(header)]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    lines = [(text, TEXT(bold=True, size=14) if index == 0 else TEXT()) for index, text in enumerate(heading)]
    if unterlagen.demo:
        lines.append((DEMO_NOTICE, DEMO_FONT))
    for index, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(index, 1, klartext.xlsx_text(text))
        cell.font, cell.alignment = font, Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=index, start_column=1, end_row=index, end_column=len(header))
        # A merged cell does not grow with its text (and a long line would widen the printed page): room for the
        # lines it needs.
        sheet.row_dimensions[index].height = 1.4 * font.size * math.ceil(len(text) * 1.1 / sum(widths))
    first = len(lines) + 2
    for column, title in enumerate(header, start=1):
        cell = sheet.cell(first, column, title)
        cell.font = BOLD
        if rows and isinstance(rows[0][column - 1], Zelle) and rows[0][column - 1].format:
            cell.alignment = Alignment(horizontal="right")  # over a column of numbers
    for row_index, row in enumerate(rows, start=first + 1):
        # Wrapped text: not every program fits the row to it. A column holds ~1.2 characters of text per width unit.
        sheet.row_dimensions[row_index].height = 15 * max(
            math.ceil(_text_width(item) / (1.2 * (width - 1))) for item, width in zip(row, widths))
        for column, item in enumerate(row, start=1):
            zelle = item if isinstance(item, Zelle) else Zelle(item)
            cell = sheet.cell(row_index, column, klartext.xlsx_text(zelle.wert))
            if zelle.format:
                cell.number_format = zelle.format
            if zelle.farbe:
                cell.fill = PatternFill(fill_type="solid", fgColor=zelle.farbe.lstrip("#").upper())
                cell.font = TEXT(color=diagramme.readable_text(zelle.farbe).lstrip("#").upper())
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(zelle.wert, str))
    sheet.freeze_panes = sheet.cell(first + 1, 1)
    sheet.page_setup.orientation = "landscape"  # printed for a meeting: as wide as one page, as long as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.auto_filter.ref = f"A{first}:{get_column_letter(len(header))}{first + max(1, len(rows))}"


def _text_width(item) -> int:
    """Characters a cell needs: its text, or room for a formatted number."""
    zelle = item if isinstance(item, Zelle) else Zelle(item)
    if zelle.format:
        return 12
    return len(str(zelle.wert)) if zelle.wert is not None else 0


def _overview_sheet(sheet, unterlagen: Unterlagen) -> None:
    sheet.title = "Übersicht"
    ziele = unterlagen.uebersicht
    statuses = ziele["status"] if not ziele.empty else pd.Series(dtype=str)
    rows = []
    for ziel in ziele.itertuples(index=False):
        coverage = auswertung.present(ziel.anzahl)
        rows.append([ziel.handlungsfeld, ziel.titel, auswertung.comparison_text(ziel), Zelle(ziel.frist, DATE_FORMAT),
                     _year(ziel.basisjahr), ziel.gebiet_name, _year(ziel.zeitraum), _number(ziel.wert, ziel, coverage),
                     _kennzeichen(ziel), _number(ziel.vergleichswert, ziel, coverage), _status(ziel.status),
                     _number(ziel.prognose, ziel, coverage), ziel.verantwortlich, ziel.id])
    _write_sheet(sheet, [f"Zielerreichung – {unterlagen.kreis}",
                         f"Datenstand: {datenstand_text(unterlagen)} · "
                         f"{auswertung.summary_text(statuses, ziele.get('spaeter_erreicht'))}"],
                 unterlagen, ["Handlungsfeld", "Ziel", "Zielvorgabe", "Frist", "Basisjahr", "Gebiet", "Jahr", "Wert",
                              "Kennzeichen", "Vergleichswert", "Status", "Prognose zur Frist", "Verantwortlich", "Ziel-ID"], rows)


def _target_sheet(sheet, unterlagen: Unterlagen, ziel) -> None:
    bewertung = unterlagen.bewertung
    rows = []
    for row in bewertung[bewertung["ziel"] == ziel.id].itertuples(index=False):
        coverage = bool(row.abdeckung)
        rows.append([row.gebiet_name, row.gebiet, _year(row.zeitraum), _number(row.wert, ziel, coverage),
                     _kennzeichen(row), _number(row.vergleichswert, ziel, coverage), _status(row.status),
                     _number(row.ki_unten, ziel), _number(row.ki_oben, ziel),
                     auswertung.statistisch_text(row.signifikant, row.belastbar),
                     _number(row.fristwert, ziel, coverage),
                     {True: "ja", False: "nein"}.get(row.frist_erreicht, "–"),
                     _number(row.prognose, ziel, coverage), row.hinweis if auswertung.present(row.hinweis) else ""])
    jahr = ziel.frist.year
    _write_sheet(sheet, [ziel.titel, f"Zielvorgabe: {auswertung.comparison_text(ziel)} · Frist: {fmt.datum(ziel.frist)}"
                                     f" · Basisjahr: {ziel.basisjahr} · Gesamt: {auswertung.status_label(ziel.status)}",
                         f"Quelle: {ziel.quelle}"],
                 unterlagen, ["Gebiet", "Gebietsschlüssel", "Jahr", "Wert", "Kennzeichen", "Vergleichswert", "Status",
                              "95-%-KI unten", "95-%-KI oben", "Statistisch", f"Wert {jahr}", f"Ziel {jahr} erreicht",
                              f"Prognose {jahr}", "Hinweis"], rows)


def _sources_sheet(sheet, unterlagen: Unterlagen) -> None:
    rows = [[q.indikator, q.gebietsname, q.zeitraum,
             Zelle(float(q.wert) if auswertung.present(q.wert) else None,
                   number_format(q.einheit, int(q.nachkommastellen))), q.quelle]
            for q in unterlagen.quellen.itertuples(index=False)]
    _write_sheet(sheet, ["Quellen der Vergleichswerte (Land, Bund)", unterlagen.grenzen_quelle], unterlagen,
                 ["Indikator", "Gebiet", "Zeitraum", "Wert", "Quelle"], rows)
