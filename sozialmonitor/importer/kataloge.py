"""The catalogues: the indicator catalogue (indikatoren.toml) and the targets of the agreement (ziele.toml), each
checked as a whole and replaced by id."""

from pathlib import Path

import pandas as pd

from sozialmonitor import einlesen, klartext
from sozialmonitor.daten.arbeitskopie import sha256
from sozialmonitor.daten.queries import run_query
from sozialmonitor.fmt import anzahl
from sozialmonitor.importer.ergebnis import FIELD_LABELS, Ergebnis, _feldwert, _gleich
from sozialmonitor.importer.schreiben import (_decide, _diff, _parse, _refuse_if, register_batch, replace_rows,
                                              _result, _seen_before, transaction)
from sozialmonitor.einlesen.ziele import parse_targets

EINGEBAUTER_KATALOG = Path(__file__).resolve().parents[2] / "data" / "indikatoren.toml"  # what einrichten stores
INDICATOR_FIELDS = ["name", "definition", "zaehler", "nenner", "einheit", "art", "polaritaet", "nachkommastellen",
                    "quelle", "faktor", "mindest_nenner", "mindest_zaehler", "turnus", "geheimhaltung",
                    "zaehler_indikator", "nenner_indikator"]


def import_indicators(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False,
                      vorgabe: bool = False) -> Ergebnis:
    """indikatoren.toml: the catalogue, checked as a whole and replaced by id.

    An entry that differs from the stored one is a conflict (refused without replace: file, line and field of each
    difference, and what already uses the entry) – except a default: an entry the built-in catalogue stored
    (einrichten, or the built-in file imported) that nobody has changed since and that no observation, target or
    Kreis reference value uses (queries/indikatoren_vorgaben.sql). A planner's own catalogue replaces those without
    replace; each is named in the preview ("Ersetzt Vorgabe …", Ergebnis.hinweise). vorgabe: this file is the
    built-in catalogue (einrichten), its batch is marked as such in metadaten ('vorgabe_indikatoren')."""
    digest, seen = _seen_before(con, "indikatoren", data, name)
    if seen:
        return seen
    catalogue, befunde = _parse(einlesen.parse_indicators, data, name)
    _refuse_if(befunde)
    zeilen = einlesen.katalog_zeilen(data, name)
    incoming = catalogue[["id", *INDICATOR_FIELDS]].assign(
        zeile=pd.array([zeilen.get((i, None)) for i in catalogue["id"]], dtype="Int64"))
    diff = _diff(con, "indikatoren", incoming, INDICATOR_FIELDS)
    _vorgaben_und_konflikte(con, diff, zeilen)
    ergebnis = _result("indikatoren", name, diff, ["id"], ["name", "einheit", "art", "nachkommastellen"], dry_run)
    ergebnis.hinweise += [f"Ersetzt Vorgabe {r.id} „{r.alt_name}“ (aus dem eingebauten Katalog, im Amt nicht "
                          f"geändert, noch ohne Werte und Ziele): {r.abweichung}."
                          for r in diff[diff["ersetzt_vorgabe"]].itertuples(index=False)]
    if not _decide(con, ergebnis, [], replace):
        return ergebnis
    with transaction(con):
        import_id = register_batch(con, ergebnis, digest, data)
        replace_rows(con, "indikatoren", diff.loc[diff["aenderung"].ne("unveraendert"),
                                                   ["id", *INDICATOR_FIELDS]], import_id)
        if vorgabe:
            con.execute("INSERT OR REPLACE INTO metadaten VALUES ('vorgabe_indikatoren', $id)",
                        {"id": str(import_id)})
    return ergebnis


def _vorgaben_und_konflikte(con, diff: pd.DataFrame, zeilen: dict) -> None:
    """Mark the changed entries of a catalogue's diff (in place): ersetzt_vorgabe (a default nobody changed or uses:
    replaced without asking), abweichung (every differing field, old → new, in German), anders (their names,
    comma-separated: the preview shows them beside name/einheit/art), feld ('[id] key' of the differing keys), zeile (the line of the first differing key in the file, else of [id]) and konflikt_grund (what
    already uses a real conflict's entry)."""
    stand = run_query(con, "indikatoren_vorgaben", vorgabe_sha=sha256(EINGEBAUTER_KATALOG.read_bytes()))
    stand = stand.set_index("id")
    abweichung, felder, zeile, grund, namen = [], [], [], [], []
    for r in diff.itertuples(index=False):
        anders = [f for f in INDICATOR_FIELDS if r.aenderung == "geaendert"
                  and not _gleich(getattr(r, "alt_" + f), getattr(r, f))]
        abweichung.append("; ".join(f"{FIELD_LABELS.get(f, f)} {_feldwert(getattr(r, 'alt_' + f))} → "
                                    f"{_feldwert(getattr(r, f))}" for f in anders))
        felder.append(", ".join(f"[{r.id}] {f}" for f in anders) or None)
        namen.append(",".join(anders))
        linien = [zeilen[(r.id, f)] for f in anders if (r.id, f) in zeilen]
        zeile.append(min(linien) if linien else r.zeile)
        grund.append(_genutzt(stand.loc[r.id]) if r.aenderung == "geaendert" and r.id in stand.index else "")
    diff["abweichung"], diff["feld"], diff["konflikt_grund"], diff["anders"] = abweichung, felder, grund, namen
    diff["zeile"] = pd.array(zeile, dtype="Int64")
    diff["ersetzt_vorgabe"] = diff["aenderung"].eq("geaendert") & diff["id"].map(
        lambda i: bool(stand["frei"].get(i, False)))


def _genutzt(eintrag) -> str:
    """Why a stored entry is not a default to replace silently, in German: what uses it, or that the office set it."""
    teile = [text for n, text in ((eintrag["werte"], anzahl(eintrag["werte"], "gespeicherter Wert",
                                                            "gespeicherte Werte")),
                                  (eintrag["ziele"], anzahl(eintrag["ziele"], "Ziel", "Ziele")),
                                  (eintrag["vergleichswerte"], anzahl(eintrag["vergleichswerte"],
                                                                      "Vergleichswert der Kreise",
                                                                      "Vergleichswerte der Kreise"))) if n]
    if teile:
        return "schon genutzt: " + ", ".join(teile)
    if not eintrag["vorgabe"]:
        return f"im Amt festgelegt, Import {int(eintrag['import_id'])}" if pd.notna(eintrag["import_id"]) else ""
    return ""


def import_targets(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False) -> Ergebnis:
    """ziele.toml: audit targets, checked against the indicator catalogue and the areas; replaced by id."""
    digest, seen = _seen_before(con, "ziele", data, name)
    if seen:
        return seen
    indicators = set(r[0] for r in con.execute("SELECT id FROM indikatoren").fetchall())
    areas = dict(con.execute("SELECT code, ebene FROM gebiete").fetchall())
    rows, befunde = klartext.bereinigt_gelesen(parse_targets(data, name, indicators, areas), name)
    _refuse_if(befunde)
    fields = [c for c in rows.columns if c != "id"]
    diff = _diff(con, "ziele", rows.assign(zeile=pd.array([pd.NA] * len(rows), dtype="Int64")), fields)
    ergebnis = _result("ziele", name, diff, ["id"], ["titel", "indikator", "vergleich", "schwelle", "frist"], dry_run)
    if not _decide(con, ergebnis, [], replace):
        return ergebnis
    with transaction(con):
        import_id = register_batch(con, ergebnis, digest, data)
        replace_rows(con, "ziele", diff.loc[diff["aenderung"].ne("unveraendert"), ["id", *fields]], import_id)
    return ergebnis
