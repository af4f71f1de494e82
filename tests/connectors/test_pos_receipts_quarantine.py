"""POS receipts: bad receipts and unreadable files go to quarantine naming the file, the line and
the column, while good receipts are stored."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.engine import URL

from hub.sync.engine import RunCounts
from tests.conftest import WriteConfig
from tests.connectors.pos_receipts_support import (
    activities,
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
    assert set(stored) == {"PAR01:2026-11-23:1", "PAR01:2026-11-23:7"}
    assert result.counts == RunCounts(fetched=8, inserted=2, quarantined=6)
    reasons = {item.source_id: item.reason for item in bad}
    assert reasons["PAR01:2026-11-23:2"] == (
        "PAR01_20261123.csv line 4 column 'Montant TTC': '12,9x' is not an amount"
    )
    assert reasons["PAR01:31/02/2026:3"] == (
        "PAR01_20261123.csv line 5 column 'Date': '31/02/2026' is not a date that exists"
    )
    assert reasons["PAR01:2026-11-23:4"] == (
        "PAR01_20261123.csv line 7 column 'Total ticket': the receipt total '45,80' (4580 minor "
        "units of EUR) does not match the sum of its line totals (1990 minor units)"
    )
    assert reasons["PAR01:2026-11-23:5"] == (
        "PAR01_20261123.csv line 8 column 'Heure': '14:65' is not a time that exists"
    )
    orphans = [item for item in bad if item.source_id is None]
    assert [item.reason for item in orphans] == [
        "PAR01_20261123.csv line 6 column 'N° ticket': no receipt number",
        "PAR01_20261123.csv line 9: expected 19 columns, found 6",
    ]
    whole = json.loads(next(item.payload for item in bad if item.source_id == "PAR01:2026-11-23:2"))
    assert [(r["file"], r["line"], r["cells"]["Montant TTC"]) for r in whole["rows"]] == [
        ("PAR01_20261123.csv", 3, "19,90"),
        ("PAR01_20261123.csv", 4, "12,9x"),
    ]  # both rows kept, with where they were read, for a replay


async def test_a_receipt_number_reused_on_a_later_day_is_another_receipt_across_runs(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    write_export(folder, "PAR01_20261123.csv", [row("0042", card="2316370650843"), row("0043")])
    async with tills_hub(db_url, write_config) as hub:
        await sync(hub)
        write_export(folder, "PAR01_20261124.csv", [row("0001", date="24/11/2026")])
        later = [row("0042", date="25/11/2026", unit="5,00", total="5,00")]
        write_export(folder, "PAR01_20261125.csv", later)
        result = await sync(hub)
        found = await activities(hub)
        assert await quarantined(hub) == []
    assert result.counts == RunCounts(fetched=2, inserted=2)
    first, reused = found["PAR01:2026-11-23:0042"], found["PAR01:2026-11-25:0042"]
    assert (first.amount_minor, first.details["loyalty_card"]) == (1990, "2316370650843")
    assert (reused.amount_minor, reused.details["loyalty_card"]) == (500, None)


async def test_a_receipt_number_on_two_days_of_one_export_is_two_receipts(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_export(
        tmp_path / "exports",
        "PAR01.csv",
        [
            row("0042", 1),
            row("0042", 2, date="24/11/2026"),
            row("0042", 3, date=""),  # the date on a receipt's first row only: continues 24/11
            row("0042", 1, date="24/11/2026"),  # line 1 of 24/11 is not line 1 of 23/11
        ],
    )
    async with tills_hub(db_url, write_config) as hub:
        result = await sync(hub)
        found = await activities(hub)
    assert result.counts == RunCounts(fetched=2, inserted=2)
    assert len(found["PAR01:2026-11-23:0042"].details["lines"]) == 1
    assert len(found["PAR01:2026-11-24:0042"].details["lines"]) == 3


async def test_one_line_of_one_receipt_read_twice_with_other_values_is_quarantined(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    write_export(folder, "PAR01_1.csv", [row("0042", 1)])
    write_export(folder, "PAR01_2.csv", [row("0042", 1, unit="9,90", total="9,90")])
    async with tills_hub(db_url, write_config) as hub:
        await sync(hub)
        [bad] = await quarantined(hub)
        assert await records(hub) == {}
    assert bad.reason == (
        "PAR01_2.csv line 2 column 'PU TTC': line 1 of receipt PAR01:2026-11-23:0042 again, "
        "with '9,90' where PAR01_1.csv line 2 has '19,90'"
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
        assert set(await records(hub)) == {"PAR01:2026-11-23:1"}
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
