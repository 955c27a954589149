"""Several processes (issue 12, item 5): 3 Streamlit processes (server.py) on 127.0.0.1 behind nginx (Debian's
package, run unprivileged in the foreground with the site from sozialmonitor/betrieb/nginx.py) serve one published
database. 20 browser sessions load the Übersicht while imports publish new versions: 0 errors, no page mixes two
versions, each session stays with one process (sticky cookie, websocket through nginx), and after the last import
every process serves the newest version."""

import shutil
import threading
import time
from collections import defaultdict

import pytest

from sozialmonitor import importer
from sozialmonitor.daten import db
from sozialmonitor.zugang import rollen, verwaltung
from sozialmonitor.betrieb import nginx, verbund

from sitzungen import CHROMIUM, sitzungen

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium fehlt (Debian: apt-get install chromium)"),
    pytest.mark.skipif(shutil.which("nginx") is None and not verbund.Path(verbund.NGINX).exists(),
                       reason="nginx fehlt (Debian: apt-get install nginx)"),
]
SITZUNGEN, RUNDEN = 20, 2


def stand(path) -> tuple[int, int, int]:
    """(newest batch number, observations, imports not undone) of the published file."""
    con = db.connect_read_only(path)
    try:
        return tuple(con.execute("SELECT (SELECT max(import_id) FROM importe), (SELECT count(*) FROM beobachtungen), "
                                 "(SELECT count(*) FROM importe WHERE rueckgaengig_durch IS NULL)").fetchall()[0])
    finally:
        con.close()


def test_three_processes_behind_nginx_twenty_sessions_during_imports(demo_db, tmp_path):
    live = tmp_path / "live.duckdb"
    shutil.copyfile(demo_db, live)
    # behind a proxy the app serves nobody without sign-in (issue 23): a local user, each session signs in
    verwaltung.rolle_setzen(live, rollen.kommandozeile(), "leser", "Lea Leser", "betrachter", None, "Test",
                            passwort="leser-passwort-123")
    nr0, werte0, importe0 = stand(live)
    veroeffentlicht, import_fehler = [nr0], []
    stop = threading.Event()

    def importieren() -> None:
        """Publish new versions back to back (each one more observation, one more batch) while the pages run."""
        while not stop.is_set():
            k = len(veroeffentlicht)
            data = f"gebiet;indikator;zeitraum;zaehler;nenner;wert\n16065001;familienlotsen;{2100 + k};;;{k}\n"
            try:
                veroeffentlicht.append(importer.run(live, "observations", data.encode(), f"lauf_{k}.csv",
                                                           person=rollen.kommandozeile()).import_id)
            except Exception as exc:  # reported by the test
                import_fehler.append(repr(exc))
                return

    thread = threading.Thread(target=importieren, daemon=True)

    def waehrend(runde: int, sitzung: int) -> None:
        if (runde, sitzung) == (0, 0):
            thread.start()  # the first round loads while imports publish
        elif (runde, sitzung) == (RUNDEN - 1, 0):
            # at least two imports published during the rounds (an import takes longer since the protection step
            # models every relation, issue 19: the sessions no longer outlast two of them by themselves)
            frist = time.monotonic() + 300
            while len(veroeffentlicht) < 3 and not import_fehler and time.monotonic() < frist:
                time.sleep(0.5)
            stop.set()  # the last round reads after the last import
            thread.join(timeout=300)

    with verbund.verbund(3, live) as laufend:
        aufrufe, cookies = sitzungen(laufend.url, SITZUNGEN, RUNDEN, waehrend=waehrend,
                                     anmeldung=("leser", "leser-passwort-123"))
        zugriffe = laufend.zugriffe()
        nginx_fehler = (laufend.access_log.parent / "error.log").read_text(errors="replace")
        ports = {f"127.0.0.1:{p.port}" for p in laufend.prozesse}

    assert not import_fehler, import_fehler
    assert len(veroeffentlicht) >= 3, "imports published while the sessions ran"
    # 0 errors
    fehler = [(a.sitzung, a.runde, a.fehler) for a in aufrufe if a.fehler]
    assert not fehler, fehler
    assert len(aufrufe) == SITZUNGEN * RUNDEN
    assert not [z for z in zugriffe if z["status"] >= 500], "no 5xx from nginx"
    assert "[error]" not in nginx_fehler and "[crit]" not in nginx_fehler, nginx_fehler
    # no mixed versions: the marker (page_frame's read) and the figures (app.py's read) belong to one version
    for a in aufrufe:
        assert a.fassung in veroeffentlicht, (a, veroeffentlicht)
        schritte = veroeffentlicht.index(a.fassung)
        assert (a.werte - werte0, a.importe - importe0) == (schritte, schritte), a
    # all processes pick up a new version: the last round shows the newest everywhere
    assert {a.fassung for a in aufrufe if a.runde == RUNDEN - 1} == {veroeffentlicht[-1]}
    # sticky: every browser session (cookie) reached one process only, websocket included; all sessions spread
    assert all(any(c["name"] == nginx.COOKIE for c in jar) for jar in cookies)
    prozess_je_sitzung = defaultdict(set)
    websockets = set()
    for z in zugriffe:
        prozess_je_sitzung[z["sitzung"]].add(z["prozess"])
        if z["pfad"].startswith("/_stcore/stream"):
            websockets.add(z["sitzung"])
    schluessel = {c["value"] for jar in cookies for c in jar if c["name"] == nginx.COOKIE}
    assert schluessel <= websockets, "every session's websocket went through nginx"
    assert all(len(prozess_je_sitzung[s]) == 1 for s in schluessel), {s: prozess_je_sitzung[s] for s in schluessel}
    benutzt = set().union(*(prozess_je_sitzung[s] for s in schluessel))
    assert benutzt <= ports and len(benutzt) >= 2, benutzt
