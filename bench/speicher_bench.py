"""Benchmark: memory under uploads and big files (issue 23; docs/betrieb.md, "Speicher").

Three measurements, each reported as peak resident memory (VmHWM of the process, /proc):

1. `pruefen`: the check (dry run of importer.run, what the page "Daten" does before "Übernehmen") of a generated
   observations CSV of --mb megabytes on a copy of the demo database, in a fresh Python process; with --schreiben
   the whole import (check, then written and published).
2. `fremde`: the app served by server.py with a local user configured (sign-in on); --fremde visitors without
   sign-in each open the sign-in screen (a websocket session of their own) and PUT --dateien files of --datei-mb
   megabytes to Streamlit's upload route, concurrently. Reported: the app's RSS before, its peak, after, and the
   HTTP answers.
3. `uebernehmen`: the whole import („Übernehmen“: check, write, publish) of a generated observations CSV of each
   --mb size through importer.run – the path of the page „Daten“ and of `python -m sozialmonitor import` – in a
   fresh Python process per size, with the resident memory sampled every 20 ms: the peak of the process and the
   peak and duration of each step the progress bar names. --duckdb "SET …" runs a statement on the write
   connection first (an experiment, e.g. "SET threads = 1").

    python bench/speicher_bench.py pruefen [--mb 200] [--schreiben]
    python bench/speicher_bench.py uebernehmen [--mb 50 200] [--duckdb "SET threads = 1"]
    python bench/speicher_bench.py fremde [--fremde 4] [--dateien 4] [--datei-mb 150]
"""

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from sozialmonitor.importer import demo
from sozialmonitor.zugang import rollen, verwaltung


def rss_mb(pid: int, feld: str = "VmRSS") -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{feld}:\s+(\d+) kB", text).group(1)) / 1024


INDIKATOREN = ("familienlotsen", "bev_u10", "bev_15_u25", "schulabgaenger")  # the demo's counts


def csv_erzeugen(pfad: Path, mb: int, gemeinden: list[str]) -> int:
    """Valid observations of the demo's counts for its Gemeinden, month by month from the year 1000 on, up to mb
    megabytes (a file the check accepts: every key once, every period JJJJ-MM)."""
    zeilen = 0
    with open(pfad, "w", encoding="utf-8") as f:
        f.write("gebiet;indikator;zeitraum;zaehler;nenner;wert\n")
        jahr = 1000
        while True:  # up to mb megabytes, not beyond (a file above the limit is refused unread)
            block = "".join(f"{g};{i};{jahr}-{m:02d};;;{(jahr * 7 + m) % 50}\n" for i in INDIKATOREN
                            for g in gemeinden for m in range(1, 13))
            if f.tell() + len(block.encode()) > mb * 1024 * 1024:
                break
            f.write(block)
            zeilen += len(INDIKATOREN) * len(gemeinden) * 12
            jahr += 1
    return zeilen


def demo_und_datei(mb: int) -> tuple[Path, Path, Path, int]:
    """(folder, demo database, generated CSV of mb megabytes, its rows) in a new temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="speicher-bench-"))
    datenbank = folder / "sozialmonitor.duckdb"
    demo.build_demo(datenbank)
    import duckdb

    con = duckdb.connect(str(datenbank), read_only=True)
    gemeinden = [r[0] for r in con.execute("SELECT code FROM gebiete WHERE ebene = 'gemeinde'").fetchall()]
    con.close()
    datei = folder / "gross.csv"
    return folder, datenbank, datei, csv_erzeugen(datei, mb, gemeinden)


def pruefen(args) -> None:
    folder, datenbank, datei, zeilen = demo_und_datei(args.mb)
    skript = (
        "import resource, sys, time; from pathlib import Path\n"
        "from sozialmonitor import importer\nfrom sozialmonitor.zugang import rollen\n"
        "from sozialmonitor.errors import SozialmonitorFehler\n"
        "t = time.perf_counter()\n"
        "daten = Path(sys.argv[2]).read_bytes()\n"
        "try:\n"
        "    e = importer.run(Path(sys.argv[1]), 'observations', daten, 'gross.csv', person=rollen.kommandozeile(),"
        " dry_run=sys.argv[3] == 'pruefen')\n    ergebnis = f'{e.neu} neu'\n"
        "except SozialmonitorFehler as exc:\n    ergebnis = 'abgelehnt: ' + str(exc)[:200]\n"
        "print(ergebnis, round(time.perf_counter() - t, 1), 's', "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, 'MB')\n")
    ausgabe = subprocess.run([sys.executable, "-c", skript, str(datenbank), str(datei),
                              "schreiben" if args.schreiben else "pruefen"], cwd=ROOT,
                             capture_output=True, text=True)
    print(f"Datei: {datei.stat().st_size / 1024 / 1024:.0f} MB, {zeilen:,} Zeilen")
    print("Import:" if args.schreiben else "Prüfung (Probelauf):", ausgabe.stdout.strip() or ausgabe.stderr.strip()[-2000:])
    shutil.rmtree(folder, ignore_errors=True)


_UEBERNEHMEN = """
import re, sys, threading, time
from pathlib import Path
from sozialmonitor import importer
from sozialmonitor.daten import db
from sozialmonitor.zugang import rollen

def rss():
    return int(re.search(r"VmRSS:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1)) / 1024

schritte = []  # [text, start, peak]
aktuell = ["Start", time.perf_counter(), rss()]
ende = threading.Event()

def messen():
    while not ende.is_set():
        aktuell[2] = max(aktuell[2], rss())
        time.sleep(0.02)

def fortschritt(anteil, text):
    global aktuell
    aktuell[2] = max(aktuell[2], rss())
    schritte.append(aktuell)
    aktuell = [re.sub(r" \\(Teil \\d+ von \\d+\\)", " (alle Teile)", text), time.perf_counter(), rss()]

einstellungen = sys.argv[3:]
if einstellungen:
    oeffnen = db.open_database
    def open_database(path, read_only):
        con = oeffnen(path, read_only)
        if not read_only:
            for sql in einstellungen:
                con.execute(sql)
        return con
    db.open_database = open_database
    from sozialmonitor.daten import arbeitskopie
    arbeitskopie.open_database = open_database
threading.Thread(target=messen, daemon=True).start()
t = time.perf_counter()
daten = Path(sys.argv[2]).read_bytes()
e = importer.run(Path(sys.argv[1]), "observations", daten, "gross.csv", person=rollen.kommandozeile(),
                 progress=fortschritt)
ende.set()
aktuell[2] = max(aktuell[2], rss())
schritte.append(aktuell)
zusammen = {}
for (text, start, spitze), folgend in zip(schritte, schritte[1:] + [[None, time.perf_counter()]]):
    dauer, alt = folgend[1] - start, zusammen.get(text, (0.0, 0.0))
    zusammen[text] = (alt[0] + dauer, max(alt[1], spitze))
hwm = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1)) // 1024
print(f"{e.neu} neu, {e.geaendert} geändert in {time.perf_counter() - t:.0f} s; Spitze {hwm} MB")
for text, (dauer, spitze) in zusammen.items():
    print(f"  {text:45s} {dauer:7.1f} s  Spitze {spitze:6.0f} MB")
"""


def uebernehmen(args) -> None:
    for mb in args.mb:
        folder, datenbank, datei, zeilen = demo_und_datei(mb)
        print(f"Übernehmen: {datei.stat().st_size / 1024 / 1024:.0f} MB, {zeilen:,} Zeilen"
              + (f" ({'; '.join(args.duckdb)})" if args.duckdb else ""), flush=True)
        ausgabe = subprocess.run([sys.executable, "-c", _UEBERNEHMEN, str(datenbank), str(datei), *args.duckdb],
                                 check=False, cwd=ROOT, capture_output=True, text=True)
        print(ausgabe.stdout.rstrip() if ausgabe.returncode == 0 else ausgabe.stderr.strip()[-3000:], flush=True)
        shutil.rmtree(folder, ignore_errors=True)


def _sitzung(url: str) -> str:
    """A visitor's Streamlit session: open the websocket as the sign-in screen does, return its session id."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    ws = connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"], origin=url,
                 legacy=True)
    back = BackMsg()
    back.rerun_script.query_string = ""
    ws.send(back.SerializeToString())
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(ws.recv(timeout=60))
        if msg.WhichOneof("type") == "new_session":
            _OFFEN.append(ws)
            return msg.new_session.initialize.session_id


_OFFEN: list = []


def _xsrf() -> str:
    """An XSRF token as Streamlit makes them: the check is a double submit (header = cookie), which any visitor
    can satisfy with a token of their own."""
    from streamlit.web.server.starlette import starlette_app_utils

    return starlette_app_utils.generate_xsrf_token_string(None, None)


def _hochladen(port: int, sitzung: str, nummer: int, mb: int, antworten: Counter) -> None:
    grenze = f"----sozialmonitor{nummer}"
    kopf = (f"--{grenze}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f{nummer}.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()
    fuss = f"\r\n--{grenze}--\r\n".encode()
    groesse = mb * 1024 * 1024
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        con.putrequest("PUT", f"/_stcore/upload_file/{sitzung}/datei{nummer}")
        con.putheader("Content-Type", f"multipart/form-data; boundary={grenze}")
        con.putheader("Content-Length", str(len(kopf) + groesse + len(fuss)))
        xsrf = _xsrf()
        con.putheader("Cookie", f"_streamlit_xsrf={xsrf}")
        con.putheader("X-Xsrftoken", xsrf)
        con.endheaders()
        con.send(kopf)
        block = b"x" * (1024 * 1024)
        try:
            for _ in range(mb):
                con.send(block)
            con.send(fuss)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the body was read
        antwort = con.getresponse()
        antworten[f"{antwort.status} {antwort.read()[:80].decode('utf-8', 'replace')}"] += 1
    except Exception as exc:  # noqa: BLE001 – a benchmark reports what happened
        antworten[f"Fehler {type(exc).__name__}"] += 1
    finally:
        con.close()


def fremde(args) -> None:
    from test_browser import free_port, wait_until_healthy

    folder = Path(tempfile.mkdtemp(prefix="speicher-bench-"))
    datenbank = folder / "sozialmonitor.duckdb"
    demo.build_demo(datenbank)
    verwaltung.rolle_setzen(datenbank, rollen.kommandozeile(), "vera", "Vera", "verwaltung", None, "Bench",
                            passwort="bench-passwort-123")
    port = free_port()
    app = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", args.skript, "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=dict(os.environ, SOZIALMONITOR_DB=str(datenbank)), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, app)
        sitzungen = [_sitzung(url) for _ in range(args.fremde)]
        time.sleep(3)
        vorher = rss_mb(app.pid)
        antworten: Counter = Counter()
        threads = [threading.Thread(target=_hochladen, args=(port, s, i * 100 + k, args.datei_mb, antworten))
                   for i, s in enumerate(sitzungen) for k in range(args.dateien)]
        t = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        dauer = time.perf_counter() - t
        time.sleep(3)
        print(f"{args.skript}: {args.fremde} Fremde × {args.dateien} × {args.datei_mb} MB in {dauer:.0f} s")
        print(f"RSS der App vorher {vorher:.0f} MB, Spitze {rss_mb(app.pid, 'VmHWM'):.0f} MB, "
              f"danach {rss_mb(app.pid):.0f} MB")
        for antwort, anzahl in antworten.most_common():
            print(f"  {anzahl} × {antwort}")
    finally:
        for ws in _OFFEN:
            ws.close()
        app.terminate()
        app.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    teil = parser.add_subparsers(dest="was", required=True)
    p = teil.add_parser("pruefen")
    p.add_argument("--mb", type=int, default=200)
    p.add_argument("--schreiben", action="store_true", help="übernehmen statt nur prüfen (der ganze Import)")
    u = teil.add_parser("uebernehmen")
    u.add_argument("--mb", type=int, nargs="+", default=[50, 200])
    u.add_argument("--duckdb", action="append", default=[], help="SQL auf der Schreibverbindung vorab (Versuch)")
    f = teil.add_parser("fremde")
    f.add_argument("--fremde", type=int, default=4)
    f.add_argument("--dateien", type=int, default=4)
    f.add_argument("--datei-mb", type=int, default=150)
    f.add_argument("--skript", default="server.py", help="server.py (mit Wächter) oder app.py (ohne)")
    args = parser.parse_args()
    {"pruefen": pruefen, "uebernehmen": uebernehmen, "fremde": fremde}[args.was](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
