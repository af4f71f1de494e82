"""CSV mode: holdings and products from files a partner drops in a folder (over SFTP, say).

File names follow ``{partner}_{feed}_{YYYYMMDDTHHMMSSZ}[_{seq}].csv`` (``acme-assur_holdings_
20240601T020000Z.csv``, ``acme-assur_products_20240601T020000Z.csv``), UTF-8, RFC 4180, comma
delimited, a header row with the API's field names (customer fields flat beside the holding's).
Files are read in name order: partner, feed, time stamp, then sequence number.

A file is picked up once it is complete: names ending ``.tmp``/``.part`` (still being written,
then renamed) never match; with ``require_done_marker`` a file also waits for its companion
``<name>.done`` (or ``<name>.sha256``, whose digest must then match the file).

The ``holdings`` cursor keeps the SHA-256 of every processed file still in the folder, and the
position in the file being read::

    {"files": {"acme-assur_holdings_20240601T020000Z.csv": "9f86d0…"},
     "partial": "<sha256 of the file in progress>:<rows committed>"}

So a re-run reads nothing, a file dropped again (under any name) is skipped, a corrected file
(same name, new content) is read again, and a sync killed half-way through a file resumes at the
row after the last committed page. Files moved away (to ``archive/``, say) leave the cursor.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from connectors.file_import.reading import Row, csv_rows
from connectors.partner_feed.catalog import Catalog
from hub.connector import Stream
from hub.errors import ConnectorError
from hub.records import Page, Rejected, SourceRecord

if TYPE_CHECKING:
    from connectors.partner_feed.connector import PartnerFeedConnector

log = logging.getLogger(__name__)

FILE_KEY = "_drop_file"
"""Added to a quarantined row: the name of the file it was read from."""
FILE_NAME = re.compile(
    r"^(?P<partner>[A-Za-z0-9][A-Za-z0-9.-]*)_(?P<feed>[A-Za-z0-9-]+)_"
    r"(?P<stamp>\d{8}T\d{6}Z)(?:_(?P<seq>\d+))?\.csv$"
)


@dataclass(frozen=True)
class DropFile:
    path: Path
    partner: str | None
    feed: str | None
    order: tuple[str, str, str, int]

    @property
    def name(self) -> str:
        return self.path.name


def drop_file(path: Path) -> DropFile:
    """A file with what its name says; a name outside the convention says nothing."""
    match = FILE_NAME.match(path.name)
    if match is None:
        return DropFile(path, None, None, ("", "", path.name, 0))
    partner, feed, stamp, seq = match.group("partner", "feed", "stamp", "seq")
    return DropFile(path, partner, feed, (partner, feed, stamp, int(seq or 0)))


def is_complete(path: Path, require_done_marker: bool) -> bool:
    """False while the partner may still be writing the file."""
    if not require_done_marker or path.with_name(path.name + ".done").exists():
        return True
    checksum = path.with_name(path.name + ".sha256")
    if not checksum.exists():
        return False
    expected = checksum.read_text(encoding="ascii", errors="replace").split()
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if expected and expected[0].lower() == actual:
        return True
    log.warning("%s: SHA-256 differs from %s; waiting for the complete file", path, checksum.name)
    return False


def list_feed(
    location: Path, feed: str, partner: str | None, require_done_marker: bool, where: str
) -> list[DropFile]:
    """The complete files of ``feed`` (of ``partner`` when given) at ``location``, in order.

    ``location`` may be one file: it is the feed, whatever its name.
    """
    if location.is_file():
        return [drop_file(location)] if is_complete(location, require_done_marker) else []
    if not location.is_dir():
        raise ConnectorError(f"{where}: {location} is neither a file nor a folder")
    files: list[DropFile] = []
    for path in location.iterdir():
        if not path.is_file() or not path.name.endswith(".csv"):
            continue
        found = drop_file(path)
        if found.feed is None:
            log.warning("%s: %s does not follow {partner}_{feed}_{stamp}.csv; skipped", where, path)
        elif (
            found.feed == feed
            and partner in (None, found.partner)
            and is_complete(path, require_done_marker)
        ):
            files.append(found)
    return sorted(files, key=lambda f: f.order)


@dataclass
class DropCursor:
    files: dict[str, str] = field(default_factory=dict)
    """Processed file name → its SHA-256."""
    partial: str | None = None
    """``"<sha256>:<rows committed>"`` of the file being read."""

    def rows_done(self, digest: str) -> int:
        cursor_digest, _, count = (self.partial or "").partition(":")
        return int(count) if cursor_digest == digest and count.isdigit() else 0

    def dump(self) -> str:
        return json.dumps({"files": self.files, "partial": self.partial}, separators=(",", ":"))

    @classmethod
    def load(cls, text: str | None, where: str) -> DropCursor:
        if not text:
            return cls()
        try:
            state = json.loads(text)
            files = {str(name): str(digest) for name, digest in state["files"].items()}
            partial = state.get("partial")
            return cls(files, None if partial is None else str(partial))
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("%s: unreadable saved cursor, reading every file again", where)
            return cls()


def read_text(path: Path, where: str) -> tuple[str | None, str, str | None]:
    """The file's text (``None`` if it is not UTF-8), its SHA-256, and what is wrong with it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConnectorError(f"{where}: cannot read {path}: {exc.strerror}") from None
    digest = hashlib.sha256(data).hexdigest()
    try:
        return data.decode("utf-8-sig"), digest, None
    except UnicodeDecodeError as exc:
        return None, digest, f"not UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r})"


class DropHoldingsStream(Stream):
    name = "holdings"
    connector: PartnerFeedConnector

    @property
    def where(self) -> str:
        return f"{self.connector.instance}/{self.name}"

    async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        settings = self.connector.settings
        assert settings.path is not None
        state = DropCursor.load(cursor, self.where)
        files = await asyncio.to_thread(
            list_feed,
            settings.path,
            settings.holdings_feed,
            settings.partner_id,
            settings.require_done_marker,
            self.where,
        )
        present = {f.name for f in files}
        state.files = {name: d for name, d in state.files.items() if name in present}
        for drop in files:
            text, digest, problem = await asyncio.to_thread(read_text, drop.path, self.where)
            if digest in state.files.values():
                state.files[drop.name] = digest  # the same content again, under this name
                continue
            for page in self._file_pages(drop, text, digest, problem, state):
                yield page

    def _file_pages(
        self, drop: DropFile, text: str | None, digest: str, problem: str | None, state: DropCursor
    ) -> Iterator[Page]:
        """Pages of the rows of one file after those already committed; the last marks it done."""
        records: list[SourceRecord] = []
        rejected: list[Rejected] = []
        if text is None:
            reason = f"{self.where}: {drop.name}: {problem}; the file was skipped"
            rejected.append(Rejected(None, {"file": drop.name, "sha256": digest}, reason))
        else:
            done = state.rows_done(digest)
            for position, row in enumerate(csv_rows(text, ","), start=1):
                if position <= done:
                    continue
                self._read_row(drop, row, records, rejected)
                if len(records) + len(rejected) >= self.connector.settings.page_size:
                    state.partial = f"{digest}:{position}"
                    yield Page(tuple(records), state.dump(), tuple(rejected))
                    records, rejected = [], []
        state.files[drop.name] = digest
        state.partial = None
        yield Page(tuple(records), state.dump(), tuple(rejected))

    def _read_row(
        self, drop: DropFile, row: Row, records: list[SourceRecord], rejected: list[Rejected]
    ) -> None:
        where = f"{self.where}: {drop.name} line {row.line}"
        if row.values is None:
            rejected.append(Rejected(None, row.raw, f"{where}: {row.problem}"))
            return
        found, bad = self.connector.mapper.read(
            [row.values], self.connector.catalog, where, drop.partner
        )
        records.extend(found)
        # The row keeps the name of its file: the partner a replay reads it for.
        rejected.extend(replace(r, payload={**row.values, FILE_KEY: drop.name}) for r in bad)

    async def replay(self, payload: str) -> Page:
        """A quarantined row (column → text, and the file it came from) is mapped again; a row
        that was never split into columns is rejected again as it is."""
        try:
            values = json.loads(payload)
        except ValueError:
            values = None
        if not isinstance(values, dict):
            reason = f"{self.where}: a row without its columns cannot be read again"
            return Page((), None, (Rejected(None, payload, reason),))
        file_name = values.pop(FILE_KEY, None)
        partner = drop_file(Path(file_name)).partner if isinstance(file_name, str) else None
        where = f"{self.where}: {file_name or 'replay'}"
        product_id = values.get("product_id")
        catalog_partner = partner or self.connector.settings.partner_id
        if isinstance(product_id, str) and not self.connector.catalog.lookup(
            catalog_partner, product_id
        ):
            await self.connector.refresh_catalog(self.runtime)  # not read yet in this process
        records, rejected = self.connector.mapper.read(
            [values], self.connector.catalog, where, partner
        )
        kept = [replace(r, payload=payload) for r in rejected]
        return Page(tuple(records), None, tuple(kept))


def read_drop_catalog(
    connector: PartnerFeedConnector, saved: Catalog, where: str
) -> tuple[Catalog, list[Rejected]]:
    """``saved`` with the products files at the drop location read over it, in name order.

    Catalogs are small, so every file is read each time; the digest of them all stands in for
    an ETag (``Catalog.etag``): while no file changes, the saved catalog is kept as it is and
    bad rows are not quarantined again. The saved catalog keeps products whose file has gone.
    """
    settings = connector.settings
    assert settings.path is not None
    folder = settings.path if settings.path.is_dir() else settings.path.parent
    files = list_feed(
        folder, settings.products_feed, settings.partner_id, settings.require_done_marker, where
    )
    contents = [(drop, *read_text(drop.path, where)) for drop in files]
    version = hashlib.sha256(
        "\n".join(f"{drop.name}:{digest}" for drop, _, digest, _ in contents).encode()
    ).hexdigest()
    if saved.etag == version:
        return saved, []
    catalog, rejected = replace(saved, etag=version), []
    for drop, text, _, problem in contents:
        if text is None:
            reason = f"{where}: {drop.name}: {problem}; the file was skipped"
            rejected.append(Rejected(None, {"file": drop.name}, reason))
            continue
        rows = list(_values(csv_rows(text, ","), drop, where, rejected))
        catalog, bad = catalog.with_items(rows, f"{where}: {drop.name}", drop.partner)
        rejected.extend(bad)
    return catalog, rejected


def _values(
    rows: Iterator[Row], drop: DropFile, where: str, rejected: list[Rejected]
) -> Iterator[dict[str, object]]:
    for row in rows:
        if row.values is None:
            reason = f"{where}: {drop.name} line {row.line}: {row.problem}"
            rejected.append(Rejected(None, row.raw, reason))
        else:
            yield row.values


class DropCatalogStream(Stream):
    """The catalog from products drop files; no records, the catalog in the cursor."""

    name = "products"
    connector: PartnerFeedConnector

    async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        where = f"{self.connector.instance}/{self.name}"
        saved = Catalog.load(cursor, where)
        catalog, rejected = await asyncio.to_thread(read_drop_catalog, self.connector, saved, where)
        self.connector.catalog = catalog
        yield Page((), catalog.dump(), tuple(rejected))
