"""Operations hygiene (issue 11, item 5): leftovers of killed imports are removed by the next import, the database
keeps its mode and group, the publish is durable (fsync of the file and the folder around the rename), and a full
disk, a read-only folder or a missing static/karten give a German message (exit 2 on the command line) and leave
everything as it was."""

import errno
import os
import shutil
import stat

import pytest

from conftest import open_page
from sozialmonitor import cli, importer
from sozialmonitor.oberflaeche import seite
from sozialmonitor.zugang import rollen
from sozialmonitor.errors import DatenbankFehler
from sozialmonitor.daten import arbeitskopie

WERTE = "gebiet;indikator;zeitraum;zaehler;nenner;wert\n01001001;quote_jahr;2031;2;20;\n".encode()


@pytest.fixture
def tiny_copy(tiny_db, tmp_path):
    path = tmp_path / "sozialmonitor.duckdb"
    shutil.copyfile(tiny_db, path)
    return path


def test_the_next_import_removes_what_killed_imports_left(tiny_copy):
    folder = tiny_copy.parent
    leftovers = [folder / f"{tiny_copy.name}.k1ll3d.tmp", folder / f"{tiny_copy.name}.k1ll3d.tmp.wal",
                 folder / importer.ARCHIVE_FOLDER / "0123456789abcdef_werte.csv.teil"]
    for path in leftovers:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x" * 1000)
    importer.run(tiny_copy, "observations", WERTE, "werte.csv", person=rollen.kommandozeile())
    assert not [p for p in leftovers if p.exists()]
    assert not list(folder.glob("*.tmp")) and not list((folder / importer.ARCHIVE_FOLDER).glob("*.teil"))


def test_an_import_keeps_the_files_mode_and_group(tiny_copy):
    os.chmod(tiny_copy, 0o640)
    os.chown(tiny_copy, -1, 100)  # another group than the importing user's (the tests run as root)
    importer.run(tiny_copy, "observations", WERTE, "werte.csv", person=rollen.kommandozeile())
    published = os.stat(tiny_copy)
    assert stat.S_IMODE(published.st_mode) == 0o640
    assert published.st_gid == 100


def test_publish_syncs_the_new_file_and_the_folder_around_the_rename(tiny_copy, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor):
        kind = "ordner" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "datei"
        calls.append(("fsync", kind))
        return real_fsync(descriptor)

    def replace(source, target):
        if str(target) == str(tiny_copy):
            calls.append(("rename", "datenbank"))
        return real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    importer.run(tiny_copy, "observations", WERTE, "werte.csv", person=rollen.kommandozeile())
    rename = calls.index(("rename", "datenbank"))
    assert ("fsync", "datei") in calls[:rename] and calls[rename + 1:] == [("fsync", "ordner")]


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "Kein Speicherplatz"), (errno.EROFS, "nicht schreiben"),
                                         (errno.EACCES, "nicht schreiben")])
def test_full_disk_and_read_only_folder_give_a_german_message_and_change_nothing(tiny_copy, monkeypatch, capsys,
                                                                                   code, words):
    before = tiny_copy.read_bytes()
    real_copy = arbeitskopie.shutil.copyfile

    def failing_copy(source, target):
        real_copy(source, target)  # half the way: the working copy exists, then the disk is full
        raise OSError(code, os.strerror(code), str(target))

    monkeypatch.setattr(arbeitskopie.shutil, "copyfile", failing_copy)  # the working copy's copy
    with pytest.raises(DatenbankFehler, match=words):
        importer.run(tiny_copy, "observations", WERTE, "werte.csv", person=rollen.kommandozeile())
    source = tiny_copy.parent / "werte.csv"
    source.write_bytes(WERTE)
    assert cli.main(["import", "observations", str(source), "--db", str(tiny_copy)]) == 2
    error = capsys.readouterr().err
    assert words in error and "Traceback" not in error
    assert tiny_copy.read_bytes() == before
    assert not list(tiny_copy.parent.glob("*.tmp")) and not (tiny_copy.parent / importer.ARCHIVE_FOLDER).exists()


def test_full_disk_while_archiving_leaves_no_file_behind(tiny_copy, monkeypatch):
    before = tiny_copy.read_bytes()
    real_replace = os.replace

    def replace(source, target):
        if str(source).endswith(".teil"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(DatenbankFehler, match="Kein Speicherplatz"):
        importer.run(tiny_copy, "observations", WERTE, "werte.csv", person=rollen.kommandozeile())
    assert tiny_copy.read_bytes() == before
    assert not [p for p in (tiny_copy.parent / importer.ARCHIVE_FOLDER).iterdir()]


def test_a_missing_static_folder_that_cannot_be_made_is_a_german_message(demo_db, tmp_path, monkeypatch):
    blocker = tmp_path / "keine_karten"
    blocker.write_text("eine Datei, kein Ordner")
    monkeypatch.setattr(seite, "STATIC_MAPS_DIR", blocker / "karten")
    seite._map_geometry.clear()  # not from the cache of an earlier test
    monkeypatch.setenv("SOZIALMONITOR_DB", str(demo_db))
    at = open_page("pages/1_Karte.py").run()
    assert not at.exception
    assert any("Grenzen nicht im Ordner" in e.value for e in at.error)
