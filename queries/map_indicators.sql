-- Indicators that can be mapped (with values for areas that have a geometry) and everything a figure needs.
-- params: keine
-- columns: id, name, definition, zaehler, nenner, einheit, art, polaritaet, nachkommastellen, quelle, faktor, mindest_nenner, mindest_zaehler
SELECT i.id, i.name, i.definition, i.zaehler, i.nenner, i.einheit, i.art, i.polaritaet, i.nachkommastellen,
       i.quelle, i.faktor, i.mindest_nenner, i.mindest_zaehler
FROM indikatoren i
WHERE EXISTS (SELECT 1 FROM beobachtungen b JOIN geometrien geo ON geo.gebiet = b.gebiet WHERE b.indikator = i.id)
   OR EXISTS (SELECT 1 FROM werte_berechnet w JOIN geometrien geo ON geo.gebiet = w.gebiet WHERE w.indikator = i.id)
ORDER BY i.art DESC, i.name;
