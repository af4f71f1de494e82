"""A stream of a paginated HTTP API, declared by class attributes.

A plugin author writes::

    class Customers(HttpStream):
        name = "customers"
        path = "/customers.json"
        items_path = "customers"
        paginator = LinkHeaderPaginator()

        def params(self, since):
            return {"limit": "250", **({"updated_at_min": since.isoformat()} if since else {})}

        def to_record(self, item):
            ...

and the base class does the rest: the first request with the incremental filter, following
pages, quarantining items ``to_record`` cannot read, and a cursor after every page that lets a
killed sync resume exactly where it stopped.
"""

from __future__ import annotations

import json
import logging
from abc import abstractmethod
from collections.abc import AsyncIterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, TypeVar

from hub.connector.base import Connector, Stream
from hub.connector.http import JsonResponse, SourceRequestError
from hub.connector.mapping import RecordError, parse_timestamp
from hub.connector.pagination import Paginator, Request
from hub.errors import ConnectorError
from hub.records import Page, Rejected, SourceRecord

log = logging.getLogger(__name__)

SettingsT = TypeVar("SettingsT")


class HttpConnector(Connector[SettingsT]):
    """A connector whose streams call one HTTP API. Settings need a ``base_url``."""

    def base_url(self) -> str:
        return str(getattr(self.settings, "base_url", None) or "").rstrip("/")

    @abstractmethod
    def headers(self) -> dict[str, str]:
        """Headers of every request: authentication, API version."""


@dataclass(frozen=True)
class StreamCursor:
    """Where an HTTP stream stands, saved with each page.

    ``since`` is the incremental filter of the page sequence in progress and ``next`` the token
    of its next page: a resumed sync repeats exactly that query from that page. ``watermark`` is
    the newest ``updated_at`` committed; the next sequence starts a little before it.
    """

    since: str | None = None
    next: str | None = None
    watermark: str | None = None
    restart: bool = False
    """Start the ``since`` query over from its first page (after a repeated page token)."""
    started: str | None = None
    """When the page sequence in progress began. Sources page by id or creation, not by
    update time: a record changed behind the pages already read, while newer changes show up
    ahead, must still be read next time, so the watermark never passes this moment."""

    def dump(self) -> str:
        fields = asdict(self)
        if not self.restart:
            del fields["restart"]
        if self.started is None:
            del fields["started"]
        return json.dumps(fields, separators=(",", ":"))

    @classmethod
    def load(cls, text: str | None, where: str) -> StreamCursor:
        if not text:
            return cls()
        try:
            data = json.loads(text)
            texts = {k: (None if v is None else str(v)) for k, v in data.items() if k in _FIELDS}
            return cls(**texts, restart=data.get("restart") is True)
        except (ValueError, TypeError, AttributeError):
            # Reading everything again is safe (upserts are idempotent); failing forever is not.
            log.warning("%s: unreadable saved cursor, reading from the beginning", where)
            return cls()


_FIELDS = ("since", "next", "watermark", "started")

STALE_TOKEN_STATUSES = frozenset({400, 404, 410, 422})
"""What sources answer to a page token they no longer know."""
CLOCK_SKEW = timedelta(minutes=5)

READ_ERRORS = (RecordError, KeyError, TypeError, ValueError, AttributeError)
"""What reading a malformed item raises; such an item is quarantined, not fatal."""


class HttpStream(Stream):
    connector: HttpConnector[Any]

    path: ClassVar[str]
    """Path after the connector's ``base_url``."""
    method: ClassVar[str] = "GET"
    items_path: ClassVar[str]
    """Dotted path of the list of items in the response body (``"data"``, ``"customers"``)."""
    paginator: ClassVar[Paginator]
    id_key: ClassVar[str] = "id"
    """The item's own id, to name a quarantined item."""
    read_ahead: ClassVar[bool] = True
    """The next request waits on the source while the engine stores the page before it."""
    incremental: ClassVar[bool] = True
    """False for sources without an updated-since filter: every sync reads everything."""
    overlap: ClassVar[timedelta] = timedelta(minutes=5)
    """How far before the watermark an incremental sync starts: source clocks and indexing lag
    (Square: up to a minute) would otherwise hide late-arriving changes."""

    def params(self, since: datetime | None) -> dict[str, str]:
        """Query parameters of the first request; ``since`` is the incremental filter."""
        return {}

    def body(self, since: datetime | None) -> Any:
        """JSON body of the first request (search endpoints), or ``None``."""
        return None

    @abstractmethod
    def to_record(self, item: Mapping[str, Any]) -> SourceRecord:
        """Map one item; raise :class:`RecordError` (or let a KeyError out) when unreadable."""

    @property
    def where(self) -> str:
        return f"{self.connector.instance}/{self.name}"

    def first_request(self, since: datetime | None) -> Request:
        return Request(
            self.method, self.connector.base_url() + self.path, self.params(since), self.body(since)
        )

    def items(self, response: JsonResponse) -> list[Any]:
        value: Any = response.data
        for part in self.items_path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            return []  # Square omits the list when a page is empty
        if not isinstance(value, list):
            raise ConnectorError(
                f"{self.where}: expected a list at {self.items_path!r}, got {type(value).__name__}"
            )
        return value

    def read_items(self, items: list[Any]) -> tuple[list[SourceRecord], list[Rejected]]:
        records: list[SourceRecord] = []
        rejected: list[Rejected] = []
        for item in items:
            try:
                if not isinstance(item, Mapping):
                    raise RecordError(f"expected an object, got {type(item).__name__}")
                records.append(self.to_record(item))
            except READ_ERRORS as exc:
                source_id = item.get(self.id_key) if isinstance(item, Mapping) else None
                reason = f"{self.where}: {type(exc).__name__}: {exc}"
                payload = item if isinstance(item, Mapping) else json.dumps(item, default=str)
                rejected.append(
                    Rejected(None if source_id is None else str(source_id), payload, reason)
                )
        return records, rejected

    async def replay(self, payload: str) -> Page:
        records, rejected = self.read_items([json.loads(payload)])
        return Page(tuple(records), None, tuple(rejected))

    async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        state = StreamCursor.load(cursor, self.where)
        watermark = state.watermark
        started = state.started
        if state.next is not None or state.restart:
            since_text = state.since  # the same query as the interrupted sequence
        else:
            started = datetime.now(UTC).isoformat()
            since = _parse_saved(watermark) if self.incremental else None
            since = since - self.overlap if since is not None else None
            since_text = since.isoformat() if since is not None else None
        first = self.first_request(_parse_saved(since_text))
        request = first if state.next is None else self.paginator.follow(first, state.next)
        seen_tokens = {state.next} if state.next else set()
        resuming = state.next is not None
        while True:
            try:
                response = await self._fetch(request)
            except SourceRequestError as exc:
                if not resuming or exc.status not in STALE_TOKEN_STATUSES:
                    raise
                # A saved page token the source no longer honours (expired, or the query
                # changed with the settings): failing on every run would never recover.
                log.warning("%s: saved page token refused (%s); starting over", self.where, exc)
                request, seen_tokens, resuming = first, set(), False
                continue
            resuming = False
            records, rejected = self.read_items(self.items(response))
            watermark = _newest(watermark, records)
            token = self.paginator.next_token(response)
            if token is not None and token in seen_tokens:
                # Keep this page, and have the next run start this query over: resuming
                # after the repeated token would only loop again.
                restart = StreamCursor(since_text, None, watermark, True, started)
                yield Page(tuple(records), restart.dump(), tuple(rejected))
                raise ConnectorError(
                    f"{self.where}: the source sent the page token {token[:60]!r} twice; "
                    "stopped rather than loop (the pages read are saved; the next run starts "
                    "this query over)"
                )
            if token is None:
                final = StreamCursor(watermark=_earlier(watermark, started))
                yield Page(tuple(records), final.dump(), tuple(rejected))
                return
            next_state = StreamCursor(since_text, token, watermark, started=started)
            yield Page(tuple(records), next_state.dump(), tuple(rejected))
            seen_tokens.add(token)
            request = self.paginator.follow(first, token)

    async def _fetch(self, request: Request) -> JsonResponse:
        return await self.runtime.http.request_json(
            request.method,
            request.url,
            where=self.where,
            params=request.params or None,
            json_body=request.json_body,
            headers=self.connector.headers(),
        )


def _parse_saved(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_timestamp(text, "cursor")
    except RecordError:
        return None


def _earlier(watermark: str | None, started: str | None) -> str | None:
    newest, start = _parse_saved(watermark), _parse_saved(started)
    if newest is None or start is None:
        return watermark
    return min(newest, start).isoformat()


def _newest(watermark: str | None, records: list[SourceRecord]) -> str | None:
    """The newest ``updated_at`` so far. A time in the future is not believed: a record
    stamped next year would otherwise hide every change until then."""
    newest = _parse_saved(watermark)
    believable = datetime.now(UTC) + CLOCK_SKEW
    for record in records:
        stamp = record.updated_at
        if stamp is not None and stamp <= believable and (newest is None or stamp > newest):
            newest = stamp
    return newest.isoformat() if newest is not None else None
