"""Fixtures of the identity tests: two synced file sources with one person in both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

from hub.connector import ConnectorRuntime
from hub.runtime import Hub
from hub.store.models import LinkRow, SourceRecordRow
from hub.sync.engine import sync_connector
from tests.conftest import CSV_CONNECTOR, WriteConfig

LOYALTY_CONNECTOR = """
[connectors.loyalty]
type = "file_import"
path = "loyalty.jsonl"
id_column = "member_id"

[connectors.loyalty.columns]
first_name = "given_name"
last_name = "family_name"
email = "email"
"""


@pytest.fixture
async def two_sources(
    db_url: URL, write_config: WriteConfig, customers_csv: Path, tmp_path: Path
) -> AsyncIterator[Hub]:
    """The CRM CSV plus a loyalty file holding Amélie under another spelling, and a person
    without e-mail; both synced, crm first."""
    (tmp_path / "loyalty.jsonl").write_text(
        '{"member_id": "L1", "given_name": "Amelie", "family_name": "DURAND",'
        ' "email": "  AMELIE.Durand@Example.FR "}\n'
        '{"member_id": "L2", "given_name": "Lucas", "family_name": "Bernard"}\n',
        encoding="utf-8",
    )
    hub = await Hub.open(write_config(CSV_CONNECTOR + LOYALTY_CONNECTOR), url=db_url)
    try:
        async with ConnectorRuntime.open() as runtime:
            for name in ("crm", "loyalty"):
                await sync_connector(hub.connectors[name], hub.sessions, runtime)
        yield hub
    finally:
        await hub.close()


async def links_by_source(hub: Hub) -> dict[str, LinkRow]:
    """``{"<connector>:<source id>": link}`` for every linked record."""
    async with hub.sessions() as session:
        rows = await session.execute(
            select(SourceRecordRow.connector, SourceRecordRow.source_id, LinkRow).join(
                LinkRow, LinkRow.record_id == SourceRecordRow.id
            )
        )
        return {f"{connector}:{source_id}": link for connector, source_id, link in rows}
