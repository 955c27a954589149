"""Who may reach the app: bound to the local machine (loopback) it needs nothing; reachable from a network (another
address, every interface, or a reverse proxy forwarding a visitor from elsewhere) it needs sign-in.

`anmeldung_eingerichtet` is the one predicate "is sign-in configured"; the sign-in work (`zugang`) extends it (local
users) instead of writing a second one."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit

from sozialmonitor.errors import SozialmonitorFehler

LOKALE_NAMEN = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
# Streamlit's OIDC settings (docs.streamlit.io, "User authentication and information"): one provider directly in
# [auth] or one sub-table per provider ([auth.keycloak], [auth.microsoft], …) with these keys.
AUTH_GEMEINSAM = ("redirect_uri", "cookie_secret")
AUTH_ANBIETER = ("client_id", "client_secret", "server_metadata_url")


OHNE_ANMELDUNG_IM_NETZ = (
    "Ohne Anmeldung zeigt der Sozialmonitor nur auf dem Rechner Daten, auf dem er läuft – nicht über einen Proxy "
    "und nicht unter einem anderen Namen als localhost. Für andere Rechner zuerst die Anmeldung einrichten ([auth] "
    "in .streamlit/secrets.toml oder lokale Benutzer mit Passwort, siehe docs/betrieb.md, Abschnitt „Anmeldung“).")


class NichtFreigegeben(SozialmonitorFehler):
    """The app would be reachable from the network without sign-in; str() says what to do (German)."""


def nur_lokal(adresse: str | None) -> bool:
    """True if a server bound to `adresse` (Streamlit's `server.address`) is reachable only from this machine.
    Unset or empty means every interface (Streamlit's default), so False; `0.0.0.0` and `::` likewise. A host name
    other than localhost counts as a network address (it may resolve to anything)."""
    if adresse is None or not str(adresse).strip():
        return False
    text = str(adresse).strip().strip("[]").lower()
    if text in LOKALE_NAMEN:
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def proxy_kopf(headers: Mapping[str, str]) -> str | None:
    """The first header (names in lower case) that says a proxy forwarded the request – `Forwarded`, `X-Real-IP`
    or any `X-Forwarded-*` – or None."""
    return next((name for name in sorted(headers) if name in ("forwarded", "x-real-ip")
                 or name.startswith("x-forwarded-")), None)


def von_hier(headers: Mapping[str, str], client_ip: str | None) -> bool:
    """The request comes straight from this machine: no proxy header of any kind, a loopback client address
    (None: unknown, as in Streamlit's AppTest – then the headers decide), a loopback `Host` and, if sent, a
    loopback `Origin`. headers: names in lower case. A proxy that forwards no header still passes the visitor's
    Host, or the browser's Origin on the websocket."""
    if proxy_kopf(headers) is not None:
        return False
    if client_ip is not None and not nur_lokal(client_ip):
        return False
    for name in ("host", "origin"):
        if name in headers:
            try:
                host = urlsplit(headers[name] if name == "origin" else "//" + headers[name]).hostname
            except ValueError:
                return False
            if not nur_lokal(host):
                return False
    return True


def anmeldung_eingerichtet(secrets: Mapping | None, lokale_benutzer: bool = False) -> bool:
    """True if sign-in is configured: local users with a password exist (the local mode of module `zugang`; its
    caller says so in lokale_benutzer), or an `[auth]` table in `.streamlit/secrets.toml` has `redirect_uri`,
    `cookie_secret` and a complete provider (`client_id`, `client_secret`, `server_metadata_url`) either directly in
    `[auth]` or in a sub-table such as `[auth.keycloak]`.

    secrets: the parsed secrets (`st.secrets.to_dict()` or `tomllib.load`); None or empty: no OIDC sign-in."""
    if lokale_benutzer:
        return True
    auth = (secrets or {}).get("auth")
    if not isinstance(auth, Mapping) or not all(_gesetzt(auth.get(key)) for key in AUTH_GEMEINSAM):
        return False
    anbieter = [auth] + [value for value in auth.values() if isinstance(value, Mapping)]
    return any(all(_gesetzt(block.get(key)) for key in AUTH_ANBIETER) for block in anbieter)


def _gesetzt(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def pruefe_freigabe(adresse: str | None, secrets: Mapping | None, weitergeleitet_fuer: str | None = None,
                    lokale_benutzer: bool = False, besuch_von_hier: bool = True) -> None:
    """Refuse to serve the network without sign-in.

    adresse: Streamlit's `server.address`; secrets, lokale_benutzer: as for `anmeldung_eingerichtet`;
    weitergeleitet_fuer: the `X-Forwarded-For` header of a request that came through a reverse proxy (nginx on the
    same machine reaches a loopback-bound process, but the visitor may sit anywhere); besuch_von_hier: von_hier of
    the request (False: a proxy header, a foreign Host or Origin – refused like a foreign visitor).
    Raises NichtFreigegeben with a German message naming the address and the two ways out."""
    if anmeldung_eingerichtet(secrets, lokale_benutzer):
        return
    if not nur_lokal(adresse):
        text = str(adresse or "").strip()
        wo = f"die Adresse {text}" if text not in ("", "0.0.0.0", "::", "[::]") else \
            f"alle Netzwerkadressen ({text or 'ohne server.address'})"
        raise NichtFreigegeben(
            f"Der Sozialmonitor ist über {wo} aus dem Netz erreichbar, aber es ist keine Anmeldung "
            "eingerichtet. Entweder nur auf diesem Rechner starten (bash scripts/app.sh, Adresse "
            "127.0.0.1) oder zuerst die Anmeldung einrichten ([auth] in .streamlit/secrets.toml, siehe "
            "docs/betrieb.md, Abschnitt „Anmeldung“).")
    besucher = [teil.strip() for teil in (weitergeleitet_fuer or "").split(",") if teil.strip()]
    fremd = [teil for teil in besucher if not nur_lokal(teil)]
    if fremd:
        raise NichtFreigegeben(
            f"Zugriff über das Netz (weitergeleitet für {fremd[0]}) ohne Anmeldung: Der Sozialmonitor zeigt keine "
            "Daten, solange keine Anmeldung eingerichtet ist ([auth] in .streamlit/secrets.toml, siehe "
            "docs/betrieb.md, Abschnitt „Anmeldung“).")
    if not besuch_von_hier:
        raise NichtFreigegeben(OHNE_ANMELDUNG_IM_NETZ)
