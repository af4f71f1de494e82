"""Sync state: a page's transaction may commit without waiting for PostgreSQL's disk flush,
for that transaction only."""

from __future__ import annotations

from sqlalchemy import text

from hub.runtime import Hub
from hub.store import sync_state


async def test_a_page_commit_waits_for_no_flush_and_later_transactions_still_do(hub: Hub) -> None:
    async with hub.sessions.begin() as session:
        await sync_state.commit_without_waiting_for_flush(session)
        await sync_state.save_cursor(session, "shop", "orders", "page-2")
        if hub.database_url.get_backend_name() == "postgresql":
            assert await session.scalar(text("SHOW synchronous_commit")) == "off"
    async with hub.sessions.begin() as session:
        assert await sync_state.load_cursor(session, "shop", "orders") == "page-2"
        if hub.database_url.get_backend_name() == "postgresql":
            assert await session.scalar(text("SHOW synchronous_commit")) == "on"
