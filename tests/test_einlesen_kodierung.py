"""Encodings (einlesen/kodierung.py): the same table in every encoding a planner's file arrives in reads the same,
the encoding is named for the preview, and mojibake never passes."""

import pytest

from sozialmonitor import einlesen
from sozialmonitor.einlesen import kodierung as kod
from sozialmonitor.errors import EingabeFehler

MEMBERSHIP = ("gebiet;sozialraum;sozialraum_name\n"
              "03151006;SG5404;SG Isenbüttel\n"
              "03151018;SG5405;SG Meinersen (Müden/Aller)\n"
              "03151020;SG5401;Osloß\n"
              "03151024;SG5402;Rühen Ärzte Öl Übel\n")
EXPECTED_NAMES = ["SG Isenbüttel", "SG Meinersen (Müden/Aller)", "Osloß", "Rühen Ärzte Öl Übel"]


def test_every_encoding_gives_the_same_rows(kodierung):
    frame, befunde = einlesen.parse_membership(MEMBERSHIP.encode(kodierung), "zuordnung.csv")
    assert befunde == []
    assert frame["sozialraum_name"].tolist() == EXPECTED_NAMES
    assert frame["zeile"].tolist() == [2, 3, 4, 5]


def test_every_encoding_is_named(kodierung):
    named = kod.erkenne(MEMBERSHIP.encode(kodierung), "zuordnung.csv")
    assert named.text.lstrip("\ufeff") == MEMBERSHIP
    expected = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "cp1252": "cp1252", "utf-16": "utf-16",
                "mac_roman": "mac_roman"}[kodierung]
    assert named.kodierung == expected and named.name


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec):
    frame, befunde = einlesen.parse_membership(MEMBERSHIP.encode(codec), "zuordnung.csv")
    assert befunde == [] and frame["sozialraum_name"].tolist() == EXPECTED_NAMES


@pytest.mark.parametrize("word", ["Bad Dürrenberg", "Müden", "Größe", "Übach-Palenberg", "Straße"])
def test_short_mac_roman_and_windows_text_are_told_apart(word):
    """Mac Roman's ü is Windows-1252's Ÿ: short texts with a single umlaut are where detectors guess."""
    for codec in ("cp1252", "mac_roman"):
        text = f"gebiet;name;ebene;uebergeordnet\n01;{word};land;DG\n"
        assert kod.erkenne(text.encode(codec), "g.csv").text == text, codec


@pytest.mark.parametrize("garbled", ["IsenbÃ¼ttel", "GroÃŸ Oesingen", "MÃ¼den", "IsenbŸttel"])
def test_mojibake_is_refused_with_line_and_field(garbled):
    data = f"gebiet;sozialraum;sozialraum_name\n03151006;SG5404;{garbled}\n".encode("utf-8")
    frame, befunde = einlesen.parse_membership(data, "z.csv")
    assert [(b.zeile, b.feld) for b in befunde] == [(2, "sozialraum_name")]
    assert "verstümmelte Umlaute" in befunde[0].meldung
    assert frame.empty


def test_binary_is_still_refused():
    with pytest.raises(EingabeFehler, match="keine Textdatei"):
        kod.erkenne(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x02", "bild.csv")
