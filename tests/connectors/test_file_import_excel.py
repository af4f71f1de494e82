"""The file-import connector on Excel workbooks, and unmapped columns kept as attributes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from connectors.file_import.connector import FileImportConnector, FileImportSettings
from hub.connector import ConnectorRuntime
from hub.errors import ConfigError, ConnectorError
from hub.records import Identifier, IdentifierKind, Page

COLUMNS = {"first_name": "Prénom", "last_name": "Nom", "email": "E-mail", "birth_date": "Né le"}


@pytest.fixture
async def runtime() -> AsyncIterator[ConnectorRuntime]:
    async with ConnectorRuntime.open() as runtime:
        yield runtime


def workbook(path: Path, rows: list[list[Any]], sheet: str = "Clients") -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Notes"
    first.append(["not the customers"])
    customers = book.create_sheet(sheet)
    for row in rows:
        customers.append(row)
    book.save(path)
    return path


def connector(path: Path, **settings: Any) -> FileImportConnector:
    settings = {"id_column": "N° client", "columns": COLUMNS, "sheet": "Clients", **settings}
    return FileImportConnector("crm", FileImportSettings(path=path, **settings))


async def pages_of(source: FileImportConnector, runtime: ConnectorRuntime) -> list[Page]:
    [stream] = source.streams(runtime)
    return [page async for page in stream.pages(None)]


HEADER = ["N° client", "Prénom", "Nom", "E-mail", "Né le", "Segment", "Magasin"]


async def test_an_excel_sheet_is_read_with_dates_numbers_and_attributes(
    tmp_path: Path, runtime: ConnectorRuntime
) -> None:
    path = workbook(
        tmp_path / "clients.xlsx",
        [
            HEADER,
            [1007, "Amélie", "Durand", "amelie@example.fr", datetime(1984, 3, 2), "VIP", None],
            [None, None, None, None, None, None, None],  # blank rows are skipped
            ["C-2", "Jean", "Martin", None, date(1990, 12, 31), None, "Lyon"],
        ],
    )
    [page] = await pages_of(connector(path), runtime)
    first, second = page.records
    assert first.source_id == "1007"  # Excel's 1007.0 read as the id it is
    assert first.person["birth_date"] == "1984-03-02"
    assert first.attributes == {"Segment": "VIP"}
    assert Identifier(IdentifierKind.EMAIL, "amelie@example.fr") in first.identifiers
    assert second.person == {
        "first_name": "Jean",
        "last_name": "Martin",
        "birth_date": "1990-12-31",
    }
    assert second.attributes == {"Magasin": "Lyon"}


async def test_the_format_follows_the_suffix_and_the_first_sheet_is_the_default(
    tmp_path: Path, runtime: ConnectorRuntime
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "Prénom"])
    sheet.append(["A1", "Hélène"])
    path = tmp_path / "export.XLSX"
    book.save(path)
    source = FileImportConnector(
        "crm", FileImportSettings(path=path, id_column="id", columns={"first_name": "Prénom"})
    )
    assert source.file_format == "excel"
    [page] = await pages_of(source, runtime)
    assert [r.person["first_name"] for r in page.records] == ["Hélène"]


async def test_a_missing_sheet_names_the_sheets_there_are(
    tmp_path: Path, runtime: ConnectorRuntime
) -> None:
    path = workbook(tmp_path / "clients.xlsx", [HEADER])
    with pytest.raises(ConnectorError, match=r"no sheet 'Customers'; sheets: Notes, Clients"):
        await pages_of(connector(path, sheet="Customers"), runtime)


async def test_a_file_that_is_not_a_workbook_is_named(
    tmp_path: Path, runtime: ConnectorRuntime
) -> None:
    path = tmp_path / "clients.xlsx"
    path.write_text("N° client;Prénom\n1;Ana\n", encoding="utf-8")
    with pytest.raises(ConnectorError, match=r"crm: .*clients.xlsx: not a readable .xlsx"):
        await pages_of(connector(path), runtime)


def test_an_unknown_suffix_asks_for_the_format(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"key 'format'.*\"excel\""):
        FileImportConnector("crm", FileImportSettings(path=tmp_path / "x.ods", id_column="id"))
