-- The role table: every person with a role set in the app or on the command line (local users with a password).
-- params: keine
-- columns: kennung, name, rolle, gebiet, gebiet_name, passwort_hash, lokal, geaendert_am, geaendert_von
SELECT b.kennung, b.name, b.rolle, b.gebiet, g.name AS gebiet_name, b.passwort_hash,
       b.passwort_hash IS NOT NULL AS lokal, b.geaendert_am, b.geaendert_von
FROM benutzer b
LEFT JOIN gebiete g ON g.code = b.gebiet
ORDER BY b.kennung;
