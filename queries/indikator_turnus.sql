-- How often each indicator is counted, for the observations template of einrichten: the catalogue's turnus, else
-- what the stored values show (more months than years), else a target over a Jahresdurchschnitt (built from
-- months), else 'jahr'.
-- params: keine
-- columns: id, turnus
SELECT i.id,
       CASE
           WHEN i.turnus IS NOT NULL THEN i.turnus
           WHEN (SELECT count(*) FILTER (WHERE length(b.zeitraum) = 7) - count(*) FILTER (WHERE length(b.zeitraum) = 4)
                 FROM beobachtungen b WHERE b.indikator = i.id) > 0 THEN 'monat'
           WHEN EXISTS (SELECT 1 FROM ziele z WHERE z.indikator = i.id AND z.aggregation = 'jahresdurchschnitt')
                AND NOT EXISTS (SELECT 1 FROM beobachtungen b WHERE b.indikator = i.id) THEN 'monat'
           ELSE 'jahr'
       END AS turnus
FROM indikatoren i
ORDER BY i.id
