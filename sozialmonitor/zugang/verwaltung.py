"""Writes to the role table `benutzer` (page "Rollen" for Verwaltung, command line `python -m sozialmonitor
benutzer`). Every change goes through daten.arbeitskopie.working_copy (the one write path: a new database version published
by atomic rename) together with its Protokoll row, and needs the right 'rollen_verwalten' (rollen.pruefe)."""

from datetime import datetime
from pathlib import Path

from sozialmonitor.daten.arbeitskopie import working_copy
from sozialmonitor.zugang import protokoll
from sozialmonitor.zugang import rollen
from sozialmonitor.errors import SozialmonitorFehler


def rolle_setzen(db_path: Path, person: rollen.Person | None, kennung: str, name: str, rolle: str,
                 gebiet: str | None, grund: str | None, passwort: str | None = None) -> str:
    """Give kennung (e-mail or login; stored exactly as given, without surrounding blanks: the identity provider's
    e-mail is compared exactly, rollen.kennung_aus_claims) a role and optionally a Gemeinde/Sozialraum scope; with a
    passwort the person becomes a local user (Argon2id hash, rollen.passwort_hash); without one an existing hash
    is kept. Returns the German confirmation. Raises KeinZugriff without the right (or for one's own role, so that
    nobody locks the last Verwaltung out by accident), SozialmonitorFehler for an empty grund, unknown role or area."""
    rollen.pruefe(person, "rollen_verwalten")
    grund = protokoll.verlange_grund(grund, "Rolle")
    kennung = (kennung or "").strip()
    if not kennung:
        raise SozialmonitorFehler("Bitte eine Kennung angeben (E-Mail-Adresse oder Anmeldename).")
    if rolle not in rollen.ROLLEN:
        raise SozialmonitorFehler(f"Die Rolle „{rolle}“ gibt es nicht (erlaubt: {', '.join(rollen.ROLLEN)}).")
    if person.anmeldung != "kommandozeile" and kennung.lower() == person.kennung.lower():
        raise rollen.KeinZugriff("Die eigene Rolle ändert eine andere Person mit der Rolle Verwaltung.")
    gebiet = (gebiet or "").strip() or None
    if gebiet is not None and rolle != "betrachter":
        raise SozialmonitorFehler("Eine Beschränkung auf ein Gebiet gibt es nur für Betrachter: Importe und Ziele "
                                  "betreffen alle Gebiete.")
    neuer_hash = rollen.passwort_hash(passwort) if passwort else None
    with working_copy(db_path) as con:
        if gebiet is not None and not con.execute(
                "SELECT count(*) FROM gebiete WHERE code = $g AND ebene IN ('gemeinde', 'sozialraum')",
                {"g": gebiet}).fetchall()[0][0]:
            raise SozialmonitorFehler(f"„{gebiet}“ ist keine bekannte Gemeinde und kein Sozialraum.")
        con.execute("BEGIN TRANSACTION")
        con.execute("""
            INSERT INTO benutzer (kennung, name, rolle, gebiet, passwort_hash, geaendert_am, geaendert_von)
            VALUES ($kennung, $name, $rolle, $gebiet, $hash, $jetzt, $von)
            ON CONFLICT (kennung) DO UPDATE SET name = excluded.name, rolle = excluded.rolle,
                gebiet = excluded.gebiet, passwort_hash = coalesce(excluded.passwort_hash, benutzer.passwort_hash),
                geaendert_am = excluded.geaendert_am, geaendert_von = excluded.geaendert_von""",
                    {"kennung": kennung, "name": (name or "").strip() or kennung, "rolle": rolle, "gebiet": gebiet,
                     "hash": neuer_hash, "jetzt": datetime.now(), "von": person.protokollname})
        bereich = f", beschränkt auf {gebiet}" if gebiet else ""
        text = f"{kennung}: {rollen.ROLLEN[rolle]}{bereich}" + (", Passwort gesetzt" if neuer_hash else "")
        protokoll.eintragen(con, person, "rolle", text, grund)
        con.execute("COMMIT")
    return f"Gespeichert – {text}."


def eintrag_entfernen(db_path: Path, person: rollen.Person | None, kennung: str, grund: str | None) -> str:
    """Remove kennung's row: they get their role from the identity provider's groups again (a local user can no
    longer sign in). Same rights and checks as rolle_setzen."""
    rollen.pruefe(person, "rollen_verwalten")
    grund = protokoll.verlange_grund(grund, "Rolleneintrag entfernen")
    kennung = (kennung or "").strip()
    if person.anmeldung != "kommandozeile" and kennung.lower() == person.kennung.lower():
        raise rollen.KeinZugriff("Den eigenen Rolleneintrag entfernt eine andere Person mit der Rolle Verwaltung.")
    with working_copy(db_path) as con:
        if not con.execute("SELECT count(*) FROM benutzer WHERE kennung = $k", {"k": kennung}).fetchall()[0][0]:
            raise SozialmonitorFehler(f"Für „{kennung}“ gibt es keinen Rolleneintrag.")
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM benutzer WHERE kennung = $k", {"k": kennung})
        protokoll.eintragen(con, person, "benutzer_entfernt", kennung, grund)
        con.execute("COMMIT")
    return f"Rolleneintrag von {kennung} entfernt."
