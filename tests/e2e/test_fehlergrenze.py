"""No traceback reaches a browser (issue 12, item 1): an unexpected error in a page run started through server.py
shows a German message with a Kennung; the traceback is in the server log under that Kennung only."""

import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from sozialmonitor.daten import db

from test_browser import CHROMIUM, CHROMIUM_ARGS, PROJECT_ROOT, free_port, wait_until_healthy

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium fehlt (Debian: apt-get install chromium)")
KENNUNG = re.compile(r"F-\d{8}-\d{6}-[0-9a-f]{6}")


def start(script: str, cwd, env: dict, log_path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(log_path, "w", encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, server)
    except BaseException:
        server.terminate()
        raise
    return server, url


def shown_text(browser, url: str) -> str:
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector('[data-testid="stAlertContainer"], [data-testid="stException"]', timeout=60_000)
    page.wait_for_timeout(500)
    text = page.inner_text("body")
    page.close()
    return text


def test_unexpected_error_shows_german_message_and_kennung(tmp_path, demo_db):
    # 1. the mechanism: any exception in a script run by st.App(on_script_error=seite.fehler_anzeigen)
    (tmp_path / "seite.py").write_text(textwrap.dedent("""
        import streamlit as st
        st.write("vor dem Fehler")
        raise RuntimeError("/srv/geheim/pfad/zur/datei.duckdb")
    """), encoding="utf-8")
    (tmp_path / "dienst.py").write_text(textwrap.dedent("""
        import streamlit as st
        from sozialmonitor.oberflaeche import seite
        app = st.App("seite.py", on_script_error=seite.fehler_anzeigen)
    """), encoding="utf-8")
    shutil.copytree(PROJECT_ROOT / ".streamlit", tmp_path / ".streamlit")
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), HOME=str(tmp_path))
    # 2. the real app through server.py on a damaged database (a table missing): the home page fails mid-run
    damaged = tmp_path / "beschaedigt.duckdb"
    shutil.copyfile(demo_db, damaged)
    con = db.open_database(damaged, read_only=False)
    con.execute("DROP TABLE ziele CASCADE")
    con.close()

    servers = []
    try:
        servers.append(start("dienst.py", tmp_path, env, tmp_path / "dienst.log"))
        servers.append(start("server.py", PROJECT_ROOT, dict(env, SOZIALMONITOR_DB=str(damaged)),
                             tmp_path / "server.log"))
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            texts = [shown_text(browser, url) for _, url in servers]
            browser.close()
    finally:
        for server, _ in servers:
            server.terminate()
            server.wait(timeout=20)

    for text, log_name in zip(texts, ("dienst.log", "server.log")):
        log = (tmp_path / log_name).read_text(encoding="utf-8")
        assert "Traceback" not in text and 'File "' not in text, text
        assert "Kennung" in text and "Protokoll des Servers" in text, text
        [kennung] = KENNUNG.findall(text)
        assert kennung in log and "Traceback" in log.split(kennung, 1)[1], log
    assert "/srv/geheim" not in texts[0] and "RuntimeError" not in texts[0]
    assert "vor dem Fehler" in texts[0]
    assert all("unerwarteter Fehler" in text for text in texts)
    assert "Catalog Error" not in texts[1] and str(damaged) not in texts[1]  # DuckDB's text, the path: log only
