// Die Karte der Kartenseite: MapLibre GL JS (static/vendor/maplibre-gl/, ohne CDN). Die Grenzen lädt der Browser
// einmal als statische Datei; ein Rerun schickt nur Klassen und die Teile der Tooltips (gepackt von
// sozialmonitor/karten/uebertragung.py: eine Arrow-Tabelle je Gebiet, jeder Text einmal), und die Karte färbt ihre
// Flächen an Ort und Stelle um (feature-state), ohne neu aufgebaut zu werden. Nach dem Zeichnen setzt sie data-bereit="1" und
// zählt data-zeichnungen hoch (für den Browsertest und den Benchmark).

const NO_VALUE_COLOUR = "#d9d9d9";
const EMPTY_COLLECTION = { type: "FeatureCollection", features: [] };
const BLANK_STYLE = {
  version: 8,
  transition: { duration: 0, delay: 0 }, // a new indicator shows at once, no 300 ms colour fade
  sources: {},
  layers: [{ id: "hintergrund", type: "background", paint: { "background-color": "#ffffff" } }],
};
// MapLibre's own names for the map and its buttons, in German (screen readers read them).
const LOCALE = {
  "Map.Title": "Karte",
  "NavigationControl.ZoomIn": "Vergrößern",
  "NavigationControl.ZoomOut": "Verkleinern",
  "NavigationControl.ResetBearing": "Nach Norden ausrichten",
  "AttributionControl.ToggleAttribution": "Quellenangabe zeigen oder verbergen",
  "AttributionControl.MapFeedback": "Rückmeldung zur Karte",
  "ScrollZoomBlocker.CtrlMessage": "Mit Strg und Scrollen zoomen",
  "ScrollZoomBlocker.CmdMessage": "Mit ⌘ und Scrollen zoomen",
  "TouchPanBlocker.Message": "Mit zwei Fingern verschieben",
};
const geometryCache = new Map(); // URL → Promise of the prepared GeoJSON (shared by every map on the page)
let maplibreLoading = null;

function loadMaplibre(urls) {
  if (window.maplibregl) return Promise.resolve(window.maplibregl);
  if (!maplibreLoading) {
    maplibreLoading = new Promise((resolve, reject) => {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = urls.css;
      document.head.appendChild(link);
      const script = document.createElement("script");
      script.src = urls.js;
      script.onload = () => resolve(window.maplibregl);
      script.onerror = () => reject(new Error(`MapLibre ließ sich nicht laden (${urls.js}).`));
      document.head.appendChild(script);
    });
  }
  return maplibreLoading;
}

// Features get their position in the file as numeric id (needed by feature-state); the class list from Python is
// aligned with that order. The area code stays in properties.code for the click.
function loadGeometry(url) {
  if (!geometryCache.has(url)) {
    geometryCache.set(url, fetch(url).then((response) => {
      if (!response.ok) throw new Error(`Die Grenzen ließen sich nicht laden (${url}: ${response.status}).`);
      return response.json();
    }).then((collection) => {
      collection.features.forEach((feature, index) => {
        feature.properties = { ...feature.properties, code: feature.id };
        feature.id = index;
      });
      return collection;
    }));
  }
  return geometryCache.get(url);
}

// An integer in units of its last decimal in German digits: (12345, 1) → "1.234,5", (1503, 0) → "1.503". Mirrors
// sozialmonitor.karten.uebertragung.zahl_text (integer arithmetic, no rounding: packen checked the line comes back).
function zahlText(value, decimals) {
  const scale = 10 ** decimals;
  const whole = Math.floor(value / scale);
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return decimals ? `${grouped},${String(value % scale).padStart(decimals, "0")}` : grouped;
}

// The packed data (sozialmonitor/karten/uebertragung.py) read once per update: typed columns per area, the flat
// numbers, each template split at its gaps (\u0000 + decimals), and where each area's numbers start.
function unpack(data) {
  const table = data.gebiete;
  const column = (name) => table.getChild(name).toArray();
  const d = [];
  for (let i = 0; table.getChild(`d${i}`); i += 1) d.push(column(`d${i}`));
  const texte = data.tooltip.texte.map((text) => text.split("\u0000"));
  const form = column("form");
  const start = new Uint32Array(form.length);
  let position = 0;
  for (let index = 0; index < form.length; index += 1) {
    start[index] = position;
    let next = 0;
    for (const kind of data.tooltip.formen[form[index]]) {
      if (kind === "D") { position += texte[d[next][index]].length - 1; next += 1; }
    }
  }
  return { klasse: column("klasse"), form, d, start, zahlen: data.zahlen.getChild("z").toArray(),
           formen: data.tooltip.formen, texte };
}

// The tooltip of area `index`, the same string Python built (uebertragung.entpacken is the same rule in Python):
// N = the name line (label points file, property titel), D = the next text, its gaps filled with the area's numbers.
function tooltipText(packed, index, titel) {
  const lines = [];
  let next = 0;
  let position = packed.start[index];
  for (const kind of packed.formen[packed.form[index]]) {
    if (kind === "N") { lines.push(`<b>${titel}</b>`); continue; }
    const parts = packed.texte[packed.d[next][index]];
    let line = parts[0];
    for (const part of parts.slice(1)) {
      line += zahlText(packed.zahlen[position], Number(part[0])) + part.slice(1);
      position += 1;
    }
    lines.push(line);
    next += 1;
  }
  return lines.join("<br>");
}

// Tooltip and legend texts are built in Python (karten/kartendaten.py) with a few tags; everything else is shown as text.
function safeHtml(text) {
  // The app's tooltips and legend titles use a few tags (<b>, <br>, a grey <span>) around text that the server
  // has already HTML-escaped (user text arrives as &lt;…&gt;, as plotly takes it). Only those tags become
  // markup; everything else is shown as text, and an entity stays the character it stands for.
  const allowed = /(<\/?b>|<br\s*\/?>|<span style='color:#555'>|<\/span>)/;
  return String(text).split(allowed).map((part, index) => {
    if (index % 2 === 1) {
      if (part.startsWith("<br")) return "<br>";
      if (part.startsWith("<span")) return "<span class=\"sm-grau\">";
      return part;
    }
    return part.replace(/&(?!(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);)/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }).join("");
}

// The characters escaped text stands for (for the picture and data attributes, which are plain text).
function decodeEntities(text) {
  const area = document.createElement("textarea");
  area.innerHTML = text;
  return area.value;
}


// The size of an area in degrees² (shoelace over its outer rings): enough to rank the areas of one map by size.
function flaeche(geometry) {
  if (!geometry) return 0;
  const polygone = geometry.type === "Polygon" ? [geometry.coordinates]
    : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  let summe = 0;
  for (const polygon of polygone) {
    const ring = polygon[0] || [];
    let doppelt = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      doppelt += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
    }
    summe += Math.abs(doppelt) / 2;
  }
  return summe;
}

function element(tag, className, parent) {
  const node = document.createElement(tag);
  node.className = className;
  if (parent) parent.appendChild(node);
  return node;
}

// A map button (MapLibre control) that saves the map as a picture.
class ImageButton {
  constructor(onClick) {
    this.onClick = onClick;
  }

  onAdd() {
    this.container = element("div", "maplibregl-ctrl maplibregl-ctrl-group");
    const button = element("button", "sm-bild-knopf", this.container);
    button.type = "button";
    button.textContent = "PNG";
    button.title = "Karte als Bild (PNG) speichern – mit Titel, Legende und Quellenangabe";
    button.setAttribute("aria-label", "PNG: Karte als Bild speichern"); // the visible text is part of the name
    button.addEventListener("click", this.onClick);
    return this.container;
  }

  onRemove() {
    this.container.remove();
  }
}

class Karte {
  constructor(parent) {
    this.root = element("div", "sm-karte", parent);
    this.root.karte = this; // for the browser test: root.karte.map.queryRenderedFeatures(...)
    this.root.dataset.bereit = "0";
    this.root.dataset.zeichnungen = "0";
    // The keyboard's way to the values (BITV/WCAG 2.1.1): the first stop of the map opens a real table of every
    // area with its value and tooltip text, Gebiet and Wert first (built when opened: 11.000 areas cost nothing
    // until then).
    this.tabelle = element("details", "sm-karte-tabelle", this.root);
    const zusammenfassung = element("summary", "", this.tabelle);
    zusammenfassung.textContent = "Werte der Karte als Tabelle";
    this.tabelle.addEventListener("toggle", () => this.renderTable());
    this.mapElement = element("div", "sm-karte-flaeche", this.root);
    this.legend = element("div", "sm-karte-legende", this.root);
    this.tooltip = element("div", "sm-karte-tooltip", this.mapElement);
    this.labels = element("div", "sm-karte-namen", this.mapElement);
    this.data = null;
    this.packed = null;
    this.hovered = null; // the area under the mouse: its tooltip follows a change made by keyboard
    this.geometryUrl = null;
    this.latest = null;
    this.running = null;
  }

  update(data, setTriggerValue) {
    this.setTriggerValue = setTriggerValue;
    this.latest = data;
    this.root.dataset.bereit = "0";
    if (!this.running) {
      this.running = this.drain().catch((error) => this.fail(error)).finally(() => { this.running = null; });
    }
  }

  // Only the newest data matters: updates that arrive while one is applied are merged into the next.
  async drain() {
    while (this.latest) {
      const data = this.latest;
      this.latest = null;
      await this.apply(data);
    }
  }

  async apply(data) {
    this.mapElement.style.height = `${data.hoehe}px`;
    if (!this.map) await this.createMap(data);
    const relabel = !this.data || data.namen !== this.data.namen || data.geometrie.url !== this.geometryUrl;
    if (data.geometrie.url !== this.geometryUrl) await this.setGeometry(data.geometrie);
    this.setBasemap(data.hintergrund);
    this.packed = unpack(data);
    this.setClasses(data, this.packed.klasse);
    this.data = data;
    if (this.hovered !== null && this.hovered !== undefined) this.renderTooltip(); // new year/indicator by keyboard
    if (this.tabelle.open) this.renderTable();
    this.renderLegend(data.legende);
    if (relabel) this.placeLabels();
    this.root.dataset.titel = decodeEntities(data.legende.titel.replace(/<br>/g, " ").replace(/<[^>]*>/g, ""));
    this.root.dataset.bild = decodeEntities(data.bild.titel); // which map this is (tests, benchmark)
    // Drawn at once, in this task: the page's other elements (time series, table) render right after and would
    // otherwise hold the map's next animation frame back.
    await new Promise((resolve) => {
      this.map.once("idle", resolve);
      this.map.redraw();
    });
    if (!this.latest) {
      this.root.dataset.gezeichnetUm = String(performance.now()); // page clock, for the benchmark
      this.root.dataset.bereit = "1";
      this.root.dataset.zeichnungen = String(Number(this.root.dataset.zeichnungen) + 1);
    }
  }

  async createMap(data) {
    const maplibregl = await loadMaplibre(data.maplibre);
    this.map = new maplibregl.Map({
      container: this.mapElement,
      style: BLANK_STYLE,
      bounds: data.geometrie.bounds,
      fitBoundsOptions: { padding: 12 },
      attributionControl: false,
      locale: LOCALE,
      dragRotate: false,
      pitchWithRotate: false,
      fadeDuration: 0,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-left");
    this.map.addControl(new ImageButton(() => this.saveImage()), "top-right");
    this.attribution = new maplibregl.AttributionControl({ compact: true, customAttribution: data.attribution });
    this.map.addControl(this.attribution, "bottom-right");
    this.map.on("move", () => this.moveLabels());
    this.map.on("moveend", () => this.placeLabels());
    this.map.on("mousemove", "flaechen", (event) => this.showTooltip(event));
    this.map.on("mouseleave", "flaechen", () => {
      this.hovered = null;
      this.tooltip.style.display = "none";
      this.map.getCanvas().style.cursor = "";
    });
    this.map.on("click", "flaechen", (event) => {
      const feature = event.features && event.features[0];
      if (feature) this.setTriggerValue("gebiet", feature.properties.code);
    });
    await new Promise((resolve) => this.map.once("load", resolve));
    this.map.resize();
    // On a narrow map the compact attribution starts open and covers the areas; the ⓘ opens it, the caption below
    // the map carries the text anyway.
    this.mapElement.querySelector(".maplibregl-ctrl-attrib")?.classList.remove("maplibregl-compact-show");
  }

  async setGeometry(geometrie) {
    const [areas, points] = await Promise.all([loadGeometry(geometrie.url), loadGeometry(geometrie.punkte_url)]);
    for (const layer of ["flaechen", "auswahl", "unsicher"]) {
      if (this.map.getLayer(layer)) this.map.removeLayer(layer);
    }
    for (const source of ["gebiete", "auswahl", "punkte"]) {
      if (this.map.getSource(source)) this.map.removeSource(source);
    }
    // Simplification of the tiles (MapLibre's default is 0.375): 0.2 keeps the small areas of a Kreis exact; with
    // thousands of areas 0.5 – the software renderer of a PC without graphics card drew the 11.299 Gemeinden of
    // Germany in 0,25–0,45 s per change at 0.2 and in ~0,1 s at 0.5; what it leaves out at the whole-country zoom are
    // Gemeinden smaller than a pixel (348 of 11.299), drawn again as soon as one zooms in (issue 22).
    this.map.addSource("gebiete", { type: "geojson", data: areas,
                                    tolerance: areas.features.length > 2000 ? 0.5 : 0.2 });
    this.map.addSource("punkte", { type: "geojson", data: points });
    // The colour is feature-state too: a new data-driven paint expression would make the worker lay out every
    // tile again, a feature-state change only rewrites the colours of the areas that changed. The boundaries are
    // the fill's own outline (one pixel): a line layer over all areas cost the software renderer of a PC without
    // graphics card a third of each change at 11.299 Gemeinden (issue 22).
    this.map.addLayer({ id: "flaechen", type: "fill", source: "gebiete",
                        paint: { "fill-color": ["coalesce", ["feature-state", "farbe"], NO_VALUE_COLOUR],
                                 "fill-outline-color": "#ffffff" } });
    // The selected area is a small source of its own, rewritten when another is chosen: as an invisible outline of
    // every area (feature-state) it was shaded in each frame, and a filter would make the worker cut all tiles anew.
    this.map.addSource("auswahl", { type: "geojson", data: EMPTY_COLLECTION });
    this.map.addLayer({ id: "auswahl", type: "line", source: "auswahl",
                        paint: { "line-color": "#111111", "line-width": 2.5 } });
    // The mark of an uncertain class: large enough to be seen, with a white ring on dark fills (placeLabels moves
    // it below the area's name). Feature-state, changing with every indicator; off, radius and ring are 0 (not an
    // opacity of 0: the invisible circles of every area were shaded in each frame too).
    const uncertain = ["case", ["boolean", ["feature-state", "unsicher"], false]];
    this.map.addLayer({ id: "unsicher", type: "circle", source: "punkte",
                        paint: { "circle-radius": [...uncertain, 5.5, 0], "circle-color": "#111111",
                                 "circle-opacity": 0.9, "circle-stroke-color": "#ffffff",
                                 "circle-stroke-width": [...uncertain, 1.5, 0] } });
    this.areas = areas.features;
    this.points = points.features;
    // names of large areas first: in file order, small Gemeinden took the room and Artern, Greußen, Ebeleben and
    // Roßleben-Wiehe stayed unnamed (issue 20, BEFUNDE #21)
    const groesse = areas.features.map((feature) => flaeche(feature.geometry));
    this.order = groesse.map((_, index) => index).sort((a, b) => groesse[b] - groesse[a]);
    this.state = { farbe: [], unsicher: [], auswahl: null };
    this.geometryUrl = geometrie.url;
    this.map.fitBounds(geometrie.bounds, { padding: 12, animate: false });
  }

  setBasemap(hintergrund) {
    const current = this.map.getSource("grundkarte");
    if (current && current.tiles && hintergrund && current.tiles[0] === hintergrund.kacheln[0]) return;
    if (this.map.getLayer("grundkarte")) this.map.removeLayer("grundkarte");
    if (current) this.map.removeSource("grundkarte");
    if (hintergrund) {
      this.map.addSource("grundkarte", { type: "raster", tiles: hintergrund.kacheln, tileSize: 256,
                                         attribution: hintergrund.attribution });
      this.map.addLayer({ id: "grundkarte", type: "raster", source: "grundkarte" }, "flaechen");
    }
    this.map.setPaintProperty("flaechen", "fill-opacity", hintergrund ? 0.7 : 1);
  }

  // Colour and uncertainty per area as feature-state, written only where they changed; the selected area as the
  // one feature of its own source.
  setClasses(data, klassen) {
    const colours = Array.from(klassen, (klasse) => (klasse >= 0 ? data.farben[klasse] : NO_VALUE_COLOUR));
    colours.forEach((farbe, index) => {
      if (this.state.farbe[index] !== farbe) this.map.setFeatureState({ source: "gebiete", id: index }, { farbe });
    });
    const uncertain = new Set(data.unsicher);
    for (const index of new Set([...this.state.unsicher, ...data.unsicher])) {
      this.map.setFeatureState({ source: "punkte", id: index }, { unsicher: uncertain.has(index) });
    }
    if (this.state.auswahl !== data.auswahl) {
      const area = data.auswahl === null || data.auswahl === undefined ? undefined : this.areas[data.auswahl];
      this.map.getSource("auswahl").setData({ type: "FeatureCollection", features: area ? [area] : [] });
    }
    this.state = { farbe: colours, unsicher: data.unsicher, auswahl: data.auswahl };
  }

  renderLegend(legende) {
    this.legend.replaceChildren();
    element("div", "sm-titel", this.legend).innerHTML = safeHtml(legende.titel);
    for (const [farbe, text] of legende.eintraege) {
      const row = element("div", "sm-eintrag", this.legend);
      element("span", "sm-feld", row).style.background = farbe;
      element("span", "", row).textContent = text;
    }
    if (legende.ohne_wert) {
      const row = element("div", "sm-eintrag", this.legend);
      element("span", "sm-feld", row).style.background = NO_VALUE_COLOUR;
      element("span", "", row).textContent = legende.ohne_wert;
    }
    if (legende.unsicher) {
      const row = element("div", "sm-eintrag", this.legend);
      element("span", "sm-punkt", row);
      element("span", "", row).textContent = legende.unsicher;
    }
  }

  // The tooltip text of area `index` as it is now (the tests read every area's through this).
  tooltipFor(index) {
    const titel = this.points && this.points[index] ? this.points[index].properties.titel : "";
    return tooltipText(this.packed, index, titel);
  }

  renderTooltip() {
    this.tooltip.innerHTML = safeHtml(this.tooltipFor(this.hovered));
  }

  showTooltip(event) {
    const feature = event.features && event.features[0];
    if (!feature || !this.data) return;
    this.map.getCanvas().style.cursor = "pointer";
    this.hovered = feature.id;
    this.renderTooltip();
    this.tooltip.style.display = "block";
    // beside the pointer, turned to the left / upwards where it would run out of the map (the Kreis, Land and Bund
    // lines at the foot of a tooltip were cut off for areas in the lower part of the map)
    const width = this.mapElement.clientWidth;
    const height = this.mapElement.clientHeight;
    const left = event.point.x + 14 + this.tooltip.offsetWidth > width ? event.point.x - 14 - this.tooltip.offsetWidth
                                                                       : event.point.x + 14;
    const top = event.point.y - 10 + this.tooltip.offsetHeight > height ? event.point.y + 10 - this.tooltip.offsetHeight
                                                                        : event.point.y - 10;
    this.tooltip.style.left = `${Math.max(0, left)}px`;
    this.tooltip.style.top = `${Math.max(0, top)}px`;
  }

  renderTable() {
    const alt = this.tabelle.querySelector("table");
    if (alt) alt.remove();
    if (!this.tabelle.open || !this.data) return;
    const plain = (html) => decodeEntities(html.replace(/<[^>]*>/g, ""));
    const table = element("table", "", this.tabelle);
    element("caption", "", table).textContent = plain(this.data.legende.titel.replace(/<br>/g, " "));
    const kopf = element("tr", "", element("thead", "", table));
    for (const spalte of ["Gebiet", "Wert", "Angaben"]) {
      const th = element("th", "", kopf);
      th.scope = "col";
      th.textContent = spalte;
    }
    const rumpf = element("tbody", "", table);
    const anzahl = this.packed ? this.packed.klasse.length : 0;
    for (let index = 0; index < anzahl; index += 1) {
      const zeilen = this.tooltipFor(index).split(/<br\s*\/?>/).map(plain).filter(Boolean);
      const row = element("tr", "", rumpf);
      const kopfzelle = element("th", "", row);
      kopfzelle.scope = "row";
      kopfzelle.textContent = zeilen[0] || "";
      element("td", "", row).textContent = (zeilen[1] || "–").replace(/^Wert: /, "");
      element("td", "", row).textContent = zeilen.slice(2).join(" · ");
    }
  }

  // Names as HTML labels (no glyph server offline): on each rest the labels that fit without overlapping are placed,
  // in file order; while the map moves they only follow their points.
  placeLabels() {
    this.labels.replaceChildren();
    this.placed = [];
    if (!this.data || !this.data.namen || !this.points) {
      if (this.map.getLayer("unsicher")) this.map.setPaintProperty("unsicher", "circle-translate", [0, 0]);
      return;
    }
    const width = this.mapElement.clientWidth;
    const height = this.mapElement.clientHeight;
    const boxes = [];
    // widths as .sm-name draws them (12px in the map's font, larger in presentation mode), for placing names
    // without overlap
    const probe = element("div", "sm-name", this.labels);
    const style = getComputedStyle(probe);
    const size = parseFloat(style.fontSize) || 12;
    const measure = document.createElement("canvas").getContext("2d");
    measure.font = `${style.fontWeight} ${size}px ${style.fontFamily}`;
    probe.remove();
    // the uncertainty dot sits below the name, not on it ("Sonder●hausen", issue 20, BEFUNDE #21)
    this.map.setPaintProperty("unsicher", "circle-translate", [0, Math.round(size * 0.7 + 6)]);
    // the large areas before the small; a locator map (auswahl_zuerst) names its own area first
    const gewaehlt = this.data.auswahl_zuerst ? this.data.auswahl : null;
    const reihenfolge = [...(this.order || this.points.keys())];
    if (gewaehlt !== null && gewaehlt !== undefined && gewaehlt < this.points.length)
      reihenfolge.splice(reihenfolge.indexOf(gewaehlt), 1), reihenfolge.unshift(gewaehlt);
    for (const index of reihenfolge) {
      const point = this.points[index];
      const name = point.properties.name;
      const at = this.map.project(point.geometry.coordinates);
      const half = measure.measureText(name).width / 2 + 4;
      // a name at the edge moves inside the map rather than being left out (Roßleben-Wiehe at the Kreis' east end)
      const dx = Math.max(0, half - at.x) - Math.max(0, at.x + half - width);
      const box = { x0: at.x + dx - half, x1: at.x + dx + half, y0: at.y - size * 0.7, y1: at.y + size * 0.7 };
      if (box.x0 < 0 || box.y0 < 0 || box.x1 > width || box.y1 > height) continue;
      if (boxes.some((b) => box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1)) continue;
      boxes.push(box);
      const label = element("div", "sm-name", this.labels);
      label.textContent = name;
      this.placed.push([label, point.geometry.coordinates, dx]);
      if (this.placed.length >= 400) break;
    }
    this.moveLabels();
  }

  moveLabels() {
    for (const [label, coordinates, dx] of this.placed || []) {
      const at = this.map.project(coordinates);
      label.style.transform = `translate(${at.x + (dx || 0)}px, ${at.y}px) translate(-50%, -50%)`;
    }
  }

  // The map as a PNG for slides and reports: what the page shows (areas, names, uncertainty dots) with its title,
  // legend, the geodata attribution the licence asks for and, for demo data, the notice that the values are invented.
  saveImage() {
    const bild = this.data.bild;
    this.map.redraw(); // WebGL keeps the picture only until the next frame: read it in the same task
    const source = this.map.getCanvas();
    const width = source.clientWidth;
    const ratio = source.width / width;
    const pad = 14;
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d");
    const font = getComputedStyle(this.root).fontFamily;
    const plain = (html) => decodeEntities(html.replace(/<br>/g, " ").replace(/<[^>]*>/g, ""));
    const lines = (text, size, maxWidth) => {
      context.font = `${size}px ${font}`;
      const result = [];
      let line = "";
      for (const word of text.split(" ")) {
        const candidate = line ? `${line} ${word}` : word;
        if (line && context.measureText(candidate).width > maxWidth) {
          result.push(line);
          line = word;
        } else {
          line = candidate;
        }
      }
      return line ? [...result, line] : result;
    };
    const titleLines = lines(bild.titel, 17, width);
    const legendTitle = plain(this.data.legende.titel);
    const entries = [...this.data.legende.eintraege];
    if (this.data.legende.ohne_wert) entries.push([NO_VALUE_COLOUR, this.data.legende.ohne_wert]);
    if (this.data.legende.unsicher) entries.push([null, this.data.legende.unsicher]);
    const notes = [this.data.attribution, bild.hinweis].filter(Boolean).flatMap((note) => lines(note, 11, width));
    const legendTop = pad + titleLines.length * 22 + 6 + source.clientHeight + 10;
    canvas.width = Math.round((width + 2 * pad) * ratio);
    canvas.height = Math.round((legendTop + 20 + entries.length * 18 + 8 + notes.length * 14 + pad) * ratio);
    context.scale(ratio, ratio);
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = "#111111";
    context.textBaseline = "top";
    context.font = `bold 17px ${font}`;
    titleLines.forEach((line, i) => context.fillText(line, pad, pad + i * 22));
    const mapTop = pad + titleLines.length * 22 + 6;
    context.drawImage(source, pad, mapTop, width, source.clientHeight);
    context.font = `12px ${font}`;
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.lineWidth = 3;
    context.strokeStyle = "#ffffff";
    for (const [label, coordinates, dx] of this.placed || []) {
      const at = this.map.project(coordinates);
      context.strokeText(label.textContent, pad + at.x + (dx || 0), mapTop + at.y);
      context.fillText(label.textContent, pad + at.x + (dx || 0), mapTop + at.y);
    }
    context.textAlign = "left";
    context.textBaseline = "top";
    context.font = `bold 13px ${font}`;
    context.fillText(legendTitle, pad, legendTop);
    context.font = `12px ${font}`;
    entries.forEach(([farbe, text], i) => {
      const y = legendTop + 20 + i * 18;
      if (farbe) {
        context.fillStyle = farbe;
        context.fillRect(pad, y, 14, 14);
        context.strokeStyle = "#bbbbbb";
        context.lineWidth = 1;
        context.strokeRect(pad, y, 14, 14);
      } else {
        context.fillStyle = "#252525";
        context.beginPath();
        context.arc(pad + 7, y + 7, 4, 0, 2 * Math.PI);
        context.fill();
      }
      context.fillStyle = "#111111";
      context.fillText(text, pad + 22, y + 1);
    });
    context.font = `11px ${font}`;
    context.fillStyle = "#444444";
    const notesTop = legendTop + 20 + entries.length * 18 + 8;
    notes.forEach((line, i) => context.fillText(line, pad, notesTop + i * 14));
    canvas.toBlob((blob) => {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = bild.datei;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    }, "image/png");
  }

  fail(error) {
    this.root.dataset.fehler = String(error.message || error);
    element("div", "sm-fehler", this.root).textContent = `Die Karte lässt sich nicht zeichnen: ${error.message || error}`;
  }

  destroy() {
    if (this.map) this.map.remove();
    this.root.remove();
  }
}

const instances = new WeakMap(); // component root → Karte, so a rerun updates the map it already drew

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let karte = instances.get(parentElement);
  if (!karte) {
    karte = new Karte(parentElement);
    karte.calls = 0;
    instances.set(parentElement, karte);
  }
  const call = ++karte.calls;
  karte.update(data, setTriggerValue);
  // Streamlit keeps only the last cleanup and may run an older one right away when data arrived in quick
  // succession: only the newest call's cleanup removes the map.
  return () => {
    if (karte.calls !== call) return;
    karte.destroy();
    instances.delete(parentElement);
  };
}
