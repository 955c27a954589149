"""Resource limits for uploaded archives (issue 11, item 3): the sizes in the zip's directory are checked before a
byte is unpacked, and unpacking is a stream with a limit. The issue's case: a few MB that unpack to hundreds of MB
(compression ratio ~130, under the old 200:1 rule and the old 1 GB sum) took the server's memory."""

import io
import os
import shutil
import struct
import zipfile

import pytest

from sozialmonitor import importer
from sozialmonitor.zugang import rollen
from sozialmonitor.einlesen import entpacken
from sozialmonitor.errors import EingabeFehler


def inflating_zip(size: int, ratio_block: int = 32_768, stem: str = "grenzen") -> bytes:
    """A zipped 'Shapefile' whose .shp unpacks to size bytes at a ratio of ~130:1 (200 random bytes per 32 KB)."""
    buffer = io.BytesIO()
    block = os.urandom(200) + bytes(ratio_block - 200)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(f"{stem}.shp", "w", force_zip64=True) as entry:
            for _ in range(size // ratio_block):
                entry.write(block)
        archive.writestr(f"{stem}.shx", b"x" * 100)
        archive.writestr(f"{stem}.dbf", b"x" * 100)
    return buffer.getvalue()


@pytest.fixture
def tiny_copy(tiny_db, tmp_path):
    path = tmp_path / "tiny.duckdb"
    shutil.copyfile(tiny_db, path)
    return path


def test_archive_that_unpacks_to_hundreds_of_mb_is_refused_before_unpacking(tiny_copy):
    data = inflating_zip(350_000_000)
    assert len(data) < 5_000_000  # a few MB upload
    before = tiny_copy.read_bytes()
    with pytest.raises(EingabeFehler) as refused:
        importer.run(tiny_copy, "areas", data, "grenzen.zip", person=rollen.kommandozeile(), level="gemeinde")
    message = str(refused.value)
    assert "grenzen.zip" in message and "entpackt" in message and "MB" in message, message
    assert tiny_copy.read_bytes() == before


def test_strongly_compressed_entry_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("grenzen.geojson", bytes(20_000_000))
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        befunde = entpacken.pruefe_verzeichnis(archive, "bombe.zip")
    assert befunde and "Zip-Bombe" in befunde[0].meldung and befunde[0].feld == "grenzen.geojson"


def _lying(data: bytes, entry_name: bytes, declared: int) -> bytes:
    """The archive with the entry's uncompressed size in both headers set to `declared` (a directory that lies)."""
    raw = bytearray(data)
    local = raw.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", raw, local + 26)[0]
        if raw[local + 30:local + 30 + name_length] == entry_name:
            struct.pack_into("<I", raw, local + 22, declared)
        local = raw.find(b"PK\x03\x04", local + 4)
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", raw, central + 28)[0]
        if raw[central + 46:central + 46 + name_length] == entry_name:
            struct.pack_into("<I", raw, central + 24, declared)
        central = raw.find(b"PK\x01\x02", central + 4)
    return bytes(raw)


def test_stream_stops_at_the_declared_size_when_the_directory_lies(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("grenzen.shp", os.urandom(1000) * 3000)  # 3 MB, says 10 kB below
    data = _lying(buffer.getvalue(), b"grenzen.shp", 10_000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entry = archive.getinfo("grenzen.shp")
        assert entry.file_size == 10_000 and not entpacken.pruefe_verzeichnis(archive, "lug.zip")
        with pytest.raises(EingabeFehler) as refused:
            entpacken.kopieren(archive, entry, tmp_path / "grenzen.shp", "lug.zip")
    assert "lug.zip" in str(refused.value)
    assert not (tmp_path / "grenzen.shp").exists()


def test_stream_stops_at_the_budget(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("grenzen.shp", os.urandom(3_000_000))
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        with pytest.raises(EingabeFehler) as refused:
            entpacken.kopieren(archive, archive.getinfo("grenzen.shp"), tmp_path / "g.shp", "gross.zip",
                               budget=2_000_000)
    assert "erlaubt" in str(refused.value) and not (tmp_path / "g.shp").exists()


def test_xlsx_that_unpacks_to_hundreds_of_mb_is_refused(tiny_copy):
    buffer = io.BytesIO()
    block = os.urandom(200) + bytes(32_568)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(320_000_000 // len(block)):
                entry.write(block)
    with pytest.raises(EingabeFehler) as refused:
        importer.run(tiny_copy, "observations", buffer.getvalue(), "werte.xlsx", person=rollen.kommandozeile())
    assert "entpackt" in str(refused.value)
