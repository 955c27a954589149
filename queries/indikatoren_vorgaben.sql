-- Each stored indicator with what decides whether a planner's own catalogue may replace it without „Ersetzen“: vorgabe
-- = the entry is still the one the built-in catalogue stored (the batch einrichten marked in metadaten
-- 'vorgabe_indikatoren', or a batch of the built-in file itself, by its sha256; not undone, not changed since: any
-- later import or edit in the app stores the entry under a new batch); werte, ziele, vergleichswerte = how many stored
-- observations, targets and Kreis reference values use it. frei = vorgabe and used by nothing.
-- params: $vorgabe_sha
-- ($vorgabe_sha: the sha256 of the built-in data/indikatoren.toml)
-- columns: id, import_id, vorgabe, werte, ziele, vergleichswerte, frei
WITH genutzt AS (
    SELECT i.id, i.import_id,
           coalesce(b.rueckgaengig_durch IS NULL AND b.art = 'indikatoren'
                    AND (b.sha256 = $vorgabe_sha
                         OR b.import_id = (SELECT TRY_CAST(m.wert AS INTEGER) FROM metadaten m
                                           WHERE m.schluessel = 'vorgabe_indikatoren')), false) AS vorgabe,
           (SELECT count(*) FROM beobachtungen o WHERE o.indikator = i.id) AS werte,
           (SELECT count(*) FROM ziele z WHERE z.indikator = i.id) AS ziele,
           (SELECT count(*) FROM vergleichskreise v WHERE v.indikator = i.id) AS vergleichswerte
    FROM indikatoren i LEFT JOIN importe b ON b.import_id = i.import_id
)
SELECT id, import_id, vorgabe, werte, ziele, vergleichswerte,
       vorgabe AND werte = 0 AND ziele = 0 AND vergleichswerte = 0 AS frei
FROM genutzt
ORDER BY id
