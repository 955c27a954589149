"""Daten: a file is checked first (validation report, preview of new / changed / unchanged rows), then taken over
in one step; the import history with undo, and the observations as they stood after any earlier import.
An editor's page (Bearbeiter, zugang.AKTIONEN): a Betrachter gets neither the page nor, by URL, its content; the
write functions check the role again themselves."""

import streamlit as st

from sozialmonitor import fmt, importer, ui
from sozialmonitor.config import database_path
from sozialmonitor.errors import EingabeFehler, SozialmonitorFehler

KIND_LABELS = {
    "observations": "Beobachtungen (Werte je Gebiet, Indikator und Zeitraum)",
    "areas": "Gebiete (Tabelle) oder Grenzen (GeoJSON, GeoPackage, gezipptes Shapefile)",
    "membership": "Zuordnung Gemeinde → Sozialraum",
    "indicators": "Indikatorenkatalog (TOML)",
}
CHANGE_LABELS = {"neu": "Neu", "geaendert": "Geändert", "unveraendert": "Unverändert"}
PREVIEW_ROWS = 1000

person = ui.page_frame("Daten", icon=":material/upload_file:", aktion="verlauf_sehen")


def show_refusal(exc: SozialmonitorFehler) -> None:
    if isinstance(exc, EingabeFehler):
        st.error(f"Die Datei wird abgelehnt – die Datenbank bleibt unverändert. "
                 f"{fmt.anzahl(len(exc.befunde), 'Befund', 'Befunde')}, bitte in der Datei korrigieren:")
        st.dataframe(importer.befunde_tabelle(exc.befunde), hide_index=True, width="stretch")
    else:
        st.error(str(exc))


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
           ui.database_version())
    if st.session_state.get("daten_pruefung", (None,))[0] != key:
        try:
            outcome = import_with_progress(options, dry_run=True)
        except SozialmonitorFehler as exc:
            outcome = exc
        st.session_state["daten_pruefung"] = (key, outcome)
    return st.session_state["daten_pruefung"][1]


def upload_section() -> None:
    st.subheader("Datei importieren")
    st.caption("Erst wird geprüft und gezeigt, was sich ändern würde; übernommen wird erst nach „Übernehmen“. "
               "CSV (Semikolon oder Komma, UTF-8 oder Windows-1252, BA-Zeichen * - . x) und Excel (.xlsx).")
    kind = st.selectbox("Art der Daten", list(KIND_LABELS), format_func=KIND_LABELS.get, key="daten_art")
    options = {"kind": kind}
    if kind == "observations":
        options["predecessors"] = st.checkbox(
            "Vorgänger-Schlüssel umrechnen: Werte nach altem Gebietsstand auf die heutigen Gemeinden summieren",
            key="daten_vorgaenger")
    if kind == "areas":
        with st.expander("Nur für Grenzdateien: Ebene und Feldnamen"):
            columns = st.columns(3)
            options["level"] = columns[0].selectbox("Ebene", ["gemeinde", "sozialraum", "kreis", "land"],
                                                    key="daten_ebene")
            options["id_field"] = columns[1].text_input("Feld mit dem Schlüssel", "AGS", key="daten_id_feld")
            options["name_field"] = columns[2].text_input("Feld mit dem Namen", "GEN", key="daten_name_feld")
    upload = st.file_uploader("Datei", type=["csv", "txt", "xlsx", "toml", "zip", "gpkg", "geojson", "json"],
                              key="daten_datei")
    if upload is None:
        return
    options.update(data=upload.getvalue(), name=upload.name)
    if kind == "areas" and not choose_layer(options):
        return
    outcome = checked(options)
    if isinstance(outcome, SozialmonitorFehler):
        show_refusal(outcome)
        return
    if outcome.bereits_importiert:
        st.info(outcome.zusammenfassung())
        return
    st.success(f"Die Datei ist in Ordnung. {outcome.zusammenfassung()}")
    show_preview(outcome)
    replace = False
    changed = outcome.vorschau_anzahl("geaendert")
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


def choose_layer(options: dict) -> bool:
    """A GeoPackage with several layers: the user picks one before anything is checked. False until chosen."""
    layers = importer.boundary_layers(options["data"], options["name"])
    if len(layers) < 2:
        return True
    options["layer"] = st.selectbox(
        "Ebene in der Datei", layers, index=None, placeholder="Bitte wählen",
        key=f"daten_layer_{importer.sha256(options['data'])[:16]}",
        help=f"{options['name']} enthält {fmt.anzahl(len(layers), 'Ebene', 'Ebenen')} mit Flächen; "
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
            preview = ergebnis.vorschau(change, PREVIEW_ROWS)
            st.dataframe(preview if change == "geaendert" else preview.drop(columns="bisher"), hide_index=True,
                         width="stretch")


def history_section(writable: bool) -> None:
    st.subheader("Importverlauf")
    history = ui.query("import_history")
    if history.empty:
        st.caption("Noch keine Importe.")
        return
    st.dataframe(importer.verlauf_tabelle(history), hide_index=True, width="stretch")
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
                   "Hat ein späterer Import dieselben Einträge geändert, muss zuerst dieser rückgängig gemacht werden.")
        grund = st.text_input("Grund (Pflicht, steht im Protokoll)", key="daten_rueckgaengig_grund")
        if st.button(f"Import {choice} rückgängig machen", key="daten_rueckgaengig", disabled=not grund.strip()):
            try:
                st.session_state["daten_meldung"] = importer.undo_summary(
                    importer.run_undo(database_path(), int(choice), person=person, grund=grund))
            except SozialmonitorFehler as exc:
                show_refusal(exc)
                return
            st.rerun()


def state_section() -> None:
    st.subheader("Früherer Stand")
    history = ui.query("import_history")
    batches = history.loc[history["art"].ne("rueckgaengig") & history["rueckgaengig_durch"].isna(), "import_id"]
    if batches.empty:
        return
    choice = st.selectbox("Beobachtungen, wie sie nach diesem Import standen", batches.tolist(),
                          format_func=lambda i: importer.batch_label(history, i),
                          key=f"daten_stand_id_{history['import_id'].max()}")
    state = ui.query("import_state", import_id=int(choice))
    changed = int(state["seitdem_geaendert"].sum())
    columns = st.columns(2)
    columns[0].metric("Werte damals", fmt.zahl(len(state)))
    columns[1].metric("seitdem geändert oder entfernt", fmt.zahl(changed))
    only_changed = st.toggle("Nur seitdem geänderte zeigen", value=changed > 0, key="daten_stand_geaendert")
    shown = state[state["seitdem_geaendert"]] if only_changed else state
    st.dataframe(importer.stand_tabelle(shown.head(PREVIEW_ROWS)), hide_index=True, width="stretch")


if "daten_meldung" in st.session_state:
    st.success(st.session_state.pop("daten_meldung"))
writable = person.darf("importieren")  # page_frame let only Bearbeiter in; the functions check again
if writable:
    upload_section()
history_section(writable)
state_section()
