"""One database session for the reads of one GraphQL operation.

A customer's fields are read by several DataLoader batches and a lookup; opening a session for
each costs a pool checkout and a rollback apiece (on SQLite, each a trip to the driver's thread),
about as much as the statements themselves. The operation's reads share one session instead,
opened on first use and closed when the operation ends (:class:`CloseReads`). Readers are lent
its connection, not the session: the batches run Core statements, and a connection runs them
without the ORM's execution steps (a tenth of a statement's time on SQLite). Batches of one
tick take turns on it: a connection runs one statement at a time.

The shared session only reads, outside any explicit transaction: on SQLite no transaction is
open between statements, on PostgreSQL each statement of READ COMMITTED sees what was committed
before it, so a read after a mutation's own (separately committed) write sees that write.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker
from strawberry.extensions import SchemaExtension


class SharedReads:
    """The operation's read session, opened lazily, its connection lent to one reader at a
    time."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self._turn = asyncio.Lock()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        async with self._turn:
            if self._session is None:
                self._session = self._sessions()
            yield await self._session.connection()

    async def close(self) -> None:
        """Give the connection back; a later read opens another session."""
        async with self._turn:
            session, self._session = self._session, None
            if session is not None:
                await session.close()


class CloseReads(SchemaExtension):
    """Closes the operation's :class:`SharedReads` once its result is complete."""

    async def on_operation(self) -> AsyncIterator[None]:
        try:
            yield
        finally:
            reads = getattr(self.execution_context.context, "reads", None)
            if isinstance(reads, SharedReads):
                await reads.close()
