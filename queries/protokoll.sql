-- The audit trail, newest first, optionally from/until a time (NULL: open end).
-- params: $von, $bis
-- columns: nr, zeitpunkt, aktion, gegenstand, grund, person_kennung, person_name, anmeldung, import_id
SELECT p.nr, p.zeitpunkt, p.aktion, p.gegenstand, p.grund, p.person_kennung, p.person_name, p.anmeldung, p.import_id
FROM protokoll p
WHERE ($von IS NULL OR p.zeitpunkt >= $von) AND ($bis IS NULL OR p.zeitpunkt < $bis)
ORDER BY p.nr DESC;
