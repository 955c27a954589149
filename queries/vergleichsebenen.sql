-- The comparison levels with at least one value (Kreis, Land, Bund): what the home page may promise beside the
-- areas' values (the demo has no Land and Bund values, issue 20).
-- params: keine
-- columns: ebene
SELECT DISTINCT g.ebene
FROM werte w
JOIN gebiete g ON g.code = w.gebiet
WHERE g.ebene IN ('kreis', 'land', 'bund') AND w.wert IS NOT NULL
ORDER BY g.ebene;
