"""HttpStream through the sync engine: a run records the retries its requests needed."""

from __future__ import annotations

from hub.connector import ConnectorRuntime
from hub.runtime import Hub
from hub.sandbox import serve
from hub.store import sync_state
from hub.sync.engine import RunCounts, sync_connector
from tests.connector.people_api import PeopleApi, PeopleConnector, PeopleSettings, person


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
