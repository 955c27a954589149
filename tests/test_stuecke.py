"""A large observations file checked in pieces (importer.stuecke, issue 23) gives exactly what the whole file gives:
the same findings (file, line, field, German reason) – also in later pieces, capped per check across pieces, a key
repeated in a later piece pointing at its first line – and the same result (counts, preview, notes, encoding)."""

import pytest
from conftest import HEADER, write

from sozialmonitor import importer
from sozialmonitor.errors import EingabeFehler
from sozialmonitor.importer import stuecke
from sozialmonitor.zugang import rollen

GEMEINDEN = ("01001001", "01001002", "01001003")


def _zeilen(jahre: range) -> list[str]:
    return [f"{g};quote_monat;{j}-{m:02d};{(j + m) % 40};{200 + m};" for j in jahre for g in GEMEINDEN
            for m in range(1, 13)]


def _pruefen(path, monkeypatch, in_stuecken: bool):
    """(findings, result) of a dry run, whole or in pieces of 3 kB."""
    monkeypatch.setattr(stuecke, "AB_BYTES", 1000 if in_stuecken else 10 ** 12)
    monkeypatch.setattr(stuecke, "STUECK_BYTES", 3000)
    data = path.read_bytes()
    teile = stuecke.grenzen(data, stuecke.STUECK_BYTES, b'"' in data)
    try:
        ergebnis = importer.run(path.parent / "tiny.duckdb", "observations", data, path.name,
                                person=rollen.kommandozeile(), dry_run=True)
    except EingabeFehler as exc:
        return [(b.datei, b.zeile, b.feld, b.meldung) for b in exc.befunde], None, len(teile)
    return [], ergebnis, len(teile)


def _gleich(path, monkeypatch):
    ganz, ergebnis_ganz, _ = _pruefen(path, monkeypatch, False)
    stueckweise, ergebnis_stueckweise, teile = _pruefen(path, monkeypatch, True)
    assert teile > 5  # really in pieces
    assert stueckweise == ganz
    if ergebnis_ganz is not None:
        assert ergebnis_stueckweise.zusammenfassung() == ergebnis_ganz.zusammenfassung()
        assert ergebnis_stueckweise.kodierung == ergebnis_ganz.kodierung
        for art in ("neu", "geaendert", "unveraendert"):
            assert ergebnis_stueckweise.vorschau_anzahl(art) == ergebnis_ganz.vorschau_anzahl(art)
            assert ergebnis_stueckweise.vorschau(art, 50).equals(ergebnis_ganz.vorschau(art, 50))
    return ganz, ergebnis_ganz


@pytest.fixture
def tiny(tiny_copy, tmp_path):
    return tiny_copy.rename(tmp_path / "tiny.duckdb")


def test_fehler_in_spaeteren_stuecken_wie_in_der_ganzen_datei(tiny, tmp_path, monkeypatch):
    zeilen = _zeilen(range(2000, 2040))
    zeilen[900] = "09999999;quote_monat;2031-01;1;100;"  # unknown area, late
    zeilen[1000] = "01001001;quote_monat;2030-13;1;100;"  # no period
    zeilen[1100] = "01001002;quote_monat;2035-01;300;100;"  # numerator above denominator
    zeilen[1200] = zeilen[3]  # a key of the first piece repeated in a later one
    zeilen[1201] = zeilen[1250]  # a key repeated within a later piece (first stands below in the same piece)
    zeilen[1300] = "01001001;quote_monat;2036-02;1;100"  # one field short
    zeilen[1350] = "gebiet;indikator;zeitraum;zaehler;nenner;wert"  # the heading again
    zeilen[1400] = "01001001;unbekannt;2036-03;1;100;"  # indicator not in the catalogue
    for k in range(250):  # more than MAX_BEFUNDE of one check, spread over the pieces
        zeilen[152 + 5 * k] = f"01001003;quote_monat;x{k};1;100;"
    path = write(tmp_path / "gross.csv", HEADER + "\n".join(zeilen) + "\n")
    befunde, _ = _gleich(path, monkeypatch)
    assert any(z == 1202 and "steht schon in Zeile 5" in m for _, z, _, m in befunde)
    assert any(z == 1252 and "steht schon in Zeile 1203" in m for _, z, _, m in befunde)
    assert sum("Zeitraum" in m for *_, m in befunde) == 200


@pytest.mark.parametrize("kodierung", ["utf-8", "cp1252"])
def test_saubere_datei_gleiches_ergebnis(tiny, tmp_path, monkeypatch, kodierung):
    zeilen = _zeilen(range(2000, 2030))
    zeilen.insert(700, "01001001;quote_jahr;2022;11;100;")  # stored as 10 of 100: a change
    zeilen.insert(701, "01001002;quote_jahr;2022;30;100;")  # stored as it is: unchanged
    path = write(tmp_path / "gross.csv", HEADER.replace("wert", "wert;quelle")
                 + "\n".join(z + ";Bundesagentur für Arbeit" for z in zeilen) + "\n", kodierung)
    _, ergebnis = _gleich(path, monkeypatch)
    assert ergebnis.geaendert and ergebnis.unveraendert and ergebnis.neu
    assert ergebnis.neu + ergebnis.geaendert + ergebnis.unveraendert == ergebnis.zeilen == len(zeilen)


def test_hinweise_mit_schluesseln_einmal_fuer_die_ganze_datei(tiny, tmp_path, monkeypatch):
    """A note that lists codes and lines (keys converted, Gemeinden left out) is the whole file's once, with the
    codes and counts of every piece – not once per piece."""
    zeilen = _zeilen(range(2000, 2040))
    for z in range(108, 1400, 144):  # the ARS of 01001001 in nine pieces
        assert zeilen[z].startswith("01001001;")
        zeilen[z] = zeilen[z].replace("01001001;", "010010000001;", 1)
    for z, monat in ((200, 2), (900, 9), (1300, 11)):  # a dissolved Gemeinde in three pieces, another one later
        zeilen[z] = f"01001098;quote_monat;2001-{monat:02d};-;-;-"
    zeilen[1350] = "01001097;quote_monat;2001-01;-;-;-"
    path = write(tmp_path / "gross.csv", HEADER + "\n".join(zeilen) + "\n")
    _, ergebnis = _gleich(path, monkeypatch)
    umgerechnet = [h for h in ergebnis.hinweise if "Gemeindeschlüssel umgerechnet" in h]
    ausgelassen = [h for h in ergebnis.hinweise if h.startswith("Ausgelassen:")]
    assert len(umgerechnet) == 1 and len(ausgelassen) == 1, ergebnis.hinweise
    assert umgerechnet[0].startswith("9 Schlüssel als 12-stelliger Amtlicher Regionalschlüssel (ARS)")
    assert "(Zeile 110: 010010000001 → 01001001; Zeile 254: 010010000001 → 01001001; Zeile 398: " in umgerechnet[0]
    assert "und 6 weitere)" in umgerechnet[0]
    assert ausgelassen[0].startswith("Ausgelassen: 4 Zeilen von Gemeinden")
    assert "01001098 (Zeile 202), 01001097 (Zeile 1352)." in ausgelassen[0]


def test_anfuehrungszeichen_ueber_stueckgrenzen(tiny, tmp_path, monkeypatch):
    zeilen = [z + ';"Quelle mit ""Zitat""\nund Umbruch"' for z in _zeilen(range(2000, 2020))]
    path = write(tmp_path / "gross.csv", HEADER.replace("wert", "wert;quelle") + "\n".join(zeilen) + "\n")
    _gleich(path, monkeypatch)
    zeilen[500] = zeilen[500].replace("2013", "20x3")  # a finding after quoted line breaks: same line number
    path = write(tmp_path / "gross.csv", HEADER.replace("wert", "wert;quelle") + "\n".join(zeilen) + "\n")
    befunde, _ = _gleich(path, monkeypatch)
    assert befunde


def test_zu_grosse_datei_vor_dem_lesen_abgelehnt(tmp_path, monkeypatch):
    from sozialmonitor import cli

    path = tmp_path / "riesig.csv"
    with open(path, "wb") as f:
        f.truncate(201 * 1024 * 1024)  # sparse: nothing written, nothing read
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("gelesen"))
    with pytest.raises(EingabeFehler, match="zu groß: 201,0 MB, höchstens 200 MB je Datei"):
        cli.run_import(cli._parser().parse_args(["import", "observations", str(path), "--db",
                                                      str(tmp_path / "x.duckdb"), "--grund", "Test"]))


def test_uebernehmen_in_stuecken_schreibt_dasselbe(tiny_db, tmp_path, monkeypatch):
    """„Übernehmen“ of a file read in pieces (one transaction per piece in the working copy) leaves the same rows,
    batch and Protokoll as the whole file."""
    import shutil
    from datetime import datetime

    from conftest import snapshot

    zeilen = _zeilen(range(2000, 2025))
    zeilen.insert(300, "01001001;quote_jahr;2022;11;100;")  # a change of a stored value: replaced, kept in history
    daten = (HEADER + "\n".join(zeilen) + "\n").encode()
    stände = []
    for ab in (10 ** 12, 1000):
        db = tmp_path / f"ab{ab}" / "tiny.duckdb"
        db.parent.mkdir()
        shutil.copyfile(tiny_db, db)
        monkeypatch.setattr(stuecke, "AB_BYTES", ab)
        monkeypatch.setattr(stuecke, "STUECK_BYTES", 3000)
        ergebnis = importer.run(db, "observations", daten, "gross.csv", person=rollen.kommandozeile(), replace=True)
        stand = {t: [tuple(None if isinstance(v, datetime) else v for v in row) for row in rows]  # times differ
                 for t, rows in snapshot(db).items()}
        stände.append((ergebnis.zusammenfassung(), stand))
    assert stände[0][0] == stände[1][0]
    for tabelle in stände[0][1]:
        assert stände[0][1][tabelle] == stände[1][1][tabelle], tabelle
