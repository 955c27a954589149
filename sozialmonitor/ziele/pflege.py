"""Targets edited in the app by a Bearbeiter: create, change, retire – each with a reason, each a batch of its own.

A target edit is written like an import of one target (importer's one write path: working copy, one transaction,
atomic publish): the batch in `importe` names the person, time and reason, the previous version moves to
`ziele_historie` (ersetzt_durch = the edit's batch), and a Protokoll row records it. So every version stays
(queries/ziel_versionen.sql), an edit can be undone like any import, and stand.datenbank_am shows the targets as
they stood on any date. Checks are the same as for ziele.toml (einlesen.ziele.check_target)."""

import hashlib
import json
from datetime import date
from pathlib import Path

import pandas as pd

from sozialmonitor import fmt, importer
from sozialmonitor.ziele import auswertung
from sozialmonitor.zugang import protokoll
from sozialmonitor.einlesen import ziele as zieldatei
from sozialmonitor.zugang import rollen
from sozialmonitor.importer import schreiben
from sozialmonitor.errors import Befund, EingabeFehler, SozialmonitorFehler

FELDER = ("titel", "wortlaut", "indikator", "gebiete", "vergleich", "schwelle", "referenz", "anzahl", "aggregation",
          "basisjahr", "frist", "handlungsfeld", "quelle", "verantwortlich", "hinweis")


def _spec_ohne_leere(spec: dict) -> dict:
    """A form's values as a ziele.toml entry would hold them: empty optional fields left out."""
    return {k: v for k, v in spec.items() if not (v is None or (isinstance(v, str) and not v.strip())
                                                   or (isinstance(v, list) and not v))}


def pruefen(con, spec: dict) -> tuple[dict, list[Befund]]:
    """Check one target given as a dict with the keys of a [[ziel]] entry (id, titel, …; frist a date or
    'JJJJ-MM-TT') against the catalogue and areas of con. Returns the row for table ziele (without reihenfolge) and
    the findings (German, named 'Ziel <id>')."""
    spec = _spec_ohne_leere(spec)
    if isinstance(spec.get("frist"), date):
        spec["frist"] = spec["frist"].isoformat()
    ident = str(spec.get("id") or "").strip()
    befunde: list[Befund] = []
    where = f"Ziel {ident or '(ohne ID)'}"

    def report(key, meldung):
        befunde.append(Befund(where, None, key, meldung))

    indicators = {r[0] for r in con.execute("SELECT id FROM indikatoren").fetchall()}
    areas = dict(con.execute("SELECT code, ebene FROM gebiete").fetchall())
    row = zieldatei.check_target(spec, report, indicators, areas)  # the same rules as ziele.toml
    return {"id": ident, **row}, befunde


def _stored(con, ziel_id: str) -> dict | None:
    rows = con.execute("SELECT * FROM ziele WHERE id = $id", {"id": ziel_id}).df()
    return None if rows.empty else rows.iloc[0].to_dict()


def _gleich(alt: dict, neu: dict) -> bool:
    def norm(value):
        if hasattr(value, "tolist"):
            value = value.tolist()
        if isinstance(value, pd.Timestamp):
            value = value.date()
        return None if not isinstance(value, list) and pd.isna(value) else value
    return all(norm(alt.get(k)) == norm(neu.get(k)) for k in FELDER)


def _batch(con, datei: str, inhalt: dict, neu: int, geaendert: int) -> int:
    digest = hashlib.sha256(json.dumps(inhalt, sort_keys=True, default=str).encode()).hexdigest()
    ergebnis = importer.Ergebnis("ziele", datei, zeilen=1, neu=neu, geaendert=geaendert)
    return schreiben.register_batch(con, ergebnis, digest)  # the importer's batch, without an archived file


def speichern(db_path: Path, person: rollen.Person | None, spec: dict, grund: str | None, neu: bool) -> str:
    """Create (neu=True) or change one target; returns the German confirmation. Raises KeinZugriff without the
    right 'ziele_bearbeiten', SozialmonitorFehler without a grund, EingabeFehler with every finding (an existing id
    for a new target, an unknown one for a change, an unchanged target, the rules of ziele.toml)."""
    rollen.pruefe(person, "ziele_bearbeiten")
    grund = protokoll.verlange_grund(grund, "Ziel")
    with importer.working_copy(db_path) as con:
        row, befunde = pruefen(con, spec)
        alt = _stored(con, row["id"]) if row["id"] else None
        where = f"Ziel {row['id'] or '(ohne ID)'}"
        if not row["id"]:
            befunde.insert(0, Befund(where, None, "id", "Bitte eine ID angeben, z. B. „3.2-kinderarmut“."))
        elif neu and alt is not None:
            befunde.insert(0, Befund(where, None, "id", "Ein Ziel mit dieser ID gibt es schon."))
        elif not neu and alt is None:
            befunde.insert(0, Befund(where, None, "id", "Dieses Ziel gibt es nicht (mehr)."))
        elif not neu and not befunde and _gleich(alt, row):
            befunde.append(Befund(where, None, None, "Nichts geändert."))
        if befunde:
            raise EingabeFehler(befunde)
        reihenfolge = alt["reihenfolge"] if alt is not None else con.execute(
            "SELECT coalesce(max(reihenfolge), 0) + 1 FROM (SELECT reihenfolge FROM ziele UNION ALL "
            "SELECT reihenfolge FROM ziele_historie)").fetchall()[0][0]
        row = {"id": row["id"], "reihenfolge": int(reihenfolge), **{k: row[k] for k in FELDER}}
        aktion = "ziel_angelegt" if neu else "ziel_geaendert"
        with schreiben.transaction(con):
            batch = _batch(con, f"Ziel {row['id']} ({'angelegt' if neu else 'geändert'} in der App)", row,
                           int(neu), int(not neu))
            protokoll.batch_zuschreiben(con, person, batch, grund)
            schreiben.replace_rows(con, "ziele", pd.DataFrame([row]), batch)
            protokoll.eintragen(con, person, aktion, f"Ziel {row['id']}: {row['titel']}", grund, batch)
    return f"Ziel „{row['titel']}“ {'angelegt' if neu else 'geändert'} (Eintrag {batch})."


def zurueckziehen(db_path: Path, person: rollen.Person | None, ziel_id: str, grund: str | None) -> str:
    """Retire a target: it leaves the list of current targets, its versions stay (ziele_historie) and the goal page
    still shows it for dates before today. Same rights and reason rule as speichern."""
    rollen.pruefe(person, "ziele_bearbeiten")
    grund = protokoll.verlange_grund(grund, "Ziel zurückziehen")
    with importer.working_copy(db_path) as con:
        alt = _stored(con, ziel_id)
        if alt is None:
            raise SozialmonitorFehler(f"Das Ziel „{ziel_id}“ gibt es nicht (mehr).")
        with schreiben.transaction(con):
            batch = _batch(con, f"Ziel {ziel_id} (zurückgezogen in der App)", {"zurueckgezogen": ziel_id}, 0, 1)
            protokoll.batch_zuschreiben(con, person, batch, grund)
            con.execute("INSERT INTO ziele_historie BY NAME SELECT ziele.*, $batch AS ersetzt_durch FROM ziele "
                        "WHERE id = $id", {"batch": batch, "id": ziel_id})
            con.execute("DELETE FROM ziele WHERE id = $id", {"id": ziel_id})
            protokoll.eintragen(con, person, "ziel_zurueckgezogen", f"Ziel {ziel_id}: {alt['titel']}", grund, batch)
    return f"Ziel „{alt['titel']}“ zurückgezogen (Eintrag {batch}); seine Fassungen bleiben erhalten."


def formularwerte(ziel: dict | None) -> dict:
    """A stored target (row of queries/ziele_katalog.sql) as the values of the edit form; None: an empty form."""
    if ziel is None:
        return {"id": "", "titel": "", "wortlaut": "", "indikator": None, "gebiete": ["kreis"], "vergleich": "<",
                "schwelle": None, "referenz": None, "anzahl": None, "aggregation": "jahreswert",
                "basisjahr": date.today().year, "frist": date(date.today().year + 3, 12, 31), "handlungsfeld": "",
                "quelle": "", "verantwortlich": "", "hinweis": ""}
    werte = {k: ziel.get(k) for k in ("id", *FELDER)}
    werte["gebiete"] = list(werte["gebiete"]) if werte["gebiete"] is not None else []
    werte["frist"] = pd.Timestamp(werte["frist"]).date()
    for k in ("schwelle", "anzahl", "basisjahr"):
        if werte[k] is not None and pd.isna(werte[k]):
            werte[k] = None
    for k in ("wortlaut", "hinweis", "referenz"):
        if werte[k] is not None and not isinstance(werte[k], str):
            werte[k] = None
    return werte


def versionen_tabelle(versionen: pd.DataFrame) -> pd.DataFrame:
    """queries/ziel_versionen.sql as people read it: Fassung (1, 2 … per target), gültig ab/bis, by whom and why,
    the goal."""
    return pd.DataFrame({
        **protokoll.fassungs_spalten(versionen),
        "Titel": versionen["titel"],
        # '< 7', '≤ 6,5': the German number, as the agreement writes it (not '< 7.0')
        "Vorgabe": [f"{auswertung.ZEICHEN.get(v, v)} "
                    f"{fmt.zahl(s, 2).rstrip('0').rstrip(',') if pd.notna(s) else r}"
                    for v, s, r in zip(versionen["vergleich"], versionen["schwelle"], versionen["referenz"])],
        "Frist": versionen["frist"].map(lambda f: pd.Timestamp(f).strftime("%d.%m.%Y")),
    })
