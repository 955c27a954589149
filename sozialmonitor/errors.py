"""The project's own error types: every message is German and meant for the person using the tool."""

from dataclasses import dataclass


class SozialmonitorFehler(Exception):
    """Base of all errors a user may see; str() is the German message."""


class DatenbankFehler(SozialmonitorFehler):
    """The database file cannot be opened or read."""


class VeralteteDatenbank(DatenbankFehler):
    """The database was written by an older version of the app: `importer.upgrade` brings it up to date."""


@dataclass(frozen=True)
class Befund:
    """One validation finding: where (file, line, field) and what is wrong, in German."""

    datei: str
    zeile: int | None
    feld: str | None
    meldung: str

    def __str__(self) -> str:
        ort = self.datei
        if self.zeile is not None:
            ort += f", Zeile {self.zeile}"
        if self.feld:
            ort += f", Feld „{self.feld}“"
        return f"{ort}: {self.meldung}"


class EingabeFehler(SozialmonitorFehler):
    """A file was refused; carries every finding so they can be reported together."""

    def __init__(self, befunde: list[Befund]):
        self.befunde = befunde
        super().__init__("\n".join(str(b) for b in befunde))


class KeinZugriff(SozialmonitorFehler):
    """The person may not do this (role, scope or sign-in); raised by zugang.pruefe inside the write functions."""
