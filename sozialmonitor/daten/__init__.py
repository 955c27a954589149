"""Daten: the database – connection and schema (db), one named query per file of queries/ (queries), the working copy,
its lock and the atomic publication of a new version (arbeitskopie), the archive beside the database (ablage), the
state at an earlier moment (stand), paths and settings (config). May import: basis, config, geheimhaltung."""
