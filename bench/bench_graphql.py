"""``customerByIdentifier`` over HTTP against a raw Starlette + SQLAlchemy Core floor.

Both serve the same base of full profiles (two source records each, linked by e-mail, with
identifiers, orders, a receipt and a subscription), each from its own uvicorn child process:

- graphql: the hub's app (``hub.app.create_app``) with an admin API key, asked the document
  ``graphql_bench/customer_360.graphql`` (golden fields, identifiers, source records, links);
- floor: one endpoint doing the same reads with SQLAlchemy Core and answering the same JSON
  with orjson (``graphql_bench/floor_app.py`` says what it leaves out).

The parent process is the client: keep-alive aiohttp workers asking for random customers by
e-mail or phone, at each concurrency, for a fixed time after a warm-up; the two systems take
turns (the order alternates), and the first answers of both are checked to be the same data.
Figures are printed; nothing is asserted about them.

    .venv/bin/python bench/bench_graphql.py [--profiles 100000] [--seconds 10]
        [--concurrency 1 8] [--postgres-url postgresql://hub:hub@127.0.0.1:5432/postgres]
        [--profile-graphql graphql.prof]

The SQLite base is built once per size and kept in ~/.cache/hub-bench-graphql; a PostgreSQL
run builds a fresh database (dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from contextlib import ExitStack
from pathlib import Path

from graphql_bench.base import build_base, cached_sqlite_base
from graphql_bench.inputs import bench_key, lookups
from graphql_bench.load import Measure, Target, run_load, same_answers
from graphql_bench.servers import served
from scratch_databases import fresh_database
from sqlalchemy.engine import URL


async def measure(url: URL, args: argparse.Namespace) -> list[Measure]:
    key = await bench_key(url)
    chosen = lookups(args.profiles, args.seed)
    rendered = url.render_as_string(hide_password=False)
    results: list[Measure] = []
    with ExitStack() as stack:
        hub = stack.enter_context(served("graphql", rendered, args.profile_graphql))
        graphql = Target("graphql", hub.url, key, hub.pid)
        floor_server = stack.enter_context(served("floor", rendered))
        floor = Target("floor", floor_server.url, server_pid=floor_server.pid)
        await same_answers(graphql, floor, chosen[:20])
        for turn, concurrency in enumerate(args.concurrency):
            # alternated, so that neither always runs on the warmer (or busier) machine
            order = (floor, graphql) if turn % 2 == 0 else (graphql, floor)
            for target in order:
                result = await run_load(
                    target, chosen, concurrency, seconds=args.seconds,
                    warmup_seconds=args.warmup, seed=args.seed + turn,
                )  # fmt: skip
                print(f"  {target.system} x{concurrency}: {result.per_second:,.0f} req/s")
                results.append(result)
    return results


def report(backend: str, results: list[Measure]) -> None:
    """The table: req/s and latencies, the server's CPU per request, and each as a ratio to the
    floor's (for CPU, the floor's ms ÷ GraphQL's, so that higher is better in both)."""
    columns = f"{'concurrency':>12}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
    print(f"\n{backend:<12}{'system':<9}{columns}{'÷ floor':>9}{'CPU ms/req':>12}{'÷ floor':>9}")
    floors = {r.concurrency: r for r in results if r.system == "floor"}
    for r in sorted(results, key=lambda r: (r.concurrency, r.system != "floor")):
        floor = floors[r.concurrency]
        ratio = "" if r.system == "floor" else f"{r.per_second / floor.per_second:.2f}"
        figures = f"{r.per_second:>9,.0f}{r.median_ms:>9.2f}{r.percentile_ms(0.99):>9.2f}"
        cpu, floor_cpu = r.cpu_ms_per_request, floor.cpu_ms_per_request
        cpu_text = "" if cpu is None else f"{cpu:.2f}"
        cpu_ratio = (
            "" if r.system == "floor" or not cpu or not floor_cpu else f"{floor_cpu / cpu:.2f}"
        )
        print(
            f"{'':<12}{r.system:<9}{r.concurrency:>12}{r.requests:>10}{figures}{ratio:>9}"
            f"{cpu_text:>12}{cpu_ratio:>9}"
        )


async def run(args: argparse.Namespace) -> None:
    print(f"SQLite base of {args.profiles:,} profiles…")
    url = await cached_sqlite_base(args.profiles, args.seed)
    report("sqlite", await measure(url, args))
    if args.postgres_url:
        with tempfile.TemporaryDirectory() as scratch:
            async with fresh_database("postgresql", Path(scratch), args.postgres_url) as pg:
                print(f"PostgreSQL base of {args.profiles:,} profiles…")
                await build_base(pg, args.profiles, args.seed)
                report("postgresql", await measure(pg, args))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per run")
    parser.add_argument("--warmup", type=float, default=2.0, help="uncounted seconds first")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument(
        "--postgres-url", help="also run on PostgreSQL (a role that may create databases)"
    )
    parser.add_argument(
        "--profile-graphql", type=Path, help="cProfile the GraphQL server into this file"
    )
    args = parser.parse_args()

    asyncio.run(run(args))


if __name__ == "__main__":
    main()
