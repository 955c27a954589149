"""The audit trail: who (the signed-in person, not the OS account), when and why for every import, undo, target
change and role change. Rows are written inside the working copy of the change they record (importer.working_copy),
so the change and its Protokoll row are published together or not at all; nothing here updates or deletes a row.
The page "Protokoll" shows queries/protokoll.sql through `tabelle` and exports it with `csv_bytes` / `xlsx_bytes`."""

import io
from datetime import datetime

import pandas as pd

from sozialmonitor import fmt
from sozialmonitor.errors import SozialmonitorFehler
from sozialmonitor.zugang.rollen import ANMELDUNG_TEXT, Person

AKTION_TEXT = {"import": "Import", "rueckgaengig": "Rückgängig", "ziel_angelegt": "Ziel angelegt",
               "ziel_geaendert": "Ziel geändert", "ziel_zurueckgezogen": "Ziel zurückgezogen",
               "rolle": "Rolle gesetzt", "benutzer_entfernt": "Rolleneintrag entfernt",
               "datenbank_aktualisiert": "Datenbank aktualisiert",
               "geheimhaltung_geaendert": "Geheimhaltung geändert",
               "sozialindex_angelegt": "Sozialindex angelegt", "sozialindex_geaendert": "Sozialindex geändert",
               "sozialindex_entfernt": "Sozialindex entfernt", "vergleichsring_geaendert": "Vergleichsring geändert"}


def verlange_grund(grund: str | None, was: str) -> str:
    """The reason, stripped; raises SozialmonitorFehler (German) when it is empty."""
    text = (grund or "").strip()
    if not text:
        raise SozialmonitorFehler(f"Bitte einen Grund angeben ({was}): er steht im Protokoll.")
    return text


def eintragen(con, person: Person, aktion: str, gegenstand: str, grund: str | None = None,
              import_id: int | None = None, zeitpunkt: datetime | None = None) -> int:
    """Append one row to the table protokoll on a writable connection (a working copy); returns its number.
    aktion: a key of AKTION_TEXT."""
    if aktion not in AKTION_TEXT:
        raise KeyError(aktion)
    nr = con.execute("SELECT nextval('protokoll_nr_seq')").fetchall()[0][0]
    con.execute(
        "INSERT INTO protokoll (nr, zeitpunkt, aktion, gegenstand, grund, person_kennung, person_name, anmeldung, "
        "import_id) VALUES ($nr, $zeit, $aktion, $gegenstand, $grund, $kennung, $name, $anmeldung, $import_id)",
        {"nr": nr, "zeit": zeitpunkt or datetime.now(), "aktion": aktion, "gegenstand": gegenstand,
         "grund": (grund or "").strip() or None, "kennung": person.kennung, "name": person.name,
         "anmeldung": person.anmeldung, "import_id": import_id})
    return nr


def batch_zuschreiben(con, person: Person, import_id: int, grund: str | None) -> None:
    """Record the person and reason on a batch the importer has just registered (importe.benutzer held the OS
    account until then)."""
    con.execute("UPDATE importe SET benutzer = $name, benutzer_kennung = $kennung, grund = $grund "
                "WHERE import_id = $id", {"name": person.protokollname, "kennung": person.kennung,
                                          "grund": (grund or "").strip() or None, "id": import_id})


def tabelle(protokoll: pd.DataFrame) -> pd.DataFrame:
    """queries/protokoll.sql (nr, zeitpunkt, aktion, gegenstand, grund, person_kennung, person_name, anmeldung,
    import_id) as people read it: Nr., Zeitpunkt (TT.MM.JJJJ HH:MM:SS), Person, Aktion, Grund, Gegenstand, Kennung,
    Anmeldung, Import."""
    return pd.DataFrame({
        "Nr.": protokoll["nr"].astype("Int64"),
        "Zeitpunkt": protokoll["zeitpunkt"].map(lambda t: pd.Timestamp(t).strftime("%d.%m.%Y %H:%M:%S")),
        "Person": protokoll["person_name"],
        "Aktion": protokoll["aktion"].map(lambda a: AKTION_TEXT.get(a, a)),
        "Grund": protokoll["grund"].fillna("–"),
        "Gegenstand": protokoll["gegenstand"],
        # without sign-in the key is the OS account: said as such, never as a person's Kennung
        "Kennung": protokoll["person_kennung"].where(
            protokoll["anmeldung"].ne("ohne"), "Betriebssystemkonto „" + protokoll["person_kennung"] + "“"),
        "Anmeldung": protokoll["anmeldung"].map(lambda a: ANMELDUNG_TEXT.get(a, a)),
        "Import": protokoll["import_id"].astype("Int64"),
    })


def seitentabelle(protokoll: pd.DataFrame) -> pd.DataFrame:
    """tabelle() as the page shows it, narrow enough for 1400 px with every cell whole: Kennung and Anmeldung in
    one column ("paula@kreis.example (OIDC)"; the Anmeldung once where the Kennung names it already), without the column Import (Gegenstand names it: "Import 9: …").
    The files keep every column apart."""
    voll = tabelle(protokoll)
    kennung = [k if a in k else f"{k} ({a})" for k, a in zip(voll["Kennung"], voll["Anmeldung"])]
    return voll.drop(columns=["Kennung", "Anmeldung", "Import"]).assign(**{"Kennung (Anmeldung)": kennung})


def _neutralisiert(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (= + - @, tab, CR at the start) get a leading
    apostrophe (OWASP CSV injection)."""
    def zelle(value):
        return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

    return frame.apply(lambda spalte: spalte.map(zelle) if spalte.dtype == object or spalte.dtype == "str"
                       else spalte)


def csv_bytes(protokoll: pd.DataFrame) -> bytes:
    """The Protokoll as CSV for Excel: UTF-8 with BOM, semicolons, German column names."""
    return _neutralisiert(tabelle(protokoll)).to_csv(sep=";", index=False).encode("utf-8-sig")


def xlsx_bytes(protokoll: pd.DataFrame) -> bytes:
    """The Protokoll as an Excel workbook (one sheet "Protokoll", openpyxl)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _neutralisiert(tabelle(protokoll)).to_excel(writer, sheet_name="Protokoll", index=False)
        blatt = writer.sheets["Protokoll"]
        for spalte, breite in zip("ABCDEFGHI", (6, 20, 28, 20, 45, 45, 28, 30, 8)):
            blatt.column_dimensions[spalte].width = breite
    return buffer.getvalue()


def dateiname(endung: str, heute: datetime | None = None) -> str:
    return f"protokoll_{(heute or datetime.now()).strftime('%Y-%m-%d')}.{endung}"


def zusammenfassung(protokoll: pd.DataFrame) -> str:
    return fmt.anzahl(len(protokoll), "Eintrag", "Einträge")


def fassungs_nummern(versionen: pd.DataFrame) -> pd.Series:
    """The number of each version of one index or target, counted per index from its first: 1, 2, 3 … in the order
    they were stored (gueltig_ab, then import_id) – not the import's batch number ('Fassung 9' for a first version,
    fresh tester, issue 20). Index: that of versionen."""
    if versionen.empty:
        return pd.Series([], dtype="Int64", index=versionen.index)
    reihenfolge = versionen.assign(_ab=pd.to_datetime(versionen["gueltig_ab"])).sort_values(
        ["_ab", "import_id"], na_position="first", kind="stable")
    return pd.Series(range(1, len(reihenfolge) + 1), index=reihenfolge.index, dtype="Int64").reindex(versionen.index)


def fassungs_spalten(versionen: pd.DataFrame) -> dict[str, object]:
    """The who/when/why columns of a table of versions (queries/ziel_versionen.sql, sozialindex_fassungen.sql:
    import_id, gueltig_ab, benutzer, grund, gueltig_bis, abgeloest_durch, abgeloest_von, abgeloest_grund) as
    people read them: Fassung (1, 2, 3 … per index or target, fassungs_nummern), gültig ab, von, Grund, gültig bis
    ('heute'), abgelöst durch."""
    def zeit(t):
        return "" if pd.isna(t) else pd.Timestamp(t).strftime("%d.%m.%Y %H:%M")

    return {
        "Fassung": fassungs_nummern(versionen),
        "gültig ab": versionen["gueltig_ab"].map(zeit),
        "von": versionen["benutzer"].fillna("–"),
        "Grund": versionen["grund"].fillna("–"),
        "gültig bis": [("heute" if pd.isna(bis) else zeit(bis)) for bis in versionen["gueltig_bis"]],
        "abgelöst durch": [("" if pd.isna(d) else f"{d} – {b or '–'}: {g or '–'}")
                           for d, b, g in zip(versionen["abgeloest_durch"], versionen["abgeloest_von"],
                                              versionen["abgeloest_grund"])],
    }
