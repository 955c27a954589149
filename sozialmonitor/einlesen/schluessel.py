"""Official area keys → the codes the database uses. Codes are text: a code is read as written and matched as
written. Only where it is not a known area is it read as one of the official long keys, and converted to the
Gemeinde's AGS (Amtlicher Gemeindeschlüssel, 8 digits) if that gives exactly one known area:

| written | read as | becomes |
|---|---|---|
| 12 digits `031515406001` | Amtlicher Regionalschlüssel (ARS): Land 2, Regierungsbezirk 1, Kreis 2, Verband 4, Gemeinde 3 | AGS `03151001` (digits 1–5 and 10–12) |
| 12 digits `031510000000` | ARS of a Kreis (Verband and Gemeinde zero) | Kreis `03151` |
| 11 digits `03151401002` | Regionalstatistik key of a Gemeinde inside a Gemeindeverband: Kreis 5, Verband 3, Gemeinde 3 | AGS `03151002` (digits 1–5 and 9–11) |
| 11 digits `31515406016` | an ARS whose leading zero Excel dropped | AGS `03151016` |
| 7 digits / 4 digits | an AGS / a Kreis key whose leading zero Excel dropped | `0` + the digits |

Never otherwise: a 1-digit Sozialraum `3` is not Land `03`, and a 4-digit Sozialraum `0110` stays `0110` (a code
is never padded or trimmed into a code of another level). Where two readings give two known areas, the file is
refused and both are named. The 8-digit keys of the Gemeindeverbände themselves (Samtgemeinde, Amt, VG: the first
8 digits of the file's 11-digit keys) are no area of the Sozialmonitor: their rows are left out and reported.
Source of the key structure: Statistisches Bundesamt, Gemeindeverzeichnis-Informationssystem GV-ISys
(Erläuterungen zum Amtlichen Regionalschlüssel); Regionaldatenbank Deutschland (regionalstatistik.de)."""

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sozialmonitor import fmt, klartext
from sozialmonitor.errors import Befund
from sozialmonitor.fmt import anzahl, zahl

MAX_BEISPIELE = 3

READINGS = {
    "ars": "12-stelliger Amtlicher Regionalschlüssel (ARS)",
    "ars_kreis": "12-stelliger Regionalschlüssel eines Kreises",
    "rs11": "11-stelliger Schlüssel der Regionalstatistik (Gemeinde im Gemeindeverband)",
    "ars_ohne_null": "Regionalschlüssel (ARS), dem die führende Null fehlt",
    "ags_ohne_null": "Gemeindeschlüssel (AGS), dem die führende Null fehlt",
    "kreis_ohne_null": "Kreisschlüssel, dem die führende Null fehlt",
}

# Excel drops the leading zero of a key; within a declared level it is put back (Land 1 → 2 digits, Kreis 4 → 5,
# Gemeinde 7 → 8). Sozialraum codes are never touched.
LEVEL_LENGTH = {"land": 2, "kreis": 5, "gemeinde": 8}
PARENT_LEVEL = {"gemeinde": "kreis", "sozialraum": "kreis", "kreis": "land", "land": "bund"}


def readings(code: str) -> list[tuple[str, str]]:
    """Every official reading of a code that is not itself a known area: [(kind, converted code)], in the order of
    the table above. Only digits are read; anything else has none."""
    if not code.isdigit():
        return []
    found = []
    if len(code) == 12:
        if code[5:] == "0000000":
            found.append(("ars_kreis", code[:5]))
        found.append(("ars", code[:5] + code[9:]))
    elif len(code) == 11:
        found.append(("rs11", code[:5] + code[8:]))
        found.append(("ars_ohne_null", ("0" + code)[:5] + ("0" + code)[9:]))
    elif len(code) == 7:
        found.append(("ags_ohne_null", "0" + code))
    elif len(code) == 4:
        found.append(("kreis_ohne_null", "0" + code))
    return found


@dataclass
class Umschluesselung:
    """What resolving a file's area column did. codes: the resolved codes (index of the input); verband: rows keyed
    by a Gemeindeverband (left out); hinweise: German lines for the import report; befunde: refusals."""

    codes: pd.Series
    verband: pd.Series
    umgerechnet: pd.Series
    hinweise: list[str] = field(default_factory=list)
    befunde: list[Befund] = field(default_factory=list)


def umschluesseln(codes: pd.Series, zeilen: pd.Series, bekannt: set[str], datei: str,
                  feld: str = "gebiet") -> Umschluesselung:
    """Resolve a column of area codes (text) against the known areas (database and register).

    codes, zeilen: Series with the same index (the file line of each code). Returns an Umschluesselung whose codes
    hold the AGS where an official key was converted and the code as written everywhere else (an unknown code stays
    as written, for the importer's "unbekannt" finding). Ambiguous codes give a Befund naming both areas."""
    codes = codes.fillna("").astype("str").str.strip()
    result = codes.copy()
    converted = pd.Series(False, index=codes.index)
    befunde: list[Befund] = []
    by_kind: dict[str, list[str]] = {}
    rs11_prefixes = set()
    for code in codes.unique():
        if not code or code in bekannt:
            continue
        options = [(kind, target) for kind, target in readings(code) if target in bekannt]
        if len(code) == 11:
            rs11_prefixes.add(code[:8])
        targets = sorted({target for _, target in options})
        rows = codes.eq(code)
        if len(targets) > 1:
            line = int(zeilen[rows].iloc[0])
            both = " oder ".join(f"{target} (als {READINGS[kind]})" for kind, target in options)
            befunde.append(Befund(datei, line, feld, f"Der Schlüssel {code} ist mehrdeutig: er kann {both} "
                                                     "bedeuten. Bitte den 8-stelligen Gemeindeschlüssel (AGS) "
                                                     "eintragen."))
            continue
        if targets:
            kind = options[0][0]
            result[rows] = targets[0]
            converted |= rows
            for line in zeilen[rows]:
                by_kind.setdefault(kind, []).append(f"Zeile {int(line)}: {code} → {targets[0]}")
    verband = codes.isin(rs11_prefixes - bekannt) & ~converted
    hinweise = [_umgerechnet(kind, examples, len(examples)) for kind, examples in by_kind.items()]
    if verband.any():
        hinweise.append(_verband(list(dict.fromkeys(codes[verband])), frozenset(zeilen[verband].astype(int))))
    return Umschluesselung(result, verband, converted, hinweise, befunde)


# The notes below list codes and lines: as klartext.Sammelhinweis, so that a large file checked in pieces
# (importer.stuecke) gets each once with the codes of all pieces. art[0] is the notes' order in the report.
def _umgerechnet(kind: str, beispiele, anzahl_zeilen: int) -> klartext.Sammelhinweis:
    beispiele = list(beispiele)
    return klartext.Sammelhinweis(
        f"{anzahl(anzahl_zeilen, 'Schlüssel', 'Schlüssel')} als {READINGS[kind]} gelesen und in den "
        f"Gemeindeschlüssel umgerechnet ({_examples(beispiele, anzahl_zeilen)}).", (0, "umgerechnet", kind),
        beispiele, anzahl_zeilen, lambda e, n, _x: _umgerechnet(kind, e, n))


def _verband(codes, zeilen: frozenset) -> klartext.Sammelhinweis:
    """zeilen: the file lines left out (their number is the note's count, also across pieces)."""
    codes = list(codes)
    return klartext.Sammelhinweis(
        f"{anzahl(len(zeilen), 'Zeile', 'Zeilen')} eines Gemeindeverbands (Samtgemeinde, Amt, Verbandsgemeinde) "
        f"ausgelassen – kein Gebiet des Sozialmonitors, seine Gemeinden stehen einzeln in der Datei: "
        f"{', '.join(codes[:10])}{' …' if len(codes) > 10 else ''}.", (1, "verband"), codes, len(zeilen),
        lambda e, _n, x: _verband(e, x), zeilen)


def _register(gebiete, anzahl_gebiete: int) -> klartext.Sammelhinweis:
    gebiete = list(gebiete)
    weitere = anzahl_gebiete - min(len(gebiete), klartext.MAX_EINTRAEGE)
    return klartext.Sammelhinweis(
        "Aus dem eingebauten Gebietsregister angelegt: " + ", ".join(gebiete[:klartext.MAX_EINTRAEGE])
        + (f" und {zahl(weitere)} weitere" if weitere > 0 else "") + ".", (2, "register"), gebiete, anzahl_gebiete,
        lambda e, n, _x: _register(e, n))


def _examples(lines: list[str], gesamt: int | None = None) -> str:
    """The first MAX_BEISPIELE of lines and how many more (gesamt: all of them, where lines are the first ones)."""
    gesamt = len(lines) if gesamt is None else gesamt
    shown = "; ".join(lines[:MAX_BEISPIELE])
    return shown + (f"; und {gesamt - MAX_BEISPIELE} weitere" if gesamt > MAX_BEISPIELE else "")


def unbekannt_hinweis(code: str) -> str:
    """For the "unknown area" finding: what the code would be as an official key (that area is not known either)."""
    found = readings(code)
    if not found:
        if code.isdigit() and len(code) == 1:
            # own numbers (Stadtteile 1, 2, 3 …) come first: padding 1 → 01 would make them Länder (case
            # import-3/08, fresh tester)
            return (" Sind es eigene Nummern (etwa Stadtteile 1, 2, 3 …), bitte die Nummerierung angeben "
                    "(Importprofil: nummern = \"STGT##\"; Kommandozeile: --nummern STGT##); ein Sozialraum muss erst "
                    "mit der Zuordnung oder seinen Grenzen angelegt sein. Nur Vergleichswerte eines Landes haben "
                    "einen zweistelligen Schlüssel (z. B. 03).")
        return ""
    return " Als " + " bzw. ".join(f"{READINGS[kind]} wäre es {target}" for kind, target in found) + \
        " – auch das ist kein bekanntes Gebiet."


def auf_ebene(codes: pd.Series, ebenen) -> pd.Series:
    """Codes of a declared level (boundary file of one level, a gebiete.csv row's ebene) with the leading zero Excel or
    a DBF number field dropped put back: Land 1 → 2 digits, Kreis 4 → 5, Gemeinde 7 → 8. Sozialraum codes and
    codes of any other length stay as written. ebenen: one level for all, or a Series beside codes."""
    codes = codes.fillna("").astype("str").str.strip()
    levels = ebenen if isinstance(ebenen, pd.Series) else pd.Series(ebenen, index=codes.index)
    full = levels.map(LEVEL_LENGTH)
    short = codes.str.fullmatch(r"\d+", na=False) & codes.str.len().eq(full - 1)
    return codes.mask(short, "0" + codes)


def als_text(values: pd.Series, ebene: str | None = None) -> pd.Series:
    """A key column as text: a number field (DBF, Excel) gives 1001001 or 1001001.0 – written as digits, then, for a
    declared level, with the leading zero put back (auf_ebene)."""
    if pd.api.types.is_numeric_dtype(values):
        values = values.astype("Float64").round().astype("Int64").astype("str").replace("<NA>", "")
    text = values.fillna("").astype("str").str.strip()
    return auf_ebene(text, ebene) if ebene else text


GRENZ_MELDUNGEN = {
    ("gemeinde", "ars"): "12-stellige ARS in 8-stellige AGS umgewandelt",
    ("gemeinde", "rs11"): "11-stellige Schlüssel der Regionalstatistik (Gemeinde im Gemeindeverband) in 8-stellige "
                          "AGS umgewandelt",
    ("gemeinde", "ars_ohne_null"): "ARS ohne führende Null (11 Ziffern) in 8-stellige AGS umgewandelt",
    ("gemeinde", "ohne_null"): "AGS ohne führende Null (7 Ziffern) um die Null ergänzt",
    ("kreis", "ars"): "12-stellige ARS in 5-stellige Kreisschlüssel umgewandelt",
    ("kreis", "ars_ohne_null"): "ARS ohne führende Null (11 Ziffern) in 5-stellige Kreisschlüssel umgewandelt",
    ("kreis", "ohne_null"): "Kreisschlüssel ohne führende Null (4 Ziffern) um die Null ergänzt",
    ("land", "ars"): "12-stellige ARS in 2-stellige Landesschlüssel umgewandelt",
    ("land", "ars_ohne_null"): "ARS ohne führende Null (11 Ziffern) in 2-stellige Landesschlüssel umgewandelt",
    ("land", "ohne_null"): "Landesschlüssel ohne führende Null (1 Ziffer) um die Null ergänzt",
}


def _grenz_lesarten(code: str, ebene: str, kreise: set[str], zahlfeld: bool) -> list[tuple[str, str]]:
    """The official readings of one key of a boundary file of level ebene: [(kind, code of that level)]. An
    11-digit Gemeinde key is a Regionalstatistik key; in a number field (DBF, Excel: the leading zero lost) also an
    ARS of Land 01–09 – each reading only where its Kreis is one of kreise (the register's)."""
    if not code.isdigit() or len(code) == LEVEL_LENGTH[ebene]:
        return []
    if len(code) == LEVEL_LENGTH[ebene] - 1:
        return [("ohne_null", "0" + code)]
    if len(code) not in (11, 12):
        return []
    ars = code if len(code) == 12 else "0" + code
    kind = "ars" if len(code) == 12 else "ars_ohne_null"
    if ebene != "gemeinde":
        length = LEVEL_LENGTH[ebene]
        return [(kind, ars[:length])] if ars[length:].strip("0") == "" else []
    found = []
    if (len(code) == 12 or zahlfeld) and ars[:5] in kreise and ars[9:] != "000":
        found.append((kind, ars[:5] + ars[9:]))
    if len(code) == 11 and code[:5] in kreise and code[8:] != "000":
        found.append(("rs11", code[:5] + code[8:]))
    return found


def grenz_schluessel(values: pd.Series, ebene: str | None, datei: str, feld: str) -> tuple[pd.Series, pd.Series,
                                                                                             list[Befund]]:
    """The key column of a boundary file of one declared level → the codes of that level: (codes, art, refusals),
    art beside codes: the kind of conversion ('ars', 'rs11', 'ars_ohne_null', 'ohne_null') or ''. For ebene
    'gemeinde' a 12-digit ARS becomes the 8-digit AGS (digits 1–5 and 10–12), an 11-digit key the AGS as
    Regionalstatistik key (digits 1–5 and 9–11) or – in a number field, which drops the leading zero – as ARS;
    only readings whose Kreis is in the register count. A key with two readings takes the one the file's other
    keys use (a file keeps to one key system); with nothing to go by it is refused naming both. 7 digits get their
    leading zero back. Kreis and Land files take the ARS of a Kreis/Land (the rest zeros) and 4/1 digits likewise.
    ebene None (Sozialräume) or any other code: as written, never padded into another level. Source of the key
    structure: see the module text."""
    from sozialmonitor.einlesen import register

    numeric = pd.api.types.is_numeric_dtype(values)
    codes = als_text(values)
    art = pd.Series("", index=codes.index, dtype="str")
    if ebene not in LEVEL_LENGTH:
        return codes, art, []
    kreise = {c for c in register.codes() if len(c) == 5}
    options = {code: _grenz_lesarten(code, ebene, kreise, numeric) for code in codes.unique()}
    usual = pd.Series([found[0][0] for found in options.values() if len(found) == 1], dtype="str").value_counts()
    chosen, befunde = {}, []
    for code, found in options.items():
        if len(found) > 1:
            agreed = [option for option in found if not usual.empty and option[0] == usual.index[0]]
            if not agreed:
                both = " oder ".join(f"{target} (als {READINGS[kind]})" for kind, target in found)
                befunde.append(Befund(datei, int(np.flatnonzero(codes.eq(code).to_numpy())[0]) + 1, feld, (
                    f"Der Schlüssel {code} ist mehrdeutig: er kann {both} bedeuten. Bitte das Feld mit dem "
                    f"{LEVEL_LENGTH[ebene]}-stelligen Schlüssel wählen (z. B. AGS) oder das Feld als Text speichern.")))
                continue
            found = agreed
        if found:
            chosen[code] = found[0]
    hit = codes.isin(chosen.keys())
    result = codes.mask(hit, codes[hit].map({code: target for code, (_, target) in chosen.items()}))
    art = art.mask(hit, codes[hit].map({code: kind for code, (kind, _) in chosen.items()}))
    return result, art, befunde


def umwandlungs_hinweise(geschrieben: pd.Series, codes: pd.Series, art: pd.Series, ebene: str | None) -> list[str]:
    """The report lines of grenz_schluessel's conversions, one per kind, e.g. "12-stellige ARS in 8-stellige AGS
    umgewandelt: 42 (031515406001 → 03151001; …)". geschrieben, codes, art: Series with one index (the keys as
    written, as converted, the kind)."""
    lines = []
    for kind in dict.fromkeys(art[art.ne("")]):
        rows = art.eq(kind)
        examples = [f"{a} → {b}" for a, b in zip(geschrieben[rows].head(MAX_BEISPIELE), codes[rows])]
        lines.append(f"{GRENZ_MELDUNGEN[(ebene, kind)]}: {int(rows.sum())} ({'; '.join(examples)}"
                     f"{' …' if rows.sum() > MAX_BEISPIELE else ''}).")
    return lines


@dataclass
class Aufloesung:
    """The rows of a file with their area codes resolved (zeilen), the areas the register adds (neue_gebiete, in the
    importer's area shape), the lines left out (Gemeindeverbände), the report lines and the refusals."""

    zeilen: pd.DataFrame
    neue_gebiete: pd.DataFrame
    ausgelassen: int
    hinweise: list[str]
    befunde: list[Befund]


def doppelt_nach_umrechnung(datei: str, frame: pd.DataFrame, key: list[str], changed: pd.Series) -> list[Befund]:
    """Rows that name the same area only after a key was converted or a leading zero put back (03151401002 and
    03151002; 1002 and 01002): refused, pointing at the first line. frame: with columns key and 'zeile'; changed:
    boolean Series beside frame, True where the code was converted."""
    if not changed.any():
        return []
    repeated = frame[frame.duplicated(key, keep=False)]
    first = repeated.groupby(key, sort=False)["zeile"].transform("min")
    later = repeated[repeated["zeile"].ne(first) & (changed[repeated.index] | repeated.duplicated(key, keep="first"))]
    later = later[changed.reindex(repeated.index)[later.index] | changed[repeated.index].groupby(
        [repeated[k] for k in key]).transform("any")[later.index]]
    return [Befund(datei, int(r.zeile), key[0], f"{fmt.schluessel({k: r[k] for k in key})} steht schon in Zeile "
                                                f"{int(first[i])}: nach dem Umrechnen des Schlüssels meinen beide "
                                                "Zeilen dasselbe Gebiet – es steht mehrfach in der Datei.")
            for i, r in later.head(200).iterrows()]


def bekannte_codes(stored: list[tuple[str, str | None]]) -> set[str]:
    """Every code a file may name: the stored areas (stored: (code, vorgaenger) of every row of table gebiete, as
    the importer reads them), their predecessors and the built-in register."""
    from sozialmonitor.einlesen import register

    predecessors = {p.strip() for _, v in stored if v for p in v.split(",") if p.strip()}
    return {code for code, _ in stored} | predecessors | register.codes()


def aufloesen(stored_areas: list[tuple[str, str | None]], rows: pd.DataFrame, datei: str, feld: str = "gebiet",
              register_pruefen: bool = False, bestaetigt: bool = False) -> Aufloesung:
    """A parsed file's area column resolved against the stored areas and the register (see the module text).

    stored_areas: (code, vorgaenger) of every stored area – the importer reads them; a reader never asks the database.
    rows: DataFrame with columns feld and 'zeile' (and the rest of the file's columns). Returns an Aufloesung; its
    zeilen have the converted codes and no Gemeindeverband rows; duplicates that only appear after converting
    (03151401002 and 03151002 in one file) are refusals. register_pruefen: an area the register would create in this
    import must not be a planner's own number (see register_befunde); bestaetigt: the user confirmed that Länder
    and Kreise not yet stored are meant (--neue-gebiete)."""
    from sozialmonitor.einlesen import register

    known = bekannte_codes(stored_areas)
    result = umschluesseln(rows[feld], rows["zeile"], known, datei, feld)
    resolved = rows.assign(**{feld: result.codes})[~result.verband]
    befunde = list(result.befunde)
    key = [c for c in ("gebiet", "indikator", "zeitraum") if c in resolved] if feld == "gebiet" and \
        "indikator" in resolved else [feld]
    befunde += doppelt_nach_umrechnung(datei, resolved, key, result.umgerechnet[~result.verband])
    stored = {code for code, _ in stored_areas}
    added = register.neue_gebiete(set(resolved[feld]) - stored, stored)
    if register_pruefen:
        befunde += register_befunde(resolved, feld, added, known, stored, bestaetigt, datei)
    hinweise = list(result.hinweise)
    if not added.empty:
        hinweise.append(_register([f"{r.code} {r.name}" for r in added.itertuples()], len(added)))
    return Aufloesung(resolved.reset_index(drop=True), added, int(result.verband.sum()), hinweise, befunde)


AMTLICH = r"DG|\d{2}|\d{5}|\d{8}"  # Bund, Land, Kreis, Gemeinde (AGS) – after converting ARS and Regionalstatistik keys
ARTIKEL = {"bund": "", "land": "das Land ", "kreis": "der Kreis "}


def als_registergebiet(code: str, name: str, ebene: str, bez: str | None = None) -> str:
    """How a message names an area of the register: 'das Land Berlin', 'der Kreis Flensburg (Kreisfreie Stadt)',
    'Deutschland'."""
    if ebene == "kreis":
        return f"der Kreis {name}" + (f" ({bez})" if isinstance(bez, str) and bez else "")
    return f"{ARTIKEL.get(ebene, '')}{name}"


def _name(text) -> str:
    """A name for comparison: lower case, umlauts spelt out, without „, Stadt“ and blanks."""
    from sozialmonitor.einlesen.genesis import normalise

    return re.sub(r"[^a-z0-9]", "", normalise(re.sub(r",\s*(stadt|landkreis|kreis)$", "", str(text).strip(),
                                                     flags=re.IGNORECASE)))


def namen_befunde(direct: pd.DataFrame, feld: str, by_code: pd.DataFrame, datei: str) -> list[Befund]:
    """Rows whose code the register would create, where the file names the area otherwise than the register
    („11“ named „Mürwik“ is not the Land Berlin): refused naming both. direct: the rows (column gebietsname: the
    file's name or ''); by_code: the register areas by code."""
    if "gebietsname" not in direct:
        return []
    befunde = []
    for r in direct.drop_duplicates(["zeile", feld]).itertuples(index=False):
        written = getattr(r, "gebietsname") or ""
        code = getattr(r, feld)
        area = by_code.loc[code]
        if not _name(written) or _name(area["name"]) in _name(written) or _name(written) in _name(area["name"]):
            continue
        gebiet = als_registergebiet(code, area["name"], area["ebene"], area.get("bez"))
        befunde.append(Befund(datei, int(r.zeile), feld, (
            f"{code} wäre {gebiet} (aus dem eingebauten Gebietsregister), die Datei nennt das Gebiet aber "
            f"„{written}“ – eine eigene Nummer? Bitte die Schlüssel der Gebiete eintragen oder die eigene "
            "Nummerierung angeben (nummern = \"STGT##\").")))
    return befunde


def eigene_kette(stored: set[str]) -> set[str]:
    """The areas above the stored Gemeinden and Kreise (their Kreis, Land and Deutschland): the Kreis' own, whose
    values need no confirmation."""
    own = {"DG"}
    for code in stored:
        if code.isdigit() and len(code) in (5, 8):
            own |= {code[:2], code[:5]}
    return own


def register_befunde(rows: pd.DataFrame, feld: str, added: pd.DataFrame, known: set[str], stored: set[str],
                     bestaetigt: bool, datei: str) -> list[Befund]:
    """A planner's own numbers never silently become official codes: the rows whose code only the built-in register
    knows (it would create that Land or Kreis in this import) are refused, each naming the area it would become
    („11 wäre das Land Berlin“), where

    - the same column holds codes the database does not know (then they are own numbers: Stadtteile 1–13 are not
      Länder 1–9 unknown and 10–13 Saarland … Mecklenburg-Vorpommern), or
    - the area is a Land or Kreis other than the Kreis' own (eigene_kette) and the file does not look like reference
      data (official keys throughout: DG, 2, 5 or 8 digits) – unless the user confirmed it (bestaetigt,
      --neue-gebiete / the checkbox on the page Daten).

    rows: the resolved rows (columns feld, zeile); added: register.neue_gebiete of them; known: bekannte_codes."""
    if added.empty:
        return []
    by_code = added.set_index("code")
    direct = rows[rows[feld].isin(by_code.index)]
    if direct.empty:
        return []
    befunde = namen_befunde(direct, feld, by_code, datei)
    if befunde:
        return befunde
    codes = rows[feld]
    unknown = rows[~codes.isin(known) & codes.ne("")]
    if not unknown.empty:
        beispiel = f"„{unknown[feld].iloc[0]}“ in Zeile {int(unknown['zeile'].iloc[0])}"
        grund = (f"in derselben Spalte stehen Nummern, die kein Gebiet der Datenbank sind (z. B. {beispiel}) – es sind "
                 "wohl eigene Nummern, keine amtlichen Schlüssel. Bitte die Schlüssel der Gebiete eintragen oder die "
                 "eigene Nummerierung angeben (Importprofil: nummern = \"STGT##\"; Kommandozeile: --nummern STGT##).")
        betroffen = direct
    elif bestaetigt:
        return []
    else:
        own = eigene_kette(stored)
        betroffen = direct[~direct[feld].isin(own)]
        official = codes[codes.ne("")].str.fullmatch(AMTLICH)
        if betroffen.empty or official.all():
            return []
        fremd = rows[codes.ne("") & ~official]
        beispiel = f"„{fremd[feld].iloc[0]}“ in Zeile {int(fremd['zeile'].iloc[0])}"
        grund = (f"die Datei enthält auch Schlüssel, die keine amtlichen sind (z. B. {beispiel}), sieht also nicht nach "
                 "Vergleichsdaten aus. Ist es eine eigene Nummer? Wenn wirklich dieses Gebiet gemeint ist: mit "
                 "--neue-gebiete bestätigen (Seite „Daten“: „Neue Länder und Kreise aus dem Gebietsregister "
                 "anlegen“).")
    from sozialmonitor.einlesen.befunde import MAX_BEFUNDE

    for r in betroffen.drop_duplicates(["zeile", feld]).head(MAX_BEFUNDE).itertuples(index=False):
        code = getattr(r, feld)
        area = by_code.loc[code]
        gebiet = als_registergebiet(code, area["name"], area["ebene"], area.get("bez"))
        befunde.append(Befund(datei, int(r.zeile), feld, f"{code} wäre {gebiet} und würde neu aus dem eingebauten "
                                                         f"Gebietsregister angelegt werden; aber {grund}"))
    return befunde
