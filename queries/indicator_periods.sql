-- Periods with at least one value, per indicator and map level (levels whose areas have a geometry), for all
-- indicators at once: read once per database version, a change of indicator on the map page asks no query for it.
-- Years of a monthly indicator are annual averages (herkunft 'jahresdurchschnitt').
-- params: keine
-- columns: indikator, ebene, zeitraum, jahresdurchschnitt, gebiete
SELECT w.indikator, g.ebene, w.zeitraum,
       bool_or(w.herkunft = 'jahresdurchschnitt') AS jahresdurchschnitt,
       count(*) FILTER (WHERE w.wert IS NOT NULL) AS gebiete
FROM werte w
JOIN gebiete g ON g.code = w.gebiet
WHERE EXISTS (SELECT 1 FROM geometrien geo WHERE geo.gebiet = w.gebiet)
GROUP BY w.indikator, g.ebene, w.zeitraum
ORDER BY w.indikator, g.ebene, w.zeitraum;
