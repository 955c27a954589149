"""User text is text (issue 11, item 2): the hostile corpus (tests/feindlich.py) through the import, every page
(AppTest: what each Markdown-rendering element receives) and every export (XLSX, PPTX, CSV, `bericht` on the
command line). The real-browser run of the same corpus is tests/e2e/test_feindlich.py."""

import io
import os
import re
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from conftest import HEADER, ROOT, lokal_angemeldet, open_page
from feindlich import HOSTILE, LANG, SOZIALRAUM_NAMEN, build_hostile
from sozialmonitor import klartext
from sozialmonitor.ausgabe import arbeitsmappe, foliensatz
from sozialmonitor.daten import db
from sozialmonitor.karten import kartendaten
from sozialmonitor.daten import queries
from sozialmonitor.oberflaeche import seite
from sozialmonitor.zugang import rollen, verwaltung

PAGES = ["app.py", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))]  # every page
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What a Markdown renderer would turn into something else than the text: an image, a link, HTML, a directive.
RENDERED = [re.compile(p) for p in (r"(?<!\\)!(?<!\\)\[", r"(?<!\\)\]\(", r"(?<!\\)<(img|script|b|a)\b",
                                      r"(?<!\\):red(?<!\\)\[", r"(?<!\\)\$x", r"(?<!\\)\*\*fett")]


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    path = tmp_path_factory.mktemp("feindlich") / "feindlich.duckdb"
    return path, build_hostile(path)


@pytest.fixture
def hostile_con(hostile):
    con = db.connect_read_only(hostile[0])
    yield con
    con.close()


# ---------------------------------------------------------------- the functions


def test_markdown_escapes_every_construct():
    for text in [*HOSTILE.values(), LANG]:
        shown = klartext.markdown(text)
        assert not any(p.search(shown) for p in RENDERED), shown
        # every escaped character is the original one: removing the escapes gives the text back (minus controls)
        readable = re.sub(r"\\(.)", r"\1", shown).replace(klartext.WORT_VERBINDER, "")
        assert readable == klartext.bereinigen(text).strip()


def test_plotly_text_has_no_tag_and_no_placeholder():
    shown = klartext.plotly(HOSTILE["html"] + HOSTILE["platzhalter"])
    assert "<" not in shown and "%{" not in shown
    assert "&lt;img" in shown and "&#37;{y}" in shown


@pytest.mark.parametrize("text", ["=1+1", "+SUM(1)", "-2+3+cmd|' /C calc'!A0", "@SUMME(A1)", "\t=1", "\r=1"])
def test_formula_like_cells_are_neutralised(text):
    assert klartext.csv_zelle(text) == "'" + text


@pytest.mark.parametrize("text", ["-1,5", "+3,0 %", "-0,4 Pp.", "1.503", "Adorf", ""])
def test_numbers_as_text_and_plain_text_stay(text):
    assert klartext.csv_zelle(text) == text


# ---------------------------------------------------------------- import


def test_control_characters_are_removed_at_import_with_a_note(hostile, hostile_con):
    _, results = hostile
    notes = [n for r in results.values() for n in r.hinweise]
    assert any("Steuerzeichen entfernt" in n and "sozialraum_name" in n for n in notes), notes
    assert any("Steuerzeichen entfernt" in r.zusammenfassung() for r in results.values())
    for sql in ("SELECT name FROM gebiete", "SELECT name || definition || quelle || zaehler FROM indikatoren",
                "SELECT titel || coalesce(verantwortlich, '') || coalesce(wortlaut, '') FROM ziele",
                "SELECT datei FROM importe"):
        for (value,) in hostile_con.execute(sql).fetchall():
            assert not CONTROL.search(value or ""), (sql, value[:80])
    names = dict(hostile_con.execute("SELECT code, name FROM gebiete WHERE ebene = 'sozialraum'").fetchall())
    assert names["SR6"] == LANG  # long names are kept whole
    assert names["SR1"] == SOZIALRAUM_NAMEN["SR1"]  # the rest of the text is kept as written


# ---------------------------------------------------------------- exports


def test_xlsx_has_no_formula_and_keeps_the_text(hostile_con):
    unterlagen = foliensatz.collect(lambda name, **p: queries.run_query(hostile_con, name, **p))
    data = arbeitsmappe.xlsx_bytes(unterlagen)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any(re.search(r"<f[ >]", xml) for xml in sheets)  # no formula element anywhere
    book = load_workbook(io.BytesIO(data))
    values = [c for s in book.worksheets for row in s.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c.coordinate for c in values if c.data_type == "f"]
    formula_like = [c for c in values if c.value.startswith(("=", "+", "@"))]
    assert formula_like and all(c.quotePrefix for c in formula_like)  # text, and Excel keeps it text when edited
    assert any(c.value == HOSTILE["formel"] for c in values)


def test_pptx_is_built_with_its_charts_and_plain_text(hostile_con):
    unterlagen = foliensatz.collect(lambda name, **p: queries.run_query(hostile_con, name, **p))
    satz = foliensatz.build_pptx(unterlagen)
    deck = Presentation(io.BytesIO(satz.data))
    texts = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                     if shape.has_text_frame)
    assert HOSTILE["markdown_link"] in texts  # shown as written
    assert not CONTROL.search(texts)
    if os.path.exists("/usr/bin/chromium"):
        pictures = sum(1 for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13)
        assert satz.hinweis is None and pictures == len(unterlagen.uebersicht)


def test_csv_download_has_no_formula_cell(hostile_con):
    indikator = kartendaten.Indikator.from_row(
        queries.run_query(hostile_con, "map_indicators").set_index("id", drop=False).loc["sgb2_u10"])
    values = kartendaten.prepare_values(queries.run_query(hostile_con, "indicator_values_by_area", indikator="sgb2_u10",
                                                   zeitraum="2023", ebene="sozialraum"), indikator)
    table = kartendaten.area_table(values, indikator)
    frame = pd.read_csv(io.BytesIO(kartendaten.csv_bytes(table)), sep=";", dtype=str, encoding="utf-8-sig",
                        keep_default_na=False)
    cells = [c for column in frame.columns for c in frame[column]] + list(frame.columns)
    assert not [c for c in cells if klartext.gefaehrlich(c)]
    assert "'" + kartendaten.short_name(HOSTILE["formel"]) in frame["Gebiet"].tolist()


def test_bericht_on_the_command_line_writes_both_files_without_traceback(hostile, tmp_path):
    result = subprocess.run([sys.executable, "-m", "sozialmonitor", "bericht", "--db", str(hostile[0]),
                             "--xlsx", str(tmp_path / "z.xlsx"), "--pptx", str(tmp_path / "z.pptx")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert (tmp_path / "z.xlsx").stat().st_size > 0 and (tmp_path / "z.pptx").stat().st_size > 0


# ---------------------------------------------------------------- pages


MARKDOWN_ELEMENTS = ("markdown", "caption", "title", "header", "subheader", "info", "success", "warning", "error",
                     "expander")


def _rendered_texts(at) -> list[str]:
    texts = []
    for kind in MARKDOWN_ELEMENTS:
        for element in at.get(kind):
            value = getattr(element, "label", None) if kind == "expander" else getattr(element, "value", None)
            if isinstance(value, str):
                texts.append(value)
    for element in at.get("table"):  # st.table renders every cell as Markdown (Streamlit ≥ 1.50)
        import pyarrow as pa
        styler = element.proto.arrow_data.styler
        cells = (pa.ipc.open_stream(styler.display_values).read_all().to_pandas() if styler.display_values
                 else element.value)
        texts += [v for column in cells.columns for v in cells[column].tolist() if isinstance(v, str)]
    return texts


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_hostile_texts_as_text(page, hostile, monkeypatch):
    monkeypatch.setenv("SOZIALMONITOR_DB", str(hostile[0]))
    at = open_page(page)
    at.run()
    assert not at.exception, at.exception
    texts = _rendered_texts(at)
    rendered = [(p.pattern, t[:160]) for t in texts for p in RENDERED if p.search(t)]
    assert not rendered, rendered


# ---------------------------------------------------------------- the places a reviewer named (code review, item A)

BOESE = "**x** [a](http://evil.example) <img src=x>"


def _literal(value: str) -> bool:
    """The hostile name as text: no emphasis, no link, no HTML can form, and its words are still there."""
    return ("x" in value and "evil" in value and re.search(r"(?<!\\)\*\*x", value) is None
            and re.search(r"(?<!\\)\]\(", value) is None and re.search(r"(?<!\\)<img", value) is None)


@pytest.fixture
def benannt(demo_copy, monkeypatch):
    """The demo with a Verwaltung user whose name is hostile, signed in locally."""
    verwaltung.rolle_setzen(demo_copy, rollen.kommandozeile(), "vera", BOESE, "verwaltung", None, "Test",
                            passwort="vera-passwort-123")
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_copy))
    lokal_angemeldet(monkeypatch, demo_copy, "vera")
    return demo_copy


@pytest.mark.parametrize("page, key, meldung", [
    ("pages/7_Ziele_bearbeiten.py", "ziele_meldung", f"Ziel „{BOESE}“ angelegt (Eintrag 9)."),
    ("pages/9_Rollen.py", "rollen_meldung", f"Gespeichert – {BOESE}: Verwaltung."),
])
def test_confirmations_show_titles_and_names_literally(benannt, page, key, meldung):
    at = open_page(page)
    at.session_state[key] = meldung
    at.run()
    assert not at.exception, at.exception
    assert at.success and _literal(at.success[0].value), at.success[0].value if at.success else None


def test_the_sidebar_and_the_protokoll_show_a_hostile_user_name_literally(benannt):
    vera = rollen.Person("vera", BOESE, "verwaltung", anmeldung="lokal")
    verwaltung.rolle_setzen(benannt, vera, "bea", "Bea", "betrachter", None, "Test")  # a Protokoll entry by her
    at = open_page("pages/8_Protokoll.py").run()
    assert not at.exception, at.exception
    names = [c.value for c in at.sidebar.caption if "evil" in c.value]
    assert names and all(_literal(v) for v in names), names
    # the Protokoll is an HTML table (st.table renders Markdown): the name is shown escaped, its words all there
    zellen = [t for t in _rendered_texts(at) if "evil" in t]
    assert zellen and all(_literal(z) for z in zellen), zellen
    assert BOESE in at.table[0].value["Person"].tolist()


def test_a_typed_boundary_attribution_is_shown_literally_on_every_page_that_names_it(app_on_demo, monkeypatch):
    monkeypatch.setattr(seite, "geodaten_quelle", lambda: f"Grenzen: {BOESE}")
    for page, captions in (("app.py", lambda at: at.caption), ("pages/1_Karte.py", lambda at: at.caption)):
        at = open_page(page).run()
        assert not at.exception, at.exception
        shown = [c.value for c in [*captions(at), *at.sidebar.caption] if "evil" in c.value]
        assert shown and all(_literal(v) for v in shown), (page, shown)


def test_a_hostile_file_name_in_the_import_messages_is_shown_literally(demo_copy, monkeypatch):
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_copy))
    at = open_page("pages/4_Daten.py").run()
    at.selectbox(key="daten_art").select("observations").run()
    name = f"{BOESE}.csv"
    for body in ("16065001;sgb2_u10;2031;5;50;\n", "16065001;gibt_es_nicht;2031;5;50;\n"):
        at.file_uploader(key="daten_datei").set_value((name, (HEADER + body).encode(), "text/csv")).run()
        assert not at.exception, at.exception
        shown = [e.value for e in [*at.success, *at.error, *at.info, *at.caption] if "evil" in e.value]
        assert all(_literal(v) for v in shown), shown
        if "sgb2_u10" in body:  # the preview names the file
            assert shown


def test_a_refusal_naming_a_hostile_user_is_shown_literally(demo_copy, monkeypatch):
    """„<Name> ist Betrachter: Dateien importieren darf erst …“ names the person as the sign-in gave it."""
    verwaltung.rolle_setzen(demo_copy, rollen.kommandozeile(), "bea", BOESE, "betrachter", None, "Test",
                            passwort="bea-passwort-123")
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_copy))
    lokal_angemeldet(monkeypatch, demo_copy, "bea")
    at = open_page("pages/4_Daten.py").run()
    assert not at.exception, at.exception
    shown = [e.value for e in at.error if "evil" in e.value]
    assert shown and all(_literal(v) for v in shown), shown
