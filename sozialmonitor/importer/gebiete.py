"""Areas in: a table of areas (Kreis, Land, Bund), boundary files of any level (Gemeinden bring their Kreis,
Land and Bund from the built-in register; Sozialraum boundaries are kept as imported), and the Gemeinde →
Sozialraum membership, whose Sozialräume are dissolved from their Gemeinden."""

from pathlib import Path

import pandas as pd
import shapely

from sozialmonitor import einlesen, fmt
from sozialmonitor.daten import queries
from sozialmonitor.karten import geometrie
from sozialmonitor.einlesen import grenzen, register, schluessel
from sozialmonitor.errors import Befund, SozialmonitorFehler
from sozialmonitor.importer.ergebnis import Ergebnis
from sozialmonitor.importer.schreiben import (_decide, _diff, _parse, register_batch, replace_rows, _result,
                                              _retire, _seen_before, transaction)

# The boundary formats the importer reads (einlesen.dateiart.grenzformat), as file endings for the uploaders
GRENZ_ENDUNGEN = ("geojson", "json", "gpkg", "zip", "kml", "kmz")
PARENT_BY_LEVEL = {"gemeinde": 5, "kreis": 2}  # an AGS's parent is its prefix of this length
AREA_FIELDS = ["name", "ebene", "uebergeordnet"]


def _no_text(frame: pd.DataFrame) -> pd.Series:
    """An empty text column (DuckDB needs a type even when every value is missing)."""
    return pd.Series(None, index=frame.index, dtype="str")


def _area_diff(con, areas: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    """Areas (code, name, ebene, uebergeordnet, vorgaenger, zeile) against the stored ones; an areas table
    without predecessors keeps the stored ones."""
    if "bez" not in areas:
        areas = areas.assign(bez=pd.Series(None, index=areas.index, dtype="str"))
    diff = _diff(con, "gebiete", areas, fields, keep=[c for c in ("vorgaenger", "bez") if c not in fields])
    for kept in ("vorgaenger", "bez"):
        if f"alt_{kept}" in diff and kept not in fields:
            diff[kept] = diff[kept].where(diff[kept].notna() & diff[kept].ne(""), diff[f"alt_{kept}"])
    return diff


def _write_areas(con, diff: pd.DataFrame, import_id: int) -> None:
    replace_rows(con, "gebiete", diff.loc[diff["aenderung"].ne("unveraendert"),
                                           ["code", "name", "ebene", "uebergeordnet", "vorgaenger", "bez"]], import_id)


def import_areas_table(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False) -> Ergebnis:
    """Areas without boundaries, e.g. the Kreis and the reference areas Land and Bund (CSV or XLSX)."""
    digest, seen = _seen_before(con, "gebiete", data, name)
    if seen:
        return seen
    frame, befunde = _parse(einlesen.parse_areas_csv, data, name)
    padded = schluessel.auf_ebene(frame["gebiet"], frame["ebene"])
    befunde += schluessel.doppelt_nach_umrechnung(name, frame.assign(gebiet=padded), ["gebiet"],
                                                  padded.ne(frame["gebiet"]))
    frame["gebiet"] = padded
    frame["uebergeordnet"] = schluessel.auf_ebene(frame["uebergeordnet"].fillna(""), frame["ebene"].map(
        schluessel.PARENT_LEVEL)).replace("", None)
    areas = pd.DataFrame({"code": frame["gebiet"], "name": frame["name"], "ebene": frame["ebene"],
                          "uebergeordnet": frame["uebergeordnet"], "vorgaenger": _no_text(frame),
                          "zeile": frame["zeile"]})
    diff = _area_diff(con, areas, AREA_FIELDS)
    ergebnis = _result("gebiete", name, diff, ["code"], AREA_FIELDS, dry_run)
    if not _decide(con, ergebnis, befunde, replace):
        return ergebnis
    with transaction(con):
        import_id = register_batch(con, ergebnis, digest, data)
        _write_areas(con, diff, import_id)
    return ergebnis


def _stored_if_same_shape(con, shapes) -> list[bytes]:
    """The incoming boundaries as WKB, but the stored bytes where the shape is the same: another file format writes
    the same area as a MultiPolygon or starts its rings elsewhere, which is no change."""
    stored = dict(con.execute("SELECT gebiet, original_wkb FROM geometrien").fetchall())
    incoming = geometrie.to_wkb(shapes.geometry)
    before = [stored.get(code) for code in shapes["code"]]
    same = geometrie.same_shapes(incoming, before)
    return [bytes(old) if unchanged else new for new, old, unchanged in zip(incoming, before, same)]


def import_boundaries(con, data: bytes, name: str, level: str, id_field: str, name_field: str,
                      dry_run: bool = False, replace: bool = False, layer: str | None = None,
                      crs: str | None = None, quelle: str | None = None, kreis: str | None = None) -> Ergebnis:
    """Boundary file → areas of one level with original and display geometry; Sozialräume re-dissolved from their
    Gemeinden unless a Sozialraum boundary file gave their own polygons (kept as imported, under their own codes).
    layer: the layer of a GeoPackage with several; the batch and its messages are named after it. crs: the CRS of a
    file that names none. quelle: the attribution to store and show (else what the file says, see
    einlesen.grenzen.quellenangabe). kreis: only the Gemeinden of this Kreis (einrichten). Gemeinden bring their
    Kreis, Land and Deutschland from the built-in register; a Kreis not in it is reported."""
    if level not in einlesen.LEVELS:
        raise einlesen.befund(name, f"Ebene „{level}“ ist unbekannt (erlaubt: {', '.join(einlesen.LEVELS)}).",
                             feld="--level")
    label = name if layer is None else f"{name} (Ebene {layer})"
    label = label if kreis is None else f"{label} (Kreis {kreis})"
    digest, seen = _seen_before(con, "grenzen", data, label, whole_file=layer is None and kreis is None)
    if seen:
        return seen
    shapes = _parse(lambda d, n: grenzen.read_boundaries(d, n, id_field, name_field, layer, crs=crs,
                                                         ebene=level if level != "sozialraum" else None,
                                                         kreis=kreis), data, label)
    source = grenzen.quellenangabe(quelle, shapes.attrs.get("quelle"), name)
    prefix = PARENT_BY_LEVEL.get(level)
    parents = (shapes["code"].str[:prefix] if prefix else uebergeordnete_kreise(con, shapes)
               if level == "sozialraum" else
               pd.Series("DG" if level == "land" else None, index=shapes.index, dtype="str"))
    lines = pd.Series(range(1, len(shapes) + 1), index=shapes.index)
    incoming = pd.DataFrame({"code": shapes["code"], "name": shapes["name"], "ebene": level,
                             "uebergeordnet": parents, "vorgaenger": shapes["vorgaenger"], "bez": shapes["bez"],
                             "zeile": lines})
    stored = dict(con.execute("SELECT code, ebene FROM gebiete").fetchall())
    chain = register.neue_gebiete(set(parents.dropna()), set(stored)) if level != "sozialraum" else None
    with_bez = ["bez"] if shapes["bez"].notna().any() else []
    areas = _area_diff(con, incoming, AREA_FIELDS + ["vorgaenger"] + with_bez)
    befunde = einlesen.findings(label, areas, areas["alt_ebene"].notna() & areas["alt_ebene"].ne(level), id_field,
                               lambda r: f"Der Schlüssel {r.code} gehört schon {r.alt_name} (Ebene {r.alt_ebene}); "
                                         f"eine Grenzdatei der Ebene {level} kann ihn nicht übernehmen.")
    display = geometrie.simplify_for_display(shapes.geometry)
    geometries = _diff(con, "geometrien", pd.DataFrame({
        "gebiet": shapes["code"], "original_wkb": _stored_if_same_shape(con, shapes),
        "anzeige_wkb": geometrie.to_wkb(display), "zeile": lines}), ["original_wkb"])
    diff = areas.merge(geometries[["gebiet", "original_wkb", "anzeige_wkb", "alt_original_wkb", "aenderung"]],
                       left_on="code", right_on="gebiet", suffixes=("", "_flaeche"))
    diff["aenderung"] = diff["aenderung"].where(diff["aenderung_flaeche"].eq("unveraendert")
                                                | diff["aenderung"].eq("geaendert"), diff["aenderung_flaeche"])
    ergebnis = _result("grenzen", label, diff, ["code"], ["name", "original_wkb"], dry_run)
    ergebnis.hinweise = grenzen.hinweise_grenzen(shapes, parents, chain, set(stored), source, kreis, level)
    if not _decide(con, ergebnis, befunde, replace):
        return ergebnis
    with transaction(con):
        import_id = register_batch(con, ergebnis, digest, data, name)
        con.execute("INSERT INTO grenzen_quellen VALUES ($id, $ebene, $quelle)",
                    {"id": import_id, "ebene": level, "quelle": source})
        if chain is not None and not chain.empty:
            _write_areas(con, _area_diff(con, chain, AREA_FIELDS), import_id)
        _write_areas(con, areas, import_id)
        changed = geometries[geometries["aenderung"].ne("unveraendert")]
        replace_rows(con, "geometrien", changed[["gebiet", "original_wkb", "anzeige_wkb"]], import_id)
        if not changed.empty and level != "sozialraum":  # a Sozialraum file's own polygons are kept as imported
            _dissolve_sozialraeume(con, import_id)
    return ergebnis


def _dissolve_sozialraeume(con, import_id: int) -> None:
    """Sozialraum polygons are the union of their Gemeinden's polygons, rebuilt whenever either changes – except
    those a Sozialraum boundary file gave (SOZIALRAEUME_AUS_DATEI), kept as imported."""
    members = queries.im_vorgang(con, "sozialraum_gemeindeflaechen")
    # a constant predicate (SOZIALRAEUME_AUS_DATEI is the same subquery as in the .sql file), no values
    _retire(con, "geometrien", "gebiet IN (SELECT code FROM gebiete WHERE ebene = 'sozialraum') "
                               f"AND gebiet NOT IN ({SOZIALRAEUME_AUS_DATEI})", import_id)
    if members.empty:
        return
    original = geometrie.dissolve(pd.Series(geometrie.from_wkb(members["original_wkb"])), members["sozialraum"])
    display = geometrie.dissolve(pd.Series(geometrie.from_wkb(members["anzeige_wkb"])), members["sozialraum"])
    display = display.apply(lambda g: shapely.set_precision(g, geometrie.DISPLAY_PRECISION))
    replace_rows(con, "geometrien", pd.DataFrame({
        "gebiet": original.index, "original_wkb": geometrie.to_wkb(original.values),
        "anzeige_wkb": geometrie.to_wkb(display.loc[original.index].values)}), import_id)


def import_membership(con, data: bytes, name: str, dry_run: bool = False, replace: bool = False) -> Ergebnis:
    """The full Gemeinde → Sozialraum assignment; creates the Sozialräume and dissolves their polygons."""
    digest, seen = _seen_before(con, "zuordnung", data, name)
    if seen:
        return seen
    frame, befunde = _parse(einlesen.parse_membership, data, name)
    keys = schluessel.aufloesen(gespeicherte_gebiete(con), frame, name)
    frame, befunde = keys.zeilen, befunde + keys.befunde
    gemeinden = con.execute("SELECT code, uebergeordnet FROM gebiete WHERE ebene = 'gemeinde'").df()
    befunde += einlesen.findings(name, frame, ~frame["gebiet"].isin(gemeinden["code"]) & frame["gebiet"].ne(""),
                                "gebiet", lambda r: f"„{r.gebiet}“ ist keine bekannte Gemeinde.")
    kreise = set(gemeinden.loc[gemeinden["code"].isin(frame["gebiet"]), "uebergeordnet"])
    unassigned = gemeinden[gemeinden["uebergeordnet"].isin(kreise) & ~gemeinden["code"].isin(frame["gebiet"])]
    befunde += [Befund(name, None, "gebiet", f"Die Gemeinde {code} ist keinem Sozialraum zugeordnet (die Datei "
                                             "muss alle Gemeinden des Kreises enthalten).")
                for code in unassigned["code"].head(einlesen.MAX_BEFUNDE)]
    parent_by_gemeinde = dict(zip(gemeinden["code"], gemeinden["uebergeordnet"]))
    sozialraeume = frame.drop_duplicates("sozialraum")
    areas = _area_diff(con, pd.DataFrame({
        "code": sozialraeume["sozialraum"], "name": sozialraeume["sozialraum_name"], "ebene": "sozialraum",
        "uebergeordnet": sozialraeume["gebiet"].map(parent_by_gemeinde), "vorgaenger": _no_text(sozialraeume),
        "zeile": sozialraeume["zeile"]}), AREA_FIELDS)
    befunde += einlesen.findings(name, areas, areas["alt_ebene"].notna() & areas["alt_ebene"].ne("sozialraum"),
                                "sozialraum", lambda r: f"Der Schlüssel {r.code} gehört schon einem Gebiet der "
                                                        f"Ebene {r.alt_ebene} ({r.alt_name}).")
    assignment = _diff(con, "zuordnung", pd.DataFrame({"gemeinde": frame["gebiet"], "sozialraum": frame["sozialraum"],
                                                       "zeile": frame["zeile"]}), ["sozialraum"])
    diff = pd.concat([assignment.rename(columns={"gemeinde": "schluessel"}),
                      areas.rename(columns={"code": "schluessel"})[["schluessel", "name", "alt_name", "zeile",
                                                                    "aenderung"]]], ignore_index=True)
    ergebnis = _result("zuordnung", name, diff, ["schluessel"], ["sozialraum", "name"], dry_run, counted=assignment)
    ergebnis.kodierung = frame.attrs.get("kodierung", "")
    ergebnis.hinweise = [h for h in keys.hinweise if "Gebietsregister" not in h]
    area_changes = areas["aenderung"].value_counts()
    ergebnis.sozialraeume_neu = int(area_changes.get("neu", 0))
    ergebnis.sozialraeume_geaendert = int(area_changes.get("geaendert", 0))
    verwaist = _verwaiste_sozialraeume(con, frame)
    if not verwaist.empty:
        folgen = _folgen_texte(con, verwaist, dry_run or not replace)
        ergebnis.hinweise += [_verwaist_text(verwaist, dry_run or not replace), *folgen]
        if not replace and not dry_run:  # named in the refusal beside the conflicts it comes from
            befunde += [Befund(name, None, "sozialraum", text) for text in
                        [_verwaist_text(verwaist, True), *_folgen_texte(con, verwaist, True)]]
    if not _decide(con, ergebnis, befunde, replace):
        return ergebnis
    with transaction(con):
        import_id = register_batch(con, ergebnis, digest, data)
        _write_areas(con, areas, import_id)
        changed = assignment[assignment["aenderung"].ne("unveraendert")]
        replace_rows(con, "zuordnung", changed[["gemeinde", "sozialraum"]], import_id)
        if not verwaist.empty:  # to history with this batch: undo brings them back
            codes = {"codes": verwaist["code"].tolist()}
            for table, column in (("beobachtungen", "gebiet"), ("geometrien", "gebiet"), ("gebiete", "code")):
                _retire(con, table, f"{column} IN (SELECT unnest($codes))", import_id, codes)
        if not changed.empty:
            _dissolve_sozialraeume(con, import_id)
    return ergebnis


def _verwaiste_sozialraeume(con, frame: pd.DataFrame) -> pd.DataFrame:
    """The stored Sozialräume that had Gemeinden and have none once this assignment (frame: gebiet, sozialraum)
    is written – a replacing membership file renumbered or merged them. Columns code, name, werte (their own
    stored values). A Sozialraum that never had Gemeinden (own boundaries only) is not one of them."""
    stored = con.execute("SELECT gemeinde, sozialraum FROM zuordnung").df()
    after = dict(zip(stored["gemeinde"], stored["sozialraum"])) | dict(zip(frame["gebiet"], frame["sozialraum"]))
    codes = sorted(set(stored["sozialraum"]) - set(after.values()))
    if not codes:
        return pd.DataFrame({"code": [], "name": [], "werte": []})
    return con.execute("""
        SELECT g.code, g.name, (SELECT count(*) FROM beobachtungen b WHERE b.gebiet = g.code) AS werte
        FROM gebiete g WHERE g.code IN (SELECT unnest($codes)) ORDER BY g.code""", {"codes": codes}).df()


def _verwaist_text(verwaist: pd.DataFrame, vorschau: bool) -> str:
    """The report line for Sozialräume a membership file leaves without Gemeinden."""
    listed = ", ".join(f"{r.code} {r.name}" + (f" (mit {fmt.anzahl(int(r.werte), 'eigenen Wert', 'eigenen Werten')})"
                                               if r.werte else "") for r in verwaist.itertuples())
    verb = "werden beim Ersetzen entfernt" if vorschau else "entfernt"
    return (f"Ohne Gemeinden nach dieser Zuordnung, {verb}: {listed}. „Rückgängig“ holt sie mit ihren Werten "
            "zurück.")


def _folgen_texte(con, verwaist: pd.DataFrame, vorschau: bool) -> list[str]:
    """What still names the Sozialräume a membership file removes, one German line each (queries/
    zuordnung_entfall_folgen.sql): a target listing one by code – it shows „Gebiet entfallen“ instead of a verdict
    (ziele.auswertung) – and a role-table entry restricted to one – that person then sees no data at all and is
    told why (zugang.rollen.sichtbare_gebiete). Nothing is changed in either: „Rückgängig“ brings the Sozialraum
    back and both work as before."""
    folgen = queries.run_query(con, "zuordnung_entfall_folgen", codes=verwaist["code"].tolist())
    entfaellt = "der mit diesem Import entfällt" if vorschau else "der mit diesem Import entfallen ist"
    dann = "danach" if vorschau else "jetzt"
    texte = []
    for r in folgen.itertuples(index=False):
        if r.art == "ziel":
            texte.append(f"Ziel {r.kennung} „{r.name}“ nennt Sozialraum {r.gebiet}, {entfaellt}: Es zeigt {dann} "
                         "„Gebiet entfallen“ statt eines Urteils, bis es angepasst ist (Seite „Ziele bearbeiten“) "
                         "oder der Import rückgängig gemacht ist.")
        else:
            texte.append(f"Rolle von {r.name} ({r.kennung}) ist auf {r.gebiet} beschränkt, {entfaellt}: Diese Person "
                         f"sieht {dann} keine Daten (und erfährt, warum), bis die Verwaltung die Beschränkung ändert "
                         "(Seite „Rollen“) oder der Import rückgängig gemacht ist.")
    return texte


def is_boundary_file(data: bytes, name: str) -> bool:
    """An areas file with geometry (GeoJSON, GeoPackage, zipped Shapefile, KML, KMZ) rather than a table (CSV,
    XLSX) – by its content, not its name (einlesen.dateiart.textart): a KML is never read as CSV; XML or JSON that
    is no boundary format is refused by the boundary reader naming the formats it reads."""
    kind = einlesen.sniff(data)
    return kind in ("zip", "zip_defekt", "sqlite") or (kind == "text" and einlesen.textart(data) != "tabelle")


def boundary_layers(data: bytes, name: str) -> list[str]:
    """The layers of a GeoPackage (also zipped) to choose from. Other files have one; an unreadable file has none
    to choose from (its import check says why)."""
    if einlesen.sniff(data) not in ("sqlite", "zip"):
        return []
    try:
        return grenzen.layer_names(data, name)
    except SozialmonitorFehler:
        return []


SOZIALRAEUME_AUS_DATEI = """
    SELECT g.gebiet FROM geometrien g
    JOIN gebiete a ON a.code = g.gebiet AND a.ebene = 'sozialraum'
    JOIN grenzen_quellen q ON q.import_id = g.import_id AND q.ebene = 'sozialraum'"""


def uebergeordnete_kreise(con, shapes) -> pd.Series:
    """For boundaries of Sozialräume: the Kreis each lies in, from the stored Gemeinden under a point inside it (None
    where no Gemeinde is stored there). shapes: GeoDataFrame in EPSG:4326."""
    stored = con.execute("SELECT g.uebergeordnet, geo.original_wkb FROM gebiete g JOIN geometrien geo "
                         "ON geo.gebiet = g.code WHERE g.ebene = 'gemeinde' AND g.uebergeordnet IS NOT NULL").df()
    if stored.empty:
        return pd.Series(None, index=shapes.index, dtype="str")
    tree = shapely.STRtree(shapely.from_wkb([bytes(b) for b in stored["original_wkb"]]))
    points = shapely.point_on_surface(shapes.geometry.values)
    hits = tree.query(points, predicate="within")
    parents = pd.Series(None, index=shapes.index, dtype="str")
    for point_position, gemeinde_position in zip(*hits):
        parents.iloc[point_position] = stored["uebergeordnet"].iloc[gemeinde_position]
    return parents


def hinweise_ohne_daten(con, rows: pd.DataFrame) -> list[str]:
    """For the import report: the Gemeinden of the Kreise this file has values for that stay without any row (or are
    gemeindefrei). They do not block the Kreis or Sozialraum values (view gebiete_ohne_daten); the report names
    them. rows: the file's observation rows (column gebiet)."""
    gemeinden = con.execute("SELECT code, name, uebergeordnet, bez FROM gebiete WHERE ebene = 'gemeinde'").df()
    if gemeinden.empty:
        return []
    with_rows = {c for (c,) in con.execute("SELECT DISTINCT gebiet FROM beobachtungen").fetchall()}
    with_rows |= set(rows["gebiet"])
    touched = set(gemeinden.loc[gemeinden["code"].isin(rows["gebiet"]), "uebergeordnet"]) | set(rows["gebiet"])
    free = grenzen.gemeindefrei(gemeinden["bez"])
    quiet = gemeinden[gemeinden["uebergeordnet"].isin(touched) & ~gemeinden["code"].isin(with_rows)]
    if quiet.empty:
        return []
    listed = ", ".join(f"{r.code} {r.name}" + (" (gemeindefreies Gebiet)" if free[r.Index] else " (keine Zeilen)")
                       for r in quiet.head(20).itertuples())
    return [f"Ohne Werte: {listed}{' …' if len(quiet) > 20 else ''}. Kreis- und Sozialraumwerte werden ohne "
            "diese Gebiete berechnet und nennen sie."]


def gespeicherte_gebiete(con) -> list[tuple[str, str | None]]:
    """(code, vorgaenger) of every stored area, for einlesen.schluessel.aufloesen (a reader never asks the database)."""
    return con.execute("SELECT code, vorgaenger FROM gebiete").fetchall()
