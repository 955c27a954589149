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
    "vorgabe_sha": "",
    "codes": ["SR2"],
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


def test_table_and_column_names_in_composed_sql_come_only_from_constants():
    """Code review: where SQL must name a varying table (history, undo, an earlier Stand) it is composed – DuckDB
    binds values, not names – and db.versioniert / db.spalten are the gate: a key of VERSIONED_TABLES passes,
    nothing else."""
    import pytest
    from sozialmonitor.daten import db
    assert db.versioniert("beobachtungen", historie=True) == "beobachtungen_historie"
    for bad in ("benutzer", "gebiete; DROP TABLE ziele", "gebiete_historie", ""):
        with pytest.raises(ValueError):
            db.versioniert(bad)
    assert db.spalten(["gebiet", "zeitraum"]) == ["gebiet", "zeitraum"]
    with pytest.raises(ValueError):
        db.spalten(["wert", "1; DELETE FROM ziele"])
