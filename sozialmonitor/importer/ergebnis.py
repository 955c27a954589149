"""What an import did, in German: Ergebnis (counts, the preview of changes, conflicts as findings), the names of
the kinds of batches, and the tables the page and the command line show (findings, import history, an earlier
state)."""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from sozialmonitor import einlesen, fmt
from sozialmonitor.einlesen.zahlen import KENNZEICHEN_TEXT
from sozialmonitor.errors import Befund
from sozialmonitor.fmt import STATUS_TEXT, anzahl, zahl

KIND_NAMES = {"beobachtungen": "Beobachtungen", "gebiete": "Gebiete", "grenzen": "Grenzen",
              "zuordnung": "Sozialraum-Zuordnung", "indikatoren": "Indikatoren", "ziele": "Ziele",
              "sozialindex": "Sozialindex-Definitionen", "vergleichskreise": "Vergleichsdaten der Kreise",
              "vergleichstypen": "Vergleichstypen der Kreise",
              "rueckgaengig": "Rückgängig"}

# What one line of a file is, where "28 neu" alone would leave it open (a membership file also creates Sozialräume)
RECORD_NOUNS = {"zuordnung": ("Zuordnung", "Zuordnungen")}

FIELD_LABELS = {"original_wkb": "Grenze", "uebergeordnet": "übergeordnet", "sozialraum": "Sozialraum",
                "name": "Name", "ebene": "Ebene", "einheit": "Einheit", "art": "Art",
                "nachkommastellen": "Nachkommastellen", "mindest_nenner": "Mindestnenner",
                "mindest_zaehler": "Mindestzähler", "turnus": "Turnus", "polaritaet": "Polarität",
                "definition": "Definition", "quelle": "Quelle", "faktor": "Faktor", "geheimhaltung": "Geheimhaltung",
                "zaehler_indikator": "Zähler-Indikator", "nenner_indikator": "Nenner-Indikator",
                "zaehler": "Zähler", "nenner": "Nenner"}

Progress = Callable[[float, str], None]


@dataclass
class Ergebnis:
    """What an import did (or, with dry_run, would do). neu/geaendert/unveraendert count the file's own records;
    a membership file also creates or changes the Sozialräume it names (sozialraeume_*). aenderungen: one row per
    incoming record (and Sozialraum) with the key columns, the new and the old values (alt_*), 'aenderung'
    (neu/geaendert/unveraendert) and 'zeile'."""

    art: str
    datei: str
    zeilen: int = 0
    neu: int = 0
    geaendert: int = 0
    unveraendert: int = 0
    import_id: int | None = None
    bereits_importiert: bool = False
    trockenlauf: bool = False
    aenderungen: pd.DataFrame | None = field(default=None, repr=False)
    schluessel: list[str] = field(default_factory=list, repr=False)
    felder: list[str] = field(default_factory=list, repr=False)
    sozialraeume_neu: int = 0
    sozialraeume_geaendert: int = 0
    hinweise: list[str] = field(default_factory=list, repr=False)  # what the import converted, added or left out
    kodierung: str = ""  # the encoding a text file was read in, for the preview ("Windows-1252 (ANSI)")
    profil: str | None = None  # the import profile the file was read with
    # a file checked in pieces (importer.stuecke) keeps only the first rows of each kind of change in aenderungen;
    # then these are the counts of each kind ('neu', 'geaendert', 'unveraendert')
    anzahlen: dict | None = field(default=None, repr=False)

    def zusammenfassung(self) -> str:
        if self.bereits_importiert:
            return (f"{self.datei}: Diese Datei wurde bereits importiert (Import {self.import_id}); "
                    "nichts geändert.")
        verb = "würde übernehmen" if self.trockenlauf else f"übernommen als Import {self.import_id}"
        noun = RECORD_NOUNS.get(self.art)
        counts = [f"{anzahl(self.neu, *noun) if noun else zahl(self.neu)} neu", f"{zahl(self.geaendert)} geändert",
                  f"{zahl(self.unveraendert)} unverändert"]
        sozialraeume = [f"{anzahl(n, 'Sozialraum', 'Sozialräume')} {change}" for n, change in (
            (self.sozialraeume_neu, "neu" if self.trockenlauf else "angelegt"),
            (self.sozialraeume_geaendert, "geändert")) if n]
        text = f"{self.datei}: {anzahl(self.zeilen, 'Zeile', 'Zeilen')} geprüft, {verb}: {', '.join(counts)}"
        if sozialraeume:
            text += "; " + ", ".join(sozialraeume)
        return text + "." + "".join(f"\nHinweis: {hinweis}" for hinweis in self.hinweise)

    def vorschau_anzahl(self, aenderung: str) -> int:
        """Rows of one kind of change in the preview: the file's records and the Sozialräume a membership file
        names. vorschau_anzahl('geaendert') is what a user has to agree to replace."""
        if self.anzahlen is not None:
            return int(self.anzahlen.get(aenderung, 0))
        return 0 if self.aenderungen is None else int(self.aenderungen["aenderung"].eq(aenderung).sum())

    def vorschau(self, aenderung: str, limit: int = 1000, namen: dict[str, dict] | None = None,
                 nachkommastellen: dict[str, int] | None = None) -> pd.DataFrame:
        """Rows of one kind of change for a person to read: Zeile, Schlüssel, bisher, neu. namen: for a key field
        ('gebiet', 'indikator') the names of its codes – the key then reads 'Thüringen (16) · Jugendarbeitslosigkeit
        (15 bis unter 25 Jahre) · 2024' instead of '16/alq_u25/2024' (a code unknown there stays the code);
        nachkommastellen: indicator → its published decimals ('6,8', not the stored '6,80')."""
        if self.aenderungen is None:
            return pd.DataFrame(columns=["Zeile", "Schlüssel", "bisher", "neu"])
        rows = self.aenderungen[self.aenderungen["aenderung"].eq(aenderung)].head(limit)

        def stellen(r) -> int | None:
            n = (nachkommastellen or {}).get(getattr(r, "indikator", None))
            return None if n is None or pd.isna(n) else int(n)

        def felder(r) -> list[str]:
            # a catalogue entry may differ in a field beyond the usual ones (Geheimhaltung): shown too (column anders)
            anders = getattr(r, "anders", "") if aenderung == "geaendert" else ""
            return self.felder + [f for f in (anders if isinstance(anders, str) else "").split(",")
                                  if f and f not in self.felder]

        bisher = [_describe_fields(r, felder(r), "alt_", stellen(r)) if aenderung != "neu" else ""
                  for r in rows.itertuples(index=False)]
        neu = [_describe_fields(r, felder(r), "", stellen(r)) for r in rows.itertuples(index=False)]
        # a boundary that moved reads the same before and after ("Fläche mit 86 Punkten"): say how far it moved
        neu = [n + _grenzen_verschoben(r, felder(r)) if aenderung == "geaendert" and n == b else n
               for r, b, n in zip(rows.itertuples(index=False), bisher, neu)]
        return pd.DataFrame({"Zeile": rows["zeile"].astype("Int64"),
                             "Schlüssel": [self.schluessel_text(r, namen, " · ") for r in rows.itertuples(index=False)],
                             "bisher": bisher, "neu": neu})

    def schluessel_text(self, r, namen: dict[str, dict] | None, trenner: str = ", ") -> str:
        """A row's key as a person reads it: with namen (key field → code → name) 'Gemeinde Ebeleben (16065017),
        Bevölkerung unter 10 Jahren, 2022' – the area by its name and code, the indicator by its title, the period
        in German; without names, or for a code unknown there, the code ('16065017/bev_u10/2022' was the message)."""
        namen = namen or {}

        def teil(k: str, wert) -> str:
            if k == "zeitraum" and isinstance(wert, str):
                return fmt.zeitraum(wert)
            name = namen.get(k, {}).get(wert)
            if name is None:
                return str(wert)
            return f"{name} ({wert})" if k in ("gebiet", "kreis", "code", "id") else str(name)

        return (trenner if namen else "/").join(teil(k, getattr(r, k)) for k in self.schluessel)

    def konflikt_anzahl(self) -> int:
        """Changed rows a user has to agree to replace: vorschau_anzahl('geaendert') without the defaults of the
        built-in catalogue a file may replace without asking (column ersetzt_vorgabe, importer.kataloge)."""
        if self.anzahlen is not None or self.aenderungen is None or "ersetzt_vorgabe" not in self.aenderungen:
            return self.vorschau_anzahl("geaendert")
        return int((self.aenderungen["aenderung"].eq("geaendert") & ~self.aenderungen["ersetzt_vorgabe"]).sum())

    def konflikte(self, namen: dict[str, dict] | None = None) -> list[Befund]:
        """Changed rows as findings (old → new), for a refusal without --replace; namen: as for schluessel_text.
        Optional columns of aenderungen: ersetzt_vorgabe (True: no conflict), feld (the finding's field),
        konflikt_grund (appended: what already uses the entry)."""
        rows = self.aenderungen[self.aenderungen["aenderung"].eq("geaendert")]
        if "ersetzt_vorgabe" in rows:
            rows = rows[~rows["ersetzt_vorgabe"].astype(bool)]
        extra = {"ersetzt_vorgabe", "abweichung", "feld", "konflikt_grund", "anders"}
        verglichen = [c[len("alt_"):] for c in rows.columns if c.startswith("alt_") and c[len("alt_"):] in rows
                      and c[len("alt_"):] not in extra]

        def anders(r) -> str:
            # every other field that differs: a catalogue entry may differ only in a field like mindest_nenner, and
            # a conflict whose two sides read the same would leave the planner guessing
            if "status" in self.felder:
                return ""
            teile = [f"{FIELD_LABELS.get(f, f)} {_feldwert(getattr(r, 'alt_' + f))} → {_feldwert(getattr(r, f))}"
                     for f in verglichen if f not in self.felder and not _gleich(getattr(r, "alt_" + f), getattr(r, f))]
            return "; ".join(teile)

        def satz(r) -> str:
            bisher, neu = _describe_fields(r, self.felder, "alt_"), _describe_fields(r, self.felder, "")
            weitere = anders(r)
            if bisher == neu:  # only other fields differ: name those, not "X → X"
                return f"mit anderen Angaben gespeichert: {weitere or bisher}"
            return f"schon gespeichert: {bisher} → {neu}" + (f"; außerdem abweichend: {weitere}" if weitere else "")

        def grund(r) -> str:
            text = getattr(r, "konflikt_grund", "")
            return f" ({text})" if isinstance(text, str) and text else ""

        def feld(r):
            value = getattr(r, "feld", None)
            return value if isinstance(value, str) and value else None

        return [Befund(self.datei, int(r.zeile) if pd.notna(r.zeile) else None, feld(r),
                       f"Konflikt: {self.schluessel_text(r, namen)} ist {satz(r)}{grund(r)}. "
                       "Nur mit „Ersetzen“ (--replace) übernehmen.")
                for r in rows.head(einlesen.MAX_BEFUNDE).itertuples(index=False)]


def _feldwert(value) -> str:
    """A stored field value in German: numbers as numbers ('1.000'), nothing as 'keine Angabe'."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "keine Angabe"
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nein"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(value)
    return str(value)


def _gleich(a, b) -> bool:
    """Two stored field values are the same (both empty counts as the same)."""
    leer_a = a is None or (pd.api.types.is_scalar(a) and pd.isna(a))
    leer_b = b is None or (pd.api.types.is_scalar(b) and pd.isna(b))
    if leer_a or leer_b:
        return leer_a and leer_b
    return bool(a == b)


def _number(value: float) -> str:
    return zahl(value) if float(value).is_integer() else zahl(value, 2)


def _describe_fields(row, fields: list[str], prefix: str, stellen: int | None = None) -> str:
    """Values of a row in German: 'Wert 6,5 (Zähler 13, Nenner 200)' for observations, 'name: Adorf' otherwise;
    the value with `stellen` decimals (the indicator's published ones) when given."""
    if "status" in fields:
        status, value = getattr(row, prefix + "status"), getattr(row, prefix + "wert")
        if status != "ok":
            return STATUS_TEXT.get(status, status)
        text = "leer" if pd.isna(value) else _number(value) if stellen is None else zahl(value, stellen)
        counts = [(label, getattr(row, prefix + name)) for label, name in (("Zähler", "zaehler"),
                                                                             ("Nenner", "nenner"))]
        shown = [f"{label} {_number(v)}" for label, v in counts if pd.notna(v)]
        flags = getattr(row, prefix + "kennzeichen", None)
        if isinstance(flags, str) and flags:
            shown.append(", ".join(KENNZEICHEN_TEXT.get(flag, flag) for flag in flags.split(",")))
        return text + (f" ({', '.join(shown)})" if shown else "")
    parts = []
    for name in fields:
        value = getattr(row, prefix + name)
        if isinstance(value, (bytes, bytearray)):
            value = f"Fläche mit {zahl(shapely.get_num_coordinates(shapely.from_wkb(bytes(value))))} Punkten"
        if not (pd.api.types.is_scalar(value) and pd.isna(value)):
            if isinstance(value, (bool, np.bool_, float)):
                value = _feldwert(value)  # 'ja', '1.000' – never Python's True or 1000.0
            parts.append(f"{FIELD_LABELS.get(name, name)}: {value}")
    return ", ".join(parts) or "–"


METER_JE_GRAD = 111_320  # a degree of latitude; a degree of longitude is shorter, so the distance is an upper bound


def _grenzen_verschoben(row, fields: list[str]) -> str:
    """For the boundary fields (WKB, EPSG:4326) of a changed row: ', um höchstens 0,4 m verschoben' – the Hausdorff
    distance of the old and the new shape (shapely), in metres as METER_JE_GRAD times degrees; '' without one."""
    teile = []
    for name in fields:
        alt, neu = getattr(row, "alt_" + name, None), getattr(row, name, None)
        if isinstance(alt, (bytes, bytearray)) and isinstance(neu, (bytes, bytearray)):
            meter = shapely.hausdorff_distance(shapely.from_wkb(bytes(alt)), shapely.from_wkb(bytes(neu))) \
                * METER_JE_GRAD
            teile.append("weniger als 1 m" if meter < 1 else f"höchstens {zahl(meter, 0 if meter >= 10 else 1)} m")
    return f", verschoben um {' bzw. '.join(teile)}" if teile else ""


def befunde_tabelle(befunde: list[Befund]) -> pd.DataFrame:
    return pd.DataFrame({"Zeile": pd.array([b.zeile for b in befunde], dtype="Int64"),
                         "Feld": [b.feld or "" for b in befunde], "Befund": [b.meldung for b in befunde]})


def befunde_seitentabelle(befunde: list[Befund]) -> pd.DataFrame:
    """befunde_tabelle as the page Daten shows it (an HTML table): the line as text ("" where a finding has none),
    without the column Feld when no finding names one."""
    tabelle = befunde_tabelle(befunde)
    tabelle["Zeile"] = [zahl(z) if pd.notna(z) else "" for z in tabelle["Zeile"]]
    return tabelle.drop(columns=["Feld"]) if not tabelle["Feld"].astype(bool).any() else tabelle


def batch_label(history: pd.DataFrame, import_id: int) -> str:
    row = history[history["import_id"].eq(import_id)].iloc[0]
    return f"{import_id}: {KIND_NAMES.get(row['art'], row['art'])} – {row['datei']} ({fmt.datum(row['zeitpunkt'])})"


def verlauf_tabelle(history: pd.DataFrame) -> pd.DataFrame:
    """queries/import_history.sql as the page shows it: one row per import, 8 columns that read whole at 1400 px
    as an HTML table (issue 20): the counts in one column ("4.796 Zeilen: 4.796 neu, 0 geändert, 0 unverändert"),
    the archived copy by its path beside the database (archiv/…)."""
    def eintraege(r) -> str:
        # a number never split from its word (no-break spaces)
        return (f"{fmt.anzahl(r.zeilen, 'Zeile', 'Zeilen')}: {zahl(r.neu)} neu, {zahl(r.geaendert)} geändert, "
                f"{zahl(r.unveraendert)} unverändert").replace(" ", "\u00a0").replace(",\u00a0", ", ").replace(
                    ":\u00a0", ": ")

    return pd.DataFrame({
        "Nr.": history["import_id"].astype(int).astype(str),
        "Art": history["art"].map(lambda a: KIND_NAMES.get(a, a)),
        "Datei": history["datei"],
        "Einträge": [eintraege(r) for r in history.itertuples()],
        "Zeitpunkt": history["zeitpunkt"].map(lambda t: t.strftime("%d.%m.%Y %H:%M")),
        "Benutzer": history["benutzer"],
        "Grund": history["grund"].fillna("–") if "grund" in history else "–",
        "Archiv": history["archiv"].fillna(""),
        "Status": history["rueckgaengig_durch"].map(
            lambda u: "aktiv" if pd.isna(u) else f"rückgängig gemacht ({int(u)})"),
    })


def stand_tabelle(state: pd.DataFrame, geheim: pd.Series | None = None,
                  nachkommastellen: dict[str, int] | None = None,
                  indikator_namen: dict[str, str] | None = None) -> pd.DataFrame:
    """queries/import_state.sql as the page shows it; rows where `geheim` (geheimhaltung.im_verlauf_geheim) is True
    show 'geheim (*)' then and now, like every other view of the value; values with their indicator's published
    decimals (nachkommastellen: indikator → Stellen; without it as stored); the indicator by its name
    (indikator_namen: id → name; an id without a name stays the id)."""
    geheim = pd.Series(False, index=state.index) if geheim is None else geheim.reindex(state.index, fill_value=True)
    stellen = [None if nachkommastellen is None else nachkommastellen.get(i) for i in state["indikator"]]

    def shown(value, status, n):
        if status != "ok":
            return STATUS_TEXT.get(status, status)
        return "–" if pd.isna(value) else _number(value) if n is None or pd.isna(n) else zahl(value, int(n))

    verborgen = STATUS_TEXT["geheim"]
    return pd.DataFrame({
        "Gebiet": state["gebiet"] + " " + state["gebiet_name"].fillna(""),
        "Indikator": [(indikator_namen or {}).get(i, i) for i in state["indikator"]],
        "Zeitraum": state["zeitraum"].map(fmt.zeitraum),
        "Wert damals": [verborgen if g else shown(v, s, n)
                        for v, s, g, n in zip(state["wert"], state["status"], geheim, stellen)],
        "aus Import": state["import_id"],
        "Wert heute": [("entfernt" if s == "entfernt" else verborgen if g else shown(v, s, n))
                       for v, s, g, n in zip(state["heute_wert"], state["heute_status"], geheim, stellen)],
    })
