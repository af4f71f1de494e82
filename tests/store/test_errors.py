"""Driver errors become hub exceptions at the store boundary, without secrets or personal data."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy.engine import make_url

from hub.errors import HubError
from hub.runtime import Hub
from hub.store import migrate
from hub.store.database import create_engine
from hub.store.errors import ConflictError, StoreBusy, StoreUnavailable, translate_errors
from hub.store.models import IdentifierRow, SourceRecordRow

PASSWORD = "s3cret-Pa55"
UNREACHABLE = f"postgresql+asyncpg://hub:{PASSWORD}@127.0.0.1:1/nothing"


async def _upgrade(url: str) -> None:
    engine = create_engine(make_url(url))
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


async def _open_hub(url: str) -> None:
    hub = await Hub.open(url=make_url(url))
    await hub.close()  # pragma: no cover - opening must fail


Opener = Callable[[str], Awaitable[None]]
OPENERS = [pytest.param(_upgrade, id="migrate-upgrade"), pytest.param(_open_hub, id="hub-open")]


@pytest.mark.parametrize("open_database", OPENERS)
async def test_unreachable_postgres_is_store_unavailable_without_the_password(
    open_database: Opener,
) -> None:
    with pytest.raises(StoreUnavailable) as raised:
        await open_database(UNREACHABLE)
    message = str(raised.value)
    assert "database unavailable" in message
    assert PASSWORD not in message
    assert raised.value.__cause__ is None  # the driver error is not chained into tracebacks
    assert raised.value.__suppress_context__


async def test_unreachable_database_from_the_environment_is_store_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", f"postgresql://hub:{PASSWORD}@127.0.0.1:1/nothing")
    with pytest.raises(StoreUnavailable) as raised:
        await Hub.open()
    assert PASSWORD not in str(raised.value)


@pytest.mark.parametrize("open_database", OPENERS)
async def test_sqlite_file_in_a_missing_directory_is_store_unavailable(
    open_database: Opener, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-dir" / "hub.db"
    # Refused before the driver runs: aiosqlite would otherwise leave a thread failing with
    # "Event loop is closed" after the message (omnilib/aiosqlite#389).
    with pytest.raises(StoreUnavailable, match="no-such-dir does not exist"):
        await open_database(f"sqlite+aiosqlite:///{missing}")
    assert not missing.parent.exists()


def _record(source_id: str) -> SourceRecordRow:
    now = datetime.now(UTC)
    return SourceRecordRow(
        connector="crm",
        entity="customer",
        source_id=source_id,
        payload={"email": "amelie.durand@example.fr"},
        person={},
        content_hash="0" * 64,
        first_seen_at=now,
        last_seen_at=now,
        changed_at=now,
    )


async def test_uniqueness_violation_becomes_conflict_error(hub: Hub) -> None:
    with pytest.raises(ConflictError) as raised, translate_errors("saving page 1 of crm/customers"):
        async with hub.sessions.begin() as session:
            session.add(_record("CUST-4242"))
            await session.flush()
            session.add(_record("CUST-4242"))
    message = str(raised.value)
    assert message.startswith("saving page 1 of crm/customers: ")
    assert "unique" in message.lower()
    # Only the driver's first line: neither the key values nor the SQL parameters.
    assert "CUST-4242" not in message
    assert "amelie.durand@example.fr" not in message
    async with hub.sessions() as session:
        assert await session.get(SourceRecordRow, 1) is None  # the transaction rolled back


async def test_foreign_key_violation_becomes_conflict_error(hub: Hub) -> None:
    with (
        pytest.raises(ConflictError, match=r"(?i)^saving identifiers: .*foreign key"),
        translate_errors("saving identifiers"),
    ):
        async with hub.sessions.begin() as session:
            session.add(IdentifierRow(record_id=999, kind="email", raw_value="a@b.fr"))


def test_errors_outside_the_database_pass_through_translate_errors() -> None:
    with pytest.raises(KeyError), translate_errors("reading"):
        raise KeyError("not a database error")
    assert issubclass(StoreUnavailable, HubError)
    assert issubclass(ConflictError, HubError)


@pytest.mark.postgres
async def test_a_refused_postgres_login_is_store_unavailable_without_the_password() -> None:
    if not os.environ.get("HUB_TEST_POSTGRES_URL"):
        pytest.skip("PostgreSQL run skipped: set HUB_TEST_POSTGRES_URL (CI does)")
    url = make_url(os.environ["HUB_TEST_POSTGRES_URL"]).set(username="nobody", password=PASSWORD)
    engine = create_engine(url)
    try:
        with pytest.raises(StoreUnavailable) as raised:
            await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    assert PASSWORD not in str(raised.value)


def test_a_locked_sqlite_database_is_busy_not_unavailable(tmp_path: Path) -> None:
    """Another writer holding the file is a reason to try again, not a broken database."""
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("create table t (x)")
    holder.execute("begin immediate")  # holds the write lock
    engine = sqlalchemy.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    try:
        busy = pytest.raises(StoreBusy, match=r"saving: database busy: database is locked")
        with busy, translate_errors("saving"), engine.begin() as connection:
            connection.execute(sqlalchemy.text("insert into t values (1)"))
    finally:
        engine.dispose()
        holder.execute("rollback")
        holder.close()
