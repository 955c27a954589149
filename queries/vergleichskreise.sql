-- The Kreise' values of the Vergleichsring (reference data imported as 'vergleichskreise'), and whether the file
-- that brought them said they are synthetic.
-- params: keine
-- columns: kreis, indikator, zeitraum, zaehler, nenner, synthetisch
SELECT kreis, indikator, zeitraum, zaehler, nenner, synthetisch
FROM vergleichskreise
ORDER BY kreis, indikator, zeitraum;
