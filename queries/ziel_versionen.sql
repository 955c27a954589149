-- Every version of one target, newest first: the current row and the rows later batches replaced or retired, each
-- with the batch that wrote it (who, when, why) and the batch that replaced it.
-- params: $ziel
-- columns: import_id, gueltig_ab, benutzer, grund, gueltig_bis, abgeloest_durch, abgeloest_von, abgeloest_grund, aktuell, titel, vergleich, schwelle, referenz, anzahl, frist, basisjahr, gebiete
WITH versionen AS (
    SELECT z.*, CAST(NULL AS INTEGER) AS ersetzt_durch FROM ziele z WHERE z.id = $ziel
    UNION ALL BY NAME
    SELECT h.* FROM ziele_historie h WHERE h.id = $ziel
)
SELECT v.import_id, i.zeitpunkt AS gueltig_ab, i.benutzer, i.grund, e.zeitpunkt AS gueltig_bis,
       e.datei AS abgeloest_durch, e.benutzer AS abgeloest_von, e.grund AS abgeloest_grund,
       v.ersetzt_durch IS NULL AS aktuell, v.titel, v.vergleich, v.schwelle, v.referenz, v.anzahl, v.frist,
       v.basisjahr, v.gebiete
FROM versionen v
LEFT JOIN importe i ON i.import_id = v.import_id
LEFT JOIN importe e ON e.import_id = v.ersetzt_durch
ORDER BY i.zeitpunkt DESC NULLS LAST, v.import_id DESC;
