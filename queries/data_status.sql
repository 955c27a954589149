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
    -- the data is the demo's while every active import is one of build-demo's (db.NUR_DEMO)
    coalesce((SELECT wert = 'ja' FROM metadaten WHERE schluessel = 'demo'), false) AND NOT EXISTS (
        SELECT 1 FROM importe WHERE NOT coalesce(demo, false) AND rueckgaengig_durch IS NULL
                                AND art <> 'rueckgaengig') AS demo;
