"""The app process limits glibc's malloc arenas (sozialmonitor.betrieb.speicher, issue 22): Streamlit runs every
script run in a thread of its own, and each new thread used to get an arena that kept its freed memory."""

import subprocess
import sys
import textwrap

import pytest

SKRIPT = textwrap.dedent("""
    import ctypes, sys, threading
    if sys.argv[1] == "sparsam":
        from sozialmonitor.betrieb import speicher
        speicher.sparsam()
    halten, bereit = [], threading.Barrier(7)
    def arbeit():
        halten.append(bytearray(50_000))  # below the mmap threshold: from the thread's arena
        bereit.wait()
    threads = [threading.Thread(target=arbeit) for _ in range(6)]
    for t in threads:
        t.start()
    bereit.wait()
    ctypes.CDLL("libc.so.6").malloc_stats()  # one "Arena N:" block per arena, on stderr
    for t in threads:
        t.join()
""")


def arenen(art: str) -> int:
    result = subprocess.run([sys.executable, "-c", SKRIPT, art], capture_output=True, text=True, check=True)
    return sum(line.startswith("Arena ") for line in result.stderr.splitlines())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_stats ist glibc")
def test_script_threads_share_two_arenas():
    assert arenen("frei") > 2  # the test can see the difference: without the limit each thread takes its own
    assert arenen("sparsam") <= 2
