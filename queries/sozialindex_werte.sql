-- Published annual values (table werte, after Geheimhaltung) of every area of one level, for the Sozialindex: an
-- area without any value appears once with NULL indicator.
-- params: $ebene
-- columns: gebiet, name, indikator, zeitraum, zaehler, nenner, wert, status, monate
SELECT g.code AS gebiet, g.name, w.indikator, w.zeitraum, w.zaehler, w.nenner, w.wert, w.status, w.monate
FROM gebiete g
LEFT JOIN werte w ON w.gebiet = g.code AND length(w.zeitraum) = 4
WHERE g.ebene = $ebene
ORDER BY g.code, w.indikator, w.zeitraum;
