-- Imported reference values (Land, Bund, Kreis rows given as published rates) with their sources.
-- params: keine
-- columns: indikator, gebiet, gebietsname, zeitraum, wert, einheit, nachkommastellen, quelle, indikator_name
SELECT b.indikator, b.gebiet, g.name AS gebietsname, b.zeitraum, b.wert, i.einheit, i.nachkommastellen, b.quelle,
       i.name AS indikator_name
FROM beobachtungen b
JOIN gebiete g ON g.code = b.gebiet
JOIN indikatoren i ON i.id = b.indikator
WHERE b.quelle IS NOT NULL
ORDER BY b.indikator, g.ebene, b.zeitraum;
