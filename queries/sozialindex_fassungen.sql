-- Every version of one Sozialindex definition (or of the Vergleichsring, id 'vergleichsring'), newest first: the
-- current row and the rows later batches replaced, each with the batch that wrote it (who, when, why) and the batch
-- that replaced it.
-- params: $id
-- columns: import_id, gueltig_ab, benutzer, grund, gueltig_bis, abgeloest_durch, abgeloest_von, abgeloest_grund, aktuell, art, definition
WITH versionen AS (
    SELECT d.*, CAST(NULL AS INTEGER) AS ersetzt_durch FROM sozialindex_definitionen d WHERE d.id = $id
    UNION ALL BY NAME
    SELECT h.* FROM sozialindex_definitionen_historie h WHERE h.id = $id
)
SELECT v.import_id, i.zeitpunkt AS gueltig_ab, i.benutzer, i.grund, e.zeitpunkt AS gueltig_bis,
       e.datei AS abgeloest_durch, e.benutzer AS abgeloest_von, e.grund AS abgeloest_grund,
       v.ersetzt_durch IS NULL AS aktuell, v.art, v.definition
FROM versionen v
LEFT JOIN importe i ON i.import_id = v.import_id
LEFT JOIN importe e ON e.import_id = v.ersetzt_durch
ORDER BY i.zeitpunkt DESC NULLS LAST, v.import_id DESC;
