// Blättern im Präsentationsmodus: Knöpfe und Tastatur. Die Tasten gelten auf der ganzen Seite (ein Listener je
// Fenster, der immer die neueste Instanz anspricht); in Eingabefeldern getippte Tasten bleiben unberührt.
const KEYS = {
  ArrowRight: "weiter", PageDown: "weiter", " ": "weiter",
  ArrowLeft: "zurueck", PageUp: "zurueck",
  Home: "erste", End: "letzte", Escape: "beenden",
};

function step(name) {
  const current = window.__smBlaettern;
  if (!current) return;
  const { data } = current;
  if ((name === "weiter" || name === "letzte") && data.position >= data.anzahl) return;
  if ((name === "zurueck" || name === "erste") && data.position <= 1) return;
  current.root.dataset.unterwegs = name;
  // A trigger value that equals the last one would still fire; the counter keeps every press distinct.
  current.presses = (current.presses || 0) + 1;
  current.setTriggerValue("schritt", `${name}:${current.presses}`);
}

if (!window.__smBlaetternTasten) {
  window.__smBlaetternTasten = true;
  window.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const name = KEYS[event.key];
    if (!name) return;
    event.preventDefault();
    step(name);
  });
}

function button(parent, text, label, name, disabled) {
  const node = document.createElement("button");
  node.type = "button";
  node.className = "sm-blaettern-knopf";
  node.textContent = text;
  node.title = label;
  node.setAttribute("aria-label", label);
  node.disabled = disabled;
  node.addEventListener("click", () => step(name));
  parent.appendChild(node);
  return node;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".sm-blaettern");
  if (!root) {
    root = document.createElement("nav");
    root.className = "sm-blaettern";
    root.setAttribute("aria-label", "Präsentation blättern");
    parentElement.appendChild(root);
  }
  root.replaceChildren();
  // The accessible name begins with the visible word (WCAG 2.5.3, label in name: a voice command "weiter" works).
  button(root, "‹ zurück", "zurück: Vorige Ansicht (Pfeil links)", "zurueck", data.position <= 1);
  const where = document.createElement("span");
  where.className = "sm-blaettern-stand";
  where.textContent = `${data.position} / ${data.anzahl} · ${data.titel}`;
  root.appendChild(where);
  button(root, "weiter ›", "weiter: Nächste Ansicht (Pfeil rechts)", "weiter", data.position >= data.anzahl);
  button(root, "✕", "Präsentation beenden (Esc)", "beenden", false).classList.add("sm-blaettern-ende");
  root.dataset.folie = data.folie;
  root.dataset.position = String(data.position);
  delete root.dataset.unterwegs;
  window.__smBlaettern = { root, data, setTriggerValue, presses: window.__smBlaettern?.presses || 0 };
  return () => {
    if (window.__smBlaettern && window.__smBlaettern.root === root) window.__smBlaettern = null;
  };
}
