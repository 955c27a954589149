-- The attribution of every boundary import whose polygons are stored now (map, PNG and exports show them all);
-- an import from before schema version 7 has no stored source and is named by its file.
-- params: keine
-- columns: quelle
SELECT DISTINCT coalesce(q.quelle, 'Grenzen aus „' || i.datei || '“ (Quelle nicht angegeben)') AS quelle
FROM importe i
LEFT JOIN grenzen_quellen q ON q.import_id = i.import_id
WHERE i.art = 'grenzen' AND i.rueckgaengig_durch IS NULL
  AND EXISTS (SELECT 1 FROM geometrien g WHERE g.import_id = i.import_id)
ORDER BY quelle;
