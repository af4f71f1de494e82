"""Which database, and the async engine for it.

``HUB_DATABASE_URL`` selects the database; the default is an SQLite file ``hub.db`` in the
working directory, so the hub runs with no server. Plain ``postgresql://`` and ``sqlite:///``
URLs are given their async drivers (asyncpg, aiosqlite).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession

from hub.errors import ConfigError
from hub.store.errors import StoreUnavailable
from hub.store.json_columns import serialise_json

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///hub.db"
_ASYNC_DRIVERS = {
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
}


def database_url(env: Mapping[str, str] | None = None) -> URL:
    """The database URL from ``HUB_DATABASE_URL`` (or the default), with an async driver."""
    raw = (os.environ if env is None else env).get("HUB_DATABASE_URL") or DEFAULT_DATABASE_URL
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError(
            "HUB_DATABASE_URL is not a database URL; expected e.g. "
            "sqlite+aiosqlite:///hub.db or postgresql+asyncpg://user:password@host/db"
        ) from None
    driver = _ASYNC_DRIVERS.get(url.drivername, url.drivername)
    if driver not in ("postgresql+asyncpg", "sqlite+aiosqlite"):
        raise ConfigError(
            f"HUB_DATABASE_URL uses {url.drivername!r}; the hub runs on sqlite+aiosqlite "
            "or postgresql+asyncpg"
        )
    return url.set(drivername=driver)


def describe(url: URL) -> str:
    """The URL as it may be shown to a person: the password is hidden."""
    return url.render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets the server read while a sync writes.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL syncs at checkpoints instead of at every commit (one per page): a
    # power cut may lose the last pages, each with its cursor, never half of one.
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A sync commits every page, and each page dirties index pages all over the identifier
    # index: with the default checkpoint every 1,000 WAL pages (4 MiB), nearly every commit
    # was followed by a checkpoint, its two fsyncs and the same index pages written back
    # again. A checkpoint every 10,000 pages (40 MiB) writes each page once for many commits.
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_engine(url: URL) -> AsyncEngine:
    """The engine for ``url``; an SQLite file whose directory is missing is refused up front
    (the driver would fail later with a thread error instead of a message)."""
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            folder = Path(url.database).expanduser().absolute().parent
            if not folder.is_dir():
                raise StoreUnavailable(
                    f"{describe(url)}: the folder {folder} does not exist; create it or "
                    "set HUB_DATABASE_URL to another file"
                )
        engine = create_async_engine(url, json_serializer=serialise_json)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url, json_serializer=serialise_json, pool_pre_ping=True, pool_size=10, max_overflow=10
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
