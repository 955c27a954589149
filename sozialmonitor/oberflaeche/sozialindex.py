"""The Sozialindex for the app: computed once per database version and definition (the bootstrap runs once, not on
every rerun), on this page run's pinned Stand; a person restricted to a Gemeinde or Sozialraum sees only its rows
(the index itself is standardised over all areas, as published)."""

import dataclasses
import functools

import duckdb
import streamlit as st

from sozialmonitor.daten.queries import run_query
from sozialmonitor.einlesen.sozialindex import Definition
from sozialmonitor.oberflaeche import seite
from sozialmonitor.errors import SozialmonitorFehler
from sozialmonitor.sozialindex import berechnung, texte, vergleichsring


@st.cache_data(ttl=3600, max_entries=16, show_spinner="Sozialindex wird berechnet …")
def _ergebnis(path: str, version: tuple[int, int], definition: Definition,
              _con: duckdb.DuckDBPyConnection) -> berechnung.Ergebnis:
    return berechnung.berechnen(_con, definition)


def ergebnis(definition: Definition) -> berechnung.Ergebnis:
    """berechnung.berechnen on this run's Stand, cached under its version; rows limited to what the person sees."""
    current = seite.stand()
    result = _ergebnis(current.pfad, current.version, definition, current.verbindung)
    sichtbar = seite.sichtbare_gebiete()
    if sichtbar is None:
        return result
    return dataclasses.replace(result, gebiete=result.gebiete[result.gebiete["gebiet"].isin(sichtbar)],
                               werte=result.werte[result.werte["gebiet"].isin(sichtbar)])


def query():
    """queries.run_query on this run's Stand (the whole published tables, not person-filtered)."""
    return functools.partial(run_query, seite.stand().verbindung)


def definitionen() -> list[Definition]:
    """The current definitions: the versions stored in the database (page "Sozialindex bearbeiten", imports),
    data/sozialindex.toml while none is stored. EingabeFehler/SozialmonitorFehler (German) when faulty."""
    return berechnung.definitionen(query())


def alle() -> list:
    """Every current index (cached results), or the German reason where one cannot be computed."""
    try:
        definitionen_ = definitionen()
    except SozialmonitorFehler as exc:
        return [f"Sozialindex: {exc}"]
    ergebnisse = []
    for definition in definitionen_:
        try:
            ergebnisse.append(ergebnis(definition))
        except SozialmonitorFehler as exc:
            ergebnisse.append(str(exc))
    return ergebnisse


def steckbrief_zeilen(gebiet: str) -> tuple[str, ...]:
    """The Steckbrief lines of every index for one area (sozialindex.texte.steckbrief_zeilen) and the Kreis'
    Vergleichsring (vergleichsring.steckbrief_zeile)."""
    zeile = vergleichsring.steckbrief_zeile(ring())
    return texte.steckbrief_zeilen(alle(), gebiet) + ((zeile,) if zeile else ())


@st.cache_data(ttl=3600, max_entries=4, show_spinner="Vergleichsring wird berechnet …")
def _ring(path: str, version: tuple[int, int],
          _con: duckdb.DuckDBPyConnection) -> "vergleichsring.Vergleichsring | str | None":
    return vergleichsring.berechnen(functools.partial(run_query, _con))


def ring() -> "vergleichsring.Vergleichsring | str | None":
    """The current Vergleichsring on this run's Stand (None without one, a German text when it
    cannot be computed), cached under the database version. Read on the whole published table, not through the
    person-filtered seite.query: the cache is shared by everyone, so it must not depend on who filled it."""
    current = seite.stand()
    return _ring(current.pfad, current.version, current.verbindung)


def folien() -> tuple[tuple[str, str], ...]:
    """(id, name) of every index for the presentation's sequence (none when the definitions file is faulty: the
    Sozialindex page says why)."""
    try:
        return tuple((d.id, d.name) for d in definitionen())
    except SozialmonitorFehler:
        return ()


def ergebnis_von(ident: str) -> "berechnung.Ergebnis | str":
    """The result of the index with this id, or the German reason why there is none."""
    try:
        definition = next((d for d in definitionen() if d.id == ident), None)
        if definition is None:
            return f"Den Sozialindex „{ident}“ gibt es nicht (mehr) in den Definitionen."
        return ergebnis(definition)
    except SozialmonitorFehler as exc:
        return str(exc)
