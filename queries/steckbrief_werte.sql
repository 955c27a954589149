-- Annual values of every indicator for one area's Steckbrief: the area itself, the other areas of its level in its
-- Kreis (the range of the spine chart) and its Kreis, Land and Bund (the chain of uebergeordnet).
-- params: $gebiet
-- columns: rolle, gebiet, name, ebene, indikator, zeitraum, zaehler, nenner, wert, status, herkunft, teile_gesperrt, teile_fehlend, monate, kennzeichen
WITH RECURSIVE selbst AS (
    SELECT code, ebene, uebergeordnet FROM gebiete WHERE code = $gebiet
), kette(code, tiefe) AS (
    SELECT uebergeordnet, 1 FROM selbst WHERE uebergeordnet IS NOT NULL
    UNION ALL
    SELECT g.uebergeordnet, k.tiefe + 1
    FROM kette k JOIN gebiete g ON g.code = k.code
    WHERE g.uebergeordnet IS NOT NULL AND k.tiefe < 5
), beteiligt AS (
    SELECT code, 'gebiet' AS rolle FROM selbst
    UNION ALL
    SELECT g.code, 'vergleich' FROM gebiete g, selbst s
    WHERE g.ebene = s.ebene AND g.uebergeordnet = s.uebergeordnet AND g.code <> s.code
    UNION ALL
    SELECT g.code, g.ebene FROM kette k JOIN gebiete g ON g.code = k.code WHERE g.ebene IN ('kreis', 'land', 'bund')
)
SELECT b.rolle, g.code AS gebiet, g.name, g.ebene, w.indikator, w.zeitraum, w.zaehler, w.nenner, w.wert, w.status,
       w.herkunft, w.teile_gesperrt, w.teile_fehlend, w.monate, w.kennzeichen
FROM beteiligt b
JOIN gebiete g ON g.code = b.code
JOIN werte w ON w.gebiet = g.code AND length(w.zeitraum) = 4
ORDER BY w.indikator, b.rolle, g.code, w.zeitraum;
