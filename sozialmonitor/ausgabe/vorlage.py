"""Building the Sitzungsvorlage and Steckbrief documents from the database (through `query`, a callable
name, **params → DataFrame: queries.run_query bound to a connection, or the app's cached ui.query).

A build reports its progress through `fortschritt(anteil 0…1, German text)` (the page's progress bar); drawing the
pictures (one browser session for all of them) is the slow part. No Streamlit."""

import dataclasses
from collections.abc import Callable
from datetime import date

import pandas as pd

from sozialmonitor import fmt, kennzeichen
from sozialmonitor.ausgabe import foliensatz
from sozialmonitor.karten import kartendaten
from sozialmonitor.ausgabe import steckbrief
from sozialmonitor.ziele import auswertung
from sozialmonitor.sozialindex import berechnung as sozialindex
from sozialmonitor.sozialindex import texte as sozialindex_texte
from sozialmonitor.sozialindex import vergleichsring
from sozialmonitor.ausgabe import bilder, diagramme, pdf, regeln as regel_datei, texte, word
from sozialmonitor.ausgabe.dokument import Dokument
from sozialmonitor.errors import SozialmonitorFehler
from sozialmonitor.statistik.bewertung import with_dates
from sozialmonitor.ausgabe.unterlagen import Unterlagen, collect, datenstand_text, gebietstabelle, referenzquellen

MIME = {"docx": word.MIME, "pdf": pdf.MIME}
Fortschritt = Callable[[float, str], None]


def _still(anteil: float, text: str) -> None:
    """No progress bar (command line, tests)."""


def schreiben(dokument: Dokument, endung: str) -> bytes:
    """The document as 'docx' or 'pdf' bytes."""
    if endung == "docx":
        return word.schreiben(dokument)
    if endung == "pdf":
        return pdf.schreiben(dokument)
    raise SozialmonitorFehler(f"Unbekanntes Format „{endung}“ (erlaubt: docx, pdf).")


def datei_name(art: str, endung: str, heute: date | None = None) -> str:
    """'sitzungsvorlage_2026-11-30.docx', 'steckbrief_SR2_2026-11-30.pdf'."""
    return f"{art}_{(heute or date.today()).isoformat()}.{endung}"


def _fusszeile(unterlagen: Unterlagen) -> str:
    """Demo notice, and the attribution of the stored boundaries (each boundary import's own)."""
    return (("DEMODATEN – keine amtlichen Zahlen · " if unterlagen.demo else "")
            + f"Sozialmonitor · {unterlagen.grenzen_quelle}")


def steckbrief_profile(query, codes: list[str], unterlagen: Unterlagen) -> list[steckbrief.Steckbrief]:
    """The Steckbriefe of the given areas. Raises SozialmonitorFehler for an area without a Steckbrief."""
    gebiete = query("steckbrief_gebiete")
    unbekannt = [c for c in codes if c not in set(gebiete["gebiet"])]
    if unbekannt:
        raise SozialmonitorFehler(f"Für {', '.join(unbekannt)} gibt es keinen Steckbrief (erlaubt sind Sozialräume "
                                  f"und Gemeinden mit Grenzen, z. B. {', '.join(gebiete['gebiet'].head(3))}).")
    indikatoren = query("map_indicators")
    katalog = with_dates(unterlagen.katalog) if not unterlagen.katalog.empty else unterlagen.katalog
    index = sozialindex.alle(query) if codes else []
    v = vergleichsring.berechnen(query) if codes else None
    ring = vergleichsring.steckbrief_zeile(v)
    return [dataclasses.replace(steckbrief.mit_ring(steckbrief.profile(c, query("steckbrief_werte", gebiet=c),
                                                                       indikatoren, unterlagen.bewertung, katalog), v),
                                sozialindex=sozialindex_texte.steckbrief_zeilen(index, c) + ((ring,) if ring else ()))
            for c in codes]


def steckbrief_bilder(query, profile: list[steckbrief.Steckbrief]) -> list:
    """Per Steckbrief two figures: the spine chart with sparklines and the locator map."""
    figures = []
    geometries: dict[str, kartendaten.MapGeometry] = {}
    for profil in profile:
        if profil.ebene not in geometries:
            geometries[profil.ebene] = kartendaten.map_geometry(query("area_geometries", ebene=profil.ebene))
        figures += [steckbrief.figure(profil, width=1000, font_size=19),
                    bilder.lagekarte(geometries[profil.ebene], profil.gebiet)]
    return figures


def steckbrief_folien(query, codes: list[str], unterlagen: Unterlagen) -> list[tuple]:
    """For the deck: per area (Steckbrief, spine figure, locator figure)."""
    profile = steckbrief_profile(query, list(codes), unterlagen)
    figures = steckbrief_bilder(query, profile)
    return [(profil, figures[2 * i], figures[2 * i + 1]) for i, profil in enumerate(profile)]


def steckbrief_inhalt(dokument: Dokument, profil: steckbrief.Steckbrief, spine: bytes | None,
                      lage: bytes | None, hinweis: str | None, ebene: int | None = 1) -> None:
    """The blocks of one Steckbrief (in the Sitzungsvorlage under 'Steckbriefe' with a heading of `ebene`, or a
    document of its own: ebene None, the document's title names the area)."""
    if ebene is not None:
        dokument.ueberschrift(f"Steckbrief: {profil.kurzname}", ebene)
    art = "Sozialraum" if profil.ebene == "sozialraum" else "Gemeinde"
    dokument.absatz(f"{art} im {profil.kreis_name}. Bevölkerung: " + "; ".join(profil.bevoelkerung()) + ".")
    for zeile in profil.sozialindex:
        dokument.absatz(zeile + ".")
    dokument.bild(spine, f"Alle Indikatoren von {profil.kurzname}: Verlauf und letzter Wert im Vergleich "
                         "(Spine-Chart)", 17, hinweis or "")
    tabelle = steckbrief.table(profil).drop(columns=["Land", "Bund", "Vergleichsring"], errors="ignore")
    if not tabelle["Hinweis"].astype(bool).any():
        tabelle = tabelle.drop(columns=["Hinweis"])
    dokument.tabelle(tabelle, rechtsbuendig=("Jahr", "Wert", "Kreis"))
    dokument.klein(steckbrief.LEGENDE)
    if legende := steckbrief.kennzeichen_legende(profil, vergleiche=("kreis",)):  # Land and Bund not in this table
        dokument.klein(legende)
    if belastbar := kartendaten.belastbarkeit_hinweis(profil.zeilen):
        dokument.klein(f"● {belastbar}")
    dokument.bild(lage, f"Lage von {profil.kurzname} im {profil.kreis_name}", 8, hinweis or "")
    if not profil.ziele.empty:
        dokument.absatz("Ziele der Zielvereinbarung für dieses Gebiet:")
        dokument.tabelle(profil.ziele.drop(columns=["ziel", "status", "kennzeichen"]), rechtsbuendig=("Jahr", "Wert"))


def ring_vergleichsebenen(ring: vergleichsring.Vergleichsring) -> str:
    """The levels the ring's value stands beside in its table: the Kreis, and Land and Bund only where one of the
    ring's indicators has a value there ('Kreis und Land'; the demo holds none: 'Kreis')."""
    ebenen = ["kreis"] + [e for e in ("land", "bund") if ring.vergleich[e].notna().any()]
    return kartendaten.ebenen_text(", ".join(ebenen))


def sozialindex_abschnitt(dokument: Dokument, ergebnisse: list, ueberschrift: str, ring=None) -> None:
    """The Sitzungsvorlage's Sozialindex section: per index which areas need attention, which changed their status
    class since the previous year, which classes are uncertain, and the table of classes (sozialindex.texte); then
    the Kreis' Vergleichsring (its comparison with Kreis, Land, Bund and the Kreise in it), or why there is none."""
    if not ergebnisse and ring is None:
        return
    dokument.ueberschrift(ueberschrift)
    if isinstance(ring, vergleichsring.Vergleichsring):
        nachbarn, vergleich = vergleichsring.tabellen(ring)
        dokument.absatz(f"Vergleichsring: die {ring.ring.k} Kreise, die dem {ring.kreis_name} {ring.jahr} am "
                        f"ähnlichsten sind, und ihr Wert neben {ring_vergleichsebenen(ring)}.")
        dokument.tabelle(vergleich, rechtsbuendig=tuple(vergleich.columns[1:]))
        dokument.tabelle(nachbarn, rechtsbuendig=("Rang", "Abstand", *nachbarn.columns[4:]))
        dokument.klein(vergleichsring.methodentext(ring))
    elif isinstance(ring, str):
        dokument.absatz(ring)
    for ergebnis in ergebnisse:
        if isinstance(ergebnis, str):
            dokument.absatz(ergebnis)
            continue
        dokument.absatz(sozialindex_texte.methodentext(ergebnis)[0])
        saetze = sozialindex_texte.aufmerksamkeit_texte(ergebnis)
        for titel, schluessel in (("Besonderer Aufmerksamkeitsbedarf", "aufmerksamkeit"),
                                  (f"Statusklasse geändert seit {ergebnis.jahr - 1}", "geaendert"),
                                  ("Klasse unsicher", "unsicher")):
            dokument.absatz(f"{titel}: " + ("; ".join(saetze[schluessel]) or "kein Gebiet") + ".")
        tabelle = sozialindex_texte.tabelle(ergebnis).drop(columns=["Dynamikwert"])
        dokument.tabelle(tabelle, rechtsbuendig=("Statuswert", "Sicherheit Status", "Sicherheit Typ"))
        dokument.klein(" ".join(sozialindex_texte.methodentext(ergebnis)[2:5]))


def _quellen(dokument: Dokument, unterlagen: Unterlagen, ueberschrift: str) -> None:
    dokument.ueberschrift(ueberschrift)
    if len(unterlagen.indikatorquellen):
        dokument.absatz("Indikatoren (Quelle laut Katalog; die Werte dieser Demo sind synthetisch, nicht aus diesen "
                        "Quellen):" if unterlagen.demo else "Indikatoren:")
        for zeile in unterlagen.indikatorquellen.itertuples(index=False):
            dokument.klein(f"{zeile.name}: {zeile.quelle}")
    dokument.absatz(unterlagen.grenzen_quelle)
    quellen = referenzquellen(unterlagen)
    if quellen:  # one paragraph per source: a run of URLs joined by ';' is unreadable
        dokument.absatz("Vergleichswerte (Land, Bund):")
        for quelle in quellen:
            dokument.klein(quelle)


def sitzungsvorlage(query, heute: date | None = None, fortschritt: Fortschritt = _still,
                    steckbriefe: list[str] = (), regeln: regel_datei.Regeln | None = None,
                    unterlagen: Unterlagen | None = None) -> Dokument:
    """The Sitzungsvorlage: summary, per target its verdict sentence (rules of data/sitzungsvorlage.toml), deadline
    sentence, table of areas, trend chart and status map; significant changes since the previous year; areas
    significantly above/below their Kreis; the Steckbriefe asked for; caveats; sources.
    unterlagen: the goal evaluation to write about – for a person restricted to one area the page's (evaluated on
    every area, then narrowed: coverage counts over all areas, oberflaeche.seite.ziel_unterlagen); by default
    collect(query, heute). Raises EingabeFehler when the rules file is wrong, SozialmonitorFehler for an unknown
    Steckbrief area."""
    heute = heute or date.today()
    regeln = regeln or regel_datei.laden()
    fortschritt(0.05, "Daten werden gelesen …")
    unterlagen = unterlagen if unterlagen is not None else collect(query, heute)
    indikatoren = query("map_indicators")
    kreis, sozialraeume = query("jahreswerte_ebene", ebene="kreis"), query("jahreswerte_ebene", ebene="sozialraum")
    gemeinden = query("jahreswerte_ebene", ebene="gemeinde")
    profile = steckbrief_profile(query, list(steckbriefe), unterlagen)
    dok = regeln["dokument"]
    dokument = Dokument(dok["titel"], regeln.fuellen(dok["untertitel"], {
        "kreis": unterlagen.kreis, "datenstand": datenstand_text(unterlagen), "heute": fmt.datum(heute)}),
        unterlagen.demo, _fusszeile(unterlagen))
    if unterlagen.demo:
        dokument.hinweis(regeln["hinweise"]["demo"])
    dokument.absatz(dok["einleitung"])

    fortschritt(0.15, "Bilder werden gezeichnet (Verläufe, Karten, Steckbriefe) …")
    ziele = list(unterlagen.uebersicht.itertuples(index=False))
    figures = []
    for ziel in ziele:
        figures.append(foliensatz.slide_chart(ziel, unterlagen))
        mit_grenzen = query("ziel_gebiete_geometrien", ziel=ziel.id)
        if not mit_grenzen.empty:
            geometry = kartendaten.map_geometry(query("area_geometries", ebene=mit_grenzen["ebene"].mode()[0]))
            figures.append(bilder.zielkarte(geometry, diagramme.zielstatus(ziel, unterlagen.bewertung)))
        else:
            figures.append(None)
    figures += steckbrief_bilder(query, profile)
    pngs, bild_hinweis = foliensatz.render_pngs([f for f in figures if f is not None])
    bilder_iter = iter(pngs) if pngs else None

    def naechstes(figure) -> bytes | None:
        return next(bilder_iter) if bilder_iter is not None and figure is not None else None
    fortschritt(0.7, "Texte werden geschrieben …")

    dokument.ueberschrift(dok.get("ueberschrift_zusammenfassung", "Zusammenfassung"))
    if not ziele:
        dokument.absatz("Noch keine Ziele in der Datenbank.")
    else:
        statuses = unterlagen.uebersicht["status"]
        dokument.absatz(auswertung.summary_text(statuses, unterlagen.uebersicht["spaeter_erreicht"]) + ".")
        dokument.tabelle(auswertung.status_table(unterlagen.uebersicht), rechtsbuendig=("Jahr", "Wert", "Frist"))
        if legende := auswertung.kennzeichen_legende(unterlagen.uebersicht):
            dokument.klein(legende)
        saetze = texte.urteile(regeln, unterlagen.uebersicht, unterlagen.bewertung)
        dokument.ueberschrift(dok.get("ueberschrift_ziele", "Die Ziele im Einzelnen"))
        for index, ziel in enumerate(ziele):
            satz, stand = saetze[ziel.id]
            dokument.ueberschrift(ziel.titel, 2)
            dokument.absatz(satz)
            dokument.absatz(stand)
            dokument.klein(f"Zielvorgabe: {auswertung.comparison_text(ziel)} · Frist: {fmt.datum(ziel.frist)} · "
                           f"Basisjahr: {ziel.basisjahr} · Verantwortlich: {ziel.verantwortlich} · "
                           f"Quelle: {ziel.quelle}")
            dokument.tabelle(gebietstabelle(ziel, unterlagen.bewertung),
                             rechtsbuendig=foliensatz.RIGHT_ALIGNED + (f"Stand {ziel.frist.year}",
                                                                    f"Prognose {ziel.frist.year}"))
            for note in auswertung.notes(ziel, unterlagen.bewertung):
                dokument.klein(note)
            trend, karte = figures[2 * index], figures[2 * index + 1]
            dokument.bild(naechstes(trend), f"Verlauf: {ziel.titel}", 11, bild_hinweis or "")
            if karte is not None:
                dokument.bild(naechstes(karte), f"Zielstatus je Gebiet: {ziel.titel}", 13, bild_hinweis or "")
                dokument.klein(diagramme.zielkarte_hinweis(diagramme.zielstatus(ziel, unterlagen.bewertung)))

    dokument.ueberschrift(dok.get("ueberschrift_veraenderungen", "Veränderungen gegenüber dem Vorjahr"))
    aenderungen = texte.veraenderungen(regeln, pd.concat([kreis, sozialraeume]), indikatoren)
    for satz in aenderungen or [regeln["veraenderung"]["keine"]]:
        dokument.absatz(satz)
    dokument.ueberschrift(dok.get("ueberschrift_auffaellig", "Auffällige Gebiete"))
    for satz in texte.auffaellige_gebiete(regeln, kreis, sozialraeume, indikatoren) or [
            regeln["auffaellig"]["keine"]]:
        dokument.absatz(satz)
    sozialindex_abschnitt(dokument, sozialindex.alle(query), dok.get("ueberschrift_sozialindex", "Sozialindex"),
                          vergleichsring.berechnen(query))
    if profile:
        dokument.ueberschrift(dok.get("ueberschrift_steckbriefe", "Steckbriefe"))
        for profil in profile:
            spine_figure = lage_figure = True
            steckbrief_inhalt(dokument, profil, naechstes(spine_figure), naechstes(lage_figure), bild_hinweis, 2)
    dokument.ueberschrift(dok.get("ueberschrift_hinweise", "Hinweise zu den Daten"))
    for satz in texte.hinweise(regeln, unterlagen.demo, pd.concat([kreis, sozialraeume, gemeinden]), indikatoren):
        dokument.absatz(satz)
    if legende := kennzeichen.legende(pd.concat([kreis, sozialraeume])["kennzeichen"].tolist()):
        dokument.absatz(f"Kennzeichen der Statistik an den Werten: {legende}.")
    _quellen(dokument, unterlagen, dok.get("ueberschrift_quellen", "Quellen"))
    fortschritt(0.85, "Datei wird geschrieben …")
    return dokument


def steckbrief_dokument(query, gebiet: str, endung: str, fortschritt: Fortschritt = _still,
                        heute: date | None = None, unterlagen: Unterlagen | None = None) -> bytes:
    """One area's Steckbrief as 'docx' or 'pdf' bytes. unterlagen: the goal evaluation (see sitzungsvorlage)."""
    heute = heute or date.today()
    fortschritt(0.05, "Daten werden gelesen …")
    unterlagen = unterlagen if unterlagen is not None else collect(query, heute)
    [profil] = steckbrief_profile(query, [gebiet], unterlagen)
    fortschritt(0.2, "Bilder werden gezeichnet …")
    pngs, hinweis = foliensatz.render_pngs(steckbrief_bilder(query, [profil]))
    spine, lage = pngs if pngs else (None, None)
    fortschritt(0.8, "Datei wird geschrieben …")
    dokument = Dokument(f"Steckbrief: {profil.kurzname}",
                        f"{unterlagen.kreis} · Datenstand {datenstand_text(unterlagen)} · erstellt am "
                        f"{fmt.datum(heute)}", unterlagen.demo, _fusszeile(unterlagen))
    if unterlagen.demo:
        dokument.hinweis(regel_datei.laden()["hinweise"]["demo"])
    steckbrief_inhalt(dokument, profil, spine, lage, hinweis, ebene=None)
    _quellen(dokument, unterlagen, "Quellen")
    data = schreiben(dokument, endung)
    fortschritt(1.0, "fertig")
    return data
