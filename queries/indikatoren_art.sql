-- Every indicator's kind, factor and published decimals (the Geheimhaltung rule, the Daten page's history).
-- params: keine
-- columns: id, art, faktor, nachkommastellen
SELECT id, art, faktor, nachkommastellen FROM indikatoren ORDER BY id;
