"""Square's search endpoints as streams: customers, orders (per group of locations), loyalty.

Every Square search pages the same way: a JSON body with the query and ``limit``, and the
``cursor`` of the previous answer added to the very same body (``CursorPaginator`` with
``body_field="cursor"``). A cursor belongs to its query: Square refuses it with another one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from connectors.square.mapping import customer_record, loyalty_account_record, order_record
from hub.connector import (
    ConnectorRuntime,
    CursorPaginator,
    HttpStream,
    Stream,
)
from hub.records import Page, SourceRecord

if TYPE_CHECKING:
    from connectors.square.connector import SquareConnector

log = logging.getLogger(__name__)

CUSTOMERS_MAX_LIMIT = 100
ORDERS_MAX_LIMIT = 1000
LOYALTY_MAX_LIMIT = 200
LOCATIONS_PER_ORDER_SEARCH = 10
"""SearchOrders takes at most ten location ids; a merchant with more is searched in groups."""


def rfc3339(moment: datetime) -> str:
    return moment.isoformat()


class SquareSearchStream(HttpStream):
    """A ``POST …/search`` stream: the same query is sent again with each page's cursor.

    A page cursor saved by a killed sync is replayed with the query rebuilt from today's
    settings; if those changed, Square answers 400 and HttpStream starts the query over
    rather than failing every run from then on.
    """

    connector: SquareConnector
    method = "POST"
    paginator = CursorPaginator(response_path="cursor", body_field="cursor")
    max_limit: ClassVar[int]

    @property
    def limit(self) -> int:
        return min(self.connector.settings.page_size, self.max_limit)


class CustomersStream(SquareSearchStream):
    """``POST /v2/customers/search``, filtered on ``updated_at`` for incremental syncs.

    Square sorts customers by name (DEFAULT) or by ``created_at`` only. Creation order keeps
    every profile in its place while pages are read (a renamed customer would move under the
    name order) and puts profiles created meanwhile at the end, where the sync still sees them.
    """

    name = "customers"
    path = "/customers/search"
    items_path = "customers"
    max_limit = CUSTOMERS_MAX_LIMIT

    def body(self, since: datetime | None) -> Any:
        query: dict[str, Any] = {"sort": {"field": "CREATED_AT", "order": "ASC"}}
        if since is not None:
            query["filter"] = {"updated_at": {"start_at": rfc3339(since)}}
        return {"limit": self.limit, "query": query}

    def to_record(self, item: Mapping[str, Any]) -> SourceRecord:
        return customer_record(item, self.connector.mapping_context)


class OrderSearch(SquareSearchStream):
    """``POST /v2/orders/search`` over one group of at most ten locations, oldest change first."""

    name = "orders"
    path = "/orders/search"
    items_path = "orders"
    max_limit = ORDERS_MAX_LIMIT

    def __init__(
        self, connector: SquareConnector, runtime: ConnectorRuntime, location_ids: Sequence[str]
    ) -> None:
        super().__init__(connector, runtime)
        self.location_ids = list(location_ids)

    def body(self, since: datetime | None) -> Any:
        # The sort field must be the field of the date filter, or Square refuses the query.
        query: dict[str, Any] = {"sort": {"sort_field": "UPDATED_AT", "sort_order": "ASC"}}
        if since is not None:
            query["filter"] = {"date_time_filter": {"updated_at": {"start_at": rfc3339(since)}}}
        return {"location_ids": self.location_ids, "limit": self.limit, "query": query}

    def to_record(self, item: Mapping[str, Any]) -> SourceRecord:
        return order_record(item, self.connector.mapping_context)


class OrdersStream(Stream):
    """Orders of every location, one search per group of ten; a cursor per group.

    The saved cursor is ``{"groups": {"<ids joined by commas>": <search cursor>}}``: a group
    whose locations changed starts afresh, the others resume where they stood.
    """

    name = "orders"
    connector: SquareConnector

    async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        locations = await self.connector.location_ids(self.runtime)
        saved = _load_groups(cursor, f"{self.connector.instance}/{self.name}")
        groups = [
            locations[i : i + LOCATIONS_PER_ORDER_SEARCH]
            for i in range(0, len(locations), LOCATIONS_PER_ORDER_SEARCH)
        ]
        state = {",".join(g): saved[",".join(g)] for g in groups if ",".join(g) in saved}
        for group in groups:
            key = ",".join(group)
            search = OrderSearch(self.connector, self.runtime, group)
            async for page in search.pages(state.get(key)):
                if page.cursor is not None:
                    state[key] = page.cursor
                yield Page(page.records, json.dumps({"groups": state}), page.rejected)

    async def replay(self, payload: str) -> Page:
        """A quarantined order is mapped again; which locations it was searched in is moot."""
        return await OrderSearch(self.connector, self.runtime, []).replay(payload)


def _load_groups(cursor: str | None, where: str) -> dict[str, str]:
    if not cursor:
        return {}
    try:
        groups = json.loads(cursor)["groups"]
        return {str(key): str(value) for key, value in groups.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        log.warning("%s: unreadable saved cursor, reading every location again", where)
        return {}


class LoyaltyAccountsStream(SquareSearchStream):
    """``POST /v2/loyalty/accounts/search``: no updated-since filter, so every sync reads all."""

    name = "loyalty_accounts"
    path = "/loyalty/accounts/search"
    items_path = "loyalty_accounts"
    incremental = False
    max_limit = LOYALTY_MAX_LIMIT

    def body(self, since: datetime | None) -> Any:
        return {"limit": self.limit}

    def to_record(self, item: Mapping[str, Any]) -> SourceRecord:
        return loyalty_account_record(item, self.connector.mapping_context)
