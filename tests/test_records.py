"""Canonical JSON and content hashes of source records: the fast encoder writes exactly the
standard library's canonical form, so hashes never depend on which of the two wrote them."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hub.records import Activity, ActivityKind, Identifier, IdentifierKind, SourceRecord


def stdlib_canonical(value: Any) -> bytes:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return text.encode("utf-8")


def stdlib_hash(record: SourceRecord) -> str:
    """The content hash as the standard library alone computes it."""
    mapped = [
        record.person,
        [(i.kind.value, i.value) for i in record.identifiers],
        [
            (a.kind.value, a.source_id, a.occurred_at, a.amount_minor, a.currency, a.details)
            for a in record.activities
        ],
        record.attributes,
    ]
    digest = hashlib.sha256(stdlib_canonical(record.payload))
    digest.update(b"\x00")
    digest.update(stdlib_canonical(mapped))
    return digest.hexdigest()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_the_canonical_payload_is_the_standard_librarys_canonical_json(payload: Any) -> None:
    record = SourceRecord("customer", "C1", payload)
    assert record.canonical_payload == stdlib_canonical(payload)
    assert record.canonical_payload_text == stdlib_canonical(payload).decode("utf-8")


def test_floats_python_writes_with_an_exponent_are_written_as_python_writes_them() -> None:
    payload = {"tiny": 0.00001, "small": 1e-7, "huge": 1e22, "rate": 12.5, "note": "e-mail"}
    assert SourceRecord("order", "O1", payload).canonical_payload == (
        b'{"huge":1e+22,"note":"e-mail","rate":12.5,"small":1e-07,"tiny":1e-05}'
    )


def test_keys_that_are_not_text_and_big_integers_keep_their_standard_form() -> None:
    payload = {"id": 2**80, "by_year": {2024: 1, 2023: 3}, "lines": [{"qty": -(2**65)}]}
    record = SourceRecord("order", "O1", payload)
    assert record.canonical_payload == stdlib_canonical(payload)


@given(
    st.text(max_size=12),
    st.dictionaries(st.sampled_from(["email", "city"]), st.text(max_size=12)),
    st.dictionaries(st.text(max_size=6), json_values, max_size=3),
)
def test_the_content_hash_is_the_one_the_standard_library_computes(
    source_id: str, person: dict[str, str], details: dict[str, Any]
) -> None:
    record = SourceRecord(
        "order",
        source_id,
        {"id": source_id, "total": "19.90"},
        person=person,
        identifiers=(Identifier(IdentifierKind.EMAIL, "amelie@example.fr"),),
        activities=(
            Activity(
                ActivityKind.ORDER,
                source_id,
                datetime(2024, 2, 1, 12, 30, tzinfo=UTC),  # written as str() writes it
                amount_minor=1990,
                currency="EUR",
                details=details,
            ),
        ),
        attributes={"segment": "gold"},
    )
    assert record.content_hash() == stdlib_hash(record)
