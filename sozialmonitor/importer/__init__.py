"""The single write path: parse → validate → report what would change → commit in one transaction.

The app holds the published database open read-only, and DuckDB lets no other process write to it meanwhile.
So every write goes to a working copy of the file, and a successful import publishes it with an atomic rename;
readers notice the new file version and reopen. A refused import removes the copy: the database is untouched.

Nothing is lost: every import is a batch (file name, sha256, row counts, time, user) whose original file is
archived next to the database; rows a batch replaces move to the *_historie tables, so undo() restores the exact
previous state and state_at() can show any earlier one.

One module per job (the readers of each kind of file are in sozialmonitor.einlesen; the working copy, its lock and
publication in sozialmonitor.daten.arbeitskopie):

| module | what |
|---|---|
| `ablauf` | run() – one file of any kind into a new published version; upgrade() |
| `schreiben` | batches, the diff against the database, history rows, one transaction, write or refuse |
| `beobachtungen` | observations (also of former Gemeinden, KomMonitor exports) |
| `stuecke` | a large observations CSV checked and written in pieces (memory bounded; same findings as whole) |
| `gebiete` | areas tables, boundary files, the Gemeinde → Sozialraum membership |
| `kataloge` | the indicator catalogue and the targets |
| `referenz` | the Sozialindex definitions, the Kreise' values and Vergleichstypen of the Vergleichsring |
| `ruecknahme` | undo, with the imports that build on one (`abhaengigkeiten`: which later imports build on one) |
| `einrichten` | a new Kreis in one step: boundaries, register, catalogue, templates to fill in |
| `demo` | the embedded demo database, built through this write path like any import |
| `ergebnis` | Ergebnis (what an import did) and the tables page and command line show |

`from sozialmonitor import importer` gives the public API of all of them, as the single module did.

May import: basis, config, daten, geheimhaltung, einlesen, statistik, karten, zugang."""

from sozialmonitor.importer.ablauf import DATEI_ENDUNGEN, KINDS, run, upgrade
from sozialmonitor.daten.arbeitskopie import (ARCHIVE_FOLDER, BACKUP_FOLDER, READ_ONLY_SETTING,
                                                 read_only, sha256, working_copy)
from sozialmonitor.importer.beobachtungen import (OBSERVATION_FIELDS, combine_predecessors,
                                                  compare_with_database, import_observations, indicator_catalogue,
                                                  validate_observations)
from sozialmonitor.importer.ergebnis import (FIELD_LABELS, KIND_NAMES, RECORD_NOUNS, Ergebnis,
                                             Progress, batch_label, befunde_seitentabelle, befunde_tabelle, stand_tabelle,
                                             verlauf_tabelle)
from sozialmonitor.importer.gebiete import (AREA_FIELDS, GRENZ_ENDUNGEN, PARENT_BY_LEVEL, boundary_layers,
                                            import_areas_table, import_boundaries, import_membership,
                                            is_boundary_file)
from sozialmonitor.importer.kataloge import INDICATOR_FIELDS, import_indicators, import_targets
from sozialmonitor.importer.referenz import (import_sozialindex, import_vergleichskreise,
                                             import_vergleichstypen)
from sozialmonitor.importer.ruecknahme import (AbhaengigeImporte, run_undo, undo, undo_summary,
                                               undo_with_dependants)
from sozialmonitor.importer.schreiben import OBSERVATION_KEY, VERSIONED_TABLES

__all__ = ["AREA_FIELDS", "ARCHIVE_FOLDER", "DATEI_ENDUNGEN", "GRENZ_ENDUNGEN", "AbhaengigeImporte", "BACKUP_FOLDER", "Ergebnis", "FIELD_LABELS",
           "INDICATOR_FIELDS", "KINDS", "KIND_NAMES", "OBSERVATION_FIELDS", "OBSERVATION_KEY", "PARENT_BY_LEVEL",
           "Progress", "READ_ONLY_SETTING", "RECORD_NOUNS", "VERSIONED_TABLES", "batch_label", "befunde_seitentabelle", "befunde_tabelle",
           "boundary_layers", "combine_predecessors", "compare_with_database", "import_areas_table",
           "import_boundaries", "import_indicators", "import_membership", "import_observations", "import_sozialindex",
           "import_targets", "import_vergleichskreise", "import_vergleichstypen",
           "indicator_catalogue", "is_boundary_file", "read_only", "run", "run_undo", "sha256", "stand_tabelle",
           "undo", "undo_summary", "undo_with_dependants", "upgrade", "validate_observations", "verlauf_tabelle",
           "working_copy"]
