"""Who may reach the app: bound to the local machine (loopback) it needs nothing; reachable from a network (another
address, every interface, or a reverse proxy forwarding a visitor from elsewhere) it needs sign-in.

`anmeldung_eingerichtet` is the one predicate "is sign-in configured"; the sign-in work (`zugang`) extends it (local
users) instead of writing a second one."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from sozialmonitor.errors import SozialmonitorFehler

LOKALE_NAMEN = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
# Streamlit's OIDC settings (docs.streamlit.io, "User authentication and information"): one provider directly in
# [auth] or one sub-table per provider ([auth.keycloak], [auth.microsoft], …) with these keys.
AUTH_GEMEINSAM = ("redirect_uri", "cookie_secret")
AUTH_ANBIETER = ("client_id", "client_secret", "server_metadata_url")


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
                    lokale_benutzer: bool = False) -> None:
    """Refuse to serve the network without sign-in.

    adresse: Streamlit's `server.address`; secrets, lokale_benutzer: as for `anmeldung_eingerichtet`;
    weitergeleitet_fuer: the `X-Forwarded-For` header of a request that came through a reverse proxy (nginx on the
    same machine reaches a loopback-bound process, but the visitor may sit anywhere).
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
