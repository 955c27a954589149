-- Observations as they stood right after import $import_id (undone imports count as never made), beside today's.
-- A row version is visible at batch N when it came with a batch <= N and was not yet replaced by then.
-- params: $import_id
-- heute_geheim: today's published value is suppressed (sozialmonitor.geheimhaltung): the page hides it then and now.
-- columns: gebiet, gebiet_name, indikator, zeitraum, zaehler, nenner, wert, status, import_id, heute_wert, heute_status, seitdem_geaendert, heute_geheim
WITH versionen AS (
    SELECT gebiet, indikator, zeitraum, zaehler, nenner, wert, status, import_id,
           CAST(NULL AS INTEGER) AS ersetzt_durch
    FROM beobachtungen
    UNION ALL
    SELECT gebiet, indikator, zeitraum, zaehler, nenner, wert, status, import_id, ersetzt_durch
    FROM beobachtungen_historie
),
damals AS (
    SELECT * FROM versionen
    WHERE import_id <= $import_id AND (ersetzt_durch IS NULL OR ersetzt_durch > $import_id)
)
SELECT d.gebiet, g.name AS gebiet_name, d.indikator, d.zeitraum, d.zaehler, d.nenner, d.wert, d.status,
       d.import_id, b.wert AS heute_wert, coalesce(b.status, 'entfernt') AS heute_status,
       b.gebiet IS NULL OR b.import_id <> d.import_id AS seitdem_geaendert,
       coalesce(w.status = 'geheim', false) AS heute_geheim
FROM damals d
LEFT JOIN beobachtungen b USING (gebiet, indikator, zeitraum)
LEFT JOIN werte w USING (gebiet, indikator, zeitraum)
LEFT JOIN gebiete g ON g.code = d.gebiet
ORDER BY d.indikator, d.zeitraum, d.gebiet;
