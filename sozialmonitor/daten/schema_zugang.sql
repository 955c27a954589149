-- Sign-in, roles and the audit trail (schema version 7). Re-runnable, additive only; run by db.ensure_schema after
-- schema.sql. Written only inside importer.working_copy (imports, undo, target edits, role changes).

-- The role table: a row gives a person (kennung = e-mail or login, lower case) a role and optionally restricts them
-- to one Gemeinde or Sozialraum. A row wins over the identity provider's group claim. passwort_hash (Argon2id,
-- argon2-cffi) only for local users of a machine without identity provider.
CREATE TABLE IF NOT EXISTS benutzer (
    kennung       VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    rolle         VARCHAR NOT NULL CHECK (rolle IN ('betrachter', 'bearbeiter', 'verwaltung')),
    gebiet        VARCHAR,
    passwort_hash VARCHAR,
    geaendert_am  TIMESTAMP NOT NULL,
    geaendert_von VARCHAR NOT NULL
);

-- The audit trail: one row per import, undo, target change and role change, written in the same working copy as the
-- change itself (both are published together or not at all). Never updated or deleted.
CREATE SEQUENCE IF NOT EXISTS protokoll_nr_seq START 1;
CREATE TABLE IF NOT EXISTS protokoll (
    nr             INTEGER PRIMARY KEY,
    zeitpunkt      TIMESTAMP NOT NULL,
    aktion         VARCHAR NOT NULL,       -- import | rueckgaengig | ziel_angelegt | ziel_geaendert
                                           -- | ziel_zurueckgezogen | rolle | benutzer_entfernt | datenbank_aktualisiert
    gegenstand     VARCHAR NOT NULL,       -- what was changed, for a person: 'Import 12: werte.csv', 'Ziel 1.2'
    grund          VARCHAR,
    person_kennung VARCHAR NOT NULL,
    person_name    VARCHAR NOT NULL,
    anmeldung      VARCHAR NOT NULL,       -- oidc | lokal | ohne | kommandozeile
    import_id      INTEGER                 -- the batch in importe, where the change is one
);

-- Who did an import and why (until version 6 only the OS account was recorded in benutzer).
ALTER TABLE importe ADD COLUMN IF NOT EXISTS benutzer_kennung VARCHAR;
ALTER TABLE importe ADD COLUMN IF NOT EXISTS grund VARCHAR;
