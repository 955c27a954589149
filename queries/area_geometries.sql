-- Display geometry (simplified once at import) of every area of one level.
-- params: $ebene
-- columns: gebiet, name, anzeige_wkb
SELECT g.code AS gebiet, g.name, geo.anzeige_wkb
FROM gebiete g
JOIN geometrien geo ON geo.gebiet = g.code
WHERE g.ebene = $ebene
ORDER BY g.code;
