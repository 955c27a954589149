"""The house as built (issue 17): which folder of sozialmonitor/ may import which. The table is the one in the README's
developer section ("Das Haus"); this test reads every import statement (also those inside functions) of every module
and fails on one that runs against it, naming file, line and the arrow. Streamlit is imported only in oberflaeche/."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAKET = ROOT / "sozialmonitor"
BASIS = {"fmt", "klartext", "kennzeichen", "errors"}

# folder → the folders it may import (besides itself). "basis" = fmt, klartext, kennzeichen, errors;
# "config" = daten/config.py (paths and settings, imports nothing: every layer may read it).
DARF = {
    "basis": set(),
    "config": {"basis"},
    "geheimhaltung": {"basis", "config"},
    "daten": {"basis", "config", "geheimhaltung"},
    "einlesen": {"basis"},
    "statistik": {"basis"},
    "karten": {"basis", "config", "statistik"},
    "zugang": {"basis", "config", "daten"},
    "importer": {"basis", "config", "daten", "geheimhaltung", "einlesen", "statistik", "karten", "zugang"},
    "ziele": {"basis", "config", "daten", "geheimhaltung", "einlesen", "statistik", "importer", "zugang"},
    "sozialindex": {"basis", "config", "daten", "geheimhaltung", "einlesen", "statistik", "importer", "zugang",
                    "karten"},
    "ausgabe": {"basis", "config", "daten", "geheimhaltung", "einlesen", "statistik", "karten", "ziele", "zugang",
                "sozialindex"},
    "betrieb": {"basis", "config", "daten", "importer"},
    "oberflaeche": {"basis", "config", "daten", "geheimhaltung", "einlesen", "statistik", "karten", "zugang",
                    "importer", "ziele", "sozialindex", "ausgabe", "betrieb"},
    "cli": {"basis", "config", "daten", "geheimhaltung", "einlesen", "statistik", "karten", "zugang", "importer",
            "ziele", "sozialindex", "ausgabe", "betrieb"},
}
STREAMLIT_ERLAUBT = {"oberflaeche"}


def ordner(modul: str) -> str | None:
    """The folder (row of DARF) a dotted module name belongs to; None outside sozialmonitor."""
    teile = modul.split(".")
    if teile[0] != "sozialmonitor":
        return None
    if len(teile) == 1 or teile[1] in ("cli", "__main__"):
        return "cli"
    if teile[1:3] == ["daten", "config"]:
        return "config"
    return "basis" if teile[1] in BASIS else teile[1]


def modulname(pfad: Path) -> str:
    return ".".join(pfad.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def importe(quelltext: str) -> list[tuple[int, str]]:
    """(line, imported module) of every import in a source, also inside functions; `from sozialmonitor import x`
    counts as sozialmonitor.x, `from sozialmonitor.daten import config` as sozialmonitor.daten.config."""
    gefunden = []
    for knoten in ast.walk(ast.parse(quelltext)):
        if isinstance(knoten, ast.Import):
            gefunden += [(knoten.lineno, a.name) for a in knoten.names]
        elif isinstance(knoten, ast.ImportFrom) and knoten.module and knoten.level == 0:
            gefunden += [(knoten.lineno, f"{knoten.module}.{a.name}") for a in knoten.names]
    return gefunden


def verstoesse(modul: str, quelltext: str) -> list[str]:
    """Every import of the module that its folder may not make, as 'line: modul → target (folder → folder)'."""
    von = ordner(modul)
    fehler = []
    for zeile, ziel in importe(quelltext):
        if ziel.split(".")[0] == "streamlit" and von not in STREAMLIT_ERLAUBT:
            fehler.append(f"{zeile}: {modul} → streamlit (nur oberflaeche/ spricht mit Streamlit)")
            continue
        nach = ordner(ziel)
        if nach is None or nach == von:
            continue
        if nach not in DARF[von]:
            fehler.append(f"{zeile}: {modul} → {ziel} ({von} darf {nach} nicht importieren)")
    return fehler


MODULE = sorted(PAKET.rglob("*.py"))


@pytest.mark.parametrize("pfad", MODULE, ids=lambda p: str(p.relative_to(PAKET)))
def test_every_module_imports_along_the_table(pfad):
    modul = modulname(pfad)
    assert ordner(modul) in DARF, f"{modul}: kein Ordner der Tabelle – neuer Ordner? Dann in DARF und README eintragen."
    assert not verstoesse(modul, pfad.read_text(encoding="utf-8"))


@pytest.mark.parametrize("modul, zeile, erwartet", [
    ("sozialmonitor.einlesen.zahlen", "from sozialmonitor.daten.queries import run_query", "einlesen darf daten"),
    ("sozialmonitor.importer.kataloge", "from sozialmonitor.ziele.auswertung import parse_targets",
     "importer darf ziele"),
    ("sozialmonitor.karten.geometrie", "from sozialmonitor.einlesen import grenzen", "karten darf einlesen"),
    ("sozialmonitor.statistik.urteil", "    from sozialmonitor import fmt\n    from sozialmonitor.ziele import pflege",
     "statistik darf ziele"),
    ("sozialmonitor.ausgabe.word", "import streamlit as st", "nur oberflaeche"),
    ("sozialmonitor.daten.stand", "from sozialmonitor import importer", "daten darf importer"),
])
def test_a_wrong_way_import_is_caught(modul, zeile, erwartet):
    """The four arrows issue 17 turned (and two more) are each caught when written again, also inside a function."""
    quelltext = "def f():\n" + "\n".join("    " + z.strip() for z in zeile.splitlines()) + "\n"
    fehler = verstoesse(modul, quelltext)
    assert fehler and erwartet in fehler[0]


def test_the_readme_table_is_this_table():
    """The README's developer section shows the same folder → may import table as DARF."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    abschnitt = text[text.index("### Das Haus"):]
    zeilen = {}
    for treffer in re.finditer(r"^\| `([a-z_/.]+)` \|[^|]*\| ([^|]*) \|$", abschnitt, flags=re.M):
        name = treffer.group(1).strip("/").replace("daten/config.py", "config")
        zeilen[name] = {w.strip("` ") for w in treffer.group(2).split(",") if w.strip(" —-")}
    assert zeilen == DARF
