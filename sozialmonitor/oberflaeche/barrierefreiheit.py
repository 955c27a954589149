"""The accessibility statement (Erklärung zur Barrierefreiheit, BITV 2.0 § 7) shown on its page: the project's
text in docs/barrierefreiheit.md and the feedback contact the operator sets."""

import os
import re

from sozialmonitor.daten.config import PROJECT_ROOT

DATEI = PROJECT_ROOT / "docs" / "barrierefreiheit.md"
KONTAKT_VARIABLE = "SOZIALMONITOR_KONTAKT_BARRIEREFREIHEIT"


def kontakt() -> str:
    """The address for feedback on barriers (e-mail or postal), as the operator sets it; '' when unset. Control
    characters are removed (it is shown as text)."""
    return re.sub(r"[\x00-\x1f\x7f]", "", os.environ.get(KONTAKT_VARIABLE, "")).strip()


def erklaerung() -> str:
    """docs/barrierefreiheit.md without its first heading (the page has its own title): project text, Markdown."""
    text = DATEI.read_text(encoding="utf-8")
    return re.sub(r"\A# [^\n]*\n+", "", text)
