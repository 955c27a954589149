"""Figures for docs/zuverlaessigkeit.md (issue 11, item 9): imports and undos killed with SIGKILL at random moments,
and page runs of every page while imports publish new versions.

Run: python bench/zuverlaessigkeit.py [kills] [undo_kills] [page_runs]   (defaults 30 10 25)
Prints one line per check and a summary. Nothing here asserts times; it counts outcomes."""

import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sozialmonitor import importer
from sozialmonitor.daten import ablage
from sozialmonitor.daten import db
from sozialmonitor.importer import demo  # noqa: E402
from sozialmonitor.zugang import rollen


def observations(year: int) -> bytes:
    """Values of every demo Gemeinde for one extra year (a full import: read, check, write, publish)."""
    lines = (ROOT / "data" / "demo_beobachtungen.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], [line for line in lines[1:] if ";2024;" in line]
    return "\n".join([header, *(row.replace(";2024;", f";{year};") for row in rows)]).encode()


def consistent(path: Path) -> tuple[bool, str]:
    """The published file opens read-only, every active import's rows are there, the Kreis equals its Gemeinden."""
    try:
        con = db.connect_read_only(path)
    except Exception as exc:  # noqa: BLE001 – any failure here is what we count
        return False, f"öffnen: {exc}"
    try:
        orphans = con.execute("SELECT count(*) FROM beobachtungen b WHERE NOT EXISTS (SELECT 1 FROM importe i "
                              "WHERE i.import_id = b.import_id AND i.rueckgaengig_durch IS NULL)").fetchall()[0][0]
        mismatch = con.execute("""
            SELECT count(*) FROM werte k JOIN (
                SELECT w.indikator, w.zeitraum, sum(w.zaehler) AS z FROM werte w JOIN gebiete g ON g.code = w.gebiet
                WHERE g.ebene = 'gemeinde' AND g.uebergeordnet = '16065' AND w.zaehler IS NOT NULL
                GROUP BY ALL) s ON s.indikator = k.indikator AND s.zeitraum = k.zeitraum
            WHERE k.gebiet = '16065' AND k.status = 'ok' AND k.zaehler IS NOT NULL AND k.zaehler <> s.z""").fetchall()
        return orphans == 0 and mismatch[0][0] == 0, f"ohne Import: {orphans}, Kreis≠Summe: {mismatch[0][0]}"
    finally:
        con.close()


def consistent_imports(path: Path) -> int:
    con = db.connect_read_only(path)
    try:
        return con.execute("SELECT count(*) FROM importe WHERE rueckgaengig_durch IS NULL").fetchall()[0][0]
    finally:
        con.close()


def kill_imports(path: Path, kills: int, undo: bool) -> dict:
    survived, leftovers_seen, year = 0, 0, 2100 if not undo else 2300
    for attempt in range(kills):
        year += 1
        if undo:  # something to undo: a finished import, then its undo is killed
            target = importer.run(path, "observations", observations(year), f"werte_{year}.csv", person=rollen.kommandozeile()).import_id
            command = [sys.executable, "-m", "sozialmonitor", "undo", str(target), "--db", str(path), "--grund", "Messung"]
        else:
            source = path.parent / f"werte_{year}.csv"
            source.write_bytes(observations(year))
            command = [sys.executable, "-m", "sozialmonitor", "import", "observations", str(source), "--db",
                       str(path)]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline and not list(
                path.parent.glob(path.name + ".*.tmp")):
            time.sleep(0.02)  # until the working copy exists: the kill hits the import itself, not start-up
        time.sleep(random.uniform(0.0, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        leftovers_seen += bool(ablage.reste(path, importer.ARCHIVE_FOLDER))
        ok, detail = consistent(path)
        survived += ok
        published = consistent_imports(path)
        print(f"{'Rückgängig' if undo else 'Import'} {attempt + 1}: beendet mit {process.returncode}, "
              f"Importe aktiv: {published}, "
              f"{'in Ordnung' if ok else 'DEFEKT'} ({detail})", flush=True)
    importer.run(path, "observations", observations(year + 1), f"werte_{year + 1}.csv", person=rollen.kommandozeile())
    return {"kills": kills, "survived": survived, "leftovers_seen": leftovers_seen,
            "leftovers_after_next_import": len(ablage.reste(path, importer.ARCHIVE_FOLDER))}


def page_runs_during_imports(path: Path, runs: int) -> dict:
    """AppTest runs of every page while another thread imports and publishes new versions."""
    from streamlit.testing.v1 import AppTest

    os.environ["SOZIALMONITOR_DB"] = str(path)
    stop, published = threading.Event(), [0]

    def keep_importing():
        year = 2500
        while not stop.is_set():
            year += 1
            importer.run(path, "observations", observations(year), f"werte_{year}.csv", person=rollen.kommandozeile())
            published[0] += 1

    worker = threading.Thread(target=keep_importing, daemon=True)
    worker.start()
    pages = ["app.py", "pages/1_Karte.py", "pages/2_Zielerreichung.py", "pages/3_Indikatoren.py",
             "pages/4_Daten.py"]
    errors = 0
    for index in range(runs):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        if pages[index % len(pages)] != "app.py":
            at.switch_page(pages[index % len(pages)])
        at.run()
        failed = bool(at.exception) or any("Traceback" in e.value for e in at.error)
        errors += failed
        print(f"Seitenlauf {index + 1} ({pages[index % len(pages)]}): {'FEHLER' if failed else 'in Ordnung'}",
              flush=True)
    stop.set()
    worker.join()
    return {"page_runs": runs, "errors": errors, "imports_meanwhile": published[0]}


if __name__ == "__main__":
    kills, undo_kills, runs = (int(a) for a in (sys.argv[1:] + ["30", "10", "25"])[:3])
    random.seed(11)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sozialmonitor.duckdb"
        demo.build_demo(path)
        before = consistent(path)
        print("Import-Abbrüche:", result_imports := kill_imports(path, kills, undo=False))
        print("Rückgängig-Abbrüche:", result_undo := kill_imports(path, undo_kills, undo=True))
        print("Seitenläufe während Importen:", result_pages := page_runs_during_imports(path, runs))
        print("Zusammenfassung:", {"imports": result_imports, "undo": result_undo, "pages": result_pages,
                                    "start_consistent": before[0]})
