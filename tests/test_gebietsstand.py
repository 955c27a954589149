"""Predecessor conversion (issue 10, item 8): the cases tests/faelle/ziele/vorgaenger (from ../shared/cases/ziele)."""

from pathlib import Path

import duckdb
import pytest

from sozialmonitor import cli, importer
from sozialmonitor.zugang import rollen

VORGAENGER = Path(__file__).parent / "faelle" / "ziele" / "vorgaenger"
INDIKATOREN = Path(__file__).parent / "faelle" / "ziele" / "indikatoren.toml"


@pytest.fixture
def splitkreis(tmp_path) -> Path:
    """Splitkreis 16098: Gemeinden A–E with their predecessors from the boundary file's AGS_VORGAENGER."""
    path = tmp_path / "split.duckdb"
    assert cli.main(["import", "indicators", str(INDIKATOREN), "--db", str(path)]) == 0
    assert cli.main(["import", "areas", str(VORGAENGER / "gebiete.csv"), "--db", str(path)]) == 0
    assert cli.main(["import", "areas", str(VORGAENGER / "gemeinden.geojson"), "--db", str(path)]) == 0
    return path


def werte(path: Path, zeitraum: str) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("SELECT gebiet, zaehler, nenner, wert, status FROM werte WHERE zeitraum = $z",
                           {"z": zeitraum}).fetchall()
    finally:
        con.close()
    return {r[0]: r[1:] for r in rows}


def reversed_file(source: Path, target: Path) -> Path:
    header, *lines = source.read_text(encoding="utf-8").splitlines()
    target.write_text("\n".join([header, *reversed(lines)]) + "\n", encoding="utf-8")
    return target


def test_an_x_predecessor_contributes_nothing_and_erases_nothing(splitkreis):
    assert cli.main(["import", "observations", str(VORGAENGER / "alt_x_kreis_2021.csv"), "--vorgaenger",
                     "--db", str(splitkreis)]) == 0
    result = werte(splitkreis, "2021")
    assert result["16098001"][:3] == (10, 20, pytest.approx(50.0)) and result["16098001"][3] == "ok"
    assert result["16098"][:3] == (31, 230, pytest.approx(100 * 31 / 230))
    assert round(result["16098"][2], 2) == 13.48


@pytest.mark.parametrize("order", ["as_delivered", "reversed"])
def test_a_split_predecessor_is_refused_naming_the_split_in_any_order(splitkreis, tmp_path, capsys, order):
    source = VORGAENGER / "alt_split2.csv"
    path = source if order == "as_delivered" else reversed_file(source, tmp_path / "umgekehrt.csv")
    assert cli.main(["import", "observations", str(path), "--vorgaenger", "--db", str(splitkreis)]) == 2
    err = capsys.readouterr().err
    assert "16098096 ist ein Vorgänger mehrerer heutiger Gemeinden (16098004, 16098005)" in err
    assert "--gewichte" in err
    assert werte(splitkreis, "2017") == {}


@pytest.mark.parametrize("order", ["as_delivered", "reversed"])
def test_a_split_predecessor_is_apportioned_by_the_users_weights(splitkreis, tmp_path, order):
    source = VORGAENGER / "alt_split2.csv"
    path = source if order == "as_delivered" else reversed_file(source, tmp_path / "umgekehrt.csv")
    gewichte = tmp_path / "gewichte.csv"
    gewichte.write_text("vorgaenger;nachfolger;gewicht\n16098096;16098005;0,6\n16098096;16098004;0,4\n",
                        encoding="utf-8")
    assert cli.main(["import", "observations", str(path), "--vorgaenger", "--gewichte", str(gewichte),
                     "--db", str(splitkreis)]) == 0
    result = werte(splitkreis, "2017")
    assert result["16098004"][:2] == (pytest.approx(2.4), pytest.approx(24.0))      # 0,4 · 6/60
    assert result["16098005"][:2] == (pytest.approx(10.6), pytest.approx(106.0))    # 0,6 · 6/60 + 7/70


@pytest.mark.parametrize("inhalt, meldung", [
    ("vorgaenger;nachfolger;gewicht\n16098096;16098004;0,5\n16098096;16098005;0,6\n", "ergeben zusammen 1,1"),
    ("vorgaenger;nachfolger;gewicht\n16098096;16098004;1\n", "dafür fehlt ein Gewicht"),
    ("vorgaenger;nachfolger;gewicht\n16098096;16098004;0,4\n16098096;16098003;0,6\n", "kein Vorgänger von 16098003"),
    ("vorgaenger;nachfolger;gewicht\n16098096;16098004;viel\n16098096;16098005;0,6\n", "zwischen 0 und 1"),
])
def test_bad_weights_are_refused_with_file_line_and_field(splitkreis, tmp_path, capsys, inhalt, meldung):
    gewichte = tmp_path / "gewichte.csv"
    gewichte.write_text(inhalt, encoding="utf-8")
    assert cli.main(["import", "observations", str(VORGAENGER / "alt_split2.csv"), "--vorgaenger", "--gewichte",
                     str(gewichte), "--db", str(splitkreis)]) == 2
    err = capsys.readouterr().err
    assert "gewichte.csv, Zeile" in err and meldung in err
    assert werte(splitkreis, "2017") == {}


def test_a_surviving_codes_value_without_conversion_gets_a_warning(splitkreis, tmp_path, capsys):
    datei = tmp_path / "heute.csv"
    datei.write_text("gebiet;indikator;zeitraum;zaehler;nenner;wert\n16098001;ohne_hsa;2015;4;20;\n",
                     encoding="utf-8")
    assert cli.main(["import", "observations", str(datei), "--db", str(splitkreis)]) == 0
    out = capsys.readouterr().out
    assert "Hinweis: 16098001 ist nach einer Gebietsänderung mit 16098091 zusammengelegt" in out
    assert "2015" in out and "--vorgaenger" in out


def test_weights_without_conversion_are_refused(splitkreis, tmp_path, capsys):
    gewichte = tmp_path / "gewichte.csv"
    gewichte.write_text("vorgaenger;nachfolger;gewicht\n16098096;16098004;1\n", encoding="utf-8")
    assert cli.main(["import", "observations", str(VORGAENGER / "alt_x_kreis_2021.csv"), "--gewichte",
                     str(gewichte), "--db", str(splitkreis)]) == 2
    assert "nur zusammen mit „--vorgaenger“" in capsys.readouterr().err


def test_run_passes_weights(splitkreis):
    gewichte = b"vorgaenger;nachfolger;gewicht\n16098096;16098004;0,4\n16098096;16098005;0,6\n"
    ergebnis = importer.run(splitkreis, "observations", (VORGAENGER / "alt_split2.csv").read_bytes(),
                            "alt_split2.csv", person=rollen.kommandozeile(), predecessors=True, weights=(gewichte, "gewichte.csv"))
    assert ergebnis.neu == 2
