"""The file-import connector: decoding, delimiters, rejected rows, column mapping, cursors."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL

from connectors.file_import.connector import FileImportConnector, FileImportSettings
from connectors.file_import.reading import detect_delimiter
from hub.connector import ConnectorRuntime
from hub.errors import ConfigError
from hub.records import Identifier, IdentifierKind, Page
from hub.runtime import Hub
from hub.store import sync_state
from hub.store.models import QuarantineRow, SourceRecordRow
from hub.sync.engine import RunCounts, sync_connector
from tests.conftest import CSV_CONNECTOR, WriteConfig

EMAIL, PHONE, CARD = IdentifierKind.EMAIL, IdentifierKind.PHONE, IdentifierKind.LOYALTY_CARD


@pytest.fixture
async def runtime() -> AsyncIterator[ConnectorRuntime]:
    async with ConnectorRuntime.open() as runtime:
        yield runtime


def file_connector(path: Path, instance: str = "crm", **settings: Any) -> FileImportConnector:
    settings.setdefault("id_column", "id")
    return FileImportConnector(instance, FileImportSettings(path=path, **settings))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def database_file_exists() -> bool:
    return Path("hub.db").exists()


def edit_cp1252(path: Path, old: str, new: str, append: str = "") -> None:
    """Edit a Windows-1252 CSV in place, optionally adding a row at the end."""
    text = path.read_bytes().decode("cp1252").replace(old, new)
    path.write_bytes((text + (f"\r\n{append}" if append else "")).encode("cp1252"))


async def read_pages(
    connector: FileImportConnector, runtime: ConnectorRuntime, cursor: str | None = None
) -> list[Page]:
    [stream] = connector.streams(runtime)
    return [page async for page in stream.pages(cursor)]


async def read_one_page(connector: FileImportConnector, runtime: ConnectorRuntime) -> Page:
    [page] = await read_pages(connector, runtime)
    return page


@pytest.mark.parametrize("delimiter", [";", ",", "\t"], ids=["semicolon", "comma", "tab"])
async def test_the_delimiter_is_detected(
    tmp_path: Path, runtime: ConnectorRuntime, delimiter: str
) -> None:
    rows = [
        ("id", "first", "email", "city"),
        ("1", "Ann", "ann@example.com", "Paris"),
        ("2", "Bob Lee", "bob@example.com", "Saint-Étienne"),
    ]
    path = tmp_path / "people.csv"
    path.write_text("\n".join(delimiter.join(row) for row in rows), encoding="utf-8")
    connector = file_connector(path, columns={"first_name": "first", "city": "city"})
    page = await read_one_page(connector, runtime)
    assert page.rejected == ()
    assert [r.payload for r in page.records] == [
        dict(zip(rows[0], row, strict=True)) for row in rows[1:]
    ]
    assert page.records[1].person == {"first_name": "Bob Lee", "city": "Saint-Étienne"}


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"], ids=["windows-1252", "utf-8-bom"])
async def test_windows_1252_and_utf8_with_bom_are_decoded(
    tmp_path: Path, runtime: ConnectorRuntime, encoding: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("Code;Prénom;Ville\r\nA1;Amélie;Besançon\r\n".encode(encoding))
    connector = file_connector(
        path, id_column="Code", columns={"first_name": "Prénom", "city": "Ville"}
    )
    page = await read_one_page(connector, runtime)
    assert page.rejected == ()  # with the BOM kept, "Code" would not be found
    [record] = page.records
    assert record.source_id == "A1"
    assert record.person == {"first_name": "Amélie", "city": "Besançon"}


async def test_a_csv_row_with_the_wrong_number_of_columns_is_rejected(
    tmp_path: Path, runtime: ConnectorRuntime
) -> None:
    path = tmp_path / "data.csv"
    path.write_text("id,first,email\n1,Ann,a@x.fr\n2,Bob,b@x.fr,extra\n3,Cy,c@x.fr\n")
    page = await read_one_page(file_connector(path), runtime)
    assert [r.source_id for r in page.records] == ["1", "3"]
    [rejected] = page.rejected
    assert rejected.reason == "data.csv line 3: expected 3 columns, found 4"
    assert rejected.source_id is None
    assert isinstance(rejected.payload, str)
    assert "extra" in rejected.payload


async def test_a_row_without_an_id_is_rejected(tmp_path: Path, runtime: ConnectorRuntime) -> None:
    path = tmp_path / "data.csv"
    path.write_text("id,first\n  ,Ann\n 2 ,Bob\n")
    page = await read_one_page(file_connector(path), runtime)
    assert [r.source_id for r in page.records] == ["2"]
    [rejected] = page.rejected
    assert rejected.reason == "data.csv line 2: no value in the id column 'id'"
    assert rejected.payload == {"line": 2, "values": {"id": "  ", "first": "Ann"}}


async def test_columns_map_to_person_fields_and_identifiers(
    tmp_path: Path, runtime: ConnectorRuntime
) -> None:
    path = tmp_path / "crm.csv"
    path.write_text(
        "N°;Prénom;Nom;E-mail;Tél;Carte;Ville\n"
        "C-1;Amélie;Durand; Amelie@Example.fr ;06 12 34 56 78;FID-1;Lyon\n"
        "C-2;Jean;Martin;jean@example.fr;;;\n"
    )
    columns = {
        "first_name": "Prénom",
        "last_name": "Nom",
        "email": "E-mail",
        "phone": "Tél",
        "loyalty_card": "Carte",
        "city": "Ville",
    }
    page = await read_one_page(
        file_connector(path, "crm", id_column="N°", columns=columns), runtime
    )
    first, second = page.records
    assert first.entity == "customer"
    assert first.person == {
        "first_name": "Amélie",
        "last_name": "Durand",
        "email": "Amelie@Example.fr",
        "phone": "06 12 34 56 78",
        "city": "Lyon",
    }
    assert set(first.identifiers) == {
        Identifier(IdentifierKind.SOURCE_CUSTOMER_ID, "crm:C-1"),
        Identifier(EMAIL, "Amelie@Example.fr"),
        Identifier(PHONE, "06 12 34 56 78"),
        Identifier(CARD, "FID-1"),
    }
    assert first.payload["E-mail"] == " Amelie@Example.fr "  # the payload is kept as received
    assert second.person == {
        "first_name": "Jean",
        "last_name": "Martin",
        "email": "jean@example.fr",
    }
    assert {i.kind for i in second.identifiers} == {IdentifierKind.SOURCE_CUSTOMER_ID, EMAIL}


async def test_brand_and_country_defaults_fill_only_missing_values(
    tmp_path: Path, runtime: ConnectorRuntime
) -> None:
    path = tmp_path / "shops.csv"
    path.write_text("id;Pays;Enseigne\n1;BE;outlet\n2;;\n")
    connector = file_connector(
        path, columns={"country": "Pays", "brand": "Enseigne"}, brand="maison", country="FR"
    )
    page = await read_one_page(connector, runtime)
    assert [r.person for r in page.records] == [
        {"country": "BE", "brand": "outlet"},
        {"country": "FR", "brand": "maison"},
    ]


async def test_an_unknown_mapped_field_is_a_config_error_naming_columns(
    write_config: WriteConfig, customers_csv: Path
) -> None:
    config = write_config(CSV_CONNECTOR + 'shoe_size = "Pointure"\n')
    with pytest.raises(ConfigError) as raised:
        await Hub.open(config)
    message = str(raised.value)
    assert "[connectors.crm] key 'columns'" in message
    assert "'shoe_size'" in message
    assert not database_file_exists()  # configuration is checked before the database


@pytest.fixture
async def jsonl_hub(db_url: URL, write_config: WriteConfig) -> AsyncIterator[Hub]:
    config = write_config(
        '[connectors.loyalty]\ntype = "file_import"\npath = "loyalty.jsonl"\n'
        'id_column = "member_id"\n[connectors.loyalty.columns]\nfirst_name = "given_name"\n'
    )
    hub = await Hub.open(config, url=db_url)
    try:
        yield hub
    finally:
        await hub.close()


async def test_a_malformed_jsonl_line_is_quarantined_and_good_lines_kept(
    jsonl_hub: Hub, tmp_path: Path, runtime: ConnectorRuntime
) -> None:
    (tmp_path / "loyalty.jsonl").write_text(
        '{"member_id": "L1", "given_name": "Amélie", "points": 120}\n'
        '{"member_id": "L2", "given_name": "Jean"\n'
        "\n"
        '{"member_id": 3, "given_name": "Zoé"}\n',
        encoding="utf-8",
    )
    result = await sync_connector(jsonl_hub.connectors["loyalty"], jsonl_hub.sessions, runtime)
    assert result.counts == RunCounts(fetched=3, inserted=2, quarantined=1)
    async with jsonl_hub.sessions() as session:
        [bad] = (await session.scalars(select(QuarantineRow))).all()
        records = await session.scalars(select(SourceRecordRow).order_by(SourceRecordRow.id))
        stored = [(r.source_id, r.person["first_name"], r.payload) for r in records]
    assert bad.reason.startswith("loyalty.jsonl line 2: not valid JSON")
    assert bad.payload == '{"member_id": "L2", "given_name": "Jean"'
    assert stored == [
        ("L1", "Amélie", {"member_id": "L1", "given_name": "Amélie", "points": 120}),
        ("3", "Zoé", {"member_id": 3, "given_name": "Zoé"}),
    ]


async def test_reimporting_the_same_file_fetches_nothing(
    hub: Hub, customers_csv: Path, runtime: ConnectorRuntime
) -> None:
    crm = hub.connectors["crm"]
    await sync_connector(crm, hub.sessions, runtime)
    again = await sync_connector(crm, hub.sessions, runtime)
    assert (again.status, again.counts) == ("succeeded", RunCounts())
    async with hub.sessions() as session:
        cursor = await sync_state.load_cursor(session, "crm", "customers")
    assert cursor == f"{sha256_of(customers_csv)}:3"


async def test_a_changed_file_is_reread_and_only_changed_rows_update(
    hub: Hub, customers_csv: Path, runtime: ConnectorRuntime
) -> None:
    crm = hub.connectors["crm"]
    await sync_connector(crm, hub.sessions, runtime)
    edit_cp1252(
        customers_csv, ";Paris", ";Marseille", append="A4;Zoé;Petit;zoe.petit@example.fr;;Nice"
    )
    result = await sync_connector(crm, hub.sessions, runtime)
    assert result.counts == RunCounts(fetched=4, inserted=1, updated=1, unchanged=2)
    async with hub.sessions() as session:
        rows = await session.scalars(select(SourceRecordRow).order_by(SourceRecordRow.source_id))
        cities = {row.source_id: row.person["city"] for row in rows}
    assert cities == {"A1": "Lyon", "A2": "Marseille", "A3": "Nantes", "A4": "Nice"}


async def test_page_size_splits_pages_and_a_cursor_resumes_after_committed_rows(
    tmp_path: Path, runtime: ConnectorRuntime
) -> None:
    path = tmp_path / "data.csv"
    path.write_text("id,first\n1,Ann\n,Nobody\n3,Cy\n4,Dee\n5,Eve\n")
    digest = sha256_of(path)
    connector = file_connector(path, page_size=2)

    def summary(pages: list[Page]) -> list[tuple[list[str], int, str | None]]:
        return [([r.source_id for r in p.records], len(p.rejected), p.cursor) for p in pages]

    pages = await read_pages(connector, runtime)
    assert summary(pages) == [
        (["1"], 1, f"{digest}:2"),  # a rejected row counts towards the page and the cursor
        (["3", "4"], 0, f"{digest}:4"),
        (["5"], 0, f"{digest}:5"),
    ]
    resumed = await read_pages(connector, runtime, cursor=pages[0].cursor)
    assert summary(resumed) == summary(pages[1:])
    assert await read_pages(connector, runtime, cursor=pages[-1].cursor) == []
    other_file = await read_pages(connector, runtime, cursor=f"{'0' * 64}:4")
    assert summary(other_file) == summary(pages)  # a cursor of another file starts over


def test_a_comma_inside_a_column_name_does_not_fool_delimiter_detection() -> None:
    text = (
        "Nom, Prénom;E-mail;Ville\n"
        "Durand, Amélie;a@example.fr;Lyon\n"
        "Martin, Jean;j@example.fr;Nantes\n"
    )
    assert detect_delimiter(text) == ";"
