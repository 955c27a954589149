-- The areas that have a Steckbrief: Sozialräume and Gemeinden with a boundary, with their Kreis.
-- params: keine
-- columns: gebiet, name, ebene, kreis
SELECT g.code AS gebiet, g.name, g.ebene, g.uebergeordnet AS kreis
FROM gebiete g
JOIN geometrien geo ON geo.gebiet = g.code
WHERE g.ebene IN ('sozialraum', 'gemeinde')
ORDER BY CASE g.ebene WHEN 'sozialraum' THEN 0 ELSE 1 END, g.code;
