"""Reading the Kreis reference data of the Vergleichsring (e.g. data/demo_kreise.csv): one row per Kreis ×
indicator × year with numerator and denominator (a count without denominator: nenner empty), semicolon-separated,
lines starting with # are comments; a first line '# SYNTHETISCH' marks synthetic demo values. The Kreis column may
be called "kreis" or "gebiet" (as in an observations file). Every finding names file, line and field; Kreis codes
must be in the Gebietsregister (the 400 Kreise). lesen_typen reads a published grouping (kreis;typ, optionally
typologie), e.g. the BA's SGB-II-Vergleichstypen. Parsing only; the importer stores both as reference data."""

import io

import pandas as pd

from sozialmonitor.einlesen import register
from sozialmonitor.einlesen.kodierung import decode
from sozialmonitor.errors import Befund, EingabeFehler

SPALTEN = ("kreis", "indikator", "zeitraum", "zaehler", "nenner")


def lesen(data: bytes, name: str) -> pd.DataFrame:
    """The file → DataFrame(kreis, indikator, zeitraum 'JJJJ', zaehler float, nenner float or NaN, zeile);
    attrs['synthetisch']: the file says it holds synthetic values. Raises EingabeFehler with every finding."""
    frame = _pruefen(_tabelle(data, name, SPALTEN, {"gebiet": "kreis"}), name)
    frame.attrs["synthetisch"] = synthetisch(data)
    return frame


def synthetisch(data: bytes) -> bool:
    """The file's first line says SYNTHETISCH (the demo's generated values)."""
    return data.lstrip().startswith(b"# SYNTHETISCH")


def _tabelle(data: bytes, name: str, erwartet: tuple[str, ...], alias: dict[str, str]) -> pd.DataFrame:
    """The semicolon table without comment lines, every cell text, with the file line of each row (zeile)."""
    text = decode(data, name)
    zeilen = [(nr, z) for nr, z in enumerate(text.splitlines(), start=1) if z.strip() and not z.lstrip().startswith("#")]
    if not zeilen:
        raise EingabeFehler([Befund(name, None, None, "Die Datei enthält keine Zeilen.")])
    kopf_nr, kopf = zeilen[0]
    spalten = [alias.get(s.strip().lower(), s.strip().lower()) for s in kopf.split(";")]
    fehlend = [s for s in erwartet if s not in spalten]
    if fehlend:
        raise EingabeFehler([Befund(name, kopf_nr, s, f"Die Spalte fehlt (erwartet: {';'.join(erwartet)}).")
                             for s in fehlend])
    frame = pd.read_csv(io.StringIO("\n".join(z for _, z in zeilen[1:])), sep=";", dtype=str, keep_default_na=False,
                        header=None, names=spalten)
    frame["zeile"] = [nr for nr, _ in zeilen[1:]]
    return frame


def lesen_typen(data: bytes, name: str) -> pd.DataFrame:
    """A Vergleichstyp table → DataFrame(kreis, typ, typologie, zeile): every Kreis of the register at most once,
    a non-empty type; typologie from its column, else the file name without ending. Raises EingabeFehler."""
    frame = _tabelle(data, name, ("kreis", "typ"), {"gebiet": "kreis", "vergleichstyp": "typ"})
    kreise = set(register.register().query("ebene == 'kreis'")["code"])
    befunde = [Befund(name, r.zeile, "kreis", f"„{r.kreis}“ ist kein Kreis des Gebietsregisters.")
               for r in frame.itertuples() if r.kreis.strip() not in kreise][:200]
    befunde += [Befund(name, r.zeile, "typ", "Der Typ ist leer.") for r in frame.itertuples() if not r.typ.strip()]
    befunde += [Befund(name, int(r.zeile), "kreis", f"Kreis {r.kreis} steht doppelt.")
                for r in frame[frame.duplicated("kreis")].head(50).itertuples()]
    if befunde:
        raise EingabeFehler(befunde)
    standard = name.rsplit(".", 1)[0]
    typologie = frame["typologie"].str.strip() if "typologie" in frame else pd.Series(standard, index=frame.index)
    return pd.DataFrame({"kreis": frame["kreis"].str.strip(), "typ": frame["typ"].str.strip(),
                         "typologie": typologie.where(typologie.ne(""), standard), "zeile": frame["zeile"]})


def _pruefen(frame: pd.DataFrame, name: str) -> pd.DataFrame:
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
