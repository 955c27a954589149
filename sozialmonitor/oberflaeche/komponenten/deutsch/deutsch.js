// Deutsch und barrierefrei, was Streamlit selbst schreibt: Streamlit 1.67 hat keine Übersetzung seiner eigenen
// Bedienelemente. Dieses kleine Stück setzt <html lang="de"> und ersetzt die englischen Namen (aria-label, title,
// Platzhalter) und die wenigen sichtbaren englischen Texte durch deutsche – bei jedem neuen Element wieder
// (MutationObserver), einmal je Fenster.

const NAMEN = {
  "Choose an option": "Bitte wählen",
  "Choose options": "Bitte wählen",
  "Select...": "Bitte wählen …",
  "Open": "Öffnen",
  "Close": "Schließen",
  "Clear all": "Alle entfernen",
  "Clear value": "Auswahl entfernen",
  "Remove": "Entfernen",
  "Sidebar": "Seitenleiste",
  "Collapse sidebar": "Seitenleiste einklappen",
  "Expand sidebar": "Seitenleiste ausklappen",
  "Main menu": "Hauptmenü",
  "Link to heading": "Link zu dieser Überschrift",
  "Skip to main content": "Zum Inhalt springen",
  "Map": "Karte",
  "Zoom in": "Vergrößern",
  "Zoom out": "Verkleinern",
  "Toggle attribution": "Quellenangabe zeigen oder verbergen",
  "Download plot as a PNG": "Diagramm als PNG speichern",
  "Download plot": "Diagramm speichern",
  "Autoscale": "Achsen automatisch",
  "Reset axes": "Achsen zurücksetzen",
  "Zoom": "Ausschnitt vergrößern",
  "Pan": "Verschieben",
  "Fullscreen": "Vollbild",
  "Close fullscreen": "Vollbild schließen",
  "Exit fullscreen": "Vollbild beenden",
  "Show/hide columns": "Spalten zeigen oder verbergen",
  "Download as CSV": "Als CSV herunterladen",
  "Search": "Suchen",
  "file upload": "Datei hochladen",
  "Upload": "Hochladen",
  "Browse files": "Datei auswählen",
  "Copy to clipboard": "In die Zwischenablage kopieren",
  "Show password text": "Passwort zeigen",
  "Hide password text": "Passwort verbergen",
  "Increment": "Erhöhen",
  "Choose date": "Datum wählen",  // Streamlit's own calendar button and names (react-aria's follow the locale)
  "Choose date range": "Zeitraum wählen",
  "Previous month": "Voriger Monat",
  "Next month": "Nächster Monat",
  "Previous year": "Voriges Jahr",
  "Next year": "Nächstes Jahr",
  "Clear date": "Datum entfernen",
  "Clear dates": "Zeitraum entfernen",
  "Quick select a date range": "Zeitraum schnell wählen",
  "Decrement": "Verringern",
};
const HILFE = /^Help for (.*)$/;
// the date field's parts (Streamlit fixes its locale to en-US): "day, Stand der Ziele am", "12 – December"
const TEILE = { day: "Tag", month: "Monat", year: "Jahr" };
const TEIL = /^(day|month|year), (.*)$/;
const MONATE = { January: "Januar", February: "Februar", March: "März", April: "April", May: "Mai", June: "Juni",
                 July: "Juli", August: "August", September: "September", October: "Oktober",
                 November: "November", December: "Dezember" };
const MONAT = /^(\d+) – (January|February|March|April|May|June|July|August|September|October|November|December)$/;
const ATTRIBUTE = ["aria-label", "title", "placeholder", "aria-placeholder", "aria-valuetext"];
// Visible English text in Streamlit's own elements (uploader, multiselect, menus).
const TEXTE = {
  "Skip to main content": "Zum Inhalt springen",
  "Upload": "Hochladen",
  "Browse files": "Datei auswählen",
  "Drag and drop file here": "Datei hierher ziehen",
  "Drag and drop files here": "Dateien hierher ziehen",
  "Choose options": "Bitte wählen",
  "Choose an option": "Bitte wählen",
  "No results": "Keine Treffer",
  "Print": "Drucken",
  "Record screen": "Bildschirm aufnehmen",
  "Clear cache": "Zwischenspeicher leeren",
  "Rerun": "Neu ausführen",
  "Settings": "Einstellungen",
  "About": "Über",
  "Date range": "Zeitraum",  // the quick choice of a date range
  "Past Week": "Letzte Woche",
  "Past Month": "Letzter Monat",
  "Past 3 Months": "Letzte 3 Monate",
  "Past 6 Months": "Letzte 6 Monate",
  "Past Year": "Letztes Jahr",
  "Past 2 Years": "Letzte 2 Jahre",
  "Use arrow keys to navigate dates. Enter to select. Escape to close.":
    "Mit den Pfeiltasten ein Datum wählen, mit der Eingabetaste übernehmen, mit Esc schließen.",
};

function deutsch(text) {
  if (text in NAMEN) return NAMEN[text];
  const hilfe = HILFE.exec(text);
  if (hilfe) return `Hilfe zu ${hilfe[1]}`;
  const wahl = /^Choose date( range)?, (.*)$/.exec(text);
  if (wahl) return `${wahl[1] ? "Zeitraum" : "Datum"} wählen, ${wahl[2]}`;
  const teil = TEIL.exec(text);
  if (teil) return `${TEILE[teil[1]]}, ${teil[2]}`;
  const monat = MONAT.exec(text);
  if (monat) return `${monat[1]} – ${MONATE[monat[2]]}`;
  return null;
}

function textKnoten(node) {
  const wert = node.nodeValue;
  const kurz = wert.trim();
  if (!kurz) return;
  let neu = null;
  if (kurz in TEXTE) neu = TEXTE[kurz];
  else if (/^Choose date( range)?, /.test(kurz)) neu = deutsch(kurz);  // the calendar's hidden heading
  else if (/^(Limit )?\d+\s?[KMG]B per file/.test(kurz)) neu = kurz.replace(/^(?:Limit )?(\d+)\s?([KMG]B) per file/, "höchstens $1 $2 je Datei");
  else if (/^File must be [\d.]+\s?[KMG]B or smaller\.?$/.test(kurz))  // the uploader's refusal (issue 23)
    neu = kurz.replace(/^File must be ([\d.]+)\s?([KMG]B) or smaller\.?$/,
      (_, zahl, einheit) => `Die Datei ist zu groß: höchstens ${zahl.replace(/\.0$/, "").replace(".", ",")} ${einheit} je Datei.`);
  else if (/^\d+(\.\d+)?[KMG]B$/.test(kurz)) neu = kurz.replace(".", ",").replace(/([KMG]B)$/, " $1");
  if (neu !== null && neu !== kurz) node.nodeValue = wert.replace(kurz, neu);
}

function uebersetzen(wurzel) {
  if (!(wurzel instanceof Element)) {
    if (wurzel && wurzel.nodeType === Node.TEXT_NODE) textKnoten(wurzel);
    return;
  }
  const elemente = [wurzel, ...wurzel.querySelectorAll("[aria-label], [title], [placeholder], [aria-placeholder], [aria-valuetext]")];
  for (const element of elemente) {
    for (const name of ATTRIBUTE) {
      const wert = element.getAttribute && element.getAttribute(name);
      if (wert) {
        const neu = deutsch(wert);
        if (neu !== null) element.setAttribute(name, neu);
      }
    }
  }
  const gang = document.createTreeWalker(wurzel, NodeFilter.SHOW_TEXT);
  for (let node = gang.nextNode(); node; node = gang.nextNode()) {
    const eltern = node.parentElement;
    // the app's own texts (Markdown, st.text, tooltips) stay as they are; Streamlit's button labels are Markdown too
    if (eltern && !eltern.closest("button") &&
        eltern.closest("[data-testid='stMarkdownContainer'], [data-testid='stText'], .sm-karte-tooltip")) continue;
    textKnoten(node);
  }
}

// Date calendars (st.date_input) take their language from Streamlit's locale, which Streamlit reads from
// navigator.language on every render of the app: month and weekday names, "Previous month" and a week starting on
// Sunday in an English browser. Streamlit has no setting for it; the page is German, so navigator.language says
// de-DE (from the next render on – before a calendar opens). The date field itself is fixed to en-US by Streamlit:
// its accessible names ("day, …", "12 – December") are translated below like every other English name.
// Returns whether it changed the language: then Streamlit has to render once more to pass it on (a page whose run
// ended before this component mounted would keep the browser's language until its next run).
function datumDeutsch() {
  if (navigator.language === "de-DE") return false;
  try {
    Object.defineProperty(navigator, "language", { get: () => "de-DE", configurable: true });
    return navigator.language === "de-DE";
  } catch (fehler) {  // a browser that forbids it keeps its own language
    return false;
  }
}

function beobachten() {
  document.documentElement.lang = "de";
  uebersetzen(document.body);
  const beobachter = new MutationObserver((aenderungen) => {
    if (document.documentElement.lang !== "de") document.documentElement.lang = "de";
    for (const aenderung of aenderungen) {
      if (aenderung.type === "attributes") {
        const wert = aenderung.target.getAttribute(aenderung.attributeName);
        const neu = wert && deutsch(wert);
        if (neu) aenderung.target.setAttribute(aenderung.attributeName, neu);
      } else if (aenderung.type === "characterData") {
        textKnoten(aenderung.target);
      } else {
        aenderung.addedNodes.forEach(uebersetzen);
      }
    }
  });
  beobachter.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true,
                                      attributeFilter: ATTRIBUTE });
  new MutationObserver(() => {
    if (document.documentElement.lang !== "de") document.documentElement.lang = "de";
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
}

export default function (component) {
  if (!window.__smDeutsch) {
    window.__smDeutsch = true;
    beobachten();
    // in a browser of another language: one more run of the page, once per window, so the calendars are German
    if (datumDeutsch()) component.setTriggerValue("sprache", "de-DE");
  }
  component.parentElement.dataset.smDeutsch = "1";
}
