"""Identity-resolution speed: the hub from scratch and one record at a time, Splink beside it.

For each size of the synthetic set (default 100k and 1M records), in one process:

- normalisation: ``normalise_person`` on every record, timed and measured on its own;
- resolution from scratch: ``resolve_batch`` on the normalised people (records/s, candidate
  pairs, peak memory as the growth of this process's peak RSS: ``bench/peak_memory.py``);
- at the largest size, one new record against the base: ~200 records of 200 different people
  are held out, the index is built on the rest (``ResolverIndex.build`` with the model the
  full run estimated) and each held-out record is added with ``index.add([record])``. Each
  belongs to a person no other held-out record belongs to, so adding them one after another
  never lets one find another: every add resolves one record against the base. Median and
  p99 of the adds are printed;
- Splink (the peer: ``bench/identity/splink_peer.py``) on the same records at the sizes given
  by ``--splink-sizes`` (default 100k; add 1000000 when there is time), and the hub's
  throughput as a ratio of Splink's.

    .venv/bin/python bench/bench_identity_speed.py [--sizes 100000,1000000]
        [--splink-sizes 100000] [--new-records 200] [--seed 1] [--normalise-workers 1]

Nothing is asserted about any figure; the machine is shared, so compare within one run. Beside
wall-clock seconds each stage prints the CPU seconds it used (this process and its workers):
when other work holds the cores, wall time grows with the load and CPU time much less, so the
two together say how much of a slow figure was the machine. The ratio to Splink is given both
ways (Splink's DuckDB threads count in its CPU seconds).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from dataclasses import dataclass
from typing import Any

from identity.dataset import LabelledDataset
from identity.hub_runner import EngineMissing, engine, normalise_all, resolve
from identity.report import Cell, table
from identity.splink_peer import plan_for, run_splink
from identity.synthetic import generate
from peak_memory import peak_memory


@dataclass
class Timing:
    system: str
    stage: str
    records: int
    seconds: float
    peak_mib: float | None = None
    candidate_pairs: int | None = None
    cpu_seconds: float | None = None

    @property
    def per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def _sizes(text: str) -> list[int]:
    """Sizes from ``"100000,1000000"``; ``""`` or ``"0"`` is none."""
    return sorted({int(part) for part in text.split(",") if part.strip() and int(part) > 0})


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (worker processes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _hub(dataset: LabelledDataset, workers: int) -> tuple[list[Timing], list[Any], Any]:
    """Timings of both stages, the normalised people and the engine's result."""
    records = dataset.records
    with peak_memory() as memory:
        started, cpu = time.perf_counter(), _cpu_seconds()
        people = normalise_all(records, workers)
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    normalised = Timing("hub", "normalise", len(records), seconds, memory.mib, cpu_seconds=cpu)
    with peak_memory() as memory:
        started, cpu = time.perf_counter(), _cpu_seconds()
        result = resolve(people)
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    pairs = result.resolution.counts.candidate_pairs
    resolved = Timing("hub", "resolve", len(records), seconds, memory.mib, pairs, cpu)
    return [normalised, resolved], people, result


def _held_out(dataset: LabelledDataset, count: int, seed: int) -> list[int]:
    """Positions of ``count`` records of as many different people."""
    rng = random.Random(seed)
    positions = rng.sample(range(len(dataset.records)), min(len(dataset.records), count * 3))
    chosen: list[int] = []
    people: set[str] = set()
    for position in positions:
        person = dataset.truth[dataset.records[position].record_id]
        if person not in people:
            people.add(person)
            chosen.append(position)
        if len(chosen) == count:
            break
    return chosen


def _incremental(
    dataset: LabelledDataset, people: list[Any], result: Any, count: int, seed: int
) -> list[str]:
    module = engine()
    from hub.identity.model import Constraints

    held = set(_held_out(dataset, count, seed))
    base = [person for i, person in enumerate(people) if i not in held]
    started = time.perf_counter()
    index = module.ResolverIndex.build(
        base,
        result.model,
        module.EngineSettings(),
        Constraints(),  # type: ignore[attr-defined]
    )
    build_seconds = time.perf_counter() - started
    adds: list[float] = []
    for position in sorted(held):
        started = time.perf_counter()
        index.add([people[position]])
        adds.append(time.perf_counter() - started)
    adds.sort()
    p99 = adds[min(len(adds) - 1, round(0.99 * (len(adds) - 1)))]
    return [
        f"one new record against {len(base):,} (ResolverIndex.add, {len(adds)} records):",
        f"  index build {build_seconds:.1f} s; add median {statistics.median(adds) * 1e3:.2f} ms,"
        f" p99 {p99 * 1e3:.2f} ms, max {adds[-1] * 1e3:.2f} ms",
    ]


def _splink(dataset: LabelledDataset) -> Timing:
    with peak_memory() as memory:
        cpu = _cpu_seconds()
        run = run_splink(dataset.records, plan_for(dataset), dataset.linked_sources)
        cpu = _cpu_seconds() - cpu
    return Timing("splink", "train+predict+cluster", len(dataset.records), run.seconds,
                  memory.mib, run.candidate_pairs, cpu)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--splink-sizes", default="100000", help="empty: no Splink")
    parser.add_argument("--new-records", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--normalise-workers",
        type=int,
        default=1,
        help="processes normalising (0: one per core; their memory is not in peak MiB)",
    )
    args = parser.parse_args()
    sizes, splink_sizes = _sizes(args.sizes), _sizes(args.splink_sizes)
    timings: list[Timing] = []
    notes: list[str] = []
    hub_missing: str | None = None
    for size in sorted(set(sizes) | set(splink_sizes)):
        if hub_missing and size not in splink_sizes:
            continue
        started = time.perf_counter()
        dataset = generate(size, seed=args.seed)
        print(f"{size:,} records generated in {time.perf_counter() - started:.1f} s", flush=True)
        if size in sizes and hub_missing is None:
            try:
                hub_timings, people, result = _hub(dataset, args.normalise_workers)
                timings += hub_timings
                if size == max(sizes) and args.new_records > 0:
                    notes += _incremental(dataset, people, result, args.new_records, args.seed)
                del people, result
            except EngineMissing as missing:
                hub_missing = str(missing)
        if size in splink_sizes:
            timings.append(_splink(dataset))
        del dataset
    rows: list[list[Cell]] = [
        [t.system, t.stage, t.records, t.candidate_pairs, t.seconds, t.cpu_seconds,
         round(t.per_second), None if t.peak_mib is None else round(t.peak_mib)]
        for t in timings
    ]  # fmt: skip
    headers = ["system", "stage", "records", "candidate pairs", "seconds", "CPU s", "records/s",
               "peak MiB"]  # fmt: skip
    print()
    print(table(headers, rows))
    for line in notes:
        print(line)
    if hub_missing:
        print(f"hub: pending, {hub_missing}")
    for size in splink_sizes:
        hub = {t.stage: t for t in timings if t.system == "hub" and t.records == size}
        peer = next((t for t in timings if t.system == "splink" and t.records == size), None)
        if peer and hub:
            total = sum(t.seconds for t in hub.values())
            cpu = sum(t.cpu_seconds or 0.0 for t in hub.values())
            print(f"{size:,} records: hub (normalise + resolve) {size / total:,.0f} records/s, "
                  f"Splink {peer.per_second:,.0f} records/s: "
                  f"{peer.seconds / total:.2f}x Splink's throughput "
                  f"({(peer.cpu_seconds or 0.0) / cpu:.2f}x in CPU seconds)")  # fmt: skip


if __name__ == "__main__":
    main()
