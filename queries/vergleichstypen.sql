-- A published grouping of the Kreise (imported as 'vergleichstypen'): Kreis → Typ, the fixed Vergleichsring.
-- params: keine
-- columns: kreis, typ, typologie
SELECT kreis, typ, typologie
FROM vergleichstypen
ORDER BY kreis;
