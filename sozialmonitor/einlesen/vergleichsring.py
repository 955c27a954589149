"""Reading the Kreis reference data of the Vergleichsring (e.g. data/demo_kreise.csv): one row per Kreis ×
indicator × year with numerator and denominator (a count without denominator: nenner empty), semicolon-separated,
lines starting with # are comments. Every finding names file, line and field; Kreis codes must be in the
Gebietsregister (the 400 Kreise). Parsing only."""

import io

import pandas as pd

from sozialmonitor.einlesen import register
from sozialmonitor.einlesen.kodierung import decode
from sozialmonitor.errors import Befund, EingabeFehler

SPALTEN = ("kreis", "indikator", "zeitraum", "zaehler", "nenner")


def lesen(data: bytes, name: str) -> pd.DataFrame:
    """The file → DataFrame(kreis, indikator, zeitraum 'JJJJ', zaehler float, nenner float or NaN, zeile).
    Raises EingabeFehler with every finding."""
    text = decode(data, name)
    zeilen = [(nr, z) for nr, z in enumerate(text.splitlines(), start=1) if z.strip() and not z.lstrip().startswith("#")]
    if not zeilen:
        raise EingabeFehler([Befund(name, None, None, "Die Datei enthält keine Zeilen.")])
    kopf_nr, kopf = zeilen[0]
    spalten = [s.strip() for s in kopf.split(";")]
    fehlend = [s for s in SPALTEN if s not in spalten]
    if fehlend:
        raise EingabeFehler([Befund(name, kopf_nr, s, f"Die Spalte fehlt (erwartet: {';'.join(SPALTEN)}).")
                             for s in fehlend])
    frame = pd.read_csv(io.StringIO("\n".join(z for _, z in zeilen)), sep=";", dtype=str, keep_default_na=False)
    frame["zeile"] = [nr for nr, _ in zeilen[1:]]
    befunde = []
    kreise = set(register.register().query("ebene == 'kreis'")["code"])
    for r in frame.itertuples():
        if r.kreis not in kreise:
            befunde.append(Befund(name, r.zeile, "kreis", f"„{r.kreis}“ ist kein Kreis des Gebietsregisters."))
        if not (len(r.zeitraum) == 4 and r.zeitraum.isdigit()):
            befunde.append(Befund(name, r.zeile, "zeitraum", f"„{r.zeitraum}“ ist kein Jahr (JJJJ)."))
        for feld in ("zaehler", "nenner"):
            wert = getattr(r, feld).strip()
            if (wert or feld == "zaehler") and not wert.isdigit():
                befunde.append(Befund(name, r.zeile, feld, f"„{wert}“ ist keine ganze Zahl ab 0."))
        if r.zaehler.strip().isdigit() and r.nenner.strip().isdigit() and int(r.zaehler) > int(r.nenner):
            befunde.append(Befund(name, r.zeile, "zaehler", "Der Zähler ist größer als der Nenner."))
        if len(befunde) >= 200:
            break
    doppelt = frame[frame.duplicated(["kreis", "indikator", "zeitraum"], keep="first")]
    befunde += [Befund(name, int(r.zeile), "kreis", f"Kreis {r.kreis}, {r.indikator} {r.zeitraum} steht doppelt.")
                for r in doppelt.head(50).itertuples()]
    if befunde:
        raise EingabeFehler(befunde)
    frame["zaehler"] = frame["zaehler"].astype(float)
    frame["nenner"] = pd.to_numeric(frame["nenner"].replace("", None), errors="coerce").astype(float)
    return frame[[*SPALTEN, "zeile"]]
