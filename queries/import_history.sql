-- Every import (batch), newest first: what came from which file, when, by whom, and whether it was undone.
-- params: keine
-- columns: import_id, art, datei, zeilen, neu, geaendert, unveraendert, benutzer, zeitpunkt, archiv, rueckgaengig_durch, rueckgaengig_moeglich, grund
SELECT i.import_id, i.art, i.datei, i.zeilen, i.neu, i.geaendert, i.unveraendert, i.benutzer, i.zeitpunkt,
       i.archiv, i.rueckgaengig_durch,
       i.art <> 'rueckgaengig' AND i.rueckgaengig_durch IS NULL AS rueckgaengig_moeglich, i.grund
FROM importe i
ORDER BY i.import_id DESC;
