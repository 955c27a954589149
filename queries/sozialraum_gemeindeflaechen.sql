-- The polygons of every Gemeinde assigned to a Sozialraum, for dissolving Sozialraum polygons from their Gemeinden;
-- Sozialräume whose own polygons came from a Sozialraum boundary file are left out (they are kept as imported).
-- params: keine
-- columns: sozialraum, original_wkb, anzeige_wkb
SELECT z.sozialraum, g.original_wkb, g.anzeige_wkb
FROM zuordnung z JOIN geometrien g ON g.gebiet = z.gemeinde
WHERE z.sozialraum NOT IN (
    SELECT eigen.gebiet FROM geometrien eigen
    JOIN gebiete a ON a.code = eigen.gebiet AND a.ebene = 'sozialraum'
    JOIN grenzen_quellen q ON q.import_id = eigen.import_id AND q.ebene = 'sozialraum')
ORDER BY z.sozialraum;
