"""Python's cycle collector paused while identity resolution builds its millions of objects.

The collector runs every few hundred allocations and, every so often, walks every object alive:
a full run holds a million normalised people, their keys and the evidence of every link, so
those walks took a third of a run's time and grew with the base. Nothing the engine or the
normaliser builds needs the collector (no reference cycles are made on purpose; plain reference
counting frees the rest), so it is paused for the batch and whatever cycles appeared are left
to its next pass once it resumes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector inside the block; resume it after unless it was off already."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
