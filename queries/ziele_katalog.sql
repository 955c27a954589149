-- Every target with the metadata of its indicator and the name of its reference area, in the order of the agreement.
-- params: keine
-- columns: id, reihenfolge, titel, wortlaut, indikator, indikator_name, einheit, art, faktor, nachkommastellen, polaritaet, gebiete, vergleich, schwelle, referenz, referenz_name, anzahl, aggregation, basisjahr, frist, handlungsfeld, quelle, verantwortlich, hinweis, vergleich_genauigkeit, mindest_nenner, mindest_zaehler
SELECT z.id, z.reihenfolge, z.titel, z.wortlaut, z.indikator, i.name AS indikator_name, i.einheit, i.art, i.faktor,
       i.nachkommastellen, i.polaritaet, z.gebiete, z.vergleich, z.schwelle, z.referenz, r.name AS referenz_name,
       z.anzahl, z.aggregation, z.basisjahr, z.frist, z.handlungsfeld, z.quelle, z.verantwortlich, z.hinweis,
       z.vergleich_genauigkeit, i.mindest_nenner, i.mindest_zaehler
FROM ziele z
JOIN indikatoren i ON i.id = z.indikator
LEFT JOIN gebiete r ON r.code = z.referenz
ORDER BY z.handlungsfeld, z.reihenfolge, z.id;
