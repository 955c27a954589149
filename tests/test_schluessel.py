"""Official area keys → AGS (einlesen.schluessel): every reading, never across levels, ambiguity refused."""

import pandas as pd
import pytest

from sozialmonitor.einlesen import schluessel

KNOWN = {"03151001", "03151002", "03151016", "03151", "03", "DG", "3", "0110"}


def resolve(*codes, known=KNOWN):
    return schluessel.umschluesseln(pd.Series(codes, dtype="str"), pd.Series(range(2, len(codes) + 2)), known,
                                    "datei.csv")


@pytest.mark.parametrize("written, expected", [
    ("031515406001", "03151001"),   # 12-digit ARS
    ("031510000000", "03151"),      # ARS of a Kreis
    ("03151401002", "03151002"),    # Regionalstatistik: Gemeinde in a Gemeindeverband
    ("31515406016", "03151016"),    # ARS whose leading zero Excel dropped
    ("3151001", "03151001"),        # AGS whose leading zero Excel dropped
    ("3151", "03151"),              # Kreis key whose leading zero Excel dropped
    ("3", "3"),                     # a known Sozialraum 3 is itself, never Land 03
    ("0110", "0110"),               # a 4-digit Sozialraum with leading zero stays
    ("03151001", "03151001"),
])
def test_readings(written, expected):
    result = resolve(written)
    assert result.codes.tolist() == [expected]
    assert not result.befunde
    assert bool(result.umgerechnet.iloc[0]) == (written != expected)


def test_one_digit_is_never_padded_to_a_land():
    result = resolve("1", known={"01", "DG"})
    assert result.codes.tolist() == ["1"]
    assert "zweistellig" in schluessel.unbekannt_hinweis("1")


def test_a_sozialraum_code_never_becomes_a_kreis_when_it_is_known():
    assert resolve("3151", known={"3151", "03151"}).codes.tolist() == ["3151"]


def test_two_readings_of_known_areas_are_refused_naming_both():
    result = resolve("31515406016", known={"03151016", "31515016"})
    [befund] = result.befunde
    assert befund.zeile == 2 and befund.feld == "gebiet"
    assert "mehrdeutig" in befund.meldung and "03151016" in befund.meldung and "31515016" in befund.meldung


def test_gemeindeverband_rows_are_left_out_and_reported():
    result = resolve("03151401", "03151401002")
    assert result.verband.tolist() == [True, False]
    assert any("03151401" in h and "Gemeindeverband" in h for h in result.hinweise)


def test_unknown_keys_stay_as_written():
    assert resolve("999999999999").codes.tolist() == ["999999999999"]


@pytest.mark.parametrize("codes, ebene, expected", [
    (["1001001", "01001001"], "gemeinde", ["01001001", "01001001"]),
    (["1001"], "kreis", ["01001"]),
    (["3"], "land", ["03"]),
    (["3", "0110"], None, ["3", "0110"]),
])
def test_padding_only_within_a_declared_level(codes, ebene, expected):
    series = pd.Series(codes, dtype="str")
    assert (schluessel.als_text(series, ebene) if ebene else schluessel.als_text(series)).tolist() == expected


def test_number_fields_become_keys():
    assert schluessel.als_text(pd.Series([1001001.0, 3151001]), "gemeinde").tolist() == ["01001001", "03151001"]
