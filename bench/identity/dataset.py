"""A labelled data set: person records and the entity each record truly belongs to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from hub.identity.model import PersonRecord


@dataclass(frozen=True)
class LabelledDataset:
    name: str
    records: list[PersonRecord]
    truth: dict[int, str]
    """Record id → id of the entity (the real person) the record belongs to."""
    traps: dict[str, str] = field(default_factory=dict)
    """Entity id → the trap it was built to set (``"twin"``, ``"moved"`` …); absent: none."""
    linked_sources: tuple[str, ...] = ()
    """For a linkage task, the sources to link, each one free of duplicates on its own; empty
    for deduplication."""

    def __post_init__(self) -> None:
        ids = [record.record_id for record in self.records]
        repeated = [record_id for record_id, n in Counter(ids).items() if n > 1]
        if repeated:
            raise ValueError(f"{self.name}: record ids used twice: {sorted(repeated)[:5]}")
        if set(ids) != set(self.truth):
            raise ValueError(f"{self.name}: the truth must name the entity of every record")

    @property
    def entities(self) -> int:
        return len(set(self.truth.values()))

    def trap_counts(self) -> Counter[str]:
        """Trap kind → entities built to set it."""
        return Counter(self.traps.values())
