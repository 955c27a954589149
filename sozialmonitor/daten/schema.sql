-- Sozialmonitor database schema. Re-runnable: every statement is IF NOT EXISTS or OR REPLACE.
-- Written only by the importer (sozialmonitor/importer/); the app opens the file read-only.

CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);

CREATE SEQUENCE IF NOT EXISTS import_id_seq START 1;

-- Facts about the database as a whole, e.g. ('demo', 'ja') for the embedded demo.
CREATE TABLE IF NOT EXISTS metadaten (schluessel VARCHAR PRIMARY KEY, wert VARCHAR NOT NULL);

-- One row per import (batch). Every stored row names the batch it came from.
CREATE TABLE IF NOT EXISTS importe (
    import_id   INTEGER PRIMARY KEY,
    art         VARCHAR NOT NULL,          -- beobachtungen | gebiete | grenzen | zuordnung | indikatoren | ziele
                                           -- | rueckgaengig (an undo; datei names the batch it reverted)
    datei       VARCHAR NOT NULL,          -- original file name
    sha256      VARCHAR NOT NULL,
    zeilen      INTEGER NOT NULL,          -- data rows in the file
    neu         INTEGER NOT NULL DEFAULT 0,
    geaendert   INTEGER NOT NULL DEFAULT 0,
    unveraendert INTEGER NOT NULL DEFAULT 0,
    benutzer    VARCHAR,
    zeitpunkt   TIMESTAMP NOT NULL,
    archiv      VARCHAR,                   -- archived copy of the original file, relative to the database's folder
    rueckgaengig_durch INTEGER             -- import_id of the undo that reverted this batch
);

CREATE TABLE IF NOT EXISTS gebiete (
    code          VARCHAR PRIMARY KEY,     -- AGS (8/5/2 digits), 'DG' or a Sozialraum code
    name          VARCHAR NOT NULL,
    ebene         VARCHAR NOT NULL CHECK (ebene IN ('gemeinde', 'sozialraum', 'kreis', 'land', 'bund')),
    uebergeordnet VARCHAR,                 -- Gemeinde → Kreis, Sozialraum → Kreis, Kreis → Land, Land → Bund
    vorgaenger    VARCHAR,                 -- comma-separated predecessor AGS (territorial changes)
    import_id     INTEGER,
    bez           VARCHAR                  -- designation (VG250 BEZ: Gemeinde, Stadt, Gemeindefreies Gebiet, Landkreis …)
);
-- Up to schema version 6 gebiete had no bez (added at the end, so old and new files have the same column order).
ALTER TABLE gebiete ADD COLUMN IF NOT EXISTS bez VARCHAR;

-- Geometry lives beside the attribute data as WKB (EPSG:4326): the original and a simplified copy for display.
CREATE TABLE IF NOT EXISTS geometrien (
    gebiet        VARCHAR PRIMARY KEY,
    original_wkb  BLOB NOT NULL,
    anzeige_wkb   BLOB NOT NULL,
    import_id     INTEGER
);

CREATE TABLE IF NOT EXISTS zuordnung (
    gemeinde   VARCHAR PRIMARY KEY,
    sozialraum VARCHAR NOT NULL,
    import_id  INTEGER
);

CREATE TABLE IF NOT EXISTS indikatoren (
    id               VARCHAR PRIMARY KEY,
    name             VARCHAR NOT NULL,
    definition       VARCHAR,
    zaehler          VARCHAR,
    nenner           VARCHAR,
    einheit          VARCHAR NOT NULL,      -- '%', '‰' or 'Anzahl'
    art              VARCHAR NOT NULL CHECK (art IN ('quote', 'anzahl')),
    polaritaet       VARCHAR NOT NULL CHECK (polaritaet IN ('niedriger_ist_besser', 'hoeher_ist_besser', 'neutral')),
    nachkommastellen INTEGER NOT NULL,
    quelle           VARCHAR,
    faktor           DOUBLE NOT NULL,       -- 100 for %, 1000 for ‰, 1 for counts
    import_id        INTEGER
);

-- status keeps apart what must never collapse: 'ok' (a value, possibly 0), 'gesperrt' (suppressed, BA '*'),
-- 'fehlt' (unknown, BA '.'), 'entfaellt' (not applicable, BA 'x'). A BA '-' is a real zero: status 'ok', value 0.
CREATE TABLE IF NOT EXISTS beobachtungen (
    gebiet    VARCHAR NOT NULL,
    indikator VARCHAR NOT NULL,
    zeitraum  VARCHAR NOT NULL,            -- 'YYYY' or 'YYYY-MM'
    zaehler   DOUBLE,
    nenner    DOUBLE,
    wert      DOUBLE,
    status    VARCHAR NOT NULL CHECK (status IN ('ok', 'gesperrt', 'fehlt', 'entfaellt')),
    quelle    VARCHAR,
    import_id INTEGER NOT NULL
    -- The key (gebiet, indikator, zeitraum) is unique, kept so by the one write path (importer: a file's repeated
    -- key is refused, a stored row is moved to the history before its successor is inserted; test_werte_stuecke)
    -- and not by a PRIMARY KEY: its index held 80 bytes a row in memory while an import wrote (issue 23: 0,5 GB
    -- for a 200-MB file). db.ensure_schema rebuilds a table that still has one.
);

-- Audit targets (data/ziele.toml), one row per [[ziel]]. gebiete holds area codes and the words 'kreis' and
-- 'sozialraeume', expanded by the view ziel_gebiete so that a new Sozialraum is covered without re-importing.
-- Exactly one of schwelle/referenz is set; anzahl makes it a coverage target (at least anzahl areas meet it).
CREATE TABLE IF NOT EXISTS ziele (
    id             VARCHAR PRIMARY KEY,
    reihenfolge    INTEGER NOT NULL,       -- position in its file: the order the agreement lists the targets
    titel          VARCHAR NOT NULL,
    wortlaut       VARCHAR,                -- the text of the agreement the target comes from
    indikator      VARCHAR NOT NULL,
    gebiete        VARCHAR[] NOT NULL,
    vergleich      VARCHAR NOT NULL CHECK (vergleich IN ('<', '<=', '>', '>=')),
    schwelle       DOUBLE,
    referenz       VARCHAR,
    anzahl         INTEGER,
    aggregation    VARCHAR NOT NULL CHECK (aggregation IN ('jahreswert', 'jahresdurchschnitt')),
    basisjahr      INTEGER NOT NULL,
    frist          DATE NOT NULL,
    handlungsfeld  VARCHAR NOT NULL,
    quelle         VARCHAR NOT NULL,
    verantwortlich VARCHAR NOT NULL,
    hinweis        VARCHAR,
    import_id      INTEGER
);

-- Schema 7 (additive): the reliability rule of an indicator (statistik.belastbarkeit) and a target's own precision
-- of comparison (statistik.genauigkeit; NULL = the indicator's nachkommastellen). Re-runnable.
ALTER TABLE indikatoren ADD COLUMN IF NOT EXISTS mindest_nenner DOUBLE;
ALTER TABLE indikatoren ADD COLUMN IF NOT EXISTS mindest_zaehler DOUBLE;
ALTER TABLE ziele ADD COLUMN IF NOT EXISTS vergleich_genauigkeit INTEGER;

-- History: every row a batch replaced or removed, with the batch that did it (ersetzt_durch), so that undoing the
-- batch restores the exact previous state. Each history table has its base table's columns, derived from it.
CREATE TABLE IF NOT EXISTS gebiete_historie AS SELECT *, CAST(NULL AS INTEGER) AS ersetzt_durch FROM gebiete LIMIT 0;
ALTER TABLE gebiete_historie ADD COLUMN IF NOT EXISTS bez VARCHAR;  -- history rows are always written BY NAME

-- The source of each boundary import (attribution shown on map, PNG and exports) and the level it was for; a
-- Sozialraum boundary file's polygons are kept as imported (never replaced by the union of their Gemeinden).
CREATE TABLE IF NOT EXISTS grenzen_quellen (
    import_id INTEGER PRIMARY KEY,
    ebene     VARCHAR NOT NULL,
    quelle    VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS geometrien_historie AS SELECT *, CAST(NULL AS INTEGER) AS ersetzt_durch FROM geometrien LIMIT 0;
CREATE TABLE IF NOT EXISTS zuordnung_historie AS SELECT *, CAST(NULL AS INTEGER) AS ersetzt_durch FROM zuordnung LIMIT 0;
CREATE TABLE IF NOT EXISTS indikatoren_historie AS SELECT *, CAST(NULL AS INTEGER) AS ersetzt_durch FROM indikatoren LIMIT 0;
CREATE TABLE IF NOT EXISTS beobachtungen_historie AS SELECT *, CAST(NULL AS INTEGER) AS ersetzt_durch FROM beobachtungen LIMIT 0;
CREATE TABLE IF NOT EXISTS ziele_historie AS SELECT *, CAST(NULL AS INTEGER) AS ersetzt_durch FROM ziele LIMIT 0;
ALTER TABLE indikatoren_historie ADD COLUMN IF NOT EXISTS mindest_nenner DOUBLE;
ALTER TABLE indikatoren_historie ADD COLUMN IF NOT EXISTS mindest_zaehler DOUBLE;
ALTER TABLE ziele_historie ADD COLUMN IF NOT EXISTS vergleich_genauigkeit INTEGER;

-- Schema 7: the flags the statistical offices set beside a number (einlesen/zahlen.py KENNZEICHEN): 'vorlaeufig'
-- (p), 'berichtigt' (r), 'geschaetzt' (s), 'unsicher' (a number in brackets); several comma-separated, NULL for none.
-- Added after the history table so a new and an upgraded database end up with the same columns.
ALTER TABLE beobachtungen ADD COLUMN IF NOT EXISTS kennzeichen VARCHAR;
ALTER TABLE beobachtungen_historie ADD COLUMN IF NOT EXISTS kennzeichen VARCHAR;
-- Schema 8: how often an indicator is counted (indikatoren.toml `turnus`): 'jahr' (periods JJJJ) or 'monat'
-- (JJJJ-MM); NULL = not said (einlesen.einrichten takes what the stored values and targets show). Additive.
ALTER TABLE indikatoren ADD COLUMN IF NOT EXISTS turnus VARCHAR;
ALTER TABLE indikatoren_historie ADD COLUMN IF NOT EXISTS turnus VARCHAR;
-- Issue 19: Geheimhaltung per indicator in the catalogue (indikatoren.toml `geheimhaltung`: counts persons, protected;
-- NULL = the rules file decides) and the count indicators a rate's numerator/denominator are, where the texts do
-- not say it (sozialmonitor/geheimhaltung/katalog.py). Additive: read only where a version is published.
ALTER TABLE indikatoren ADD COLUMN IF NOT EXISTS geheimhaltung BOOLEAN;
ALTER TABLE indikatoren ADD COLUMN IF NOT EXISTS zaehler_indikator VARCHAR;
ALTER TABLE indikatoren ADD COLUMN IF NOT EXISTS nenner_indikator VARCHAR;
ALTER TABLE indikatoren_historie ADD COLUMN IF NOT EXISTS geheimhaltung BOOLEAN;
ALTER TABLE indikatoren_historie ADD COLUMN IF NOT EXISTS zaehler_indikator VARCHAR;
ALTER TABLE indikatoren_historie ADD COLUMN IF NOT EXISTS nenner_indikator VARCHAR;

-- Parts an aggregate is built from: Gemeinden of a Sozialraum, Gemeinden of a Kreis.
CREATE OR REPLACE VIEW teilgebiete AS
SELECT z.sozialraum AS obergebiet, z.gemeinde AS teilgebiet
FROM zuordnung z
UNION ALL
SELECT g.uebergeordnet AS obergebiet, g.code AS teilgebiet
FROM gebiete g
WHERE g.ebene = 'gemeinde' AND g.uebergeordnet IS NOT NULL;

-- Parts without inhabitants: a gemeindefreies Gebiet (VG250 BEZ) or a Gemeinde without any row at all. A missing row
-- of such a part does not block its Kreis or Sozialraum; the aggregate names it (teile_ohne_daten, ohne_daten: "Name
-- (code): gemeindefrei, ohne Einwohner" or "Name (code): keine Daten" for an inhabited Gemeinde nobody imported).
CREATE OR REPLACE VIEW gebiete_ohne_daten AS
SELECT g.code, g.name,
       CASE WHEN regexp_matches(coalesce(g.bez, ''), '(?i)gemeindefrei|unbewohnt') THEN 'gemeindefrei'
            ELSE 'ohne_zeilen' END AS grund
FROM gebiete g
WHERE g.ebene = 'gemeinde'
  AND (regexp_matches(coalesce(g.bez, ''), '(?i)gemeindefrei|unbewohnt')
       OR NOT EXISTS (SELECT 1 FROM beobachtungen b WHERE b.gebiet = g.code));

-- The observations the value views below read: all of them – or, while the importer stores werte piece by piece
-- (db.materialise_values, issue 23: the whole view at once needed over 1 GB per 20 MB of observations), only the
-- periods from the variable werte_von up to before werte_bis (SET VARIABLE; unset for every reader). Every value
-- of a period is computed from observations of that period or, for an annual average, of its year's months.
CREATE OR REPLACE VIEW beobachtungen_teil AS
SELECT * FROM beobachtungen
WHERE (getvariable('werte_von') IS NULL OR zeitraum >= getvariable('werte_von'))
  AND (getvariable('werte_bis') IS NULL OR zeitraum < getvariable('werte_bis'));

-- Aggregates: sum of numerators / sum of denominators over all parts, never an average of rates.
-- An aggregate with a suppressed or missing part has no value (status 'unvollstaendig'): it cannot be summed honestly.
CREATE OR REPLACE VIEW werte_berechnet AS
WITH perioden AS (
    SELECT DISTINCT t.obergebiet, b.indikator, b.zeitraum
    FROM teilgebiete t JOIN beobachtungen_teil b ON b.gebiet = t.teilgebiet
),
teile AS (
    SELECT p.obergebiet, p.indikator, p.zeitraum, t.teilgebiet, o.name AS teil_name, o.grund AS teil_grund,
           b.zaehler, b.nenner, b.wert, b.kennzeichen,
           CASE WHEN b.status IS NOT NULL THEN b.status WHEN o.code IS NOT NULL THEN 'ohne_daten' ELSE 'fehlt' END
               AS status
    FROM perioden p
    JOIN teilgebiete t ON t.obergebiet = p.obergebiet
    LEFT JOIN beobachtungen_teil b
           ON b.gebiet = t.teilgebiet AND b.indikator = p.indikator AND b.zeitraum = p.zeitraum
    LEFT JOIN gebiete_ohne_daten o ON o.code = t.teilgebiet
),
summen AS (
    SELECT obergebiet AS gebiet, indikator, zeitraum,
           count(*) FILTER (WHERE status = 'gesperrt') AS teile_gesperrt,
           count(*) FILTER (WHERE status = 'fehlt') AS teile_fehlend,
           sum(zaehler) FILTER (WHERE status = 'ok') AS zaehler,
           sum(nenner) FILTER (WHERE status = 'ok') AS nenner,
           sum(wert) FILTER (WHERE status = 'ok') AS summe_werte,
           count(*) FILTER (WHERE status = 'ohne_daten') AS teile_ohne_daten,
           -- named with the reason: an uninhabited part (gemeindefrei) has nothing to count, an inhabited Gemeinde
           -- without rows has values nobody imported ("keine Daten": the aggregate lacks it)
           string_agg(teil_name || ' (' || teilgebiet || '): '
                      || CASE WHEN teil_grund = 'gemeindefrei' THEN 'gemeindefrei, ohne Einwohner' ELSE 'keine Daten' END,
                      '; ' ORDER BY teilgebiet) FILTER (WHERE status = 'ohne_daten') AS ohne_daten,
           -- the flags of a sum: every flag of a part it sums (a sum with a provisional part is provisional)
           nullif(array_to_string(list_sort(list_distinct(flatten(
               list(string_split(kennzeichen, ',')) FILTER (WHERE status = 'ok' AND kennzeichen IS NOT NULL))
           )), ','), '') AS kennzeichen
    FROM teile
    GROUP BY ALL
)
SELECT s.gebiet, s.indikator, s.zeitraum,
       CASE WHEN s.teile_gesperrt + s.teile_fehlend = 0 THEN s.zaehler END AS zaehler,
       CASE WHEN s.teile_gesperrt + s.teile_fehlend = 0 THEN s.nenner END AS nenner,
       CASE
           WHEN s.teile_gesperrt + s.teile_fehlend > 0 THEN NULL
           WHEN i.art = 'anzahl' THEN s.summe_werte
           WHEN s.nenner > 0 THEN i.faktor * s.zaehler / s.nenner
       END AS wert,
       CASE WHEN s.teile_gesperrt + s.teile_fehlend > 0 THEN 'unvollstaendig' ELSE 'ok' END AS status,
       s.teile_gesperrt, s.teile_fehlend, s.teile_ohne_daten, s.ohne_daten,
       CASE WHEN s.teile_gesperrt + s.teile_fehlend = 0 THEN s.kennzeichen END AS kennzeichen
FROM summen s JOIN indikatoren i ON i.id = s.indikator;

-- Every value per native period: imported rows win over computed aggregates (a published figure is authoritative).
CREATE OR REPLACE VIEW werte_perioden AS
-- Issue 19: counts beat published rates. A rate published without counts (e.g. the BA's monthly Kreis rate) does not
-- replace the value the view computes from the parts' counts for the same area and period: the computed value keeps
-- its counts (interval, trend, exact annual average), and the published rate stays beside it as `veroeffentlicht`.
WITH verdraengt AS (
    SELECT b.gebiet, b.indikator, b.zeitraum, b.wert
    FROM beobachtungen_teil b
    JOIN indikatoren i ON i.id = b.indikator
    JOIN werte_berechnet w ON w.gebiet = b.gebiet AND w.indikator = b.indikator AND w.zeitraum = b.zeitraum
    WHERE i.art = 'quote' AND b.status = 'ok' AND b.zaehler IS NULL AND b.wert IS NOT NULL
      AND w.status = 'ok' AND w.zaehler IS NOT NULL AND w.nenner IS NOT NULL
)
SELECT b.gebiet, b.indikator, b.zeitraum, b.zaehler, b.nenner, b.wert, b.status,
       'erhoben' AS herkunft, 0 AS teile_gesperrt, 0 AS teile_fehlend, b.quelle,
       0 AS teile_ohne_daten, CAST(NULL AS VARCHAR) AS ohne_daten, b.kennzeichen,
       CAST(NULL AS DOUBLE) AS veroeffentlicht
FROM beobachtungen_teil b
WHERE NOT EXISTS (
    SELECT 1 FROM verdraengt v WHERE v.gebiet = b.gebiet AND v.indikator = b.indikator AND v.zeitraum = b.zeitraum
)
UNION ALL
SELECT w.gebiet, w.indikator, w.zeitraum, w.zaehler, w.nenner, w.wert, w.status,
       'berechnet' AS herkunft, w.teile_gesperrt, w.teile_fehlend, NULL AS quelle,
       w.teile_ohne_daten, w.ohne_daten, w.kennzeichen, v.wert AS veroeffentlicht
FROM werte_berechnet w
LEFT JOIN verdraengt v ON v.gebiet = w.gebiet AND v.indikator = w.indikator AND v.zeitraum = w.zeitraum
WHERE v.gebiet IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM beobachtungen_teil b
    WHERE b.gebiet = w.gebiet AND b.indikator = w.indikator AND b.zeitraum = w.zeitraum
);

-- Annual averages ("im Jahresdurchschnitt") of monthly indicators: sum of the months' numerators / sum of their
-- denominators (the BA's way: average count over average base). A year with fewer than 12 usable months keeps a
-- value but is flagged 'unvollstaendig' with the number of months, never silently averaged.
CREATE OR REPLACE VIEW werte_jahresdurchschnitt AS
WITH monate AS (
    SELECT w.*, left(w.zeitraum, 4) AS jahr
    FROM werte_perioden w
    WHERE length(w.zeitraum) = 7
)
SELECT m.gebiet, m.indikator, m.jahr AS zeitraum,
       CASE WHEN count(*) FILTER (WHERE m.status = 'ok' AND m.zaehler IS NULL) = 0
            THEN sum(m.zaehler) FILTER (WHERE m.status = 'ok') END AS zaehler,
       CASE WHEN count(*) FILTER (WHERE m.status = 'ok' AND m.zaehler IS NULL) = 0
            THEN sum(m.nenner) FILTER (WHERE m.status = 'ok') END AS nenner,
       CASE
           WHEN count(*) FILTER (WHERE m.status = 'ok') = 0 THEN NULL
           WHEN i.art = 'quote' AND count(*) FILTER (WHERE m.status = 'ok' AND m.zaehler IS NULL) = 0
                THEN i.faktor * sum(m.zaehler) FILTER (WHERE m.status = 'ok')
                     / nullif(sum(m.nenner) FILTER (WHERE m.status = 'ok'), 0)
           ELSE avg(m.wert) FILTER (WHERE m.status = 'ok')
       END AS wert,
       CASE
           WHEN count(*) FILTER (WHERE m.status = 'ok') = 12 THEN 'ok'
           WHEN count(*) FILTER (WHERE m.status = 'ok') = 0 THEN 'fehlt'
           ELSE 'unvollstaendig'
       END AS status,
       CAST(count(*) FILTER (WHERE m.status = 'ok') AS INTEGER) AS monate,
       max(m.teile_ohne_daten) AS teile_ohne_daten, max(m.ohne_daten) AS ohne_daten,
       nullif(array_to_string(list_sort(list_distinct(flatten(
           list(string_split(m.kennzeichen, ',')) FILTER (WHERE m.status = 'ok' AND m.kennzeichen IS NOT NULL)
       ))), ','), '') AS kennzeichen
FROM monate m JOIN indikatoren i ON i.id = m.indikator
GROUP BY m.gebiet, m.indikator, m.jahr, i.art, i.faktor;

-- Every value the app reads: native periods plus the annual averages of monthly indicators (period 'YYYY' for those
-- means "Jahresdurchschnitt"; monate is NULL for native annual values). kennzeichen: the official flags
-- ('vorlaeufig,geschaetzt' …, einlesen/zahlen.py KENNZEICHEN) of the value, of an aggregate's parts or of the months. The importer stores it as the table `werte`
-- in every version it publishes (db.materialise_values), so a map change reads a table instead of re-aggregating.
CREATE OR REPLACE VIEW werte_live AS
SELECT w.gebiet, w.indikator, w.zeitraum, w.zaehler, w.nenner, w.wert, w.status, w.herkunft,
       w.teile_gesperrt, w.teile_fehlend, w.quelle, CAST(NULL AS INTEGER) AS monate,
       w.teile_ohne_daten, w.ohne_daten, w.kennzeichen, w.veroeffentlicht
FROM werte_perioden w
UNION ALL
SELECT j.gebiet, j.indikator, j.zeitraum, j.zaehler, j.nenner, j.wert, j.status, 'jahresdurchschnitt' AS herkunft,
       0 AS teile_gesperrt, 0 AS teile_fehlend, NULL AS quelle, j.monate,
       j.teile_ohne_daten, j.ohne_daten, j.kennzeichen, CAST(NULL AS DOUBLE) AS veroeffentlicht
FROM werte_jahresdurchschnitt j
WHERE NOT EXISTS (
    SELECT 1 FROM werte_perioden p
    WHERE p.gebiet = j.gebiet AND p.indikator = j.indikator AND p.zeitraum = j.zeitraum
);

-- The areas each target is evaluated for: listed codes plus every Kreis / every Sozialraum where the target says so.
CREATE OR REPLACE VIEW ziel_gebiete AS
SELECT z.id AS ziel, g.code AS gebiet
FROM ziele z JOIN gebiete g
  ON list_contains(z.gebiete, g.code)
  OR (list_contains(z.gebiete, 'kreis') AND g.ebene = 'kreis')
  OR (list_contains(z.gebiete, 'sozialraeume') AND g.ebene = 'sozialraum');

-- Schema 7 (issue 11): which imports `build-demo` made. The data is the demo's (the app says "Demodaten", and an
-- outdated file may be rebuilt from data/) only while every active import is one of them; a database holding any
-- other import is never rebuilt, only migrated (db.ensure_schema, after a backup: importer.working_copy).
ALTER TABLE importe ADD COLUMN IF NOT EXISTS demo BOOLEAN DEFAULT false;

-- Schema 10 (issue 21): the Sozialindex definitions and the Vergleichsring's reference data, versioned like the
-- targets (db.VERSIONED_TABLES: every edit or import a batch, replaced rows in *_historie, undo, "Stand am").
-- A definition is stored as the JSON of its [[index]] / [vergleichsring] table (einlesen.sozialindex checks it on
-- every read and write); data/sozialindex.toml is the seed the demo imports and the default while none is stored.
CREATE TABLE IF NOT EXISTS sozialindex_definitionen (
    id          VARCHAR PRIMARY KEY,       -- the index id; 'vergleichsring' for the ring
    reihenfolge INTEGER NOT NULL,
    art         VARCHAR NOT NULL CHECK (art IN ('index', 'vergleichsring')),
    definition  VARCHAR NOT NULL,          -- JSON of the table's keys
    import_id   INTEGER
);
-- The Kreise' values of the Vergleichsring (Regionalstatistik-style Kreis tables): reference data, never areas of
-- the maps; synthetisch: the file said it holds synthetic demo values ('# SYNTHETISCH').
CREATE TABLE IF NOT EXISTS vergleichskreise (
    kreis       VARCHAR NOT NULL,
    indikator   VARCHAR NOT NULL,
    zeitraum    VARCHAR NOT NULL,
    zaehler     DOUBLE NOT NULL,
    nenner      DOUBLE,
    synthetisch BOOLEAN NOT NULL DEFAULT false,
    import_id   INTEGER,
    PRIMARY KEY (kreis, indikator, zeitraum)
);
-- A published grouping of the Kreise (e.g. the BA's SGB-II-Vergleichstypen): Kreis → Typ, the fixed ring.
CREATE TABLE IF NOT EXISTS vergleichstypen (
    kreis       VARCHAR PRIMARY KEY,
    typ         VARCHAR NOT NULL,
    typologie   VARCHAR NOT NULL,          -- the grouping's name, e.g. "SGB-II-Vergleichstypen 2024"
    import_id   INTEGER
);
CREATE TABLE IF NOT EXISTS sozialindex_definitionen_historie AS SELECT *, CAST(NULL AS INTEGER) AS ersetzt_durch FROM sozialindex_definitionen LIMIT 0;
CREATE TABLE IF NOT EXISTS vergleichskreise_historie AS SELECT *, CAST(NULL AS INTEGER) AS ersetzt_durch FROM vergleichskreise LIMIT 0;
CREATE TABLE IF NOT EXISTS vergleichstypen_historie AS SELECT *, CAST(NULL AS INTEGER) AS ersetzt_durch FROM vergleichstypen LIMIT 0;
