-- Annual values of every indicator for every area of one level, with the area's parent (for the Sitzungsvorlage:
-- changes since the previous year and areas that stand out against their Kreis).
-- params: $ebene
-- columns: gebiet, name, ebene, uebergeordnet, indikator, zeitraum, zaehler, nenner, wert, status, herkunft, teile_gesperrt, teile_fehlend, monate, kennzeichen
SELECT g.code AS gebiet, g.name, g.ebene, g.uebergeordnet, w.indikator, w.zeitraum, w.zaehler, w.nenner, w.wert,
       w.status, w.herkunft, w.teile_gesperrt, w.teile_fehlend, w.monate, w.kennzeichen
FROM gebiete g
JOIN werte w ON w.gebiet = g.code AND length(w.zeitraum) = 4
WHERE g.ebene = $ebene
ORDER BY w.indikator, g.code, w.zeitraum;
