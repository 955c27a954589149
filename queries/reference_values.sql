-- Kreis, Land and Bund values of one indicator and period (every reference area, with or without a value),
-- with the chain Kreis → Land so each map area finds its own references.
-- params: $indikator, $zeitraum
-- columns: gebiet, name, ebene, uebergeordnet, zaehler, nenner, wert, status, herkunft, teile_gesperrt, teile_fehlend, monate, ohne_daten, kennzeichen
SELECT g.code AS gebiet, g.name, g.ebene, g.uebergeordnet,
       w.zaehler, w.nenner, w.wert, coalesce(w.status, 'kein_wert') AS status, w.herkunft,
       coalesce(w.teile_gesperrt, 0) AS teile_gesperrt, coalesce(w.teile_fehlend, 0) AS teile_fehlend, w.monate,
       w.ohne_daten, w.kennzeichen
FROM gebiete g
LEFT JOIN werte w ON w.gebiet = g.code AND w.indikator = $indikator AND w.zeitraum = $zeitraum
WHERE g.ebene IN ('kreis', 'land', 'bund')
ORDER BY g.ebene, g.code;
