-- Every indicator's kind and factor, as the Geheimhaltung rule needs them (rate or count, % or ‰).
-- params: keine
-- columns: id, art, faktor
SELECT id, art, faktor FROM indikatoren ORDER BY id;
