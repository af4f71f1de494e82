"""The file-import connector: one stream of customer rows, mapped onto canonical person fields.

CSV (delimiter and encoding detected or declared), JSON Lines and Excel (.xlsx) files. Columns
not mapped onto a canonical field are kept as the record's attributes.

plugins.toml::

    [connectors.legacy_crm]
    type = "file_import"
    path = "exports/crm.csv"          # relative to plugins.toml
    id_column = "Customer No"
    brand = "maison"
    [connectors.legacy_crm.columns]   # canonical field = column in the file
    first_name = "Prénom"
    email = "E-mail"

The cursor is the file's SHA-256 and the number of rows committed: an interrupted import resumes
where it stopped, and importing the same file again reads nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from connectors.file_import.reading import Row, csv_rows, decode, excel_rows, jsonl_rows
from hub.connector import Connector, ConnectorRuntime, Stream
from hub.errors import ConfigError, ConnectorError
from hub.records import (
    PERSON_FIELDS,
    Identifier,
    IdentifierKind,
    Page,
    Rejected,
    SourceRecord,
)

_IDENTIFIER_FIELDS = {
    "email": IdentifierKind.EMAIL,
    "phone": IdentifierKind.PHONE,
    "loyalty_card": IdentifierKind.LOYALTY_CARD,
}
MAPPABLE_FIELDS = (*PERSON_FIELDS, "loyalty_card")
QUARANTINE_LINE, QUARANTINE_VALUES = "line", "values"
"""A refused row is quarantined as ``{"line": 3, "values": {column: value}}``."""


@dataclass(frozen=True)
class FileImportSettings:
    path: Path
    id_column: str
    columns: dict[str, str] = field(default_factory=dict)
    format: str = "auto"
    delimiter: str | None = None
    encoding: str = "auto"
    sheet: str | None = None
    """Excel only: the sheet to read (default: the first)."""
    entity: str = "customer"
    brand: str | None = None
    country: str | None = None
    page_size: int = 500


class CustomerRowsStream(Stream):
    name = "customers"
    connector: FileImportConnector

    async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        settings = self.connector.settings
        try:
            data = settings.path.read_bytes()
        except OSError as exc:
            raise ConnectorError(
                f"{self.connector.instance}: cannot read {settings.path}: {exc.strerror}"
            ) from None
        digest = hashlib.sha256(data).hexdigest()
        done = _rows_done(cursor, digest)
        records: list[SourceRecord] = []
        rejected: list[Rejected] = []
        position = done
        for position, row in enumerate(self._rows(data), start=1):
            if position <= done:
                continue
            self._read_row(row, row.line, records, rejected)
            if len(records) + len(rejected) >= settings.page_size:
                yield Page(tuple(records), f"{digest}:{position}", tuple(rejected))
                records, rejected = [], []
        if records or rejected or position == 0 or cursor is None:
            yield Page(tuple(records), f"{digest}:{position}", tuple(rejected))

    async def replay(self, payload: str) -> Page:
        try:
            kept = json.loads(payload)  # a row that was read but refused is kept as JSON
        except json.JSONDecodeError:
            kept = None  # a line that could not be read is kept as it was in the file
        if not isinstance(kept, dict):
            raise ValueError("only rows that were read can be replayed; fix the file instead")
        line, values = _quarantined_row(kept)
        records: list[SourceRecord] = []
        rejected: list[Rejected] = []
        self._read_row(Row(line or 0, values, ""), line, records, rejected)
        return Page(tuple(records), None, tuple(rejected))

    def _rows(self, data: bytes) -> Iterator[Row]:
        settings = self.connector.settings
        if self.connector.file_format == "excel":
            return self._excel_rows(data)
        try:
            text = decode(data, settings.encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise ConnectorError(
                f"{self.connector.instance}: {settings.path} is not {settings.encoding}: {exc}"
            ) from None
        if self.connector.file_format == "jsonl":
            return jsonl_rows(text)
        return csv_rows(text, settings.delimiter)

    def _excel_rows(self, data: bytes) -> Iterator[Row]:
        try:
            yield from excel_rows(data, self.connector.settings.sheet)
        except ValueError as exc:
            raise ConnectorError(
                f"{self.connector.instance}: {self.connector.settings.path}: {exc}"
            ) from None

    def _read_row(
        self, row: Row, line: int | None, records: list[SourceRecord], rejected: list[Rejected]
    ) -> None:
        """Read ``row`` into ``records`` or ``rejected``; ``line`` is its line in the file,
        ``None`` when no longer known (a row quarantined before its line was kept)."""
        settings = self.connector.settings
        where = settings.path.name if line is None else f"{settings.path.name} line {line}"
        if row.values is None:
            rejected.append(Rejected(None, row.raw, f"{where}: {row.problem}"))
            return
        source_id = str(row.values.get(settings.id_column) or "").strip()
        if not source_id:
            reason = f"{where}: no value in the id column {settings.id_column!r}"
            # The line travels with the values, so a replay's reason still names it.
            kept = {QUARANTINE_LINE: line, QUARANTINE_VALUES: row.values}
            rejected.append(Rejected(None, kept, reason))
            return
        records.append(self.connector.to_record(source_id, row.values))


def _quarantined_row(kept: dict[str, Any]) -> tuple[int | None, dict[str, Any]]:
    """The line and values a quarantine payload holds. A bare object of values, as refused
    rows were kept before their line was, has no line."""
    line, values = kept.get(QUARANTINE_LINE), kept.get(QUARANTINE_VALUES)
    if set(kept) == {QUARANTINE_LINE, QUARANTINE_VALUES} and isinstance(values, dict):
        return (line if isinstance(line, int) else None), values
    return None, kept


def _rows_done(cursor: str | None, digest: str) -> int:
    """Rows already committed from this very file; a different file starts again at 0."""
    if cursor is None:
        return 0
    cursor_digest, _, count = cursor.partition(":")
    return int(count) if cursor_digest == digest and count.isdigit() else 0


class FileImportConnector(Connector[FileImportSettings]):
    type_name = "file_import"
    settings_class = FileImportSettings
    description = "Customers from a CSV or JSON Lines file, with a column mapping"
    formats: ClassVar[dict[str, str]] = {
        ".csv": "csv",
        ".txt": "csv",
        ".jsonl": "jsonl",
        ".ndjson": "jsonl",
        ".xlsx": "excel",
        ".xlsm": "excel",
    }

    def __init__(self, instance: str, settings: FileImportSettings) -> None:
        super().__init__(instance, settings)
        unknown = sorted(set(settings.columns) - set(MAPPABLE_FIELDS))
        if unknown:
            raise ConfigError(
                f"key 'columns': unknown field {unknown[0]!r}; "
                f"mappable fields: {', '.join(MAPPABLE_FIELDS)}"
            )
        file_format = settings.format
        if file_format == "auto":
            file_format = self.formats.get(settings.path.suffix.lower(), "")
        if file_format not in ("csv", "jsonl", "excel"):
            raise ConfigError(
                f"key 'format': cannot tell the format of {settings.path.name}; "
                'set format = "csv", "jsonl" or "excel"'
            )
        self.file_format = file_format

    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        return [CustomerRowsStream(self, runtime)]

    def to_record(self, source_id: str, values: dict[str, Any]) -> SourceRecord:
        settings = self.settings
        person: dict[str, str] = {}
        identifiers = [
            Identifier(IdentifierKind.SOURCE_CUSTOMER_ID, f"{self.instance}:{source_id}")
        ]
        for canonical, column in settings.columns.items():
            value = values.get(column)
            text = "" if value is None else str(value).strip()
            if not text:
                continue
            if canonical in _IDENTIFIER_FIELDS:
                identifiers.append(Identifier(_IDENTIFIER_FIELDS[canonical], text))
            if canonical in PERSON_FIELDS:
                person[canonical] = text
        for key, default in (("brand", settings.brand), ("country", settings.country)):
            if default and key not in person:
                person[key] = default
        mapped = {*settings.columns.values(), settings.id_column}
        attributes = {
            column: str(value).strip()
            for column, value in values.items()
            if column not in mapped and value is not None and str(value).strip()
        }
        return SourceRecord(
            entity=settings.entity,
            source_id=source_id,
            payload=values,
            person=person,
            identifiers=tuple(identifiers),
            attributes=attributes,
        )
