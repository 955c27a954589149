"""German number formatting: the column formatter gives exactly what the scalar one gives."""

import math

import numpy as np
import pandas as pd
from hypothesis import given, strategies as st

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
