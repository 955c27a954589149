-- The catalogue entries the Sozialindex needs: name, unit, kind, polarity, decimals and the factor of a rate.
-- params: keine
-- columns: id, name, einheit, art, polaritaet, nachkommastellen, faktor
SELECT id, name, einheit, art, polaritaet, nachkommastellen, faktor
FROM indikatoren
ORDER BY id;
