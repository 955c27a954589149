-- Annual values of every target's indicator: for its areas (rolle 'gebiet', an area without values still gets one
-- row with jahr NULL) and for its reference area and the Land/Bund areas (rolle 'vergleich', for the chart).
-- 'jahresdurchschnitt' takes every annual value (averages of months, or annual figures delivered as such);
-- 'jahreswert' only values delivered or aggregated per year, never averages of months.
-- params: keine
-- ohne_daten: the parts of an aggregate without rows, with their reason ('Name (code): keine Daten; …').
-- columns: ziel, gebiet, gebiet_name, ebene, rolle, jahr, wert, zaehler, nenner, status, monate, kennzeichen, ohne_daten
WITH rollen AS (
    SELECT zg.ziel, zg.gebiet, 'gebiet' AS rolle FROM ziel_gebiete zg
    UNION
    SELECT z.id, g.code, 'vergleich'
    FROM ziele z JOIN gebiete g ON g.code = z.referenz OR g.ebene IN ('land', 'bund')
),
jahreswerte AS (
    SELECT w.gebiet, w.indikator, CAST(w.zeitraum AS INTEGER) AS jahr, w.wert, w.zaehler, w.nenner, w.status,
           w.monate, w.kennzeichen, w.ohne_daten
    FROM werte w
    WHERE length(w.zeitraum) = 4
)
SELECT r.ziel, r.gebiet, g.name AS gebiet_name, g.ebene, r.rolle, j.jahr, j.wert, j.zaehler, j.nenner, j.status,
       j.monate, j.kennzeichen, j.ohne_daten
FROM rollen r
JOIN ziele z ON z.id = r.ziel
JOIN gebiete g ON g.code = r.gebiet
LEFT JOIN jahreswerte j
       ON j.gebiet = r.gebiet AND j.indikator = z.indikator
      AND (z.aggregation = 'jahresdurchschnitt' OR j.monate IS NULL)
ORDER BY r.ziel, r.rolle, CASE g.ebene WHEN 'kreis' THEN 1 WHEN 'sozialraum' THEN 2 WHEN 'gemeinde' THEN 3 ELSE 4 END,
         r.gebiet, j.jahr;
