"""Fewer garbage collections while a sync runs.

A sync keeps a page or two of parsed items alive at a time: tens of thousands of dicts and
lists, freed by reference counting once the page is stored. CPython's collector runs its young
generation every 700 container allocations, so it walked every page several times while the
page was still alive, promoted it, and ran full collections of the whole process (modules,
plugins, schema) every few pages: about a sixth of a sync's time, for garbage it never found.
With the young generation's threshold at 20,000 a page is freed before a collection sees it.
Garbage in cycles still counts towards that threshold, so it is still collected.

The threshold is raised while at least one sync runs and put back as it was after the last;
a collector that is off, or set to run more rarely still, is left as it is.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

SYNC_YOUNG_THRESHOLD = 20_000

_running = 0
_before: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the young generation's threshold for the block (see the module's notes)."""
    global _running, _before
    if _running == 0:
        young, middle, old = gc.get_threshold()
        if 0 < young < SYNC_YOUNG_THRESHOLD:
            _before = (young, middle, old)
            gc.set_threshold(SYNC_YOUNG_THRESHOLD, middle, old)
    _running += 1
    try:
        yield
    finally:
        _running -= 1
        if _running == 0 and _before is not None:
            if gc.get_threshold()[0] == SYNC_YOUNG_THRESHOLD:  # nobody changed it meanwhile
                gc.set_threshold(*_before)
            _before = None
