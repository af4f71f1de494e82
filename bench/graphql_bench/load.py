"""The load: keep-alive aiohttp clients asking for random customers by e-mail or phone.

``concurrency`` workers each send one request after another on one connection pool, for a fixed
time (or a fixed count of requests), after a warm-up whose requests are not counted. Each answer
must be a customer (HTTP 200, a non-null profile): a benchmark of errors would measure nothing.

Besides time, a run reads the CPU the server's process spent meanwhile (its threads included:
the SQLite driver's too). On a machine shared with other work, req/s follows whoever else is
busy; CPU per request much less so, which makes it the steadier figure to compare by.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import orjson

Lookup = tuple[str, str]
"""(IdentifierKind name, value as a customer gives it)."""
QUERY = (Path(__file__).with_name("customer_360.graphql")).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Target:
    """Where a system answers, and how it is asked for a customer."""

    system: str
    base_url: str
    api_key: str | None = None
    server_pid: int | None = None
    """The serving process, to read its CPU time (Linux); None: not read."""

    async def customer(self, session: aiohttp.ClientSession, lookup: Lookup) -> Any:
        """The answer's ``customerByIdentifier``; raises on an HTTP or GraphQL error."""
        kind, value = lookup
        if self.system == "graphql":
            body = orjson.dumps({"query": QUERY, "variables": {"kind": kind, "value": value}})
            headers = {
                "Authorization": f"Bearer {self.api_key}",
                "Content-Type": "application/json",
            }
            request = session.post(f"{self.base_url}/graphql", data=body, headers=headers)
        else:
            request = session.get(
                f"{self.base_url}/customer", params={"kind": kind, "value": value}
            )
        async with request as response:
            raw = await response.read()
            if response.status != 200:
                raise RuntimeError(f"{self.system}: HTTP {response.status}: {raw[:300]!r}")
        answer = orjson.loads(raw)
        if answer.get("errors"):
            raise RuntimeError(f"{self.system}: {answer['errors']}")
        return answer["data"]["customerByIdentifier"]

    async def customer_of(self, lookup: Lookup) -> Any:
        """:meth:`customer` on a connection of its own."""
        async with aiohttp.ClientSession() as session:
            return await self.customer(session, lookup)


@dataclass(frozen=True)
class Measure:
    system: str
    concurrency: int
    requests: int
    seconds: float
    latencies: Sequence[float]
    server_cpu_seconds: float | None = None
    """CPU the server spent during the measured requests, if read."""

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.server_cpu_seconds is None or not self.requests:
            return None
        return 1000 * self.server_cpu_seconds / self.requests

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile_ms(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.latencies)


async def run_load(
    target: Target,
    lookups: Sequence[Lookup],
    concurrency: int,
    *,
    seconds: float | None = None,
    requests: int | None = None,
    warmup_seconds: float = 1.0,
    seed: int = 1,
) -> Measure:
    """Measure ``target`` under ``concurrency`` workers for ``seconds`` or ``requests``."""
    if (seconds is None) == (requests is None):
        raise ValueError("give either seconds or requests")
    rng = random.Random(seed)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker(until: float, budget: list[int], latencies: list[float]) -> None:
            while time.perf_counter() < until and budget[0] != 0:
                budget[0] -= 1
                lookup = rng.choice(lookups)
                started = time.perf_counter()
                if await target.customer(session, lookup) is None:
                    raise RuntimeError(f"{target.system} found no customer for {lookup}")
                latencies.append(time.perf_counter() - started)

        async def phase(duration: float, count: int) -> tuple[float, list[float]]:
            latencies: list[float] = []
            budget = [count]  # shared by the workers; -1: no limit
            started = time.perf_counter()
            until = started + duration
            await asyncio.gather(*(worker(until, budget, latencies) for _ in range(concurrency)))
            return time.perf_counter() - started, latencies

        await phase(warmup_seconds, -1)
        cpu_before = cpu_seconds(target.server_pid)
        elapsed, latencies = await phase(
            seconds if seconds is not None else float("inf"), requests if requests else -1
        )
        cpu_after = cpu_seconds(target.server_pid)
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return Measure(target.system, concurrency, len(latencies), elapsed, latencies, cpu)


def cpu_seconds(pid: int | None) -> float | None:
    """User and system CPU of process ``pid`` so far, from /proc; None where there is none."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    # after the command name: state is field 3, utime and stime fields 14 and 15 (in ticks)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def same_answers(first: Target, second: Target, sample: Sequence[Lookup]) -> int:
    """Check that both systems return the same customer for each lookup of ``sample``; returns
    how many were compared."""
    async with aiohttp.ClientSession() as session:
        for lookup in sample:
            ours = await first.customer(session, lookup)
            theirs = await second.customer(session, lookup)
            if ours is None or ours != theirs:
                raise AssertionError(
                    f"{first.system} and {second.system} differ for {lookup}:\n{ours}\n{theirs}"
                )
    return len(sample)
