"""Paging through the views of presentation mode (Custom Components v2): on-screen ‹ zurück / weiter › buttons and
the keyboard (→, Bild↓, Leertaste: weiter; ←, Bild↑: zurück; Pos1/Ende: erste/letzte Ansicht; Esc: Präsentation
beenden). The keys are caught on the whole page, not only when the buttons have the focus; a key typed into a field
is left alone. A step comes back as the trigger value "schritt" ("weiter", "zurueck", "erste", "letzte",
"beenden")."""

from collections.abc import Callable
from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent

_component = st.components.v2.component(
    "sozialmonitor_blaettern",
    js=(HERE / "blaettern.js").read_text(encoding="utf-8"),
    css=(HERE / "blaettern.css").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def blaettern(*, position: int, anzahl: int, titel: str, folie: str, key: str,
              on_step: Callable[[], None]) -> None:
    """Draw the pager for view `position` (1-based) of `anzahl`; `folie` is the view's id (set as data-folie on the
    pager, for tests and the benchmark). A step calls on_step before the rerun, with the step in
    st.session_state[key]["schritt"]."""
    _component(key=key, data={"position": position, "anzahl": anzahl, "titel": titel, "folie": folie},
               on_schritt_change=on_step)
