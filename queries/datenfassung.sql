-- The published version a page run reads, shown in the sidebar ("Datenfassung"): the newest batch (import or undo)
-- and its time. Every import and every undo publishes a new version and adds a batch, so the number identifies it.
-- params: keine
-- columns: import_nr, zeitpunkt
SELECT import_id AS import_nr, zeitpunkt
FROM importe
ORDER BY import_id DESC
LIMIT 1;
