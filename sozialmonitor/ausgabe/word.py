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
    untertitel = word.add_paragraph(dokument.untertitel)
    untertitel.runs[0].font.color.rgb = GRAU
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
            word.add_picture(io.BytesIO(block.bild), width=Cm(block.breite))
            word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            unterschrift = word.add_paragraph(block.text)
            unterschrift.runs[0].font.size, unterschrift.runs[0].font.color.rgb = Pt(8.5), GRAU
    fuss = section.footer.paragraphs[0]
    fuss.text = dokument.fusszeile
    for run in fuss.runs:
        run.font.size, run.font.color.rgb = Pt(7.5), ROT if dokument.demo else GRAU
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _tabelle(word, block) -> None:
    frame = block.tabelle
    table = word.add_table(rows=len(frame) + 1, cols=len(frame.columns))
    table.style = "Light Grid Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = Pt(8.5 if len(frame.columns) <= 6 else 7.5)
    for row_index, row in enumerate([list(frame.columns)] + frame.values.tolist()):
        for column, text in enumerate(row):
            cell = table.cell(row_index, column)
            cell.text = str(text)
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
