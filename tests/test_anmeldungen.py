"""Sign-in sessions bound to the browser (zugang.anmeldungen) and the guard in front of Streamlit
(oberflaeche.waechter): a signed cookie that sign-out revokes, lifetime and idle time, slowed guessing recorded without
the password, no service to other machines without sign-in, uploads and metrics only for a signed-in person.
In the browser against the real OIDC provider and the local mode: tests/e2e/test_anmeldung.py, test_lokal.py."""

import asyncio

import pytest

from sozialmonitor.oberflaeche import waechter
from sozialmonitor.zugang import anmeldungen, rollen

BERND = rollen.Person("bernd", "Bernd Bearbeiter", "bearbeiter", anmeldung="lokal")
BEA = rollen.Person("bea", "Bea Betrachter", "betrachter", anmeldung="lokal")


@pytest.fixture
def ablage(tmp_path):
    return anmeldungen.Anmeldungen(tmp_path / "db.duckdb.anmeldungen.sqlite")


# ---------------------------------------------------------------- sessions

def test_a_session_is_valid_until_signed_out_and_a_copy_is_then_a_stranger(ablage):
    wert = ablage.anlegen("lokal", "bernd", name="Bernd", jetzt=1000.0)
    kopie = str(wert)
    assert ablage.pruefen(wert, jetzt=1001.0).kennung == "bernd"
    assert ablage.pruefen(kopie, jetzt=1002.0).kennung == "bernd"  # the same browser after a reload
    assert ablage.widerrufen(wert, jetzt=1003.0).kennung == "bernd"
    assert ablage.pruefen(kopie, jetzt=1004.0) is None


def test_a_forged_or_missing_cookie_is_a_stranger(ablage, tmp_path):
    wert = ablage.anlegen("lokal", "bernd")
    token, _, signatur = wert.rpartition(".")
    assert ablage.pruefen(None) is None and ablage.pruefen("") is None
    assert ablage.pruefen(token) is None  # the token without signature
    assert ablage.pruefen(token + "." + "0" * len(signatur)) is None
    andere = anmeldungen.Anmeldungen(tmp_path / "andere.sqlite")  # another server's key
    assert andere.pruefen(andere.anlegen("lokal", "bernd")) is not None
    assert ablage.pruefen(andere.anlegen("lokal", "bernd")) is None


def test_lifetime_and_idle_time_end_a_session(tmp_path):
    ablage = anmeldungen.Anmeldungen(tmp_path / "a.sqlite",
                                   anmeldungen.einstellungen({"sitzung_stunden": 1, "leerlauf_minuten": 10}))
    wert = ablage.anlegen("lokal", "bernd", jetzt=0.0)
    for minute in range(1, 60, 9):  # used every 9 minutes: never idle
        assert ablage.pruefen(wert, jetzt=minute * 60.0) is not None, minute
    assert ablage.pruefen(wert, jetzt=3601.0) is None  # the lifetime is over
    ruhend = ablage.anlegen("lokal", "bernd", jetzt=0.0)
    assert ablage.pruefen(ruhend, jetzt=601.0) is None  # 10 minutes without a page run
    assert ablage.pruefen(ruhend, jetzt=602.0) is None  # and stays ended


def test_the_session_settings_are_checked():
    assert anmeldungen.einstellungen(None) == anmeldungen.STANDARD | {"fehlversuche": 5}
    with pytest.raises(ValueError, match="leerlauf_minuten"):
        anmeldungen.einstellungen({"leerlauf_minuten": "nie"})


def test_a_new_sign_in_with_other_claims_revokes_the_old_sessions_of_that_person(ablage):
    alt = ablage.anlegen("oidc", "bernd@kreis.example", claims={"iss": "op", "sub": "b", "groups": ["bearbeiten"]})
    gleich = ablage.anlegen("oidc", "bernd@kreis.example", claims={"iss": "op", "sub": "b", "groups": ["bearbeiten"],
                                                                    "iat": 5})
    assert ablage.pruefen(alt) is not None  # a second tab with the same groups stays
    neu = ablage.anlegen("oidc", "bernd@kreis.example", claims={"iss": "op", "sub": "b", "groups": []})
    assert ablage.pruefen(alt) is None and ablage.pruefen(gleich) is None  # group removed: the old role is gone
    assert ablage.pruefen(neu).claims["groups"] == []


def test_a_ticket_is_good_once_and_briefly(ablage):
    wert = ablage.anlegen("lokal", "bernd")
    ticket = ablage.ticket(wert, jetzt=100.0)
    assert ablage.einloesen(ticket, jetzt=101.0) == wert
    assert ablage.einloesen(ticket, jetzt=102.0) is None
    spaet = ablage.ticket(wert, jetzt=100.0)
    assert ablage.einloesen(spaet, jetzt=100.0 + anmeldungen.TICKET_SEKUNDEN + 1) is None
    assert ablage.einloesen("erfunden") is None


# ---------------------------------------------------------------- guessing

def test_guessing_is_slowed_per_account_and_per_address_and_logged_without_the_password(ablage, caplog):
    anmeldungen.LOGGER.addHandler(caplog.handler)
    try:
        for i in range(5):
            assert ablage.wartezeit("vera", "10.0.0.9", jetzt=100.0 + i) == 0
            ablage.versuch("lokal", "vera", "10.0.0.9", "falsch", jetzt=100.0 + i)
    finally:
        anmeldungen.LOGGER.removeHandler(caplog.handler)
    assert ablage.wartezeit("vera", "10.0.0.1", jetzt=105.0) == pytest.approx(29.0)  # the account, from anywhere
    assert ablage.wartezeit("VERA", "10.0.0.1", jetzt=105.0) == pytest.approx(29.0)
    assert ablage.wartezeit("bernd", "10.0.0.9", jetzt=105.0) == pytest.approx(29.0)  # the address, any account
    assert ablage.wartezeit("bernd", "10.0.0.1", jetzt=105.0) == 0
    assert ablage.wartezeit("vera", "10.0.0.9", jetzt=134.0) == 0
    ablage.versuch("lokal", "vera", "10.0.0.9", "falsch", jetzt=134.0)
    assert ablage.wartezeit("vera", "10.0.0.9", jetzt=134.0) == pytest.approx(60.0)  # doubled
    assert ablage.wartezeit("vera", "10.0.0.9", jetzt=134.0 + 15 * 60 + 1) == 0  # the window passed
    assert "falsches Passwort" in caplog.text and "'vera'" in caplog.text and "10.0.0.9" in caplog.text
    tabelle = ablage.versuche()
    assert list(tabelle.columns) == ["zeitpunkt", "art", "kennung", "adresse", "ergebnis"]
    assert len(tabelle) == 6 and set(tabelle["ergebnis"]) == {"falsches Passwort oder unbekannte Kennung"}


# ---------------------------------------------------------------- the guard in front of Streamlit

class Lage(waechter.Lage):
    def __init__(self, art, ablage, personen=None, max_mb=200):
        super().__init__(art=lambda: art, ablage=lambda: ablage,
                         person=lambda sitzung: (personen or {}).get(sitzung.kennung),
                         max_upload_mb=lambda: max_mb, laptop_person=lambda: rollen.ohne_anmeldung(True))


def rufen(middleware, pfad="/", methode="GET", headers=None, client=("127.0.0.1", 5000), art="http",
          koerper=b"", query=b""):
    """One request through the middleware; returns (status, body text, headers, whether the app was reached,
    bytes of the body the app read)."""
    erreicht, gelesen, gesendet = [], [], []

    async def app(scope, receive, send):
        erreicht.append(scope["path"])
        if scope["type"] == "http":
            nachricht = await receive()
            gelesen.append(len(nachricht.get("body", b"")))
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"Daten"})

    async def receive():
        return {"type": "http.request", "body": koerper, "more_body": False}

    async def send(message):
        gesendet.append(message)

    middleware.app = app
    scope = {"type": art, "path": pfad, "method": methode, "client": client, "scheme": "http",
             "query_string": query,
             "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {"host": "127.0.0.1:8501"}).items()]}
    asyncio.run(middleware(scope, receive, send))
    start = next((m for m in gesendet if m["type"] in ("http.response.start", "websocket.close")), {})
    body = b"".join(m.get("body", b"") for m in gesendet if m["type"] == "http.response.body").decode()
    return start.get("status", start.get("code")), body, dict(start.get("headers", [])), bool(erreicht), sum(gelesen)


LOKAL = {"host": "127.0.0.1:8501"}


@pytest.mark.parametrize("headers", [
    {"host": "sozialmonitor.kreis.example"},
    {"host": "127.0.0.1:8501", "origin": "http://sozialmonitor.kreis.example"},
    {"host": "127.0.0.1:8501", "x-forwarded-for": "127.0.0.1"},  # a proxy saying 'local' is still a proxy
    {"host": "127.0.0.1:8501", "forwarded": "for=10.1.2.3"},
    {"host": "127.0.0.1:8501", "x-real-ip": "10.1.2.3"},
    {"host": "127.0.0.1:8501", "x-forwarded-host": "sozialmonitor.kreis.example"},
    {"host": "127.0.0.1:8501", "x-forwarded-proto": "https"},
], ids=["host", "origin", "xff-lokal", "forwarded", "x-real-ip", "x-forwarded-host", "x-forwarded-proto"])
@pytest.mark.parametrize("art", ["http", "websocket"])
def test_without_sign_in_only_this_machine_is_served(ablage, headers, art):
    status, text, _, erreicht, _ = rufen(waechter.Waechter(None, Lage("ohne", ablage)), headers=headers, art=art)
    assert not erreicht
    assert status == (403 if art == "http" else 1008)
    if art == "http":
        assert "Ohne Anmeldung zeigt der Sozialmonitor nur auf dem Rechner Daten" in text


def test_without_sign_in_this_machine_is_served_and_a_foreign_peer_is_not(ablage):
    middleware = waechter.Waechter(None, Lage("ohne", ablage))
    assert rufen(middleware, headers={"host": "localhost:8501", "origin": "http://localhost:8501"})[3]
    assert not rufen(middleware, client=("10.0.0.5", 5000))[3]


def test_metrics_and_uploads_need_a_signed_in_person(ablage):
    middleware = waechter.Waechter(None, Lage("lokal", ablage, {"bernd": BERND, "bea": BEA}))
    status, text, _, erreicht, _ = rufen(middleware, "/_stcore/metrics")
    assert (status, erreicht) == (403, False) and "Anmeldung" in text
    bernd = {"host": "127.0.0.1:8501", "cookie": f"{anmeldungen.COOKIE}={ablage.anlegen('lokal', 'bernd')}"}
    assert rufen(middleware, "/_stcore/metrics", headers=bernd)[3]
    upload = "/_stcore/upload_file/sitzung-1/datei-1"
    for headers in (LOKAL, {"host": "127.0.0.1:8501", "cookie": f"{anmeldungen.COOKIE}={ablage.anlegen('lokal', 'bea')}"}):
        status, text, _, erreicht, gelesen = rufen(middleware, upload, "PUT", dict(headers, **{"content-length": "5"}),
                                                   koerper=b"x" * 5)
        assert (status, erreicht, gelesen) == (403, False, 0) and "Bearbeiter" in text
    status, _, _, erreicht, gelesen = rufen(middleware, upload, "PUT", dict(bernd, **{"content-length": "5"}),
                                            koerper=b"x" * 5)
    assert erreicht and gelesen == 5


def test_a_too_large_upload_is_refused_in_german_before_it_is_read(ablage):
    gehalten = {"s1": 150 * waechter.MB}
    middleware = waechter.Waechter(None, Lage("lokal", ablage, {"bernd": BERND}),
                                   gehalten=lambda s: gehalten.get(s, 0) if s else sum(gehalten.values()))
    bernd = {"host": "127.0.0.1:8501", "cookie": f"{anmeldungen.COOKIE}={ablage.anlegen('lokal', 'bernd')}"}
    status, text, _, erreicht, _ = rufen(middleware, "/_stcore/upload_file/s2/d", "PUT",
                                         dict(bernd, **{"content-length": str(201 * waechter.MB)}))
    assert (status, erreicht) == (413, False) and "höchstens 200 MB je Datei" in text
    status, text, _, erreicht, _ = rufen(middleware, "/_stcore/upload_file/s1/d", "PUT",
                                         dict(bernd, **{"content-length": str(60 * waechter.MB)}))
    assert (status, erreicht) == (413, False) and "In dieser Sitzung" in text
    gehalten.update({"s3": 190 * waechter.MB})
    status, text, _, erreicht, _ = rufen(middleware, "/_stcore/upload_file/s2/d", "PUT",
                                         dict(bernd, **{"content-length": str(100 * waechter.MB)}))
    assert (status, erreicht) == (413, False) and "andere" in text
    status, text, _, erreicht, _ = rufen(middleware, "/_stcore/upload_file/s2/d", "PUT", dict(bernd))
    assert (status, erreicht) == (411, False)


def test_the_sign_in_route_sets_a_strict_httponly_cookie_once(ablage):
    middleware = waechter.Waechter(None, Lage("lokal", ablage, {"bernd": BERND}))
    wert = ablage.anlegen("lokal", "bernd")
    ticket = ablage.ticket(wert)
    status, _, headers, erreicht, _ = rufen(middleware, waechter.ANMELDUNG_PFAD,
                                            query=f"ticket={ticket}&weiter=/Daten".encode())
    assert (status, erreicht, headers[b"location"]) == (303, False, b"/Daten")
    cookie = headers[b"set-cookie"].decode()
    assert cookie.startswith(f"{anmeldungen.COOKIE}={wert};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    assert rufen(middleware, waechter.ANMELDUNG_PFAD, query=f"ticket={ticket}".encode())[0] == 400  # used
    ticket = ablage.ticket(wert)
    tls = dict(LOKAL, **{"x-forwarded-proto": "https"})
    _, _, headers, _, _ = rufen(middleware, waechter.ANMELDUNG_PFAD, headers=tls,
                                query=f"ticket={ticket}&weiter=//boese.example".encode())
    assert headers[b"location"] == b"/" and "Secure" in headers[b"set-cookie"].decode()
    status, _, headers, _, _ = rufen(middleware, waechter.ABMELDUNG_PFAD,
                                     headers=dict(LOKAL, cookie=f"{anmeldungen.COOKIE}={wert}"))
    assert status == 303 and "Max-Age=0" in headers[b"set-cookie"].decode()
    assert ablage.pruefen(wert) is None


def test_local_users_satisfy_the_start_check_on_a_network_address(demo_db, tmp_path):
    """Finding 9 of issue 23: local users counted as sign-in in the docs, yet server.py refused 0.0.0.0. Now the
    start reads the role table: with a local user the app starts on every address (and asks everyone for the
    password); the guard then serves no data to a visitor without the cookie."""
    import os
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    from conftest import ROOT
    from sozialmonitor.zugang import verwaltung

    database = tmp_path / "sozialmonitor.duckdb"
    shutil.copyfile(demo_db, database)
    verwaltung.rolle_setzen(database, rollen.kommandozeile(), "vera", "Vera", "verwaltung", None, "Test",
                            passwort="vera-passwort-123")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.address", "0.0.0.0", "--server.port",
         str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=dict(os.environ, HOME=str(tmp_path), SOZIALMONITOR_DB=str(database)),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(120):
            assert app.poll() is None, app.stdout.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as antwort:
                    assert antwort.status == 200
                    break
            except (urllib.error.URLError, OSError):  # not listening yet, or still starting
                time.sleep(1)
        else:
            pytest.fail("server.py did not start")
        with pytest.raises(urllib.error.HTTPError) as abgewiesen:  # the server's figures: only after sign-in
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=10)
        assert abgewiesen.value.code == 403
    finally:
        app.terminate()
        app.wait(timeout=30)
