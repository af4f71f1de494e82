"""The ``signers`` stream: every signer of every signature request in the chosen statuses.

``GET /signature_requests?status[in]=…&limit=…`` pages by ``meta.next_cursor`` → ``after``, but
lists each request's signers only as ``{id, status}``; one ``GET …/{id}/signers`` per request
brings their names, e-mails and phones. The list is read by :class:`HttpStream` (pages, cursor
saved per page, repeated-token guard, quarantine of unreadable requests); this stream then
expands each page's requests into signer records before the page is committed, so a killed sync
resumes at the first page whose signers were not yet stored.

Yousign has no updated-since filter: every sync reads every request again (``incremental =
False``), and the store turns unchanged records into no-ops. Webhooks carry changes between
syncs.

**Signing times.** Yousign's signer object has no signing time: only a ``signer.done`` event
tells it (see :mod:`connectors.yousign.webhooks`). A read leaves ``signed_at`` out, and since the
store replaces a record whole, a sync that rewrites a signer drops a signing time an event
stored. Dating such a read before the event would keep it, but then a sync could never record a
signing whose webhook was missed (or when no webhook is configured): a sync must stay able to
move a record forward. Keeping the date needs the store to carry over what a newer version
leaves out, or a record of its own that syncs never write.

**Replay.** A quarantined request (or one signer of it, ``{"signature_request", "signer"}``) is
read again from Yousign by its id, with its signers: the quarantined copy may be days old, and a
record carries the time it was read at.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from connectors.yousign.client import RatePacer, fetch_request, fetch_signers, read_version
from connectors.yousign.mapping import read_request, signer_records
from hub.connector import ConnectorRuntime, CursorPaginator, HttpStream, JsonResponse
from hub.connector.http_stream import READ_ERRORS
from hub.connector.mapping import require_id, require_mapping
from hub.records import Page, Rejected, SourceRecord

if TYPE_CHECKING:
    from connectors.yousign.connector import YousignConnector


REQUEST_ENTITY = "signature_request"
"""Entity of the list items between the list read and their expansion; never stored."""


class SignersStream(HttpStream):
    name = "signers"
    path = "/signature_requests"
    items_path = "data"
    paginator = CursorPaginator(response_path="meta.next_cursor", query_param="after")
    incremental = False
    connector: YousignConnector

    def __init__(self, connector: YousignConnector, runtime: ConnectorRuntime) -> None:
        super().__init__(connector, runtime)
        self.pacer = RatePacer.for_runtime(runtime)
        self._read_at: datetime | None = None

    def params(self, since: datetime | None) -> dict[str, str]:
        settings = self.connector.settings
        return {"status[in]": ",".join(settings.statuses), "limit": str(settings.page_size)}

    def items(self, response: JsonResponse) -> list[Any]:
        # Called once per list page, just before its items are read: note when Yousign answered.
        self._read_at = read_version(response.headers)
        self.pacer.observe(response.headers)
        return super().items(response)

    def to_record(self, item: Mapping[str, Any]) -> SourceRecord:
        """The list item, checked and kept whole; :meth:`pages` expands it into its signers."""
        request = read_request(item)
        return SourceRecord(REQUEST_ENTITY, request.id, item, updated_at=self._read_at)

    async def pages(self, cursor: str | None) -> AsyncIterator[Page]:
        # A saved page cursor Yousign refuses (it may have expired) is handled by HttpStream:
        # the list is read again from the start.
        async for page in super().pages(cursor):
            yield await self._expand(page)

    async def _expand(self, page: Page) -> Page:
        records: list[SourceRecord] = []
        rejected = list(page.rejected)
        for summary in page.records:
            signers, bad = await self._signers_of(summary)
            records.extend(signers)
            rejected.extend(bad)
        await self.pacer.wait()  # before the next list page, too
        return Page(tuple(records), page.cursor, tuple(rejected))

    async def _signers_of(self, summary: SourceRecord) -> tuple[list[SourceRecord], list[Rejected]]:
        request = read_request(summary.payload)
        response = await fetch_signers(
            self.connector, self.runtime, request.id, where=self.where, pacer=self.pacer
        )
        if response is None:
            return [], []
        if not isinstance(response.data, list):
            reason = (
                f"{self.where}: signers of {request.id}: expected a list, "
                f"got {type(response.data).__name__}"
            )
            return [], [Rejected(request.id, summary.payload, reason)]
        return signer_records(
            request,
            response.data,
            updated_at=summary.updated_at or read_version(response.headers),
            defaults=self.connector.person_defaults,
            where=self.where,
        )

    async def replay(self, payload: str) -> Page:
        try:
            item = json.loads(payload)
            if isinstance(item, Mapping) and "signer" in item:
                item = item.get("signature_request")  # one unreadable signer of the request
            request_id = require_id(require_mapping(item, "signature_request"))
        except (*READ_ERRORS, ValueError) as exc:
            reason = f"{self.where}: {type(exc).__name__}: {exc}"
            return Page((), None, (Rejected(None, payload, reason),))
        response = await fetch_request(self.connector, self.runtime, request_id, where=self.where)
        if response is None:
            return Page((), None)  # deleted since: nothing left to store
        self._read_at = read_version(response.headers)
        records, rejected = self.read_items([response.data])
        return await self._expand(Page(tuple(records), None, tuple(rejected)))
