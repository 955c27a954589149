"""Reading the Kreis reference data of the Vergleichsring (e.g. data/demo_kreise.csv): one row per Kreis ×
indicator × year with numerator and denominator (a count without denominator: nenner empty), semicolon-separated,
lines starting with # are comments; a first line '# SYNTHETISCH' marks synthetic demo values. The Kreis column may
be called "kreis" or "gebiet" (as in an observations file). Every finding names file, line and field; Kreis codes
must be in the Gebietsregister (the 400 Kreise). lesen_typen reads a published grouping (kreis;typ, optionally
typologie), e.g. the BA's SGB-II-Vergleichstypen. Parsing only; the importer stores both as reference data.

lesen_mit_profil reads the same values from a table as the statistical offices publish it – a Regionalstatistik
(GENESIS) Kreis table with a header block, one row per Kreis with its 5-digit key, the years as columns, footnotes
and the © line – through an import profile (einlesen.profile; the profile's gebiet column is the Kreis). Rows of
Deutschland (DG), the Länder (2 digits) and Regierungsbezirke (3 digits), which such tables list between the
Kreise, are left out and counted; a value the office writes as a symbol (Zeichenerklärung: . / * x …) is no
number and is left out and counted, "-" is 0."""

import io

import pandas as pd

from sozialmonitor import fmt
from sozialmonitor.einlesen import profile, register, zahlen
from sozialmonitor.einlesen.kodierung import decode
from sozialmonitor.errors import Befund, EingabeFehler

SPALTEN = ("kreis", "indikator", "zeitraum", "zaehler", "nenner")


def lesen(data: bytes, name: str) -> pd.DataFrame:
    """The file → DataFrame(kreis, indikator, zeitraum 'JJJJ', zaehler float, nenner float or NaN, zeile);
    attrs['synthetisch']: the file says it holds synthetic values. Raises EingabeFehler with every finding."""
    frame = _pruefen(_tabelle(data, name, SPALTEN, {"gebiet": "kreis"}), name)
    frame.attrs["synthetisch"] = synthetisch(data)
    return frame


def lesen_mit_profil(data: bytes, name: str, layout: profile.Profil) -> pd.DataFrame:
    """A Kreis table in another layout, read with the import profile layout → the DataFrame of lesen (kreis,
    indikator, zeitraum 'JJJJ', zaehler, nenner, zeile; zeile is the file's line). The count is the profile's
    zaehler, else its wert (a table of counts: nenner stays empty); a nenner where the profile names one.
    attrs['hinweise']: German sentences on the rows left out (overview rows, values the office does not publish).
    Raises EingabeFehler with every finding (file, line, field)."""
    tabelle = layout.tabelle(data, name).frame
    zaehler_feld = "zaehler" if "zaehler" in layout.spalten or "zaehler" in layout.fest or \
        layout.breit_feld == "zaehler" else "wert"
    kreis = tabelle["gebiet"].str.strip()
    uebersicht = kreis.str.upper().eq("DG") | kreis.str.fullmatch(r"\d{2,3}")
    frame = pd.DataFrame({"kreis": kreis, "indikator": tabelle["indikator"].str.strip(),
                          "zeitraum": tabelle["zeitraum"].str.strip(), "zeile": tabelle["zeile"].astype(int)})
    befunde, ohne_zahl = [], pd.Series(False, index=frame.index)
    for feld, quelle in (("zaehler", zaehler_feld), ("nenner", "nenner")):
        werte = []
        for i, zelle in tabelle[quelle].items():
            text, zahl = zelle.strip(), zahlen.zerlege(zelle)
            if zahl.null:
                werte.append("0")
            elif zahl.status != "ok":
                ohne_zahl[i] = True
                werte.append("")
            else:
                wert, problem = zahlen.lies(zahl.zahl, zahlen.Lesart(ganzzahl=True), None)
                if text and not uebersicht[i] and (wert is None or pd.isna(wert) or wert < 0 or wert % 1):
                    befunde.append(Befund(name, int(frame.at[i, "zeile"]), feld, problem or
                                          f"„{text}“ ist keine ganze Zahl ab 0."))
                werte.append("" if wert is None or pd.isna(wert) else f"{wert:.0f}")
        frame[feld] = werte
    if befunde:
        raise EingabeFehler(befunde[:200])
    behalten = ~uebersicht & ~ohne_zahl
    hinweise = []
    if uebersicht.any():
        zeilen = frame.loc[uebersicht, "zeile"].nunique()
        hinweise.append(f"{fmt.anzahl(zeilen, 'Zeile', 'Zeilen')} für Deutschland, Länder oder Regierungsbezirke "
                        "ausgelassen: der Vergleichsring nimmt nur Kreise.")
    if (ohne_zahl & ~uebersicht).any():
        zeilen = ", ".join(str(z) for z in frame.loc[ohne_zahl & ~uebersicht, "zeile"].unique()[:10])
        anzahl = fmt.anzahl(int((ohne_zahl & ~uebersicht).sum()), "Wert", "Werte")
        hinweise.append(f"{anzahl} ohne Zahl (Zeichen der Statistischen Ämter, z. B. „.“ geheim oder unbekannt) "
                        f"ausgelassen, Zeile {zeilen}.")
    frame = _pruefen(frame[behalten].reset_index(drop=True), name)
    frame.attrs["hinweise"] = hinweise
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
