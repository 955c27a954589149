"""The hostile corpus (issue 11, item 2): texts a careless or hostile person could put into an indicator catalogue,
an area file, a target file or a file name. `build_hostile(path)` builds the demo database and then imports, through
importer.run like the Daten page, a catalogue, a Sozialraum assignment and the targets whose names, titles,
definitions and sources are these texts, the assignment under a hostile file name. Every page and every export is
then run over it (tests/test_klartext.py, tests/e2e/test_feindlich.py).

203.0.113.0/24 is TEST-NET-3 (RFC 5737) and .invalid is reserved (RFC 2606): nothing is ever fetched from there, and
the browser test fails if anything tries."""

import csv
import io
import json
import re
from pathlib import Path

from sozialmonitor import importer
from sozialmonitor.importer import demo
from sozialmonitor.zugang import rollen
from sozialmonitor.daten.config import DATA_DIR

BILD_URL = "http://203.0.113.7/spur.png"
LINK_URL = "http://example.invalid/klick"

HOSTILE = {
    "html": '<img src="http://203.0.113.7/html.png" onerror="alert(1)"><b>fett</b>',
    "script": '<script>window.gehackt = 1</script>Skript',
    "markdown_bild": f"![Spur]({BILD_URL}) Bild",
    "markdown_link": f"[Hier klicken]({LINK_URL}) **fett** _kursiv_ # Titel",
    "formel": '=HYPERLINK("http://example.invalid/f","Klick")',
    "formel_plus": "+SUM(1;2)",
    "formel_minus": "-2+3+cmd|' /C calc'!A0",
    "formel_at": "@SUMME(A1:A9)",
    "rtl": "Nord\u202egnirts\u202c Süd",
    "steuerzeichen": "Glocke\x07 Escape\x1b[31m rot",
    "platzhalter": "%{y} %{customdata} %{hovertext} %s {0}",
    "streamlit": ":red[rot] :material/home: $x^2$ :smile:",
}
LANG = ("Sozialraum " + "Überlang " * 1333).strip()  # 12,007 characters


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's for these characters)."""
    return json.dumps(text, ensure_ascii=False)


def hostile_catalogue() -> bytes:
    text = (DATA_DIR / "indikatoren.toml").read_text(encoding="utf-8")
    replacements = {
        "sgb2_u10": {"name": HOSTILE["markdown_bild"] + " " + HOSTILE["html"], "definition":
                     HOSTILE["markdown_link"] + "\n" + HOSTILE["script"], "quelle": HOSTILE["formel"]},
        "alq_u25": {"name": HOSTILE["platzhalter"] + " " + HOSTILE["rtl"], "quelle": HOSTILE["streamlit"],
                    "zaehler": HOSTILE["formel_at"]},
        "ohne_hsa": {"name": HOSTILE["steuerzeichen"] + " ohne Abschluss"},
    }
    blocks = re.split(r"(?m)^(?=\[)", text)
    out = []
    for block in blocks:
        match = re.match(r"\[(\w+)\]", block)
        for key, value in replacements.get(match.group(1) if match else "", {}).items():
            block = re.sub(rf"(?m)^{key} = .*$", lambda _m, k=key, v=value: f"{k} = {toml_string(v)}", block)
        out.append(block)
    return "".join(out).encode("utf-8")


SOZIALRAUM_NAMEN = {
    "SR1": HOSTILE["markdown_bild"],
    "SR2": HOSTILE["formel"],
    "SR3": "Bad Frankenhausen " + HOSTILE["html"],
    "SR4": HOSTILE["platzhalter"] + " " + HOSTILE["rtl"],
    "SR5": HOSTILE["formel_minus"] + " " + HOSTILE["steuerzeichen"],
    "SR6": LANG,
}
ZUORDNUNG_DATEI = f"![x]({BILD_URL}) <b>=1+1</b> [a]({LINK_URL})\x07.csv"


def hostile_membership() -> bytes:
    rows = list(csv.DictReader(io.StringIO((DATA_DIR / "sozialraeume.csv").read_text(encoding="utf-8")),
                               delimiter=";"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["gebiet", "sozialraum", "sozialraum_name"])
    for row in rows:
        writer.writerow([row["gebiet"], row["sozialraum"], SOZIALRAUM_NAMEN[row["sozialraum"]]])
    return buffer.getvalue().encode("utf-8")


def hostile_targets() -> bytes:
    text = (DATA_DIR / "ziele.toml").read_text(encoding="utf-8")
    values = iter([
        {"titel": HOSTILE["markdown_link"], "handlungsfeld": HOSTILE["formel"], "quelle": HOSTILE["markdown_bild"],
         "verantwortlich": HOSTILE["html"], "wortlaut": HOSTILE["script"] + "\n" + HOSTILE["streamlit"],
         "hinweis": HOSTILE["platzhalter"]},
        {"titel": HOSTILE["formel_plus"] + " " + HOSTILE["rtl"], "handlungsfeld": HOSTILE["markdown_link"],
         "quelle": HOSTILE["formel_at"], "verantwortlich": HOSTILE["steuerzeichen"]},
        {"titel": LANG, "verantwortlich": HOSTILE["formel_minus"]},
    ])
    blocks = re.split(r"(?m)^(?=\[\[ziel\]\])", text)
    out = []
    for block in blocks:
        if block.startswith("[[ziel]]"):
            for key, value in next(values, {}).items():
                block = re.sub(rf"(?m)^{key} = .*$", lambda _m, k=key, v=value: f"{k} = {toml_string(v)}", block)
        out.append(block)
    return "".join(out).encode("utf-8")


def build_hostile(path: Path) -> dict[str, importer.Ergebnis]:
    """The demo, then the hostile catalogue, assignment and targets imported over it (replacing)."""
    demo.build_demo(path)
    return {
        "indicators": importer.run(path, "indicators", hostile_catalogue(), "indikatoren.toml", person=rollen.kommandozeile(), replace=True),
        "membership": importer.run(path, "membership", hostile_membership(), ZUORDNUNG_DATEI, person=rollen.kommandozeile(), replace=True),
        "targets": importer.run(path, "targets", hostile_targets(), "ziele.toml", person=rollen.kommandozeile(), replace=True),
    }
