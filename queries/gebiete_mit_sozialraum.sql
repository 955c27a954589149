-- Every area with its level and, for a Gemeinde, its Sozialraum (for the Gemeinde scope of a person).
-- params: keine
-- columns: code, name, ebene, sozialraum
SELECT g.code, g.name, g.ebene, z.sozialraum
FROM gebiete g
LEFT JOIN zuordnung z ON z.gemeinde = g.code
ORDER BY CASE g.ebene WHEN 'sozialraum' THEN 1 WHEN 'gemeinde' THEN 2 ELSE 3 END, g.code;
