"""Who may do what: the actions of the app, the role each needs, the person who acts, and the one check
`pruefe(person, aktion)` that the write functions themselves call (importer.run, importer.run_undo, importer.upgrade,
zielpflege, verwaltung) – a hidden button is a courtesy, the check in the function is the guard.

Model: Datasette's `default_actions.py` (actions declared once) and `allowed(action, actor)` (one check, called
before the form is shown and again before the write). No Streamlit here: `ui` turns the signed-in user (`st.user`, the
ID token's claims) into a Person once per page run, the command line passes `kommandozeile()`.

Roles, each including the ones before it:
- Betrachter (default): sees maps, targets, indicators.
- Bearbeiter: imports, undoes imports, edits targets, sees the import history and the Protokoll.
- Verwaltung: also gives roles and Gemeinde scopes, and creates local users.

Where a role comes from (first match wins): the role table `benutzer` in the database (set by Verwaltung); else the
identity provider's group claim mapped by `[zugang.gruppen]` in `.streamlit/secrets.toml`; else Betrachter. The
provider's person is keyed by its verified e-mail, exactly as sent, else by its `sub` (kennung_aus_claims); an area
scope from both sources: the narrower one wins (engstes_gebiet).
Passwords of local users (laptop mode without identity provider) are Argon2id hashes by argon2-cffi
(RFC 9106 parameters of the library's default profile); this module never stores or compares plain text."""

import getpass
from dataclasses import dataclass
from typing import Any

import argon2
import pandas as pd

from sozialmonitor.errors import KeinZugriff

ROLLEN = {"betrachter": "Betrachter", "bearbeiter": "Bearbeiter", "verwaltung": "Verwaltung"}
RANG = {rolle: stufe for stufe, rolle in enumerate(ROLLEN)}

# action → the least role that may do it, and what it is called in a German message
AKTIONEN = {
    "ansehen": ("betrachter", "Daten ansehen"),
    "importieren": ("bearbeiter", "Dateien importieren"),
    "rueckgaengig": ("bearbeiter", "Importe rückgängig machen"),
    "ziele_bearbeiten": ("bearbeiter", "Ziele anlegen, ändern und zurückziehen"),
    "sozialindex_bearbeiten": ("bearbeiter", "Sozialindex und Vergleichsring festlegen"),
    "verlauf_sehen": ("bearbeiter", "Importverlauf und Protokoll einsehen"),
    "datenbank_aktualisieren": ("bearbeiter", "die Datenbank auf den neuen Stand bringen"),
    "rollen_verwalten": ("verwaltung", "Rollen und Benutzer verwalten"),
}

ANMELDUNG_TEXT = {"oidc": "Anmeldung beim Identitätsanbieter", "lokal": "lokale Anmeldung",
                  "ohne": "ohne Anmeldung (nur auf diesem Rechner)", "kommandozeile": "Kommandozeile"}

# Defaults of the [zugang] section (secrets.toml); see docs/anmeldung.md
EINSTELLUNGEN = {"rollen_claim": "groups", "gebiet_claim": "gebiet", "kennung_claim": "email", "gruppen": {}}

_HASHER = argon2.PasswordHasher()


@dataclass(frozen=True)
class Person:
    """Who acts. kennung: the stable key (e-mail or login); name: what the Protokoll shows; rolle: a key of ROLLEN;
    gebiet: None or the code of the Gemeinde/Sozialraum the person is restricted to (such a person is always
    Betrachter); anmeldung: a key of ANMELDUNG_TEXT."""

    kennung: str
    name: str
    rolle: str = "betrachter"
    gebiet: str | None = None
    anmeldung: str = "oidc"

    def darf(self, aktion: str) -> bool:
        return RANG[self.rolle] >= RANG[AKTIONEN[aktion][0]]

    @property
    def rollenname(self) -> str:
        return ROLLEN[self.rolle]

    @property
    def protokollname(self) -> str:
        """'Bernd Bearbeiter (bernd@kreis.example)': name and key, as the Protokoll records it. Without sign-in the
        OS account is recorded as what it is, never as a person: 'An diesem Rechner, ohne Anmeldung
        (Betriebssystemkonto „root“)'."""
        if self.anmeldung == "ohne":
            return f"{self.name} (Betriebssystemkonto „{self.kennung}“)"
        return self.name if self.name == self.kennung else f"{self.name} ({self.kennung})"


def pruefe(person: Person | None, aktion: str) -> None:
    """Raise KeinZugriff (German message) unless person may do aktion. No person counts as no right at all.
    Raises KeyError for an action not declared in AKTIONEN (a programming error, never a user's)."""
    mindestens, was = AKTIONEN[aktion]
    if person is None:
        raise KeinZugriff(f"Ohne Anmeldung darf niemand {was}.")
    if not person.darf(aktion):
        wer = (f"{person.name} ist {person.rollenname}" if person.anmeldung != "ohne" else
               f"Ohne Anmeldung gilt hier die Rolle {person.rollenname}")
        raise KeinZugriff(f"{wer}: {was} darf erst die Rolle {ROLLEN[mindestens]}.")


def kommandozeile() -> Person:
    """Whoever runs the command line has the database file in hand already: Verwaltung, named by the OS account."""
    konto = _os_konto()
    return Person(kennung=konto, name=f"{konto} (Kommandozeile)", rolle="verwaltung", anmeldung="kommandozeile")


def ohne_anmeldung(nur_hier: bool, nur_lesen: bool = False) -> Person:
    """The laptop case: no sign-in is configured. The person at this machine (the app listens on loopback only and
    the browser is on this machine: nur_hier) is Bearbeiter and is recorded under the OS account; anyone else, or a
    read-only app, is Betrachter. Managing roles always needs a sign-in (or the command line).
    The name says what is known – where the person sits, not who it is: an OS account ("root", a shared
    "sozialplanung") is no identity (review finding: the sidebar said "root (ohne Anmeldung)")."""
    konto = _os_konto()
    rolle = "bearbeiter" if nur_hier and not nur_lesen else "betrachter"
    name = "An diesem Rechner, ohne Anmeldung" if nur_hier else "Ohne Anmeldung"
    return Person(kennung=konto, name=name, rolle=rolle, anmeldung="ohne")


def _os_konto() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unbekannt"


def einstellungen(abschnitt: dict | None) -> dict:
    """The [zugang] section with its defaults; refuses a group mapped to an unknown role (German message)."""
    werte = {**EINSTELLUNGEN, **(abschnitt or {})}
    gruppen = {str(g): str(r).strip().lower() for g, r in dict(werte.get("gruppen") or {}).items()}
    falsch = sorted(g for g, r in gruppen.items() if r not in ROLLEN)
    if falsch:
        raise KeinZugriff(f"In [zugang.gruppen] ist den Gruppen {', '.join(falsch)} keine bekannte Rolle zugeordnet "
                          f"(erlaubt: {', '.join(ROLLEN)}).")
    return werte | {"gruppen": gruppen}


def kennung_aus_claims(claims: dict[str, Any], einstellung: dict) -> str:
    """The key of the provider's person: the claim named by kennung_claim (default `email`) exactly as sent –
    never case-folded into another person – and an `email` claim only when the provider vouches for it
    (`email_verified` true); otherwise the provider's stable subject `sub`. Raises KeinZugriff when there is
    neither."""
    claim = einstellung["kennung_claim"]
    wert = str(claims.get(claim) or "").strip()
    if wert and (claim != "email" or claims.get("email_verified") in (True, "true", "True")):
        return wert
    sub = str(claims.get("sub") or "").strip()
    if not sub:
        raise KeinZugriff("Der Identitätsanbieter hat keine Kennung (bestätigte E-Mail oder sub) übermittelt.")
    return sub


def engstes_gebiet(erstes: str | None, zweites: str | None, gebiete: pd.DataFrame | None) -> str | None:
    """The more restrictive of two area scopes (provider claim and role table): None means no restriction; a
    Gemeinde inside a Sozialraum is narrower than the Sozialraum. gebiete: queries/gebiete_mit_sozialraum.sql
    (code, ebene, sozialraum) or None (then only equal or missing scopes can be combined). Raises KeinZugriff
    when the two scopes do not overlap (the person may see no area at all)."""
    if not erstes or not zweites or erstes == zweites:
        return erstes or zweites or None
    if gebiete is not None:
        sozialraum = dict(zip(gebiete["code"], gebiete["sozialraum"]))
        if sozialraum.get(erstes) == zweites:
            return erstes
        if sozialraum.get(zweites) == erstes:
            return zweites
    raise KeinZugriff(f"Die Gebietsbeschränkungen des Identitätsanbieters ({erstes}) und der Rollentabelle "
                      f"({zweites}) überschneiden sich nicht: Bitte die Verwaltung, den Eintrag zu prüfen.")


def person_aus_claims(claims: dict[str, Any], einstellung: dict, eintrag: dict | None,
                      gebiete: pd.DataFrame | None = None) -> Person:
    """The signed-in person from the ID token's claims and their row in the role table (or None; looked up by
    kennung_aus_claims). The row's role wins over the group claim; among several groups the highest role counts;
    no match: Betrachter. The area scope is the most restrictive of the provider's claim (gebiet_claim) and the
    row's (engstes_gebiet: a row without area never lifts the provider's restriction)."""
    kennung = kennung_aus_claims(claims, einstellung)
    name = str(claims.get("name") or kennung)
    gebiet_claim = claims.get(einstellung["gebiet_claim"]) if einstellung.get("gebiet_claim") else None
    gebiet_claim = str(gebiet_claim).strip() if gebiet_claim else None
    if eintrag is not None:
        gebiet = engstes_gebiet(gebiet_claim, eintrag.get("gebiet") or None, gebiete)
        return beschraenkt(Person(kennung, name, eintrag["rolle"], gebiet, "oidc"))
    return beschraenkt(Person(kennung, name, gruppenrolle(claims, einstellung), gebiet_claim, "oidc"))


def gruppenrolle(claims: dict[str, Any], einstellung: dict) -> str:
    """The role the provider's groups give ([zugang.gruppen]; the highest of several; none: betrachter)."""
    gruppen = claims.get(einstellung["rollen_claim"]) or []
    if isinstance(gruppen, str):
        gruppen = [gruppen]
    rollen = [einstellung["gruppen"][g] for g in gruppen if g in einstellung["gruppen"]]
    return max(rollen, key=RANG.get, default="betrachter")


def beschraenkt(person: Person) -> Person:
    """A person restricted to one area is a Betrachter: imports, undo and targets concern every area."""
    return Person(person.kennung, person.name, "betrachter", person.gebiet, person.anmeldung) if person.gebiet \
        else person


def passwort_hash(passwort: str) -> str:
    """Argon2id hash (argon2-cffi, with salt and parameters inside the string) of a new password. Refuses a
    password shorter than 10 characters."""
    if len(passwort) < 10:
        raise KeinZugriff("Das Passwort ist zu kurz: mindestens 10 Zeichen.")
    return _HASHER.hash(passwort)


def anmelden(eintrag: dict | None, kennung: str, passwort: str) -> Person:
    """Local sign-in: eintrag is the user's row of the role table (kennung, name, rolle, gebiet, passwort_hash) or
    None. Raises KeinZugriff with the same message for an unknown user and a wrong password."""
    falsch = KeinZugriff("Kennung oder Passwort ist falsch.")
    if eintrag is None or not eintrag.get("passwort_hash"):
        _HASHER.hash(passwort or "-")  # the same time for an unknown user as for a wrong password
        raise falsch
    try:
        _HASHER.verify(eintrag["passwort_hash"], passwort)
    except argon2.exceptions.VerificationError as exc:
        raise falsch from exc
    except argon2.exceptions.InvalidHashError as exc:
        raise KeinZugriff(f"Der gespeicherte Passwort-Hash von {kennung} ist unlesbar; bitte neu setzen.") from exc
    return beschraenkt(Person(eintrag["kennung"], eintrag["name"], eintrag["rolle"], eintrag.get("gebiet") or None,
                               "lokal"))


def eintrag(benutzer: pd.DataFrame, kennung: str | None, exakt: bool = False) -> dict | None:
    """The row of queries/benutzer.sql for kennung, as a dict, or None. exakt: only the same text counts (the
    identity provider's persons: 'Paula@…' is not 'paula@…'); otherwise – a local login typed into the sign-in
    form – the same text, or else the one row that differs only in case."""
    kennung = (kennung or "").strip()
    if not kennung or benutzer.empty:
        return None
    treffer = benutzer[benutzer["kennung"] == kennung]
    if treffer.empty and not exakt:
        treffer = benutzer[benutzer["kennung"].str.lower() == kennung.lower()]
        if len(treffer) > 1:
            return None
    if treffer.empty:
        return None
    row = treffer.iloc[0].to_dict()
    return {k: (None if not isinstance(v, (list, dict)) and pd.isna(v) else v) for k, v in row.items()}


def quellen(benutzer: pd.DataFrame, letzte: pd.DataFrame, einstellung: dict,
            gebiete: pd.DataFrame | None = None) -> pd.DataFrame:
    """Both sources of role and area side by side, one row per person of the role table or signed in through the
    provider (page "Rollen"). benutzer: queries/benutzer.sql; letzte: Anmeldungen.letzte_claims (kennung, name,
    claims, erstellt); einstellung: einstellungen([zugang]); gebiete: queries/gebiete_mit_sozialraum.sql.
    Columns: Kennung, Name, Rollentabelle (role and area of the row or '–'), Identitätsanbieter (role from the
    groups and the area claim of the latest sign-in, or '–'), Es gilt (what person_aus_claims makes of both; for a
    local user the row), Zuletzt angemeldet (TT.MM.JJJJ HH:MM or '–'). A scope naming an area that is no longer
    stored reads '…, nur SR2 – Gebiet entfallen, sieht nichts' (sichtbare_gebiete)."""
    def text(rolle: str | None, gebiet: str | None) -> str:
        if rolle is None:
            return "–"
        if gebiet and gebiete is not None and gebiet_entfallen(gebiet, gebiete):
            return ROLLEN[rolle] + f", nur {gebiet} – Gebiet entfallen, sieht nichts"
        return ROLLEN[rolle] + (f", nur {gebiet}" if gebiet else "")

    zeilen = []
    anbieter = {k: (n, c, t) for k, n, c, t in zip(letzte.get("kennung", []), letzte.get("name", []),
                                                   letzte.get("claims", []), letzte.get("erstellt", []))}
    kennungen = list(benutzer["kennung"]) + [k for k in anbieter if k not in set(benutzer["kennung"])]
    for kennung in kennungen:
        zeile = eintrag(benutzer, kennung, exakt=True)
        name, claims, zuletzt = anbieter.get(kennung, (None, None, None))
        von_anbieter = "–"
        if claims is not None:
            gebiet_claim = claims.get(einstellung["gebiet_claim"]) if einstellung.get("gebiet_claim") else None
            von_anbieter = text(gruppenrolle(claims, einstellung), str(gebiet_claim) if gebiet_claim else None)
        try:
            if claims is not None:
                wer = person_aus_claims(claims, einstellung, zeile, gebiete)
                gilt = text(wer.rolle, wer.gebiet)
            elif zeile is not None:
                wer = beschraenkt(Person(kennung, zeile["name"], zeile["rolle"], zeile.get("gebiet") or None))
                gilt = text(wer.rolle, wer.gebiet) + (" (lokal)" if zeile.get("passwort_hash") or zeile.get("lokal")
                                                      else " (noch nicht angemeldet)")
            else:
                gilt = "–"
        except KeinZugriff:
            gilt = "nichts: die Gebiete widersprechen sich"
        zeilen.append({"Kennung": kennung, "Name": (zeile or {}).get("name") or name or kennung,
                       "Rollentabelle": text(zeile["rolle"], zeile.get("gebiet")) if zeile else "–",
                       "Identitätsanbieter": von_anbieter, "Es gilt": gilt,
                       "Zuletzt angemeldet": pd.Timestamp(zuletzt).strftime("%d.%m.%Y %H:%M") if zuletzt else "–"})
    return pd.DataFrame(zeilen, columns=["Kennung", "Name", "Rollentabelle", "Identitätsanbieter", "Es gilt",
                                         "Zuletzt angemeldet"])


def sichtbare_gebiete(person: Person, gebiete: pd.DataFrame) -> set[str] | None:
    """The area codes a person restricted to a Gemeinde or Sozialraum may see: that area, the Gemeinden of a
    Sozialraum, and the published aggregates of Kreis, Land and Bund. None: no restriction. A restriction to an
    area that is no longer stored (a membership import removed the Sozialraum; gebiet_entfallen) gives the empty
    set: nothing at all, never a wider view – the page says why (oberflaeche.seite.page_frame).
    gebiete: queries/gebiete_mit_sozialraum.sql (code, ebene, sozialraum)."""
    if not person.gebiet:
        return None
    if gebiet_entfallen(person.gebiet, gebiete):
        return set()
    eigene = gebiete["code"].eq(person.gebiet) | gebiete["sozialraum"].eq(person.gebiet)
    oeffentlich = gebiete["ebene"].isin(["kreis", "land", "bund"])
    return set(gebiete.loc[eigene | oeffentlich, "code"])


def gebiet_entfallen(gebiet: str | None, gebiete: pd.DataFrame) -> bool:
    """Whether an area scope names an area that is not stored (any more). gebiete: queries/gebiete_mit_sozialraum.sql."""
    return bool(gebiet) and not gebiete["code"].eq(gebiet).any()


# Why an area left the data, by the kind of the import that removed it (importe.art): a Sozialraum with a new
# membership of the Gemeinden, a Gemeinde with new boundaries or a new list of areas.
ENTFALLEN_DURCH = {"zuordnung": " (neue Zuordnung der Gemeinden zu Sozialräumen)",
                   "grenzen": " (neue Gebietsgrenzen)", "gebiete": " (neues Gebietsverzeichnis)"}


def entfallen_text(gebiet: str, entfallen: pd.DataFrame) -> str:
    """What a person restricted to an area that is no longer stored reads instead of data, in German. entfallen:
    queries/gebiet_entfallen.sql for that code (name, entfernt_durch, entfernt_am, datei, art; may be empty); the
    reason in brackets follows the kind of the import that removed the area (ENTFALLEN_DURCH)."""
    zeile = entfallen.iloc[0] if not entfallen.empty else None
    name = f"{zeile['name']} ({gebiet})" if zeile is not None and isinstance(zeile["name"], str) else gebiet
    wann = ""
    if zeile is not None and pd.notna(zeile["entfernt_durch"]) and pd.notna(zeile["entfernt_am"]):
        art = ENTFALLEN_DURCH.get(zeile["art"], "") if isinstance(zeile["art"], str) else ""
        wann = (f" Es ist mit Import {int(zeile['entfernt_durch'])} am "
                f"{pd.Timestamp(zeile['entfernt_am']).strftime('%d.%m.%Y')} entfallen{art}.")
    return (f"Ihr Zugang ist auf das Gebiet {name} beschränkt, und dieses Gebiet gibt es in den Daten nicht mehr."
            f"{wann} Deshalb zeigt der Sozialmonitor Ihnen keine Daten – auch keine Kreis-, Landes- oder "
            "Bundeswerte. Bitte wenden Sie sich an die Verwaltung Ihres Sozialmonitors: Sie kann Ihre Beschränkung "
            "auf ein bestehendes Gebiet ändern (Seite „Rollen“).")


def entfallene_beschraenkungen(benutzer: pd.DataFrame, gebiete: pd.DataFrame) -> list[str]:
    """'Sara Beispiel (sara@kreis.example): nur SR2' for each role-table entry restricted to an area that is no
    longer stored – such a person sees nothing until Verwaltung changes the entry (page "Rollen").
    benutzer: queries/benutzer.sql; gebiete: queries/gebiete_mit_sozialraum.sql."""
    return [f"{r.name} ({r.kennung}): nur {r.gebiet}" for r in benutzer.itertuples(index=False)
            if isinstance(r.gebiet, str) and gebiet_entfallen(r.gebiet, gebiete)]
