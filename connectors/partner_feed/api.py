"""HTTP mode: the partner's JSON API, ``GET /v1/holdings`` and ``GET /v1/products``.

``/v1/holdings?updated_since=<RFC 3339>&limit=<1..500>`` answers ``{"data": [...],
"next_cursor": "…" | null}``; the next page is the same query plus ``cursor=<next_cursor>``.
That is the SDK's declarative :class:`HttpStream` with a :class:`CursorPaginator` (standard
``StreamCursor``: since / next / watermark, so a killed sync resumes at its next page).

``/v1/products`` is read whole, conditionally (see :mod:`connectors.partner_feed.catalog`):
the ``products`` stream yields no records, only a cursor holding the catalog and its
validators, and runs before ``holdings`` so that holdings find their product names.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from connectors.partner_feed.catalog import Catalog
from hub.connector import ConnectorRuntime, CursorPaginator, HttpStream, Stream
from hub.connector.http import JsonResponse
from hub.errors import ConnectorError
from hub.records import Page, Rejected, SourceRecord

if TYPE_CHECKING:
    from connectors.partner_feed.connector import PartnerFeedConnector

MAX_LIMIT = 500
NOT_MODIFIED = 304


def rfc3339(moment: datetime) -> str:
    """``2024-06-01T09:00:00.250000Z``: UTC with a Z, which no query string can mangle."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class HoldingsStream(HttpStream):
    name = "holdings"
    path = "/v1/holdings"
    items_path = "data"
    paginator = CursorPaginator("next_cursor", query_param="cursor")
    connector: PartnerFeedConnector

    def params(self, since: datetime | None) -> dict[str, str]:
        params = {"limit": str(self.connector.settings.page_size)}
        if since is not None:
            params["updated_since"] = rfc3339(since)
        return params

    def to_record(self, item: Mapping[str, Any]) -> SourceRecord:
        return self.connector.mapper.record(item, self.connector.catalog)

    def read_items(self, items: list[Any]) -> tuple[list[SourceRecord], list[Rejected]]:
        # The base class names a rejected item by its "id"; a holding's is "holding_id".
        return self.connector.mapper.read(items, self.connector.catalog, self.where)


class ProductCatalogStream(Stream):
    name = "products"
    connector: PartnerFeedConnector

    async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        where = f"{self.connector.instance}/{self.name}"
        saved = Catalog.load(cursor, where)
        catalog, rejected = await fetch_catalog(self.connector, self.runtime, saved)
        self.connector.catalog = catalog
        yield Page((), catalog.dump(), tuple(rejected))


async def fetch_catalog(
    connector: PartnerFeedConnector, runtime: ConnectorRuntime, known: Catalog
) -> tuple[Catalog, list[Rejected]]:
    """The current catalog: ``known`` again when the partner answers 304 Not Modified.

    A catalog spread over pages is followed by ``next_cursor``; the first page's validators
    then stand for the whole catalog (the contract asks for a catalog-wide ETag).
    """
    where = f"{connector.instance}/products"
    url = connector.base_url() + "/v1/products"
    headers = {**connector.headers(), **known.conditional_headers()}
    response = await runtime.http.request_json("GET", url, where=where, headers=headers)
    if response.status == NOT_MODIFIED:
        return known, []
    catalog = Catalog(
        etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified")
    )
    catalog, rejected = catalog.with_items(_items(response, where), where)
    seen: set[str] = set()
    while (token := _next_cursor(response)) is not None:
        if token in seen:
            raise ConnectorError(f"{where}: the source sent the page token {token[:60]!r} twice")
        seen.add(token)
        response = await runtime.http.request_json(
            "GET", url, where=where, params={"cursor": token}, headers=connector.headers()
        )
        catalog, bad = catalog.with_items(_items(response, where), where)
        rejected.extend(bad)
    return catalog, rejected


def _items(response: JsonResponse, where: str) -> list[Any]:
    data = response.data.get("data") if isinstance(response.data, dict) else None
    if not isinstance(data, list):
        raise ConnectorError(f"{where}: expected a list at 'data', got {type(data).__name__}")
    return data


def _next_cursor(response: JsonResponse) -> str | None:
    token = response.data.get("next_cursor") if isinstance(response.data, dict) else None
    return None if token in (None, "") else str(token)
