"""Shared fixtures: a fresh database per test on SQLite, and on PostgreSQL when
HUB_TEST_POSTGRES_URL is set; plugins.toml files written for the test."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import acme_hub_connector
import asyncpg
import pytest
from acme_hub_connector.sandbox import AcmeLoyaltySandbox
from sqlalchemy.engine import URL, make_url

from hub.access import Role
from hub.access.keys import create_key
from hub.connector import Connector
from hub.runtime import Hub
from hub.sandbox import Population, WebhookDelivery
from hub.store.database import database_url
from tests.hub_config import served_sandbox_hub

POSTGRES_ENV = "HUB_TEST_POSTGRES_URL"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Installed third-party plugins and the developer's own settings never leak into tests."""
    monkeypatch.setenv("HUB_NO_ENTRY_POINTS", "1")
    for name in ("HUB_CONFIG", "HUB_DATABASE_URL", "HUB_TRACE_HOOKS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def _postgres_admin_dsn() -> str:
    url = make_url(os.environ[POSTGRES_ENV])
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[URL]:
    """An empty database: an SQLite file, or a new PostgreSQL database dropped afterwards."""
    if request.param == "sqlite":
        yield database_url({"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}"})
        return
    if not os.environ.get(POSTGRES_ENV):
        pytest.skip(f"PostgreSQL run skipped: set {POSTGRES_ENV} (CI does)")
    name = f"hub_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_postgres_admin_dsn())
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield database_url({"HUB_DATABASE_URL": os.environ[POSTGRES_ENV]}).set(database=name)
    admin = await asyncpg.connect(_postgres_admin_dsn())
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


WriteConfig = Callable[[str], Path]


@pytest.fixture
def write_config(tmp_path: Path) -> WriteConfig:
    """Write a plugins.toml into the test's directory and return its path."""

    def write(text: str) -> Path:
        path = tmp_path / "plugins.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def customers_csv(tmp_path: Path) -> Path:
    """A small CRM export as French tools write it: semicolons, Windows-1252, accents."""
    path = tmp_path / "crm.csv"
    rows = [
        "Code;Prénom;Nom;E-mail;Téléphone;Ville",
        "A1;Amélie;Durand;amelie.durand@example.fr;06 12 34 56 78;Lyon",
        "A2;Hélène;Bœuf;helene.boeuf@example.fr;;Paris",
        "A3;Jean;Martin;;07 11 22 33 44;Nantes",
    ]
    path.write_bytes("\r\n".join(rows).encode("cp1252"))
    return path


CSV_CONNECTOR = """
[connectors.crm]
type = "file_import"
path = "crm.csv"
id_column = "Code"
brand = "maison"

[connectors.crm.columns]
first_name = "Prénom"
last_name = "Nom"
email = "E-mail"
phone = "Téléphone"
city = "Ville"
"""


@pytest.fixture
async def hub(db_url: URL, write_config: WriteConfig, customers_csv: Path) -> AsyncIterator[Hub]:
    """A hub with one file connector ('crm') over ``customers_csv``, on an upgraded database."""
    opened = await Hub.open(write_config(CSV_CONNECTOR), url=db_url)
    try:
        yield opened
    finally:
        await opened.close()


async def new_key(
    hub: Hub,
    role: Role = Role.ADMIN,
    *,
    name: str | None = None,
    brands: list[str] | None = None,
    personal_data: bool = True,
) -> str:
    """A new API key of ``hub`` (clear text), created as `hub keys create` does."""
    async with hub.sessions() as session:
        created = await create_key(
            session,
            name=name or f"test-{role.value}-{uuid.uuid4().hex[:8]}",
            role=role,
            brands=brands,
            personal_data=personal_data,
        )
    return created.key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
async def admin_key(hub: Hub) -> str:
    """An admin API key of ``hub``: /graphql refuses requests without a key."""
    return await new_key(hub, Role.ADMIN, name="test-admin")


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    yield "asyncio"


ACME_INSTANCE = "acme"
ACME_PLAIN_INSTANCE = "acme-plain"
"""An Acme instance configured without a webhook secret: it has no webhook endpoint."""


@dataclass
class AcmeSource:
    """The Acme Loyalty sandbox served on a free port, and a hub with an instance reading it."""

    sandbox: AcmeLoyaltySandbox
    base_url: str
    hub: Hub
    instance: str = ACME_INSTANCE

    @property
    def connector(self) -> Connector[Any]:
        return self.hub.connectors[self.instance]

    def delivery(self, member: Mapping[str, Any], topic: str = "member.updated") -> WebhookDelivery:
        """``member`` signed by the sandbox, as Acme would deliver it to the hub."""
        return self.sandbox.webhook(topic, member, target_url=f"/webhooks/{self.instance}")


@asynccontextmanager
async def open_acme(
    url: URL,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
    every_minutes: Mapping[str, float] | None = None,
) -> AsyncIterator[AcmeSource]:
    """Serve an Acme Loyalty sandbox and open a hub on ``url`` with the instances ``acme``
    (webhooks on) and ``acme-plain`` (no webhook secret) reading it. ``every_minutes`` gives
    instances a schedule."""
    sandbox = AcmeLoyaltySandbox(Population(24, seed=5))
    settings: dict[str, dict[str, Any]] = {
        ACME_INSTANCE: {},
        ACME_PLAIN_INSTANCE: {"webhook_secret": None},
    }
    for name, minutes in (every_minutes or {}).items():
        settings[name]["every_minutes"] = minutes
    async with served_sandbox_hub(
        sandbox, acme_hub_connector, url, write_config, monkeypatch, settings
    ) as (base_url, opened):
        yield AcmeSource(sandbox, base_url, opened)


@pytest.fixture
async def acme(
    db_url: URL, write_config: WriteConfig, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[AcmeSource]:
    """A hub (on ``db_url``) whose ``acme`` instance reads a served Acme Loyalty sandbox."""
    async with open_acme(db_url, write_config, monkeypatch) as source:
        yield source


@pytest.fixture
async def another_hub(acme: AcmeSource, db_url: URL) -> AsyncIterator[Hub]:
    """A second hub process on the same database and plugins.toml: its own engine and pool."""
    assert acme.hub.config.path is not None
    opened = await Hub.open(acme.hub.config.path, url=db_url, extra_plugins=(acme_hub_connector,))
    try:
        yield opened
    finally:
        await opened.close()


async def until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait up to 10 s for ``check`` to hold, for work done in the background."""
    try:
        async with asyncio.timeout(10):
            while True:
                if await check():
                    return
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None
