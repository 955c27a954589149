"""The nginx site in front of N Streamlit processes (Debian's nginx, open-source build): one text, used for the
shipped `deploy/nginx/sozialmonitor.conf`, for the 3-process test and for `bench/betrieb_bench.py`, so what is
tested is what is installed.

What it configures and why:
- websockets: Streamlit's page talks over one websocket (`/_stcore/stream`); `Upgrade`/`Connection` are passed on
  (nginx docs, "WebSocket proxying"), and idle timeouts are long (a meeting leaves a page open for hours).
- sticky sessions: a Streamlit session lives in the process that holds its websocket; uploads
  (`/_stcore/upload_file/…`), downloads and media (`/media/…`) must reach the same process. Open-source nginx has no
  `sticky cookie`, so the site sets its own cookie `sozialmonitor_prozess` (a random `$request_id` on a browser's first
  request) and routes by `hash … consistent` over it; a stopped process only moves its own sessions.
- `X-Forwarded-For`: the app refuses visitors from other machines while no sign-in is configured
  (betrieb.freigabe), so the proxy must say who the visitor is.

Run `python -m sozialmonitor.betrieb.nginx --prozesse 4` to print the site for another number of processes."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

COOKIE = "sozialmonitor_prozess"
ERSTER_PORT = 8501


@dataclass(frozen=True)
class Tls:
    """Certificate and key (PEM paths on the server) for the HTTPS site."""

    zertifikat: str = "/etc/ssl/certs/sozialmonitor.pem"
    schluessel: str = "/etc/ssl/private/sozialmonitor.key"


def site(ports: Sequence[int], *, server_name: str = "sozialmonitor.landkreis.example",
         tls: Tls | None = Tls(), listen: str | None = None,
         access_log: str = "/var/log/nginx/sozialmonitor.access.log") -> str:
    """The nginx configuration text for the `http` context (Debian: /etc/nginx/sites-available/sozialmonitor).

    ports: the Streamlit processes on 127.0.0.1 (at least one); tls: HTTPS on 443 with a redirect from 80, or None
    for plain HTTP on `listen` (tests, a trial on one machine); listen: nginx `listen` argument for plain HTTP
    (default 80). Raises ValueError without ports."""
    if not ports:
        raise ValueError("Mindestens ein Streamlit-Prozess (Port) ist nötig.")
    upstream = "\n".join(f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;" for port in ports)
    # add_header in a location replaces the server's: HSTS goes beside the cookie
    hsts = '\n        add_header Strict-Transport-Security "max-age=63072000" always;' if tls else ""
    proxy = f"""    # Uploads bis zur Grenze von Streamlit (server.maxUploadSize, 200 MB)
    client_max_body_size 200m;
    access_log {access_log} sozialmonitor;

    location / {{
        proxy_pass http://sozialmonitor;
        proxy_http_version 1.1;
        # Websockets (Streamlit: /_stcore/stream)
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $sozialmonitor_verbindung;
        proxy_read_timeout 12h;
        proxy_send_timeout 12h;
        proxy_set_header Host $http_host;  # with the port: Streamlit compares Origin and Host
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        # Sticky: dieselbe Browser-Sitzung immer zum selben Prozess
        add_header Set-Cookie "{COOKIE}=$sozialmonitor_prozess; Path=/; HttpOnly; SameSite=Lax$sozialmonitor_secure" always;{hsts}
    }}"""
    if tls is None:
        server = f"""server {{
    listen {listen or "80"};
    server_name {server_name};
{proxy}
}}"""
    else:
        server = f"""server {{
    listen 80;
    listen [::]:80;
    server_name {server_name};
    return 301 https://$host$request_uri;
}}

server {{
    listen 443 ssl http2;
    listen [::]:443 ssl http2;
    server_name {server_name};

    ssl_certificate {tls.zertifikat};
    ssl_certificate_key {tls.schluessel};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers off;
    ssl_session_cache shared:sozialmonitor:10m;
    ssl_session_timeout 1d;

{proxy}
}}"""
    return f"""# Sozialmonitor: {len(ports)} Streamlit-Prozesse hinter nginx (erzeugt von sozialmonitor/betrieb/nginx.py,
# Anleitung: docs/betrieb.md). Debian: /etc/nginx/sites-available/sozialmonitor, verlinkt nach sites-enabled/.

# Websocket: Upgrade weiterreichen, sonst die Verbindung normal schließen
map $http_upgrade $sozialmonitor_verbindung {{
    default upgrade;
    ''      close;
}}

# Sticky Sessions: Schlüssel aus dem Cookie, beim ersten Besuch eine neue Zufallskennung
map $cookie_{COOKIE} $sozialmonitor_prozess {{
    ""      $request_id;
    default $cookie_{COOKIE};
}}

map $scheme $sozialmonitor_secure {{
    https   "; Secure";
    default "";
}}

# Das Zugriffsprotokoll nennt keine Streamlit-Sitzungskennung (Upload-Adressen) und kein Anmelde-Ticket
map $request_uri $sozialmonitor_anfrage {{
    ~^/_stcore/upload_file/     "/_stcore/upload_file/(ausgelassen)";
    ~^/_sozialmonitor/anmeldung "/_sozialmonitor/anmeldung?(ausgelassen)";
    default                     $request_uri;
}}

log_format sozialmonitor '$remote_addr [$time_local] "$request_method $sozialmonitor_anfrage $server_protocol" '
                         '$status $body_bytes_sent $request_time prozess=$upstream_addr sitzung=$sozialmonitor_prozess';

upstream sozialmonitor {{
    hash $sozialmonitor_prozess consistent;
{upstream}
}}

{server}
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sozialmonitor.betrieb.nginx",
                                     description="nginx-Site für N Sozialmonitor-Prozesse ausgeben")
    parser.add_argument("--prozesse", type=int, default=3, help="Anzahl der Streamlit-Prozesse (Standard 3)")
    parser.add_argument("--erster-port", type=int, default=ERSTER_PORT, help="Port des ersten Prozesses (8501)")
    parser.add_argument("--name", default="sozialmonitor.landkreis.example", help="server_name (DNS-Name)")
    parser.add_argument("--zertifikat", default=Tls.zertifikat, help="TLS-Zertifikat (PEM)")
    parser.add_argument("--schluessel", default=Tls.schluessel, help="TLS-Schlüssel (PEM)")
    args = parser.parse_args(argv)
    if args.prozesse < 1:
        parser.error("--prozesse muss mindestens 1 sein")
    ports = range(args.erster_port, args.erster_port + args.prozesse)
    print(site(list(ports), server_name=args.name, tls=Tls(args.zertifikat, args.schluessel)), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
