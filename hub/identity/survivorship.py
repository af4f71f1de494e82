"""Golden fields: for each person field, which record's value the profile shows, and why.

The skeleton's one rule is ``most_recent``: the newest non-empty value by the source's own update
time, then by when the hub last saw a change. The identity-resolution work adds configurable
rules per field (source trust, completeness, frequency).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from hub.records import PERSON_FIELDS
from hub.store.models import SourceRecordRow

RULE_MOST_RECENT = "most_recent"


def _recency(record: SourceRecordRow) -> tuple[datetime, datetime, int]:
    return (record.source_updated_at or record.changed_at, record.changed_at, record.id)


def golden_fields(records: Iterable[SourceRecordRow]) -> dict[str, Any]:
    """``{field: {"value", "record_id", "rule", "alternatives"}}`` for each person field."""
    newest_first = sorted(records, key=_recency, reverse=True)
    golden: dict[str, Any] = {}
    for name in PERSON_FIELDS:
        candidates = [(r, str(r.person[name])) for r in newest_first if r.person.get(name)]
        if not candidates:
            continue
        winner, value = candidates[0]
        golden[name] = {
            "value": value,
            "record_id": winner.id,
            "rule": RULE_MOST_RECENT,
            "alternatives": sorted({v for _, v in candidates[1:] if v != value}),
        }
    return golden
