"""The GraphQL benchmark's machinery at a tiny size: the floor reads what the hub answers."""

from __future__ import annotations

from sqlalchemy.engine import URL

from bench.graphql_bench.base import build_base
from bench.graphql_bench.inputs import bench_key, lookups
from bench.graphql_bench.load import Target, run_load, same_answers
from bench.graphql_bench.servers import served

PROFILES = 200


async def test_the_floor_returns_the_customer_graphql_returns(db_url: URL) -> None:
    await build_base(db_url, PROFILES, seed=3, progress=lambda _: None)
    key = await bench_key(db_url)
    chosen = lookups(PROFILES, seed=3, count=20)
    assert {kind for kind, _ in chosen} == {"EMAIL", "PHONE"}
    rendered = db_url.render_as_string(hide_password=False)
    with served("graphql", rendered) as hub, served("floor", rendered) as floor_server:
        graphql = Target("graphql", hub.url, key, hub.pid)
        floor = Target("floor", floor_server.url, server_pid=floor_server.pid)
        assert await same_answers(graphql, floor, chosen) == 20

        customer = await graphql.customer_of(chosen[0])
        assert [r["connector"] for r in customer["sourceRecords"]] == ["shop", "loyalty"]
        assert customer["sourceRecords"][1]["link"]["evidence"]["rule"] == "email"
        assert {i["kind"] for i in customer["identifiers"]} == {
            "EMAIL", "PHONE", "SOURCE_CUSTOMER_ID", "LOYALTY_CARD"
        }  # fmt: skip
        assert len(customer["orders"]) == 2 and len(customer["subscriptions"]) == 1
        timeline = customer["timeline"]
        assert [edge["node"]["activity"]["kind"] for edge in timeline["edges"]].count("ORDER") == 2
        assert len(timeline["edges"]) == 4 and not timeline["pageInfo"]["hasNextPage"]

        for target in (graphql, floor):
            measured = await run_load(target, chosen, 2, requests=20, warmup_seconds=0.1)
            assert measured.requests == len(measured.latencies) == 20
            # the server's own CPU, read from /proc: 20 answers cannot cost nothing
            assert measured.cpu_ms_per_request is not None and measured.cpu_ms_per_request > 0
