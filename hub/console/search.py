"""Search as you type: what an agent types, turned into ranked customers.

``searchCustomers`` does the finding: names with typos or half-typed, phones written any way,
e-mails, loyalty cards, postcodes; exact identifiers score 100 and so come first. The one kind
it does not read is a source's own customer id (``crm:A1``), looked up exactly beforehand.
:func:`find_customers` is the one function that knows how the schema is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.console.formats import full_name, short_time
from hub.console.graphql import GraphQLRunner, QueryFailed

MIN_QUERY_LENGTH = 3


class SearchForbidden(Exception):
    """The text is an e-mail or a phone and the key may not search by personal data."""


@dataclass(frozen=True)
class CustomerHit:
    id: str
    name: str
    brand: str | None
    city: str | None
    last_activity: str | None
    """When the customer's newest activity the key may see happened (ISO); None: none."""
    matched: tuple[str, ...]
    """The fields the text matched (``name``, ``email``…); ``source_customer_id`` for a
    source's own id."""

    @property
    def last_activity_text(self) -> str:
        return short_time(self.last_activity)

    @classmethod
    def from_data(cls, data: dict[str, Any], matched: tuple[str, ...]) -> CustomerHit:
        return cls(
            id=data["id"],
            name=full_name(data),
            brand=data.get("brand"),
            city=data.get("city"),
            last_activity=data.get("lastActivityAt"),
            matched=matched,
        )


def looks_like_source_id(text: str) -> bool:
    """``<connector instance>:<id in the source>``, as the 360 page shows record ids."""
    instance, colon, source_id = text.partition(":")
    return bool(colon and instance.strip() and source_id.strip() and " " not in instance.strip())


async def _by_source_id(runner: GraphQLRunner, text: str) -> CustomerHit | None:
    data = await runner.run("customer_by_identifier", kind="SOURCE_CUSTOMER_ID", value=text)
    found = data["customerByIdentifier"]
    return None if found is None else CustomerHit.from_data(found, ("source_customer_id",))


async def find_customers(runner: GraphQLRunner, text: str) -> list[CustomerHit]:
    """The customers ``text`` finds, best first and each once: a source id's customer, then
    the ranked search's. :class:`SearchForbidden` when the text is personal data the key may
    not search by, and nothing else found it."""
    text = text.strip()
    if len(text) < MIN_QUERY_LENGTH:
        return []
    hits: dict[str, CustomerHit] = {}
    if looks_like_source_id(text) and (exact := await _by_source_id(runner, text)) is not None:
        hits[exact.id] = exact
    try:
        data = await runner.run("search_customers", query=text)
    except QueryFailed as failed:
        if failed.code != "FORBIDDEN":
            raise
        if not hits:
            raise SearchForbidden(text) from None
        return list(hits.values())
    for hit in data["searchCustomers"]:
        customer = hit["customer"]
        hits.setdefault(customer["id"], CustomerHit.from_data(customer, tuple(hit["matched"])))
    return list(hits.values())
