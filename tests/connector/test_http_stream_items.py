"""HttpStream: items ``to_record`` cannot read are rejected with a reason while the rest of the
page is kept, and a quarantined payload is read again on replay."""

from __future__ import annotations

import json

from hub.connector import ConnectorRuntime
from hub.sandbox import serve
from tests.connector.people_api import PeopleApi, PeopleStream, day, person
from tests.connector.stream_reading import cursor_of, ids, people_stream, read_all


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
