"""The nginx site shipped in deploy/nginx/ is what betrieb.nginx.site generates (the 3-process test runs that same
text), and Debian's nginx accepts it with TLS (`nginx -t` with a throw-away self-signed certificate)."""

import re
import shutil
import subprocess

import pytest

from conftest import ROOT
from sozialmonitor.betrieb import nginx

NGINX = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")


def test_shipped_site_is_the_generated_one(capsys):
    assert nginx.main([]) == 0
    assert (ROOT / "deploy" / "nginx" / "sozialmonitor.conf").read_text(encoding="utf-8") == capsys.readouterr().out


def test_site_has_websockets_sticky_sessions_and_forwarded_for():
    text = nginx.site([8501, 8502, 8503, 8504])
    assert text.count("server 127.0.0.1:85") == 4
    assert "hash $sozialmonitor_prozess consistent;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text and "proxy_http_version 1.1;" in text
    assert f"Set-Cookie \"{nginx.COOKIE}=$sozialmonitor_prozess;" in text
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in text
    assert "return 301 https://" in text and "ssl_certificate " in text
    # add_header in the location replaces the server's: HSTS must sit beside the cookie
    location = text.split("location / {", 1)[1]
    assert "Strict-Transport-Security" in location
    with pytest.raises(ValueError):
        nginx.site([])


def test_site_keeps_the_port_and_logs_no_session_id():
    """Issue 23, finding 9: `Host $host` dropped a non-standard port and Streamlit refused the websocket (Origin
    host:8443 against Host host); finding 4: the access log recorded the Streamlit session id of upload URLs."""
    text = nginx.site([8501])
    assert "proxy_set_header Host $http_host;" in text and "proxy_set_header Host $host;" not in text
    log_format = text.split("log_format sozialmonitor", 1)[1].split(";", 1)[0]
    assert "$request " not in log_format and '"$request"' not in log_format
    assert "$sozialmonitor_anfrage" in log_format
    assert '~^/_stcore/upload_file/     "/_stcore/upload_file/(ausgelassen)";' in text


@pytest.mark.skipif(NGINX is None or shutil.which("openssl") is None, reason="nginx oder openssl fehlt")
def test_debian_nginx_accepts_the_tls_site(tmp_path):
    cert, key = tmp_path / "zert.pem", tmp_path / "schluessel.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=sozialmonitor.test", "-keyout", str(key), "-out", str(cert)], check=True,
                   capture_output=True)
    site = nginx.site([8501, 8502, 8503], tls=nginx.Tls(str(cert), str(key)),
                      access_log=str(tmp_path / "access.log"))
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
                    f"http {{\n{site}\n}}\n", encoding="utf-8")
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze fehlt")
def test_systemd_units_are_valid(tmp_path):
    """systemd accepts the template unit (as instance 8501) and the target; only the program path of the
    installation (/opt/sozialmonitor) is missing here."""
    unit = (ROOT / "deploy" / "systemd" / "sozialmonitor@.service").read_text(encoding="utf-8")
    (tmp_path / "sozialmonitor@8501.service").write_text(unit, encoding="utf-8")
    shutil.copy(ROOT / "deploy" / "systemd" / "sozialmonitor.target", tmp_path)
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", "sozialmonitor@8501.service",
                             "sozialmonitor.target"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    meldungen = [line for line in (result.stdout + result.stderr).splitlines()
                 if line.strip() and "/opt/sozialmonitor/.venv/bin/streamlit is not executable" not in line]
    assert not meldungen, meldungen
    assert "server.py --server.address 127.0.0.1 --server.port %i" in unit
    target = (ROOT / "deploy" / "systemd" / "sozialmonitor.target").read_text(encoding="utf-8")
    ports = [int(p) for p in re.findall(r"sozialmonitor@(\d+)\.service", target)]
    site = (ROOT / "deploy" / "nginx" / "sozialmonitor.conf").read_text(encoding="utf-8")
    assert ports and all(f"server 127.0.0.1:{p} " in site for p in ports), "target and nginx site name the same ports"


def test_the_units_memory_limit_is_the_one_the_docs_explain():
    """Issue 23, finding 7: the unit's MemoryMax=2G would have killed every session during one big check. The limit
    in the unit is the one docs/betrieb.md derives from the measured figures (section "Speicher")."""
    unit = (ROOT / "deploy" / "systemd" / "sozialmonitor@.service").read_text(encoding="utf-8")
    grenze = re.search(r"^MemoryMax=(\S+)$", unit, re.MULTILINE).group(1)
    doku = (ROOT / "docs" / "betrieb.md").read_text(encoding="utf-8")
    speicher = doku.split("## Speicher", 1)[1].split("\n## ", 1)[0]
    assert f"`MemoryMax={grenze}`" in speicher and f"`MemoryMax={grenze}` je Prozess" in doku
