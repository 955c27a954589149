"""Tabellen für die Steuerungsgruppe: the goal evaluation as an Excel workbook (an overview sheet, one sheet per
target, the sources). Numbers stay numbers with a German-looking number format so planners can compute with them;
invented demo numbers carry the demo notice on every sheet; cells starting with = + - @ are neutralised
(klartext). Nothing here imports Streamlit."""

import functools
import io
import math
import re
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sozialmonitor import fmt, kennzeichen, klartext
from sozialmonitor.ausgabe import diagramme
from sozialmonitor.ausgabe.unterlagen import Unterlagen, datenstand_text
from sozialmonitor.daten.config import DEMO_NOTICE
from sozialmonitor.sozialindex import texte as sozialindex_texte
from sozialmonitor.sozialindex import vergleichsring
from sozialmonitor.ziele import auswertung

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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


def _sicherheit(sicherheit) -> Zelle:
    """The share of the 1.000 draws of the counts that give the status (statistik.sicherheit), as a percentage cell
    ('100 %'); empty where there are no counts to draw from."""
    return Zelle(float(sicherheit) if auswertung.present(sicherheit) else None, "0 %")


def _year(zeitraum) -> Zelle:
    return Zelle(int(zeitraum) if auswertung.present(zeitraum) else None, "0")  # a year: no thousands point


def xlsx_bytes(unterlagen: Unterlagen, sozialindex: list = (), ring=None) -> bytes:
    """Übersicht (one row per target), one sheet per target with its areas, one per Sozialindex (results of
    sozialindex.berechnung.alle; a reason text where one could not be computed), the Vergleichsring (a
    vergleichsring.Vergleichsring; None: no sheet) and the sources."""
    book = Workbook()
    _overview_sheet(book.active, unterlagen)
    used = {"Übersicht", "Quellen"}
    for ziel in unterlagen.uebersicht.itertuples(index=False):
        name = _sheet_name(ziel.titel, used)  # the target's title, not its id ('beispiel-sgb2-u10')
        used.add(name)
        _target_sheet(book.create_sheet(name), unterlagen, ziel)
    for ergebnis in sozialindex:
        name = _sheet_name("Sozialindex" if isinstance(ergebnis, str) else ergebnis.definition.name, used)
        used.add(name)
        _index_sheet(book.create_sheet(name), unterlagen, ergebnis)
    if isinstance(ring, vergleichsring.Vergleichsring):
        _ring_sheet(book.create_sheet(_sheet_name("Vergleichsring", used)), unterlagen, ring)
    _sources_sheet(book.create_sheet("Quellen"), unterlagen)
    klartext.xlsx_entschaerfen(book)  # no text becomes a formula (OWASP CSV injection)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(titel: str, used: set[str]) -> str:
    """A German sheet name from a title ('Beispielziel – SGB-II-Quote der …'): Excel allows 31 characters, none of
    []:*?/\\, no apostrophe at either end, and names that differ regardless of case. A longer title is cut at a
    word and ends in '…' (the sheet's first line holds it whole); a repeated name gets ' (2)'. Adds nothing to used."""
    text = re.sub(r"\s*:\s*", " – ", str(titel))
    text = re.sub(r"[\[\]*?/\\]", "-", text)
    text = " ".join(text.split()).strip("'") or "Blatt"
    vergeben = {u.casefold() for u in used}
    name, number = _kuerzen(text, 31), 2
    while name.casefold() in vergeben:
        zusatz = f" ({number})"
        name = _kuerzen(text, 31 - len(zusatz)) + zusatz
        number += 1
    return name


def _kuerzen(text: str, laenge: int) -> str:
    """text, or its words that fit with ' …' into laenge characters."""
    if len(text) <= laenge:
        return text
    gekuerzt = ""
    for wort in text.split(" "):
        if len(f"{gekuerzt} {wort}".strip()) + 2 > laenge:
            break
        gekuerzt = f"{gekuerzt} {wort}".strip()
    return (gekuerzt.rstrip(" –-") or text[:laenge - 2]) + " …"


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
                     _sicherheit(getattr(ziel, "sicherheit", None)),
                     _number(ziel.prognose, ziel, coverage), ziel.verantwortlich, ziel.id])
    _write_sheet(sheet, [f"Zielerreichung – {unterlagen.kreis}",
                         (f"Datenstand: {datenstand_text(unterlagen)} · "
                          f"{auswertung.summary_text(statuses, ziele.get('spaeter_erreicht'))}")],
                 unterlagen, ["Handlungsfeld", "Ziel", "Zielvorgabe", "Frist", "Basisjahr", "Gebiet", "Jahr", "Wert",
                              "Kennzeichen", "Vergleichswert", "Status", "Sicherheit", "Prognose zur Frist",
                              "Verantwortlich", "Ziel-ID"], rows)


def _target_sheet(sheet, unterlagen: Unterlagen, ziel) -> None:
    bewertung = unterlagen.bewertung
    rows = []
    for row in bewertung[bewertung["ziel"] == ziel.id].itertuples(index=False):
        coverage = bool(row.abdeckung)
        rows.append([row.gebiet_name, row.gebiet, _year(row.zeitraum), _number(row.wert, ziel, coverage),
                     _kennzeichen(row), _number(row.vergleichswert, ziel, coverage), _status(row.status),
                     _sicherheit(row.sicherheit), _number(row.ki_unten, ziel), _number(row.ki_oben, ziel),
                     auswertung.statistisch_text(row.signifikant, row.belastbar),
                     _number(row.fristwert, ziel, coverage),
                     {True: "ja", False: "nein"}.get(row.frist_erreicht, "–"),
                     _number(row.prognose, ziel, coverage), row.hinweis if auswertung.present(row.hinweis) else ""])
    jahr = ziel.frist.year
    _write_sheet(sheet, [ziel.titel, (f"Zielvorgabe: {auswertung.comparison_text(ziel)} · Frist: "
                                      f"{fmt.datum(ziel.frist)} · Basisjahr: {ziel.basisjahr} · Gesamt: "
                                      f"{auswertung.status_label(ziel.status)}"),
                         f"Quelle: {ziel.quelle}"],
                 unterlagen, ["Gebiet", "Gebietsschlüssel", "Jahr", "Wert", "Kennzeichen", "Vergleichswert", "Status",
                              "Sicherheit", "95-%-KI unten", "95-%-KI oben", "Statistisch", f"Wert {jahr}", f"Ziel {jahr} erreicht",
                              f"Prognose {jahr}", "Hinweis"], rows)


def _index_sheet(sheet, unterlagen: Unterlagen, ergebnis) -> None:
    """One Sozialindex: per area its classes, the index values and certainties as numbers, and the oriented z-value
    per indicator (what drives the class); a reason text alone where the index could not be computed."""
    if isinstance(ergebnis, str):
        _write_sheet(sheet, ["Sozialindex", ergebnis], unterlagen, ["Hinweis"], [])
        return
    z = ergebnis.werte.pivot(index="gebiet", columns="indikator", values="z")
    indikatoren = list(ergebnis.indikatoren.itertuples())
    rows = []
    for r in ergebnis.gebiete.itertuples():
        def zahl(value, format_="+0.00;-0.00;0.00"):
            return Zelle(None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value),
                         format_)

        rows.append([r.name, r.gebiet, r.status_klasse or "", zahl(r.status_wert), r.dynamik_klasse or "",
                     zahl(r.dynamik_wert), r.typ or "", zahl(r.sicherheit_status, "0%"), zahl(r.sicherheit_typ, "0%"),
                     "unsicher" if r.unsicher else "", "ja" if r.aufmerksamkeit else "",
                     r.status_klasse_vorjahr or "",
                     *[zahl(z.at[r.gebiet, i.id] if r.gebiet in z.index else None) for i in indikatoren], r.grund])
    d = ergebnis.definition
    _write_sheet(sheet, [f"{d.name} {ergebnis.jahr}", sozialindex_texte.methodentext(ergebnis)[0]], unterlagen,
                 ["Gebiet", "Gebietsschlüssel", "Status", "Statuswert (z)", "Dynamik", "Dynamikwert (z)", "Typ",
                  "Sicherheit Status", "Sicherheit Typ", "unsicher", "besonderer Aufmerksamkeitsbedarf",
                  f"Status {ergebnis.jahr - 1}", *[f"z {i.name}" for i in indikatoren], "Hinweis"], rows)


def _ring_sheet(sheet, unterlagen: Unterlagen, ring) -> None:
    """The Kreise of the Vergleichsring with their distance and rates (numbers), and the ring's value per indicator
    beside the Kreis' in the heading lines."""
    zeilen = [[int(r.rang), r.name, r.kreis, r.land, Zelle(float(r.abstand), "0.00"),
               *[Zelle(float(getattr(r, i.indikator)), number_format(i.einheit, i.nachkommastellen))
                 for i in ring.vergleich.itertuples()]] for r in ring.nachbarn.itertuples()]
    vergleich = "; ".join(f"{i.name}: Kreis {fmt.wert(i.kreis, i.einheit, i.nachkommastellen)}, Ring "
                          f"{fmt.wert(i.ring, i.einheit, i.nachkommastellen)}" for i in ring.vergleich.itertuples())
    _write_sheet(sheet, [f"Vergleichsring {ring.kreis_name} {ring.jahr}", vergleich,
                         vergleichsring.methodentext(ring)], unterlagen,
                 ["Rang", "Kreis", "Kreisschlüssel", "Land", "Abstand",
                  *[f"{i.name} {ring.jahr}" for i in ring.vergleich.itertuples()]], zeilen)


def _sources_sheet(sheet, unterlagen: Unterlagen) -> None:
    """The sources: each indicator's (from the catalogue) and each comparison value's (Land, Bund) – a value
    without a row here has no source."""
    rows = [[q.name, "", "", None, q.quelle] for q in unterlagen.indikatorquellen.itertuples(index=False)]
    rows += [[getattr(q, "indikator_name", None) or q.indikator, q.gebietsname, q.zeitraum,  # the name, not 'alq_u25'
              Zelle(float(q.wert) if auswertung.present(q.wert) else None,
                    number_format(q.einheit, int(q.nachkommastellen))), q.quelle]
             for q in unterlagen.quellen.itertuples(index=False)]
    titel = "Quellen der Indikatoren und der Vergleichswerte (Land, Bund)" + (
        " – Quelle der Indikatoren laut Katalog; die Werte dieser Demo sind synthetisch" if unterlagen.demo else "")
    _write_sheet(sheet, [titel, unterlagen.grenzen_quelle],
                 unterlagen, ["Indikator", "Gebiet", "Zeitraum", "Wert", "Quelle"], rows)
