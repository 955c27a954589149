-- Every indicator's catalogue row: kind, factor, published decimals and – where the database has them (issue 19) –
-- the Geheimhaltung switch and the links (the Geheimhaltung rule, the Daten page's history, the Indikatoren page).
-- params: keine
-- columns: id, art, faktor, nachkommastellen, name, zaehler, nenner, … (every column of indikatoren)
SELECT * FROM indikatoren ORDER BY id;
