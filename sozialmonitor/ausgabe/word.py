"""The document model (ausgabe.dokument) as a Word file with python-docx: real headings (Word's heading styles, so
the navigation pane and a table of contents work), real tables, pictures, and a footer on every page with the
attribution and, on demo data, the demo marker. A4 portrait. No Streamlit."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from sozialmonitor.ausgabe.dokument import Dokument

GRAU = RGBColor(0x59, 0x59, 0x59)
ROT = RGBColor(0xB0, 0x1E, 0x1E)
MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def schreiben(dokument: Dokument) -> bytes:
    word = Document()
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(10.5)
    word.core_properties.title = dokument.titel
    word.core_properties.language = "de-DE"
    _sprache(word)
    word.add_heading(dokument.titel, level=0)
    for run in word.add_paragraph(dokument.untertitel).runs:  # none for an empty subtitle
        run.font.color.rgb = GRAU
    for block in dokument.bloecke:
        if block.art == "ueberschrift":
            word.add_heading(block.text, level=block.ebene)
        elif block.art == "absatz":
            word.add_paragraph(block.text)
        elif block.art == "hinweis":
            absatz = word.add_paragraph()
            run = absatz.add_run(block.text)
            run.bold, run.font.color.rgb = True, ROT
        elif block.art == "klein":
            run = word.add_paragraph().add_run(block.text)
            run.font.size, run.font.color.rgb = Pt(8.5), GRAU
        elif block.art == "tabelle":
            _tabelle(word, block)
        elif block.art == "bild":
            bild = word.add_picture(io.BytesIO(block.bild), width=Cm(block.breite))
            bild._inline.docPr.set("descr", block.alt or block.text)  # Alternativtext (Word: "Alt-Text")
            bild._inline.docPr.set("title", block.text)
            word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in word.add_paragraph(block.text).runs:
                run.font.size, run.font.color.rgb = Pt(8.5), GRAU
    fuss = section.footer.paragraphs[0]
    fuss.text = dokument.fusszeile
    for run in fuss.runs:
        run.font.size, run.font.color.rgb = Pt(7.5), ROT if dokument.demo else GRAU
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


BREITE_CM = 17.0  # A4 less the margins


KURZ = 12  # a column whose cells are all this short (years, values, '31.12.2023', '9,2 %') never wraps


def _spaltenbreiten(frame, zeichen_cm: float = 0.17, rand_cm: float = 0.4) -> list[float]:
    """Column widths (cm) by content, instead of Word's (and LibreOffice's) equal widths: short columns (years,
    values, dates – every cell at most KURZ characters) get their whole text and never wrap; text columns (names,
    titles, statuses) get at least their longest word (at most KURZ characters of it) and share the rest in
    proportion to their length. When the short columns and the words do not fit the page, only the text columns
    give way (they wrap within words rather than a year breaking into '202' and '4')."""
    laengen = []
    for column in frame.columns:
        texte = [str(column)] + [str(v) for v in frame[column]]
        werte = [str(v) for v in frame[column]]
        kopf_wort = max((len(w) for w in str(column).split()), default=0)
        zelle = max((len(t) for t in werte), default=0)
        wort = max(len(w) for t in texte for w in (t.split() or [""]))
        laengen.append((zelle <= KURZ, max(zelle, kopf_wort), wort, min(34, max(len(t) for t in texte))))
    fest = [kurz for kurz, *_ in laengen]
    mindest = [(breit if kurz else min(wort, KURZ)) * zeichen_cm + rand_cm for kurz, breit, wort, _ in laengen]
    wunsch = [(breit if kurz else max(lang, min(wort, KURZ))) * zeichen_cm + rand_cm
              for kurz, breit, wort, lang in laengen]
    rest = BREITE_CM - sum(mindest)
    if rest <= 0:  # only the text columns give way
        fix = sum(m for m, f in zip(mindest, fest) if f)
        flexibel = sum(m for m, f in zip(mindest, fest) if not f)
        if fix >= BREITE_CM or not flexibel:
            return [BREITE_CM * m / sum(mindest) for m in mindest]
        return [m if f else (BREITE_CM - fix) * m / flexibel for m, f in zip(mindest, fest)]
    extra = [max(0.0, w - m) for w, m in zip(wunsch, mindest)]
    if sum(extra) == 0:
        return [m + rest / len(mindest) for m in mindest]
    return [m + rest * e / sum(extra) for m, e in zip(mindest, extra)]


def _zeile_zusammenhalten(row, kopf: bool) -> None:
    """A row never breaks across pages; the header row repeats on every page."""
    eigenschaften = row._tr.get_or_add_trPr()
    for tag in (("w:cantSplit", "w:tblHeader") if kopf else ("w:cantSplit",)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        eigenschaften.append(element)


def _tabelle(word, block) -> None:
    frame = block.tabelle
    table = word.add_table(rows=len(frame) + 1, cols=len(frame.columns))
    table.style = "Light Grid Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    klein = len(frame.columns) > 6
    breiten = _spaltenbreiten(frame, zeichen_cm=0.15 if klein else 0.17)  # Calibri 7,5 / 8,5 pt, with room
    for column, breite in zip(table.columns, breiten):  # the grid (LibreOffice reads it) and every cell (Word)
        column.width = Cm(breite)
    size = Pt(7.5 if klein else 8.5)
    for row_index, row in enumerate([list(frame.columns)] + frame.values.tolist()):
        _zeile_zusammenhalten(table.rows[row_index], row_index == 0)
        for column, text in enumerate(row):
            cell = table.cell(row_index, column)
            cell.width = Cm(breiten[column])
            cell.text = str(text).replace(" %", "\u00a0%")  # a number keeps its unit on its line
            paragraph = cell.paragraphs[0]
            if frame.columns[column] in block.rechtsbuendig and row_index:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.size = size
                run.bold = row_index == 0
    word.add_paragraph()


def _sprache(word) -> None:
    """German spelling for the whole document (Word's spell check and hyphenation)."""
    rpr = word.styles.element.find(qn("w:docDefaults"))
    if rpr is None:
        return
    run_defaults = rpr.find(qn("w:rPrDefault"))
    if run_defaults is None:
        return
    props = run_defaults.find(qn("w:rPr"))
    if props is None:
        return
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "de-DE")
    props.append(lang)
