"""German and accessible where Streamlit itself writes (Custom Components v2, on every page through
seite.page_frame): Streamlit 1.67 has no translation of its own controls and declares <html lang="en">. This small
component sets lang="de" and replaces the English accessible names, titles and placeholders ("Choose an option",
"Main menu", "Zoom in", "Download as CSV" …) and the few English words on screen (the file uploader's "Upload",
"Browse files", "Limit 200MB per file", the main menu's "Print", "Record screen") with German ones, also for
elements added later (MutationObserver). Its CSS gives captions a contrast of at least 4,5:1 (WCAG 1.4.3; Streamlit's
grey is 3,8:1) and hides what has no German counterpart ("Made with Streamlit"). The calendars of st.date_input
follow Streamlit's locale, which Streamlit takes from navigator.language: the component makes that de-DE (and asks
for one more run in a browser of another language), so month and weekday names and the week from Monday are German
in any browser; st.date_input itself has no locale argument (its format= sets only the order of the field).

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
    # a browser in another language: the component sets navigator.language to de-DE (Streamlit's calendars follow
    # it) and asks for one more run, once per window, so that Streamlit passes it on
    _component(key=KEY, data={}, on_sprache_change=lambda: None)
