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
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from connectors.yousign.client import RatePacer, fetch_signers, read_version
from connectors.yousign.mapping import read_request, signer_records
from hub.connector import ConnectorRuntime, CursorPaginator, HttpStream, JsonResponse
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
