"""The project's own error types: every message is German and meant for the person using the tool."""

import errno
import sys
from dataclasses import dataclass, field


class SozialmonitorFehler(Exception):
    """Base of all errors a user may see; str() is the German message."""


class DatenbankFehler(SozialmonitorFehler):
    """The database file cannot be opened or read."""


class ImportLaeuft(DatenbankFehler):
    """Another import holds the database's import lock (daten.arbeitskopie): nothing was written."""


class VeralteteDatenbank(DatenbankFehler):
    """The database was written by an older version of the app: `importer.upgrade` brings it up to date."""


@dataclass(frozen=True)
class Befund:
    """One validation finding: where (file, line, field) and what is wrong, in German."""

    datei: str
    zeile: int | None
    feld: str | None
    meldung: str
    # Which check made it (the code line that created it; einlesen.findings adds its field), not part of equality:
    # a file checked in pieces (importer.stuecke) caps and orders the findings of each check as the whole file does.
    art: tuple = field(default=(), compare=False, repr=False)

    def __post_init__(self):
        if not self.art:
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename == __file__:
                frame = frame.f_back
            object.__setattr__(self, "art", (frame.f_code.co_filename, frame.f_lineno) if frame else ("?",))

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


_BETRIEBSSYSTEM = {
    errno.ENOENT: "die Datei oder den Ordner gibt es nicht",
    errno.EACCES: "keine Berechtigung",
    errno.EPERM: "keine Berechtigung",
    errno.EISDIR: "das ist ein Ordner, keine Datei",
    errno.ENOTDIR: "ein Teil des Pfads ist kein Ordner",
    errno.ENOSPC: "der Datenträger ist voll",
    errno.EDQUOT: "das Speicherkontingent ist erschöpft",
    errno.EROFS: "der Datenträger ist schreibgeschützt",
    errno.EMFILE: "zu viele offene Dateien",
    errno.ENAMETOOLONG: "der Dateiname ist zu lang",
}


def betriebssystem_text(exc: OSError) -> str:
    """An operating-system error in German words for a message ('die Datei oder den Ordner gibt es nicht', 'der
    Datenträger ist voll'); the system's own text is English and never shown to a planner."""
    nummer = getattr(exc, "errno", None)
    return _BETRIEBSSYSTEM.get(nummer, f"Fehler des Betriebssystems Nr. {nummer}")
