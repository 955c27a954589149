"""Indikatoren: the catalogue with definitions, formulas, sources and the periods for which values exist."""

import streamlit as st

from sozialmonitor import fmt, geheimhaltung
from sozialmonitor.daten.config import database_path
from sozialmonitor.errors import KeinZugriff, SozialmonitorFehler
from sozialmonitor.karten import kartendaten
from sozialmonitor.klartext import markdown as text
from sozialmonitor.oberflaeche import seite
from sozialmonitor.ziele import indikatorpflege

seite.page_frame("Indikatoren", icon=":material/menu_book:")

catalogue = seite.query("indicator_catalogue")
st.markdown(
    "Quoten werden immer aus Zählern und Nennern berechnet: Für Sozialräume und den Kreis werden die Zähler und "
    "Nenner der Gemeinden summiert und dann geteilt – nie Quoten gemittelt. Ein Jahresdurchschnitt aus Monatswerten "
    "ist die Summe der Monatszähler geteilt durch die Summe der Monatsnenner. "
    "„gesperrt (*)“ (Datenschutz), „keine Angabe (.)“ und der Wert 0 werden nie vermischt: Fehlt ein Teilgebiet "
    "oder ist es gesperrt, ist das Aggregat „nicht berechenbar“."
)

for row in catalogue.itertuples():
    # Name, definition, counts and source are the catalogue's text: shown as written, never as Markdown.
    with st.expander(f"**{text(row.name)}** · {text(row.einheit)} · {fmt.POLARITAET_TEXT[row.polaritaet]}",
                     expanded=False):
        st.markdown(text(row.definition))
        left, right = st.columns(2)
        left.markdown(f"**Berechnung:** {text(fmt.formel(row.art, row.einheit, row.zaehler, row.nenner))}")
        left.markdown(f"**Quelle:** {text(row.quelle)}")
        left.markdown(f"**Kennung:** {text(row.id)} · "
                      f"{fmt.anzahl(row.nachkommastellen, 'Nachkommastelle', 'Nachkommastellen')}")
        if row.werte:
            takt = "Monatswerte und Jahresdurchschnitte" if row.monatlich else "Jahreswerte"
            right.markdown(f"**Zeiträume:** {text(row.zeitraum_von)} bis {text(row.zeitraum_bis)} "
                           f"({fmt.anzahl(row.jahre, 'Jahr', 'Jahre')}, {takt})")
            right.markdown(f"**Erhoben für:** {text(kartendaten.ebenen_text(row.ebenen))} · "
                           f"{fmt.anzahl(row.werte, 'Wert', 'Werte')}")
        else:
            right.info("Für diesen Indikator sind noch keine Werte importiert.")

st.subheader("Geheimhaltung: Was nicht gezeigt wird und warum")
st.markdown(geheimhaltung.METHODE)
with st.expander("Methode: die Verfahren der statistischen Ämter dahinter"):
    st.markdown(geheimhaltung.METHODE_FACHLICH)
rules = geheimhaltung.laden()
katalog = seite.query("indikatoren_art")  # with the catalogue's Geheimhaltung switch and links (issue 19)
regeln = geheimhaltung.regel_texte(rules, dict(zip(catalogue["id"], catalogue["name"])), katalog)
st.dataframe({"Indikator": [n for n, _ in regeln], "Regel": [t for _, t in regeln]},
             hide_index=True, width="stretch", column_config={"Regel": st.column_config.TextColumn(width="large")})
st.caption(text(f"Schwellen aus {rules.quelle}; ob ein Indikator geschützt wird, steht im Indikatorenkatalog. Eine "
                "geänderte Regel gilt ab dem nächsten Import; sofort anwenden kann sie, wer die App betreut."))
wer = seite.person()
if wer is not None and wer.darf("rollen_verwalten"):
    with st.expander("Geheimhaltung eines Indikators ändern (Verwaltung)"):
        st.caption("Zählt ein Indikator keine Personen – etwa Personal wie Familienlotsen oder Einrichtungen –, kann "
                   "die Geheimhaltung für ihn entfallen. Die Änderung steht mit Grund im Protokoll, die vorige "
                   "Fassung des Katalogs bleibt erhalten, und alle Werte werden neu geschützt veröffentlicht.")
        namen = dict(zip(catalogue["id"], catalogue["name"]))
        schutz = geheimhaltung.geschuetzt(katalog, rules)
        ident = st.selectbox("Indikator", list(namen), format_func=namen.get, key="geheim_indikator")
        geschuetzt = st.toggle("zählt Personen – Geheimhaltung", value=schutz.get(ident, True),
                               key=f"geheim_schalter_{ident}")
        grund = st.text_input("Grund (Pflicht, steht im Protokoll)", key="geheim_grund")
        if st.button("Speichern", key="geheim_speichern", disabled=not grund.strip()):
            try:
                st.success(text(indikatorpflege.geheimhaltung_setzen(database_path(), wer, ident, geschuetzt,
                                                                     grund)))
            except KeinZugriff as exc:
                seite.kein_zugriff(exc)
            except SozialmonitorFehler as exc:
                st.error(text(str(exc)))

st.subheader("Referenzwerte mit Quelle")
st.caption("Veröffentlichte Werte für Land und Bund, wie importiert. Sie dienen als Vergleichswerte in Karte und Zielen.")
references = seite.query("reference_sources")
names = dict(zip(catalogue["id"], catalogue["name"]))
st.dataframe(
    {
        "Indikator": [names.get(i, i) for i in references["indikator"]],
        "Gebiet": references["gebietsname"],
        "Zeitraum": references["zeitraum"],
        "Wert": [fmt.wert(w, e, n) for w, e, n in
                 zip(references["wert"], references["einheit"], references["nachkommastellen"])],
        "Quelle": references["quelle"],
    },
    hide_index=True,
    width="stretch",
    column_config={"Quelle": st.column_config.TextColumn(width="large")},
)
