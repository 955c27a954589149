"""The attacker test (issue 11, item 1): for every suppressed count of the seeded demo – plus the BA-style case of one
Gemeinde delivered as `*` (true value 1 of 16) beside the published Kreis total – every recomputation path over
everything the app and its exports show must leave at least two possible values (see tests/angreifer.py).

The cells under attack are chosen from the raw data by the BA rule (counts 1 and 2, rates with a numerator of 1 or 2),
not by the code under test, plus every cell the output marks 'geheim' or 'gesperrt'. On a build without
Geheimhaltung they are simply shown, and the test fails."""

import math
import shutil

import pandas as pd
import pytest

from conftest import GEHEIMHALTUNG_ECHT, geheimhaltung_regeln
from sozialmonitor import geheimhaltung, importer
from sozialmonitor.daten import db
from sozialmonitor.zugang import rollen
from angreifer import Wissen, lp_spannen, nachrechnen, sammle_dokumente, sammle_karte, sammle_sozialindex

GEMEINDE = "16065001"  # delivered as * (true: 1 of 16)
JAHR = "2025"
LINKS = {"sgb2_u10": "bev_u10", "ohne_hsa": "schulabgaenger"}
GESCHUETZT = ("sgb2_u10", "ohne_hsa", "alq_u25", "bev_u10", "bev_15_u25", "schulabgaenger")


def ba_datei(demo_con) -> bytes:
    """sgb2_u10 and bev_u10 for 2025 like a BA delivery: one Gemeinde '*', every other one with counts, and the
    Kreis' published total (which includes the suppressed 1)."""
    rows = demo_con.execute("SELECT gebiet, zaehler, nenner FROM werte WHERE indikator = 'sgb2_u10' "
                            "AND zeitraum = '2024' AND length(gebiet) = 8 ORDER BY gebiet").fetchall()
    lines = ["gebiet;indikator;zeitraum;zaehler;nenner;wert"]
    total_z, total_n = 0, 0
    for gebiet, zaehler, nenner in rows:
        z, n = (1, 16) if gebiet == GEMEINDE else (max(int(zaehler or 0), 5) + 7, max(int(nenner or 0), 40) + 20)
        total_z, total_n = total_z + z, total_n + n
        lines.append(f"{gebiet};sgb2_u10;{JAHR};{'*' if gebiet == GEMEINDE else z};{n};")
        lines.append(f"{gebiet};bev_u10;{JAHR};;;{n}")
    lines.append(f"16065;sgb2_u10;{JAHR};{total_z};{total_n};")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def angegriffen(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("angreifer") / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    con = db.connect_read_only(path)
    data = ba_datei(con)
    con.close()
    with geheimhaltung_regeln(GEHEIMHALTUNG_ECHT):
        importer.run(path, "observations", data, "ba_sgb2_2025.csv", person=rollen.kommandozeile())
    return path


def ziele(con) -> pd.DataFrame:
    """The cells an attacker must not recover: the BA rule applied to the raw values, and whatever the output
    marks as suppressed."""
    raw = con.execute("SELECT w.gebiet, w.indikator, w.zeitraum, w.zaehler, w.wert, w.herkunft, i.art "
                      "FROM werte_live w JOIN indikatoren i ON i.id = w.indikator").df()
    count = raw["zaehler"].where(raw["art"].eq("quote"), raw["wert"])
    small = count.between(0.5, 2.5) & raw["indikator"].isin(GESCHUETZT) & raw["herkunft"].ne("jahresdurchschnitt")
    shown = con.execute("SELECT gebiet, indikator, zeitraum, status FROM werte").df()
    hidden = shown[shown["status"].isin(["geheim", "gesperrt"])]
    cells = pd.concat([raw.loc[small, ["gebiet", "indikator", "zeitraum"]], hidden[["gebiet", "indikator", "zeitraum"]]])
    cells = cells.drop_duplicates().merge(raw[["gebiet", "indikator", "zeitraum", "herkunft"]], how="left")
    # a mean month of a year is no count a person has; its months are attacked one by one
    return cells[cells["herkunft"].ne("jahresdurchschnitt")]


@pytest.fixture(scope="module")
def angriff(angegriffen):
    con = db.connect_read_only(angegriffen)
    wissen = Wissen()
    gelesen = sammle_karte(con, wissen) + sammle_dokumente(con, angegriffen, wissen)
    gelesen += sammle_sozialindex(con, angegriffen, wissen)  # issue 21: the index and its z-values
    nachrechnen(con, wissen, LINKS)
    cells = ziele(con)
    keys = [tuple(r) for r in cells[["gebiet", "indikator", "zeitraum"]].itertuples(index=False)]
    spannen = lp_spannen(con, wissen, keys)
    yield con, wissen, keys, spannen, gelesen
    con.close()


def test_the_ba_case_is_under_attack(angriff):
    con, wissen, keys, _, gelesen = angriff
    assert (GEMEINDE, "sgb2_u10", JAHR) in keys
    assert len(keys) > 100 and gelesen > 10_000  # the demo's small counts and everything shown about them
    kreis = wissen.exakt(("16065", "sgb2_u10", JAHR))
    assert kreis is not None  # the published Kreis total stays visible …


def test_no_suppressed_count_is_shown_or_recomputed_on_any_path(angriff):
    _, wissen, keys, _, _ = angriff
    recovered = {key: (wissen.exakt(key), wissen.wege.get(key)) for key in keys if wissen.exakt(key) is not None}
    assert not recovered, f"{len(recovered)} von {len(keys)} gesperrten Werten nachgerechnet, z. B. " \
                          f"{list(recovered.items())[:5]}"


def _breite(span) -> float:
    """Whole persons between the smallest and largest possible value: ⌊max⌋ − ⌈min⌉."""
    return math.floor(span[1] + 1e-6) - math.ceil(span[0] - 1e-6)


def test_no_suppressed_count_is_narrower_than_the_schutzbreite_by_all_paths_at_once(angriff):
    """The documentation promises a range of at least the schutzbreite (2: three possible values), not just two
    possible values (issue 19: this test accepted a range of 1)."""
    _, _, keys, spannen, _ = angriff
    schutzbreite = geheimhaltung.laden(GEHEIMHALTUNG_ECHT).standard.schutzbreite
    assert schutzbreite == 2
    eng = {key: span for key, span in spannen.items()
           if span[0] == span[0] and span[1] != float("inf") and _breite(span) < schutzbreite}
    assert not eng, f"{len(eng)} von {len(keys)} gesperrten Werten zu eng, z. B. {list(eng.items())[:5]}"


def test_the_ba_gemeinde_keeps_a_range_of_the_schutzbreite(angriff):
    _, wissen, _, spannen, _ = angriff
    assert wissen.exakt((GEMEINDE, "sgb2_u10", JAHR)) is None
    assert _breite(spannen[(GEMEINDE, "sgb2_u10", JAHR)]) >= 2
