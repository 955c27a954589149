"""The embedded demo: the Kyffhäuserkreis with its 28 real Gemeinden, six demo Sozialräume, synthetic Gemeinde
values (no Land and Bund values: the figures at hand were cited from newspapers) and a history of its targets as an
office would have one — built through the importer like any user data."""

import functools
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import monotonic, sleep

import duckdb

from sozialmonitor import importer
from sozialmonitor.daten import db
from sozialmonitor.daten.config import DATA_DIR, GEODATA_ATTRIBUTION, SHAPES_DIR
from sozialmonitor.errors import DatenbankFehler, ImportLaeuft
from sozialmonitor.importer.ergebnis import KIND_NAMES
from sozialmonitor.zugang import protokoll
from sozialmonitor.zugang.rollen import Person

DEMO_BOUNDARIES = SHAPES_DIR / "kyffhaeuserkreis_gemeinden_2024_abgeleitet.geojson"


def build_demo(db_path: Path) -> list[importer.Ergebnis]:
    """(Re)build the demo database from the committed files in data/ and shapes/, published in one step."""
    db_path = Path(db_path)
    db_path.unlink(missing_ok=True)
    results = []
    with importer.working_copy(db_path) as con:
        def read(path: Path) -> tuple[bytes, str]:
            return path.read_bytes(), path.name

        results.append(importer.import_indicators(con, *read(DATA_DIR / "indikatoren.toml")))
        results.append(importer.import_areas_table(con, *read(DATA_DIR / "gebiete.csv")))
        results.append(importer.import_boundaries(con, *read(DEMO_BOUNDARIES), level="gemeinde", id_field="AGS",
                                                  name_field="GEN", quelle=GEODATA_ATTRIBUTION))
        results.append(importer.import_membership(con, *read(DATA_DIR / "sozialraeume.csv")))
        beobachtungen = importer.import_observations(con, *read(DATA_DIR / "demo_beobachtungen.csv"))
        # The synthetic values are generated for today's Gemeinden (Gebietsstand 2021), merged ones included: the
        # importer's advice for real files from before a merger ("bitte mit --vorgaenger") does not apply to them.
        zusammengelegt = [h for h in beobachtungen.hinweise if "nach einer Gebietsänderung" in h]
        if zusammengelegt:
            beobachtungen.hinweise = [h for h in beobachtungen.hinweise if h not in zusammengelegt] + [
                f"Die synthetischen Demowerte gelten für den heutigen Gebietsstand, auch für die "
                f"{len(zusammengelegt)} zusammengelegten Gemeinden – dort ist nichts umzurechnen."]
        results.append(beobachtungen)
        # no Land and Bund values: the figures at hand were cited from newspapers, which a Vorlage cannot quote
        # (issue 20, BEFUNDE #20) – the pages say "kein Wert" rather than a newspaper's number
        results.extend(ziele_mit_verlauf(con, *read(DATA_DIR / "ziele.toml")))
        # the Vergleichsring's Kreis values (synthetic, the file says so) and the Sozialindex definitions, as
        # reference data through the same write path as any office's files
        results.append(importer.import_vergleichskreise(con, *read(DATA_DIR / "demo_kreise.csv")))
        results.append(importer.import_sozialindex(con, *read(DATA_DIR / "sozialindex.toml")))
        con.execute("INSERT OR REPLACE INTO metadaten VALUES ('demo', 'ja')")
        con.execute("UPDATE importe SET demo = true")  # the demo's own imports: any other one makes it a planner's
        zeitpunkte_wie_im_amt(con, date.today())
        im_protokoll(con)
    return results


# Who made the demo's imports: the Protokoll and the Daten page name the build, not the OS account ("root"), and
# the Protokoll lists them – "0 Einträge" beside 9 imports read as a contradiction (fresh tester, issue 20).
DEMO_AUFBAU = Person(kennung="Demo-Aufbau (Kommandozeile)", name="Demo-Aufbau (Kommandozeile)", rolle="verwaltung",
                     anmeldung="kommandozeile")
GRUND_DEMO = "Aufbau der Demo-Datenbank"  # a planner reads it on the Protokoll: no command line


def im_protokoll(con) -> None:
    """Each of the demo's imports in the Protokoll as an office's import is: by DEMO_AUFBAU, at the import's
    (back-dated) time, with its reason (the example target's second version keeps its own)."""
    for import_id, art, datei, zeitpunkt, grund in con.execute(
            "SELECT import_id, art, datei, zeitpunkt, grund FROM importe ORDER BY import_id").fetchall():
        protokoll.batch_zuschreiben(con, DEMO_AUFBAU, import_id, grund or GRUND_DEMO)
        protokoll.eintragen(con, DEMO_AUFBAU, "import", f"Import {import_id}: {KIND_NAMES.get(art, art)} – {datei}",
                            grund or GRUND_DEMO, import_id, zeitpunkt=zeitpunkt)


_GEOEFFNET: set[str] = set()  # databases this process has found: missing later means deleted, never "first start"


def ensure_database(db_path: Path, erster_start: bool = False) -> None:
    """Make sure the database exists without ever rebuilding the office's work away.

    A missing file is an error (DatenbankFehler, German, naming the path and the way back) – unless erster_start
    (the caller's decision: the laptop's first start on the default path, README) and nothing says an office
    database lived there: this process never opened it (deleted while the app runs), and no archiv/, sicherungen/
    or sign-in file lies beside it. Then the demo is built.

    A database written by an older version of the app is built anew only while it holds nothing of the office:
    every import one of build-demo's, no row in the role table, no Protokoll entry (users, roles, scopes, audit
    entries, target edits and own imports are the office's data). Anything else is left to `upgrade`, which
    migrates it after a backup."""
    path = Path(db_path)
    schluessel = str(path.resolve())
    if not path.exists():
        spuren = [name for name in (importer.ARCHIVE_FOLDER, importer.BACKUP_FOLDER, path.name + ".anmeldungen.sqlite")
                  if (path.parent / name).exists()]
        if not erster_start or schluessel in _GEOEFFNET or spuren:
            raise DatenbankFehler(
                f"Die Datenbank {path} fehlt – gelöscht, verschoben oder SOZIALMONITOR_DB zeigt auf einen falschen "
                "Ort. Der Sozialmonitor legt sie nicht still neu an: Bitte die letzte Sicherung wiederherstellen "
                "(docs/betrieb.md, „Wiederherstellung“). Eine neue Demo-Datenbank legt nur "
                "„python -m sozialmonitor build-demo“ an.")
        try:
            build_demo(path)
        except ImportLaeuft:
            # another page run (a second browser tab, the first run's rerun) builds it right now and holds the
            # import lock: wait for its file instead of telling the first visitor "ein anderer Import läuft"
            if not _aufgebaut(path):
                raise
    elif _outdated_demo(str(path), db.file_version(path)):
        build_demo(path)
    _GEOEFFNET.add(schluessel)


AUFBAU_WARTEN = 180  # seconds: the demo builds in 10–60 s, on a slow laptop more


def _aufgebaut(path: Path, sekunden: float = AUFBAU_WARTEN) -> bool:
    """Whether the demo file another run is building appears within `sekunden` (polled twice a second)."""
    ende = monotonic() + sekunden
    while monotonic() < ende:
        if path.exists():
            return True
        sleep(0.5)
    return path.exists()


# The example target's first version (issue 20, BEFUNDE #16): the Steuerungsgruppe first agreed on 16 %, later on the
# 15 % of data/ziele.toml. "Stand der Ziele am …" between the two shows the first version and its verdict.
BEISPIEL_ZIEL = "beispiel-sgb2-u10"
ERSTE_FASSUNG = (("höchstens 15 %", "höchstens 16 %"), ("schwelle = 15\n", "schwelle = 16\n"))
GRUND_ZWEITE_FASSUNG = ("Demo: Die Steuerungsgruppe hat den Zielwert des Beispielziels von 16 % auf 15 % verschärft "
                        "(so hat ein Amt mehrere Fassungen eines Ziels).")
# When an office would have made the demo's imports, counted back from the day of the build: the data and the first
# version of the targets about ten months ago, the second version of the example target one month ago.
TAGE_ERSTE_FASSUNG = 300
TAGE_ZWEITE_FASSUNG = 30


def ziele_mit_verlauf(con, data: bytes, name: str) -> list[importer.Ergebnis]:
    """The targets of data/ziele.toml imported in two versions, as an office records them: first with the example
    target at 16 %, then the file as it is (the example target changed to 15 %, with the reason). Returns both
    import results. Raises ValueError if ziele.toml no longer holds the example target as written here."""
    block_start = data.index(f'id = "{BEISPIEL_ZIEL}"'.encode())
    block_end = data.find(b"[[ziel]]", block_start)
    block = data[block_start:None if block_end < 0 else block_end].decode("utf-8")
    erste = block
    for alt, neu in ERSTE_FASSUNG:
        if alt not in erste:
            raise ValueError(f"ziele.toml: das Beispielziel enthält „{alt.strip()}“ nicht mehr")
        erste = erste.replace(alt, neu)
    erste_daten = data[:block_start] + erste.encode("utf-8") + (b"" if block_end < 0 else data[block_end:])
    ergebnisse = [importer.import_targets(con, erste_daten, name)]
    ergebnisse.append(importer.import_targets(con, data, name, replace=True))
    con.execute("UPDATE importe SET grund = $grund WHERE import_id = $id",
                {"grund": GRUND_ZWEITE_FASSUNG, "id": ergebnisse[-1].import_id})
    return ergebnisse


def zeitpunkte_wie_im_amt(con, heute: date) -> None:
    """Dates the demo's imports as an office would have made them (a demo built today has no past otherwise, and
    "Stand der Ziele am …" showed nothing for any earlier day): every import TAGE_ERSTE_FASSUNG days before heute,
    the last import of ziele.toml (the second version) TAGE_ZWEITE_FASSUNG days before; one minute apart in their
    order, so the order of the imports stays the order of their times."""
    ids = [r[0] for r in con.execute("SELECT import_id FROM importe ORDER BY import_id").fetchall()]
    letzte_ziele = con.execute("SELECT max(import_id) FROM importe WHERE datei = 'ziele.toml'").fetchone()[0]
    erste = datetime.combine(heute - timedelta(days=TAGE_ERSTE_FASSUNG), time(9, 0))
    zweite = datetime.combine(heute - timedelta(days=TAGE_ZWEITE_FASSUNG), time(9, 0))
    for nr, import_id in enumerate(ids):
        zeitpunkt = (zweite if import_id >= letzte_ziele else erste) + timedelta(minutes=nr)
        con.execute("UPDATE importe SET zeitpunkt = $z WHERE import_id = $id", {"z": zeitpunkt, "id": import_id})


@functools.cache  # once per published version of the file, not on every query
def _outdated_demo(path: str, version: tuple[int, int]) -> bool:
    schema, is_demo = db.schema_and_demo(Path(path))
    return is_demo and schema is not None and schema < db.SCHEMA_VERSION and not _buerodaten(Path(path))


_BUERO_TABELLEN = {"benutzer": "SELECT count(*) FROM benutzer",  # the build's own entries are not the office's
                   "protokoll": "SELECT count(*) FROM protokoll WHERE person_kennung IS DISTINCT FROM "
                                f"'{DEMO_AUFBAU.kennung}'"}


def _buerodaten(path: Path) -> bool:
    """The file holds something the office made: a row in the role table or in the Protokoll (True also when the
    file cannot be read – then it is not ours to rebuild)."""
    try:
        con = db.open_database(path, read_only=True)
    except duckdb.Error:
        return True
    try:
        for tabelle, zaehlen in _BUERO_TABELLEN.items():  # constant SQL: DuckDB binds values, not table names
            vorhanden = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = $t",
                                    {"t": tabelle}).fetchall()[0][0]
            if vorhanden and con.execute(zaehlen).fetchall()[0][0]:
                return True
        return False
    except duckdb.Error:
        return True
    finally:
        con.close()
