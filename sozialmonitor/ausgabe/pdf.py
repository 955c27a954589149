"""The document model (ausgabe.dokument) as a PDF with WeasyPrint (HTML + CSS → PDF).

Why WeasyPrint and not LibreOffice headless: it is a pip package (pinned in requirements.txt) that needs only Pango
from the system (Debian: libpango-1.0-0, libpangoft2-1.0-0, already pulled in by chromium), renders in-process in
well under a second, and is deterministic; LibreOffice is a ~300 MB install, starts a second office process per
conversion (seconds), and needs its own profile directory per concurrent call. The PDF is built from the same
document model as the Word file, so both carry the same content. Every text is escaped (user text is text, never
markup). No Streamlit."""

import base64
import html
import re

from sozialmonitor.ausgabe.dokument import Dokument
from sozialmonitor.errors import SozialmonitorFehler

MIME = "application/pdf"

CSS = """
@page { size: A4; margin: 2cm 2cm 2.4cm 2cm;
        @bottom-left { content: element(fuss); }
        @bottom-right { content: "Seite " counter(page) " von " counter(pages); font-size: 7.5pt; color: #595959;
                        font-family: Carlito, "Liberation Sans", "DejaVu Sans", sans-serif; } }
body { font-family: Carlito, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.35; color: #111; }
h1.titel { font-size: 20pt; margin: 0 0 4pt 0; color: #17365d; }
p.untertitel { color: #595959; margin-top: 0; }
h1 { font-size: 14pt; color: #17365d; margin: 16pt 0 6pt 0; border-bottom: 1px solid #b8c7dc; }
h2 { font-size: 11.5pt; color: #1f4e9c; margin: 12pt 0 4pt 0; }
p.hinweis { color: #b01e1e; font-weight: bold; }
p.klein { color: #595959; font-size: 8pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt 0; font-size: 7.5pt; page-break-inside: auto; }
tr { page-break-inside: avoid; }
thead { display: table-header-group; }
th, td { border: 0.5pt solid #9fb1cc; padding: 2pt 4pt; vertical-align: top; }
th { background: #dce6f2; text-align: left; }
td.zahl { text-align: right; white-space: nowrap; }
figure { margin: 6pt 0 10pt 0; text-align: center; page-break-inside: avoid; }
figure img { max-width: 100%; }
figcaption { color: #595959; font-size: 8pt; }
div.fuss { position: running(fuss); font-size: 7.5pt; color: #595959; width: 13cm; }
div.fuss.demo { color: #b01e1e; }
"""


ZAHL_EINHEIT = re.compile(r"(?<=\d) (?=%|‰|Pp\.)")


def _e(text) -> str:
    """Escaped; a number and its unit joined by a no-break space, so a line never ends in '11,0' and the next
    begins with '%' (seen in the rendered Sitzungsvorlage)."""
    return ZAHL_EINHEIT.sub("\u00a0", html.escape(str(text), quote=True))


def html_text(dokument: Dokument) -> str:
    """The HTML WeasyPrint renders (escaped throughout)."""
    teile = [f'<div class="fuss{" demo" if dokument.demo else ""}">{_e(dokument.fusszeile)}</div>',
             f'<h1 class="titel">{_e(dokument.titel)}</h1>', f'<p class="untertitel">{_e(dokument.untertitel)}</p>']
    for block in dokument.bloecke:
        if block.art == "ueberschrift":
            tag = "h1" if block.ebene == 1 else "h2"
            teile.append(f"<{tag}>{_e(block.text)}</{tag}>")
        elif block.art in ("absatz", "hinweis", "klein"):
            klasse = "" if block.art == "absatz" else f' class="{block.art}"'
            teile.append(f"<p{klasse}>{_e(block.text)}</p>")
        elif block.art == "tabelle":
            frame = block.tabelle
            kopf = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
            zeilen = "".join(
                "<tr>" + "".join(f'<td{" class=zahl" if c in block.rechtsbuendig else ""}>{_e(v)}</td>'
                                 for c, v in zip(frame.columns, row)) + "</tr>"
                for row in frame.values.tolist())
            teile.append(f"<table><thead><tr>{kopf}</tr></thead><tbody>{zeilen}</tbody></table>")
        elif block.art == "bild":
            data = base64.b64encode(block.bild).decode("ascii")
            teile.append(f'<figure><img src="data:image/png;base64,{data}" style="width:{block.breite}cm" alt="{_e(block.alt or block.text)}">'
                         f"<figcaption>{_e(block.text)}</figcaption></figure>")
    return (f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{_e(dokument.titel)}</title>'
            f"<style>{CSS}</style></head><body>{''.join(teile)}</body></html>")


def schreiben(dokument: Dokument) -> bytes:
    try:
        import weasyprint  # imported when a PDF is made: it loads Pango (~0,3 s), which no page run needs otherwise
    except OSError as exc:  # the Python package is there, the system's Pango library is not
        raise SozialmonitorFehler("Für PDF-Dateien fehlt die Bibliothek Pango (Debian: apt-get install "
                                  "libpango-1.0-0 libpangoft2-1.0-0).") from exc
    # Tagged PDF (PDF/UA-1: structure tree, language, title, alt texts) for screen readers – BITV 2.0 covers
    # documents too; WeasyPrint's own variant, no second tool.
    return weasyprint.HTML(string=html_text(dokument)).write_pdf(pdf_variant="pdf/ua-1")
