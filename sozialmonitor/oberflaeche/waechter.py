"""The guard in front of Streamlit's own routes (server.py: `st.App(…, middleware=[Middleware(Waechter)])`), an
ASGI middleware that sees every HTTP request and websocket handshake before Streamlit does:

- **Without sign-in configured** (no [auth], no local user) it serves only what comes straight from this machine:
  a loopback client address, a loopback `Host`, a loopback `Origin` when one is sent, and no proxy header of any
  kind (`X-Forwarded-*`, `Forwarded`, `X-Real-IP`). A proxy that forwards nothing still passes the visitor's
  `Host` or `Origin` – and a proxy that rewrites both is answered with the page shell only, never data (the
  websocket's `Origin` is the visitor's site). Everything else gets 403 with a German sentence.
- **The sign-in cookie** (zugang.anmeldungen): `/_sozialmonitor/anmeldung?ticket=…` puts a local sign-in's cookie into
  the browser (HttpOnly, SameSite=Strict, Secure behind TLS) and `/_sozialmonitor/abmeldung` revokes and deletes
  it; the identity provider's callback (`/oauth2callback`) gets a session record and the same cookie beside
  Streamlit's own, Streamlit's `/auth/logout` revokes it.
- **Uploads** (`PUT /_stcore/upload_file/…`) only for a signed-in person allowed to import, with a Content-Length
  within `server.maxUploadSize`, within GRENZE_SITZUNG per Streamlit session and GRENZE_GESAMT for the process –
  refused before the body is read. **`/_stcore/metrics`** only for a signed-in person.

Model: Starlette's pure ASGI middleware pattern (starlette.io/middleware, "Pure ASGI Middleware")."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from sozialmonitor.betrieb import freigabe
from sozialmonitor.zugang import anmeldungen

ANMELDUNG_PFAD = "/_sozialmonitor/anmeldung"
ABMELDUNG_PFAD = "/_sozialmonitor/abmeldung"
MB = 1024 * 1024


def koepfe(scope: dict) -> dict[str, str]:
    """The request's headers, names in lower case (a repeated header: its values joined by ', ')."""
    ergebnis: dict[str, str] = {}
    for name, wert in scope.get("headers") or []:
        name, wert = name.decode("latin-1").lower(), wert.decode("latin-1")
        ergebnis[name] = f"{ergebnis[name]}, {wert}" if name in ergebnis else wert
    return ergebnis


def cookies(headers: dict[str, str]) -> dict[str, str]:
    jar = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header: no cookies
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def hinter_tls(scope: dict, headers: dict[str, str]) -> bool:
    """The browser talks HTTPS: to this server directly or to the proxy in front (X-Forwarded-Proto: https)."""
    return scope.get("scheme") in ("https", "wss") or headers.get("x-forwarded-proto", "").lower() == "https"


def cookie_kopf(wert: str, max_age: int, tls: bool) -> bytes:
    """The Set-Cookie header of the sign-in cookie (empty value and Max-Age 0: delete it)."""
    teile = [f"{anmeldungen.COOKIE}={wert}", "Path=/", "HttpOnly", "SameSite=Strict", f"Max-Age={max_age}"]
    if tls:
        teile.append("Secure")
    return "; ".join(teile).encode("latin-1")


class Lage:
    """What the guard needs to know about the app, asked on each request (each answer cached by its source):
    art() 'oidc' | 'lokal' | 'ohne'; ablage() the Anmeldungen; person(sitzung) the Person of a valid session or
    None; max_upload_mb() Streamlit's server.maxUploadSize; laptop_person() the person at this machine without
    sign-in; kennung(claims) the identity key of the provider's person (rollen.kennung_aus_claims)."""

    def __init__(self, art: Callable[[], str], ablage: Callable[[], anmeldungen.Anmeldungen],
                 person: Callable[[anmeldungen.Sitzung], object | None], max_upload_mb: Callable[[], int],
                 laptop_person: Callable[[], object], kennung: Callable[[dict], str] | None = None):
        self.art, self.ablage, self.person_aus_sitzung = art, ablage, person
        self.max_upload_mb, self.laptop_person = max_upload_mb, laptop_person
        self.kennung = kennung or (lambda claims: str(claims.get("sub") or ""))

    def person(self, scope: dict, headers: dict[str, str]):
        """The person behind this request: the session of the sign-in cookie; without sign-in configured the
        person at this machine (only for a request freigabe.von_hier)."""
        art = self.art()
        if art == "ohne":
            return self.laptop_person() if freigabe.von_hier(headers, _client_ip(scope)) else None
        sitzung = self.ablage().pruefen(cookies(headers).get(anmeldungen.COOKIE))
        if sitzung is None or sitzung.art != art:
            return None
        return self.person_aus_sitzung(sitzung)


def _client_ip(scope: dict) -> str | None:
    client = scope.get("client")
    return client[0] if client else None


_EINGEBAUT = threading.Event()  # set when a Waechter stands in front of this process' Streamlit server


def eingebaut() -> bool:
    """Whether this process serves through the guard (server.py); `streamlit run app.py` does not."""
    return _EINGEBAUT.is_set()


WAECHTER_FEHLT = ("Der Sozialmonitor läuft hier ohne seinen Wächter und zeigt deshalb keine Daten. Bitte die App mit "
                  "scripts/app.sh oder als Dienst starten, wie es die Anleitung (README, „Zwei Befehle“) und die "
                  "Betriebsanleitung (docs/betrieb.md) beschreiben – nur dann prüft der Wächter jede Anfrage: "
                  "Anmeldung, Hochladen, Zugriffe aus dem Netz.")


class Waechter:
    """ASGI middleware; lage: a Lage (server.py builds it from the app's settings). Limits in bytes:
    grenze_sitzung (uploads held by one Streamlit session), grenze_gesamt (by the whole process, in flight and
    held); None: from server.maxUploadSize (1× and 2×)."""

    def __init__(self, app, lage: Lage, grenze_sitzung: int | None = None, grenze_gesamt: int | None = None,
                 gehalten: Callable[[str | None], int] | None = None):
        self.app, self.lage = app, lage
        self._grenze_sitzung, self._grenze_gesamt = grenze_sitzung, grenze_gesamt
        self._gehalten = gehalten or _gehaltene_uploads
        self._unterwegs = 0
        self._sperre = threading.Lock()
        _EINGEBAUT.set()

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = koepfe(scope)
        pfad = scope.get("path", "")
        if self.lage.art() == "ohne" and not freigabe.von_hier(headers, _client_ip(scope)):
            return await _ablehnen(scope, send, 403, freigabe.OHNE_ANMELDUNG_IM_NETZ)
        if scope["type"] == "websocket":
            return await self.app(scope, receive, send)
        if pfad == ANMELDUNG_PFAD:
            return await self._anmeldung(scope, headers, send)
        if pfad == ABMELDUNG_PFAD:
            return await self._abmeldung(scope, headers, send)
        if pfad.endswith("/_stcore/metrics") and self.lage.person(scope, headers) is None:
            return await _ablehnen(scope, send, 403, "Die Messwerte des Servers gibt es nur nach der Anmeldung.")
        if "/_stcore/upload_file/" in pfad and scope.get("method") == "PUT":
            return await self._hochladen(scope, receive, send, headers, pfad)
        if pfad.endswith("/oauth2callback"):
            return await self.app(scope, receive, self._nach_anmeldung(scope, headers, send))
        if pfad.endswith("/auth/logout"):
            return await self.app(scope, receive, self._nach_abmeldung(scope, headers, send))
        return await self.app(scope, receive, send)

    # ------------------------------------------------------------ local sign-in: the cookie

    async def _anmeldung(self, scope, headers, send):
        frage = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        wert = self.lage.ablage().einloesen((frage.get("ticket") or [""])[0])
        weiter = (frage.get("weiter") or ["/"])[0]
        if not weiter.startswith("/") or weiter.startswith("//") or "\\" in weiter:
            weiter = "/"
        if wert is None:
            return await _ablehnen(scope, send, 400, "Diese Anmeldung ist abgelaufen oder wurde schon benutzt. "
                                                     "Bitte neu anmelden.")
        stunden = self.lage.ablage().einstellung["sitzung_stunden"]
        await _weiterleiten(send, weiter, [cookie_kopf(wert, int(stunden * 3600), hinter_tls(scope, headers))])

    async def _abmeldung(self, scope, headers, send):
        self._widerrufen(scope, headers)
        await _weiterleiten(send, "/", [cookie_kopf("", 0, hinter_tls(scope, headers))])

    def _widerrufen(self, scope, headers) -> None:
        ablage = self.lage.ablage()
        sitzung = ablage.widerrufen(cookies(headers).get(anmeldungen.COOKIE))
        if sitzung is not None:
            ablage.versuch(sitzung.art, sitzung.kennung, besucher_adresse(scope, headers), "abgemeldet")

    # ------------------------------------------------------------ the identity provider's callback and sign-out

    def _nach_anmeldung(self, scope, headers, send):
        """Wrap send: when Streamlit's callback sets its user cookie, record the sign-in and add ours."""
        async def senden(message):
            if message["type"] == "http.response.start":
                gesetzt = {}
                for name, wert in message.get("headers", []):
                    if name.lower() == b"set-cookie":
                        gesetzt.update(cookies({"cookie": wert.decode("latin-1").split(";", 1)[0]}))
                claims = _streamlit_nutzer(gesetzt)
                if claims:
                    ablage = self.lage.ablage()
                    kennung = self.lage.kennung(claims)
                    wert = ablage.anlegen("oidc", kennung, name=claims.get("name"), claims=claims)
                    ablage.versuch("oidc", kennung, besucher_adresse(scope, headers), "erfolg")
                    stunden = ablage.einstellung["sitzung_stunden"]
                    message = dict(message, headers=list(message.get("headers", [])) + [
                        (b"set-cookie", cookie_kopf(wert, int(stunden * 3600), hinter_tls(scope, headers)))])
            await send(message)
        return senden

    def _nach_abmeldung(self, scope, headers, send):
        self._widerrufen(scope, headers)

        async def senden(message):
            if message["type"] == "http.response.start":
                message = dict(message, headers=list(message.get("headers", [])) + [
                    (b"set-cookie", cookie_kopf("", 0, hinter_tls(scope, headers)))])
            await send(message)
        return senden

    # ------------------------------------------------------------ uploads

    def grenzen(self) -> tuple[int, int, int]:
        """(one file, one session, the process) in bytes."""
        datei = int(self.lage.max_upload_mb()) * MB
        return datei, self._grenze_sitzung or datei, self._grenze_gesamt or 2 * datei

    async def _hochladen(self, scope, receive, send, headers, pfad):
        person = self.lage.person(scope, headers)
        if person is None or not person.darf("importieren"):
            return await _ablehnen(scope, send, 403, "Dateien hochladen darf nur, wer angemeldet ist und "
                                                     "importieren darf (Rolle Bearbeiter).")
        datei, je_sitzung, gesamt = self.grenzen()
        try:
            laenge = int(headers["content-length"])
        except (KeyError, ValueError):
            return await _ablehnen(scope, send, 411, "Eine Datei wird nur mit angegebener Größe angenommen.")
        if laenge > datei:
            return await _ablehnen(scope, send, 413, f"Die Datei ist zu groß: höchstens {datei // MB} MB je Datei "
                                                     "(server.maxUploadSize).")
        teile = pfad.split("/_stcore/upload_file/", 1)[1].split("/")
        sitzung = teile[0] if teile else None
        with self._sperre:
            if self._gehalten(sitzung) + laenge > je_sitzung:
                zu_viel = f"In dieser Sitzung liegen schon hochgeladene Dateien; zusammen höchstens {je_sitzung // MB} MB."
            elif self._gehalten(None) + self._unterwegs + laenge > gesamt:
                zu_viel = "Gerade laden andere so viel hoch, dass der Server keine weitere Datei annimmt. Bitte " \
                          "in einigen Minuten erneut versuchen."
            else:
                zu_viel = None
                self._unterwegs += laenge
        if zu_viel:
            return await _ablehnen(scope, send, 413, zu_viel)
        try:
            return await self.app(scope, receive, send)
        finally:
            with self._sperre:
                self._unterwegs -= laenge


def lage_der_app() -> Lage:
    """The Lage of the running app (server.py): sign-in from the secrets and the role table of the published
    database, each read again only when its file changed."""
    import streamlit as st

    from sozialmonitor import importer
    from sozialmonitor.daten import db, queries
    from sozialmonitor.daten.config import database_path
    from sozialmonitor.zugang import rollen

    zwischen: dict = {}

    def secrets() -> dict:
        try:
            return st.secrets.to_dict()
        except Exception:  # no secrets.toml
            return {}

    def tabellen() -> tuple:
        """(benutzer, gebiete_mit_sozialraum) of the published database, cached by its file version."""
        pfad = database_path()
        if not pfad.exists():
            return None, None
        version = (str(pfad), db.file_version(pfad))
        if zwischen.get("version") != version:
            con = db.connect_read_only(pfad)
            try:
                zwischen.update(version=version, tabellen=(queries.run_query(con, "benutzer"),
                                                           queries.run_query(con, "gebiete_mit_sozialraum")))
            finally:
                con.close()
        return zwischen["tabellen"]

    def art() -> str:
        if freigabe.anmeldung_eingerichtet(secrets()):
            return "oidc"
        try:
            benutzer = tabellen()[0]
        except Exception:  # an unreadable or outdated database: the pages say why; sign-in unknown = none
            return "ohne"
        return "lokal" if benutzer is not None and bool(benutzer["lokal"].any()) else "ohne"

    def person(sitzung):
        try:
            benutzer, gebiete = tabellen()
            wer = anmeldungen.person_aus_sitzung(sitzung, benutzer, rollen.einstellungen(secrets().get("zugang")),
                                                 gebiete)
        except Exception:  # an unreadable role table or contradicting scopes: nobody
            return None
        if wer is not None and importer.read_only():
            wer = rollen.Person(wer.kennung, wer.name, "betrachter", wer.gebiet, wer.anmeldung)
        return wer

    def kennung(claims: dict) -> str:
        return rollen.kennung_aus_claims(claims, rollen.einstellungen(secrets().get("zugang")))

    return Lage(art=art, ablage=lambda: anmeldungen.ablage_der_app(database_path(), secrets()), person=person,
                max_upload_mb=lambda: int(st.get_option("server.maxUploadSize")),
                laptop_person=lambda: rollen.ohne_anmeldung(True, nur_lesen=importer.read_only()), kennung=kennung)


def _gehaltene_uploads(sitzung: str | None) -> int:
    """Bytes Streamlit's upload manager holds for one session (None: for all)."""
    try:
        from streamlit import runtime

        verwalter = runtime.get_instance().uploaded_file_mgr
        ablage = getattr(verwalter, "file_storage", {})
        sitzungen_ = [ablage.get(sitzung, {})] if sitzung is not None else list(ablage.values())
        return sum(len(rec.data) for dateien in sitzungen_ for rec in list(dateien.values()))
    except Exception:  # no runtime (tests) or another manager: nothing known to be held
        return 0


def _streamlit_nutzer(gesetzt: dict[str, str]) -> dict | None:
    """The claims in Streamlit's signed user cookie as its callback just set it (None: not there or not valid)."""
    if not any(name.startswith("_streamlit_user") and not name.startswith("_streamlit_user_tokens")
               for name in gesetzt):
        return None
    try:
        from streamlit.web.server.starlette.starlette_websocket import _get_signed_cookie_with_chunks

        roh = _get_signed_cookie_with_chunks(gesetzt, "_streamlit_user")
        nutzdaten = json.loads(roh) if roh else None
    except Exception:
        return None
    if not isinstance(nutzdaten, dict) or not nutzdaten.get("is_logged_in"):
        return None
    return nutzdaten


def besucher_adresse(scope: dict, headers: dict[str, str]) -> str:
    """The visitor's address: behind the shipped nginx (a loopback peer that sets X-Forwarded-For) the address
    nginx appended last, else the peer's."""
    client = _client_ip(scope) or "unbekannt"
    weitergeleitet = [teil.strip() for teil in headers.get("x-forwarded-for", "").split(",") if teil.strip()]
    if weitergeleitet and freigabe.nur_lokal(client):
        return weitergeleitet[-1]
    return client


async def _ablehnen(scope, send, status: int, text: str):
    if scope["type"] == "websocket":
        return await send({"type": "websocket.close", "code": 1008, "reason": text[:120]})
    koerper = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(koerper)).encode()), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": koerper})


async def _weiterleiten(send, ziel: str, set_cookies: list[bytes]):
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", ziel.encode("latin-1", "replace")), (b"cache-control", b"no-store"),
                            (b"content-length", b"0")] + [(b"set-cookie", c) for c in set_cookies]})
    await send({"type": "http.response.body", "body": b""})
