"""The 360 page lists each identifier once, with every record that carries it."""

from __future__ import annotations

from hub.console.profile import SourceBadge, identifier_lines

CRM, ATELIER, TILLS = (
    SourceBadge("crm", "A1"),
    SourceBadge("atelier", "B1"),
    SourceBadge("tills", "R1"),
)
SOURCES = {"r1": CRM, "r2": ATELIER, "r3": TILLS}


def identifier(kind: str, value: str | None, normalized: str | None, record: str) -> dict:
    return {"kind": kind, "value": value, "normalizedValue": normalized, "sourceRecordId": record}


def test_one_line_per_normalised_value_with_each_source_and_other_spellings() -> None:
    lines = identifier_lines(
        [
            identifier("EMAIL", "amelie.durand@example.fr", "amelie.durand@example.fr", "r1"),
            identifier("PHONE", "06 12 34 56 78", "+33612345678", "r1"),
            identifier("EMAIL", "Amelie.Durand@example.fr", "amelie.durand@example.fr", "r2"),
            identifier("LOYALTY_CARD", "MX-4471-2290", "MX44712290", "r3"),
            identifier("LOYALTY_CARD", "MX-4471-2290", "MX44712290", "r3"),
        ],
        SOURCES,
    )
    assert [(line.kind, line.value) for line in lines] == [
        ("EMAIL", "amelie.durand@example.fr"),
        ("PHONE", "06 12 34 56 78"),
        ("LOYALTY_CARD", "MX-4471-2290"),
    ]
    assert lines[0].sources == [CRM, ATELIER]
    assert lines[0].spellings == ["Amelie.Durand@example.fr"]
    assert lines[2].sources == [TILLS] and lines[2].spellings == []


def test_the_same_value_of_two_kinds_stays_two_lines() -> None:
    lines = identifier_lines(
        [
            identifier("SOURCE_CUSTOMER_ID", "crm:A1", "crm:A1", "r1"),
            identifier("CROSS_REFERENCE", "crm:A1", "crm:A1", "r2"),
        ],
        SOURCES,
    )
    assert [line.kind for line in lines] == ["SOURCE_CUSTOMER_ID", "CROSS_REFERENCE"]


def test_hidden_values_are_never_taken_for_one_another() -> None:
    lines = identifier_lines(
        [identifier("EMAIL", None, None, "r1"), identifier("EMAIL", None, None, "r2")], SOURCES
    )
    assert [(line.value, line.sources) for line in lines] == [(None, [CRM]), (None, [ATELIER])]
