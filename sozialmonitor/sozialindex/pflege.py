"""Sozialindex definitions and the Vergleichsring edited in the app by a Bearbeiter – create, change, remove an
index, change the ring – each with a reason, each a batch of its own, as targets are (ziele.pflege).

An edit is written like an import of one definition (importer's one write path: working copy, one transaction,
atomic publish): the batch in `importe` names the person, time and reason, the previous version moves to
`sozialindex_definitionen_historie` (ersetzt_durch = the edit's batch), and a Protokoll row records it. So every
version stays (queries/sozialindex_fassungen.sql), an edit can be undone like any import, and the Sozialindex page
can show the index under an earlier version. The checks are those of sozialindex.toml (einlesen.sozialindex) and of
the catalogue (importer.referenz.katalog_befunde). While nothing is stored, the first edit stores the definitions
of data/sozialindex.toml beside it (the seed), so no other index disappears."""

import json
from pathlib import Path

import pandas as pd

from sozialmonitor import fmt, importer
from sozialmonitor.einlesen import sozialindex as indexdatei
from sozialmonitor.errors import Befund, EingabeFehler
from sozialmonitor.importer import referenz, schreiben
from sozialmonitor.sozialindex.berechnung import DATEI, datei_lesen
from sozialmonitor.zugang import protokoll, rollen

RING_ID = "vergleichsring"


def _ohne_leere(spec: dict) -> dict:
    """A form's values as a sozialindex.toml table would hold them: empty optional keys left out."""
    return {k: v for k, v in spec.items() if not (v is None or (isinstance(v, str) and not v.strip())
                                                   or (isinstance(v, (list, dict)) and not v))}


def pruefen(con, art: str, spec: dict) -> list[Befund]:
    """Every finding (German) for one index (art 'index') or the ring ('vergleichsring') given as the keys of its
    table: the rules of sozialindex.toml (unknown key, weights ≤ 0, minimum size < 0, span outside 1–10, bounds
    not ascending …) and of the catalogue (unknown indicator, not a rate, no polarity)."""
    befunde: list[Befund] = []
    wo = "Vergleichsring" if art == RING_ID else f"Index {spec.get('id') or '(ohne ID)'}"

    def report(key, meldung):
        befunde.append(Befund(wo, None, key, meldung))

    (indexdatei.check_ring if art == RING_ID else indexdatei.check_definition)(spec, report)
    ident = RING_ID if art == RING_ID else str(spec.get("id") or "")
    return befunde + referenz.katalog_befunde(con, [(art, ident, spec)], wo)


def _gleich(art: str, alt: dict, neu: dict) -> bool:
    """Two tables that define the same (300 and 300.0, a default written out or left away)."""
    pruefe = indexdatei.check_ring if art == RING_ID else indexdatei.check_definition
    return pruefe(alt, lambda *_: None) == pruefe(neu, lambda *_: None)


def _bestand(con) -> list[tuple[str, str, dict]]:
    """The stored tables (art, id, keys) in order; while none is stored, those of data/sozialindex.toml."""
    zeilen = con.execute("SELECT art, id, definition FROM sozialindex_definitionen ORDER BY reihenfolge, id").fetchall()
    if zeilen:
        return [(art, ident, json.loads(text)) for art, ident, text in zeilen]
    return indexdatei.parse_tabellen(datei_lesen(DATEI, "Die Index-Definitionen"), DATEI.name)


def _schreiben(db_path: Path, person, art: str, spec: dict, grund: str, neu: bool, entfernen: bool = False) -> str:
    with importer.working_copy(db_path) as con:
        bestand = _bestand(con)
        gespeichert = con.execute("SELECT count(*) FROM sozialindex_definitionen").fetchall()[0][0] > 0
        ident = RING_ID if art == RING_ID else str(spec.get("id") or "").strip()
        alt = next((s for a, i, s in bestand if i == ident), None)
        wo = "Vergleichsring" if art == RING_ID else f"Index {ident or '(ohne ID)'}"
        befunde = [] if entfernen else pruefen(con, art, spec)
        if not ident:
            befunde.insert(0, Befund(wo, None, "id", "Bitte eine ID angeben, z. B. „kinder_jugend“."))
        elif art != RING_ID and not ident.replace("_", "").replace("-", "").isalnum():
            befunde.insert(0, Befund(wo, None, "id", "Die ID besteht aus Buchstaben, Ziffern, - und _."))
        elif neu and alt is not None:
            befunde.insert(0, Befund(wo, None, "id", "Einen Index mit dieser ID gibt es schon."))
        elif not neu and alt is None and art != RING_ID:
            befunde.insert(0, Befund(wo, None, "id", "Diesen Index gibt es nicht (mehr)."))
        elif entfernen and sum(a == "index" for a, _, _ in bestand) == 1:
            befunde.append(Befund(wo, None, None, "Der letzte Index kann nicht entfernt werden."))
        elif not entfernen and not befunde and alt is not None and _gleich(art, alt, spec):
            befunde.append(Befund(wo, None, None, "Nichts geändert."))
        if befunde:
            raise EingabeFehler(befunde)
        if entfernen:
            neu_bestand = [z for z in bestand if z[1] != ident]
        elif alt is None:
            neu_bestand = [*[z for z in bestand if z[0] == "index"], (art, ident, spec),
                           *[z for z in bestand if z[0] != "index"]]
        else:
            neu_bestand = [(a, i, spec if i == ident else s) for a, i, s in bestand]
        zeilen = referenz.definition_rows(neu_bestand)
        # the edited table, and while nothing was stored the seed's tables with it (same batch)
        schreiben_ = zeilen if not gespeichert else zeilen[zeilen["id"].eq(ident)]
        aktion = ("sozialindex_entfernt" if entfernen else "vergleichsring_geaendert" if art == RING_ID
                  else "sozialindex_angelegt" if neu else "sozialindex_geaendert")
        wort = {"sozialindex_entfernt": "entfernt", "vergleichsring_geaendert": "geändert",
                "sozialindex_angelegt": "angelegt", "sozialindex_geaendert": "geändert"}[aktion]
        name = "Vergleichsring" if art == RING_ID else f"Index „{(spec if not entfernen else alt).get('name', ident)}“"
        ergebnis = importer.Ergebnis("sozialindex", f"{wo} ({wort} in der App)", zeilen=1, neu=int(alt is None),
                                     geaendert=int(alt is not None))
        with schreiben.transaction(con):
            batch = schreiben.register_batch(con, ergebnis, schreiben.sha256(
                json.dumps([aktion, ident, spec], sort_keys=True, default=str).encode()))
            protokoll.batch_zuschreiben(con, person, batch, grund)
            if entfernen:  # its versions stay in the history, as a retired target's
                con.execute("INSERT INTO sozialindex_definitionen_historie BY NAME SELECT d.*, $batch AS ersetzt_durch "
                            "FROM sozialindex_definitionen d WHERE d.id = $id", {"batch": batch, "id": ident})
                con.execute("DELETE FROM sozialindex_definitionen WHERE id = $id", {"id": ident})
            else:
                schreiben.replace_rows(con, "sozialindex_definitionen", schreiben_, batch)
            protokoll.eintragen(con, person, aktion, f"{name} ({ident})", grund, batch)
    return f"{name} {wort} (Eintrag {batch})."


def speichern(db_path: Path, person: rollen.Person | None, spec: dict, grund: str | None, neu: bool) -> str:
    """Create (neu=True) or change one index given as the keys of its [[index]] table; returns the German
    confirmation. Raises KeinZugriff without the right 'sozialindex_bearbeiten' (before anything is read),
    SozialmonitorFehler without a grund, EingabeFehler with every finding."""
    rollen.pruefe(person, "sozialindex_bearbeiten")
    grund = protokoll.verlange_grund(grund, "Sozialindex")
    return _schreiben(db_path, person, "index", _ohne_leere(spec), grund, neu)


def entfernen(db_path: Path, person: rollen.Person | None, ident: str, grund: str | None) -> str:
    """Remove one index (its versions stay in the history; the last index stays). Same rights and reason rule."""
    rollen.pruefe(person, "sozialindex_bearbeiten")
    grund = protokoll.verlange_grund(grund, "Sozialindex entfernen")
    return _schreiben(db_path, person, "index", {"id": ident}, grund, neu=False, entfernen=True)


def ring_speichern(db_path: Path, person: rollen.Person | None, spec: dict, grund: str | None) -> str:
    """Set the Vergleichsring (kreis, indikatoren, k, vergleichstyp). Same rights and reason rule as speichern."""
    rollen.pruefe(person, "sozialindex_bearbeiten")
    grund = protokoll.verlange_grund(grund, "Vergleichsring")
    return _schreiben(db_path, person, RING_ID, _ohne_leere(spec), grund, neu=False)


def formularwerte(spec: dict | None) -> dict:
    """A stored table as the values of the edit form (defaults filled in); None: an empty form for a new index."""
    spec = spec or {"id": "", "name": "", "ebene": "sozialraum", "indikatoren": []}
    werte = {**indexdatei.STANDARD, **spec}
    werte["gewichte"] = {i: float(spec.get("gewichte", {}).get(i, 1.0)) for i in werte.get("indikatoren", [])}
    werte["groesse"] = spec.get("groesse")
    return werte


def fassungen_tabelle(versionen: pd.DataFrame, namen: dict[str, str] | None = None) -> pd.DataFrame:
    """queries/sozialindex_fassungen.sql as people read it: Fassung (batch), gültig ab/bis, by whom and why, and
    the definition in short columns (indicators by their catalogue names from `namen`, with weights)."""
    namen = namen or {}
    spalten = [beschreibung(a, json.loads(d), namen) for a, d in zip(versionen["art"], versionen["definition"])]
    wer = protokoll.fassungs_spalten(versionen)
    wer.pop("abgelöst durch")  # the next newer row says who replaced it, and why (the table stays readable)
    return pd.DataFrame({**wer, **{k: [z[k] for z in spalten] for k in (spalten[0] if spalten else {})}})


def beschreibung(art: str, spec: dict, namen: dict[str, str] | None = None) -> dict[str, str]:
    """One stored table in words, by column: for an index Indikatoren (Gewicht) and Einstellungen (level, minimum
    size, span, class bounds); for the ring Kreis, Indikatoren, Ring."""
    namen = namen or {}
    if art == RING_ID:
        return {"Kreis": str(spec.get("kreis", "")),
                "Indikatoren": ", ".join(namen.get(i, i) for i in spec.get("indikatoren", [])),
                "Ring": "fester Ring (Vergleichstyp)" if spec.get("vergleichstyp") else f"{spec.get('k', 5)} "
                                                                                       "nächste Kreise"}
    werte = formularwerte(spec)
    ebene = {"sozialraum": "Sozialräume", "gemeinde": "Gemeinden"}.get(werte.get("ebene"), str(werte.get("ebene")))
    groesse = (f"ab {fmt.zahl(werte['mindestgroesse'])} {namen.get(werte['groesse'], werte['groesse'])}"
               if werte.get("groesse") else "ohne Mindestgröße")
    return {
        "Indikatoren (Gewicht)": ", ".join(f"{namen.get(i, i)} ({zahl_text(g)})" for i, g in werte["gewichte"].items()),
        "Einstellungen": (f"{ebene}; {groesse}; Dynamik {fmt.anzahl(int(werte['dynamik_jahre']), 'Jahr', 'Jahre')}; "
                          "Grenzen " + " / ".join(zahl_text(g) for g in werte["grenzen_status"]) + " und "
                          + " / ".join(zahl_text(g) for g in werte["grenzen_dynamik"])),
    }


def aktuelle_tabellen(query) -> list[tuple[str, str, dict]]:
    """The current tables (art, id, keys) through a query callable: the stored versions, else the seed file's."""
    zeilen = query("sozialindex_definitionen")
    if not zeilen.empty:
        return [(r.art, r.id, json.loads(r.definition)) for r in zeilen.itertuples()]
    return indexdatei.parse_tabellen(datei_lesen(DATEI, "Die Index-Definitionen"), DATEI.name)


def fassungen_auswahl(versionen: pd.DataFrame) -> dict[int, str]:
    """queries/sozialindex_fassungen.sql → {import_id: 'Fassung 2 vom 07.12.2026 11:00 (Bernd: Grund) – aktuell'}
    (numbered per index, protokoll.fassungs_nummern)
    for a choice of the version a page shows."""
    auswahl = {}
    for nummer, r in zip(protokoll.fassungs_nummern(versionen), versionen.itertuples()):
        ab = "" if pd.isna(r.gueltig_ab) else pd.Timestamp(r.gueltig_ab).strftime("%d.%m.%Y %H:%M")
        grund = r.grund if isinstance(r.grund, str) and r.grund else "ohne Grund"
        auswahl[int(r.import_id)] = (f"Fassung {nummer} vom {ab} ({r.benutzer or '–'}: {grund})"
                                     + (" – aktuell" if r.aktuell else ""))
    return auswahl


def zahl_text(wert: float) -> str:
    """A number of the form as a planner writes it: 1 → '1', 1.5 → '1,5', -1.0 → '−1'."""
    text = fmt.zahl(abs(float(wert)), 2).rstrip("0").rstrip(",")
    return ("−" if float(wert) < 0 and text != "0" else "") + text


def zahl_lesen(text: str):
    """A number typed the German way ('1,5', '−1', '-0,5') → float; what is no number stays the text, so that the
    check names it ('muss eine Zahl … sein')."""
    from sozialmonitor.karten.kartendaten import parse_zahl

    roh = (text or "").strip()
    negativ = roh[:1] in ("−", "-")
    wert = parse_zahl(roh[1:].strip() if negativ else roh)
    return text if wert is None else (-wert if negativ else wert)
