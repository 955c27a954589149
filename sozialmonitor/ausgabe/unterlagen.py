"""Unterlagen: what every document for the Steuerungsgruppe shows – the goal evaluation read once from the database
(`collect` → `Unterlagen`) and the few texts and tables all of them take from it: the Datenstand, the sources of
the reference values and a target's table of areas. The deck (foliensatz) and workbook (arbeitsmappe), the Sitzungsvorlage and the
Steckbrief documents (ausgabe/) and presentation mode (ui_sitzung) use these, so the same numbers read the same
everywhere. No Streamlit."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from sozialmonitor import fmt, klartext
from sozialmonitor.ziele import auswertung
from sozialmonitor.einlesen import grenzen
from sozialmonitor.sozialindex import vergleichsring


@dataclass(frozen=True)
class Unterlagen:
    """Everything the documents show, read once from the database."""

    kreis: str
    datenstand: date | None  # date of the last import
    demo: bool
    katalog: pd.DataFrame
    jahreswerte: pd.DataFrame
    bewertung: pd.DataFrame
    uebersicht: pd.DataFrame  # auswertung.overview: one row per target
    quellen: pd.DataFrame     # query reference_sources
    grenzen_quelle: str = ""  # attribution of the stored boundaries (each boundary import's own)
    # the source of each indicator the targets speak of, from the catalogue (indicator_catalogue: name, quelle)
    indikatorquellen: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["name", "quelle"]))


def collect(query: Callable[[str], pd.DataFrame], heute: date | None = None, niveau: float = 0.95) -> Unterlagen:
    """Read and evaluate everything once. query runs a query by name (queries.run_query bound to a connection, or
    the app's cached ui.query); heute: the day deadlines are judged on (None: today); niveau: the level of
    "gesichert" (0.95 or 0.998, see statistik.intervalle.NIVEAUS). Control characters in texts are removed
    (klartext.tabelle_bereinigen). Raises what `query` raises (DatenbankFehler)."""
    status = query("data_status").iloc[0]
    # control characters (a database from before they were removed at import) would break XLSX/PPTX/DOCX
    katalog, jahreswerte = (klartext.tabelle_bereinigen(query(name), name)[0]
                            for name in ("ziele_katalog", "ziel_jahreswerte"))
    bewertung = auswertung.mit_entfallenen(auswertung.evaluate(katalog, jahreswerte, heute, niveau),
                                           query("ziel_gebiete_entfallen"))
    # the Vergleichsring's mean as a comparison line beside Land and Bund (chart, table, documents); after the
    # evaluation, which it must not change
    ring = vergleichsring.ziel_reihen(vergleichsring.berechnen(query), katalog)
    if not ring.empty:
        jahreswerte = pd.concat([jahreswerte, ring], ignore_index=True)
    letzter_import = pd.Timestamp(status["letzter_import"])
    return Unterlagen(
        kreis=", ".join(query("kreise")["name"]) or "ohne Kreis",
        datenstand=None if pd.isna(letzter_import) else letzter_import.date(), demo=bool(status["demo"]),
        katalog=katalog, jahreswerte=jahreswerte, bewertung=bewertung,
        uebersicht=auswertung.overview(katalog, bewertung) if not katalog.empty else pd.DataFrame(),
        quellen=klartext.tabelle_bereinigen(query("reference_sources"), "reference_sources")[0],
        grenzen_quelle=grenzen.quellen_text(query("grenzen_quellen")),
        indikatorquellen=_indikatorquellen(query("indicator_catalogue"), katalog),
    )


def _indikatorquellen(katalog_indikatoren: pd.DataFrame, ziele: pd.DataFrame) -> pd.DataFrame:
    """name, quelle of the indicators the targets use (all indicators where there are no targets), in the order
    of the catalogue; an indicator without a stated source says so."""
    gebraucht = set(ziele["indikator"]) if len(ziele) else set(katalog_indikatoren["id"])
    rows = katalog_indikatoren[katalog_indikatoren["id"].isin(gebraucht)]
    quelle = rows["quelle"].fillna("").astype(str).str.strip()
    return pd.DataFrame({"name": rows["name"].astype(str).tolist(),
                         "quelle": quelle.where(quelle.ne(""), "Quelle nicht angegeben").tolist()})


def datenstand_text(unterlagen: Unterlagen) -> str:
    """The date of the last import in German ('30.11.2026'), or 'noch kein Import'."""
    return fmt.datum(unterlagen.datenstand) if unterlagen.datenstand else "noch kein Import"


def referenzquellen(unterlagen: Unterlagen, indikator: str | None = None) -> list[str]:
    """The distinct sources of the imported reference values (Land, Bund), of one indicator or of all, in the
    order of the query reference_sources (each source once)."""
    quellen = unterlagen.quellen
    if indikator is not None:
        quellen = quellen[quellen["indikator"] == indikator]
    return list(dict.fromkeys(quellen["quelle"]))


def gebietstabelle(ziel, bewertung: pd.DataFrame) -> pd.DataFrame:
    """The goal page's table of a target's areas (auswertung.display_table: German texts, one row per area) without
    the columns that say nothing for it – a count has no interval, a deadline still ahead has no state at the
    deadline – and without 'Jüngster Trend' (documents and slides have no room for it). ziel: a row of
    auswertung.overview; bewertung: auswertung.evaluate()."""
    table = auswertung.display_table(ziel, bewertung).drop(columns=["Jüngster Trend"], errors="ignore")
    return table.loc[:, ~table.eq("–").all()]
