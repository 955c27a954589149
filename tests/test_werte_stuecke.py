"""werte is stored in pieces of whole years (db.materialise_values, issue 23: the whole view at once needed memory
that grew with the database): the pieces give the same table as one piece – values, sums, annual averages and the
disclosure step's primary and secondary suppression."""

from sozialmonitor.daten import db


def _werte(con) -> tuple[list, list]:
    return (con.execute("SELECT * FROM werte ORDER BY ALL").fetchall(),
            con.execute("SELECT column_name, column_type FROM (DESCRIBE werte)").fetchall())


def test_stuecke_geben_dieselbe_tabelle(demo_copy, monkeypatch):
    con = db.open_database(demo_copy, read_only=False)
    try:
        monkeypatch.setattr(db, "WERTE_STUECK", 10**9)
        assert db.werte_stuecke(con) == [(None, None)]
        db.materialise_values(con)
        ganz, typen = _werte(con)
        monkeypatch.setattr(db, "WERTE_STUECK", 1)  # one year per piece
        stuecke = db.werte_stuecke(con)
        assert len(stuecke) > 3 and stuecke[0][0] is None and stuecke[-1][1] is None
        db.materialise_values(con)
        assert _werte(con) == (ganz, typen)
        arten = {r[0] for r in con.execute("SELECT DISTINCT herkunft FROM werte").fetchall()}
        gruende = {r[0] for r in con.execute("SELECT DISTINCT geheim_grund FROM werte").fetchall()}
        assert {"erhoben", "berechnet", "jahresdurchschnitt"} <= arten  # sums and annual averages in the pieces
        assert {"primaer", "sekundaer"} <= gruende  # and the disclosure step's both kinds
        assert ("monate", "INTEGER") in typen and ("geheim_grund", "VARCHAR") in typen
        # the variables are gone afterwards: a reader of this connection sees every value
        assert con.execute("SELECT getvariable('werte_von') IS NULL AND getvariable('werte_bis') IS NULL"
                           ).fetchall()[0][0]
    finally:
        con.close()


def test_ein_stueck_wie_vorher(demo_copy):
    """One piece is the view werte_live as a whole, as before the pieces."""
    con = db.open_database(demo_copy, read_only=False)
    try:
        db.materialise_values(con)
        gespeichert = con.execute("SELECT count(*) FROM werte").fetchall()[0][0]
        assert gespeichert == con.execute("SELECT count(*) FROM werte_live").fetchall()[0][0] > 0
    finally:
        con.close()


def test_beobachtungen_ohne_index_und_schluessel_einmal(tiny_copy):
    """beobachtungen has no PRIMARY KEY (its index held 80 bytes a row in memory while an import wrote, issue 23):
    an older table is rebuilt with the same rows, and the importer keeps each key once – a changed value replaces
    the stored row (kept in the history), the same file again changes nothing."""
    from conftest import HEADER

    from sozialmonitor import importer
    from sozialmonitor.zugang import rollen

    def zustand():
        con = db.connect_read_only(tiny_copy)
        try:
            return (con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'beobachtungen' "
                                "AND constraint_type = 'PRIMARY KEY'").fetchall()[0][0],
                    con.execute("SELECT count(*), count(DISTINCT (gebiet, indikator, zeitraum)) FROM beobachtungen"
                                ).fetchall()[0],
                    con.execute("SELECT * FROM beobachtungen ORDER BY ALL").fetchall())
        finally:
            con.close()

    con = db.open_database(tiny_copy, read_only=False)  # as a database written before issue 23
    try:
        con.execute("ALTER TABLE beobachtungen RENAME TO b_alt")
        con.execute("CREATE TABLE beobachtungen (gebiet VARCHAR NOT NULL, indikator VARCHAR NOT NULL, zeitraum VARCHAR "
                    "NOT NULL, zaehler DOUBLE, nenner DOUBLE, wert DOUBLE, status VARCHAR NOT NULL, quelle VARCHAR, "
                    "import_id INTEGER NOT NULL, kennzeichen VARCHAR, PRIMARY KEY (gebiet, indikator, zeitraum))")
        con.execute("INSERT INTO beobachtungen BY NAME SELECT * FROM b_alt")
        con.execute("DROP TABLE b_alt")
    finally:
        con.close()
    index, (zeilen, schluessel), vorher = zustand()
    assert index == 1 and zeilen == schluessel > 0
    daten = (HEADER + "01001001;quote_jahr;2022;12;100;\n01001001;quote_jahr;2031;1;100;\n").encode()
    for _ in range(2):
        importer.run(tiny_copy, "observations", daten, "neu.csv", person=rollen.kommandozeile(), replace=True)
    index, (zeilen, schluessel), nachher = zustand()
    assert index == 0 and zeilen == schluessel == len(vorher) + 1
    assert next(r for r in nachher if r[:3] == ("01001001", "quote_jahr", "2022"))[3:6] == (12.0, 100.0, 12.0)
