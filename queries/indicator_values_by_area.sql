-- Values of one indicator and period for every area of one level that has a geometry; an area without a row is
-- 'fehlt' (never 0). ohne_daten: the parts without any rows an aggregate leaves out (uninhabited), named. kreis is
-- the area's Kreis (itself for a Kreis) for the reference values. veroeffentlicht: a rate published without counts
-- beside the value computed from counts (issue 19).
-- params: $indikator, $zeitraum, $ebene
-- columns: gebiet, name, kreis, zaehler, nenner, wert, status, herkunft, teile_gesperrt, teile_fehlend, monate, ohne_daten, kennzeichen, veroeffentlicht
SELECT g.code AS gebiet, g.name,
       CASE WHEN g.ebene = 'kreis' THEN g.code ELSE g.uebergeordnet END AS kreis,
       w.zaehler, w.nenner, w.wert, coalesce(w.status, 'fehlt') AS status, w.herkunft,
       coalesce(w.teile_gesperrt, 0) AS teile_gesperrt, coalesce(w.teile_fehlend, 0) AS teile_fehlend, w.monate,
       w.ohne_daten, w.kennzeichen, w.veroeffentlicht
FROM gebiete g
JOIN geometrien geo ON geo.gebiet = g.code
LEFT JOIN werte w ON w.gebiet = g.code AND w.indikator = $indikator AND w.zeitraum = $zeitraum
WHERE g.ebene = $ebene
ORDER BY g.code;
