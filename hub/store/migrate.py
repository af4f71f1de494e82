"""Schema migrations: Alembic is the only way the hub's tables are made or changed.

The hub upgrades its database to the newest revision when it starts (`hub serve`, `hub sync`,
`hub demo`) and on `hub db upgrade`.
"""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.store.errors import translate_errors

SCRIPT_LOCATION = "hub.store:migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError("no migrations found")
    return head


async def current_revision(engine: AsyncEngine) -> str | None:
    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    with translate_errors("reading the schema revision"):
        async with engine.connect() as connection:
            return await connection.run_sync(read)


async def _run_command(
    engine: AsyncEngine, action: str, run_command: Callable[[Config], None]
) -> None:
    config = alembic_config()

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        run_command(config)

    with translate_errors(action):
        async with engine.begin() as connection:
            await connection.run_sync(run)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (by default the newest)."""
    await _run_command(
        engine, "upgrading the database schema", lambda c: command.upgrade(c, revision)
    )


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    await _run_command(
        engine, "downgrading the database schema", lambda c: command.downgrade(c, revision)
    )
