"""Asking a stream for its next page while the engine stores the current one.

Storing a page waits on the database and reading the next one waits on the source; started
together, one wait hides the other. Pages are still stored one at a time, in order, each in its
own transaction with its own cursor: only the request for page N+1 leaves before page N commits.
When storing fails, the page read ahead is dropped unread (its request cancelled) and the next
run reads it again from the last committed cursor, as it would have anyway.

A stream opts in with :attr:`hub.connector.Stream.read_ahead`; it must not assume that the code
after a ``yield`` runs only once that page is committed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing, asynccontextmanager

from hub.connector import Stream
from hub.records import Page


async def _next_page(pages: AsyncIterator[Page]) -> Page | None:
    return await anext(pages, None)


async def read_ahead(pages: AsyncIterator[Page]) -> AsyncGenerator[Page, None]:
    """``pages``, one page ahead of the consumer. Close it (``aclosing``) when stopping early."""
    pending = asyncio.ensure_future(_next_page(pages))
    try:
        while (page := await pending) is not None:
            pending = asyncio.ensure_future(_next_page(pages))
            yield page
    finally:
        pending.cancel()  # nothing to do when it is done already
        try:
            await asyncio.wait([pending])
            if not pending.cancelled():
                pending.exception()  # the consumer's own error is the one to raise, not this
        finally:
            aclose = getattr(pages, "aclose", None)
            if aclose is not None:
                await aclose()


@asynccontextmanager
async def pages_to_store(stream: Stream, cursor: str | None) -> AsyncIterator[AsyncIterator[Page]]:
    """The stream's pages after ``cursor``, read one ahead when the stream allows it."""
    pages = stream.pages(cursor)
    if not stream.read_ahead:
        yield pages
        return
    async with aclosing(read_ahead(pages)) as ahead:
        yield ahead
