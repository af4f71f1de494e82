"""POS receipts: rows grouped into one record per store and receipt, customers and their cards,
guest cards, refunds, repeated lines, and other export layouts through the columns setting."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL

from hub.sync.engine import RunCounts
from tests.conftest import WriteConfig
from tests.connectors.pos_receipts_support import (
    GUEST,
    HEADER,
    activities,
    identifiers,
    lines_of,
    records,
    row,
    sync,
    tills_hub,
    write_export,
)


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
    assert set(stored) == {
        "PAR01:2026-11-23:1001",
        "LYO02:2026-11-23:1001",
        "PAR01:2026-11-23:1002",
    }
    member_receipt = stored["PAR01:2026-11-23:1001"]
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
    assert ids["PAR01:2026-11-23:1001"] == {
        ("loyalty_card", "2316370650843"),
        ("email", "amelie.durand@example.fr"),
        ("phone", "06 12 34 56 78"),
    }
    receipt = found["PAR01:2026-11-23:1001"]
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
    assert found["LYO02:2026-11-23:1001"].details["payment"] == "Espèces"
    assert found["LYO02:2026-11-23:1001"].details["register"] == "C2"


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
    assert ids == {"PAR01:2026-11-23:3": {("loyalty_card", "2316370650843")}}
    assert stored["PAR01:2026-11-23:1"].person == {} and stored["PAR01:2026-11-23:2"].person == {}
    assert stored["PAR01:2026-11-23:3"].person == {"brand": "lumiere", "country": "FR"}
    assert found["PAR01:2026-11-23:1"].details["loyalty_card"] is None
    assert (
        stored["PAR01:2026-11-23:1"].payload["rows"][0]["N° carte fidélité"] == GUEST
    )  # kept as received


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
    assert found["PAR01:2026-11-23:1"].amount_minor == -8900
    assert lines_of(found["PAR01:2026-11-23:1"]) == [("3612345000017", -1, 8900, -8900)]
    assert found["PAR01:2026-11-23:2"].amount_minor == 1510  # an exchange: one sold, one returned
    assert (
        found["BDX04:2026-11-23:3"].amount_minor == -12900
    )  # the flag makes positive figures a return
    assert lines_of(found["BDX04:2026-11-23:3"]) == [
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
    assert stored["NTE05:2026-11-23:T9"].person == {
        "email": "zoe@example.fr",
        "city": "Nantes",
        "brand": "lumiere",
        "country": "BE",
    }
    assert ids["NTE05:2026-11-23:T9"] == {
        ("loyalty_card", "9876543210987"),
        ("email", "zoe@example.fr"),
        ("source_customer_id", "tills:C-77"),
    }
