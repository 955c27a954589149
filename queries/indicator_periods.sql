-- Periods with at least one value of an indicator, per map level (levels whose areas have a geometry).
-- Years of a monthly indicator are annual averages (herkunft 'jahresdurchschnitt').
-- params: $indikator
-- columns: ebene, zeitraum, jahresdurchschnitt, gebiete
SELECT g.ebene, w.zeitraum,
       bool_or(w.herkunft = 'jahresdurchschnitt') AS jahresdurchschnitt,
       count(*) FILTER (WHERE w.wert IS NOT NULL) AS gebiete
FROM werte w
JOIN gebiete g ON g.code = w.gebiet
WHERE w.indikator = $indikator
  AND EXISTS (SELECT 1 FROM geometrien geo WHERE geo.gebiet = w.gebiet)
GROUP BY g.ebene, w.zeitraum
ORDER BY g.ebene, w.zeitraum;
