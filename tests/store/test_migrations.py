"""Alembic migrations are the only way the tables are made: they reach head, agree with the
models, go down to base and up again, and upgrading an up-to-date database changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, inspect, select
from sqlalchemy.engine import URL, Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.store import migrate
from hub.store.database import create_engine, session_factory
from hub.store.models import Base, SyncStateRow

MODEL_TABLES = set(Base.metadata.tables)


@pytest.fixture
async def engine(db_url: URL) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))


async def schema_differences(engine: AsyncEngine, metadata: MetaData) -> list[Any]:
    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))

    async with engine.connect() as connection:
        return await connection.run_sync(compare)


async def test_upgrading_an_empty_database_reaches_head(engine: AsyncEngine) -> None:
    assert await migrate.current_revision(engine) is None
    await migrate.upgrade(engine)
    assert await migrate.current_revision(engine) == migrate.head_revision()
    assert await table_names(engine) == MODEL_TABLES | {"alembic_version"}


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    await migrate.upgrade(engine)
    assert await schema_differences(engine, Base.metadata) == []


async def test_model_comparison_does_notice_a_difference(engine: AsyncEngine) -> None:
    """Guards the test above: a column the migrations lack must show up as a difference."""
    await migrate.upgrade(engine)
    changed = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["profile"].append_column(Column("shoe_size", Integer, nullable=True))
    differences = await schema_differences(engine, changed)
    assert [(d[0], d[3].name) for d in differences] == [("add_column", "shoe_size")]


async def test_downgrade_to_base_removes_the_tables_and_upgrade_rebuilds_them(
    engine: AsyncEngine,
) -> None:
    await migrate.upgrade(engine)
    await migrate.downgrade(engine, "base")
    assert await migrate.current_revision(engine) is None
    assert (await table_names(engine)) & MODEL_TABLES == set()
    await migrate.upgrade(engine)
    assert await migrate.current_revision(engine) == migrate.head_revision()
    assert await table_names(engine) >= MODEL_TABLES
    assert await schema_differences(engine, Base.metadata) == []


async def test_upgrading_twice_is_a_no_op_and_keeps_data(engine: AsyncEngine) -> None:
    await migrate.upgrade(engine)
    sessions = session_factory(engine)
    async with sessions.begin() as session:
        session.add(
            SyncStateRow(connector="crm", stream="customers", cursor="abc:3", updated_at=_now())
        )
    await migrate.upgrade(engine)
    assert await migrate.current_revision(engine) == migrate.head_revision()
    async with sessions() as session:
        cursors = (await session.scalars(select(SyncStateRow.cursor))).all()
    assert cursors == ["abc:3"]


def _now() -> datetime:
    return datetime.now(UTC)
