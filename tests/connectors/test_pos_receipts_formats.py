"""POS receipts: French number and date formats (decimal commas, thousands spaces, euro signs,
day-first dates, local times), read in any encoding and stored as minor units and UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from connectors.pos_receipts.formats import amount_minor, date_and_time, decimal_number
from hub.connector import RecordError
from hub.sync.engine import RunCounts
from tests.conftest import WriteConfig
from tests.connectors.pos_receipts_support import (
    HEADER,
    activities,
    lines_of,
    records,
    row,
    sync,
    tills_hub,
    write_export,
)


@pytest.mark.parametrize(
    ("encoding", "space"),
    [("cp1252", "\u00a0"), ("utf-8-sig", "\u202f"), ("utf-8", " ")],
    ids=["windows-1252-nbsp", "utf-8-bom-narrow-nbsp", "utf-8-space"],
)
async def test_decimal_commas_thousands_spaces_and_euro_signs_in_any_encoding(
    db_url: URL, write_config: WriteConfig, tmp_path: Path, encoding: str, space: str
) -> None:
    write_export(
        tmp_path / "exports",
        "PAR01_20261123.csv",
        [
            row(
                "1001",
                1,
                title="Manteau cachemire",
                unit=f"1{space}299,00",
                total=f"1{space}299,00",
            ),
            row("1001", 2, title="Écharpe laine", qty="2", unit="35,00 €", total="70,00\u00a0€"),
            row("1001", 3, title="Chaussettes", qty="0,5", unit="12,90", total="6,45"),
            row(
                "1001", 4, title="Bonnet", unit="22", total="22,1", receipt_total=f"1{space}397,55"
            ),
        ],
        encoding=encoding,
    )
    async with tills_hub(db_url, write_config) as hub:
        result = await sync(hub)
        assert result.counts == RunCounts(fetched=1, inserted=1)
        receipt = (await activities(hub))["PAR01:2026-11-23:1001"]
    assert (receipt.amount_minor, receipt.currency) == (139755, "EUR")
    assert lines_of(receipt) == [
        ("3612345000017", 1, 129900, 129900),
        ("3612345000017", 2, 3500, 7000),
        ("3612345000017", 0.5, 1290, 645),
        ("3612345000017", 1, 2200, 2210),
    ]
    assert [line["title"] for line in receipt.details["lines"]][:2] == [
        "Manteau cachemire",
        "Écharpe laine",
    ]


async def test_a_date_and_time_pair_or_one_datetime_column_become_aware_utc(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    write_export(folder, "a.csv", [row("1", date="23/11/2026", time="14:05")])
    write_export(folder, "b.csv", [row("2", date="15/07/2026", time="14h05")])
    one_column = HEADER.replace(";Heure", "").replace(";Date;", ";Date/heure;")
    write_export(
        folder,
        "c.csv",
        [row("3", date="23/11/2026 14:05:33").replace(";14:05;", ";")],
        header=one_column,
    )
    write_export(folder, "d.csv", [row("4", date="2026-11-23", time="")])
    async with tills_hub(db_url, write_config) as hub:
        await sync(hub)
        found = {key: a.occurred_at for key, a in (await activities(hub)).items()}
        stored = await records(hub)
    assert found == {
        "PAR01:2026-11-23:1": datetime(2026, 11, 23, 13, 5, tzinfo=UTC),  # Paris in winter: UTC+1
        "PAR01:2026-07-15:2": datetime(2026, 7, 15, 12, 5, tzinfo=UTC),  # in summer: UTC+2
        "PAR01:2026-11-23:3": datetime(2026, 11, 23, 13, 5, 33, tzinfo=UTC),
        "PAR01:2026-11-23:4": datetime(2026, 11, 22, 23, 0, tzinfo=UTC),  # no time: local midnight
    }
    assert stored["PAR01:2026-11-23:3"].source_updated_at == found["PAR01:2026-11-23:3"]


async def test_the_timezone_setting_decides_the_offset(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_export(tmp_path / "exports", "a.csv", [row("1", date="23/11/2026", time="14:05")])
    async with tills_hub(db_url, write_config, timezone="America/Guadeloupe") as hub:
        await sync(hub)
        [receipt] = (await activities(hub)).values()
    assert receipt.occurred_at == datetime(2026, 11, 23, 18, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,90", Decimal("12.90")),
        ("1 234,50", Decimal("1234.50")),
        ("1\u00a0234,50\u00a0€", Decimal("1234.50")),
        ("€ 1\u202f234,50", Decimal("1234.50")),
        ("1.234,50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        ("12.90", Decimal("12.90")),
        ("-3,50", Decimal("-3.50")),
        ("3,50-", Decimal("-3.50")),
        ("(3,50)", Decimal("-3.50")),
        ("12 EUR", Decimal("12")),
    ],
)
def test_decimal_number_reads_what_french_tills_write(text: str, expected: Decimal) -> None:
    assert decimal_number(text) == expected


@pytest.mark.parametrize("text", ["12,9x", "", "-", "1,2,3", "12 $", "douze"])
def test_decimal_number_refuses_what_is_not_a_number(text: str) -> None:
    with pytest.raises(RecordError, match="is not a number"):
        decimal_number(text)


def test_an_amount_with_more_decimals_than_the_currency_is_refused() -> None:
    assert amount_minor("1 234,5", "EUR") == 123450
    assert amount_minor("1 234", "JPY") == 1234
    with pytest.raises(RecordError, match="more decimals than EUR allows"):
        amount_minor("12,905", "EUR")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("31/02/2026", "is not a date that exists"),
        ("23-11", "is not a date (DD/MM/YYYY)"),
        ("23/11/2026 25:00", "is not a time that exists"),
        ("23/11/2026 midi", "is not a time"),
        ("01/01/1850", "outside 1900 to 2100"),
    ],
)
def test_impossible_dates_are_refused(text: str, problem: str) -> None:
    with pytest.raises(RecordError, match=re.escape(problem)):
        date_and_time(text)
