-- The areas of one target that have a boundary (Sozialräume, Gemeinden), for the goal-status map.
-- params: $ziel
-- columns: gebiet, name, ebene
SELECT zg.gebiet, g.name, g.ebene
FROM ziel_gebiete zg
JOIN gebiete g ON g.code = zg.gebiet
JOIN geometrien geo ON geo.gebiet = zg.gebiet
WHERE zg.ziel = $ziel AND g.ebene IN ('sozialraum', 'gemeinde')
ORDER BY zg.gebiet;
