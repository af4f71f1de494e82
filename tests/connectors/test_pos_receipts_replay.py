"""POS receipts: ``hub sync --replay`` groups and maps quarantined receipts again with the
instance's current settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from hub.connector import ConnectorRuntime
from hub.sync.replay import ReplayCounts, replay_quarantine
from tests.conftest import WriteConfig
from tests.connectors.pos_receipts_support import (
    HEADER,
    quarantined,
    records,
    row,
    sync,
    tills_hub,
    write_export,
)


async def test_a_receipt_refused_under_a_wrong_columns_setting_is_stored_once_it_is_fixed(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_export(
        tmp_path / "exports",
        "PAR01_20261123.csv",
        [row("1", 1), row("1", 2, unit="5,00", total="5,00"), row("2", 1, total="12,9x")],
    )
    wrong = {"line_total": "Caissier"}  # meant "Montant TTC"
    async with tills_hub(db_url, write_config, columns=wrong) as hub:
        result = await sync(hub)
        before = await quarantined(hub)
    assert result.counts.quarantined == 2
    assert before[0].reason == (
        "PAR01_20261123.csv line 2 column 'Caissier': 'Nadia' is not an amount"
    )
    async with tills_hub(db_url, write_config) as hub, ConnectorRuntime.open() as runtime:
        counts = await replay_quarantine(hub.connectors["tills"], hub.sessions, runtime)
        stored = await records(hub)
        after = {item.source_id: item for item in await quarantined(hub)}
    assert counts == ReplayCounts(replayed=1, still_failing=1)
    assert set(stored) == {"PAR01:2026-11-23:1"}
    assert len(stored["PAR01:2026-11-23:1"].payload["rows"]) == 2
    fixed, broken = after["PAR01:2026-11-23:1"], after["PAR01:2026-11-23:2"]
    assert (fixed.status, fixed.attempts) == ("replayed", 1)
    assert (broken.status, broken.attempts) == ("open", 1)
    assert broken.reason == (
        "PAR01_20261123.csv line 4 column 'Montant TTC': '12,9x' is not an amount"
    )


async def test_a_payload_quarantined_before_rows_kept_their_file_still_replays(
    db_url: URL, write_config: WriteConfig
) -> None:
    cells = dict(zip(HEADER.split(";"), row("7").split(";"), strict=True))
    async with tills_hub(db_url, write_config) as hub, ConnectorRuntime.open() as runtime:
        connector = hub.connectors["tills"]
        page = await connector.replay("receipts", json.dumps({"rows": [cells]}), runtime)
        with pytest.raises(ValueError, match="fix the export file instead"):
            await connector.replay("receipts", "PAR01_20261123.csv", runtime)
    [record] = page.records
    assert (record.source_id, page.rejected) == ("PAR01:2026-11-23:7", ())
