"""POS receipts: French formats, grouping rows into receipts, refunds, guest cards, quarantine and
settings, each through the sync engine into the store.

The helpers here (export rows, a hub on the test database, what the store holds) serve the other
``test_pos_receipts_*`` files too.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

import connectors.pos_receipts
from connectors.pos_receipts.formats import amount_minor, date_and_time, decimal_number
from hub.connector import ConnectorRuntime, RecordError
from hub.errors import ConfigError
from hub.runtime import Hub
from hub.store.models import ActivityRow, IdentifierRow, QuarantineRow, SourceRecordRow
from hub.sync.engine import RunCounts, SyncResult, sync_connector
from tests.conftest import WriteConfig

HEADER = (
    "Code magasin;Caisse;Caissier;N° ticket;N° ligne;Date;Heure;N° carte fidélité;Prénom;Nom;"
    "E-mail;Téléphone;Code article;Libellé;Qté;PU TTC;Montant TTC;Total ticket;Mode de paiement"
)
GUEST = "0000000000000"


def row(ticket: str, line: int | str = 1, **cells: str) -> str:
    """One line item of the default export layout; keyword arguments replace cells."""
    values = {
        "store": "PAR01",
        "register": "C1",
        "cashier": "Nadia",
        "date": "23/11/2026",
        "time": "14:05",
        "card": "",
        "first": "",
        "last": "",
        "email": "",
        "phone": "",
        "sku": "3612345000017",
        "title": "T-shirt coton bio",
        "qty": "1",
        "unit": "19,90",
        "total": "19,90",
        "receipt_total": "",
        "payment": "CB",
    }
    unknown = set(cells) - set(values)
    assert not unknown, f"unknown cells {unknown}"
    values.update(cells)
    ordered = [values["store"], values["register"], values["cashier"], ticket, str(line)]
    ordered += [values[k] for k in ("date", "time", "card", "first", "last", "email", "phone")]
    ordered += [values[k] for k in ("sku", "title", "qty", "unit", "total", "receipt_total")]
    return ";".join([*ordered, values["payment"]])


def write_export(
    folder: Path,
    name: str,
    rows: Iterable[str],
    *,
    header: str = HEADER,
    encoding: str = "utf-8-sig",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes("\r\n".join([header, *rows, ""]).encode(encoding))
    return path


def toml_table(name: str, settings: dict[str, Any]) -> str:
    """A ``[connectors.<name>]`` table; JSON string and array syntax is valid TOML here."""
    lines = [f"[connectors.{name}]", 'type = "pos_receipts"']
    columns = settings.pop("columns", None)
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in settings.items()]
    if columns:
        lines.append(f"[connectors.{name}.columns]")
        lines += [
            f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in columns.items()
        ]
    return "\n".join(lines) + "\n"


@asynccontextmanager
async def tills_hub(
    db_url: URL | None, write_config: WriteConfig, **settings: Any
) -> AsyncIterator[Hub]:
    """A hub with one instance ``tills`` reading the folder ``exports`` (or ``path``)."""
    settings.setdefault("path", "exports")
    settings.setdefault("guest_cards", [GUEST])
    settings.setdefault("brand", "lumiere")
    hub = await Hub.open(
        write_config(toml_table("tills", settings)),
        url=db_url,
        extra_plugins=(connectors.pos_receipts,),
    )
    try:
        yield hub
    finally:
        await hub.close()


async def sync(hub: Hub, instance: str = "tills", **options: Any) -> SyncResult:
    async with ConnectorRuntime.open() as runtime:
        return await sync_connector(hub.connectors[instance], hub.sessions, runtime, **options)


async def records(hub: Hub, instance: str = "tills") -> dict[str, SourceRecordRow]:
    async with hub.sessions() as session:
        rows = await session.scalars(
            select(SourceRecordRow).where(SourceRecordRow.connector == instance)
        )
        return {row.source_id: row for row in rows}


async def activities(hub: Hub) -> dict[str, ActivityRow]:
    async with hub.sessions() as session:
        return {row.source_id: row for row in await session.scalars(select(ActivityRow))}


async def identifiers(hub: Hub) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {}
    async with hub.sessions() as session:
        query = select(SourceRecordRow.source_id, IdentifierRow.kind, IdentifierRow.raw_value).join(
            IdentifierRow, IdentifierRow.record_id == SourceRecordRow.id
        )
        for source_id, kind, value in await session.execute(query):
            found.setdefault(source_id, set()).add((kind, value))
    return found


async def quarantined(hub: Hub) -> list[QuarantineRow]:
    async with hub.sessions() as session:
        return list(await session.scalars(select(QuarantineRow).order_by(QuarantineRow.id)))


def database_file_exists() -> bool:
    return Path("hub.db").exists()


def lines_of(activity: ActivityRow) -> list[tuple[Any, ...]]:
    return [
        (line["sku"], line["quantity"], line["unit_price_minor"], line["total_minor"])
        for line in activity.details["lines"]
    ]


# --- French number and date formats ------------------------------------------------------------


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
        receipt = (await activities(hub))["PAR01:1001"]
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
        "PAR01:1": datetime(2026, 11, 23, 13, 5, tzinfo=UTC),  # Paris in winter: UTC+1
        "PAR01:2": datetime(2026, 7, 15, 12, 5, tzinfo=UTC),  # in summer: UTC+2
        "PAR01:3": datetime(2026, 11, 23, 13, 5, 33, tzinfo=UTC),
        "PAR01:4": datetime(2026, 11, 22, 23, 0, tzinfo=UTC),  # no time: local midnight
    }
    assert stored["PAR01:3"].source_updated_at == found["PAR01:3"]


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


# --- Receipts: grouping, customers, refunds, guest cards ------------------------------------------


async def test_rows_are_grouped_by_store_and_receipt_into_one_record_each(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    member = {
        "card": "2316370650843",
        "first": "Amélie",
        "last": "DURAND",
        "email": "amelie.durand@example.fr",
        "phone": "06 12 34 56 78",
    }
    write_export(
        tmp_path / "exports",
        "day.csv",
        [
            row("1001", 1, **member, receipt_total="89,70"),
            row("1001", 2, **member, sku="3612345000031", qty="2", unit="34,90", total="69,80",
                receipt_total="89,70"),
            row("1001", 1, store="LYO02", register="C2", payment="Espèces"),  # same number
            row("1002", 1, register="C2", card=GUEST, payment="Sans contact"),
        ],
    )  # fmt: skip
    async with tills_hub(db_url, write_config, page_size=2) as hub:
        result = await sync(hub)
        stored = await records(hub)
        found = await activities(hub)
        ids = await identifiers(hub)
    assert result.counts == RunCounts(fetched=3, inserted=3)
    assert set(stored) == {"PAR01:1001", "LYO02:1001", "PAR01:1002"}
    member_receipt = stored["PAR01:1001"]
    assert member_receipt.entity == "receipt"
    assert [r["N° ligne"] for r in member_receipt.payload["rows"]] == ["1", "2"]
    assert member_receipt.payload["rows"][1]["Montant TTC"] == "69,80"  # as received
    assert member_receipt.person == {
        "first_name": "Amélie",
        "last_name": "DURAND",
        "email": "amelie.durand@example.fr",
        "phone": "06 12 34 56 78",
        "brand": "lumiere",
        "country": "FR",
    }
    assert ids["PAR01:1001"] == {
        ("loyalty_card", "2316370650843"),
        ("email", "amelie.durand@example.fr"),
        ("phone", "06 12 34 56 78"),
    }
    receipt = found["PAR01:1001"]
    assert (receipt.kind, receipt.amount_minor, receipt.currency) == ("receipt", 8970, "EUR")
    assert receipt.details == {
        "store": "PAR01",
        "register": "C1",
        "loyalty_card": "2316370650843",
        "lines": [
            {
                "sku": "3612345000017",
                "title": "T-shirt coton bio",
                "quantity": 1,
                "unit_price_minor": 1990,
                "total_minor": 1990,
            },
            {
                "sku": "3612345000031",
                "title": "T-shirt coton bio",
                "quantity": 2,
                "unit_price_minor": 3490,
                "total_minor": 6980,
            },
        ],
        "payment": "CB",
    }
    assert found["LYO02:1001"].details["payment"] == "Espèces"
    assert found["LYO02:1001"].details["register"] == "C2"


async def test_a_guest_card_is_never_an_identifier_and_anonymous_receipts_have_no_person(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    write_export(
        tmp_path / "exports",
        "day.csv",
        [row("1", card=GUEST), row("2", card=""), row("3", card=" 2316370650843 ")],
    )
    async with tills_hub(db_url, write_config) as hub:
        await sync(hub)
        stored = await records(hub)
        ids = await identifiers(hub)
        found = await activities(hub)
    assert ids == {"PAR01:3": {("loyalty_card", "2316370650843")}}
    assert stored["PAR01:1"].person == {} and stored["PAR01:2"].person == {}
    assert stored["PAR01:3"].person == {"brand": "lumiere", "country": "FR"}
    assert found["PAR01:1"].details["loyalty_card"] is None
    assert stored["PAR01:1"].payload["rows"][0]["N° carte fidélité"] == GUEST  # kept as received


async def test_refunds_as_negative_rows_or_a_refund_flag_come_out_negative(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    write_export(
        folder,
        "negative.csv",
        [
            row("1", 1, qty="-1", unit="89,00", total="-89,00", receipt_total="-89,00"),
            row("2", 1, qty="1", unit="35,00", total="35,00", receipt_total="15,10"),
            row("2", 2, qty="-1", unit="19,90", total="-19,90", receipt_total="15,10"),
        ],
    )
    flagged_header = HEADER + ";Retour"
    write_export(
        folder,
        "flagged.csv",
        [
            row("3", 1, store="BDX04", qty="1", unit="89,00", total="89,00",
                receipt_total="129,00") + ";O",
            row("3", 2, store="BDX04", qty="2", unit="20,00", total="40,00",
                receipt_total="129,00") + ";Oui",
        ],
        header=flagged_header,
    )  # fmt: skip
    async with tills_hub(db_url, write_config) as hub:
        result = await sync(hub)
        found = await activities(hub)
    assert result.counts.quarantined == 0
    assert found["PAR01:1"].amount_minor == -8900
    assert lines_of(found["PAR01:1"]) == [("3612345000017", -1, 8900, -8900)]
    assert found["PAR01:2"].amount_minor == 1510  # an exchange: one sold, one returned
    assert found["BDX04:3"].amount_minor == -12900  # the flag makes positive figures a return
    assert lines_of(found["BDX04:3"]) == [
        ("3612345000017", -1, 8900, -8900),
        ("3612345000017", -2, 2000, -4000),
    ]


async def test_a_line_written_twice_counts_once(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    line_two = row("1", 2, qty="2", unit="10,00", total="20,00", receipt_total="39,90")
    spaced = line_two.replace(";1;2;", ";1; 2 ;")
    assert spaced != line_two
    write_export(
        tmp_path / "exports",
        "day.csv",
        [row("1", 1, receipt_total="39,90"), line_two, line_two, spaced],
    )
    async with tills_hub(db_url, write_config) as hub:
        result = await sync(hub)
        [receipt] = (await activities(hub)).values()
        [stored] = (await records(hub)).values()
    assert result.counts == RunCounts(fetched=1, inserted=1)
    assert receipt.amount_minor == 3990
    assert len(receipt.details["lines"]) == len(stored.payload["rows"]) == 2


async def test_without_a_line_number_column_identical_rows_of_one_file_are_both_kept(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    header = HEADER.replace(";N° ligne", "")
    same = row("1", receipt_total="39,80").replace(";1;23/11", ";23/11")
    write_export(tmp_path / "exports", "day.csv", [same, same], header=header)
    async with tills_hub(db_url, write_config) as hub:
        await sync(hub)
        [receipt] = (await activities(hub)).values()
    assert receipt.amount_minor == 3980  # two identical T-shirts: two lines


async def test_a_unit_price_without_a_line_total_column_is_multiplied_by_the_quantity(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    header = "Ticket;Magasin;Date;Référence;Quantité;Prix unitaire;Devise"
    write_export(
        tmp_path / "exports",
        "day.csv",
        ["7;PAR01;23/11/2026 10:00;A1;3;2,50;EUR", "7;PAR01;23/11/2026 10:00;A2;1;0,99;EUR"],
        header=header,
        encoding="cp1252",
    )
    async with tills_hub(db_url, write_config) as hub:
        await sync(hub)
        [receipt] = (await activities(hub)).values()
    assert receipt.amount_minor == 849
    assert lines_of(receipt) == [("A1", 3, 250, 750), ("A2", 1, 99, 99)]


async def test_columns_setting_maps_other_headers_and_customer_fields(
    db_url: URL, write_config: WriteConfig, tmp_path: Path
) -> None:
    header = "Boutique;Ticket;Horodatage;Carte client;Mail;Client;Montant;Ville"
    write_export(
        tmp_path / "exports",
        "day.csv",
        ["NTE05;T9;23/11/2026 18:30;9876543210987;zoe@example.fr;C-77;42,00;Nantes"],
        header=header,
    )
    columns = {
        "store": "Boutique",
        "loyalty_card": "Carte client",
        "email": "Mail",
        "customer_id": "Client",
        "city": "Ville",
        "first_name": "",  # switched off: no such column, no default looked for
    }
    async with tills_hub(db_url, write_config, columns=columns, country="BE") as hub:
        await sync(hub)
        stored = await records(hub)
        ids = await identifiers(hub)
    assert stored["NTE05:T9"].person == {
        "email": "zoe@example.fr",
        "city": "Nantes",
        "brand": "lumiere",
        "country": "BE",
    }
    assert ids["NTE05:T9"] == {
        ("loyalty_card", "9876543210987"),
        ("email", "zoe@example.fr"),
        ("source_customer_id", "tills:C-77"),
    }


# --- Quarantine -----------------------------------------------------------------------------------


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


# --- Settings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"columns": {"shoe_size": "Pointure"}}, "key 'columns': unknown field 'shoe_size'"),
        ({"columns": {"receipt": ""}}, "key 'columns': field 'receipt' cannot be switched off"),
        ({"timezone": "Europe/Pariss"}, "key 'timezone': unknown time zone 'Europe/Pariss'"),
        ({"timezone": "../etc"}, "key 'timezone': unknown time zone '../etc'"),
        ({"currency": "EURO"}, "key 'currency': 'EURO' is not an ISO 4217 currency"),
        ({"encoding": "latin-9000"}, "key 'encoding': unknown encoding 'latin-9000'"),
        ({"delimiter": ";;"}, "key 'delimiter': ';;' is not one character"),
        ({"page_size": 0}, "key 'page_size': 0 is not a positive number"),
        ({"guest_cards": "0000"}, "key 'guest_cards': expected an array of strings"),
    ],
)
async def test_settings_errors_name_the_instance_and_the_key(
    write_config: WriteConfig, settings: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        async with tills_hub(None, write_config, **settings):
            pass  # pragma: no cover - the hub must not open
    assert "[connectors.tills]" in str(raised.value)
    assert message in str(raised.value)
    assert not database_file_exists()  # checked before the database is touched


async def test_a_missing_folder_fails_the_run_naming_the_instance(
    db_url: URL, write_config: WriteConfig
) -> None:
    async with tills_hub(db_url, write_config, path="nowhere") as hub:
        result = await sync(hub)
    assert result.status == "failed"
    assert result.error is not None and result.error.startswith("tills: ")
    assert "nowhere does not exist" in result.error
