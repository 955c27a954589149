"""Sign-in sessions bound to the browser, and the record of sign-in attempts.

Every sign-in (local password or the identity provider's code flow) gets a server-side session record; the browser
holds only a random token in the HttpOnly, SameSite=Strict cookie `sozialmonitor_sitzung`, signed by the server
(HMAC-SHA256). Every script run checks cookie, signature and record again (oberflaeche.seite), so

- a reload keeps the sign-in (the cookie stays),
- a Streamlit session id without the cookie (a raw websocket resuming a session) is a stranger,
- "Abmelden" revokes the record: a copy of the cookie is a stranger afterwards,
- a record ends after its lifetime (`sitzung_stunden`, default 8) and after an idle time (`leerlauf_minuten`,
  default 30) without a page run; the next sign-in reads roles and area claims from the provider anew.

Guessing is slowed per account and per address: after `fehlversuche` (default 5) failures within `sperre_minuten`
(default 15) further tries wait 30 s, doubling with each further failure, at most `sperre_minuten`. Every try is
recorded (account, address, outcome – never the password), in the server log and for the page "Protokoll".

The records live in an SQLite file beside the database (`<datenbank>.anmeldungen.sqlite`): sessions change on every
sign-in and page run, the database only by publishing a new version (importer) – they must not be mixed. SQLite
(stdlib) serialises the writes of several processes on one machine. Model: Django's session framework
(server-side records, a signed cookie holding only the key) and its `django-axes` lockout per user and address."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

COOKIE = "sozialmonitor_sitzung"
# Defaults of the [zugang] keys (secrets.toml); docs/betrieb.md, "Anmeldung: Sitzungen"
STANDARD = {"sitzung_stunden": 8.0, "leerlauf_minuten": 30.0, "fehlversuche": 5, "sperre_minuten": 15.0}
TICKET_SEKUNDEN = 60  # a sign-in ticket (the redirect that sets the cookie) is good once, for this long
ERSTE_WARTEZEIT = 30.0  # seconds after the fehlversuche-th failure; doubles with each further one
_ZULETZT_SCHREIBEN = 30.0  # a page run updates 'zuletzt' at most this often (one write, not one per run)

# a child of the server log (betrieb.fehler: to stderr, which systemd's journal or the terminal keeps)
LOGGER = logging.getLogger("sozialmonitor.fehler.anmeldung")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schluessel (name TEXT PRIMARY KEY, wert TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sitzungen (
    token_hash TEXT PRIMARY KEY, art TEXT NOT NULL, kennung TEXT NOT NULL, iss TEXT, sub TEXT, name TEXT,
    claims TEXT, erstellt REAL NOT NULL, zuletzt REAL NOT NULL, widerrufen REAL, grund TEXT);
CREATE INDEX IF NOT EXISTS sitzungen_person ON sitzungen (iss, sub);
CREATE TABLE IF NOT EXISTS tickets (ticket_hash TEXT PRIMARY KEY, token TEXT NOT NULL, bis REAL NOT NULL);
CREATE TABLE IF NOT EXISTS versuche (
    zeitpunkt REAL NOT NULL, art TEXT NOT NULL, kennung TEXT NOT NULL, adresse TEXT NOT NULL, ergebnis TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS versuche_zeit ON versuche (zeitpunkt);
"""
ERGEBNIS_TEXT = {"erfolg": "angemeldet", "falsch": "falsches Passwort oder unbekannte Kennung",
                 "gesperrt": "abgewiesen: zu viele Fehlversuche", "abgemeldet": "abgemeldet",
                 "abgelaufen": "Sitzung abgelaufen"}


@dataclass(frozen=True)
class Sitzung:
    """One valid sign-in. art: 'lokal' or 'oidc'; kennung: the local login or the identity key of the provider's
    person (zugang.rollen.kennung_aus_claims); iss/sub: the provider's stable subject (None for local users);
    claims: the ID token's claims at sign-in (empty for local users); erstellt/zuletzt: Unix seconds."""

    art: str
    kennung: str
    iss: str | None
    sub: str | None
    name: str | None
    claims: dict
    erstellt: float
    zuletzt: float


def ablage_pfad(datenbank: Path) -> Path:
    """The session file beside the database: sozialmonitor.duckdb → sozialmonitor.duckdb.anmeldungen.sqlite."""
    datenbank = Path(datenbank)
    return datenbank.with_name(datenbank.name + ".anmeldungen.sqlite")


def einstellungen(abschnitt: dict | None) -> dict:
    """The session keys of [zugang] with their defaults (STANDARD); numbers given as text are read as numbers.
    Raises ValueError naming the key (German) for a value that is not a positive number."""
    werte = dict(STANDARD)
    for schluessel in STANDARD:
        if abschnitt and schluessel in abschnitt:
            try:
                wert = float(abschnitt[schluessel])
            except (TypeError, ValueError):
                wert = -1.0
            if not wert > 0:
                raise ValueError(f"[zugang] {schluessel} muss eine positive Zahl sein, nicht "
                                 f"„{abschnitt[schluessel]}“.")
            werte[schluessel] = wert
    werte["fehlversuche"] = int(werte["fehlversuche"])
    return werte


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Anmeldungen:
    """The session records and sign-in attempts in one SQLite file (ablage_pfad). einstellung: einstellungen(…);
    geheimnis: the signing key (text; None: a random key created once and kept in the file, the same for every
    process on this machine)."""

    def __init__(self, pfad: Path, einstellung: dict | None = None, geheimnis: str | None = None):
        self.pfad = Path(pfad)
        self.einstellung = einstellung or dict(STANDARD)
        self._geheimnis = geheimnis

    # ------------------------------------------------------------ storage

    def _verbinden(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.pfad, timeout=10, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA busy_timeout=10000")
        con.executescript(_SCHEMA)
        return con

    def _schluessel(self, con: sqlite3.Connection) -> bytes:
        if self._geheimnis:
            return self._geheimnis.encode("utf-8")
        con.execute("INSERT OR IGNORE INTO schluessel VALUES ('cookie', ?)", (secrets.token_urlsafe(32),))
        return con.execute("SELECT wert FROM schluessel WHERE name = 'cookie'").fetchone()[0].encode("utf-8")

    def _signiert(self, con, token: str) -> str:
        return token + "." + hmac.new(self._schluessel(con), token.encode(), hashlib.sha256).hexdigest()

    def _token(self, con, wert: str | None) -> str | None:
        """The token of a cookie value whose signature is right, else None."""
        if not wert or "." not in wert:
            return None
        token, _, signatur = wert.rpartition(".")
        richtig = hmac.new(self._schluessel(con), token.encode(), hashlib.sha256).hexdigest()
        return token if hmac.compare_digest(richtig, signatur) else None

    def _lesen(self, con, wert: str | None) -> tuple[str | None, Sitzung | None]:
        """(token, record) of a cookie value: (None, None) for a missing or forged one, (token, None) for an
        unknown or revoked record."""
        token = self._token(con, wert)
        if token is None:
            return None, None
        zeile = con.execute("SELECT art, kennung, iss, sub, name, claims, erstellt, zuletzt FROM sitzungen "
                            "WHERE token_hash = ? AND widerrufen IS NULL", (_hash(token),)).fetchone()
        return token, None if zeile is None else Sitzung(*zeile[:5], json.loads(zeile[5] or "{}"), zeile[6], zeile[7])

    # ------------------------------------------------------------ sessions

    def anlegen(self, art: str, kennung: str, *, name: str | None = None, claims: dict | None = None,
                jetzt: float | None = None) -> str:
        """A new session record; returns the signed cookie value. For art 'oidc' the claims' iss and sub key the
        person; an earlier session of the same person whose claims differ (a group or area changed at the
        provider) is revoked, so no tab keeps the old role."""
        jetzt = time.time() if jetzt is None else jetzt
        claims = dict(claims or {})
        iss = str(claims["iss"]) if claims.get("iss") else None
        sub = str(claims["sub"]) if claims.get("sub") else None
        token = secrets.token_urlsafe(32)
        con = self._verbinden()
        try:
            con.execute("BEGIN IMMEDIATE")
            if sub is not None:
                neu = _rollenrelevant(claims)
                for alt_hash, alt_claims in con.execute(
                        "SELECT token_hash, claims FROM sitzungen WHERE iss IS ? AND sub = ? AND widerrufen IS NULL",
                        (iss, sub)).fetchall():
                    if _rollenrelevant(json.loads(alt_claims or "{}")) != neu:
                        con.execute("UPDATE sitzungen SET widerrufen = ?, grund = 'Anspruch geändert' "
                                    "WHERE token_hash = ?", (jetzt, alt_hash))
            con.execute("INSERT INTO sitzungen VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                        (_hash(token), art, kennung, iss, sub, name, json.dumps(claims, default=str), jetzt, jetzt))
            con.execute("COMMIT")
            return self._signiert(con, token)
        finally:
            con.close()

    def pruefen(self, wert: str | None, jetzt: float | None = None) -> Sitzung | None:
        """The session of a cookie value, or None: no or a forged cookie, an unknown, revoked, expired or idle
        record. A valid one counts as used now (idle time starts again)."""
        jetzt = time.time() if jetzt is None else jetzt
        con = self._verbinden()
        try:
            token, sitzung = self._lesen(con, wert)
            if sitzung is None:
                return None
            if jetzt - sitzung.erstellt > self.einstellung["sitzung_stunden"] * 3600 or \
                    jetzt - sitzung.zuletzt > self.einstellung["leerlauf_minuten"] * 60:
                con.execute("UPDATE sitzungen SET widerrufen = ?, grund = 'abgelaufen' WHERE token_hash = ? "
                            "AND widerrufen IS NULL", (jetzt, _hash(token)))
                return None
            if jetzt - sitzung.zuletzt > _ZULETZT_SCHREIBEN:
                con.execute("UPDATE sitzungen SET zuletzt = ? WHERE token_hash = ?", (jetzt, _hash(token)))
            return sitzung
        finally:
            con.close()

    def widerrufen(self, wert: str | None, grund: str = "abgemeldet", jetzt: float | None = None) -> Sitzung | None:
        """Revoke the session of a cookie value (sign-out); returns it (None: there was no valid one)."""
        jetzt = time.time() if jetzt is None else jetzt
        con = self._verbinden()
        try:
            token, sitzung = self._lesen(con, wert)
            if sitzung is not None:
                con.execute("UPDATE sitzungen SET widerrufen = ?, grund = ? WHERE token_hash = ?",
                            (jetzt, grund, _hash(token)))
            return sitzung
        finally:
            con.close()

    def letzte_claims(self) -> pd.DataFrame:
        """Per person signed in through the provider, the claims of their latest sign-in: kennung, name, claims
        (dict), erstellt (datetime). For the page "Rollen" (what the provider said beside the role table)."""
        con = self._verbinden()
        try:
            zeilen = con.execute(
                "SELECT kennung, name, claims, max(erstellt) FROM sitzungen WHERE art = 'oidc' GROUP BY iss, sub "
                "ORDER BY kennung").fetchall()
        finally:
            con.close()
        return pd.DataFrame({"kennung": [z[0] for z in zeilen], "name": [z[1] for z in zeilen],
                             "claims": [json.loads(z[2] or "{}") for z in zeilen],
                             "erstellt": [datetime.fromtimestamp(z[3]) for z in zeilen]})

    # ------------------------------------------------------------ the redirect that sets the cookie

    def ticket(self, wert: str, jetzt: float | None = None) -> str:
        """A one-time ticket (TICKET_SEKUNDEN) for the route that puts the cookie value into the browser: the
        value itself never travels in a URL (and so never in a proxy's access log)."""
        jetzt = time.time() if jetzt is None else jetzt
        ticket = secrets.token_urlsafe(24)
        con = self._verbinden()
        try:
            con.execute("DELETE FROM tickets WHERE bis < ?", (jetzt,))
            con.execute("INSERT INTO tickets VALUES (?, ?, ?)", (_hash(ticket), wert, jetzt + TICKET_SEKUNDEN))
        finally:
            con.close()
        return ticket

    def einloesen(self, ticket: str | None, jetzt: float | None = None) -> str | None:
        """The cookie value of a ticket, once (None: unknown, used or expired)."""
        if not ticket:
            return None
        jetzt = time.time() if jetzt is None else jetzt
        con = self._verbinden()
        try:
            con.execute("BEGIN IMMEDIATE")
            zeile = con.execute("SELECT token, bis FROM tickets WHERE ticket_hash = ?", (_hash(ticket),)).fetchone()
            con.execute("DELETE FROM tickets WHERE ticket_hash = ?", (_hash(ticket),))
            con.execute("COMMIT")
        finally:
            con.close()
        return zeile[0] if zeile is not None and zeile[1] >= jetzt else None

    # ------------------------------------------------------------ attempts

    def wartezeit(self, kennung: str, adresse: str, jetzt: float | None = None) -> float:
        """Seconds until the next try of this account or from this address is allowed (0: now). Counted: the
        failures within sperre_minuten for the account (compared case-insensitively, so that 'Vera' and 'vera' do
        not double the tries) or for the address, whichever has more."""
        jetzt = time.time() if jetzt is None else jetzt
        fenster = self.einstellung["sperre_minuten"] * 60
        con = self._verbinden()
        try:
            warten = 0.0
            for bedingung, wert in (("lower(kennung) = lower(?)", kennung.strip()), ("adresse = ?", adresse)):
                anzahl, letzte = con.execute(
                    f"SELECT count(*), max(zeitpunkt) FROM versuche WHERE ergebnis = 'falsch' AND zeitpunkt > ? "
                    f"AND {bedingung}", (jetzt - fenster, wert)).fetchone()
                if anzahl >= self.einstellung["fehlversuche"]:
                    sperre = min(ERSTE_WARTEZEIT * 2 ** (anzahl - self.einstellung["fehlversuche"]), fenster)
                    warten = max(warten, letzte + sperre - jetzt)
            return max(warten, 0.0)
        finally:
            con.close()

    def versuch(self, art: str, kennung: str, adresse: str, ergebnis: str, jetzt: float | None = None) -> None:
        """Record one sign-in event (ergebnis: a key of ERGEBNIS_TEXT) here and in the server log – account and
        address, never the password."""
        jetzt = time.time() if jetzt is None else jetzt
        con = self._verbinden()
        try:
            con.execute("INSERT INTO versuche VALUES (?, ?, ?, ?, ?)", (jetzt, art, kennung[:200], adresse[:100],
                                                                         ergebnis))
        finally:
            con.close()
        (LOGGER.warning if ergebnis in ("falsch", "gesperrt") else LOGGER.info)(
            "Anmeldung (%s) %s: Kennung %r von %s", art, ERGEBNIS_TEXT.get(ergebnis, ergebnis), kennung[:200],
            adresse)

    def versuche(self, von: datetime | None = None, bis: datetime | None = None) -> pd.DataFrame:
        """The recorded sign-in events between von and bis (None: open), newest first: zeitpunkt (datetime), art,
        kennung, adresse, ergebnis (German, ERGEBNIS_TEXT)."""
        con = self._verbinden()
        try:
            zeilen = con.execute(
                "SELECT zeitpunkt, art, kennung, adresse, ergebnis FROM versuche WHERE zeitpunkt >= ? AND "
                "zeitpunkt < ? ORDER BY zeitpunkt DESC",
                (von.timestamp() if von else 0.0, bis.timestamp() if bis else float("inf"))).fetchall()
        finally:
            con.close()
        return pd.DataFrame({"zeitpunkt": [datetime.fromtimestamp(z[0]) for z in zeilen],
                             "art": [z[1] for z in zeilen], "kennung": [z[2] for z in zeilen],
                             "adresse": [z[3] for z in zeilen],
                             "ergebnis": [ERGEBNIS_TEXT.get(z[4], z[4]) for z in zeilen]},
                            columns=["zeitpunkt", "art", "kennung", "adresse", "ergebnis"])


ART_TEXT = {"lokal": "lokal", "oidc": "Identitätsanbieter"}


def tabelle(versuche: pd.DataFrame) -> pd.DataFrame:
    """Anmeldungen.versuche as people read it: Zeitpunkt (TT.MM.JJJJ HH:MM:SS), Kennung, Adresse, Ergebnis, Art."""
    return pd.DataFrame({
        "Zeitpunkt": versuche["zeitpunkt"].map(lambda t: pd.Timestamp(t).strftime("%d.%m.%Y %H:%M:%S")),
        "Kennung": versuche["kennung"], "Adresse": versuche["adresse"], "Ergebnis": versuche["ergebnis"],
        "Art": versuche["art"].map(lambda a: ART_TEXT.get(a, a))})


def _rollenrelevant(claims: dict) -> str:
    """The claims that decide role and area, for comparing two sign-ins (everything but times, nonces, ids)."""
    fluechtig = {"iat", "exp", "auth_time", "nonce", "at_hash", "c_hash", "sid", "jti", "origin", "is_logged_in",
                 "nbf", "aud", "azp"}
    return json.dumps({k: v for k, v in claims.items() if k not in fluechtig}, sort_keys=True, default=str)


def person_aus_sitzung(sitzung: Sitzung, benutzer: pd.DataFrame, einstellung: dict,
                       gebiete: pd.DataFrame | None = None):
    """The Person of a valid session: a local user from their row in the role table (None when the row or its
    password is gone), the provider's person from the claims of this sign-in and their row (rollen.person_aus_claims).
    benutzer: queries/benutzer.sql; einstellung: rollen.einstellungen([zugang]); gebiete:
    queries/gebiete_mit_sozialraum.sql (for the narrower area scope). Raises KeinZugriff when the provider's and the
    table's area scopes do not overlap."""
    from sozialmonitor.zugang import rollen

    if sitzung.art == "lokal":
        eintrag = rollen.eintrag(benutzer, sitzung.kennung, exakt=True)
        if eintrag is None or not eintrag.get("passwort_hash"):
            return None
        return rollen.beschraenkt(rollen.Person(eintrag["kennung"], eintrag["name"], eintrag["rolle"],
                                                eintrag.get("gebiet") or None, "lokal"))
    kennung = rollen.kennung_aus_claims(sitzung.claims, einstellung)
    return rollen.person_aus_claims(sitzung.claims, einstellung, rollen.eintrag(benutzer, kennung, exakt=True),
                                    gebiete)


def ablage_der_app(datenbank: Path, secrets: dict) -> Anmeldungen:
    """The Anmeldungen of the app: beside the database, settings from [zugang], signed with [zugang]
    sitzung_geheimnis, else [auth] cookie_secret, else a key kept in the file (one machine)."""
    zugang = dict(secrets.get("zugang") or {})
    auth = secrets.get("auth") if isinstance(secrets.get("auth"), dict) else {}
    geheimnis = zugang.get("sitzung_geheimnis") or auth.get("cookie_secret") or None
    return Anmeldungen(ablage_pfad(datenbank), einstellungen(zugang), str(geheimnis) if geheimnis else None)
