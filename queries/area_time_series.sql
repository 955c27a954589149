-- Time series of one indicator for an area and its Kreis, Land and Bund (all periods, months and years).
-- params: $indikator, $gebiet
-- columns: gebiet, name, ebene, rolle, zeitraum, zaehler, nenner, wert, status, herkunft, teile_gesperrt, teile_fehlend, monate, kennzeichen
WITH RECURSIVE kette(code, rolle, tiefe) AS (
    SELECT code, 'gebiet', 0 FROM gebiete WHERE code = $gebiet
    UNION ALL
    SELECT g.uebergeordnet, 'referenz', k.tiefe + 1
    FROM kette k JOIN gebiete g ON g.code = k.code
    WHERE g.uebergeordnet IS NOT NULL AND k.tiefe < 5
)
SELECT g.code AS gebiet, g.name, g.ebene, k.rolle, w.zeitraum, w.zaehler, w.nenner, w.wert, w.status, w.herkunft,
       w.teile_gesperrt, w.teile_fehlend, w.monate, w.kennzeichen
FROM kette k
JOIN gebiete g ON g.code = k.code
JOIN werte w ON w.gebiet = g.code AND w.indikator = $indikator
ORDER BY k.tiefe, w.zeitraum;
