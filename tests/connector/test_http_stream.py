"""HttpStream against small live APIs: paging, cursors to resume and to sync incrementally,
quarantined items, a looping source, and replays. One API per pagination style."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Sequence
from contextlib import aclosing
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from hub.connector import (
    AuthenticationError,
    ConnectorRuntime,
    CursorPaginator,
    HttpClient,
    HttpStream,
    LinkHeaderPaginator,
    SourceRequestError,
    StreamCursor,
)
from hub.errors import ConnectorError
from hub.records import Page
from hub.runtime import Hub
from hub.sandbox import serve
from hub.store import sync_state
from hub.sync.engine import RunCounts, sync_connector
from tests.connector.conftest import RecordingSleep
from tests.connector.people_api import (
    PeopleApi,
    PeopleConnector,
    PeopleSettings,
    PeopleStream,
    day,
    person,
)


@pytest.fixture
async def runtime(session: aiohttp.ClientSession) -> ConnectorRuntime:
    return ConnectorRuntime(HttpClient(session, sleep=RecordingSleep()))


def people_stream(
    base: str, runtime: ConnectorRuntime, stream_class: type[PeopleStream] = PeopleStream
) -> PeopleStream:
    """A new connector instance and stream, as a new sync run would make them."""
    return stream_class(PeopleConnector("crm", PeopleSettings(base)), runtime)


async def read_all(stream: HttpStream, cursor: str | None = None) -> list[Page]:
    return [page async for page in stream.pages(cursor)]


async def first_page(stream: HttpStream, cursor: str | None) -> Page:
    """The first page only, as a sync killed right after committing it would have read."""
    pages = stream.pages(cursor)
    assert isinstance(pages, AsyncGenerator)
    async with aclosing(pages):
        return await anext(pages)


def ids(pages: Sequence[Page]) -> list[list[str]]:
    return [[record.source_id for record in page.records] for page in pages]


def cursor_of(page: Page) -> StreamCursor:
    return StreamCursor.load(page.cursor, "test")


# --- paging ------------------------------------------------------------------------------------


async def test_reads_every_page_in_order_with_a_cursor_after_each(
    runtime: ConnectorRuntime,
) -> None:
    api = PeopleApi([person(n) for n in range(1, 6)])
    async with serve(api.app) as base:
        pages = await read_all(people_stream(base, runtime))
    assert ids(pages) == [["1", "2"], ["3", "4"], ["5"]]
    assert api.queries == [
        {"limit": "2"},
        {"limit": "2", "after": "off-2"},
        {"limit": "2", "after": "off-4"},
    ]
    assert [cursor_of(page) for page in pages] == [
        StreamCursor(None, "off-2", day(2).isoformat()),
        StreamCursor(None, "off-4", day(4).isoformat()),
        StreamCursor(None, None, day(5).isoformat()),
    ]
    record = pages[0].records[0]
    assert (record.entity, record.updated_at, record.person) == (
        "customer",
        day(1),
        {"last_name": "Person 1"},
    )
    assert all(not page.rejected for page in pages)


async def test_a_killed_sync_resumes_mid_sequence_with_the_same_filter(
    runtime: ConnectorRuntime,
) -> None:
    api = PeopleApi([person(n) for n in range(1, 8)])
    finished = StreamCursor(watermark=day(3, minute=4).isoformat()).dump()
    since = (day(3, minute=4) - timedelta(minutes=5)).isoformat()
    async with serve(api.app) as base:
        first = await first_page(people_stream(base, runtime), finished)  # then the run dies
        resumed = await read_all(people_stream(base, runtime), first.cursor)
    assert ids([first]) == [["3", "4"]]
    assert ids(resumed) == [["5", "6"], ["7"]]
    assert api.queries == [
        {"limit": "2", "updated_since": since},
        {"limit": "2", "updated_since": since, "after": "off-2"},
        {"limit": "2", "updated_since": since, "after": "off-4"},
    ]
    assert cursor_of(first) == StreamCursor(since, "off-2", day(4).isoformat())
    assert cursor_of(resumed[-1]) == StreamCursor(None, None, day(7).isoformat())


async def test_the_next_sync_starts_at_the_watermark_minus_the_overlap(
    runtime: ConnectorRuntime,
) -> None:
    api = PeopleApi([person(n) for n in range(1, 6)])
    async with serve(api.app) as base:
        first_run = await read_all(people_stream(base, runtime))
        api.people[1] = person(2, updated=day(9))  # changed after the first run
        api.people.append(person(6, updated=day(9, minute=30)))
        api.queries.clear()
        second_run = await read_all(people_stream(base, runtime), first_run[-1].cursor)
    since = (day(5) - PeopleStream.overlap).isoformat()
    assert api.queries[0] == {"limit": "2", "updated_since": since}
    # Person 5 comes again (inside the overlap); 1, 3 and 4 are not read again.
    assert sorted(r.source_id for page in second_run for r in page.records) == ["2", "5", "6"]
    assert cursor_of(second_run[-1]) == StreamCursor(None, None, day(9, minute=30).isoformat())


async def test_a_stream_without_incremental_filter_reads_everything_every_time(
    runtime: ConnectorRuntime,
) -> None:
    class Everything(PeopleStream):
        incremental = False

    api = PeopleApi([person(n) for n in range(1, 4)])
    saved = StreamCursor(watermark=day(3).isoformat()).dump()
    async with serve(api.app) as base:
        pages = await read_all(people_stream(base, runtime, Everything), saved)
    assert ids(pages) == [["1", "2"], ["3"]]
    assert "updated_since" not in api.queries[0]
    assert cursor_of(pages[-1]).watermark == day(3).isoformat()


@pytest.mark.parametrize(
    "saved", ["not json", "[1, 2]", '"text"', "42", '{"watermark": "last tuesday"}']
)
async def test_an_unreadable_saved_cursor_reads_from_the_beginning(
    runtime: ConnectorRuntime, saved: str
) -> None:
    api = PeopleApi([person(n) for n in range(1, 4)])
    async with serve(api.app) as base:
        pages = await read_all(people_stream(base, runtime), saved)
    assert ids(pages) == [["1", "2"], ["3"]]
    assert api.queries[0] == {"limit": "2"}


async def test_a_page_without_the_list_is_an_empty_page(runtime: ConnectorRuntime) -> None:
    class Nested(PeopleStream):
        items_path = "result.items"  # absent from the body: Square leaves an empty list out

    api = PeopleApi([person(1)])
    async with serve(api.app) as base:
        pages = await read_all(people_stream(base, runtime, Nested))
    assert [(page.records, page.rejected) for page in pages] == [((), ())]


async def test_something_else_than_a_list_at_the_items_path_stops_the_run(
    runtime: ConnectorRuntime,
) -> None:
    class Wrong(PeopleStream):
        items_path = "meta"

    api = PeopleApi([person(1)])
    async with serve(api.app) as base:
        with pytest.raises(
            ConnectorError, match=r"^crm/people: expected a list at 'meta', got dict"
        ):
            await read_all(people_stream(base, runtime, Wrong))


async def test_refused_credentials_name_the_instance_and_stream(
    runtime: ConnectorRuntime,
) -> None:
    api = PeopleApi([person(1)])
    async with serve(api.app) as base:
        stream = PeopleStream(PeopleConnector("crm", PeopleSettings(base, "expired")), runtime)
        with pytest.raises(AuthenticationError, match=r"^crm/people: .*HTTP 401"):
            await read_all(stream)
    assert len(api.queries) == 1


# --- unreadable items ---------------------------------------------------------------------------


async def test_items_to_record_cannot_read_are_rejected_and_the_rest_kept(
    runtime: ConnectorRuntime,
) -> None:
    no_time = {"id": 2, "name": "Person 2"}
    bad_time = {"id": 3, "name": "Person 3", "updated_at": "yesterday"}
    no_id = {"name": "Person 4", "updated_at": "2024-05-04T10:00:00Z"}
    api = PeopleApi([person(1), no_time, bad_time, "oops", no_id, 42, person(7)])

    class OnePage(PeopleStream):
        page_size = 10

    async with serve(api.app) as base:
        [page] = await read_all(people_stream(base, runtime, OnePage))
    assert ids([page]) == [["1", "7"]]
    assert [(r.source_id, r.payload, r.reason) for r in page.rejected] == [
        ("2", no_time, "crm/people: KeyError: 'updated_at'"),
        ("3", bad_time, "crm/people: RecordError: updated_at: 'yesterday' is not an ISO 8601 time"),
        (None, '"oops"', "crm/people: RecordError: expected an object, got str"),
        (None, no_id, "crm/people: RecordError: id: missing or not an id (None)"),
        (None, "42", "crm/people: RecordError: expected an object, got int"),
    ]
    assert cursor_of(page).watermark == day(7).isoformat()  # from the records read only


async def test_replay_reads_a_quarantined_payload_again(runtime: ConnectorRuntime) -> None:
    stream = people_stream("http://127.0.0.1:9", runtime)  # replay makes no request
    fixed = await stream.replay(json.dumps(person(2)))
    assert ids([fixed]) == [["2"]]
    assert (fixed.cursor, fixed.rejected) == (None, ())
    still_bad = await stream.replay(json.dumps({"id": 3, "name": "Person 3"}))
    assert still_bad.records == ()
    assert [(r.source_id, r.reason) for r in still_bad.rejected] == [
        ("3", "crm/people: KeyError: 'updated_at'")
    ]
    not_an_object = await stream.replay('"oops"')
    assert [r.payload for r in not_an_object.rejected] == ['"oops"']
    via_connector = await stream.connector.replay("people", json.dumps(person(5)), runtime)
    assert ids([via_connector]) == [["5"]]


# --- a source that loops ---------------------------------------------------------------------


async def test_a_repeated_page_token_stops_the_run_instead_of_looping(
    runtime: ConnectorRuntime,
) -> None:
    api = PeopleApi([person(n) for n in range(1, 8)])
    api.faults.repeat_token = 1  # the second page hands out its own token again
    pages: list[Page] = []
    async with serve(api.app) as base:
        with pytest.raises(ConnectorError) as caught:
            async for page in people_stream(base, runtime).pages(None):
                pages.append(page)
        assert str(caught.value) == (
            "crm/people: the source sent the page token 'off-2' twice; stopped rather than "
            "loop (the pages read are saved; the next run starts this query over)"
        )
        assert ids(pages) == [["1", "2"], ["3", "4"]]  # the page with the repeat is kept
        assert len(api.queries) == 2
        restart = cursor_of(pages[-1])
        assert (restart.next, restart.restart) == (None, True)
        # The next run starts the same query over, instead of looping on the saved token.
        again = await read_all(people_stream(base, runtime), pages[-1].cursor)
    assert ids(again) == [["1", "2"], ["3", "4"], ["5", "6"], ["7"]]
    assert "after" not in api.queries[2]


async def test_a_saved_page_token_the_source_refuses_starts_the_query_over(
    runtime: ConnectorRuntime,
) -> None:
    api = PeopleApi([person(n) for n in range(1, 6)])
    api.expired_tokens.add("off-2")
    saved = StreamCursor(next="off-2").dump()
    async with serve(api.app) as base:
        pages = await read_all(people_stream(base, runtime), saved)
    assert ids(pages) == [["1", "2"], ["3", "4"], ["5"]]
    assert [q.get("after") for q in api.queries] == ["off-2", None, "off-2", "off-4"]


async def test_a_refused_token_in_the_middle_of_a_run_is_still_an_error(
    runtime: ConnectorRuntime,
) -> None:
    api = PeopleApi([person(n) for n in range(1, 6)])
    api.expired_tokens.add("off-2")
    async with serve(api.app) as base:
        with pytest.raises(SourceRequestError, match="cursor expired"):
            await read_all(people_stream(base, runtime))


async def test_a_future_updated_at_does_not_move_the_watermark(
    runtime: ConnectorRuntime,
) -> None:
    next_year = datetime.now(UTC) + timedelta(days=365)
    api = PeopleApi([person(1), person(2, updated=next_year), person(3)])
    async with serve(api.app) as base:
        pages = await read_all(people_stream(base, runtime))
    watermark = cursor_of(pages[-1]).watermark
    assert watermark is not None
    assert datetime.fromisoformat(watermark) == day(3)


async def test_a_resumed_sequence_also_refuses_the_token_it_resumed_from(
    runtime: ConnectorRuntime,
) -> None:
    api = PeopleApi([person(n) for n in range(1, 8)])
    api.faults.repeat_token = 1
    async with serve(api.app) as base:
        with pytest.raises(ConnectorError, match="'off-4' twice"):
            await read_all(people_stream(base, runtime), StreamCursor(next="off-4").dump())
    assert api.queries == [{"limit": "2", "after": "off-4"}]


# --- the cursor itself ------------------------------------------------------------------------


def test_stream_cursor_round_trips_through_text() -> None:
    cursor = StreamCursor("2024-05-01T09:55:00+00:00", "off-2", "2024-05-04T10:00:00+00:00")
    text = cursor.dump()
    assert json.loads(text) == {
        "since": "2024-05-01T09:55:00+00:00",
        "next": "off-2",
        "watermark": "2024-05-04T10:00:00+00:00",
    }
    assert " " not in text
    assert StreamCursor.load(text, "crm/people") == cursor
    assert StreamCursor.load(StreamCursor().dump(), "crm/people") == StreamCursor()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, StreamCursor()),
        ("", StreamCursor()),
        ("{oops", StreamCursor()),
        ("[]", StreamCursor()),
        ('{"next": 42, "shape": "v2"}', StreamCursor(next="42")),  # unknown keys ignored
    ],
)
def test_stream_cursor_load_never_fails(text: str | None, expected: StreamCursor) -> None:
    assert StreamCursor.load(text, "crm/people") == expected


# --- the other two pagination styles, end to end ------------------------------------------------


class ShopApi:
    """Shopify's style: the next page is a URL in ``Link``; its ``page_info`` must not be sent
    with the first request's filters again (Shopify answers 400)."""

    def __init__(self, customers: list[dict[str, Any]]) -> None:
        self.customers = customers
        self.queries: list[dict[str, str]] = []
        self.app = web.Application()
        self.app.router.add_get("/admin/customers.json", self.list_customers)

    async def list_customers(self, request: web.Request) -> web.Response:
        query = dict(request.query)
        self.queries.append(query)
        if "page_info" in query and "updated_at_min" in query:
            return web.json_response({"errors": "page_info takes no other filter"}, status=400)
        offset = int(query.get("page_info", "0"))
        limit = int(query["limit"])
        headers = {}
        if offset + limit < len(self.customers):
            url = request.url.with_query({"limit": str(limit), "page_info": str(offset + limit)})
            headers["Link"] = f'<{url}>; rel="next"'
        body = {"customers": self.customers[offset : offset + limit]}
        return web.json_response(body, headers=headers)


class ShopCustomers(PeopleStream):
    name = "customers"
    path = "/admin/customers.json"
    items_path = "customers"
    paginator = LinkHeaderPaginator()

    def params(self, since: datetime | None) -> dict[str, str]:
        return {"limit": "2", **({"updated_at_min": since.isoformat()} if since else {})}


async def test_link_header_pages_are_followed_without_the_first_filters(
    runtime: ConnectorRuntime,
) -> None:
    api = ShopApi([person(n) for n in range(1, 6)])
    saved = StreamCursor(watermark=day(1, minute=10).isoformat()).dump()
    async with serve(api.app) as base:
        pages = await read_all(people_stream(base, runtime, ShopCustomers), saved)
    assert ids(pages) == [["1", "2"], ["3", "4"], ["5"]]
    assert api.queries == [
        {"limit": "2", "updated_at_min": day(1, minute=5).isoformat()},
        {"limit": "2", "page_info": "2"},
        {"limit": "2", "page_info": "4"},
    ]
    assert cursor_of(pages[0]).next == f"{base}/admin/customers.json?limit=2&page_info=2"


class SquareApi:
    """Square's search style: POST a query; the cursor goes back in the same JSON body."""

    def __init__(self, customers: list[dict[str, Any]]) -> None:
        self.customers = customers
        self.bodies: list[dict[str, Any]] = []
        self.app = web.Application()
        self.app.router.add_post("/v2/customers/search", self.search)

    async def search(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.bodies.append(body)
        offset = int(body.get("cursor", "0"))
        end = offset + body["limit"]
        page: dict[str, Any] = {"customers": self.customers[offset:end]}
        if end < len(self.customers):
            page["cursor"] = str(end)
        return web.json_response(page)


class SquareCustomers(PeopleStream):
    name = "customers"
    method = "POST"
    path = "/v2/customers/search"
    items_path = "customers"
    paginator = CursorPaginator("cursor", body_field="cursor")

    def params(self, since: datetime | None) -> dict[str, str]:
        return {}

    def body(self, since: datetime | None) -> Any:
        start = since.isoformat() if since else "1970-01-01T00:00:00+00:00"
        return {"limit": 2, "query": {"filter": {"updated_at": {"start_at": start}}}}


async def test_a_body_cursor_is_sent_back_with_the_same_search(
    runtime: ConnectorRuntime,
) -> None:
    api = SquareApi([person(n) for n in range(1, 6)])
    async with serve(api.app) as base:
        first = await first_page(people_stream(base, runtime, SquareCustomers), None)
        resumed = await read_all(people_stream(base, runtime, SquareCustomers), first.cursor)
    assert ids([first, *resumed]) == [["1", "2"], ["3", "4"], ["5"]]
    search = {
        "limit": 2,
        "query": {"filter": {"updated_at": {"start_at": "1970-01-01T00:00:00+00:00"}}},
    }
    assert api.bodies == [search, {**search, "cursor": "2"}, {**search, "cursor": "4"}]


# --- through the sync engine -------------------------------------------------------------------


async def test_a_sync_run_records_the_retries_its_requests_needed(
    hub: Hub, runtime: ConnectorRuntime
) -> None:
    api = PeopleApi([person(n) for n in range(1, 6)])
    async with serve(api.app) as base:
        connector = PeopleConnector("crm_api", PeopleSettings(base))
        api.faults.rate_limit = 2  # spent before the run, on the same client
        await runtime.http.request_json(
            "GET", f"{base}/v1/people", where="warm-up", headers=connector.headers()
        )
        api.faults.update({"server_errors": 1, "truncate": 1})
        result = await sync_connector(connector, hub.sessions, runtime)
    assert runtime.http.retries == 4
    assert (result.status, result.error) == ("succeeded", None)
    assert result.counts == RunCounts(fetched=5, inserted=5, retries=2)
    async with hub.sessions() as session:
        [run] = await sync_state.recent_runs(session, "crm_api")
    assert run.counts["retries"] == 2
