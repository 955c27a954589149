"""What a browser sees when a page fails unexpectedly: a German sentence and a reference (Kennung) to the server log,
never a traceback. The full traceback goes to the server log under that Kennung, so the operator can
`journalctl -u 'sozialmonitor@*' | grep F-…` (or grep the terminal output) for it."""

from __future__ import annotations

import logging
import secrets
import sys
from datetime import datetime


LOGGER = logging.getLogger("sozialmonitor.fehler")
if not LOGGER.handlers:  # to stderr, which systemd's journal (or the terminal) keeps
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOGGER.addHandler(_handler)
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False


def neue_kennung(jetzt: datetime | None = None) -> str:
    """A reference like `F-20261130-093512-7f3a9c`: date and time (local server time, to the second) and six random
    hex digits, unique enough to find one entry in the log."""
    jetzt = jetzt or datetime.now()
    return f"F-{jetzt:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def fehler_protokollieren(exc: BaseException, seite: str | None = None) -> str:
    """Write the exception with its traceback to the server log (logger `sozialmonitor.fehler`, level ERROR) and
    return its Kennung."""
    kennung = neue_kennung()
    LOGGER.error("Fehler %s auf der Seite %s: %s", kennung, seite or "?", type(exc).__name__,
                 exc_info=(type(exc), exc, exc.__traceback__))
    return kennung


def meldung(exc: BaseException, kennung: str) -> str:
    """The German text for the browser. The exception's own text is not shown: it may name server paths or data,
    and a SozialmonitorFehler that reaches this point was not expected by its page (it may carry DuckDB's English
    text). Pages show the errors they expect themselves."""
    return (f"Hier ist ein unerwarteter Fehler aufgetreten; die Seite konnte nicht vollständig angezeigt werden. Bitte die Seite neu laden. Wenn es wieder passiert: Der Betreuung der Anwendung die Kennung "
            f"{kennung} nennen – unter ihr steht der Fehler im Protokoll des Servers.")
