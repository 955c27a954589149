"""Findings while reading a file: a refusal with one finding, one finding per marked row, and how many of one
kind are worth reporting."""

import pandas as pd

from sozialmonitor.errors import Befund, EingabeFehler

MAX_BEFUNDE = 200  # per kind of finding: enough to see the pattern, few enough to read


def befund(name: str, message: str, zeile: int | None = None, feld: str | None = None) -> EingabeFehler:
    """A refusal with a single finding."""
    return EingabeFehler([Befund(name, zeile, feld, message)])


def findings(name: str, frame: pd.DataFrame, mask, field: str | None, message) -> list[Befund]:
    """One finding per marked row (the first MAX_BEFUNDE); message is a text or a function of the row."""
    return [Befund(name, int(row.zeile), field, message(row) if callable(message) else message)
            for row in frame[mask].head(MAX_BEFUNDE).itertuples(index=False)]
