"""Which later imports build on an import (issue 11, item 6): undoing an areas or catalogue import must not leave
values, assignments, boundaries or targets that point at areas or indicators that are gone (the Sozialraum and Kreis
sums would no longer match their Gemeinden).

An import X "removes on undo" what it created and did not replace: areas (gebiete.code), indicators
(indikatoren.id) and boundaries (geometrien.gebiet) with import_id X and no earlier version in the history. A later,
still active import depends on X when one of its rows refers to such a key: a value's area or indicator, a
Gemeinde's or Sozialraum's assignment, an area's parent, a Sozialraum boundary dissolved from such a Gemeinde, a
target's indicator, areas or reference. SQL only over the constant table names of importer.VERSIONED_TABLES."""

import duckdb

_ABHAENGIGE = """
WITH weg_gebiete AS (
    SELECT code FROM gebiete g WHERE import_id = $id AND NOT EXISTS (
        SELECT 1 FROM gebiete_historie h WHERE h.code = g.code AND h.ersetzt_durch = $id
                                           AND h.import_id IS DISTINCT FROM $id)),
weg_indikatoren AS (
    SELECT id FROM indikatoren i WHERE import_id = $id AND NOT EXISTS (
        SELECT 1 FROM indikatoren_historie h WHERE h.id = i.id AND h.ersetzt_durch = $id
                                               AND h.import_id IS DISTINCT FROM $id)),
weg_grenzen AS (
    SELECT gebiet FROM geometrien g WHERE import_id = $id AND NOT EXISTS (
        SELECT 1 FROM geometrien_historie h WHERE h.gebiet = g.gebiet AND h.ersetzt_durch = $id
                                              AND h.import_id IS DISTINCT FROM $id)),
abhaengig AS (
    SELECT import_id FROM beobachtungen
    WHERE gebiet IN (SELECT code FROM weg_gebiete) OR indikator IN (SELECT id FROM weg_indikatoren)
    UNION SELECT import_id FROM zuordnung
    WHERE gemeinde IN (SELECT code FROM weg_gebiete) OR sozialraum IN (SELECT code FROM weg_gebiete)
    UNION SELECT import_id FROM geometrien WHERE gebiet IN (SELECT code FROM weg_gebiete)
    UNION SELECT g.import_id FROM geometrien g JOIN zuordnung z ON z.sozialraum = g.gebiet
    WHERE z.gemeinde IN (SELECT gebiet FROM weg_grenzen) OR z.gemeinde IN (SELECT code FROM weg_gebiete)
    UNION SELECT import_id FROM gebiete WHERE uebergeordnet IN (SELECT code FROM weg_gebiete)
    UNION SELECT import_id FROM ziele
    WHERE indikator IN (SELECT id FROM weg_indikatoren) OR referenz IN (SELECT code FROM weg_gebiete)
       OR len(list_intersect(gebiete, (SELECT coalesce(list(code), []) FROM weg_gebiete))) > 0
)
SELECT i.import_id, i.datei FROM importe i
WHERE i.import_id IN (SELECT import_id FROM abhaengig) AND i.import_id <> $id AND i.rueckgaengig_durch IS NULL
ORDER BY i.import_id
"""


def abhaengige_importe(con: duckdb.DuckDBPyConnection, import_id: int) -> list[tuple[int, str]]:
    """(import_id, datei) of every active import that refers to an area, indicator or boundary that undoing
    import_id would remove, oldest first."""
    return [(int(i), str(d)) for i, d in con.execute(_ABHAENGIGE, {"id": import_id}).fetchall()]
