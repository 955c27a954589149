"""The property of issue 9: a table of counts and rates written out in any supported encoding, delimiter, number
style and symbol set imports to the same stored values (read, checked against the catalogue, values computed –
everything the importer does before it writes), and end to end through the command line for a few."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategien
from conftest import observation_rows, run_cli
from sozialmonitor import einlesen, importer
from sozialmonitor.daten import db


@pytest.fixture(scope="module")
def con(tiny_db):
    connection = db.connect_read_only(tiny_db)
    yield connection
    connection.close()


def stored_values(con, data: bytes, name: str) -> dict:
    """What the importer would store for each key: (zaehler, nenner, wert, status, kennzeichen)."""
    parsed, befunde = einlesen.parse_observations(data, name, importer.indicator_catalogue(con))
    assert befunde == [], befunde
    rows, befunde = importer.validate_observations(con, parsed, name)
    assert befunde == [], befunde
    assert set(rows["quelle"]) == {strategien.QUELLE}
    return {(r.gebiet, r.indikator, r.zeitraum): tuple(None if _missing(v) else v for v in (
        r.zaehler, r.nenner, r.wert, r.status, r.kennzeichen)) for r in rows.itertuples()}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def assert_same(actual: dict, rows: list) -> None:
    expected = {(r.gebiet, r.indikator, str(r.jahr)): r.erwartet() for r in rows}
    assert actual.keys() == expected.keys()
    for key, (z, n, w, status, flags) in expected.items():
        got = actual[key]
        assert got[3:] == (status, flags), (key, got)
        for value, want in zip(got[:3], (z, n, w)):
            assert (value is None) if want is None else value == pytest.approx(want, rel=1e-12), (key, got)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(strategien.zeilen(), strategien.schreibweisen)
def test_any_wrapper_of_the_same_table_stores_the_same_values(con, rows, weise):
    data = strategien.datei(rows, weise)
    assert_same(stored_values(con, data, "tabelle.csv"), rows)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(strategien.zeilen(), st.lists(strategien.schreibweisen, min_size=2, max_size=2))
def test_two_wrappers_give_byte_identical_tables_through_the_command_line(tiny_db, tmp_path_factory, rows, zwei):
    stored = []
    for weise in zwei:
        folder = tmp_path_factory.mktemp("eigenschaft")
        target = folder / "tiny.duckdb"
        target.write_bytes(tiny_db.read_bytes())
        path = folder / ("tabelle.xlsx" if weise.kodierung == "xlsx" else "tabelle.csv")
        path.write_bytes(strategien.datei(rows, weise))
        assert run_cli("import", "observations", path, "--db", target, "--replace") == 0  # tiny has some keys
        frame = observation_rows(target).drop(columns="import_id")
        stored.append(frame[frame["quelle"].eq(strategien.QUELLE)].reset_index(drop=True))
    assert stored[0].equals(stored[1])
