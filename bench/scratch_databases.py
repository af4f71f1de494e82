"""A fresh, empty database for every measured run: a new SQLite file, or a new PostgreSQL database
created beside the server's own and dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import URL

from hub.store.database import database_url


def asyncpg_dsn(url: URL) -> str:
    """A ``postgresql+asyncpg://`` URL as the plain DSN asyncpg itself accepts."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def fresh_database(
    backend: str, scratch: Path, postgres_url: str | None
) -> AsyncIterator[URL]:
    """An empty database of ``backend``, as a URL with the hub's async driver."""
    name = f"hub_bench_{uuid.uuid4().hex[:12]}"
    if backend == "sqlite":
        yield database_url({"HUB_DATABASE_URL": f"sqlite:///{scratch / (name + '.db')}"})
        return
    if postgres_url is None:
        raise ValueError("a PostgreSQL run needs --postgres-url")
    server = database_url({"HUB_DATABASE_URL": postgres_url})
    admin = await asyncpg.connect(asyncpg_dsn(server))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield server.set(database=name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def sqlite_path(url: URL) -> Path:
    return Path(url.database or "")
