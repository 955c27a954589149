-- Data status for the home page and the sidebar: how much is in the database and when it was last imported.
-- params: keine
-- columns: gebiete, gemeinden, sozialraeume, indikatoren, beobachtungen, zeitraum_von, zeitraum_bis, importe, letzter_import, demo
SELECT
    (SELECT count(*) FROM gebiete) AS gebiete,
    (SELECT count(*) FROM gebiete WHERE ebene = 'gemeinde') AS gemeinden,
    (SELECT count(*) FROM gebiete WHERE ebene = 'sozialraum') AS sozialraeume,
    (SELECT count(*) FROM indikatoren) AS indikatoren,
    (SELECT count(*) FROM beobachtungen) AS beobachtungen,
    (SELECT min(zeitraum) FROM beobachtungen) AS zeitraum_von,
    (SELECT max(zeitraum) FROM beobachtungen) AS zeitraum_bis,
    (SELECT count(*) FROM importe WHERE rueckgaengig_durch IS NULL) AS importe,
    (SELECT max(zeitpunkt) FROM importe) AS letzter_import,
    -- the demo label stays while any value of build-demo's imports is stored (and so may be shown): an edited
    -- target or a planner's own values beside the synthetic ones do not make them real (issue 23)
    coalesce((SELECT wert = 'ja' FROM metadaten WHERE schluessel = 'demo'), false) AND EXISTS (
        SELECT 1 FROM beobachtungen b JOIN importe i ON i.import_id = b.import_id
        WHERE coalesce(i.demo, false) AND i.rueckgaengig_durch IS NULL) AS demo;
