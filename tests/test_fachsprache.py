"""Plain German for planners (issue 20, BEFUNDE #17): no "Fingertips", "τ-ARGUS", "Giessing", "HiGHS", no
"KomMonitor … DATE_" label and no command line inside a message on a page. The names of the methods stay where a
statistician looks for them, each explained: the last paragraph of "So wird gerechnet" and the closed detail
"Methode" under the Geheimhaltung on Indikatoren (geheimhaltung.METHODE_FACHLICH)."""

import ast
from pathlib import Path

import pytest

from sozialmonitor import geheimhaltung
from sozialmonitor.statistik import methode

ROOT = Path(__file__).resolve().parents[1]
FACHWOERTER = ["Fingertips", "τ-ARGUS", "Giessing", "HiGHS", "sdcTable", "SIMPLEHEURISTIC", "Cochran", "open-sdg"]
KOMMANDOZEILE = ["python -m", "--profil", "--server", "--vorgaenger", "--gewichte", "import targets", "upgrade“"]


@pytest.mark.parametrize("niveau", [0.95, 0.998])
def test_the_method_text_names_methods_only_in_its_paragraph_for_statisticians(niveau):
    text = methode.methode(niveau)
    haupt, _, herkunft = text.partition("**Woher die Verfahren stammen**")
    assert herkunft, "the paragraph for statisticians is missing"
    assert [w for w in FACHWOERTER + KOMMANDOZEILE if w in haupt] == []
    assert "Fingertips" in herkunft and "englischen" in herkunft  # named and explained


def test_the_geheimhaltung_text_is_plain_and_its_methods_are_explained_apart():
    assert [w for w in FACHWOERTER if w in geheimhaltung.METHODE] == []
    for wort in ("τ-ARGUS", "Giessing", "HiGHS"):
        assert wort in geheimhaltung.METHODE_FACHLICH


def _texte(pfad: Path) -> list[str]:
    """The string constants of a module that are not docstrings (what a page can show)."""
    baum = ast.parse(pfad.read_text(encoding="utf-8"))
    docstrings = {id(k.body[0].value) for k in ast.walk(baum)
                  if isinstance(k, (ast.Module, ast.FunctionDef, ast.ClassDef)) and k.body
                  and isinstance(k.body[0], ast.Expr) and isinstance(k.body[0].value, ast.Constant)}
    return [k.value for k in ast.walk(baum)
            if isinstance(k, ast.Constant) and isinstance(k.value, str) and id(k) not in docstrings]


SEITEN = sorted([*ROOT.glob("pages/*.py"), ROOT / "app.py", *ROOT.glob("sozialmonitor/oberflaeche/*.py")])


@pytest.mark.parametrize("pfad", SEITEN, ids=lambda p: p.name)
def test_no_command_line_or_method_name_in_the_text_of_a_page(pfad):
    funde = [(w, t[:80]) for t in _texte(pfad) for w in FACHWOERTER + KOMMANDOZEILE if w in t]
    assert funde == []


def test_the_label_for_values_in_a_boundary_file_is_plain():
    texte = _texte(ROOT / "pages" / "4_Daten.py")
    assert not any("DATE_" in t and "Indikator" in t and t.startswith("Nur für") for t in texte)
