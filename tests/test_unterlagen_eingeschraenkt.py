"""Finding 8 of issue 23: what a person restricted to one Gemeinde or one Sozialraum is told. Every document the
pages offer – Sitzungsvorlage (Word, PDF), Foliensatz (also with Steckbriefen), Excel, Steckbrief (Word, PDF) – is
built as the page builds it for that person and its sentences are read: the coverage of a target counts all its
areas, as the page says („5 von 6“), never only the areas the person sees („5 von 1“, „6 von 0 Gebieten verlangt“),
and the summary is the page's."""

import io
import re

import openpyxl
import pytest
from conftest import query_rows
from pptx import Presentation
from test_bericht import slide_texts
from test_sitzungsvorlage import docx_text, pdf_text

from sozialmonitor import ausgabe
from sozialmonitor.ausgabe import arbeitsmappe, foliensatz
from sozialmonitor.oberflaeche import seite, sitzung
from sozialmonitor.oberflaeche import sozialindex as seite_sozialindex
from sozialmonitor.ziele import auswertung
from sozialmonitor.zugang import rollen


@pytest.fixture(scope="module", params=["gemeinde", "SR2"])
def eingeschraenkt(request, demo_db, tmp_path_factory):
    """(person's area, the goal evaluation the page shows them, its summary sentence, how many areas the coverage
    target has) – with seite's person set to a Betrachter restricted to one Gemeinde of SR2, or to SR2."""
    gebiete = query_rows(demo_db, "gebiete_mit_sozialraum")
    gebiet = (gebiete.loc[gebiete["sozialraum"].eq("SR2") & gebiete["ebene"].eq("gemeinde"), "code"].iloc[0]
              if request.param == "gemeinde" else "SR2")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOZIALMONITOR_DB", str(demo_db))
    mp.setenv("BROWSER_PATH", str(tmp_path_factory.mktemp("ohne") / "kein-browser"))  # no pictures: faster
    wer = rollen.Person("gina", "Gina", "betrachter", gebiet, "lokal")
    mp.setattr(seite, "_person", lambda: wer)
    mp.setattr(seite, "anmeldung_art", lambda: "lokal")
    unterlagen = seite.ziel_unterlagen()
    abdeckung = unterlagen.bewertung[unterlagen.bewertung["abdeckung"].astype(bool)]
    assert len(auswertung.area_rows(unterlagen.katalog.iloc[0], unterlagen.bewertung)) <= 1 or gebiet == "SR2"
    satz = auswertung.summary_text(unterlagen.uebersicht["status"], unterlagen.uebersicht["spaeter_erreicht"])
    yield gebiet, unterlagen, satz, int(abdeckung["gebiete_anzahl"].iloc[0])
    mp.undo()


def _von_gebieten(text: str) -> set[int]:
    """Every N of „… von N Gebiet(en)“ in a text."""
    return {int(n) for n in re.findall(r"von (\d+) Gebiet", text.replace("\u00a0", " "))}


def _wie_die_seite(text: str, satz: str, alle: int) -> None:
    assert alle == 6
    assert _von_gebieten(text) == {alle}, text
    assert satz in " ".join(text.split())


def test_sitzungsvorlage_word_und_pdf(eingeschraenkt):
    _, _, satz, alle = eingeschraenkt
    dokument = ausgabe.sitzungsvorlage(seite.query, unterlagen=seite.ziel_unterlagen())  # as the page builds it
    _, text = docx_text(ausgabe.schreiben(dokument, "docx"))
    _wie_die_seite(text, satz, alle)
    assert f"erfüllten 5 von {alle} Gebieten" in text
    _wie_die_seite(pdf_text(ausgabe.schreiben(dokument, "pdf")), satz, alle)


def test_foliensatz_auch_mit_steckbriefen(eingeschraenkt):
    _, unterlagen, satz, alle = eingeschraenkt
    for data in (foliensatz.pptx_bytes(unterlagen),
                 sitzung.foliensatz_mit_steckbriefen(unterlagen, lambda *_: None)):
        text = "\n".join(slide_texts(s) for s in Presentation(io.BytesIO(data)).slides)
        _wie_die_seite(text, satz, alle)


def test_excel(eingeschraenkt):
    _, unterlagen, _, alle = eingeschraenkt
    mappe = openpyxl.load_workbook(io.BytesIO(arbeitsmappe.xlsx_bytes(unterlagen, seite_sozialindex.alle(),
                                                                      seite_sozialindex.ring())))
    text = "\n".join(str(c) for ws in mappe.worksheets for row in ws.iter_rows(values_only=True) for c in row
                     if c is not None)
    assert _von_gebieten(text) == {alle}


def test_steckbrief_word_und_pdf(eingeschraenkt):
    gebiet, _, _, alle = eingeschraenkt
    for endung, lesen in (("docx", lambda d: docx_text(d)[1]), ("pdf", pdf_text)):
        text = lesen(ausgabe.steckbrief_dokument(seite.query, gebiet, endung, unterlagen=seite.ziel_unterlagen()))
        assert _von_gebieten(text) <= {alle}, text
        assert "von 0 Gebiet" not in text and "von 1 Gebiet" not in text
