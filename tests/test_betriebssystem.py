"""Errors of the operating system are said in German (the system's own strerror is English: "No such file or
directory" reached the planner; found by a fresh reviewer), with exit code 2 and no traceback."""

import errno

import pytest

from sozialmonitor import cli
from sozialmonitor.errors import betriebssystem_text


def test_a_missing_file_on_the_command_line_is_named_in_german(tmp_path, capsys):
    assert cli.main(["import", "observations", str(tmp_path / "fehlt.csv"), "--db", str(tmp_path / "x.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "gibt es nicht" in err and "No such file" not in err and "Traceback" not in err


@pytest.mark.parametrize("nummer, wort", [(errno.ENOSPC, "voll"), (errno.EACCES, "Berechtigung"),
                                          (errno.EROFS, "schreibgeschützt"), (errno.EISDIR, "Ordner")])
def test_every_common_system_error_has_german_words(nummer, wort):
    assert wort in betriebssystem_text(OSError(nummer, "English text"))
    assert "English" not in betriebssystem_text(OSError(nummer, "English text"))


def test_build_demo_gives_no_advice_that_does_not_apply_to_the_demo(tmp_path, capsys):
    """The very first command a new user runs does not ask them to re-import the demo with --vorgaenger (its
    synthetic values are generated for today's Gemeinden; found by a fresh reviewer, BEFUNDE #27)."""
    assert cli.main(["build-demo", "--db", str(tmp_path / "demo.duckdb")]) == 0
    ausgabe = capsys.readouterr().out
    assert "--vorgaenger" not in ausgabe and "heutigen Gebietsstand" in ausgabe
