"""Daten: a file is checked first (validation report, preview of new / changed / unchanged rows), then taken over
in one step; the import history with undo, and the observations as they stood after any earlier import.
An editor's page (Bearbeiter, zugang.AKTIONEN): a Betrachter gets neither the page nor, by URL, its content; the
write functions check the role again themselves."""

import streamlit as st

from sozialmonitor import fmt, geheimhaltung, importer
from sozialmonitor.oberflaeche import seite, sitzung
from sozialmonitor.importer import einrichten
from sozialmonitor.klartext import markdown as text
from sozialmonitor.daten.config import DATA_DIR, database_path
from sozialmonitor.einlesen import profile, tabelle
from sozialmonitor.errors import EingabeFehler, SozialmonitorFehler

KIND_LABELS = {
    "observations": "Beobachtungen (Werte je Gebiet, Indikator und Zeitraum)",
    "areas": "Gebiete (Tabelle) oder Grenzen (GeoJSON, GeoPackage, gezipptes Shapefile, KML/KMZ)",
    "membership": "Zuordnung Gemeinde → Sozialraum",
    "indicators": "Indikatorenkatalog (TOML)",
    "sozialindex": "Sozialindex-Definitionen (TOML wie data/sozialindex.toml)",
    "vergleichskreise": "Vergleichsdaten der Kreise für den Vergleichsring (kreis;indikator;zeitraum;zaehler;nenner)",
    "vergleichstypen": "Vergleichstypen der Kreise, fester Vergleichsring (kreis;typ, z. B. SGB-II-Vergleichstypen)",
}
CHANGE_LABELS = {"neu": "Neu", "geaendert": "Geändert", "unveraendert": "Unverändert"}
LAYOUTS = {"austausch": "Austauschformat (Kopfzeile gebiet;indikator;zeitraum;zaehler;nenner;wert)",
           "profil": "Mit gespeichertem Importprofil (z. B. BA- oder GENESIS-Tabelle)",
           "zuordnen": "Spalten selbst zuordnen und als Importprofil speichern"}
FIELD_LABELS = {"gebiet": "Gebietsschlüssel", "zeitraum": "Zeitraum", "zaehler": "Zähler", "nenner": "Nenner",
                "wert": "Wert", "quelle": "Quelle", "indikator": "Indikator",
                "name": "Gebietsname (wird mit dem Gebietsregister verglichen)"}
NONE = "– keine –"
PREVIEW_ROWS = 1000

person = seite.page_frame("Daten", icon=":material/upload_file:", aktion="verlauf_sehen")


def show_refusal(exc: SozialmonitorFehler, layout: str | None = None) -> None:
    """The refusal with every finding whole (an HTML table: the end of a long finding, "Erwartet wird …", was cut in
    a cell); with the interchange layout chosen and a header that does not fit, the other layouts as the way on."""
    if isinstance(exc, EingabeFehler):
        st.error(f"Die Datei wird abgelehnt – die Datenbank bleibt unverändert. "
                 f"{fmt.anzahl(len(exc.befunde), 'Befund', 'Befunde')}:")
        sitzung.tabelle(importer.befunde_seitentabelle(exc.befunde), html=True)
        if layout == "austausch" and any(b.meldung.startswith("Die Kopfzeile passt nicht") for b in exc.befunde):
            st.info("Ist die Datei eine Tabelle eines Statistikamts oder der Bundesagentur (Titelzeilen, Jahre als "
                    f"Spalten)? Dann oben den Aufbau „{LAYOUTS['profil']}“ oder „{LAYOUTS['zuordnen']}“ wählen.",
                    icon=":material/lightbulb:")
    else:
        st.error(text(str(exc)))  # messages name the user's file: shown as text


def import_with_progress(options: dict, **flags) -> importer.Ergebnis:
    bar = st.progress(0.0, text="Datei wird gelesen …")
    try:
        return importer.run(database_path(), progress=lambda share, text: bar.progress(share, text=text),
                            person=person, **options, **flags)
    finally:
        bar.empty()


def checked(options: dict) -> importer.Ergebnis | EingabeFehler | SozialmonitorFehler:
    """The dry run of the uploaded file, kept per file, options and database version (a big file is read once)."""
    key = (importer.sha256(options["data"]), tuple(sorted((k, v) for k, v in options.items() if k != "data")),
           seite.database_version())
    if st.session_state.get("daten_pruefung", (None,))[0] != key:
        try:
            outcome = import_with_progress(options, dry_run=True)
        except SozialmonitorFehler as exc:
            outcome = exc
        st.session_state["daten_pruefung"] = (key, outcome)
    return st.session_state["daten_pruefung"][1]


def setup_section() -> None:
    """Einen Kreis einrichten: boundaries filtered to the Kreis, Kreis/Land/Bund from the register, templates."""
    with st.expander("Einen Kreis einrichten (Grenzen, Kreis, Land und Bund in einem Schritt)",
                     expanded=seite.query("data_status").iloc[0]["gebiete"] == 0):
        st.caption("Die Gemeindegrenzen des Kreises werden aus der Grenzdatei übernommen (auch eine Datei für ganz "
                   "Deutschland, z. B. VG250_GEM als gezipptes Shapefile), Kreis, Land und Deutschland aus dem "
                   "eingebauten Gebietsregister. Danach gibt es zwei Vorlagen mit den Gemeinden des Kreises zum "
                   "Ausfüllen: die Sozialraum-Zuordnung und die Beobachtungen.")
        kreise = einrichten.kreis_auswahl()
        choice = st.selectbox("Kreis", kreise.index, format_func=lambda i: kreise.at[i, "text"], index=None,
                              placeholder="Kreis wählen oder Namen tippen", key="daten_einrichten_kreis")
        upload = st.file_uploader("Gemeindegrenzen", type=list(importer.GRENZ_ENDUNGEN),
                                  key="daten_einrichten_datei")
        columns = st.columns(3)
        crs = columns[0].text_input("Koordinatensystem (EPSG), nur wenn die Datei keines nennt", "",
                                    placeholder="z. B. EPSG:25832", key="daten_einrichten_crs")
        quelle = columns[1].text_input("Quellenangabe der Grenzen", "", placeholder="z. B. © GeoBasis-DE / BKG (2024)",
                                       key="daten_einrichten_quelle")
        id_field = columns[2].text_input("Feld mit dem Gemeindeschlüssel", "AGS", key="daten_einrichten_id",
                                         help="AGS (8-stellig) oder ARS/RS (12-stellig, wird in den AGS "
                                              "umgewandelt); ohne Feld AGS wird ARS bzw. RS genommen.")
        if choice is None or upload is None:
            return
        if st.button(f"{text(kreise.at[choice, 'name'])} einrichten", type="primary", key="daten_einrichten_los"):
            try:
                done = einrichten.einrichten(database_path(), kreise.at[choice, "code"], upload.getvalue(),
                                             upload.name, id_field=id_field, crs=crs or None, quelle=quelle or None,
                                             person=person)
            except SozialmonitorFehler as exc:
                show_refusal(exc)
                return
            st.session_state["daten_einrichtung"] = done
            st.rerun()
    done = st.session_state.get("daten_einrichtung")
    if done is not None:
        headline, *lines = done.zusammenfassung().splitlines()
        st.success(text(headline))  # names the Kreis and the boundary file
        st.text("\n".join(lines))  # file names and areas are user text: shown as text, never as Markdown
        columns = st.columns(len(done.vorlagen))
        for column, (file_name, content) in zip(columns, done.vorlagen.items()):
            column.download_button(f"Vorlage {file_name}", content, file_name=file_name, mime="text/csv",
                                   icon=":material/download:", key=f"daten_vorlage_{file_name}")


def upload_section() -> None:
    st.subheader("Datei importieren")
    st.caption("Erst wird geprüft und gezeigt, was sich ändern würde; übernommen wird erst nach „Übernehmen“. "
               "CSV (Semikolon, Komma oder Tabulator; UTF-8, UTF-16/„Unicode-Text“, Windows-1252 oder Mac Roman; "
               "Zeichen der BA und der Statistischen Ämter * / . … - – x, (Zahl), Zahl p/r/s) und Excel (.xlsx).")
    kind = st.selectbox("Art der Daten", list(KIND_LABELS), format_func=KIND_LABELS.get, key="daten_art")
    options = {"kind": kind}
    layout = "austausch"
    if kind == "observations":
        layout = st.radio("Aufbau der Datei", list(LAYOUTS), format_func=LAYOUTS.get, key="daten_aufbau")
        if layout == "profil" and not choose_profile(options):
            return
        options["predecessors"] = st.checkbox(
            "Vorgänger-Schlüssel umrechnen: Werte nach altem Gebietsstand auf die heutigen Gemeinden summieren",
            key="daten_vorgaenger")
        options["neue_gebiete"] = st.checkbox(
            "Neue Länder und Kreise aus dem Gebietsregister anlegen: die Datei enthält Vergleichswerte für Länder "
            "oder Kreise, die noch nicht in der Datenbank sind (sonst wird eine Nummer wie 11 nie still zum Land "
            "Berlin)", key="daten_neue_gebiete")
        if layout != "zuordnen":
            options["nummern"] = st.text_input(
                "Eigene Nummern der Gebiete (optional): Muster der Schlüssel, # steht für eine Ziffer", "",
                placeholder="z. B. STGT## – aus 1 wird STGT01", key="daten_nummern") or None
    if kind == "vergleichskreise":  # a Regionalstatistik Kreis table (years as columns) through a saved profile
        layout = st.radio("Aufbau der Datei", ["austausch", "profil"], key="daten_aufbau_kreise",
                          format_func={"austausch": "Austauschformat (Kopfzeile kreis;indikator;zeitraum;zaehler;"
                                                    "nenner)", "profil": LAYOUTS["profil"]}.get)
        if layout == "profil" and not choose_profile(options):
            return
    if kind == "areas":
        with st.expander("Nur für Grenzdateien: Ebene und Feldnamen"):
            columns = st.columns(3)
            options["level"] = columns[0].selectbox("Ebene", ["gemeinde", "sozialraum", "kreis", "land"],
                                                    key="daten_ebene")
            options["id_field"] = columns[1].text_input("Feld mit dem Schlüssel", "AGS", key="daten_id_feld")
            options["name_field"] = columns[2].text_input("Feld mit dem Namen", "GEN", key="daten_name_feld")
            columns = st.columns(2)
            options["crs"] = columns[0].text_input("Koordinatensystem (EPSG), nur wenn die Datei keines nennt", "",
                                                   placeholder="z. B. EPSG:25832", key="daten_crs") or None
            options["quelle"] = columns[1].text_input("Quellenangabe der Grenzen (für Karte, PNG und Exporte)", "",
                                                      placeholder="z. B. © GeoBasis-DE / BKG (2024)",
                                                      key="daten_quelle") or None
    if kind == "observations":
        options["indikator"] = st.text_input(
            "Indikator der Jahreswerte in einer Grenzdatei (nur dafür)", "", key="daten_kommonitor_indikator",
            help="Nur nötig, wenn eine Grenzdatei neben den Flächen Werte je Jahr enthält – etwa ein Export aus dem "
                 "Kommunalmonitoring KomMonitor mit Spalten wie DATE_2024: welcher Indikator diese Werte sind.")
        if options["indikator"]:
            options["id_field"] = st.text_input("Feld mit dem Schlüssel", "ID", key="daten_kommonitor_id")
    upload = st.file_uploader("Datei", type=list(importer.DATEI_ENDUNGEN), key="daten_datei")
    if upload is None:
        return
    options.update(data=upload.getvalue(), name=upload.name)
    if kind == "areas" and not choose_layer(options):
        return
    if layout == "zuordnen" and not map_columns(options):
        return
    outcome = checked(options)
    if isinstance(outcome, SozialmonitorFehler):
        show_refusal(outcome, layout)
        return
    if outcome.bereits_importiert:
        st.info(text(outcome.zusammenfassung()))
        return
    st.success(f"Die Datei ist in Ordnung. {text(outcome.zusammenfassung())}")
    read_as = [t for t in (outcome.kodierung and f"Zeichenkodierung: {outcome.kodierung}",
                           outcome.profil and f"Importprofil: {outcome.profil}") if t]
    if read_as:
        st.caption(text(" · ".join(read_as)))
    show_preview(outcome)
    replace = False
    changed = outcome.konflikt_anzahl()  # a default of the built-in catalogue is replaced without asking (Hinweis)
    if changed:
        st.warning(f"Schon mit anderem Inhalt in der Datenbank: {fmt.anzahl(changed, 'Eintrag', 'Einträge')} "
                   "(Tab „Geändert“: bisher → neu).")
        replace = st.checkbox("Ja, die abweichenden Einträge ersetzen. Die bisherigen bleiben in der Historie und "
                              "lassen sich mit „Rückgängig“ zurückholen.", key="daten_ersetzen")
    grund = st.text_input("Anlass (optional, steht im Protokoll)", key="daten_grund",
                          placeholder="z. B. Monatsdaten der Bundesagentur, Stand Juni")
    if st.button("Übernehmen", type="primary", disabled=bool(changed and not replace),
                 key="daten_uebernehmen"):
        try:
            done = import_with_progress(options, replace=replace, grund=grund)
        except SozialmonitorFehler as exc:
            show_refusal(exc)
            return
        st.session_state["daten_meldung"] = done.zusammenfassung()
        st.rerun()  # the new database version: sidebar, history and every page show the new data


def choose_profile(options: dict) -> bool:
    """A saved import profile for the file; False while there is none to choose."""
    names = profile.namen(database_path().parent, DATA_DIR / profile.ORDNER)
    if not names:
        st.info("Es gibt noch kein Importprofil. Bitte bei „Beobachtungen“ „Spalten selbst zuordnen“ wählen: die "
                "Zuordnung wird als Profil gespeichert und steht danach hier bereit (oder profile/NAME.toml neben "
                "der Datenbank ablegen).")
        return False
    options["profil"] = st.selectbox("Importprofil", names, key="daten_profil")
    return True


def map_columns(options: dict) -> bool:
    """The mapping step: which column is the area, the period, the counts; saved as a named import profile, then
    checked like any import (preview before commit). False until the profile is saved."""
    data, name = options["data"], options["name"]
    try:
        sheets = tabelle.blaetter(data, name)
        sheet = (st.selectbox("Tabellenblatt", sheets, key=f"daten_blatt_{importer.sha256(data)[:16]}")
                 if len(sheets) > 1 else None)
        st.caption("Die ersten Zeilen der Datei, wie sie sind:")
        st.dataframe(profile.rohansicht(data, name, sheet), width="stretch")
        suggested = profile.kopfzeile_vorschlag(data, name, sheet)
        if suggested is None:
            st.warning("In den ersten Zeilen steht keine Zeile mit Überschriften (nur Zahlen). Bitte die Zeile mit "
                       "den Überschriften angeben – oder die Datei mit Überschriften exportieren.")
        head = int(st.number_input("Zeile mit den Spaltenüberschriften – bei mehreren Überschriftenzeilen die "
                                   "unterste", min_value=1, value=suggested or 1, key="daten_kopfzeile",
                                   help="Darüberliegende Überschriftenzeilen (Gruppen wie „männlich“/„weiblich“, "
                                        "verbundene Zellen) werden mitgelesen: jede Spalte heißt nach all ihren "
                                        "Überschriften, z. B. „Insgesamt › Altersgruppen › Insgesamt“."))
        headings = profile.ueberschriften(data, name, sheet, head)
    except SozialmonitorFehler as exc:
        show_refusal(exc)
        return False
    if not headings:
        st.warning("In dieser Zeile stehen keine Überschriften.")
        return False
    choices = [NONE, *headings]
    columns = st.columns(3)
    spalten = {}
    for index, field in enumerate(("gebiet", "zaehler", "nenner", "wert", "zeitraum", "quelle", "name")):
        picked = columns[index % 3].selectbox(FIELD_LABELS[field], choices, key=f"daten_spalte_{field}")
        if picked != NONE:
            spalten[field] = headings[picked]
    zeilenfilter = {}
    columns = st.columns(3)
    filter_column = columns[0].selectbox("Nur Zeilen, in denen die Spalte …", choices, key="daten_filter_spalte",
                                         help="Für lange Tabellen mit einer Zeile je Kategorie, z. B. Altersgruppe")
    if filter_column != NONE:
        filter_value = columns[1].text_input("… diesen Wert hat", key="daten_filter_wert",
                                             placeholder="z. B. Insgesamt")
        if filter_value.strip():
            key = headings[filter_column]
            zeilenfilter[key if isinstance(key, str) else f"Spalte {key}"] = [filter_value.strip()]
    nummern = columns[2].text_input("Eigene Nummern der Gebiete (optional)", key="daten_profil_nummern",
                                    placeholder="z. B. STGT## – aus 1 wird STGT01",
                                    help="Wenn die Datei die Gebiete mit eigenen Nummern (1, 2, 3 …) statt mit "
                                         "ihren Schlüsseln führt: das Muster der Schlüssel, # steht für eine "
                                         "Ziffer. Eigene Nummern werden nie zu Ländern oder Kreisen.") or None
    catalogue = seite.query("indicator_catalogue")
    indicator = st.selectbox("Indikator (gilt für alle Zeilen)", catalogue["id"].tolist(), index=None,
                             placeholder="Bitte wählen",
                             format_func=lambda i: f"{i} – {catalogue.set_index('id').at[i, 'name']}",
                             key="daten_fest_indikator")
    if indicator is None:
        return False
    fest = {"indikator": indicator}
    wide = st.toggle("Jahre oder Monate stehen als Spalten nebeneinander (breite Tabelle)", key="daten_breit")
    breit = {}
    if wide:
        breit["feld"] = st.selectbox("Die Zeitraum-Spalten enthalten", ["wert", "zaehler", "nenner"],
                                     format_func=FIELD_LABELS.get, key="daten_breit_feld")
        breit["zeitraum"] = st.selectbox("Eine Spalte wie „Dez 2023“ oder „31.12.2023“ ist", ["jahr", "monat"],
                                         format_func={"jahr": "ein Jahr", "monat": "ein Monat"}.get,
                                         key="daten_breit_zeitraum")
    elif "zeitraum" not in spalten:
        fest["zeitraum"] = st.text_input("Zeitraum (gilt für alle Zeilen, JJJJ oder JJJJ-MM)", key="daten_fest_zeitraum")
    columns = st.columns([1, 2])
    profile_name = columns[0].text_input("Name des Profils", key="daten_profil_name",
                                         help="Kleinbuchstaben, Ziffern, - und _; z. B. ba-sgb2-kinder")
    description = columns[1].text_input("Beschreibung (Quelle, Tabelle)", key="daten_profil_beschreibung")
    saved = st.session_state.get("daten_profil_gespeichert")
    if st.button("Profil speichern und Datei prüfen", key="daten_profil_speichern"):
        try:
            layout = profile.aus_toml(profile.Profil(
                name=profile_name, spalten=spalten, fest=fest, beschreibung=description, blatt=sheet,
                kopfzeile=head, breit_feld=breit.get("feld"), breit_zeitraum=breit.get("zeitraum"),
                filter=zeilenfilter, nummern=nummern).als_toml(),
                f"{profile_name}.toml")
            profile.speichern(layout, database_path().parent)
        except SozialmonitorFehler as exc:
            show_refusal(exc)
            return False
        saved = st.session_state["daten_profil_gespeichert"] = (importer.sha256(data), profile_name)
    if not saved or saved[0] != importer.sha256(data):
        return False
    options["profil"] = saved[1]
    st.caption(text(f"Gespeichert als Importprofil „{saved[1]}“: nächstes Mal „Mit gespeichertem Importprofil“ "
                    "wählen."))
    return True


def choose_layer(options: dict) -> bool:
    """A GeoPackage with several layers: the user picks one before anything is checked. False until chosen."""
    layers = importer.boundary_layers(options["data"], options["name"])
    if len(layers) < 2:
        return True
    options["layer"] = st.selectbox(
        "Ebene in der Datei", layers, index=None, placeholder="Bitte wählen",
        key=f"daten_layer_{importer.sha256(options['data'])[:16]}",
        help=f"{text(options['name'])} enthält {fmt.anzahl(len(layers), 'Ebene', 'Ebenen')} mit Flächen; "
             "importiert wird eine davon.")
    return options["layer"] is not None


def show_preview(ergebnis: importer.Ergebnis) -> None:
    counts = {change: ergebnis.vorschau_anzahl(change) for change in CHANGE_LABELS}
    tabs = st.tabs([f"{CHANGE_LABELS[k]} ({fmt.zahl(n)})" for k, n in counts.items()])
    for tab, (change, count) in zip(tabs, counts.items()):
        with tab:
            if not count:
                st.caption("Keine.")
                continue
            if count > PREVIEW_ROWS:
                st.caption(f"Die ersten {fmt.zahl(PREVIEW_ROWS)} von {fmt.zahl(count)}.")
            indikatoren = seite.query("indikatoren_art")
            gebiete = seite.query("gebiete_mit_sozialraum")
            preview = ergebnis.vorschau(change, PREVIEW_ROWS, namen={
                "gebiet": dict(zip(gebiete["code"], gebiete["name"])),
                "indikator": dict(zip(indikatoren["id"], indikatoren["name"]))},
                nachkommastellen=dict(zip(indikatoren["id"], indikatoren["nachkommastellen"])))
            st.dataframe(preview if change == "geaendert" else preview.drop(columns="bisher"), hide_index=True,
                         width="stretch")


def history_section(writable: bool) -> None:
    st.subheader("Importverlauf")
    history = seite.query("import_history")
    if history.empty:
        st.caption("Noch keine Importe.")
        return
    # an HTML table with wrapped cells: every column whole at 1400 px (issue 20); file name and archive path, which
    # have no blank to break at, may break anywhere (deutsch.css, .st-key-importverlauf)
    with st.container(key="importverlauf"):
        sitzung.tabelle(importer.verlauf_tabelle(history), html=True)
    if not writable:
        return
    undoable = history[history["rueckgaengig_moeglich"]]
    if undoable.empty:
        return
    with st.expander("Einen Import rückgängig machen"):
        # keyed by the newest import, so that a new import becomes the preselected choice
        choice = st.selectbox("Import", undoable["import_id"].tolist(),
                              key=f"daten_rueckgaengig_id_{history['import_id'].max()}",
                              format_func=lambda i: importer.batch_label(undoable, i))
        st.caption("Die Werte dieses Imports werden entfernt und die vorher gespeicherten wiederhergestellt. "
                   "Bauen spätere Importe darauf auf (Werte für seine Gebiete oder Indikatoren, geänderte Einträge), "
                   "werden sie genannt und müssen zuerst oder zusammen mit ihm rückgängig gemacht werden.")
        together = st.checkbox("Spätere Importe, die darauf aufbauen, zusammen mit ihm rückgängig machen",
                               key="daten_rueckgaengig_abhaengige")
        grund = st.text_input("Grund (Pflicht, steht im Protokoll)", key="daten_rueckgaengig_grund")
        if st.button(f"Import {choice} rückgängig machen", key="daten_rueckgaengig", disabled=not grund.strip()):
            try:
                st.session_state["daten_meldung"] = importer.undo_summary(
                    importer.run_undo(database_path(), int(choice), person=person, grund=grund,
                                      with_dependants=together))
            except SozialmonitorFehler as exc:
                show_refusal(exc)
                return
            st.rerun()


def state_section() -> None:
    st.subheader("Früherer Stand")
    history = seite.query("import_history")
    batches = history.loc[history["art"].ne("rueckgaengig") & history["rueckgaengig_durch"].isna(), "import_id"]
    if batches.empty:
        return
    choice = st.selectbox("Beobachtungen, wie sie nach diesem Import standen", batches.tolist(),
                          format_func=lambda i: importer.batch_label(history, i),
                          key=f"daten_stand_id_{history['import_id'].max()}")
    state = seite.query("import_state", import_id=int(choice))
    changed = int(state["seitdem_geaendert"].sum())
    columns = st.columns(2)
    columns[0].metric("Werte damals", fmt.zahl(len(state)))
    columns[1].metric("seitdem geändert oder entfernt", fmt.zahl(changed))
    only_changed = st.toggle("Nur seitdem geänderte zeigen", value=changed > 0, key="daten_stand_geaendert")
    shown = state[state["seitdem_geaendert"]] if only_changed else state
    shown = shown.head(PREVIEW_ROWS)
    indikatoren = seite.query("indikatoren_art")
    geheim = geheimhaltung.im_verlauf_geheim(shown, indikatoren)
    stellen = dict(zip(indikatoren["id"], indikatoren["nachkommastellen"]))
    st.dataframe(importer.stand_tabelle(shown, geheim, stellen, dict(zip(indikatoren["id"], indikatoren["name"]))),
                 hide_index=True, width="stretch")


if "daten_meldung" in st.session_state:
    st.success(text(st.session_state.pop("daten_meldung")))
writable = person.darf("importieren")  # page_frame let only Bearbeiter in; the functions check again
if writable:
    setup_section()
    upload_section()
history_section(writable)
state_section()
