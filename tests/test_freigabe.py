"""Safe default (issue 12, item 1): bound to this machine the app needs nothing; reachable from a network it needs
sign-in, or it refuses with a German message – at start (server.py, exit code 2) and on every page (page_frame, also
when started as `streamlit run app.py`, also behind a reverse proxy). scripts/app.sh and the config bind 127.0.0.1."""

import os
import subprocess
import sys
import tomllib

import pytest
from streamlit import config

from conftest import ROOT, open_page
from sozialmonitor.betrieb import freigabe

OIDC = {"auth": {"redirect_uri": "https://sozialmonitor.example/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "sozialmonitor", "client_secret": "geheim",
                 "server_metadata_url": "https://idp.example/realms/kreis/.well-known/openid-configuration"}}
OIDC_ANBIETER = {"auth": {"redirect_uri": "https://sozialmonitor.example/oauth2callback", "cookie_secret": "x" * 32,
                          "microsoft": {k: v for k, v in OIDC["auth"].items()
                                        if k in ("client_id", "client_secret", "server_metadata_url")}}}


@pytest.mark.parametrize("adresse", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", " LOCALHOST "])
def test_loopback_addresses_are_local(adresse):
    assert freigabe.nur_lokal(adresse)
    freigabe.pruefe_freigabe(adresse, {})  # no sign-in needed


@pytest.mark.parametrize("adresse", [None, "", "0.0.0.0", "::", "192.168.10.5", "10.0.0.1", "fe80::1",
                                     "sozialmonitor.landratsamt.de", "localhost.evil.example"])
def test_network_addresses_need_sign_in(adresse):
    assert not freigabe.nur_lokal(adresse)
    with pytest.raises(freigabe.NichtFreigegeben, match="keine Anmeldung eingerichtet"):
        freigabe.pruefe_freigabe(adresse, {})
    freigabe.pruefe_freigabe(adresse, OIDC)
    freigabe.pruefe_freigabe(adresse, OIDC_ANBIETER)
    freigabe.pruefe_freigabe(adresse, {}, lokale_benutzer=True)  # local users with passwords (zugang)


@pytest.mark.parametrize("secrets", [
    None, {}, {"auth": {}}, {"auth": "ja"},
    {"auth": {k: v for k, v in OIDC["auth"].items() if k != "cookie_secret"}},
    {"auth": {k: v for k, v in OIDC["auth"].items() if k != "server_metadata_url"}},
    {"auth": dict(OIDC["auth"], client_id="  ")},
    {"auth": {"redirect_uri": "x", "cookie_secret": "y", "keycloak": {"client_id": "a"}}},
])
def test_incomplete_auth_is_not_sign_in(secrets):
    assert not freigabe.anmeldung_eingerichtet(secrets)


def test_forwarded_visitor_from_the_network_needs_sign_in():
    freigabe.pruefe_freigabe("127.0.0.1", {}, "127.0.0.1")
    with pytest.raises(freigabe.NichtFreigegeben, match="weitergeleitet für 192.168.1.20"):
        freigabe.pruefe_freigabe("127.0.0.1", {}, "127.0.0.1, 192.168.1.20")
    freigabe.pruefe_freigabe("127.0.0.1", OIDC, "192.168.1.20")


def test_defaults_bind_this_machine_and_hide_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] == "none"
    script = (ROOT / "scripts" / "app.sh").read_text(encoding="utf-8")
    assert "--server.address" in script and "127.0.0.1" in script and "server.py" in script


def test_server_refuses_network_address_without_sign_in(tmp_path):
    """The real start: `streamlit run server.py --server.address 0.0.0.0` ends at once with exit code 2 and a
    German message, without ever serving."""
    env = dict(os.environ, HOME=str(tmp_path))  # no ~/.streamlit/secrets.toml of the machine
    result = subprocess.run(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.address", "0.0.0.0", "--server.port",
         "1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Der Sozialmonitor startet nicht." in result.stderr
    assert "keine Anmeldung eingerichtet" in result.stderr
    assert "Traceback" not in result.stderr


def test_page_refuses_network_address_without_sign_in(app_on_demo):
    """Started as `streamlit run app.py --server.address 0.0.0.0` (bypassing server.py): no data, a German
    message."""
    at = open_page()
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at.run()
    finally:
        config.set_option("server.address", before)
    assert not at.exception
    assert any("keine Anmeldung eingerichtet" in e.value for e in at.error)
    assert not at.metric, "no data shown"
