"""Set up a Kreis in one step (``python -m sozialmonitor einrichten --kreis 03151 --grenzen VG250_GEM.shp`` and the
Daten page): the Gemeinde boundaries of that Kreis from any boundary file (also all of Germany's), Kreis, Land and
Deutschland from the built-in register, the indicator catalogue if the database has none (as defaults: a planner's
own catalogue replaces its entries while nobody changed or uses them, importer.kataloge), and two template files
pre-filled with the Kreis's Gemeinden – the Sozialraum membership (each Gemeinde its own Sozialraum until the planner
groups them) and the observations (one empty row per Gemeinde, Kreis, Land, Bund and indicator) – so that the next
step is typing numbers, not building tables."""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from sozialmonitor.einlesen import register
from sozialmonitor.daten.queries import run_query
from sozialmonitor.errors import Befund, EingabeFehler, SozialmonitorFehler, betriebssystem_text
from sozialmonitor.importer.kataloge import EINGEBAUTER_KATALOG

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
DEFAULT_CATALOGUE = EINGEBAUTER_KATALOG


@dataclass
class Einrichtung:
    """What einrichten did: the Kreis (code, name), the import results (importer.Ergebnis), the templates as
    {file name: CSV bytes (UTF-8 with BOM, ';', as Excel opens them)} and, where written, their paths."""

    kreis: str
    name: str
    ergebnisse: list = field(default_factory=list)
    vorlagen: dict[str, bytes] = field(default_factory=dict)
    geschrieben: list[Path] = field(default_factory=list)

    def zusammenfassung(self) -> str:
        lines = [f"Kreis {self.kreis} {self.name} eingerichtet."]
        lines += [e.zusammenfassung() for e in self.ergebnisse]
        if self.geschrieben:
            lines.append("Vorlagen zum Ausfüllen: " + ", ".join(str(p) for p in self.geschrieben))
            lines.append("Nächste Schritte: Sozialräume in der Zuordnung eintragen und importieren (membership), "
                         "Werte in die Beobachtungen eintragen und importieren (observations) – dann zeigt die Karte "
                         "sie.")
        return "\n".join(lines)


def kreis_waehlen(angabe: str) -> tuple[str, str]:
    """A Kreis by its 5-digit key (Excel's 4 digits too) or by its name (unique, case-insensitive): (code, name).
    Raises EingabeFehler naming the candidates if the name is not unique, or that it is not in the register."""
    kreise = register.register()
    kreise = kreise[kreise["ebene"].eq("kreis")]
    text = str(angabe).strip()
    code = "0" + text if text.isdigit() and len(text) == 4 else text
    hit = kreise[kreise["code"].eq(code)]
    if hit.empty:
        hit = kreise[kreise["name"].str.lower().eq(text.lower())]
    if hit.empty:
        hit = kreise[kreise["name"].str.lower().str.contains(text.lower(), regex=False)] if text else hit
    if len(hit) == 1:
        return hit["code"].iloc[0], hit["name"].iloc[0]
    if hit.empty:
        raise EingabeFehler([Befund("--kreis", None, None, f"„{text}“ ist kein Kreis des Gebietsregisters (Stand "
                                                             f"{register.STAND}): bitte den 5-stelligen Kreisschlüssel "
                                                             "angeben, z. B. 03151 für Gifhorn.")])
    raise EingabeFehler([Befund("--kreis", None, None, f"„{text}“ passt zu mehreren Kreisen: " + ", ".join(
        f"{r.code} {r.name} ({r.bez})" for r in hit.head(10).itertuples()) + ". Bitte den Kreisschlüssel angeben.")])


def lese_grenzdatei(pfad: Path) -> tuple[bytes, str]:
    """A boundary file from disk as bytes for the importer. A Shapefile given by its .shp (or a folder holding
    exactly one .shp) is packed with its sibling parts (.shx, .dbf, .prj, .cpg) into a ZIP in memory, as the
    importer reads Shapefiles. Raises EingabeFehler for a folder without exactly one .shp."""
    pfad = Path(pfad)
    if pfad.is_dir():
        found = sorted(p for p in pfad.iterdir() if p.suffix.lower() == ".shp")
        if len(found) != 1:
            listed = ", ".join(p.name for p in found) or "keins"
            raise EingabeFehler([Befund(str(pfad), None, None, "Der Ordner muss genau ein Shapefile (.shp) "
                                                               f"enthalten (gefunden: {listed}).")])
        pfad = found[0]
    try:
        if pfad.suffix.lower() != ".shp":
            return pfad.read_bytes(), pfad.name
        if not pfad.is_file():
            raise SozialmonitorFehler(f"Die Datei {pfad} lässt sich nicht lesen (es gibt sie nicht).")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for suffix in SHAPEFILE_PARTS:
                for part in (pfad.with_suffix(suffix), pfad.with_suffix(suffix.upper())):
                    if part.exists():
                        archive.write(part, pfad.stem + suffix)
                        break
        return buffer.getvalue(), pfad.name
    except OSError as exc:
        raise SozialmonitorFehler(f"Die Datei {pfad} lässt sich nicht lesen ({betriebssystem_text(exc)}).") from exc


def einrichten(db_path: Path, kreis: str, data: bytes, name: str, *, id_field: str = "AGS",
               name_field: str = "GEN", layer: str | None = None, crs: str | None = None,
               quelle: str | None = None, vorlagen_ordner: Path | None = None,
               jahr: int | None = None, person=None) -> Einrichtung:
    """Set up one Kreis in the database at db_path, in one published step: the indicator catalogue (data/
    indikatoren.toml) if the database has none, the Gemeinde boundaries of the Kreis from the boundary file (any
    extent; filtered by the AGS prefix), Kreis/Land/Bund from the register. Returns an Einrichtung with the
    templates (written to vorlagen_ordner if given). jahr: the year pre-filled in the observations template
    (default: last year, the last complete one) – JJJJ for yearly indicators, its twelve months JJJJ-MM for
    monthly ones (queries/indikator_turnus.sql). person: who sets it up (rollen.pruefe 'importieren': KeinZugriff without the right).
    Raises EingabeFehler / SozialmonitorFehler as the importer does (database unchanged)."""
    from sozialmonitor import importer
    from sozialmonitor.zugang import rollen

    rollen.pruefe(person, "importieren")

    code, kreis_name = kreis_waehlen(kreis)
    result = Einrichtung(code, kreis_name)
    with importer.working_copy(db_path) as con:
        if not con.execute("SELECT count(*) FROM indikatoren").fetchall()[0][0]:
            # marked as the defaults: a planner's own catalogue replaces the entries nobody changed or uses yet
            result.ergebnisse.append(importer.import_indicators(con, DEFAULT_CATALOGUE.read_bytes(),
                                                                DEFAULT_CATALOGUE.name, vorgabe=True))
        result.ergebnisse.append(importer.import_boundaries(con, data, name, "gemeinde", id_field, name_field,
                                                            layer=layer, crs=crs, quelle=quelle, kreis=code))
        gemeinden = con.execute("SELECT code, name, bez FROM gebiete WHERE ebene = 'gemeinde' AND uebergeordnet = $k "
                                "ORDER BY code", {"k": code}).df()
        indikatoren = dict(run_query(con, "indikator_turnus").itertuples(index=False))
        chain = con.execute("SELECT code FROM gebiete WHERE code IN ($k, $land, 'DG') ORDER BY length(code) DESC",
                            {"k": code, "land": code[:2]}).df()["code"].tolist()
    result.vorlagen = vorlagen(code, gemeinden, indikatoren, chain, jahr or date.today().year - 1)
    if vorlagen_ordner is not None:
        folder = Path(vorlagen_ordner)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for file_name, content in result.vorlagen.items():
                (folder / file_name).write_bytes(content)
                result.geschrieben.append(folder / file_name)
        except OSError as exc:
            raise SozialmonitorFehler(f"Die Vorlagen lassen sich nicht nach {folder} schreiben ({betriebssystem_text(exc)}). "
                                      "Die Grenzen sind importiert.") from exc
    return result


def zeitraeume(turnus: str, jahr: int) -> list[str]:
    """The periods of one year as the observations file writes them: ['2025'] for 'jahr', ['2025-01', …,
    '2025-12'] for 'monat' (einlesen.inhalte.PERIOD_PATTERN)."""
    return [f"{jahr}-{monat:02d}" for monat in range(1, 13)] if turnus == "monat" else [str(jahr)]


def vorlagen(kreis: str, gemeinden: pd.DataFrame, indikatoren: dict[str, str], chain: list[str],
             jahr: int) -> dict[str, bytes]:
    """The two templates as CSV bytes (UTF-8 with BOM, ';'): zuordnung_KREIS.csv (gebiet;sozialraum;sozialraum_name,
    every Gemeinde its own Sozialraum SR + its 3-digit number, named like it) and beobachtungen_KREIS.csv (gebiet;
    indikator;zeitraum;zaehler;nenner;wert;quelle, one empty row per Gemeinde, Kreis, Land, Bund, indicator and
    period of jahr: one for a yearly indicator, twelve for a monthly one).
    gemeinden: DataFrame(code, name, bez); a gemeindefreies Gebiet (no inhabitants) gets no observation rows.
    indikatoren: {id: turnus ('jahr'/'monat')}."""
    def as_csv(header: list[str], rows: list[list[str]]) -> bytes:
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        return text.getvalue().encode("utf-8-sig")

    membership = [[c, f"SR{c[-3:]}", n] for c, n in zip(gemeinden["code"], gemeinden["name"])]
    from sozialmonitor.einlesen.grenzen import gemeindefrei

    areas = list(gemeinden.loc[~gemeindefrei(gemeinden["bez"]), "code"]) + chain
    observations = [[area, indikator, period, "", "", "", ""] for indikator, turnus in indikatoren.items()
                    for period in zeitraeume(turnus, jahr) for area in areas]
    return {f"zuordnung_{kreis}.csv": as_csv(["gebiet", "sozialraum", "sozialraum_name"], membership),
            f"beobachtungen_{kreis}.csv": as_csv(["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert",
                                                  "quelle"], observations)}


def kreis_auswahl() -> pd.DataFrame:
    """The register's Kreise for a selection list: DataFrame(code, name, bez, text) with text '03151 Gifhorn
    (Landkreis, Niedersachsen)'."""
    frame = register.register()
    kreise = frame[frame["ebene"].eq("kreis")].copy()
    laender = dict(zip(frame["code"], frame["name"]))
    kreise["text"] = [f"{c} {n} ({b}, {laender.get(p, p)})" for c, n, b, p in
                      zip(kreise["code"], kreise["name"], kreise["bez"], kreise["uebergeordnet"])]
    return kreise[["code", "name", "bez", "text"]].reset_index(drop=True)
