"""Asking a stream for its next page while the engine stores the current one.

Storing a page waits on the database and reading the next one waits on the source; started
together, one wait hides the other. Pages are still stored one at a time, in order, each in its
own transaction with its own cursor: only the request for page N+1 leaves before page N commits.
When storing fails, the page read ahead is dropped unread (its request cancelled) and the next
run reads it again from the last committed cursor, as it would have anyway.

A stream opts in with :attr:`hub.connector.Stream.read_ahead`; it must not assume that the code
after a ``yield`` runs only once that page is committed.

Each page is also prepared as soon as it is read (``prepare``: the engine's hashing and
normalising, everything storing it needs that no database read decides), so that this work too
is done while the page before waits on the database, instead of after its commit.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing, asynccontextmanager
from typing import TypeVar

from hub.connector import Stream
from hub.records import Page

T = TypeVar("T")


async def _next_page(pages: AsyncIterator[T]) -> T | None:
    return await anext(pages, None)


async def read_ahead(pages: AsyncIterator[T]) -> AsyncGenerator[T, None]:
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


async def _each_prepared(
    pages: AsyncIterator[Page], prepare: Callable[[Page], T]
) -> AsyncGenerator[T, None]:
    try:
        async for page in pages:
            yield prepare(page)
    finally:
        aclose = getattr(pages, "aclose", None)
        if aclose is not None:
            await aclose()


@asynccontextmanager
async def pages_to_store(
    stream: Stream, cursor: str | None, prepare: Callable[[Page], T]
) -> AsyncIterator[AsyncIterator[T]]:
    """The stream's pages after ``cursor``, each as ``prepare`` makes it once read, read one
    ahead when the stream allows it."""
    pages = _each_prepared(stream.pages(cursor), prepare)
    if not stream.read_ahead:
        async with aclosing(pages) as each:
            yield each
        return
    async with aclosing(read_ahead(pages)) as ahead:
        yield ahead
