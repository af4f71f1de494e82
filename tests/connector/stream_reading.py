"""Reading an HttpStream in tests as the sync engine would: a new stream per run, all pages or
only the first, and what the pages hold."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from contextlib import aclosing

from hub.connector import ConnectorRuntime, HttpStream, StreamCursor
from hub.records import Page
from tests.connector.people_api import PeopleConnector, PeopleSettings, PeopleStream


def people_stream(
    base: str, runtime: ConnectorRuntime, stream_class: type[PeopleStream] = PeopleStream
) -> PeopleStream:
    """A new connector instance and stream, as a new sync run would make them."""
    return stream_class(PeopleConnector("crm", PeopleSettings(base)), runtime)


async def read_all(stream: HttpStream, cursor: str | None = None) -> list[Page]:
    return [page async for page in stream.pages(cursor)]


async def first_page(stream: HttpStream, cursor: str | None) -> Page:
    """The first page only, as a sync killed right after committing it would have read."""
    pages = stream.pages(cursor)
    assert isinstance(pages, AsyncGenerator)
    async with aclosing(pages):
        return await anext(pages)


def ids(pages: Sequence[Page]) -> list[list[str]]:
    return [[record.source_id for record in page.records] for page in pages]


def cursor_of(page: Page) -> StreamCursor:
    return StreamCursor.load(page.cursor, "test")
