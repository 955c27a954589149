-- Published annual values (table werte, after Geheimhaltung) of the Kreise, Länder and Bund in the database: the
-- own Kreis of the Vergleichsring and the comparison lines Land and Bund.
-- params: keine
-- columns: gebiet, name, ebene, uebergeordnet, indikator, zeitraum, zaehler, nenner, wert, status
SELECT g.code AS gebiet, g.name, g.ebene, g.uebergeordnet, w.indikator, w.zeitraum, w.zaehler, w.nenner, w.wert,
       w.status
FROM gebiete g
JOIN werte w ON w.gebiet = g.code AND length(w.zeitraum) = 4
WHERE g.ebene IN ('kreis', 'land', 'bund')
ORDER BY g.code, w.indikator, w.zeitraum;
