-- An area code that is not (or no longer) stored, for a person whose access is restricted to it: the name it had,
-- and the import that removed it (from gebiete_historie); no row when the area exists. A code never stored gives
-- one row with name NULL.
-- params: $gebiet
-- columns: code, name, entfernt_durch, entfernt_am, datei, art
SELECT $gebiet AS code, f.name, f.ersetzt_durch AS entfernt_durch, i.zeitpunkt AS entfernt_am, i.datei, i.art
FROM (SELECT 1) eins
LEFT JOIN (SELECT h.name, h.ersetzt_durch FROM gebiete_historie h WHERE h.code = $gebiet
           ORDER BY h.ersetzt_durch DESC LIMIT 1) f ON true
LEFT JOIN importe i ON i.import_id = f.ersetzt_durch
WHERE NOT EXISTS (SELECT 1 FROM gebiete g WHERE g.code = $gebiet);
