-- The Kreise in the database: their names head the documents for the Steuerungsgruppe.
-- params: keine
-- columns: code, name
SELECT code, name FROM gebiete WHERE ebene = 'kreis' ORDER BY code;
