"""Observations in: read (any layout, encoding, official keys), checked against the catalogue and the areas,
rates computed from their counts, values of former Gemeinden summed onto today's, compared with the database and
written as one batch."""

from dataclasses import dataclass

import pandas as pd

from sozialmonitor import einlesen, klartext
from sozialmonitor.einlesen import grenzen, profile, register, schluessel
from sozialmonitor.errors import Befund
from sozialmonitor.fmt import anzahl, zahl
from sozialmonitor.daten.arbeitskopie import _database_folder
from sozialmonitor.daten.config import DATA_DIR
from sozialmonitor.importer.ergebnis import Ergebnis, Progress
from sozialmonitor.importer.gebiete import (AREA_FIELDS, _area_diff, _write_areas, gespeicherte_gebiete,
                                            hinweise_ohne_daten, is_boundary_file)
from sozialmonitor.importer.schreiben import (OBSERVATION_KEY, _decide, _diff, _parse, register_batch, replace_rows,
                                              _result, _seen_before, _step, transaction)
from sozialmonitor.einlesen import gebietsstand

ZAHLENFELDER = ("zaehler", "nenner", "wert")


def unlesbare_zeilen(befunde: list[Befund]) -> frozenset:
    """The lines whose number fields the reader could not read (one finding names line and field already): the
    checks that follow skip them, so one fault is one finding, not a second one about a "missing" Nenner."""
    return frozenset(b.zeile for b in befunde if b.zeile is not None and b.feld in ZAHLENFELDER)


def validate_observations(con, rows: pd.DataFrame, name: str, predecessors: bool = False,
                          unlesbar: frozenset = frozenset()) -> tuple[pd.DataFrame, list[Befund]]:
    """Check rows against the catalogue and areas; compute each quote's value from its counts. unlesbar: lines
    with an unreadable number field (unlesbare_zeilen), left out of the checks on the numbers."""
    befunde: list[Befund] = []
    catalogue = con.execute("SELECT id AS indikator, art, faktor, nachkommastellen FROM indikatoren").df()
    areas = pd.concat([con.execute("SELECT code FROM gebiete").df()["code"], register.register()["code"]])
    successors = _successor_table(con)
    rows = rows.merge(catalogue, on="indikator", how="left")
    befunde += einlesen.findings(name, rows, rows["art"].isna() & rows["indikator"].ne(""), "indikator",
                                lambda r: f"Den Indikator „{r.indikator}“ gibt es nicht im Katalog.")
    unknown = rows[~rows["gebiet"].isin(areas) & rows["gebiet"].ne("")].drop_duplicates(["zeile", "gebiet"])
    hint = (successors.groupby("vorgaenger")["nachfolger"].agg(lambda s: ", ".join(sorted(set(s)))).to_dict()
            if not predecessors else {})
    befunde += einlesen.findings(name, unknown, slice(None), "gebiet", lambda r: (
        f"Das Gebiet „{r.gebiet}“ ist unbekannt.{schluessel.unbekannt_hinweis(r.gebiet)}" + (
            f" Es ist ein Vorgänger von {hint[r.gebiet]}: Werte nach altem Gebietsstand mit „--vorgaenger“ "
            "(Seite: „Vorgänger-Schlüssel umrechnen“) importieren." if r.gebiet in hint else "")))

    ok = rows["status"].eq("ok")
    geprueft = ok & ~rows["zeile"].isin(unlesbar)
    has_z, has_n, has_w = rows["zaehler"].notna(), rows["nenner"].notna(), rows["wert"].notna()
    quote = rows["art"].eq("quote")
    befunde += einlesen.findings(name, rows, geprueft & quote & (has_z ^ has_n), None, lambda r: (
        f"Für eine Quote werden Zähler und Nenner zusammen angegeben (oder nur der Wert); hier fehlt der "
        f"{'Nenner' if pd.isna(r.nenner) else 'Zähler'}."))
    befunde += einlesen.findings(name, rows, geprueft & ~has_z & ~has_n & ~has_w & rows["art"].notna(), "wert",
                                "Die Zeile hat weder Zähler und Nenner noch einen Wert (für „keine Angabe“ "
                                "bitte „.“ eintragen).")

    computed = rows["faktor"] * rows["zaehler"] / rows["nenner"].where(rows["nenner"] > 0)
    tolerance = 0.5 * 10.0 ** (-rows["nachkommastellen"].fillna(1)) + 1e-9
    mismatch = ok & quote & has_w & computed.notna() & ((rows["wert"] - computed).abs() > tolerance)
    befunde += einlesen.findings(name, rows.assign(berechnet=computed), mismatch, "wert", lambda r: (
        f"Der Wert {einlesen.zahl_text(r.wert)} passt nicht zu Zähler/Nenner "
        f"({zahl(r.berechnet, int(r.nachkommastellen))})."))
    rows["wert"] = rows["wert"].mask(ok & quote & has_z & has_n, computed)
    rows["wert"] = rows["wert"].mask(ok & rows["art"].eq("anzahl") & ~has_w, rows["zaehler"])
    # A rate on an empty base (0 of 0) is not a zero rate: there is nobody it could apply to.
    rows["status"] = rows["status"].mask(ok & quote & rows["nenner"].eq(0), "entfaellt")
    extra = [c for c in ("vorgaenger_code", "gewicht") if c in rows]
    return rows[["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert", "status", "kennzeichen", "quelle",
                 "zeile", *extra]], befunde


def ohne_aufgeloeste_gemeinden(con, rows: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rows of Gemeinden that no longer exist – a code that is neither stored nor a predecessor, 8 digits, of a Kreis
    the database or the register knows, and nothing but „-“ in its number fields (a table of a year after the
    Gemeinde was dissolved lists it so) – are left out with a report line instead of refusing the file. rows: the
    resolved observation rows (with the column nur_strich of einlesen.inhalte.beobachtungen; without it nothing is
    left out)."""
    if "nur_strich" not in rows or not rows["nur_strich"].any():
        return rows.drop(columns="nur_strich", errors="ignore"), []
    known = schluessel.bekannte_codes(gespeicherte_gebiete(con))
    codes = rows["gebiet"]
    gone = (rows["nur_strich"].astype(bool) & ~codes.isin(known) & codes.str.fullmatch(r"\d{8}", na=False)
            & codes.str[:5].isin(known))
    kept = rows[~gone].drop(columns="nur_strich").reset_index(drop=True)
    if not gone.any():
        return kept, []
    listed = rows[gone].drop_duplicates("gebiet")
    return kept, [_ausgelassen([f"{r.gebiet} (Zeile {int(r.zeile)})" for r in listed.head(21).itertuples()],
                               frozenset(rows.loc[gone, "zeile"].astype(int)))]


def _ausgelassen(eintraege, zeilen: frozenset) -> klartext.Sammelhinweis:
    """The note of ohne_aufgeloeste_gemeinden: eintraege 'code (Zeile n)' at each code's first line, zeilen the
    lines left out – a Sammelhinweis, so a file checked in pieces (importer.stuecke) names each code once."""
    erste: dict[str, str] = {}
    for eintrag in eintraege:
        erste.setdefault(eintrag.split(" ", 1)[0], eintrag)
    gezeigt = list(erste.values())
    return klartext.Sammelhinweis(
        f"Ausgelassen: {anzahl(len(zeilen), 'Zeile', 'Zeilen')} von Gemeinden, die es nicht mehr gibt (weder in der "
        f"Datenbank noch als Vorgänger bekannt, nur „-“ in allen Feldern): {', '.join(gezeigt[:20])}"
        f"{' …' if len(gezeigt) > 20 else ''}. Vermutlich vor der Gebietsreform aufgelöst.", (3, "ausgelassen"),
        gezeigt, len(zeilen), lambda e, _n, x: _ausgelassen(e, x), zeilen)


def _successor_table(con) -> pd.DataFrame:
    """Predecessor AGS → today's area, from gebiete.vorgaenger (e.g. AGS_VORGAENGER of the boundary file)."""
    return gebietsstand.nachfolger(con)


def combine_predecessors(con, rows: pd.DataFrame, name: str, refused: frozenset = frozenset(),
                         unlesbar: frozenset = frozenset()) -> tuple[pd.DataFrame, list[Befund]]:
    """Sum the rows of all predecessors of a Gemeinde into one row for today's Gemeinde (einlesen.gebietsstand):
    counts are summed (weighted for a split predecessor) and a rate recomputed from them; an 'x' part adds
    nothing. A sum needs every predecessor, and a rate needs its counts."""
    mapped = rows[rows["vorgaenger_code"].notna()]
    plain = rows[rows["vorgaenger_code"].isna()].drop(columns=["vorgaenger_code", "gewicht"], errors="ignore")
    if mapped.empty:
        return plain, []
    catalogue = con.execute("SELECT id AS indikator, art, faktor FROM indikatoren").df()
    successors = _successor_table(con)
    befunde: list[Befund] = []
    mixed = mapped.merge(plain[OBSERVATION_KEY + ["zeile"]], on=OBSERVATION_KEY, suffixes=("", "_heute"))
    befunde += einlesen.findings(name, mixed, slice(None), "gebiet", lambda r: (
        f"{r.vorgaenger_code} ist ein Vorgänger von {r.gebiet}, das in Zeile {r.zeile_heute} schon mit "
        "heutigem Gebietsstand steht: beides zusammen würde doppelt zählen."))
    checked = mapped.merge(catalogue, on="indikator", how="left")
    befunde += einlesen.findings(name, checked, checked["status"].eq("ok") & checked["art"].eq("quote")
                                & ~checked["zeile"].isin(unlesbar)
                                & (checked["zaehler"].isna() | checked["nenner"].isna()), "zaehler",
                                lambda r: f"Für die Umrechnung von {r.vorgaenger_code} auf {r.gebiet} braucht die "
                                          "Quote Zähler und Nenner (Quoten lassen sich nicht addieren).")
    groups = mapped.groupby(OBSERVATION_KEY, sort=True)
    present = groups["vorgaenger_code"].agg(set)
    expected = successors.groupby("nachfolger")["vorgaenger"].agg(set)
    first_line = groups["zeile"].min()
    for key, codes in present.items():
        lacking = sorted(expected.get(key[0], set()) - codes - refused)  # a refused split is reported already
        if lacking:
            befunde.append(Befund(name, int(first_line[key]), "gebiet",
                                  f"Für {key[0]} ({key[1]}, {key[2]}) fehlen die Vorgänger {', '.join(lacking)}: "
                                  "die Summe wäre unvollständig."))
    summed = gebietsstand.summieren(mapped, catalogue)
    combined = pd.concat([plain, summed[plain.columns]], ignore_index=True).sort_values(["zeile", "gebiet"],
                                                                                       kind="stable")
    return combined.reset_index(drop=True), befunde


OBSERVATION_FIELDS = ["zaehler", "nenner", "wert", "status", "kennzeichen"]


def compare_with_database(con, rows: pd.DataFrame) -> pd.DataFrame:
    """Each incoming row marked 'neu', 'geaendert' or 'unveraendert', with the old values beside it."""
    return _diff(con, "beobachtungen", rows, OBSERVATION_FIELDS)


def indicator_catalogue(con) -> pd.DataFrame:
    """The stored catalogue as the readers need it (einlesen.parse_observations): id, art, faktor,
    nachkommastellen, turnus ('jahr'/'monat' or None: a Stichtag 31.12. is a year or a December), name (for
    messages: the indicator by its title)."""
    return con.execute("SELECT id, art, faktor, nachkommastellen, turnus, name FROM indikatoren").df()


def import_observations(con, data: bytes, name: str, replace: bool = False, dry_run: bool = False,
                        predecessors: bool = False, progress: Progress | None = None,
                        weights: tuple[bytes, str] | None = None, profil: str | None = None, indikator: str = "",
                        id_field: str = "ID", neue_gebiete: bool = False, nummern: str | None = None) -> Ergebnis:
    """Observations CSV/XLSX, or a KomMonitor boundary export (DATE_YYYY-MM-DD properties of the indicator
    `indikator`, areas by id_field). predecessors: codes of former Gemeinden are converted to today's Gemeinden;
    weights: (data, name) of a file vorgaenger;nachfolger;gewicht apportioning predecessors that belong to several
    of today's Gemeinden (einlesen.gebietsstand). profil: the name of an import profile (einlesen.profile) for a
    file in another layout. Official keys (ARS, Regionalstatistik) are converted to the AGS and reported
    (einlesen.schluessel); Kreis, Land and Bund rows of areas not yet stored come from the built-in register
    (einlesen.register) – but a planner's own numbers never silently become such areas (schluessel.register_befunde;
    neue_gebiete: the user confirmed Länder and Kreise other than the Kreis' own, --neue-gebiete). nummern: the
    file's own area numbers → codes by a pattern ("STGT##": 1 → STGT01; profile.nummern_umsetzen). Rows of Gemeinden
    that no longer exist (unknown, of a known Kreis, nothing but „-“) are left out and reported."""
    digest, seen = _seen_before(con, "beobachtungen", data, name)
    if seen:
        return seen
    from sozialmonitor.importer import stuecke

    if stuecke.in_stuecken(data, name, profil=profil, predecessors=predecessors, weights=weights,
                           indikator=indikator):
        return stuecke.import_observations(con, data, name, digest, replace=replace, dry_run=dry_run,
                                           progress=progress, neue_gebiete=neue_gebiete, nummern=nummern)
    _step(progress, 0.1, "Datei lesen")
    pruefung = pruefen(con, data, name, predecessors=predecessors, weights=weights, profil=profil,
                       indikator=indikator, id_field=id_field, neue_gebiete=neue_gebiete, nummern=nummern,
                       progress=progress)
    ergebnis = pruefung.ergebnis(dry_run)
    if not _decide(con, ergebnis, pruefung.befunde, replace):
        return ergebnis
    _step(progress, 0.75, "Schreiben")
    with transaction(con):
        import_id = register_batch(con, ergebnis, digest, data)
        schreiben(con, pruefung, import_id)
    return ergebnis


@dataclass
class Pruefung:
    """What checking one file (or one piece of it, importer.stuecke) found: the findings, the rows compared with the
    database (diff), the resolved keys (Aufloesung: areas the register adds), the notes by kind, the values read."""

    name: str
    befunde: list[Befund]
    diff: pd.DataFrame
    keys: object  # schluessel.Aufloesung
    rows: pd.DataFrame  # the validated rows (gebiet, indikator, zeitraum …, zeile)
    zeilen: int  # values read (see import_observations)
    hinweise_umrechnung: list[str]
    aufgeloest: list[str]
    ohne_daten: list[str]
    kodierung: str
    profil: str | None
    stil: tuple = (False, False)  # decimal comma / point seen (zahlen.stil_zeichen)
    mehrdeutig: bool = False  # a cell was read by the decimal mark

    def ergebnis(self, dry_run: bool) -> Ergebnis:
        ergebnis = _result("beobachtungen", self.name, self.diff, OBSERVATION_KEY, OBSERVATION_FIELDS, dry_run)
        ergebnis.zeilen = self.zeilen
        ergebnis.hinweise = self.hinweise_umrechnung + self.keys.hinweise + self.aufgeloest + self.ohne_daten
        ergebnis.kodierung, ergebnis.profil = self.kodierung, self.profil
        return ergebnis


def pruefen(con, data: bytes, name: str, predecessors: bool = False, weights: tuple[bytes, str] | None = None,
            profil: str | None = None, indikator: str = "", id_field: str = "ID", neue_gebiete: bool = False,
            nummern: str | None = None, progress: Progress | None = None, stueck=None) -> Pruefung:
    """Read and check an observations file (see import_observations) against the database without writing.
    stueck: one piece of a large text file (einlesen.tabelle.Stueck; importer.stuecke joins the pieces)."""
    if is_boundary_file(data, name) and stueck is None and (indikator or einlesen.sniff(data) == "text"):
        # KomMonitor: one indicator's values as DATE_YYYY-MM-DD properties of its spatial units
        parsed, befunde = _parse(lambda d, n: grenzen.kommonitor_beobachtungen(d, n, id_field, indikator), data, name)
    else:
        layout = profile.laden(profil, _database_folder(con), DATA_DIR / profile.ORDNER) if profil else None
        katalog = indicator_catalogue(con)
        parsed, befunde = _parse(lambda d, n: einlesen.parse_observations(d, n, katalog, layout, stueck), data, name)
    kodierung = parsed.attrs.get("kodierung", "")
    stil, mehrdeutig = parsed.attrs.get("stil", (False, False)), parsed.attrs.get("mehrdeutig", False)
    if nummern:
        parsed["gebiet"] = profile.nummern_umsetzen(parsed["gebiet"], nummern, name)
    keys = schluessel.aufloesen(gespeicherte_gebiete(con), parsed, name, register_pruefen=True,
                                bestaetigt=neue_gebiete)
    parsed, befunde = keys.zeilen, befunde + keys.befunde
    parsed, aufgeloest = ohne_aufgeloeste_gemeinden(con, parsed)
    paare = _successor_table(con)
    hinweise = [] if predecessors else gebietsstand.warnungen_ohne_umrechnung(parsed, paare)
    if weights is not None and not predecessors:
        befunde.append(Befund(weights[1], None, None, "Gewichte gelten nur zusammen mit „--vorgaenger“."))
    if predecessors:
        gewichte = None
        if weights is not None:
            gewichte, more = _parse(lambda d, n: gebietsstand.lese_gewichte(d, n, paare), *weights)
            befunde += more
        refused = frozenset(parsed["gebiet"]) & frozenset(gebietsstand.teilungen(paare)) - frozenset(
            gewichte["vorgaenger"] if gewichte is not None else ())
        parsed, more = gebietsstand.zuordnen(parsed, paare, gewichte, name)
        befunde += more
    _step(progress, 0.35, "Werte prüfen")
    unlesbar = unlesbare_zeilen(befunde)
    rows, more = validate_observations(con, parsed, name, predecessors, unlesbar)
    befunde += more
    if predecessors:
        rows, more = combine_predecessors(con, rows, name, refused, unlesbar)
        befunde += more
    _step(progress, 0.55, "Mit der Datenbank vergleichen")
    diff = compare_with_database(con, rows.drop(columns=["vorgaenger_code", "gewicht"], errors="ignore"))
    # values read (a wide table gives several per line); with predecessors split by weights: the file's lines
    zeilen = (int(parsed["zeile"].nunique()) if predecessors else len(parsed)) + keys.ausgelassen
    return Pruefung(name, befunde, diff, keys, rows, zeilen, hinweise, aufgeloest,
                    [] if stueck is not None else hinweise_ohne_daten(con, rows), kodierung, profil, stil, mehrdeutig)


def schreiben(con, pruefung: Pruefung, import_id: int) -> None:
    """Write a checked file (or piece) into batch import_id: the areas the register adds, then every new or changed
    row (replaced rows go to the history). Inside the caller's transaction."""
    _write_areas(con, _area_diff(con, pruefung.keys.neue_gebiete, AREA_FIELDS), import_id)
    incoming = pruefung.diff.loc[pruefung.diff["aenderung"].ne("unveraendert"),
                                 ["gebiet", "indikator", "zeitraum", "zaehler", "nenner", "wert", "status",
                                  "kennzeichen", "quelle"]]
    replace_rows(con, "beobachtungen", incoming, import_id)
