"""Identity-resolution accuracy: the hub and Splink on FEBRL3, FEBRL4 and the synthetic set.

For each data set, in the same run: the hub (``normalise_person`` on every record, then
``resolve_batch`` with default settings) and the peer, Splink 5 on DuckDB with the plan that
``bench/identity/splink_peer.py`` documents (clusters at match probability 0.9). Pairwise
precision, recall and F1 against the truth come from cluster/entity contingency counts
(``bench/identity/metrics.py``). Then, on the synthetic set, false merges (pairs of different
people put in one profile) and missed pairs (one person's records left apart) per trap kind.

    .venv/bin/python bench/bench_identity_accuracy.py [--synthetic 20000] [--seed 1]
        [--systems hub,splink]

Seconds are wall-clock from person records to clusters (the hub's normalisation included).
Nothing is asserted about any figure.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass

from identity.dataset import LabelledDataset
from identity.febrl import load_febrl3, load_febrl4
from identity.hub_runner import EngineMissing, run_hub
from identity.metrics import PairScores, TrapPairs, pairs_by_trap, pairwise_scores
from identity.report import Cell, table
from identity.splink_peer import MATCH_THRESHOLD, plan_for, run_splink
from identity.synthetic import generate

SYSTEMS = ("hub", "splink")


@dataclass
class Outcome:
    clusters: list[tuple[int, ...]]
    candidate_pairs: int
    seconds: float


def _hub(dataset: LabelledDataset) -> Outcome:
    run = run_hub(dataset.records)
    return Outcome(run.clusters, run.candidate_pairs, run.seconds)


def _splink(dataset: LabelledDataset) -> Outcome:
    run = run_splink(dataset.records, plan_for(dataset), dataset.linked_sources)
    for skipped in run.skipped_training:
        print(f"splink on {dataset.name}: EM session skipped, {skipped}")
    return Outcome(run.clusters, run.candidate_pairs, run.seconds)


RUNNERS: dict[str, Callable[[LabelledDataset], Outcome]] = {"hub": _hub, "splink": _splink}


def _row(dataset: LabelledDataset, system: str, outcome: Outcome | str) -> list[Cell]:
    if isinstance(outcome, str):
        return [dataset.name, system, len(dataset.records), outcome, None, None, None, None]
    scores: PairScores = pairwise_scores(outcome.clusters, dataset.truth)
    return [
        dataset.name, system, len(dataset.records), outcome.candidate_pairs,
        scores.precision, scores.recall, scores.f1, outcome.seconds,
    ]  # fmt: skip


def _trap_table(dataset: LabelledDataset, traps: dict[str, TrapPairs]) -> str:
    kinds = sorted(set(dataset.trap_counts()) | {k for t in traps.values() for k in t.false_merges})
    counts = dataset.trap_counts()
    headers = ["trap", "people"]
    headers += [f"{system} false merges" for system in traps]
    headers += [f"{system} missed pairs" for system in traps]
    rows: list[list[Cell]] = []
    for kind in [*kinds, "none"] if "none" not in kinds else kinds:
        row: list[Cell] = [kind, counts.get(kind) if kind != "none" else None]
        row += [t.false_merges.get(kind, 0) for t in traps.values()]
        row += [t.missed_pairs.get(kind, 0) for t in traps.values()]
        rows.append(row)
    return table(headers, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=20_000, help="synthetic records")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    args = parser.parse_args()
    systems = [s for s in args.systems.split(",") if s]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems {sorted(unknown)}; choose among {', '.join(SYSTEMS)}")

    started = time.perf_counter()
    synthetic = generate(args.synthetic, seed=args.seed)
    print(f"synthetic set: {len(synthetic.records):,} records of {synthetic.entities:,} people, "
          f"generated in {time.perf_counter() - started:.1f} s (seed {args.seed})")  # fmt: skip
    rows: list[list[Cell]] = []
    traps: dict[str, TrapPairs] = {}
    for dataset in (load_febrl3(), load_febrl4(), synthetic):
        for system in systems:
            try:
                outcome: Outcome | str = RUNNERS[system](dataset)
            except EngineMissing as missing:
                outcome = "pending"
                print(f"{system} on {dataset.name}: {missing}")
            rows.append(_row(dataset, system, outcome))
            if dataset is synthetic and isinstance(outcome, Outcome):
                traps[system] = pairs_by_trap(outcome.clusters, dataset.truth, dataset.traps)
    headers = ["data set", "system", "records", "candidate pairs",
               "precision", "recall", "F1", "seconds"]  # fmt: skip
    print()
    print(table(headers, rows))
    print(f"\nSplink clusters pairs at match probability >= {MATCH_THRESHOLD}.")
    if traps:
        print(f"\nSynthetic set ({len(synthetic.records):,} records): pairs per trap kind")
        print(_trap_table(synthetic, traps))


if __name__ == "__main__":
    main()
