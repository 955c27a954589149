"""The single write path: parse → validate → report what would change → commit in one transaction.

The app holds the published database open read-only, and DuckDB lets no other process write to it meanwhile.
So every write goes to a working copy of the file, and a successful import publishes it with an atomic rename;
readers notice the new file version and reopen. A refused import removes the copy: the database is untouched."""

import getpass
import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import shapely

from sozialmonitor import formats, geo
from sozialmonitor.db import CATALOG, ensure_schema, open_database
from sozialmonitor.errors import Befund, DatenbankFehler, EingabeFehler
from sozialmonitor.fmt import STATUS_TEXT
from sozialmonitor.targets import parse_targets

OBSERVATION_KEY = ["gebiet", "indikator", "zeitraum"]
PARENT_BY_LEVEL = {"gemeinde": 5, "kreis": 2}  # an AGS's parent is its prefix of this length


@dataclass
class Ergebnis:
    """What an import did (or, with dry_run, would do)."""

    art: str
    datei: str
    zeilen: int = 0
    neu: int = 0
    geaendert: int = 0
    unveraendert: int = 0
    import_id: int | None = None
    bereits_importiert: bool = False
    trockenlauf: bool = False
    aenderungen: pd.DataFrame | None = field(default=None, repr=False)

    def zusammenfassung(self) -> str:
        if self.bereits_importiert:
            return f"{self.datei}: Diese Datei wurde bereits importiert (Import {self.import_id}); nichts geändert."
        verb = "würde übernehmen" if self.trockenlauf else "übernommen"
        return (f"{self.datei}: {self.zeilen} Zeilen geprüft, {verb}: {self.neu} neu, {self.geaendert} geändert, "
                f"{self.unveraendert} unverändert.")


@contextmanager
def working_copy(db_path: Path, publish: bool = True):
    """A read-write connection to a copy of the database; published by atomic rename when the block succeeds."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".tmp", dir=db_path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        if db_path.exists():
            shutil.copyfile(db_path, temp)
        else:
            temp.unlink()
        try:
            con = open_database(temp, read_only=False)
        except duckdb.Error as exc:
            raise DatenbankFehler(f"Die Datenbank {db_path} lässt sich nicht öffnen ({exc}).") from exc
        try:
            ensure_schema(con)
            yield con
            con.execute("CHECKPOINT " + CATALOG)
        finally:
            con.close()
        if publish:
            os.replace(temp, db_path)
    finally:
        temp.unlink(missing_ok=True)
        Path(str(temp) + ".wal").unlink(missing_ok=True)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _already_imported(con, art: str, digest: str) -> int | None:
    rows = con.execute(
        "SELECT max(import_id) FROM importe WHERE art = $art AND sha256 = $sha AND rueckgaengig_durch IS NULL",
        {"art": art, "sha": digest}).fetchall()
    return rows[0][0]


def _register_batch(con, ergebnis: Ergebnis, digest: str) -> int:
    import_id = con.execute("SELECT nextval('import_id_seq')").fetchall()[0][0]
    con.execute(
        "INSERT INTO importe (import_id, art, datei, sha256, zeilen, neu, geaendert, unveraendert, benutzer, zeitpunkt)"
        " VALUES ($id, $art, $datei, $sha, $zeilen, $neu, $geaendert, $unveraendert, $benutzer, $zeitpunkt)",
        {"id": import_id, "art": ergebnis.art, "datei": ergebnis.datei, "sha": digest, "zeilen": ergebnis.zeilen,
         "neu": ergebnis.neu, "geaendert": ergebnis.geaendert, "unveraendert": ergebnis.unveraendert,
         "benutzer": _user(), "zeitpunkt": datetime.now()})
    ergebnis.import_id = import_id
    return import_id


def _user() -> str:
    try:
        return getpass.getuser()
    except OSError:
        return "unbekannt"


def _refuse_if(befunde: list[Befund]) -> None:
    if befunde:
        raise EingabeFehler(befunde)


@contextmanager
def _transaction(con):
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _rows(frame: pd.DataFrame, limit: int = 200):
    return frame.head(limit).itertuples(index=False)


# ---------------------------------------------------------------- observations

def validate_observations(con, rows: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[Befund]]:
    """Check rows against the catalogue and areas; compute each quote's value from its counts."""
    befunde: list[Befund] = []
    catalogue = con.execute("SELECT id AS indikator, art, faktor, nachkommastellen FROM indikatoren").df()
    areas = set(r[0] for r in con.execute("SELECT code FROM gebiete").fetchall())
    rows = rows.merge(catalogue, on="indikator", how="left")
    for r in _rows(rows[rows["art"].isna() & rows["indikator"].ne("")]):
        befunde.append(Befund(name, r.zeile, "indikator", f"Den Indikator „{r.indikator}“ gibt es nicht im Katalog."))
    for r in _rows(rows[~rows["gebiet"].isin(areas) & rows["gebiet"].ne("")]):
        befunde.append(Befund(name, r.zeile, "gebiet", f"Das Gebiet „{r.gebiet}“ ist unbekannt."))

    ok = rows["status"].eq("ok")
    has_z, has_n, has_w = rows["zaehler"].notna(), rows["nenner"].notna(), rows["wert"].notna()
    quote = rows["art"].eq("quote")
    for r in _rows(rows[ok & quote & (has_z ^ has_n)]):
        befunde.append(Befund(name, r.zeile, "nenner" if pd.isna(r.nenner) else "zaehler",
                              "Für eine Quote werden Zähler und Nenner zusammen angegeben (oder nur der Wert)."))
    for r in _rows(rows[ok & ~has_z & ~has_n & ~has_w & rows["art"].notna()]):
        befunde.append(Befund(name, r.zeile, "wert", "Die Zeile hat weder Zähler und Nenner noch einen Wert."))

    computed = rows["faktor"] * rows["zaehler"] / rows["nenner"].where(rows["nenner"] > 0)
    tolerance = 0.5 * 10.0 ** (-rows["nachkommastellen"].fillna(1)) + 1e-9
    mismatch = ok & quote & has_w & computed.notna() & ((rows["wert"] - computed).abs() > tolerance)
    for r, c in zip(_rows(rows[mismatch]), computed[mismatch]):
        befunde.append(Befund(name, r.zeile, "wert",
                              f"Der Wert {r.wert} passt nicht zu Zähler/Nenner ({c:.{int(r.nachkommastellen)}f})."))
    rows["wert"] = rows["wert"].mask(ok & quote & has_z & has_n, computed)
    rows["wert"] = rows["wert"].mask(ok & rows["art"].eq("anzahl") & ~has_w, rows["zaehler"])
    # A rate on an empty base (0 of 0) is not a zero rate: there is nobody it could apply to.
    rows["status"] = rows["status"].mask(ok & quote & rows["nenner"].eq(0), "entfaellt")
    return rows[["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert", "status", "quelle", "zeile"]], befunde


def compare_with_database(con, rows: pd.DataFrame) -> pd.DataFrame:
    """Each incoming row marked 'neu', 'geaendert' or 'unveraendert', with the old values beside it."""
    con.register("eingang", rows)
    try:
        return con.execute("""
            SELECT e.*, b.zaehler AS alt_zaehler, b.nenner AS alt_nenner, b.wert AS alt_wert,
                   b.status AS alt_status,
                   CASE WHEN b.gebiet IS NULL THEN 'neu'
                        WHEN b.zaehler IS NOT DISTINCT FROM e.zaehler AND b.nenner IS NOT DISTINCT FROM e.nenner
                             AND b.status = e.status
                             AND (b.wert IS NOT DISTINCT FROM e.wert OR abs(b.wert - e.wert) < 1e-9)
                        THEN 'unveraendert' ELSE 'geaendert' END AS aenderung
            FROM eingang e
            LEFT JOIN beobachtungen b USING (gebiet, indikator, zeitraum)
            ORDER BY e.zeile
        """).df()
    finally:
        con.unregister("eingang")


def import_observations(con, data: bytes, name: str, replace: bool = False, dry_run: bool = False) -> Ergebnis:
    digest = sha256(data)
    previous = _already_imported(con, "beobachtungen", digest)
    if previous is not None:
        return Ergebnis("beobachtungen", name, import_id=previous, bereits_importiert=True)
    parsed, befunde = formats.parse_observations(data, name)
    rows, more = validate_observations(con, parsed, name)
    befunde += more
    _refuse_if(befunde)
    diff = compare_with_database(con, rows)
    counts = diff["aenderung"].value_counts()
    ergebnis = Ergebnis("beobachtungen", name, zeilen=len(rows), neu=int(counts.get("neu", 0)),
                        geaendert=int(counts.get("geaendert", 0)), unveraendert=int(counts.get("unveraendert", 0)),
                        trockenlauf=dry_run, aenderungen=diff)
    if dry_run:
        return ergebnis
    if ergebnis.geaendert and not replace:
        changed = diff[diff["aenderung"].eq("geaendert")]
        raise EingabeFehler([
            Befund(name, int(r.zeile), "wert",
                   f"Konflikt: {r.gebiet}/{r.indikator}/{r.zeitraum} ist schon gespeichert: "
                   f"{_describe(r.alt_wert, r.alt_status)} → {_describe(r.wert, r.status)}. "
                   "Nur mit „Ersetzen“ (--replace) übernehmen.")
            for r in _rows(changed)])
    with _transaction(con):
        import_id = _register_batch(con, ergebnis, digest)
        incoming = diff[diff["aenderung"].ne("unveraendert")][
            ["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert", "status", "quelle"]]
        con.register("eingang", incoming)
        try:
            params = {"id": import_id}
            con.execute("""
                INSERT INTO beobachtungen_historie
                SELECT b.gebiet, b.indikator, b.zeitraum, b.zaehler, b.nenner, b.wert, b.status, b.quelle,
                       b.import_id, $id
                FROM beobachtungen b JOIN eingang e USING (gebiet, indikator, zeitraum)""", params)
            con.execute("DELETE FROM beobachtungen b USING eingang e WHERE b.gebiet = e.gebiet "
                        "AND b.indikator = e.indikator AND b.zeitraum = e.zeitraum")
            con.execute("INSERT INTO beobachtungen SELECT gebiet, indikator, zeitraum, zaehler, nenner, wert, "
                        "status, quelle, $id FROM eingang", params)
        finally:
            con.unregister("eingang")
    return ergebnis


def _describe(value, status) -> str:
    if status != "ok":
        return STATUS_TEXT.get(status, status)
    return "leer" if pd.isna(value) else f"{value:g}".replace(".", ",")


# ---------------------------------------------------------------- catalogue and areas

def import_indicators(con, data: bytes, name: str, dry_run: bool = False) -> Ergebnis:
    digest = sha256(data)
    previous = _already_imported(con, "indikatoren", digest)
    if previous is not None:
        return Ergebnis("indikatoren", name, import_id=previous, bereits_importiert=True)
    catalogue, befunde = formats.parse_indicators(data, name)
    _refuse_if(befunde)
    existing = set(r[0] for r in con.execute("SELECT id FROM indikatoren").fetchall())
    ergebnis = Ergebnis("indikatoren", name, zeilen=len(catalogue), neu=int((~catalogue["id"].isin(existing)).sum()),
                        geaendert=int(catalogue["id"].isin(existing).sum()), trockenlauf=dry_run)
    if dry_run:
        return ergebnis
    with _transaction(con):
        import_id = _register_batch(con, ergebnis, digest)
        catalogue["import_id"] = import_id
        con.register("eingang", catalogue)
        try:
            con.execute("DELETE FROM indikatoren WHERE id IN (SELECT id FROM eingang)")
            con.execute("INSERT INTO indikatoren BY NAME SELECT * FROM eingang")
        finally:
            con.unregister("eingang")
    return ergebnis


def import_targets(con, data: bytes, name: str, dry_run: bool = False) -> Ergebnis:
    """ziele.toml: audit targets, checked against the indicator catalogue and the areas; replaced by id."""
    digest = sha256(data)
    previous = _already_imported(con, "ziele", digest)
    if previous is not None:
        return Ergebnis("ziele", name, import_id=previous, bereits_importiert=True)
    indicators = set(r[0] for r in con.execute("SELECT id FROM indikatoren").fetchall())
    areas = dict(con.execute("SELECT code, ebene FROM gebiete").fetchall())
    rows, befunde = parse_targets(data, name, indicators, areas)
    _refuse_if(befunde)
    existing = set(r[0] for r in con.execute("SELECT id FROM ziele").fetchall())
    ergebnis = Ergebnis("ziele", name, zeilen=len(rows), neu=int((~rows["id"].isin(existing)).sum()),
                        geaendert=int(rows["id"].isin(existing).sum()), trockenlauf=dry_run)
    if dry_run:
        return ergebnis
    with _transaction(con):
        rows["import_id"] = _register_batch(con, ergebnis, digest)
        con.register("eingang", rows)
        try:
            con.execute("DELETE FROM ziele WHERE id IN (SELECT id FROM eingang)")
            con.execute("INSERT INTO ziele BY NAME SELECT * FROM eingang")
        finally:
            con.unregister("eingang")
    return ergebnis


def _upsert_areas(con, areas: pd.DataFrame) -> None:
    """Insert or update areas (code, name, ebene, uebergeordnet, vorgaenger, import_id)."""
    con.register("eingang", areas)
    try:
        con.execute("DELETE FROM gebiete WHERE code IN (SELECT code FROM eingang)")
        con.execute("INSERT INTO gebiete BY NAME SELECT code, name, ebene, uebergeordnet, vorgaenger, import_id "
                    "FROM eingang")
    finally:
        con.unregister("eingang")


def import_areas_table(con, data: bytes, name: str, dry_run: bool = False) -> Ergebnis:
    """Areas without boundaries, e.g. the Kreis and the reference areas Land and Bund."""
    digest = sha256(data)
    previous = _already_imported(con, "gebiete", digest)
    if previous is not None:
        return Ergebnis("gebiete", name, import_id=previous, bereits_importiert=True)
    frame, befunde = formats.parse_areas_csv(data, name)
    _refuse_if(befunde)
    existing = set(r[0] for r in con.execute("SELECT code FROM gebiete").fetchall())
    ergebnis = Ergebnis("gebiete", name, zeilen=len(frame), neu=int((~frame["gebiet"].isin(existing)).sum()),
                        geaendert=int(frame["gebiet"].isin(existing).sum()), trockenlauf=dry_run)
    if dry_run:
        return ergebnis
    with _transaction(con):
        import_id = _register_batch(con, ergebnis, digest)
        _upsert_areas(con, pd.DataFrame({"code": frame["gebiet"], "name": frame["name"], "ebene": frame["ebene"],
                                         "uebergeordnet": frame["uebergeordnet"], "vorgaenger": None,
                                         "import_id": import_id}))
    return ergebnis


def import_boundaries(con, data: bytes, name: str, level: str, id_field: str, name_field: str,
                      dry_run: bool = False) -> Ergebnis:
    """Boundary file → areas of one level with original and display geometry; Sozialräume re-dissolved."""
    if level not in formats.LEVELS:
        raise EingabeFehler([Befund(name, None, "--level", f"Ebene „{level}“ ist unbekannt.")])
    digest = sha256(data)
    previous = _already_imported(con, "grenzen", digest)
    if previous is not None:
        return Ergebnis("grenzen", name, import_id=previous, bereits_importiert=True)
    shapes = geo.read_boundaries(data, name, id_field, name_field)
    existing = set(r[0] for r in con.execute("SELECT gebiet FROM geometrien").fetchall())
    ergebnis = Ergebnis("grenzen", name, zeilen=len(shapes), neu=int((~shapes["code"].isin(existing)).sum()),
                        geaendert=int(shapes["code"].isin(existing).sum()), trockenlauf=dry_run)
    if dry_run:
        return ergebnis
    prefix = PARENT_BY_LEVEL.get(level)
    parents = shapes["code"].str[:prefix] if prefix else pd.Series("DG" if level == "land" else None,
                                                                   index=shapes.index)
    display = geo.simplify_for_display(shapes.geometry)
    with _transaction(con):
        import_id = _register_batch(con, ergebnis, digest)
        _upsert_areas(con, pd.DataFrame({"code": shapes["code"], "name": shapes["name"], "ebene": level,
                                         "uebergeordnet": parents, "vorgaenger": shapes["vorgaenger"],
                                         "import_id": import_id}))
        _store_geometries(con, shapes["code"], shapes.geometry, display, import_id)
        _dissolve_sozialraeume(con, import_id)
    return ergebnis


def _store_geometries(con, codes: pd.Series, original, display, import_id: int) -> None:
    frame = pd.DataFrame({"gebiet": codes.values, "original_wkb": geo.to_wkb(original),
                          "anzeige_wkb": geo.to_wkb(display), "import_id": import_id})
    con.register("eingang", frame)
    try:
        con.execute("DELETE FROM geometrien WHERE gebiet IN (SELECT gebiet FROM eingang)")
        con.execute("INSERT INTO geometrien BY NAME SELECT * FROM eingang")
    finally:
        con.unregister("eingang")


def _dissolve_sozialraeume(con, import_id: int) -> None:
    """Sozialraum polygons are the union of their Gemeinden's polygons, rebuilt whenever either changes."""
    members = con.execute("""
        SELECT z.sozialraum, g.original_wkb, g.anzeige_wkb
        FROM zuordnung z JOIN geometrien g ON g.gebiet = z.gemeinde
        ORDER BY z.sozialraum""").df()
    con.execute("DELETE FROM geometrien WHERE gebiet IN (SELECT code FROM gebiete WHERE ebene = 'sozialraum')")
    if members.empty:
        return
    original = geo.dissolve(pd.Series(geo.from_wkb(members["original_wkb"])), members["sozialraum"])
    display = geo.dissolve(pd.Series(geo.from_wkb(members["anzeige_wkb"])), members["sozialraum"])
    display = display.apply(lambda g: shapely.set_precision(g, geo.DISPLAY_PRECISION))
    _store_geometries(con, pd.Series(original.index), original.values, display.loc[original.index].values,
                      import_id)


def import_membership(con, data: bytes, name: str, dry_run: bool = False) -> Ergebnis:
    """The full Gemeinde → Sozialraum assignment; creates the Sozialräume and dissolves their polygons."""
    digest = sha256(data)
    previous = _already_imported(con, "zuordnung", digest)
    if previous is not None:
        return Ergebnis("zuordnung", name, import_id=previous, bereits_importiert=True)
    frame, befunde = formats.parse_membership(data, name)
    gemeinden = con.execute("SELECT code, uebergeordnet FROM gebiete WHERE ebene = 'gemeinde'").df()
    known = set(gemeinden["code"])
    for r in _rows(frame[~frame["gebiet"].isin(known)]):
        befunde.append(Befund(name, r.zeile, "gebiet", f"„{r.gebiet}“ ist keine bekannte Gemeinde."))
    kreise = set(gemeinden.loc[gemeinden["code"].isin(frame["gebiet"]), "uebergeordnet"])
    unassigned = gemeinden[gemeinden["uebergeordnet"].isin(kreise) & ~gemeinden["code"].isin(frame["gebiet"])]
    for code in unassigned["code"].head(200):
        befunde.append(Befund(name, None, "gebiet", f"Die Gemeinde {code} ist keinem Sozialraum zugeordnet."))
    _refuse_if(befunde)
    old = con.execute("SELECT gemeinde AS gebiet, sozialraum AS alt FROM zuordnung").df()
    merged = frame.merge(old, on="gebiet", how="left")
    ergebnis = Ergebnis("zuordnung", name, zeilen=len(frame), neu=int(merged["alt"].isna().sum()),
                        geaendert=int((merged["alt"].notna() & merged["alt"].ne(merged["sozialraum"])).sum()),
                        unveraendert=int(merged["alt"].eq(merged["sozialraum"]).sum()), trockenlauf=dry_run)
    if dry_run:
        return ergebnis
    parent_by_gemeinde = dict(zip(gemeinden["code"], gemeinden["uebergeordnet"]))
    with _transaction(con):
        import_id = _register_batch(con, ergebnis, digest)
        sozialraeume = frame.drop_duplicates("sozialraum")
        _upsert_areas(con, pd.DataFrame({
            "code": sozialraeume["sozialraum"], "name": sozialraeume["sozialraum_name"], "ebene": "sozialraum",
            "uebergeordnet": sozialraeume["gebiet"].map(parent_by_gemeinde), "vorgaenger": None,
            "import_id": import_id}))
        con.register("eingang", frame[["gebiet", "sozialraum"]])
        try:
            con.execute("DELETE FROM zuordnung WHERE gemeinde IN (SELECT gebiet FROM eingang)")
            con.execute("INSERT INTO zuordnung SELECT gebiet, sozialraum, $id FROM eingang", {"id": import_id})
        finally:
            con.unregister("eingang")
        _dissolve_sozialraeume(con, import_id)
    return ergebnis
