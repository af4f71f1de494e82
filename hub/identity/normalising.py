"""Normalising a whole base at once, optionally in worker processes; order always kept.

Normalisation is pure Python (phonenumbers, folding, the street and name tables), so one
process keeps one core busy. Asked for ``workers``, big batches are shared out in chunks: this
process normalises one chunk in every ``workers`` and a pool of worker processes the others;
small batches (an incremental run, a test) stay here. Either way the people are exactly what
:func:`normalise_person` gives, in input order.

Records and people cross the process boundary as plain tuples: the pickle of a slotted
dataclass goes through Python-level state methods and cost as much as the workers saved. Even
so, on a 2-core machine busy with other work the pool came out slower than one process (100k
records: 14 s against 7.5 s; 300k: 38 s against 28 s; each worker starts with cold caches and
metadata), so one process is the default and the pool is for machines with idle cores.
"""

from __future__ import annotations

import multiprocessing
import operator
import os
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import fields
from datetime import date
from types import TracebackType
from typing import Any

from hub.identity.collector import collector_paused
from hub.identity.model import Finding, NormalisedPerson, PersonRecord
from hub.identity.normalise import normalise_person

PARALLEL_FROM = 50_000
"""Records below which a batch is normalised in this process (workers take seconds to start)."""
CHUNK = 10_000
"""Records per task sent to a worker: big enough that the hand-over costs little, small enough
that the results of a few chunks is all that waits in memory at once."""

_record_values = operator.attrgetter(*(f.name for f in fields(PersonRecord)))
_person_values = operator.attrgetter(*(f.name for f in fields(NormalisedPerson)))
_finding_values = operator.attrgetter(*(f.name for f in fields(Finding)))
Row = tuple[Any, ...]


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _normalise_rows(rows: list[Row], default_region: str | None, today: date) -> list[Row]:
    """A worker's task: records as tuples in, people as tuples out (findings last)."""
    answer = []
    with collector_paused():
        for row in rows:
            record = PersonRecord(*row)
            person = normalise_person(record, default_region=default_region, today=today)
            found = tuple(_finding_values(f) for f in person.findings)
            answer.append((*_person_values(person)[:-1], found))
    return answer


def _people(rows: list[Row]) -> list[NormalisedPerson]:
    with collector_paused():
        return [
            NormalisedPerson(*row[:-1], tuple(Finding(*f) for f in row[-1]))  # type: ignore[call-arg]
            for row in rows
        ]


def _ready(item: Future[list[Row]] | list[NormalisedPerson]) -> bool:
    return not isinstance(item, Future) or item.done()


def _taken(item: Future[list[Row]] | list[NormalisedPerson]) -> list[NormalisedPerson]:
    return _people(item.result()) if isinstance(item, Future) else item


class Normaliser:
    """Normalises records as they are read; :meth:`people` gives them all, in order.

    ``expected`` (how many records will come) decides whether worker processes are worth it:
    from ``parallel_from`` records on, ``workers`` processes share them, this one included
    (``0``: one per core; the default ``1`` is this process alone).
    """

    def __init__(
        self,
        expected: int,
        *,
        default_region: str | None = None,
        parallel_from: int = PARALLEL_FROM,
        workers: int = 1,
    ) -> None:
        self._region = default_region
        # Birth dates are checked against one date for the whole batch: asking the clock for
        # every record cost more than the check itself.
        self._today = date.today()
        self._share = workers or _workers()
        # This process normalises one chunk in every ``_share`` itself: on two cores a single
        # worker beside it, as handing chunks over keeps it only partly busy.
        self._pool = (
            ProcessPoolExecutor(self._share - 1, mp_context=_context())
            if expected >= parallel_from and self._share > 1
            else None
        )
        self._chunk = CHUNK
        self._turn = 0
        self._waiting: deque[Future[list[Row]] | list[NormalisedPerson]] = deque()
        self._people: list[NormalisedPerson] = []

    def add(self, records: Sequence[PersonRecord]) -> None:
        if self._pool is None:
            self._people.extend(self._here(records))
            return
        for start in range(0, len(records), self._chunk):
            chunk = records[start : start + self._chunk]
            self._turn += 1
            if self._turn % self._share == 0:
                self._waiting.append(self._here(chunk))
            else:
                rows = [_record_values(r) for r in chunk]
                task = self._pool.submit(_normalise_rows, rows, self._region, self._today)
                self._waiting.append(task)
            while self._waiting and _ready(self._waiting[0]):  # keep few results waiting
                self._people.extend(_taken(self._waiting.popleft()))

    def people(self) -> list[NormalisedPerson]:
        while self._waiting:
            self._people.extend(_taken(self._waiting.popleft()))
        self.close()
        return self._people

    def _here(self, records: Sequence[PersonRecord]) -> list[NormalisedPerson]:
        with collector_paused():
            region, today = self._region, self._today
            return [normalise_person(r, default_region=region, today=today) for r in records]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Normaliser:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _context() -> multiprocessing.context.BaseContext:
    # Not fork: the hub's server has threads and open connections a forked child would copy.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def normalise_all(
    records: Iterable[PersonRecord], *, default_region: str | None = None, workers: int = 1
) -> list[NormalisedPerson]:
    """:func:`normalise_person` of every record, in order (``workers``: see :class:`Normaliser`)."""
    batch = records if isinstance(records, Sequence) else list(records)
    with Normaliser(len(batch), default_region=default_region, workers=workers) as normaliser:
        normaliser.add(batch)
        return normaliser.people()
