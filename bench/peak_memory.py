"""Peak resident memory of one phase of this process, without tracing allocations.

tracemalloc would see only Python allocations and slow the measured code down several times. The
kernel keeps the process's peak RSS (``VmHWM``); writing ``5`` to ``/proc/self/clear_refs`` resets
it (Linux 4.0+), so each phase gets its own peak. Where that is refused, the fallback is the
growth of ``getrusage().ru_maxrss``, which only sees a phase that exceeds every earlier one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass
class PeakMemory:
    method: str = ""
    mib: float = 0.0
    """Peak RSS during the phase minus RSS at its start."""


def _status_kib(field: str) -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _release_free_memory() -> None:
    """Give freed memory back before a phase, so a previous phase's leftovers don't mask it."""
    gc.collect()
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        trim = getattr(ctypes.CDLL(libc_name), "malloc_trim", None)
        if trim is not None:
            trim(0)


def _reset_peak() -> bool:
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


@contextmanager
def peak_memory() -> Iterator[PeakMemory]:
    _release_free_memory()
    result = PeakMemory()
    if _reset_peak():
        start = _status_kib("VmRSS")
        yield result
        result.method, result.mib = "VmHWM", (_status_kib("VmHWM") - start) / 1024
    else:
        start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        yield result
        end = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result.method, result.mib = "ru_maxrss", (end - start) / 1024
