"""The POS receipts connector: store receipt CSV exports as French tills write them.

plugins.toml::

    [connectors.tills]
    type = "pos_receipts"
    path = "exports/tills"            # a file, or a folder of export files (relative to here)
    pattern = "*.csv"
    timezone = "Europe/Paris"         # the tills' local time, written without an offset
    guest_cards = ["0000000000000"]   # the stores' guest card: never a person's identifier
    brand = "lumiere"
    [connectors.tills.columns]        # only where the export's headers differ from the defaults
    loyalty_card = "Carte client"

One row per line item; rows are grouped by (store, local business date, receipt number) into
one ``receipt`` record ``store:yyyy-mm-dd:number`` with a RECEIPT activity, since tills that
number tickets per day reuse numbers. Files are read in name order; the cursor remembers the
files already stored (by content hash) and how far a batch of new files got, so a re-run reads
nothing, a new export is picked up, and a killed run resumes after its last committed page.

A refused receipt is quarantined with its rows as read; ``hub sync --replay`` groups and maps
them again with the instance's current settings (a fixed ``columns`` setting, say).
"""

from __future__ import annotations

import asyncio
import codecs
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from connectors.pos_receipts.columns import ColumnChoices
from connectors.pos_receipts.export_files import Batch, ExportCursor, ExportFolder
from connectors.pos_receipts.grouping import Group, Grouper, LineRow
from connectors.pos_receipts.mapping import ReceiptContext, read_group, rows_of_payload
from hub.connector import Connector, ConnectorRuntime, Stream
from hub.connector.mapping import RecordError, currency_code
from hub.errors import ConfigError
from hub.records import Page, Rejected, SourceRecord


@dataclass(frozen=True)
class PosReceiptsSettings:
    path: Path
    pattern: str = "*.csv"
    columns: dict[str, str] = field(default_factory=dict)
    delimiter: str = "auto"
    encoding: str = "auto"
    timezone: str = "Europe/Paris"
    currency: str = "EUR"
    brand: str | None = None
    country: str | None = "FR"
    guest_cards: list[str] = field(default_factory=list)
    page_size: int = 500
    """Receipts (and refused rows) per committed page."""


class ReceiptsStream(Stream):
    name = "receipts"
    connector: PosReceiptsConnector

    async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        connector = self.connector
        folder = ExportFolder(
            connector.instance, connector.settings.path, connector.settings.pattern
        )
        # Hashing and grouping read whole files: off the event loop, which may be serving.
        batches = await asyncio.to_thread(folder.plan, ExportCursor.parse(cursor))
        for batch in batches:
            groups = await asyncio.to_thread(self._group, batch)
            start, size = batch.skip, connector.settings.page_size
            while True:
                end = min(start + size, len(groups))
                records, rejected = await asyncio.to_thread(self._read, groups[start:end])
                cursor_after = batch.cursor_after(end, len(groups)).dump()
                yield Page(records, cursor_after, rejected)
                if end >= len(groups):
                    break
                start = end

    async def replay(self, payload: str) -> Page:
        grouper = self._grouper()
        ranks: dict[str, int] = {}
        rows: list[LineRow | Group] = []
        for name, line, cells in rows_of_payload(payload):
            rank = ranks.setdefault(name, len(ranks))
            try:
                layout = grouper.layout(name, rank, tuple(cells))
            except RecordError as exc:
                rows.append(Group(problem=f"{name}: {exc}", raw=payload))
                continue
            rows.append(LineRow.of(layout, line, list(cells.values())))
        grouper.add(rows)
        records, rejected = self._read(grouper.receipts())
        return Page(records, None, rejected)

    def _read(self, groups: list[Group]) -> tuple[tuple[SourceRecord, ...], tuple[Rejected, ...]]:
        records: list[SourceRecord] = []
        rejected: list[Rejected] = []
        for group in groups:
            read = read_group(group, self.connector.context)
            if isinstance(read, SourceRecord):
                records.append(read)
            else:
                rejected.append(read)
        return tuple(records), tuple(rejected)

    def _grouper(self) -> Grouper:
        settings = self.connector.settings
        return Grouper(self.connector.choices, settings.delimiter, settings.encoding)

    def _group(self, batch: Batch) -> list[Group]:
        grouper = self._grouper()
        for export in batch.files:
            grouper.read(export.name, export.rank, export.content())
        for export in batch.neighbours:
            grouper.read(export.name, export.rank, export.content(), neighbour=True)
        return grouper.receipts()


class PosReceiptsConnector(Connector[PosReceiptsSettings]):
    type_name = "pos_receipts"
    settings_class = PosReceiptsSettings
    description = "Store receipts from French till CSV exports (one row per line item)"

    def __init__(self, instance: str, settings: PosReceiptsSettings) -> None:
        super().__init__(instance, settings)
        try:
            self.choices = ColumnChoices.from_settings(settings.columns)
        except ValueError as exc:
            raise ConfigError(f"key 'columns': {exc}") from None
        try:
            zone = ZoneInfo(settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"key 'timezone': unknown time zone {settings.timezone!r} "
                '(an IANA name such as "Europe/Paris")'
            ) from None
        try:
            currency = currency_code(settings.currency)
        except RecordError:
            raise ConfigError(
                f"key 'currency': {settings.currency!r} is not an ISO 4217 currency"
            ) from None
        _check_reading(settings)
        self.context = ReceiptContext(
            instance=instance,
            zone=zone,
            currency=currency,
            brand=settings.brand,
            country=settings.country,
            guest_cards=frozenset(card.strip() for card in settings.guest_cards),
        )

    def streams(self, runtime: ConnectorRuntime) -> Sequence[Stream]:
        return [ReceiptsStream(self, runtime)]


def _check_reading(settings: PosReceiptsSettings) -> None:
    if settings.delimiter != "auto" and len(settings.delimiter) != 1:
        raise ConfigError(
            f'key \'delimiter\': {settings.delimiter!r} is not one character; write ";" or "auto"'
        )
    if settings.encoding != "auto":
        try:
            codecs.lookup(settings.encoding)
        except LookupError:
            raise ConfigError(
                f"key 'encoding': unknown encoding {settings.encoding!r}; "
                'write "auto", "utf-8" or "cp1252"'
            ) from None
    if not settings.pattern.strip():
        raise ConfigError("key 'pattern': empty; write a glob such as \"*.csv\"")
    if settings.page_size < 1:
        raise ConfigError(f"key 'page_size': {settings.page_size} is not a positive number")
