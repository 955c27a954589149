-- What still names the Sozialräume a membership import is about to remove: targets that list one by code (art
-- 'ziel': kennung = target id, name = its title) and role-table entries restricted to one (art 'rolle': kennung,
-- name of the person). For the import's preview and report (importer.gebiete).
-- params: $codes
-- columns: art, gebiet, kennung, name
SELECT 'ziel' AS art, c.code AS gebiet, z.id AS kennung, z.titel AS name
FROM ziele z, (SELECT unnest($codes) AS code) c
WHERE list_contains(z.gebiete, c.code)
UNION ALL
SELECT 'rolle' AS art, b.gebiet, b.kennung, b.name
FROM benutzer b
WHERE b.gebiet IN (SELECT unnest($codes))
ORDER BY art DESC, gebiet, kennung;
