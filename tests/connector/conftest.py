"""What the connector tests share: a real client session, a sleep that only records, and a
runtime whose client waits with it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from hub.connector import ConnectorRuntime, HttpClient


class RecordingSleep:
    """Stands in for ``asyncio.sleep`` in :class:`HttpClient`: keeps the waits, waits for none."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def runtime(session: aiohttp.ClientSession, sleep: RecordingSleep) -> ConnectorRuntime:
    """A runtime on the real session whose retries record their waits instead of waiting."""
    return ConnectorRuntime(HttpClient(session, sleep=sleep))
