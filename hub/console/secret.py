"""The key that signs the console's session cookie.

``HUB_CONSOLE_SECRET`` sets it; without it the hub generates one the first time and keeps it
in the database, so every process serving that database (and every restart) signs alike and a
restart does not sign everybody out. The value is never logged or shown.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.errors import ConfigError
from hub.settings import Secret
from hub.store.models import HubSecretRow

SECRET_ENV = "HUB_CONSOLE_SECRET"  # noqa: S105 (the variable's name, not a secret)
SECRET_NAME = "console_session"  # noqa: S105 (the row's name)
MIN_LENGTH = 32


async def console_secret(sessions: async_sessionmaker[AsyncSession]) -> Secret:
    """The signing key: from the environment, else the one kept in the database (made once)."""
    configured = os.environ.get(SECRET_ENV)
    if configured is not None:
        if len(configured) < MIN_LENGTH:
            raise ConfigError(
                f"{SECRET_ENV} is too short: use at least {MIN_LENGTH} random characters"
            )
        return Secret(configured, f"${{{SECRET_ENV}}}")
    async with sessions() as session:
        row = await session.get(HubSecretRow, SECRET_NAME)
        if row is not None:
            return Secret(row.value, "the database")
        session.add(
            HubSecretRow(
                name=SECRET_NAME, value=secrets.token_urlsafe(48), created_at=datetime.now(UTC)
            )
        )
        try:
            await session.commit()
        except IntegrityError:  # another process made it first: use theirs
            await session.rollback()
    async with sessions() as session:
        row = await session.get(HubSecretRow, SECRET_NAME)
        assert row is not None
        return Secret(row.value, "the database")
