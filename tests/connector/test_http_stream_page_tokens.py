"""HttpStream against a source that loops or forgets: a repeated page token stops the run
instead of looping, and a refused saved token starts the query over."""

from __future__ import annotations

import pytest

from hub.connector import ConnectorRuntime, SourceRequestError, StreamCursor
from hub.errors import ConnectorError
from hub.records import Page
from hub.sandbox import serve
from tests.connector.people_api import PeopleApi, person
from tests.connector.stream_reading import cursor_of, ids, people_stream, read_all


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


async def test_a_resumed_sequence_also_refuses_the_token_it_resumed_from(
    runtime: ConnectorRuntime,
) -> None:
    api = PeopleApi([person(n) for n in range(1, 8)])
    api.faults.repeat_token = 1
    async with serve(api.app) as base:
        with pytest.raises(ConnectorError, match="'off-4' twice"):
            await read_all(people_stream(base, runtime), StreamCursor(next="off-4").dump())
    assert api.queries == [{"limit": "2", "after": "off-4"}]
