"""Alembic environment: runs on the connection the hub hands over, or opens HUB_DATABASE_URL."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from hub.store.database import create_engine, database_url
from hub.store.models import Base
from hub.store.search_index import SearchTermRow  # noqa: F401  (its table in the metadata)

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_on_own_engine() -> None:
    engine = create_engine(database_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    asyncio.run(_run_on_own_engine())
