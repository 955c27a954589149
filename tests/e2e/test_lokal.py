"""The local sign-in (users with a password in the role table, no identity provider) in Debian's chromium, served
by server.py (the guard in front of Streamlit): a reload keeps the sign-in, a copy of the cookie works until
"Abmelden" and is a stranger afterwards, a raw websocket that resumes the Streamlit session with nothing but its id
is a stranger, and wrong passwords are slowed down, logged and shown on the page "Protokoll"."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_anmeldung import browser  # noqa: F401  (the module's chromium, a fixture)
from test_browser import CHROMIUM, PROJECT_ROOT, free_port, wait_until_healthy
from sozialmonitor.zugang import anmeldungen, rollen, verwaltung

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium fehlt")
PASSWORT = "lokales-passwort-vera"


@pytest.fixture(scope="module")
def lokale_app(demo_db, tmp_path_factory):
    """The app via server.py on a copy of the demo with a local Verwaltung user; yields (url, database)."""
    folder = tmp_path_factory.mktemp("lokal")
    database = folder / "sozialmonitor.duckdb"
    shutil.copyfile(demo_db, database)
    verwaltung.rolle_setzen(database, rollen.kommandozeile(), "vera", "Vera Verwaltung", "verwaltung", None,
                            "Test", passwort=PASSWORT)
    port = free_port()
    log = open(folder / "app.log", "w")
    app = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.maxUploadSize", "1"],  # 1 MB: the refusal of a too large file without a large file
        cwd=PROJECT_ROOT, env=dict(os.environ, SOZIALMONITOR_DB=str(database)), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, app)
        yield url, database
    finally:
        app.terminate()
        app.wait(timeout=20)
        log.close()


def warten(page):
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)


def anmelden(page, url: str, kennung: str = "vera", passwort: str = PASSWORT) -> str:
    page.goto(url)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Kennung").fill(kennung)
    form.get_by_label("Passwort").fill(passwort)
    form.get_by_role("button", name="Anmelden").click()
    page.locator('[data-testid="stSidebar"]').get_by_text("Datenstand").or_(
        page.get_by_text("Kennung oder Passwort ist falsch")).or_(
        page.get_by_text("Zu viele Fehlversuche")).first.wait_for(timeout=60_000)
    warten(page)
    return page.locator("body").inner_text()


def rollen_seite(page, url: str) -> str:
    page.goto(f"{url}/Rollen")
    page.get_by_text("Rolle setzen").or_(page.get_by_role("button", name="Anmelden")).first.wait_for(timeout=60_000)
    warten(page)
    return page.locator('[data-testid="stMain"]').inner_text()


def test_a_reload_keeps_the_sign_in_and_a_copied_cookie_dies_with_the_sign_out(browser, lokale_app):
    url, _ = lokale_app
    kontext = browser.new_context()
    page = kontext.new_page()
    assert "Vera Verwaltung · Verwaltung" in anmelden(page, url)
    cookie = [c for c in kontext.cookies() if c["name"] == anmeldungen.COOKIE]
    assert cookie and cookie[0]["httpOnly"] and cookie[0]["sameSite"] == "Strict"
    page.reload()
    page.locator('[data-testid="stSidebar"]').get_by_text("Vera Verwaltung · Verwaltung").wait_for(timeout=60_000)

    dieb = browser.new_context()  # another browser with a copy of every cookie
    dieb.add_cookies(kontext.cookies())
    fremd = dieb.new_page()
    assert "Rolle setzen" in rollen_seite(fremd, url)  # before the sign-out, a copy is as good as the original

    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Abmelden").click()
    page.get_by_role("button", name="Anmelden").wait_for(timeout=60_000)
    text = rollen_seite(fremd, url)
    assert "Rolle setzen" not in text and "Vera" not in text
    assert fremd.get_by_role("button", name="Anmelden").count() == 1
    dieb.close()
    kontext.close()


def _sitzungskennung(page) -> list[str]:
    """Collect the Streamlit session id the server sends in its first message (ForwardMsg new_session)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    gefunden: list[str] = []

    def frame(payload):
        if isinstance(payload, (bytes, bytearray)):
            msg = ForwardMsg()
            try:
                msg.ParseFromString(bytes(payload))
            except Exception:
                return
            if msg.WhichOneof("type") == "new_session" and msg.new_session.initialize.session_id:
                gefunden.append(msg.new_session.initialize.session_id)

    page.on("websocket", lambda ws: ws.on("framereceived", frame))
    return gefunden


def _roher_websocket(url: str, sitzung: str, seite: str) -> str:
    """What a client without cookie and password receives when it resumes a session by its id and asks for a
    page: every text of the ForwardMsgs of 15 seconds."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    texte = []
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    with connect(ws_url, subprotocols=["streamlit", "ohne-xsrf", sitzung], origin=url, open_timeout=20) as ws:
        back = BackMsg()
        back.rerun_script.query_string = ""
        back.rerun_script.page_name = seite
        ws.send(back.SerializeToString())
        ende = time.time() + 15
        while time.time() < ende:
            try:
                daten = ws.recv(timeout=max(0.1, ende - time.time()))
            except TimeoutError:
                break
            msg = ForwardMsg()
            msg.ParseFromString(daten)
            texte.append(str(msg))
            if msg.WhichOneof("type") == "script_finished":
                break
    return "\n".join(texte)


@pytest.mark.parametrize("link, seite, inhalt", [
    ("Rollen", "Rollen", "Rolle setzen"),
    # issue 21: the editor page of the Sozialindex definitions, replayed the same way
    ("Sozialindex bearbeiten", "Sozialindex_bearbeiten", "Was soll geschehen?"),
])
def test_a_raw_websocket_with_only_the_session_id_is_a_stranger(browser, lokale_app, link, seite, inhalt):
    url, _ = lokale_app
    kontext = browser.new_context()
    page = kontext.new_page()
    kennungen = _sitzungskennung(page)
    assert "Vera Verwaltung" in anmelden(page, url)
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=link).click()  # in the same session
    page.get_by_text(inhalt).first.wait_for(timeout=60_000)
    warten(page)
    assert kennungen
    page.close()  # the browser goes away; its signed-in session waits to be resumed
    text = _roher_websocket(url, kennungen[-1], seite)
    assert "Sozialmonitor – Anmeldung" in text  # the sign-in screen
    assert inhalt not in text and "Vera Verwaltung" not in text
    kontext.close()


def test_a_too_large_file_is_refused_in_german(browser, lokale_app, tmp_path):
    """Finding 9 of issue 23: the size limit spoke English ("File must be 200.0MB or smaller.")."""
    url, _ = lokale_app
    kontext = browser.new_context()
    page = kontext.new_page()
    anmelden(page, url)
    page.goto(f"{url}/Daten")
    page.get_by_text("Datei importieren").first.wait_for(timeout=60_000)
    gross = tmp_path / "gross.csv"
    gross.write_bytes(b"gebiet;indikator;zeitraum;zaehler;nenner;wert\n" + b"x" * (2 * 1024 * 1024))
    page.locator('.st-key-daten_datei input[type=file]').set_input_files(str(gross))
    page.get_by_text("Die Datei ist zu groß: höchstens 1 MB je Datei.").wait_for(timeout=30_000)
    assert "or smaller" not in page.locator("body").inner_text()
    kontext.close()


# last: its failures lock the account and this machine's address for the rest of the module


def test_wrong_passwords_are_slowed_logged_and_on_the_protokoll(browser, lokale_app):
    url, database = lokale_app
    kontext = browser.new_context()
    page = kontext.new_page()
    for _ in range(5):
        assert "Kennung oder Passwort ist falsch" in anmelden(page, url, "vera", "falsch-geraten-123")
    text = anmelden(page, url, "vera", PASSWORT)  # even the right password waits now
    assert "Zu viele Fehlversuche" in text and "Vera Verwaltung · Verwaltung" not in text
    versuche = anmeldungen.Anmeldungen(anmeldungen.ablage_pfad(database)).versuche()
    assert (versuche["kennung"].eq("vera") & versuche["ergebnis"].str.startswith("falsch")).sum() == 5
    assert "falsch-geraten" not in versuche.to_csv()
    log = (Path(database).parent / "app.log").read_text()
    assert "falsches Passwort" in log and "falsch-geraten" not in log and PASSWORT not in log
    kontext.close()
