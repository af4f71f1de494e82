"""POS receipts: bad receipts and unreadable files go to quarantine naming the file, the line and
the column, while good receipts are stored."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.engine import URL

from hub.sync.engine import RunCounts
from tests.conftest import WriteConfig
from tests.connectors.pos_receipts_support import (
    quarantined,
    records,
    row,
    sync,
    tills_hub,
    write_export,
)


async def test_bad_receipts_go_to_quarantine_naming_file_line_and_column_and_good_ones_are_stored(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_export(
        tmp_path / "exports",
        "PAR01_20261123.csv",
        [
            row("1", 1),  # line 2: good
            row("2", 1),
            row("2", 2, total="12,9x"),  # line 4: a bad amount refuses receipt 2 as a whole
            row("3", 1, date="31/02/2026"),  # line 5
            row("", 1),  # line 6: no receipt number
            row("4", 1, receipt_total="45,80"),  # line 7: total does not match
            row("5", 1, time="14:65"),  # line 8
            "PAR01;C1;Nadia;6;1;23/11/2026",  # line 9: a broken row
            row("7", 1),  # line 10: good
        ],
    )
    async with tills_hub(db_url, write_config, page_size=3) as hub:
        result = await sync(hub)
        stored = await records(hub)
        bad = await quarantined(hub)
    assert result.status == "succeeded"
    assert set(stored) == {"PAR01:1", "PAR01:7"}
    assert result.counts == RunCounts(fetched=8, inserted=2, quarantined=6)
    reasons = {item.source_id: item.reason for item in bad}
    assert reasons["PAR01:2"] == (
        "PAR01_20261123.csv line 4 column 'Montant TTC': '12,9x' is not an amount"
    )
    assert reasons["PAR01:3"] == (
        "PAR01_20261123.csv line 5 column 'Date': '31/02/2026' is not a date that exists"
    )
    assert reasons["PAR01:4"] == (
        "PAR01_20261123.csv line 7 column 'Total ticket': the receipt total '45,80' (4580 minor "
        "units of EUR) does not match the sum of its line totals (1990 minor units)"
    )
    assert reasons["PAR01:5"] == (
        "PAR01_20261123.csv line 8 column 'Heure': '14:65' is not a time that exists"
    )
    orphans = [item for item in bad if item.source_id is None]
    assert [item.reason for item in orphans] == [
        "PAR01_20261123.csv line 6 column 'N° ticket': no receipt number",
        "PAR01_20261123.csv line 9: expected 19 columns, found 6",
    ]
    whole = json.loads(next(item.payload for item in bad if item.source_id == "PAR01:2"))
    assert [r["Montant TTC"] for r in whole["rows"]] == ["19,90", "12,9x"]  # both rows kept


async def test_a_receipt_number_reused_on_another_day_is_quarantined_not_merged(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    write_export(folder, "PAR01_20261123.csv", [row("0042", card="2316370650843"), row("0043")])
    write_export(folder, "PAR01_20261124.csv", [row("0042", date="24/11/2026", card="")])
    async with tills_hub(db_url, write_config) as hub:
        result = await sync(hub)
        [bad] = await quarantined(hub)
        assert set(await records(hub)) == {"PAR01:0043"}
    assert result.counts == RunCounts(fetched=2, inserted=1, quarantined=1)
    assert bad.reason == (
        "PAR01_20261124.csv line 2 column 'Date': line 1 of receipt PAR01:0042 again, with "
        "'24/11/2026' where PAR01_20261123.csv line 2 has '23/11/2026'"
    )
    assert [r["Date"] for r in json.loads(bad.payload)["rows"]] == ["23/11/2026", "24/11/2026"]


async def test_rows_of_one_receipt_dated_on_two_days_are_quarantined(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_export(
        tmp_path / "exports",
        "PAR01.csv",
        [row("0042", 1), row("0042", 2, date="24/11/2026"), row("0042", 3, date="")],
    )
    async with tills_hub(db_url, write_config) as hub:
        await sync(hub)
        [bad] = await quarantined(hub)
    assert bad.reason == (
        "PAR01.csv line 3 column 'Date': receipt PAR01:0042 is also dated 23/11/2026; "
        "a receipt number used on two days is two receipts"
    )


async def test_a_file_without_the_needed_columns_is_quarantined_and_other_files_are_read(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    write_export(folder, "a_stock.csv", ["3612345000017;12"], header="Code article;Stock")
    write_export(folder, "b_day.csv", [row("1")])
    async with tills_hub(db_url, write_config) as hub:
        result = await sync(hub)
        [bad] = await quarantined(hub)
        assert set(await records(hub)) == {"PAR01:1"}
    assert result.counts.quarantined == 1
    assert bad.reason.startswith("a_stock.csv: no column for receipt ('N° ticket'")
    assert "the header has ['Code article', 'Stock']" in bad.reason


async def test_a_declared_encoding_that_does_not_fit_quarantines_the_file(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_export(tmp_path / "exports", "a.csv", [row("1", title="Écharpe")], encoding="cp1252")
    async with tills_hub(db_url, write_config, encoding="utf-8") as hub:
        result = await sync(hub)
        [bad] = await quarantined(hub)
    assert result.counts == RunCounts(fetched=1, quarantined=1)
    assert bad.reason.startswith("a.csv: not utf-8:")
