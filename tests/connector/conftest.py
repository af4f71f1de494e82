"""What the connector tests share: a real client session and a sleep that only records."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest


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
