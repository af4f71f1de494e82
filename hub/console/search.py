"""Search as you type: what an agent types, turned into customers.

The schema finds a customer by one identifier (``customerByIdentifier``). The typed text does
not say which kind it is, so :func:`identifier_kinds` guesses the plausible ones and each is
tried. :func:`find_customers` is the one function that knows how the schema is asked, so a
ranked full-text search can replace it without touching the pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hub.console.graphql import GraphQLRunner, QueryFailed

MIN_QUERY_LENGTH = 3
PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]+$")
CARD_LIKE = re.compile(r"^[\w\-]+$")
"""Card numbers are letters, digits and dashes, with at least one digit (a name has none)."""


class SearchForbidden(Exception):
    """Every kind the text could be needs an access the key lacks (personal data)."""


@dataclass(frozen=True)
class CustomerHit:
    id: str
    name: str
    brand: str | None
    city: str | None
    last_activity: str
    """When the profile last changed (ISO); activities will refine it."""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> CustomerHit:
        name = " ".join(part for part in (data.get("firstName"), data.get("lastName")) if part)
        return cls(
            id=data["id"],
            name=name,
            brand=data.get("brand"),
            city=data.get("city"),
            last_activity=data["updatedAt"],
        )


def identifier_kinds(text: str) -> list[str]:
    """The identifier kinds ``text`` may be, likeliest first."""
    if "@" in text:
        return ["EMAIL"]
    kinds = []
    if PHONE_LIKE.match(text) and sum(char.isdigit() for char in text) >= 6:
        kinds.append("PHONE")
    if CARD_LIKE.match(text.replace(" ", "")) and any(char.isdigit() for char in text):
        kinds.append("LOYALTY_CARD")
    if ":" in text:
        kinds.append("SOURCE_CUSTOMER_ID")
    return kinds


async def find_customers(runner: GraphQLRunner, text: str) -> list[CustomerHit]:
    """The customers ``text`` identifies, each once; :class:`SearchForbidden` when the key may
    search none of the kinds it could be."""
    text = text.strip()
    if len(text) < MIN_QUERY_LENGTH:
        return []
    hits: dict[str, CustomerHit] = {}
    kinds = identifier_kinds(text)
    forbidden = 0
    for kind in kinds:
        try:
            data = await runner.run("customer_by_identifier", kind=kind, value=text)
        except QueryFailed as failed:
            if failed.code != "FORBIDDEN":
                raise
            forbidden += 1
            continue
        found = data["customerByIdentifier"]
        if found is not None and found["id"] not in hits:
            hits[found["id"]] = CustomerHit.from_data(found)
    if kinds and forbidden == len(kinds):
        raise SearchForbidden(text)
    return list(hits.values())
