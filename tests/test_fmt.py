"""German number formatting: the column formatter gives exactly what the scalar one gives."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sozialmonitor import fmt


def test_zahl_german_separators():
    assert fmt.zahl(1503) == "1.503"
    assert fmt.zahl(1234567.891, 2) == "1.234.567,89"
    assert fmt.zahl(9.04, 1) == "9,0"
    assert fmt.zahl(float("nan")) == fmt.zahl(None) == "–"


@given(st.lists(st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=False, width=64)), max_size=30),
       st.integers(min_value=0, max_value=3))
def test_zahlen_equals_zahl_per_value(values, decimals):
    assert fmt.zahlen(values, decimals) == [fmt.zahl(v, decimals) for v in values]


def test_zahlen_takes_pandas_columns_with_missing_values():
    columns = [(pd.Series([1503, None], dtype="Int64"), "1.503,0"),
               (pd.Series([0.3, None], dtype="double[pyarrow]"), "0,3"),
               (pd.Series([2.5, pd.NA], dtype=object), "2,5"),
               (np.array([1e6, math.nan]), "1.000.000,0")]
    for column, first in columns:
        assert fmt.zahlen(column, 1) == [first, "–"]


def test_anzahl_singular_only_for_exactly_one_with_german_thousands():
    assert fmt.anzahl(1, "Eintrag", "Einträge") == "1 Eintrag"
    assert fmt.anzahl(0, "Eintrag", "Einträge") == "0 Einträge"
    assert fmt.anzahl(2, "Sozialraum", "Sozialräume") == "2 Sozialräume"
    assert fmt.anzahl(1503, "Eintrag", "Einträge") == "1.503 Einträge"
    assert fmt.anzahl(np.int64(1), "Zeile", "Zeilen") == "1 Zeile"  # counts from pandas are numpy integers


def test_a_value_without_result_names_its_suppressed_parts_in_the_right_number():
    one, two = (fmt.wert_mit_status(None, "unvollstaendig", "%", 1, teile_gesperrt=n) for n in (1, 2))
    assert (one, two) == ("nicht berechenbar (1 Teilgebiet gesperrt)", "nicht berechenbar (2 Teilgebiete gesperrt)")


def test_a_change_that_rounds_to_zero_has_no_minus_sign():
    """'Veränderung: −0,0 Pp.' (issue 19): the sign follows the number as shown."""
    assert fmt.mit_vorzeichen(-0.04, 1, "Pp.") == "±0,0 Pp."
    assert fmt.mit_vorzeichen(0.04, 1, "Pp.") == "±0,0 Pp."
    assert fmt.mit_vorzeichen(-0.06, 1, "Pp.") == "−0,1 Pp."
    assert fmt.mit_vorzeichen(1.26, 1, "Pp.") == "+1,3 Pp."
    assert fmt.mit_vorzeichen(0, 0, "Anzahl") == "±0 Anzahl"


@pytest.mark.parametrize("stellen", [0, 1, 2, 3])
def test_a_column_of_numbers_reads_exactly_as_each_number_alone(stellen):
    """fmt.zahlen rounds through integers and writes each distinct one once (issue 22: 11.299 rates per change);
    every value – halves and their neighbours, random, negative, huge, infinite, missing – reads as fmt.zahl
    writes it alone."""
    rng = np.random.default_rng(stellen)
    halbe = np.arange(0, 3000) / 10**stellen + 0.5 / 10**stellen
    werte = np.concatenate([halbe, np.nextafter(halbe, 0), np.nextafter(halbe, 1e9), rng.uniform(-100, 100, 5000),
                            rng.uniform(0, 4e7, 3000), [0.0, -0.0, 1e-12, -1e-12, 99.95, 0.045, 2.675, 1.005,
                                                        float("nan"), float("inf"), -float("inf"), 1e20, -5e15]])
    assert fmt.zahlen(werte, stellen) == [fmt.zahl(float(w), stellen) if not np.isnan(w) else "–" for w in werte]
    assert fmt.zahlen([None, pd.NA, 1.5], 1) == ["–", "–", "1,5"] and fmt.zahlen([], 0) == []
