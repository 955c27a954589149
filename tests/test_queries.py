"""Every queries/*.sql file runs against the demo database and returns the columns its header declares."""

import pytest

from sozialmonitor.daten import queries

# Parameter values that exist in the demo, by parameter name. A query with a new parameter needs an entry here.
SAMPLE_PARAMS = {
    "indikator": "alq_u25",
    "zeitraum": "2023",
    "ebene": "sozialraum",
    "gebiet": "SR3",
    "kreis": "16065",
    "ziel": "3.1-jugendarbeitslosigkeit",
    "import_id": 5,
    "von": None,
    "bis": None,
    "id": "kinder_jugend",
}


@pytest.mark.parametrize("name", queries.query_names())
def test_query_runs_and_returns_declared_columns(demo_con, name):
    declared = queries.declared_columns(name)
    assert declared, f"{name}.sql has no '-- columns:' header"
    missing = [p for p in queries.declared_params(name) if p not in SAMPLE_PARAMS]
    assert not missing, f"add sample values for {missing} to SAMPLE_PARAMS"
    frame = queries.run_query(demo_con, name, **{p: SAMPLE_PARAMS[p] for p in queries.declared_params(name)})
    assert list(frame.columns) == declared


def test_run_query_refuses_wrong_parameters(demo_con):
    with pytest.raises(TypeError):
        queries.run_query(demo_con, "data_status", indikator="x")
