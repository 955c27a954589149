"""One document model for Word and PDF, so both carry the same content: a title, blocks of headings, paragraphs,
notes, tables and pictures, and the lines every page's foot carries (demo notice, attribution). No Streamlit."""

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Block:
    """art: 'ueberschrift' (ebene 1 or 2), 'absatz', 'hinweis' (a highlighted caveat), 'klein' (small grey
    print), 'tabelle' (tabelle: DataFrame of texts), 'bild' (bild: PNG bytes, text = caption, breite in cm)."""

    art: str
    text: str = ""
    ebene: int = 1
    tabelle: pd.DataFrame | None = None
    bild: bytes | None = None
    breite: float = 16.0
    rechtsbuendig: tuple = ()  # table columns with numbers
    alt: str = ""  # a picture's text alternative (Word, PDF; WCAG 1.1.1)


@dataclass
class Dokument:
    titel: str
    untertitel: str
    demo: bool
    fusszeile: str  # on every page: attribution, and the demo marker on demo data
    bloecke: list[Block] = field(default_factory=list)

    def ueberschrift(self, text: str, ebene: int = 1) -> None:
        self.bloecke.append(Block("ueberschrift", text, ebene=ebene))

    def absatz(self, text: str) -> None:
        if text:
            self.bloecke.append(Block("absatz", text))

    def hinweis(self, text: str) -> None:
        self.bloecke.append(Block("hinweis", text))

    def klein(self, text: str) -> None:
        if text:
            self.bloecke.append(Block("klein", text))

    def tabelle(self, frame: pd.DataFrame, rechtsbuendig: tuple = ()) -> None:
        self.bloecke.append(Block("tabelle", tabelle=frame.astype(str), rechtsbuendig=tuple(rechtsbuendig)))

    def bild(self, png: bytes | None, unterschrift: str, breite: float = 16.0, ersatz: str = "",
             alt: str = "") -> None:
        """A picture with its caption and text alternative (alt; default: the caption and where its numbers
        stand); without one (no browser to draw it) the reason in small print."""
        if png is None:
            self.klein(f"{unterschrift}: Bild nicht verfügbar. {ersatz}".strip())
        else:
            self.bloecke.append(Block("bild", unterschrift, bild=png, breite=breite,
                                      alt=alt or alt_text(unterschrift)))

    def texte(self) -> list[str]:
        """Every text of the document in order (for tests and a quick look)."""
        out = [self.titel, self.untertitel]
        for block in self.bloecke:
            if block.art == "tabelle":
                out += list(block.tabelle.columns) + [v for row in block.tabelle.values.tolist() for v in row]
            elif block.text:
                out.append(block.text)
        return out + [self.fusszeile]


def alt_text(unterschrift: str) -> str:
    """The text alternative of a chart or map: what it shows and where a reader finds its numbers in words."""
    return f"Abbildung: {unterschrift}. Die Zahlen stehen in der Tabelle dieses Abschnitts."
