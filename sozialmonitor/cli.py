"""Command line: python -m sozialmonitor build-demo | import KIND FILE | einrichten --kreis K --grenzen FILE |
undo BATCH | check | sozialindex | bericht | upgrade | benutzer KENNUNG. Exit 0 on success, 2 on refused input, a missing right or
an unreadable database. The person at the terminal acts as Verwaltung (rollen.kommandozeile), recorded under the OS
account."""

import argparse
import functools
import getpass
import json
import re
import sys
from pathlib import Path

from sozialmonitor import ausgabe, importer
from sozialmonitor.daten import ablage
from sozialmonitor.ausgabe import arbeitsmappe, foliensatz
from sozialmonitor.daten import db
from sozialmonitor.importer import demo
from sozialmonitor.daten import queries
from sozialmonitor.ziele import auswertung
from sozialmonitor.sozialindex import berechnung as sozialindex
from sozialmonitor.sozialindex import texte as sozialindex_texte
from sozialmonitor.sozialindex import vergleichsring
from sozialmonitor.zugang import verwaltung
from sozialmonitor.zugang import rollen
from sozialmonitor.ausgabe.unterlagen import collect
from sozialmonitor.fmt import anzahl
from sozialmonitor.daten.config import database_path
from sozialmonitor.importer import einrichten, stuecke
from sozialmonitor.errors import EingabeFehler, SozialmonitorFehler, betriebssystem_text

EXIT_OK, EXIT_REFUSED = 0, 2


class _DeutscheHilfe(argparse.HelpFormatter):
    """argparse's help in German: 'Aufruf:' instead of 'usage:'."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "Aufruf: " if prefix is None else prefix)


# argparse's own messages (Python 3.11–3.13) → German; a message not listed stays as argparse writes it.
_MELDUNGEN = [
    (re.compile(r"^unrecognized arguments: (.*)$"), r"unbekannte Angaben: \1"),
    (re.compile(r"^the following arguments are required: (.*)$"), r"diese Angaben fehlen: \1"),
    (re.compile(r"^argument (.*?): invalid choice: '?(.*?)'? \(choose from (.*)\)$"),
     r"Angabe \1: „\2“ gibt es nicht (möglich: \3)"),
    (re.compile(r"^argument (.*?): expected one argument$"), r"Angabe \1: es fehlt ein Wert"),
    (re.compile(r"^argument (.*?): expected at least one argument$"), r"Angabe \1: es fehlt mindestens ein Wert"),
    (re.compile(r"^argument (.*?): invalid (\w+) value: (.*)$"), r"Angabe \1: \3 ist kein gültiger Wert (\2)"),
    (re.compile(r"^argument (.*?): not allowed with argument (.*)$"), r"Angabe \1: nicht zusammen mit \2"),
    (re.compile(r"^argument (.*?): ignored explicit argument (.*)$"), r"Angabe \1: der Wert \2 ist hier nicht erlaubt"),
    (re.compile(r"^ambiguous option: (.*?) could match (.*)$"), r"mehrdeutige Angabe: \1 passt zu \2"),
]


class _DeutscherParser(argparse.ArgumentParser):
    """argparse in German (the command line is a user interface too): 'Aufruf:', 'Optionen:', German help for -h
    and German error messages; a wrong call ends with exit code 2, as argparse does."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _DeutscheHilfe)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "Argumente"
        self._optionals.title = "Optionen"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="diese Hilfe zeigen und beenden")

    def error(self, message):
        for muster, ersatz in _MELDUNGEN:
            if muster.match(message):
                message = muster.sub(ersatz, message)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_REFUSED, f"{self.prog}: Fehler: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _DeutscherParser(prog="python -m sozialmonitor", description="Sozialmonitor – Kommandozeile")
    commands = parser.add_subparsers(dest="befehl", required=True, title="Befehle", metavar="BEFEHL")

    build = commands.add_parser("build-demo", help="Demo-Datenbank (Kyffhäuserkreis) neu aufbauen")
    build.add_argument("--db", type=Path, default=None, help="Pfad der Datenbank")

    imp = commands.add_parser("import", help="Datei importieren")
    imp.add_argument("art", choices=list(importer.KINDS))
    imp.add_argument("datei", type=Path)
    imp.add_argument("--db", type=Path, default=None)
    imp.add_argument("--dry-run", action="store_true", help="nur prüfen und zeigen, was sich ändern würde")
    imp.add_argument("--replace", action="store_true", help="abweichende vorhandene Werte ersetzen")
    imp.add_argument("--vorgaenger", action="store_true",
                     help="Werte nach altem Gebietsstand (Vorgänger-AGS) auf heutige Gemeinden summieren "
                          "(observations)")
    imp.add_argument("--gewichte", type=Path, default=None, metavar="DATEI",
                     help="mit --vorgaenger: Aufteilung eines Vorgängers auf mehrere heutige Gemeinden "
                          "(CSV vorgaenger;nachfolger;gewicht, Gewichte je Vorgänger zusammen 1)")
    imp.add_argument("--level", default="gemeinde", help="Ebene der Grenzen (areas)")
    imp.add_argument("--id-field", default=None, help="Feld mit dem Gebietsschlüssel (areas: Standard AGS; "
                                                       "KomMonitor-Werte: Standard ID)")
    imp.add_argument("--name-field", default="GEN", help="Feld mit dem Namen (areas)")
    imp.add_argument("--layer", default=None, metavar="NAME",
                     help="Ebene (Layer) einer GeoPackage-Datei mit mehreren Ebenen (areas)")
    imp.add_argument("--profil", default=None, metavar="NAME",
                     help="Importprofil für Dateien in anderem Aufbau, z. B. BA- oder GENESIS-Tabellen "
                          "(observations und vergleichskreise, z. B. eine Kreistabelle der Regionalstatistik mit Jahren als "
                          "Spalten; gespeichert auf der Seite „Daten“ oder als profile/NAME.toml neben der "
                          "Datenbank)")
    imp.add_argument("--crs", default=None, metavar="EPSG:NNNN",
                     help="Koordinatensystem einer Grenzdatei, die keines nennt, z. B. EPSG:25832 (areas)")
    imp.add_argument("--quelle", default=None, metavar="TEXT",
                     help="Quellenangabe der Grenzen für Karte, PNG und Exporte, z. B. "
                          "„© GeoBasis-DE / BKG (2024)“ (areas)")
    imp.add_argument("--indikator", default="", metavar="ID",
                     help="Indikator der DATE_-Werte einer KomMonitor-Datei (observations; Schlüsselfeld mit "
                          "--id-field, Standard ID)")
    imp.add_argument("--neue-gebiete", action="store_true",
                     help="bestätigen, dass Länder und Kreise, die noch nicht in der Datenbank sind, gemeint sind: "
                          "sie werden aus dem eingebauten Gebietsregister angelegt (observations)")
    imp.add_argument("--kreis", default=None, metavar="SCHLÜSSEL",
                     help="nur die Gemeinden dieses Kreises aus einer Grenzdatei übernehmen, z. B. aus der VG250 für "
                          "ganz Deutschland (areas)")
    imp.add_argument("--nummern", default=None, metavar="MUSTER",
                     help="eigene Nummern der Gebiete in der Datei als Schlüssel lesen: jedes # steht für eine "
                          "Ziffer, z. B. STGT## macht aus 1 den Schlüssel STGT01 (observations)")

    setup = commands.add_parser("einrichten", help="einen Kreis in einem Schritt einrichten: Grenzen, Kreis/Land/"
                                                   "Bund aus dem Gebietsregister, Vorlagen zum Ausfüllen")
    setup.add_argument("--kreis", required=True, metavar="SCHLÜSSEL",
                       help="Kreisschlüssel (z. B. 03151) oder eindeutiger Name des Kreises")
    setup.add_argument("--grenzen", required=True, type=Path, metavar="DATEI",
                       help="Gemeindegrenzen (VG250_GEM.shp, gezipptes Shapefile, GeoPackage, GeoJSON; auch ganz "
                            "Deutschland – übernommen werden nur die Gemeinden des Kreises)")
    setup.add_argument("--vorlagen", type=Path, default=Path("."), metavar="ORDNER",
                       help="Ordner für die Vorlagen zuordnung_KREIS.csv und beobachtungen_KREIS.csv (Standard: hier)")
    setup.add_argument("--id-field", default="AGS", help="Feld mit dem Gemeindeschlüssel: AGS (8-stellig) oder ARS/RS "
                                                         "(12-stellig, wird in den AGS umgewandelt); hat die Datei "
                                                         "kein Feld AGS, wird ARS bzw. RS genommen")
    setup.add_argument("--name-field", default="GEN", help="Feld mit dem Namen")
    setup.add_argument("--layer", default=None, metavar="NAME", help="Ebene einer GeoPackage-Datei")
    setup.add_argument("--crs", default=None, metavar="EPSG:NNNN", help="Koordinatensystem, wenn die Datei keines nennt")
    setup.add_argument("--quelle", default=None, metavar="TEXT", help="Quellenangabe der Grenzen")
    setup.add_argument("--db", type=Path, default=None, help="Pfad der Datenbank")
    imp.add_argument("--grund", default=None, help="Anlass des Imports (steht im Protokoll)")

    check = commands.add_parser("check", help="Zielerreichung prüfen (alle Ziele × Gebiete)")
    check.add_argument("--db", type=Path, default=None, help="Pfad der Datenbank")
    check.add_argument("--json", action="store_true", help="als JSON ausgeben")

    index = commands.add_parser("sozialindex", help="Sozialindex: Status, Dynamik und Typen je Sozialraum oder "
                                "Gemeinde mit der Sicherheit jeder Klasse (Definitionen: die gespeicherte Fassung der "
                                "Datenbank, sonst data/sozialindex.toml)")
    index.add_argument("--db", type=Path, default=None, help="Pfad der Datenbank")
    index.add_argument("--json", action="store_true", help="als JSON ausgeben")
    index.add_argument("--definitionen", type=Path, default=None, metavar="DATEI",
                       help="andere Datei mit Index-Definitionen (Standard: die gespeicherte Fassung, Seite "
                            "„Sozialindex bearbeiten“)")
    index.add_argument("--jahr", type=int, default=None, metavar="JJJJ",
                       help="Stand des Index (Standard: das jüngste Jahr mit Werten aller Indikatoren)")

    report = commands.add_parser("bericht", help="Unterlagen für die Steuerungsgruppe: Foliensatz und/oder Tabellen")
    report.add_argument("--pptx", type=Path, metavar="DATEI", help="Foliensatz (PowerPoint) schreiben")
    report.add_argument("--xlsx", type=Path, metavar="DATEI", help="Tabellen (Excel) schreiben")
    report.add_argument("--docx", type=Path, metavar="DATEI", help="Sitzungsvorlage (Word) schreiben")
    report.add_argument("--pdf", type=Path, metavar="DATEI", help="Sitzungsvorlage (PDF) schreiben")
    report.add_argument("--steckbrief", action="append", default=[], metavar="GEBIET",
                        help="Steckbrief eines Sozialraums oder einer Gemeinde (mehrfach möglich): mit --docx/--pdf/"
                             "--pptx in diese Dateien, allein als steckbrief_GEBIET.docx und .pdf in --ordner")
    report.add_argument("--ordner", type=Path, default=Path("."), metavar="ORDNER",
                        help="Ordner für Steckbriefe ohne --docx/--pdf/--pptx (Standard: aktueller Ordner)")
    report.add_argument("--db", type=Path, default=None, help="Pfad der Datenbank")

    upgrade = commands.add_parser("upgrade", help="Datenbank auf das Schema dieser Fassung bringen (Werte bleiben)")
    upgrade.add_argument("--db", type=Path, default=None, help="Pfad der Datenbank")

    undo = commands.add_parser("undo", help="einen Import rückgängig machen")
    undo.add_argument("import_id", type=int, metavar="BATCH", help="Nummer des Imports (siehe Seite „Daten“)")
    undo.add_argument("--db", type=Path, default=None)
    undo.add_argument("--mit-abhaengigen", action="store_true",
                      help="spätere Importe, die darauf aufbauen, zusammen mit ihm rückgängig machen")
    undo.add_argument("--grund", required=True, help="warum (steht im Protokoll)")

    users = commands.add_parser("benutzer", help="Rolle setzen oder lokalen Benutzer (mit Passwort) anlegen")
    users.add_argument("kennung", help="E-Mail-Adresse beim Identitätsanbieter oder Anmeldename")
    users.add_argument("--rolle", choices=list(rollen.ROLLEN), default="betrachter")
    users.add_argument("--name", default="", help="Name, wie ihn das Protokoll zeigt")
    users.add_argument("--gebiet", default=None, help="nur diese Gemeinde / dieser Sozialraum (Code)")
    users.add_argument("--passwort", action="store_true",
                       help="Passwort für die lokale Anmeldung abfragen (ohne Identitätsanbieter)")
    users.add_argument("--entfernen", action="store_true", help="den Eintrag entfernen")
    users.add_argument("--grund", required=True, help="warum (steht im Protokoll)")
    users.add_argument("--db", type=Path, default=None)
    return parser


def run_import(args) -> importer.Ergebnis:
    if args.art == "areas" and (args.datei.suffix.lower() == ".shp" or args.datei.is_dir()):
        data, _ = einrichten.lese_grenzdatei(args.datei)  # a Shapefile's parts beside its .shp, packed as a ZIP
    else:
        try:
            if (zu_gross := stuecke.zu_gross(args.datei.stat().st_size, args.datei.name)) is not None:
                raise zu_gross  # refused before the file is read
            data = args.datei.read_bytes()
        except OSError as exc:
            raise SozialmonitorFehler(f"Die Datei {args.datei} lässt sich nicht lesen ({betriebssystem_text(exc)}).") from exc
    weights = None
    if args.gewichte is not None:
        try:
            weights = (args.gewichte.read_bytes(), args.gewichte.name)
        except OSError as exc:
            raise SozialmonitorFehler(f"Die Datei {args.gewichte} lässt sich nicht lesen ({betriebssystem_text(exc)}).") from exc
    id_field = args.id_field or ("ID" if args.art == "observations" else "AGS")
    return importer.run(args.db or database_path(), args.art, data, args.datei.name, person=rollen.kommandozeile(),
                        grund=args.grund, replace=args.replace,
                        dry_run=args.dry_run, predecessors=args.vorgaenger, level=args.level,
                        id_field=id_field, name_field=args.name_field, layer=args.layer, weights=weights,
                        profil=args.profil, crs=args.crs, quelle=args.quelle, indikator=args.indikator,
                        neue_gebiete=args.neue_gebiete, nummern=args.nummern, kreis=args.kreis)


def print_import(ergebnis: importer.Ergebnis) -> None:
    print(ergebnis.zusammenfassung())
    changed_count = ergebnis.vorschau_anzahl("geaendert")
    if ergebnis.trockenlauf and changed_count:
        changed = ergebnis.vorschau("geaendert", limit=20)
        print(f"Geänderte Werte (bisher → neu){', die ersten 20' if changed_count > 20 else ''}:")
        for row in changed.itertuples(index=False):
            print(f"  Zeile {row.Zeile}: {row.Schlüssel}: {row.bisher} → {row.neu}")


def run_check(args) -> str:
    """The evaluation of every target as JSON or as a German table; statuses never change the exit code."""
    con = db.connect_read_only(args.db or database_path())
    try:
        katalog, bewertung = auswertung.load(con)
    finally:
        con.close()
    if args.json:
        return json.dumps(auswertung.json_records(bewertung), ensure_ascii=False, indent=2)
    return auswertung.text_report(katalog, bewertung)


def run_sozialindex(args) -> str:
    """Every index of the definitions file as JSON or as a German report; classes never change the exit code."""
    con = db.connect_read_only(args.db or database_path())
    try:
        definitionen = sozialindex.definitionen(functools.partial(queries.run_query, con), args.definitionen)
        ergebnisse = [sozialindex.berechnen(con, d, args.jahr) for d in definitionen]
        ring = vergleichsring.berechnen(functools.partial(queries.run_query, con))
    finally:
        con.close()
    if args.json:
        return json.dumps({"indizes": [sozialindex_texte.json_daten(e) for e in ergebnisse],
                           "vergleichsring": vergleichsring.json_daten(ring) if isinstance(
                               ring, vergleichsring.Vergleichsring) else ring},
                          ensure_ascii=False, indent=2)
    teile = [sozialindex_texte.bericht(e) for e in ergebnisse]
    if ring is not None:
        teile.append(vergleichsring.bericht(ring) if isinstance(ring, vergleichsring.Vergleichsring) else ring)
    return "\n\n".join(teile)


def run_report(args) -> list[str]:
    """Writes the deck, the workbook, the Sitzungsvorlage and/or Steckbriefe; returns what was written, in German."""
    if not (args.pptx or args.xlsx or args.docx or args.pdf or args.steckbrief):
        raise SozialmonitorFehler("Bitte --pptx, --xlsx, --docx oder --pdf DATEI und/oder --steckbrief GEBIET "
                                  "angeben.")
    con = db.connect_read_only(args.db or database_path())
    try:
        query = functools.partial(queries.run_query, con)
        unterlagen = collect(query)
        try:
            written = _documents(args, query, unterlagen)
        except EingabeFehler as exc:  # the rules file of the Sitzungsvorlage, not an import
            raise SozialmonitorFehler("Die Regeldatei der Sitzungsvorlage ist fehlerhaft: "
                                      + " · ".join(str(b) for b in exc.befunde)) from exc
    finally:
        con.close()
    return written


def _documents(args, query, unterlagen) -> list[str]:
    """The Sitzungsvorlage (--docx/--pdf, with the Steckbriefe asked for) or, alone, one Steckbrief file pair per
    area. Read while the connection is open."""
    written = []
    if args.docx or args.pdf:
        dokument = ausgabe.sitzungsvorlage(query, steckbriefe=args.steckbrief)
        for path, endung in ((args.docx, "docx"), (args.pdf, "pdf")):
            if path:
                _write(path, ausgabe.schreiben(dokument, endung))
                written.append(f"Sitzungsvorlage geschrieben: {path}")
    elif args.steckbrief and not args.pptx:
        ausgabe.steckbrief_profile(query, args.steckbrief, unterlagen)  # refuses an unknown area before writing
        for gebiet in args.steckbrief:
            for endung in ("docx", "pdf"):
                path = args.ordner / f"steckbrief_{gebiet}.{endung}"
                _write(path, ausgabe.steckbrief_dokument(query, gebiet, endung))
                written.append(f"Steckbrief geschrieben: {path}")
    if args.pptx:
        satz = foliensatz.build_pptx(unterlagen, steckbriefe=ausgabe.steckbrief_folien(
            query, args.steckbrief, unterlagen))
        _write(args.pptx, satz.data)
        written.append(f"Foliensatz geschrieben: {args.pptx} ({satz.folien} Folien)")
        if satz.hinweis:
            written.append(f"Hinweis: ohne Diagramme. {satz.hinweis}")
    if args.xlsx:
        _write(args.xlsx, arbeitsmappe.xlsx_bytes(unterlagen, sozialindex.alle(query),
                                                  vergleichsring.berechnen(query)))
        written.append(f"Tabellen geschrieben: {args.xlsx} (Übersicht und {len(unterlagen.uebersicht)} Ziele)")
    return written


def run_users(args) -> str:
    """Role table from the command line (the person at the terminal counts as Verwaltung)."""
    target = args.db or database_path()
    if args.entfernen:
        return verwaltung.eintrag_entfernen(target, rollen.kommandozeile(), args.kennung, args.grund)
    passwort = None
    if args.passwort:
        passwort = getpass.getpass("Passwort: ")
        if passwort != getpass.getpass("Passwort wiederholen: "):
            raise SozialmonitorFehler("Die beiden Passwörter stimmen nicht überein.")
    return verwaltung.rolle_setzen(target, rollen.kommandozeile(), args.kennung, args.name, args.rolle, args.gebiet,
                                   args.grund, passwort)


def _write(path: Path, data: bytes) -> None:
    """Writes a produced file, creating its folder (as a planner names a new one with --ordner)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise SozialmonitorFehler(f"Die Datei {path} lässt sich nicht schreiben ({ablage.grund(exc)}).") from exc


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.befehl == "build-demo":
            target = args.db or database_path()
            for result in demo.build_demo(target):
                print(result.zusammenfassung())
            print(f"Demo-Datenbank geschrieben: {target}")
        elif args.befehl == "import":
            print_import(run_import(args))
        elif args.befehl == "einrichten":
            data, name = einrichten.lese_grenzdatei(args.grenzen)
            print(einrichten.einrichten(args.db or database_path(), args.kreis, data, name, id_field=args.id_field,
                                        name_field=args.name_field, layer=args.layer, crs=args.crs,
                                        quelle=args.quelle, vorlagen_ordner=args.vorlagen,
                                        person=rollen.kommandozeile()).zusammenfassung())
        elif args.befehl == "undo":
            print(importer.undo_summary(importer.run_undo(args.db or database_path(), args.import_id,
                                                          person=rollen.kommandozeile(), grund=args.grund,
                                                          with_dependants=args.mit_abhaengigen)))
        elif args.befehl == "check":
            print(run_check(args))
        elif args.befehl == "sozialindex":
            print(run_sozialindex(args))
        elif args.befehl == "bericht":
            print("\n".join(run_report(args)))
        elif args.befehl == "benutzer":
            print(run_users(args))
        elif args.befehl == "upgrade":
            target = args.db or database_path()
            before, _ = db.schema_and_demo(target)
            importer.upgrade(target, rollen.kommandozeile())
            print(f"Schema-Version {before} → {db.SCHEMA_VERSION}: {target}")
    except EingabeFehler as exc:
        found = anzahl(len(exc.befunde), "Befund", "Befunde")
        print(f"Import abgelehnt – die Datenbank bleibt unverändert. {found}:", file=sys.stderr)
        for befund in exc.befunde:
            print(f"  {befund}", file=sys.stderr)
        return EXIT_REFUSED
    except SozialmonitorFehler as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # a write that failed anywhere else (full disk, no rights): named in German
        if not ablage.ist_schreibfehler(exc):
            raise
        wo = getattr(exc, "filename", None)
        print(f"Fehler: {'Die Datei ' + str(wo) if wo else 'Eine Datei'} ließ sich nicht schreiben "
              f"({ablage.grund(exc)}).", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK
