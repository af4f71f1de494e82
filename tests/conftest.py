"""Shared fixtures: a fresh database per test on SQLite, and on PostgreSQL when
HUB_TEST_POSTGRES_URL is set; plugins.toml files written for the test."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import URL, make_url

from hub.runtime import Hub
from hub.store.database import database_url

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


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    yield "asyncio"
