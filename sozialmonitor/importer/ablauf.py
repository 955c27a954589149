"""One entry for the command line and the page: run() imports one file of any kind into a new published version
(rights checked, Protokoll written); upgrade() brings a database to this version's schema."""

from pathlib import Path

from sozialmonitor import klartext
from sozialmonitor.zugang import protokoll
from sozialmonitor.zugang import rollen
from sozialmonitor.daten.db import SCHEMA_VERSION
from sozialmonitor.errors import DatenbankFehler
from sozialmonitor.daten.arbeitskopie import working_copy
from sozialmonitor.importer.beobachtungen import import_observations
from sozialmonitor.importer.ergebnis import KIND_NAMES, Ergebnis, Progress
from sozialmonitor.importer.gebiete import (GRENZ_ENDUNGEN, import_areas_table, import_boundaries, import_membership,
                                            is_boundary_file)
from sozialmonitor.importer.kataloge import import_indicators, import_targets
from sozialmonitor.importer.referenz import import_sozialindex, import_vergleichskreise, import_vergleichstypen
from sozialmonitor.importer import stuecke
from sozialmonitor.importer.schreiben import _step

KINDS = ("observations", "areas", "membership", "indicators", "targets", "sozialindex", "vergleichskreise",
         "vergleichstypen")
REFERENZ = {"sozialindex": import_sozialindex, "vergleichskreise": import_vergleichskreise,
            "vergleichstypen": import_vergleichstypen}
# Every file ending the importer reads – tables (CSV/TSV/Text, Excel), catalogues (TOML) and boundaries – for the
# uploader on the page Daten, which accepts exactly these
DATEI_ENDUNGEN = ("csv", "tsv", "txt", "xlsx", "toml", *GRENZ_ENDUNGEN)


def run(db_path: Path, kind: str, data: bytes, name: str, *, person: rollen.Person | None,
        grund: str | None = None, replace: bool = False, dry_run: bool = False,
        predecessors: bool = False, level: str = "gemeinde", id_field: str = "AGS", name_field: str = "GEN",
        layer: str | None = None, progress: Progress | None = None,
        weights: tuple[bytes, str] | None = None, profil: str | None = None, crs: str | None = None,
        quelle: str | None = None, indikator: str = "", neue_gebiete: bool = False,
        nummern: str | None = None, kreis: str | None = None) -> Ergebnis:
    """Import one file into the database at db_path (published on success unless dry_run). layer: which layer of a
    boundary file with several (GeoPackage); crs: the CRS of a boundary file that names none; quelle: the
    attribution of a boundary file; indikator: the indicator of a KomMonitor export's DATE_ values; profil: an
    import profile by name (observations or the Vergleichsring's Kreis values in another layout); neue_gebiete: the user confirms Länder and Kreise not
    yet stored (observations, --neue-gebiete); nummern: the file's own area numbers as codes by a pattern
    ("STGT##", --nummern); kreis: only the Gemeinden of this Kreis from a boundary file (a Germany-wide VG250,
    --kreis). Control characters in the file name and the file's
    text are removed (Ergebnis.hinweise says where). person: who imports (rollen.pruefe 'importieren', raises
    KeinZugriff before anything is read); the batch and the Protokoll record their name and the optional grund."""
    rollen.pruefe(person, "importieren")
    if (zu_gross := stuecke.zu_gross(len(data), name)) is not None:
        raise zu_gross
    name = klartext.bereinigen(name)
    with klartext.hinweise_sammeln() as hinweise, working_copy(db_path, publish=not dry_run) as con:
        if kind == "observations":
            ergebnis = import_observations(con, data, name, replace=replace, dry_run=dry_run,
                                           predecessors=predecessors, progress=progress, weights=weights,
                                           profil=profil, indikator=indikator, id_field=id_field,
                                           neue_gebiete=neue_gebiete, nummern=nummern)
        elif kind == "indicators":
            ergebnis = import_indicators(con, data, name, dry_run=dry_run, replace=replace)
        elif kind == "membership":
            ergebnis = import_membership(con, data, name, dry_run=dry_run, replace=replace)
        elif kind == "targets":
            ergebnis = import_targets(con, data, name, dry_run=dry_run, replace=replace)
        elif kind == "vergleichskreise":  # the Kreise' values of the Vergleichsring, also in a profile's layout
            ergebnis = REFERENZ[kind](con, data, name, dry_run=dry_run, replace=replace, profil=profil)
        elif kind in REFERENZ:  # the Sozialindex definitions and the Vergleichsring's reference data
            ergebnis = REFERENZ[kind](con, data, name, dry_run=dry_run, replace=replace)
        elif is_boundary_file(data, name):
            ergebnis = import_boundaries(con, data, name, level=level, id_field=id_field, name_field=name_field,
                                         dry_run=dry_run, replace=replace, layer=layer, crs=crs, quelle=quelle,
                                         kreis=kreis)
        else:
            ergebnis = import_areas_table(con, data, name, dry_run=dry_run, replace=replace)
        ergebnis.hinweise = [*ergebnis.hinweise, *hinweise]
        if not dry_run and not ergebnis.bereits_importiert and ergebnis.import_id is not None:
            protokoll.batch_zuschreiben(con, person, ergebnis.import_id, grund)
            protokoll.eintragen(con, person, "import", f"Import {ergebnis.import_id}: "
                                f"{KIND_NAMES.get(ergebnis.art, ergebnis.art)} – {ergebnis.datei}", grund,
                                ergebnis.import_id)
        _step(progress, 0.95, "Neue Datenbankversion veröffentlichen")
    _step(progress, 1.0, "Fertig")
    return ergebnis


def upgrade(db_path: Path, person: rollen.Person | None) -> None:
    """Bring an existing database to this version's schema (working_copy migrates it, after a copy of the old file
    in sicherungen/) and publish it; the values stay as they are. Never rebuilt from the demo files. Needs the
    right 'datenbank_aktualisieren' (KeinZugriff otherwise); recorded in the Protokoll."""
    rollen.pruefe(person, "datenbank_aktualisieren")
    if not Path(db_path).exists():
        raise DatenbankFehler(f"Die Datenbank {db_path} gibt es nicht.")
    with working_copy(db_path) as con:
        protokoll.eintragen(con, person, "datenbank_aktualisiert", f"Schema-Version {SCHEMA_VERSION}")
