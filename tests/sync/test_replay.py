"""``hub sync --replay``: quarantined rows are read again with the current mapping; those that
now read are stored and marked ``replayed``, the others stay open with the new reason."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select
from sqlalchemy.engine import URL

from hub.cli import main
from hub.connector import ConnectorRuntime
from hub.records import Rejected
from hub.runtime import Hub
from hub.store import sync_state
from hub.store.models import QuarantineRow, SourceRecordRow
from hub.sync.engine import sync_connector
from hub.sync.replay import replay_quarantine
from tests.conftest import WriteConfig

ROWS = [
    "Code;Ref;Prénom;E-mail",
    "A1;R1;Amélie;amelie@example.fr",
    ";R2;Hélène;helene@example.fr",  # no Code: refused while Code is the id column
]


def csv_config(id_column: str) -> str:
    return f"""
[connectors.crm]
type = "file_import"
path = "crm.csv"
id_column = "{id_column}"

[connectors.crm.columns]
first_name = "Prénom"
email = "E-mail"
"""


@pytest.fixture
def crm_csv(tmp_path: Path) -> Path:
    path = tmp_path / "crm.csv"
    path.write_text("\n".join(ROWS), encoding="utf-8")
    return path


@pytest.fixture
async def runtime() -> AsyncIterator[ConnectorRuntime]:
    async with ConnectorRuntime.open() as runtime:
        yield runtime


async def open_hub(write_config: WriteConfig, id_column: str, url: URL) -> Hub:
    return await Hub.open(write_config(csv_config(id_column)), url=url)


async def quarantined(hub: Hub) -> list[QuarantineRow]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(QuarantineRow).order_by(QuarantineRow.id)))


async def replay_with(
    write_config: WriteConfig, id_column: str, url: URL, runtime: ConnectorRuntime
) -> tuple[int, int, list[QuarantineRow], dict[str, SourceRecordRow]]:
    """Replay the quarantine of ``crm`` with ``id_column`` as the mapping's id column."""
    hub = await open_hub(write_config, id_column, url)
    try:
        counts = await replay_quarantine(hub.connectors["crm"], hub.sessions, runtime)
        async with hub.sessions() as session:
            records = {row.source_id: row for row in await session.scalars(select(SourceRecordRow))}
        return counts.replayed, counts.still_failing, await quarantined(hub), records
    finally:
        await hub.close()


async def test_a_refused_row_is_replayed_once_the_mapping_is_fixed(
    db_url: URL, write_config: WriteConfig, crm_csv: Path, runtime: ConnectorRuntime
) -> None:
    hub = await open_hub(write_config, "Code", db_url)
    try:
        result = await sync_connector(hub.connectors["crm"], hub.sessions, runtime)
        [held] = await quarantined(hub)
    finally:
        await hub.close()
    assert (result.counts.inserted, result.counts.quarantined) == (1, 1)
    assert (held.stream, held.status, held.attempts) == ("customers", "open", 0)
    assert held.reason == "crm.csv line 3: no value in the id column 'Code'"

    replayed, failing, [held], records = await replay_with(write_config, "Fax", db_url, runtime)

    assert (replayed, failing) == (0, 1)
    assert (held.status, held.attempts, held.replayed_at) == ("open", 1, None)
    # The reason of this attempt, not the first one, at the row's line in the file.
    assert held.reason == "crm.csv line 3: no value in the id column 'Fax'"
    assert set(records) == {"A1"}

    replayed, failing, [held], records = await replay_with(write_config, "Ref", db_url, runtime)

    assert (replayed, failing) == (1, 0)
    assert (held.status, held.attempts) == ("replayed", 2)
    assert held.replayed_at is not None
    assert set(records) == {"A1", "R2"}
    assert records["R2"].person == {"first_name": "Hélène", "email": "helene@example.fr"}
    assert records["R2"].payload["E-mail"] == "helene@example.fr"

    replayed, failing, [held], records = await replay_with(write_config, "Ref", db_url, runtime)
    assert (replayed, failing) == (0, 0)  # a replayed row is not read a second time
    assert (held.status, held.attempts) == ("replayed", 2)


async def test_a_row_kept_without_its_line_is_replayed_with_no_line_in_the_reason(
    db_url: URL, write_config: WriteConfig, crm_csv: Path, runtime: ConnectorRuntime
) -> None:
    hub = await open_hub(write_config, "Code", db_url)
    try:
        async with hub.sessions.begin() as session:  # a refused row as kept by earlier versions
            old = Rejected(None, {"Code": "", "Prénom": "Hélène"}, "crm.csv line 3: no value")
            sync_state.quarantine(session, "crm", "customers", [old])
        counts = await replay_quarantine(hub.connectors["crm"], hub.sessions, runtime)
        [held] = await quarantined(hub)
    finally:
        await hub.close()

    assert (counts.replayed, counts.still_failing) == (0, 1)
    assert held.reason == "crm.csv: no value in the id column 'Code'"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite:///{path}")
    return path


def test_hub_sync_replay_prints_what_it_did_and_resolves_the_replayed_records(
    write_config: WriteConfig, crm_csv: Path, sqlite_url: Path
) -> None:
    config = str(write_config(csv_config("Code")))
    synced = run("sync", "--config", config)
    assert synced.exit_code == 0, synced.output
    assert "1 quarantined" in synced.stdout

    write_config(csv_config("Ref"))
    replayed = run("sync", "--replay", "--config", config, "--connector", "crm")

    assert replayed.exit_code == 0, replayed.output
    assert "crm: 1 replayed, 0 still failing, 0 failed webhooks queued again" in replayed.stdout
    assert "1 records resolved" in replayed.stdout
    again = run("sync", "--replay", "--config", config)
    assert again.exit_code == 0, again.output
    assert "crm: 0 replayed, 0 still failing" in again.stdout


def test_replay_and_full_together_are_a_usage_error_that_touches_no_database(
    write_config: WriteConfig, crm_csv: Path, sqlite_url: Path
) -> None:
    result = run("sync", "--replay", "--full", "--config", str(write_config(csv_config("Code"))))

    assert result.exit_code == 2, result.output
    assert "--replay and --full do not go together" in result.stderr
    assert "Traceback" not in result.output
    assert not sqlite_url.exists()


async def test_a_row_of_a_stream_the_connector_no_longer_has_stays_open_with_the_reason(
    hub: Hub, runtime: ConnectorRuntime
) -> None:
    async with hub.sessions.begin() as session:
        sync_state.quarantine(session, "crm", "orders", [Rejected("O1", {"id": "O1"}, "old")])

    counts = await replay_quarantine(hub.connectors["crm"], hub.sessions, runtime)

    assert (counts.replayed, counts.still_failing) == (0, 1)
    [held] = await quarantined(hub)
    assert (held.status, held.attempts) == ("open", 1)
    assert held.reason == "replay failed: LookupError: crm has no stream 'orders' any more"
