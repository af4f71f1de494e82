"""The hub's side of a benchmark: ``normalise_person`` on every record, then ``resolve_batch``.

Records are normalised the way a full run does (``hub.identity.normalising``), in one process
unless ``workers`` asks for more.

The engine is imported when a run starts, so data sets, metrics and the Splink peer work (and
are tested) on a branch that does not carry the engine yet: :class:`EngineMissing` says so.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hub.identity.model import NormalisedPerson, PersonRecord


class EngineMissing(RuntimeError):
    """``hub.identity.engine`` (or the normaliser it reads) is not installed here."""


@dataclass
class HubRun:
    clusters: list[tuple[int, ...]]
    candidate_pairs: int
    normalise_seconds: float
    resolve_seconds: float
    result: Any
    """The engine's whole answer (``result.model`` is the estimated match model)."""

    @property
    def seconds(self) -> float:
        return self.normalise_seconds + self.resolve_seconds


def engine() -> Any:
    """The engine's module, or :class:`EngineMissing` with what is absent."""
    try:
        module = importlib.import_module("hub.identity.engine")
    except ImportError as error:
        raise EngineMissing(f"the hub's resolution engine is not here yet ({error})") from error
    return module


def _normaliser() -> Any:
    normaliser = getattr(importlib.import_module("hub.identity.normalising"), "normalise_all", None)
    if normaliser is None:
        raise EngineMissing("hub.identity.normalising has no normalise_all yet")
    return normaliser


def normalise_all(records: Sequence[PersonRecord], workers: int = 1) -> list[NormalisedPerson]:
    """Every record's ``normalise_person``, in order (``workers`` processes share big sets)."""
    people: list[NormalisedPerson] = _normaliser()(records, workers=workers)
    return people


def resolve(people: Sequence[NormalisedPerson], settings: Any = None) -> Any:
    module = engine()
    from hub.identity.model import Constraints

    return module.resolve_batch(
        list(people),
        settings=settings or module.EngineSettings(),
        constraints=Constraints(),
        progress=None,
    )


def run_hub(records: Sequence[PersonRecord], settings: Any = None) -> HubRun:
    started = time.perf_counter()
    people = normalise_all(records)
    normalised = time.perf_counter()
    result = resolve(people, settings)
    resolved = time.perf_counter()
    resolution = result.resolution
    return HubRun(
        clusters=list(resolution.clusters),
        candidate_pairs=resolution.counts.candidate_pairs,
        normalise_seconds=normalised - started,
        resolve_seconds=resolved - normalised,
        result=result,
    )
