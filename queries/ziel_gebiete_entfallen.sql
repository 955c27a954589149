-- The areas a target names by code that are no longer stored – a membership import (--replace) removed the
-- Sozialraum, it is in gebiete_historie now: one row per target and code, with the name and level the area had
-- and the import that removed it. The words 'kreis' and 'sozialraeume' never vanish (ziel_gebiete expands them).
-- params: keine
-- columns: ziel, gebiet, gebiet_name, ebene, entfernt_durch, entfernt_am
WITH genannt AS (
    SELECT z.id AS ziel, unnest(z.gebiete) AS gebiet FROM ziele z
), frueher AS (
    SELECT h.code, h.name, h.ebene, h.ersetzt_durch,
           row_number() OVER (PARTITION BY h.code ORDER BY h.ersetzt_durch DESC) AS nr
    FROM gebiete_historie h
)
SELECT n.ziel, n.gebiet, coalesce(f.name, n.gebiet) AS gebiet_name,
       coalesce(f.ebene, 'sozialraum') AS ebene,  -- a code never stored cannot be named: the import checks it
       f.ersetzt_durch AS entfernt_durch, i.zeitpunkt AS entfernt_am
FROM genannt n
LEFT JOIN frueher f ON f.code = n.gebiet AND f.nr = 1
LEFT JOIN importe i ON i.import_id = f.ersetzt_durch
WHERE n.gebiet NOT IN ('kreis', 'sozialraeume')
  AND NOT EXISTS (SELECT 1 FROM gebiete g WHERE g.code = n.gebiet)
ORDER BY n.ziel, n.gebiet;
