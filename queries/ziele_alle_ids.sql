-- Every target id ever stored (current and retired), with its latest title, for choosing whose versions to show.
-- params: keine
-- columns: id, titel, aktuell
SELECT v.id, arg_max(v.titel, v.import_id) AS titel, bool_or(v.aktuell) AS aktuell
FROM (SELECT id, titel, import_id, TRUE AS aktuell FROM ziele
      UNION ALL
      SELECT id, titel, import_id, FALSE AS aktuell FROM ziele_historie) v
GROUP BY v.id
ORDER BY v.id;
