"""The Sitzungsvorlage generated from rules (data/sitzungsvorlage.toml) as Word and PDF, the Steckbrief documents
and slides, and the command line. Every produced file is opened with its own library (python-docx, pypdf,
python-pptx) and its content checked against the evaluation that `check --json` prints."""

import functools
import io
import json
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from docx import Document
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from test_bericht import slide_texts, tiny_targets_db  # noqa: F401 – fixture
from sozialmonitor import ausgabe, cli
from sozialmonitor.ausgabe import foliensatz, vorlage
from sozialmonitor.daten import db
from sozialmonitor.daten import queries
from sozialmonitor.ausgabe import regeln as regel_datei
from sozialmonitor.daten.config import GEODATA_ATTRIBUTION
from sozialmonitor.errors import EingabeFehler

CHROMIUM = Path("/usr/bin/chromium")
HEADINGS = ["Zusammenfassung", "Die Ziele im Einzelnen", "Veränderungen gegenüber dem Vorjahr", "Auffällige Gebiete",
            "Sozialindex", "Hinweise zu den Daten", "Quellen"]
DEMO_SATZ = "Demodaten: Die Werte der Gemeinden und Sozialräume sind synthetisch"


def build(path: Path, **kwargs) -> ausgabe.dokument.Dokument:
    con = db.connect_read_only(path)
    try:
        return ausgabe.sitzungsvorlage(functools.partial(queries.run_query, con), **kwargs)
    finally:
        con.close()


def check_json(path: Path, capsys) -> list[dict]:
    assert cli.main(["check", "--json", "--db", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def docx_text(data: bytes) -> tuple[Document, str]:
    word = Document(io.BytesIO(data))
    texts = [p.text for p in word.paragraphs]
    texts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return word, "\n".join(texts).replace("\u00a0", " ")  # no-break space between number and unit


def headings(word: Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split())


def pdf_pictures(reader: PdfReader) -> set[int]:
    """The distinct pictures the pages draw (object numbers of image XObjects, their alpha masks not counted)."""
    found = set()
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found.add(ref.idnum)
            elif obj.get("/Subtype") == "/Form":  # WeasyPrint wraps pictures in form XObjects
                for inner in obj.get("/Resources", {}).get("/XObject", {}).values():
                    if inner.get_object().get("/Subtype") == "/Image":
                        found.add(inner.idnum)
    return found


def de(value: float, stellen: int = 1) -> str:
    """The test's own German number text (independent of fmt): 9.174 → '9,2'."""
    return f"{value:,.{stellen}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def expected_verdicts(records: list[dict]) -> dict[str, str]:
    """For every threshold target with a Kreis row: the sentence a planner would write, from check --json."""
    names = {"3.1-jugendarbeitslosigkeit": ("Die Jugendarbeitslosigkeit", "7 %"),
             "beispiel-sgb2-u10": ("Die SGB-II-Quote der Kinder unter 10 Jahren", "15 %")}
    sentences = {}
    for r in records:
        if r["ziel"] in names and r["gebiet"] == "16065":
            subjekt, ziel = names[r["ziel"]]
            lage = "über dem" if round(r["wert"], 1) > r["vergleichswert"] else "unter dem"
            sicher = ("der Abstand ist statistisch gesichert." if r["signifikant"]
                      else "der Abstand ist statistisch nicht gesichert (er kann Zufall sein).")
            sentences[r["ziel"]] = (f"{subjekt} lag {r['zeitraum']} im Kreis bei {de(r['wert'])} % und damit {lage} "
                                    f"Ziel von {ziel}; {sicher}")
    return sentences


@pytest.fixture(scope="module")
def demo_vorlage(demo_db):
    """The demo's Sitzungsvorlage with two Steckbriefe, as Word and PDF (pictures drawn once, in one browser)."""
    dokument = build(demo_db, steckbriefe=["SR2", "16065001"])
    return dokument, ausgabe.schreiben(dokument, "docx"), ausgabe.schreiben(dokument, "pdf")


@pytest.fixture
def no_browser(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "kein-browser"))


# ---------------------------------------------------------------- Word

def test_word_file_has_the_headings_of_a_sitzungsvorlage(demo_vorlage):
    _, data, _ = demo_vorlage
    word, _ = docx_text(data)
    found = headings(word)
    assert found[0] == ("Title", "Sitzungsvorlage: Stand der Zielerreichung")
    level1 = [text for style, text in found if style == "Heading 1"]
    assert level1 == HEADINGS[:5] + ["Steckbriefe"] + HEADINGS[5:]
    level2 = [text for style, text in found if style == "Heading 2"]
    assert "Jugendarbeitslosigkeit unter 7 % im Jahresdurchschnitt" in level2
    assert "Steckbrief: Artern" in level2 and "Steckbrief: Abtsbessingen" in level2


def test_verdict_sentences_match_check_json(demo_vorlage, demo_db, capsys):
    _, data, pdf = demo_vorlage
    _, text = docx_text(data)
    sentences = expected_verdicts(check_json(demo_db, capsys))
    assert len(sentences) == 2
    # the deadline (31.12.2023) has passed: the deadline year's value is judged (issue 10)
    assert sentences["3.1-jugendarbeitslosigkeit"] == ("Die Jugendarbeitslosigkeit lag 2023 im Kreis bei 8,9 % und "
                                                       "damit über dem Ziel von 7 %; der Abstand ist statistisch "
                                                       "gesichert.")
    flat_pdf = pdf_text(pdf)
    for sentence in sentences.values():
        assert sentence in text
        assert sentence in flat_pdf


def test_reference_and_coverage_targets_get_their_own_sentences(demo_vorlage, demo_db, capsys):
    _, data, _ = demo_vorlage
    _, text = docx_text(data)
    records = check_json(demo_db, capsys)
    ref = next(r for r in records if r["ziel"] == "3.1-ohne-hauptschulabschluss" and r["gebiet"] == "16065")
    if ref["vergleichswert"] is None:  # no federal value for the deadline year 2023: never judged from another year
        assert ref["status"] == "nicht_entscheidbar"
        assert ("gibt es im Jahr der Frist (2023) keinen vergleichbaren Wert: zur Frist nicht entscheidbar") in text
    else:
        assert (f"Der Anteil der Schulabgänger ohne Hauptschulabschluss lag {ref['zeitraum']} im Kreis bei "
                f"{de(ref['wert'])} % und damit über dem Wert von Deutschland ({de(ref['vergleichswert'])} %)") in text
    cover = next(r for r in records if r["ziel"] == "5.1.3-familienlotsen" and r["gebiet"] == "sozialraeume")
    assert f"{cover['zeitraum']} erfüllten {int(cover['wert'])} von 6 Gebieten die Vorgabe" in text
    assert "Die Frist (31.12.2023) ist abgelaufen; das Ziel ist nicht erreicht." in text


def test_german_numbers_demo_notice_attribution_and_pictures(demo_vorlage):
    dokument, data, _ = demo_vorlage
    word, text = docx_text(data)
    assert not re.search(r"\d\.\d+ ?%", text), "an English decimal point"
    assert re.search(r"\d,\d %", text)
    assert DEMO_SATZ in text
    assert GEODATA_ATTRIBUTION in text
    footer = word.sections[0].footer.paragraphs[0].text
    assert GEODATA_ATTRIBUTION in footer and "DEMODATEN" in footer
    # per target its trend and its status map, per Steckbrief the spine chart and the locator map
    assert len(word.inline_shapes) == 2 * 4 + 2 * 2
    assert "Bild nicht verfügbar" not in text


def test_changes_are_named_only_when_significant(demo_vorlage):
    dokument, data, _ = demo_vorlage
    _, text = docx_text(data)
    section = text.split("Veränderungen gegenüber dem Vorjahr")[1].split("Auffällige Gebiete")[0]
    for sentence in filter(None, section.strip().split("\n")):
        assert sentence.endswith("die Veränderung ist statistisch gesichert.") or "keine statistisch gesicherte" \
            in sentence


# ---------------------------------------------------------------- PDF

def test_pdf_has_the_same_content(demo_vorlage):
    dokument, _, pdf = demo_vorlage
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    text = pdf_text(pdf)
    for heading in HEADINGS + ["Sitzungsvorlage: Stand der Zielerreichung", "Steckbrief: Artern"]:
        assert heading in text
    assert DEMO_SATZ in text
    assert "Namensnennung 2.0" in text  # attribution on every page and in the sources
    assert "DEMODATEN" in " ".join((reader.pages[-1].extract_text() or "").split())
    assert len(pdf_pictures(reader)) == 2 * 4 + 2 * 2


# ---------------------------------------------------------------- rules from the TOML file

def test_phrases_come_from_the_planners_file(tiny_targets_db, tmp_path, no_browser):
    copy = tmp_path / "sitzungsvorlage.toml"
    text = regel_datei.REGELN_DATEI.read_text(encoding="utf-8")
    copy.write_text(text.replace("; der Abstand ist statistisch gesichert", "; ABSTAND-SICHER")
                    .replace("; der Abstand ist statistisch nicht gesichert (er kann Zufall sein)", "; ABSTAND-OFFEN")
                    .replace("lag {jahr} {wo} bei {wert}", "erreichte {jahr} {wo} {wert}")
                    .replace('titel = "Sitzungsvorlage: Stand der Zielerreichung"', 'titel = "Vorlage Nr. 12/2026"'),
                    encoding="utf-8")
    dokument = build(tiny_targets_db, regeln=regel_datei.laden(copy))
    assert dokument.titel == "Vorlage Nr. 12/2026"
    joined = "\n".join(dokument.texte())
    assert "Der Abstand ist statistisch" not in joined and " lag " not in joined
    assert re.search(r"erreichte \d{4} .*; ABSTAND-(SICHER|OFFEN)\.", joined)


def test_tiny_database_has_no_demo_notice_and_no_pictures_without_a_browser(tiny_targets_db, no_browser):
    dokument = build(tiny_targets_db)
    assert not dokument.demo
    word, text = docx_text(ausgabe.schreiben(dokument, "docx"))
    assert "Demodaten" not in text and "DEMODATEN" not in word.sections[0].footer.paragraphs[0].text
    assert "Bild nicht verfügbar" in text and "Kein Chromium-Browser" in text


@pytest.mark.parametrize("ersetzen, meldung", [
    (('text = "{subjekt} lag {jahr} {wo}', 'txt = "{subjekt} lag {jahr} {wo}'), "„text“ fehlt"),
    (('einleitung = "', 'einleitung_x = "'), "dokument.einleitung"),
    (("[[stand]]\ntext = \"\"", "[[stand]]\nwenn = { status = \"x\" }\ntext = \"\""), "braucht kein „wenn“"),
    (("titel = \"Sitzungsvorlage", "titel = Sitzungsvorlage"), "TOML-Datei ist fehlerhaft"),
])
def test_a_broken_rules_file_is_refused_naming_file_and_key(tmp_path, ersetzen, meldung):
    copy = tmp_path / "sitzungsvorlage.toml"
    text = regel_datei.REGELN_DATEI.read_text(encoding="utf-8")
    assert ersetzen[0] in text
    copy.write_text(text.replace(ersetzen[0], ersetzen[1], 1), encoding="utf-8")
    with pytest.raises(EingabeFehler) as info:
        regel_datei.laden(copy)
    assert any(meldung in str(b) and "sitzungsvorlage.toml" in str(b) for b in info.value.befunde), \
        [str(b) for b in info.value.befunde]


def test_an_unknown_placeholder_is_named(tmp_path, tiny_targets_db, no_browser):
    copy = tmp_path / "sitzungsvorlage.toml"
    text = regel_datei.REGELN_DATEI.read_text(encoding="utf-8")
    copy.write_text(text.replace("{subjekt} lag {jahr} {wo}", "{subjekt} lag {jahrr} {wo}"), encoding="utf-8")
    with pytest.raises(EingabeFehler) as info:
        build(tiny_targets_db, regeln=regel_datei.laden(copy))
    assert "jahrr" in str(info.value.befunde[0]) and "[[urteil]]" in str(info.value.befunde[0])


# ---------------------------------------------------------------- suppression

def test_suppressed_values_are_named_as_a_caveat_and_never_shown(gesperrt_db, no_browser):
    dokument = build(gesperrt_db, steckbriefe=["16065001"])
    joined = "\n".join(dokument.texte())
    assert "Gesperrte Werte (Geheimhaltung der amtlichen Statistik, „gesperrt (*)“)" in joined
    assert "– 1 Wert: SGB-II-Quote der Kinder unter 10 Jahren 2024: Gemeinden Abtsbessingen" in joined
    hinweise = joined.split("Hinweise zu den Daten")[1]
    assert "Geringe Fallzahlen" in hinweise
    steckbrief_table = next(b.tabelle for b in dokument.bloecke if b.art == "tabelle"
                            and "Zähler von Nenner" in b.tabelle.columns)
    row = steckbrief_table[steckbrief_table["Indikator"].eq("SGB-II-Quote der Kinder unter 10 Jahren")].iloc[0]
    assert row["Wert"] == "gesperrt (*)" and row["Zähler von Nenner"] == "–"


# ---------------------------------------------------------------- Steckbrief documents and slides

def test_steckbrief_word_and_pdf(demo_db):
    con = db.connect_read_only(demo_db)
    try:
        query = functools.partial(queries.run_query, con)
        docx_data = ausgabe.steckbrief_dokument(query, "SR2", "docx")
        pdf_data = ausgabe.steckbrief_dokument(query, "SR2", "pdf")
    finally:
        con.close()
    word, text = docx_text(docx_data)
    assert headings(word)[0] == ("Title", "Steckbrief: Artern")
    assert "Bevölkerung: " in text and "Kinder unter 10 Jahren: 556 (2024)" in text
    assert "11,2 %" in text and DEMO_SATZ in text and GEODATA_ATTRIBUTION in text
    assert len(word.inline_shapes) == 2
    flat = pdf_text(pdf_data)
    assert "Steckbrief: Artern" in flat and "11,2 %" in flat and DEMO_SATZ in flat


def test_deck_gets_one_slide_per_steckbrief(demo_db):
    con = db.connect_read_only(demo_db)
    try:
        query = functools.partial(queries.run_query, con)
        unterlagen = foliensatz.collect(query)
        folien = ausgabe.steckbrief_folien(query, ["SR2", "SR4"], unterlagen)
    finally:
        con.close()
    satz = foliensatz.build_pptx(unterlagen, steckbriefe=folien)
    deck = Presentation(io.BytesIO(satz.data))
    assert len(deck.slides) == 2 + len(unterlagen.katalog) + 2
    for slide, name in zip(list(deck.slides)[-2:], ("Artern", "Sondershausen")):
        assert slide.shapes.title.text == f"Steckbrief: {name}"
        texts = slide_texts(slide)
        assert "Bevölkerung:" in texts and foliensatz.DEMO_MARKE in texts and GEODATA_ATTRIBUTION in texts
        assert len([s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]) == 2


def test_the_two_decks_of_one_day_have_two_file_names():
    """Fresh tester: "Foliensatz" and "Foliensatz mit Steckbriefen" were both zielerreichung_<Tag>.pptx – the second
    replaced the first in the download folder."""
    tag = date(2026, 12, 7)
    assert foliensatz.file_name("pptx", tag) == "zielerreichung_2026-12-07.pptx"
    assert foliensatz.file_name("pptx", tag, zusatz="steckbriefen") == "zielerreichung_mit_steckbriefen_2026-12-07.pptx"
    seite = (Path(__file__).resolve().parents[1] / "pages" / "2_Zielerreichung.py").read_text(encoding="utf-8")
    assert 'foliensatz.file_name("pptx", zusatz="steckbriefen")' in seite


# ---------------------------------------------------------------- command line

def test_cli_writes_word_pdf_and_steckbriefe(tiny_targets_db, demo_db, tmp_path, no_browser, capsys):
    word, pdf = tmp_path / "vorlage.docx", tmp_path / "vorlage.pdf"
    assert cli.main(["bericht", "--docx", str(word), "--pdf", str(pdf), "--db", str(tiny_targets_db)]) == 0
    assert headings(Document(str(word)))[0][1] == "Sitzungsvorlage: Stand der Zielerreichung"
    assert "Zusammenfassung" in pdf_text(pdf.read_bytes())
    assert cli.main(["bericht", "--steckbrief", "SR3", "--ordner", str(tmp_path), "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert "Steckbrief geschrieben" in out
    assert headings(Document(str(tmp_path / "steckbrief_SR3.docx")))[0][1] == "Steckbrief: Bad Frankenhausen"
    assert "Bad Frankenhausen" in pdf_text((tmp_path / "steckbrief_SR3.pdf").read_bytes())


@pytest.mark.parametrize("arguments, meldung", [
    (["--steckbrief", "XX9"], "Für XX9 gibt es keinen Steckbrief"),
    ([], "--docx"),
])
def test_cli_refuses_with_exit_2_and_a_german_message(demo_db, tmp_path, capsys, arguments, meldung):
    assert cli.main(["bericht", *arguments, "--ordner", str(tmp_path), "--db", str(demo_db)]) == 2
    err = capsys.readouterr().err
    assert meldung in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_user_text_is_text_in_word_and_pdf():
    """Names from the planner's files may contain markup: they are printed as they are, never interpreted."""
    import pandas as pd
    from sozialmonitor.ausgabe import pdf as pdf_ausgabe
    from sozialmonitor.ausgabe.dokument import Dokument
    hostile = '<img src=x onerror=alert(1)> & "Süd" <b>fett</b>'
    dokument = Dokument(hostile, "Untertitel", False, "Fuß")
    dokument.absatz(hostile)
    dokument.tabelle(pd.DataFrame({"Gebiet": [hostile], "Wert": ["9,2 %"]}))
    markup = pdf_ausgabe.html_text(dokument)
    assert "<img" not in markup and "<b>fett" not in markup and "&lt;img src=x" in markup
    assert pdf_text(ausgabe.schreiben(dokument, "pdf")).count("<b>fett</b>") == 3
    _, text = docx_text(ausgabe.schreiben(dokument, "docx"))
    assert text.count(hostile) == 3  # title, paragraph and table cell, each as it is


def test_the_areas_that_stand_out_agree_in_number_with_their_verb(demo_vorlage):
    # "gesichert über dem Kreiswert lagen Sondershausen" (reviewer): one area "lag", several "lagen"
    _, data, _ = demo_vorlage
    _, text = docx_text(data)
    saetze = re.findall(r"statistisch gesichert (?:über|unter) dem Kreiswert (lag|lagen) ([^.]*)\.", text)
    assert saetze
    for verb, gebiete in saetze:
        mehrere = " und " in re.sub(r"\([^)]*\)", "", gebiete)
        assert verb == ("lagen" if mehrere else "lag"), (verb, gebiete)


def test_the_pdf_never_breaks_a_number_from_its_unit(demo_vorlage):
    # the rendered PDF had "11,0" at a line's end and "%" at the next one's start (reviewer)
    from sozialmonitor.ausgabe import pdf as pdf_ausgabe

    dokument, _, _ = demo_vorlage
    markup = pdf_ausgabe.html_text(dokument)
    assert re.search(r"\d\u00a0%", markup)
    assert not re.search(r"\d (%|‰|Pp\.)", markup)


# ---------------------------------------------------------------- accessible documents (issue 20, BITV 2.0)

def test_the_pdf_is_tagged_in_german_with_an_alt_text_for_every_picture(demo_vorlage):
    """PDF/UA: a structure tree, /Lang de, the title shown, and every Figure with its /Alt; the font Carlito
    (metrically equal to Calibri) embedded."""
    dokument, _, pdf_data = demo_vorlage
    reader = PdfReader(io.BytesIO(pdf_data))
    katalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in katalog and katalog["/MarkInfo"]["/Marked"]
    assert str(katalog["/Lang"]).startswith("de")
    figuren, stapel = [], [katalog["/StructTreeRoot"]]
    while stapel:
        knoten = stapel.pop()
        knoten = knoten.get_object() if hasattr(knoten, "get_object") else knoten
        if isinstance(knoten, dict):
            if knoten.get("/S") == "/Figure":
                figuren.append(str(knoten.get("/Alt", "")))
            kinder = knoten.get("/K")
            stapel += kinder if isinstance(kinder, list) else [kinder] if kinder is not None else []
        elif isinstance(knoten, list):
            stapel += knoten
    bilder = [b for b in dokument.bloecke if b.art == "bild"]
    assert len(figuren) == len(bilder) > 0
    assert all(alt.startswith("Abbildung: ") or alt.startswith("Karte") for alt in figuren), figuren[:3]
    fonts = {str(f) for page in reader.pages for f in (page["/Resources"].get("/Font") or {}).values()
             for f in [f.get_object().get("/BaseFont")]}
    assert any("Carlito" in f for f in fonts), fonts


def test_every_picture_in_word_and_powerpoint_has_an_alt_text(demo_vorlage, demo_db):
    dokument, word_data, _ = demo_vorlage
    word = Document(io.BytesIO(word_data))
    beschreibungen = [shape._inline.docPr.get("descr") for shape in word.inline_shapes]
    assert len(beschreibungen) == sum(b.art == "bild" for b in dokument.bloecke) > 0
    assert all(b and b.startswith("Abbildung: ") for b in beschreibungen), beschreibungen
    con = db.connect_read_only(demo_db)
    try:
        unterlagen = foliensatz.collect(functools.partial(queries.run_query, con))
        folien = ausgabe.steckbrief_folien(functools.partial(queries.run_query, con), ["SR2"], unterlagen)
    finally:
        con.close()
    deck = Presentation(io.BytesIO(foliensatz.build_pptx(unterlagen, steckbriefe=folien).data))
    bilder = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert bilder and all(shape._element.nvPicPr.cNvPr.get("descr") for shape in bilder)


def test_the_ring_stands_beside_only_the_levels_that_hold_a_value(demo_vorlage):
    """The demo holds no Land or Bund value: the Vorlage does not say the ring stands "neben Kreis, Land und Bund"
    (h20, noticed); a ring with a Land value names the Land too."""
    _, data, _ = demo_vorlage
    word, _ = docx_text(data)
    satz = next(p for p in word.paragraphs if p.text.startswith("Vergleichsring: die "))
    assert satz.text.endswith("und ihr Wert neben Kreis."), satz.text
    ring = SimpleNamespace(vergleich=pd.DataFrame({"land": [float("nan"), 7.1], "bund": [float("nan")] * 2}))
    assert vorlage.ring_vergleichsebenen(ring) == "Kreis und Land"


def test_the_introduction_says_which_year_is_judged(demo_vorlage, demo_con):
    """Fresh tester: "Bewertet wird je Ziel der letzte Jahreswert" while three of the demo's targets are judged on
    their deadline year (2022, 2023) although 2024 values exist. The sentence names the deadline year."""
    bewertung = queries.run_query(demo_con, "ziele_katalog")
    assert (pd.to_datetime(bewertung["frist"]).dt.year < 2024).any()  # the demo has targets past their deadline
    _, data, _ = demo_vorlage
    _, text = docx_text(data)
    assert "Bewertet wird je Ziel der letzte Jahreswert;" not in text
    assert "der Jahreswert des Fristjahres, wenn die Frist vorüber ist" in text
