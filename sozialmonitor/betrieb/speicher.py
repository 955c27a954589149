"""How the long-running app process allocates memory (issue 22: the map page's server peak at 11.299 Gemeinden,
measured with bench/map_bench.py).

Two allocators keep what they freed for reuse, and in a process that runs for weeks that is memory held for nothing:
- pandas' Arrow-backed columns allocate from pyarrow's default pool (mimalloc): 20–25 MB more at the map page's peak;
  the system allocator hands large blocks back at once.
- glibc gives every new thread its own malloc arena (up to eight per core), and Streamlit runs each script run in a
  thread of its own: each arena keeps its freed pieces, 5–15 MB more with every indicator shown (404 → 368 MB peak
  after five changes at 11.299 Gemeinden with two arenas). The limit is glibc's M_ARENA_MAX (mallopt(3), the same
  as the environment variable MALLOC_ARENA_MAX), set before the first script thread starts."""

import ctypes
import ctypes.util

import pyarrow

ARENEN = 2  # one for the server's threads, one for the script runs
_M_ARENA_MAX = -8  # glibc malloc.h


def sparsam() -> None:
    """Set both for this process; where glibc is not the C library (macOS, musl) only the pyarrow pool."""
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = libc.mallopt if libc is not None else None
    except (OSError, AttributeError):
        return
    if mallopt is not None:
        mallopt(_M_ARENA_MAX, ARENEN)
