"""The catalogue's Geheimhaltung switch changed in the app by the Verwaltung (issue 19): whether an indicator counts
persons and falls under the statistical Geheimhaltung – e.g. a planner's own count of Familienlotsen (staff, not
persons in need) in a new Kreis, which the default rule would hide.

Written like a catalogue import of one indicator (the importer's one write path: working copy, one transaction,
atomic publish, which protects every value again under the new switch): the batch in `importe` names the person,
time and reason, the previous catalogue row moves to `indikatoren_historie`, and a Protokoll row records it."""

import hashlib
import json
from pathlib import Path

import pandas as pd

from sozialmonitor import importer
from sozialmonitor.errors import SozialmonitorFehler
from sozialmonitor.geheimhaltung import katalog, laden
from sozialmonitor.importer import schreiben
from sozialmonitor.zugang import protokoll, rollen


def geheimhaltung_setzen(db_path: Path, person: rollen.Person | None, indikator: str, geschuetzt: bool,
                         grund: str | None) -> str:
    """Set the catalogue's `geheimhaltung` of one indicator; returns the German confirmation. Raises KeinZugriff
    without the right 'rollen_verwalten' (Verwaltung), SozialmonitorFehler without a grund, for an unknown
    indicator or when nothing changes. The new version is published with every value protected again."""
    rollen.pruefe(person, "rollen_verwalten")
    grund = protokoll.verlange_grund(grund, "Geheimhaltung")
    with importer.working_copy(db_path) as con:
        zeilen = con.execute("SELECT * FROM indikatoren WHERE id = $id", {"id": indikator}).df()
        if zeilen.empty:
            raise SozialmonitorFehler(f"Den Indikator „{indikator}“ gibt es nicht (mehr).")
        vorher = katalog.schutz(zeilen, laden())[indikator]
        if vorher == bool(geschuetzt):
            raise SozialmonitorFehler(f"Nichts geändert: „{zeilen['name'].iloc[0]}“ ist schon "
                                      f"{'geschützt' if vorher else 'ohne Geheimhaltung'}.")
        row = zeilen.drop(columns=["import_id"]).iloc[0].to_dict() | {"geheimhaltung": bool(geschuetzt)}
        digest = hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()
        wie = "geschützt (Geheimhaltung)" if geschuetzt else "ohne Geheimhaltung"
        with schreiben.transaction(con):
            batch = schreiben.register_batch(con, importer.Ergebnis(
                "indikatoren", f"Indikator {indikator} ({wie}, in der App)", zeilen=1, geaendert=1), digest)
            protokoll.batch_zuschreiben(con, person, batch, grund)
            schreiben.replace_rows(con, "indikatoren", pd.DataFrame([row]), batch)
            protokoll.eintragen(con, person, "geheimhaltung_geaendert", f"Indikator {indikator}: {row['name']} – "
                                f"{wie}", grund, batch)
    return f"„{row['name']}“ ist jetzt {wie} (Eintrag {batch}); alle Werte wurden neu geschützt veröffentlicht."
