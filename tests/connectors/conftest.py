"""What the connector tests share: the module's ``sandbox`` fixture, served."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hub.sandbox import Sandbox, serve


@pytest.fixture
async def base_url(sandbox: Sandbox) -> AsyncIterator[str]:
    """The test module's ``sandbox`` served on a free port, for as long as the test runs."""
    async with serve(sandbox.create_app()) as url:
        yield url
