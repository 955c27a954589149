-- Every indicator's catalogue row: kind, factor, published decimals and – where the database has them (issue 19) –
-- the Geheimhaltung switch and the links (the Geheimhaltung rule, the Daten page's history, the Indikatoren page).
-- SELECT *: an older database without the columns of schema 9 still answers; the columns below are schema 9's.
-- params: keine
-- columns: id, name, definition, zaehler, nenner, einheit, art, polaritaet, nachkommastellen, quelle, faktor, import_id, mindest_nenner, mindest_zaehler, turnus, geheimhaltung, zaehler_indikator, nenner_indikator
SELECT * FROM indikatoren ORDER BY id;
