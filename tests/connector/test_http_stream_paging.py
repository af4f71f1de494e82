"""HttpStream against a small live API: every page in order with a cursor after each, resumes
mid-sequence with the same filter, incremental runs from the watermark, and what stops a run."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from hub.connector import AuthenticationError, ConnectorRuntime, StreamCursor
from hub.errors import ConnectorError
from hub.sandbox import serve
from tests.connector.people_api import (
    PeopleApi,
    PeopleConnector,
    PeopleSettings,
    PeopleStream,
    day,
    person,
)
from tests.connector.stream_reading import cursor_of, first_page, ids, people_stream, read_all


def without_start(cursor: StreamCursor) -> StreamCursor:
    return dataclasses.replace(cursor, started=None)


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
    assert [without_start(cursor_of(page)) for page in pages] == [
        StreamCursor(None, "off-2", day(2).isoformat()),
        StreamCursor(None, "off-4", day(4).isoformat()),
        StreamCursor(None, None, day(5).isoformat()),
    ]
    starts = {cursor_of(page).started for page in pages[:-1]}
    assert len(starts) == 1 and None not in starts  # one sequence, started once
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
    assert without_start(cursor_of(first)) == StreamCursor(since, "off-2", day(4).isoformat())
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


async def test_the_watermark_never_passes_the_start_of_its_sequence(
    runtime: ConnectorRuntime,
) -> None:
    """Sources page by id, not by update time: a record changed behind the pages already read
    (at a time before the newest seen) must still be read next run, so the next run starts
    from when this sequence started, not from the newest change seen in it."""
    ahead = datetime.now(UTC) + timedelta(minutes=2)  # a source clock a little ahead
    api = PeopleApi([person(1), person(2), person(3, updated=ahead)])
    async with serve(api.app) as base:
        pages = await read_all(people_stream(base, runtime))
    started = cursor_of(pages[0]).started
    finished = cursor_of(pages[-1])
    assert started is not None and finished.watermark is not None
    assert finished.watermark == started
    assert finished.started is None  # the sequence is over
