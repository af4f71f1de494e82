"""Full Shopify sync into SQLite and PostgreSQL against a raw floor measured in the same run.

The Shopify sandbox (``ShopifySandbox(Population(N, seed), share=1.0)``: about N customers and
3N orders) is served from a spawned child process, so this process is measured as a client of a
remote API. Per backend, each repeat times, on a fresh database:

- hub sync: plugins.toml for the sandbox, ``Hub.open`` and ``sync_connector`` with pages of 250:
  fetch, map, hash, upsert records with their identifiers and activities, and commit each page
  with its cursor. Timed from the call to its return (database migrations excluded).
- floor: the same pages from the same sandbox process with plain aiohttp, one raw row per item,
  bulk-inserted with the backend's fastest raw path; ``raw_floor.py`` says exactly what it
  includes and leaves out. Timed from connecting to the final commit.

A fetch-only pass (the floor storing nothing) shows how much of either is the sandbox and HTTP.
Peak memory is the growth of this process's peak RSS during the run (``VmHWM``, reset before each
run; ``ru_maxrss`` where the kernel refuses the reset), not tracemalloc, which would slow it down.
Figures are medians over the repeats; nothing is asserted about them.

    .venv/bin/python bench/bench_shopify_sync.py [--customers 100000] [--repeat 3]
        [--backend sqlite|postgresql|both] [--postgres-url postgresql://user:pw@host/postgres]

Quick check: ``--customers 10000 --repeat 1``. PostgreSQL needs ``--postgres-url`` or
``HUB_BENCH_POSTGRES_URL`` (a role allowed to create databases); without it only SQLite runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from peak_memory import peak_memory
from raw_floor import PAGE_SIZE, fetch_only, floor_postgresql, floor_sqlite
from remote_shop import INSTANCE, RemoteShop, remote_shop
from scratch_databases import asyncpg_dsn, fresh_database, sqlite_path
from sqlalchemy.engine import URL

from hub.config import render_instance
from hub.connector import ConnectorRuntime
from hub.runtime import Hub
from hub.sync.engine import sync_connector

FLOOR_LABELS = {"sqlite": "floor (sqlite3)", "postgresql": "floor (asyncpg COPY)"}


@dataclass(frozen=True)
class Sample:
    seconds: float
    records: int
    peak_mib: float
    memory_method: str


async def measured(run: Callable[[], Awaitable[int]]) -> Sample:
    with peak_memory() as peak:
        started = time.perf_counter()
        records = await run()
        seconds = time.perf_counter() - started
    return Sample(seconds, records, peak.mib, peak.method)


async def hub_sync(shop: RemoteShop, url: URL, scratch: Path) -> Sample:
    config_path = scratch / "plugins.toml"
    table = {**shop.config.table, "page_size": PAGE_SIZE}
    config_path.write_text(render_instance(INSTANCE, table), encoding="utf-8")
    os.environ.update(shop.config.env)  # the credentials plugins.toml refers to
    hub = await Hub.open(config_path, url=url)
    try:
        async with ConnectorRuntime.open() as runtime:

            async def run() -> int:
                result = await sync_connector(hub.connectors[INSTANCE], hub.sessions, runtime)
                assert result.status == "succeeded", result.error
                return result.counts.inserted

            return await measured(run)
    finally:
        await hub.close()


async def floor(shop: RemoteShop, url: URL) -> Sample:
    if url.get_backend_name() == "sqlite":
        return await measured(lambda: floor_sqlite(shop, sqlite_path(url)))
    return await measured(lambda: floor_postgresql(shop, asyncpg_dsn(url)))


async def measure(args: argparse.Namespace, shop: RemoteShop) -> dict[str, list[Sample]]:
    samples: dict[str, list[Sample]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        for repeat in range(args.repeat):
            samples["fetch only"].append(await measured(lambda: fetch_only(shop)))
            for backend in args.backends:
                runs = ["floor", "hub"] if repeat % 2 == 0 else ["hub", "floor"]
                for run in runs:  # alternated, so neither always runs on a warmer machine
                    async with fresh_database(backend, scratch, args.postgres_url) as url:
                        if run == "hub":
                            sample = await hub_sync(shop, url, scratch)
                        else:
                            sample = await floor(shop, url)
                    samples[f"{backend} {run}"].append(sample)
                    print(f"  repeat {repeat + 1}: {backend} {run}: {sample.seconds:.2f}s")
    return samples


def report(args: argparse.Namespace, shop: RemoteShop, samples: dict[str, list[Sample]]) -> None:
    expected = shop.customers + shop.orders
    for key, runs in samples.items():
        assert all(s.records == expected for s in runs), f"{key} stored {runs[0].records}"
    method = samples["fetch only"][0].memory_method
    print(
        f"\nrecords: {shop.customers:,} customers + {shop.orders:,} orders = {expected:,}; "
        f"pages of {PAGE_SIZE}; medians of {args.repeat} repeat(s); "
        f"peak memory: growth of peak RSS ({method}) during the run"
    )
    print(f"{'':32}{'seconds':>9}{'(min-max)':>14}{'records/s':>11}{'peak MiB':>10}{'÷ floor':>9}")

    def row(label: str, runs: list[Sample], ratio: str = "") -> None:
        seconds = statistics.median(s.seconds for s in runs)
        spread = f"{min(s.seconds for s in runs):.1f}-{max(s.seconds for s in runs):.1f}"
        peak = statistics.median(s.peak_mib for s in runs)
        rate = expected / seconds
        print(f"{label:32}{seconds:>9.2f}{spread:>14}{rate:>11,.0f}{peak:>10.0f}{ratio:>9}")

    row("fetch only (no storing)", samples["fetch only"])
    for backend in args.backends:
        floor_runs, hub_runs = samples[f"{backend} floor"], samples[f"{backend} hub"]
        ratio = statistics.median(s.seconds for s in floor_runs) / statistics.median(
            s.seconds for s in hub_runs
        )
        row(f"{backend}: {FLOOR_LABELS[backend]}", floor_runs)
        row(f"{backend}: hub sync", hub_runs, f"{ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000, help="population size")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres-url", default=os.environ.get("HUB_BENCH_POSTGRES_URL"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in args.backends and not args.postgres_url:
        print("PostgreSQL skipped: pass --postgres-url or set HUB_BENCH_POSTGRES_URL")
        args.backends.remove("postgresql")
    if not args.backends:
        return
    print(f"serving the Shopify sandbox for {args.customers:,} people in a child process…")
    with remote_shop(args.customers, args.seed) as shop:
        samples = asyncio.run(measure(args, shop))
    report(args, shop, samples)


if __name__ == "__main__":
    main()
