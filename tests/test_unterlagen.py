"""The texts and tables every document for the Steuerungsgruppe shares (sozialmonitor.ausgabe.unterlagen), and that the
writers use them through their public names (no private helper of another module)."""

import ast
import functools
from pathlib import Path

import pytest

from sozialmonitor.daten import db
from sozialmonitor.daten import queries
from sozialmonitor.ziele import auswertung
from sozialmonitor.ausgabe import unterlagen

PAKET = Path(unterlagen.__file__).parents[1]
SCHREIBER = sorted((PAKET / "ausgabe").glob("*.py")) + [PAKET / "oberflaeche" / "sitzung.py"]


@pytest.mark.parametrize("pfad", SCHREIBER, ids=lambda p: p.name)
def test_writers_use_no_private_helper_of_another_module(pfad):
    """`modul._helfer` or `from modul import _helfer` of a sozialmonitor module: a private name used from outside."""
    baum = ast.parse(pfad.read_text(encoding="utf-8"))
    module = {a.asname or a.name for n in ast.walk(baum) if isinstance(n, ast.ImportFrom)
              and (n.module or "").startswith("sozialmonitor") for a in n.names}
    fremd = [f"{n.value.id}.{n.attr}" for n in ast.walk(baum) if isinstance(n, ast.Attribute)
             and isinstance(n.value, ast.Name) and n.value.id in module and n.attr.startswith("_")
             and not n.attr.startswith("__")]
    fremd += [a.name for n in ast.walk(baum) if isinstance(n, ast.ImportFrom) for a in n.names
              if a.name.startswith("_")]
    assert not fremd, f"{pfad.name}: {fremd}"


@pytest.fixture(scope="module")
def demo_unterlagen(demo_db):
    con = db.connect_read_only(demo_db)
    try:
        yield unterlagen.collect(functools.partial(queries.run_query, con))
    finally:
        con.close()


def test_datenstand_and_reference_sources_in_german(demo_unterlagen):
    assert unterlagen.datenstand_text(demo_unterlagen).count(".") == 2  # 30.11.2026
    leer = unterlagen.Unterlagen("Kreis", None, False, *[demo_unterlagen.katalog.head(0)] * 4,
                                 demo_unterlagen.quellen.head(0))
    assert unterlagen.datenstand_text(leer) == "noch kein Import"
    alle = unterlagen.referenzquellen(demo_unterlagen)
    assert len(alle) == len(set(alle))  # each source once (the demo has none since issue 20: no newspaper)
    assert set(unterlagen.referenzquellen(demo_unterlagen, "alq_u25")) <= set(alle)


def test_area_table_leaves_out_columns_without_content(demo_unterlagen):
    """A count target has no interval column; no target shows 'Jüngster Trend' in documents."""
    ziel = next(z for z in demo_unterlagen.uebersicht.itertuples(index=False) if z.id == "5.1.3-familienlotsen")
    tabelle = unterlagen.gebietstabelle(ziel, demo_unterlagen.bewertung)
    voll = auswertung.display_table(ziel, demo_unterlagen.bewertung)
    assert "Jüngster Trend" not in tabelle and not tabelle.eq("–").all().any()
    assert set(tabelle.columns) < set(voll.columns) and len(tabelle) == len(voll)
