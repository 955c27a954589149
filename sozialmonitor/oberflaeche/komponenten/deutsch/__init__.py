"""German and accessible where Streamlit itself writes (Custom Components v2, on every page through
seite.page_frame): Streamlit 1.67 has no translation of its own controls and declares <html lang="en">. This small
component sets lang="de" and replaces the English accessible names, titles and placeholders ("Choose an option",
"Main menu", "Zoom in", "Download as CSV" …) and the few English words on screen (the file uploader's "Upload",
"Browse files", "Limit 200MB per file", the main menu's "Print", "Record screen") with German ones, also for
elements added later (MutationObserver). Its CSS gives captions a contrast of at least 4,5:1 (WCAG 1.4.3; Streamlit's
grey is 3,8:1) and hides what has no German counterpart ("Made with Streamlit").

Chosen over the alternatives: Streamlit has no locale setting; client.toolbarMode = "viewer" already leaves only
the reader's menu; hiding the toolbars would take their functions (search, CSV, full screen) from the planners."""

from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent

_component = st.components.v2.component(
    "sozialmonitor_deutsch",
    js=(HERE / "deutsch.js").read_text(encoding="utf-8"),
    css=(HERE / "deutsch.css").read_text(encoding="utf-8"),
    isolate_styles=False,  # the rules restyle Streamlit's own elements in the document
)

KEY = "sm_deutsch"


def deutsch() -> None:
    """Mount the component once per page run (it takes no space: its container is hidden by its CSS)."""
    _component(key=KEY, data={})
