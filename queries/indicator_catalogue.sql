-- The indicator catalogue with the periods and area levels for which values exist.
-- params: keine
-- columns: id, name, definition, zaehler, nenner, einheit, art, polaritaet, nachkommastellen, quelle, zeitraum_von, zeitraum_bis, jahre, monatlich, ebenen, werte
WITH vorhanden AS (
    SELECT b.indikator,
           min(left(b.zeitraum, 4)) AS zeitraum_von,
           max(left(b.zeitraum, 4)) AS zeitraum_bis,
           count(DISTINCT left(b.zeitraum, 4)) AS jahre,
           bool_or(length(b.zeitraum) = 7) AS monatlich,
           string_agg(DISTINCT g.ebene, ', ' ORDER BY g.ebene) AS ebenen,
           count(*) AS werte
    FROM beobachtungen b JOIN gebiete g ON g.code = b.gebiet
    GROUP BY b.indikator
)
SELECT i.id, i.name, i.definition, i.zaehler, i.nenner, i.einheit, i.art, i.polaritaet, i.nachkommastellen, i.quelle,
       v.zeitraum_von, v.zeitraum_bis, coalesce(v.jahre, 0) AS jahre, coalesce(v.monatlich, false) AS monatlich,
       v.ebenen, coalesce(v.werte, 0) AS werte
FROM indikatoren i LEFT JOIN vorhanden v ON v.indikator = i.id
ORDER BY i.art DESC, i.name;
