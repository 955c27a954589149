-- All values of one indicator at one level over all periods: for classes held fixed over the years, change maps
-- and small multiples.
-- params: $indikator, $ebene
-- columns: gebiet, zeitraum, zaehler, nenner, wert, status, herkunft, teile_gesperrt, teile_fehlend, monate, kennzeichen
SELECT w.gebiet, w.zeitraum, w.zaehler, w.nenner, w.wert, w.status, w.herkunft,
       w.teile_gesperrt, w.teile_fehlend, w.monate, w.kennzeichen
FROM werte w
JOIN gebiete g ON g.code = w.gebiet
WHERE w.indikator = $indikator AND g.ebene = $ebene
ORDER BY w.zeitraum, w.gebiet;
