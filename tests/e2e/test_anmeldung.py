"""Sign-in through a REAL OpenID Connect provider (the npm package oidc-provider, tests/oidc/, started here on
127.0.0.1) and Streamlit's own OIDC (st.login, [auth] in a secrets.toml), driven in Debian's chromium: what each
role reaches. A Betrachter gets no link, no widget and – opened by URL – no content of the editor pages (Daten with
import, undo and history; Ziele bearbeiten; Protokoll; Rollen); a Bearbeiter imports, edits a target with a reason
and finds their real name in the Protokoll; Verwaltung gives roles; a person restricted to Sozialraum SR2 sees only
its areas; nobody signed in sees the sign-in button and no data. Served by server.py (the guard): a copy of the
cookies is a stranger after "Abmelden", a group removed at the provider takes the role away from every copy, and an
unverified e-mail never takes over another person's role-table entry (issue 23). Screenshots go to
SOZIALMONITOR_SCREENS (a folder) when set, else to the test's temp folder."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_browser import CHROMIUM, CHROMIUM_ARGS, PROJECT_ROOT, free_port, wait_until_healthy
from sozialmonitor.zugang import rollen, verwaltung

OIDC_DIR = PROJECT_ROOT / "tests" / "oidc"
NODE = shutil.which("node")
EDITOR_PAGES = {"Daten": "Daten", "Ziele_bearbeiten": "Ziele bearbeiten",
                "Sozialindex_bearbeiten": "Sozialindex bearbeiten", "Protokoll": "Protokoll", "Rollen": "Rollen"}

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium fehlt (Debian: apt-get install chromium)"),
    pytest.mark.skipif(NODE is None, reason="node fehlt (Debian: apt-get install nodejs npm) – nötig für den "
                                            "OIDC-Anbieter des Tests"),
]

SECRETS = """
[auth]
redirect_uri = "http://127.0.0.1:{app}/oauth2callback"
cookie_secret = "nur-fuer-den-test-0123456789abcdef0123456789"
client_id = "sozialmonitor"
client_secret = "test-geheimnis-nur-fuer-den-test"
server_metadata_url = "http://127.0.0.1:{op}/.well-known/openid-configuration"
client_kwargs = {{ scope = "openid email profile groups", prompt = "login" }}

[zugang]
rollen_claim = "groups"
gebiet_claim = "gebiet"

[zugang.gruppen]
"sozialmonitor-lesen" = "betrachter"
"sozialmonitor-bearbeiten" = "bearbeiter"
"sozialmonitor-verwaltung" = "verwaltung"
"""


GRUPPEN: dict = {}


@pytest.fixture(scope="module")
def screens(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("SOZIALMONITOR_SCREENS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def signed_in_app(demo_db, tmp_path_factory):
    """The OIDC provider and the app (server.py, on a copy of the demo database with a role-table entry for
    paula@kreis.example) on free loopback ports; yields the app URL. The provider's groups can be changed through
    the file in GRUPPEN (see tests/oidc/server.mjs)."""
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        pytest.fail("tests/oidc/node_modules fehlt: scripts/test.sh installiert ihn (npm ci in tests/oidc).")
    folder = tmp_path_factory.mktemp("anmeldung")
    database = folder / "db" / "sozialmonitor.duckdb"
    database.parent.mkdir()
    shutil.copyfile(demo_db, database)
    verwaltung.rolle_setzen(database, rollen.kommandozeile(), "paula@kreis.example", "Paula Planer", "bearbeiter",
                            None, "Sozialplanung")
    GRUPPEN["datei"] = folder / "gruppen.json"
    op_port, app_port = free_port(), free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(SECRETS.format(app=app_port, op=op_port), encoding="utf-8")
    provider_log = open(folder / "oidc.log", "w")  # the provider's warnings (development keys, Node version)
    provider = subprocess.Popen([NODE, "server.mjs", str(op_port), f"http://127.0.0.1:{app_port}/oauth2callback"],
                                cwd=OIDC_DIR, stdout=subprocess.PIPE, stderr=provider_log, text=True,
                                env=dict(os.environ, GRUPPEN_DATEI=str(GRUPPEN["datei"])))
    app, app_log = None, open(folder / "app.log", "w")
    try:
        assert provider.stdout.readline().strip() == "bereit", (folder / "oidc.log").read_text()
        app = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(app_port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--secrets.files", str(secrets)],
            cwd=PROJECT_ROOT, env=dict(os.environ, SOZIALMONITOR_DB=str(database)),
            stdout=app_log, stderr=subprocess.STDOUT, text=True)
        url = f"http://127.0.0.1:{app_port}"
        wait_until_healthy(url, app)
        yield url
    finally:
        for process in (app, provider):
            if process is not None:
                process.terminate()
                process.wait(timeout=20)
        provider_log.close()
        app_log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def sign_in(browser, url: str, login: str):
    """A fresh browser (no cookies) through the whole code flow: the app's button, the provider's login form and
    consent, back to the app. Returns the page, on the home page, with the sidebar drawn."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(url)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/interaction/**", timeout=30_000)
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "beliebig")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if "/interaction/" in page.url:  # the provider asks for consent once per client and session
        page.click("button[type=submit]")
    page.wait_for_url(f"{url}/**", timeout=30_000)
    sidebar(page)
    return page


def sidebar(page) -> str:
    side = page.locator('[data-testid="stSidebar"]')
    side.get_by_text("Datenstand").wait_for(timeout=60_000)
    return side.inner_text()


def protokoll_csv(page) -> str:
    """The Protokoll as the page exports it (every column apart; the page's table joins Kennung and Anmeldung)."""
    with page.expect_download() as download:
        page.get_by_role("button", name="Als CSV", exact=True).click()
    return Path(download.value.path()).read_text(encoding="utf-8-sig")


def open_page(page, url: str, path: str) -> str:
    """Open a page by its URL and return the main area's text once the page ran."""
    page.goto(f"{url}/{path}")
    page.locator('[data-testid="stSidebar"]').get_by_text("Datenstand").or_(
        page.get_by_text("darf erst die Rolle")).first.wait_for(timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    # in a browser of another language the page runs once more right after (the German date picker, deutsch.js)
    page.wait_for_timeout(700)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    return page.locator('[data-testid="stMain"]').inner_text()


def test_without_sign_in_only_the_sign_in_button(browser, signed_in_app, screens):
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    for path in ("", "Karte", "Daten", "Protokoll"):
        page.goto(f"{signed_in_app}/{path}")
        page.get_by_role("button", name="Anmelden").wait_for(timeout=60_000)
        text = page.locator("body").inner_text()
        assert "Datenstand" not in text and "Importverlauf" not in text and "Demodaten" not in text
    page.screenshot(path=str(screens / "anmeldung_ohne.png"))


def test_betrachter_gets_neither_links_nor_pages_of_editors(browser, signed_in_app, screens):
    page = sign_in(browser, signed_in_app, "betrachter")
    side = sidebar(page)
    assert "Bea Betrachter · Betrachter" in side
    for label in EDITOR_PAGES.values():
        assert label not in side.splitlines(), f"Link „{label}“ für Betrachter"
    page.screenshot(path=str(screens / "betrachter_uebersicht.png"))
    for path in EDITOR_PAGES:
        text = open_page(page, signed_in_app, path)
        assert "Bea Betrachter ist Betrachter" in text and "darf erst die Rolle" in text, path
        assert page.locator('[data-testid="stFileUploader"]').count() == 0
        # no history, no Protokoll, no roles (interactive grids or HTML tables)
        assert page.locator('[data-testid="stMain"] [data-testid="stDataFrame"], '
                            '[data-testid="stMain"] [data-testid="stTable"]').count() == 0
        assert page.locator('[data-testid="stForm"]').count() == 0
        assert page.get_by_role("heading", name="Importverlauf").count() == 0
        assert page.locator('[data-testid="stMain"] [data-testid="stButton"]').count() == 0  # no undo, no save
    page.screenshot(path=str(screens / "betrachter_daten_per_url.png"))
    text = open_page(page, signed_in_app, "Zielerreichung")
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=120_000)
    # earlier versions of the targets are for Bearbeiter and Verwaltung only (commit 8009ca4)
    assert page.locator('[data-testid="stSidebar"]').get_by_text("Stand der Ziele am").count() == 0
    page.screenshot(path=str(screens / "betrachter_zielerreichung.png"), full_page=True)


def test_bearbeiter_edits_a_target_and_finds_their_name_in_the_protokoll(browser, signed_in_app, screens):
    page = sign_in(browser, signed_in_app, "bearbeiter")
    side = sidebar(page)
    assert "Bernd Bearbeiter · Bearbeiter" in side
    assert "Rollen" not in side.splitlines()
    open_page(page, signed_in_app, "Daten")
    # the page may run once more (a browser of another language: the German date picker, deutsch.js): wait for it
    page.get_by_text("Datei importieren").first.wait_for(timeout=60_000)
    page.get_by_text("Importverlauf").first.wait_for(timeout=60_000)
    page.screenshot(path=str(screens / "bearbeiter_daten.png"), full_page=True)

    open_page(page, signed_in_app, "Ziele_bearbeiten")
    form = page.locator('[data-testid="stForm"]')
    threshold = form.get_by_role("textbox", name="Schwelle (in der Einheit des Indikators)")
    threshold.fill("6.50")
    form.get_by_label("Grund der Änderung (Pflicht, steht im Protokoll)").fill("Beschluss des Kreistags vom 12.11.")
    form.get_by_role("button", name="Speichern").click()
    page.get_by_text("geändert (Eintrag").wait_for(timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    page.screenshot(path=str(screens / "bearbeiter_ziel_geaendert.png"), full_page=True)

    open_page(page, signed_in_app, "Protokoll")
    page.wait_for_selector('[data-testid="stTable"]', timeout=60_000)  # an HTML table: every cell readable
    page.screenshot(path=str(screens / "bearbeiter_protokoll.png"), full_page=True)
    sichtbar = page.locator('[data-testid="stTable"]').first.inner_text()
    assert "Bernd Bearbeiter" in sichtbar and "Beschluss des Kreistags vom 12.11." in sichtbar
    table = protokoll_csv(page)
    assert "Bernd Bearbeiter;Ziel geändert;Beschluss des Kreistags vom 12.11." in table, table
    zeile = next(z for z in table.splitlines() if "Bernd Bearbeiter;Ziel geändert" in z)
    assert "bernd@kreis.example" in zeile and "root" not in zeile  # the signed-in person, not the OS account
    page.get_by_role("button", name="Als Excel", exact=True).wait_for(timeout=30_000)

    text = open_page(page, signed_in_app, "Rollen")
    assert "Bernd Bearbeiter ist Bearbeiter" in text and page.locator('[data-testid="stForm"]').count() == 0


def test_verwaltung_gives_a_role_with_a_reason(browser, signed_in_app, screens):
    page = sign_in(browser, signed_in_app, "verwaltung")
    assert "Vera Verwaltung · Verwaltung" in sidebar(page)
    open_page(page, signed_in_app, "Rollen")
    form = page.locator('[data-testid="stForm"]').first
    form.get_by_label("Kennung (E-Mail-Adresse beim Identitätsanbieter oder Anmeldename)").fill("fritz@anderswo.example")
    form.get_by_label("Name", exact=True).fill("Fritz Fremd")
    form.get_by_label("Grund (Pflicht, steht im Protokoll)").fill("Vertretung im Jugendamt")
    form.get_by_role("button", name="Speichern").click()
    page.get_by_text("Gespeichert – fritz").wait_for(timeout=60_000)  # shown as text (a word joiner before @)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    page.screenshot(path=str(screens / "verwaltung_rollen.png"), full_page=True)
    open_page(page, signed_in_app, "Protokoll")
    page.wait_for_selector('[data-testid="stTable"]', timeout=60_000)
    table = protokoll_csv(page)
    assert "Vera Verwaltung;Rolle gesetzt;Vertretung im Jugendamt" in table, table
    assert "Vera Verwaltung" in table and "Vertretung im Jugendamt" in table


def test_a_person_restricted_to_one_sozialraum_sees_only_its_areas(browser, signed_in_app, screens):
    page = sign_in(browser, signed_in_app, "gemeinde")
    assert "Gero Gemeinde · Betrachter · nur SR2" in sidebar(page)
    page.goto(f"{signed_in_app}/Zielerreichung?ziel=3.1-jugendarbeitslosigkeit")
    page.wait_for_selector(".sm-karte[data-bereit='1'] .maplibregl-canvas", timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    text = page.locator('[data-testid="stMain"]').inner_text()
    drawn = page.evaluate("() => document.querySelector('.sm-karte').karte.points.map(p => p.properties.code)")
    page.screenshot(path=str(screens / "gemeinde_zielerreichung.png"), full_page=True)
    assert drawn == ["SR2"]
    assert "Artern" in text and "Kyffhäuserkreis" in text
    for other in ("Roßleben-Wiehe", "Sondershausen", "Bad Frankenhausen", "Greußen", "Ebeleben"):
        assert other not in text, other


def abmelden(page, url: str) -> None:
    """'Abmelden' in the sidebar: the app ends its session, the provider asks to confirm its own sign-out."""
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/session/end**", timeout=60_000)  # the provider's own sign-out asks once
    page.click("button[name=logout][value=yes]")
    page.get_by_role("button", name="Anmelden").wait_for(timeout=60_000)


def _daten_als(page, url: str) -> str:
    """Open the Daten page; the main area's text once the page ran (the sign-in screen for a stranger)."""
    page.goto(f"{url}/Daten")
    page.get_by_text("Datei importieren").or_(page.get_by_role("button", name="Anmelden")).or_(
        page.get_by_text("darf erst die Rolle")).first.wait_for(timeout=60_000)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=60_000)
    return page.locator("body").inner_text()


def test_a_copied_cookie_is_a_stranger_after_sign_out(browser, signed_in_app, screens):
    """Finding 1 of issue 23: a copy of Streamlit's sign-in cookie opened the Daten page as Bearbeiter after
    "Abmelden" (for 30 days). Now the session record of that sign-in is revoked."""
    page = sign_in(browser, signed_in_app, "bearbeiter")
    dieb = browser.new_context(viewport={"width": 1400, "height": 900})
    dieb.add_cookies(page.context.cookies())
    kopie = dieb.new_page()
    assert "Datei importieren" in _daten_als(kopie, signed_in_app)  # before the sign-out: as good as the original
    abmelden(page, signed_in_app)
    text = _daten_als(kopie, signed_in_app)
    kopie.screenshot(path=str(screens / "kopie_nach_abmelden.png"))
    assert "Datei importieren" not in text and "Bernd" not in text and "Datenstand" not in text
    assert kopie.get_by_role("button", name="Anmelden").count() == 1
    dieb.close()


def test_a_group_removed_at_the_provider_takes_the_role_from_every_copy(browser, signed_in_app):
    """Finding 1 of issue 23: after the provider removed the person's group, a copy still opened Daten as
    Bearbeiter. The next sign-in reads the groups anew and ends the sessions that carry the old ones."""
    page = sign_in(browser, signed_in_app, "wechsel")
    assert "Wanda Wechsel · Bearbeiter" in sidebar(page)
    dieb = browser.new_context()
    dieb.add_cookies(page.context.cookies())
    kopie = dieb.new_page()
    assert "Datei importieren" in _daten_als(kopie, signed_in_app)
    GRUPPEN["datei"].write_text(json.dumps({"wechsel": ["sozialmonitor-lesen"]}), encoding="utf-8")
    try:
        neu = sign_in(browser, signed_in_app, "wechsel")  # the next sign-in, anywhere
        assert "Wanda Wechsel · Betrachter" in sidebar(neu)
        text = _daten_als(kopie, signed_in_app)
        assert "Datei importieren" not in text and "Wanda Wechsel · Bearbeiter" not in text
        assert "Datei importieren" not in _daten_als(page, signed_in_app)
    finally:
        GRUPPEN["datei"].unlink()
    dieb.close()


def test_an_unverified_e_mail_does_not_take_over_another_persons_entry(browser, signed_in_app):
    """Finding 3 of issue 23: 'Paula@Kreis.Example' with email_verified false received the role-table entry of
    'paula@kreis.example' (Bearbeiter). Now the provider's person is their sub ('paula') – a Betrachter."""
    page = sign_in(browser, signed_in_app, "paula")
    side = sidebar(page)
    assert "Betrachter" in side and "Bearbeiter" not in side and "Paula Planer" not in side
    text = _daten_als(page, signed_in_app)
    assert "darf erst die Rolle Bearbeiter" in text and "Datei importieren" not in text


def test_after_its_session_ends_the_next_sign_in_reads_the_groups_anew(browser, signed_in_app):
    """Item 1 of issue 23 („roles and area claims re-read from the provider at each new session“): a session that
    ended (its lifetime or idle time over) is not renewed from Streamlit's own 30-day cookie with the old claims –
    the browser still holding that cookie is asked to sign in, and that sign-in goes to the provider, which now
    says the group was removed: Betrachter."""
    import sqlite3

    GRUPPEN["datei"].write_text(json.dumps({"ablauf": ["sozialmonitor-bearbeiten"]}), encoding="utf-8")
    try:
        page = sign_in(browser, signed_in_app, "ablauf")
        assert "· Bearbeiter" in sidebar(page)
        GRUPPEN["datei"].write_text(json.dumps({"ablauf": ["sozialmonitor-lesen"]}), encoding="utf-8")
        anmeldedatei = GRUPPEN["datei"].parent / "db" / "sozialmonitor.duckdb.anmeldungen.sqlite"
        with sqlite3.connect(anmeldedatei) as con:  # nine hours later: past the lifetime of 8 h
            con.execute("UPDATE sitzungen SET erstellt = erstellt - 9 * 3600, zuletzt = zuletzt - 9 * 3600 "
                        "WHERE sub = 'ablauf'")
        assert any(c["name"] == "_streamlit_user" for c in page.context.cookies())  # Streamlit's cookie is still there
        text = _daten_als(page, signed_in_app)
        assert "Datei importieren" not in text and "Bearbeiter" not in text
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url("**/interaction/**", timeout=30_000)  # to the provider, not back with the old claims
        page.fill("input[name=login]", "ablauf")
        page.fill("input[name=password]", "beliebig")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        if "/interaction/" in page.url:
            page.click("button[type=submit]")
        page.wait_for_url(f"{signed_in_app}/**", timeout=30_000)
        assert "· Betrachter" in sidebar(page)
        assert "Datei importieren" not in _daten_als(page, signed_in_app)
    finally:
        GRUPPEN["datei"].unlink(missing_ok=True)
