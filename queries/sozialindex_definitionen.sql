-- The stored Sozialindex definitions and the Vergleichsring (current versions), in their order; definition is the
-- JSON of the table's keys (einlesen.sozialindex checks it when read). Empty: data/sozialindex.toml is the default.
-- params: keine
-- columns: id, art, definition
SELECT id, art, definition
FROM sozialindex_definitionen
ORDER BY reihenfolge, id;
