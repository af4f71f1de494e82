"""One resolution run over a set of people: block, compare, score, apply rules, cluster, explain.

The same function serves a full batch and the incremental index: the index passes the people
around a new record and a counter of how many source identities hold each key in the whole
base, so caps and shared identifiers are judged as a full run would judge them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hub.identity.collector import collector_paused
from hub.identity.engine.blocking import key_families, pairs_by_family
from hub.identity.engine.clustering import RULE, SCORE, Link, cluster_groups
from hub.identity.engine.columns import build_columns
from hub.identity.engine.comparisons import Compared, compare, conflicts
from hub.identity.engine.components import (
    ambiguous,
    cannot,
    component_pairs,
    component_rows,
    cross_lookup,
    must_links,
)
from hub.identity.engine.components import (
    components as find_components,
)
from hub.identity.engine.explain import Explainer, shared_findings
from hub.identity.engine.fitting import estimate_model
from hub.identity.engine.match_model import MatchModel, configured_model
from hub.identity.engine.preparation import KeyCounter, Prepared, prepare
from hub.identity.engine.rules import RULES, corroborated, rule_of
from hub.identity.engine.settings import EngineSettings
from hub.identity.engine.shared import shared_codes
from hub.identity.engine.trace import Trace
from hub.identity.model import Constraints, NormalisedPerson, Resolution, ResolutionCounts

Progress = Callable[[str, int, int], None]
LOOSE_FAMILIES = ("lf", "pi", "lp", "sh")


@dataclass
class BatchResult:
    resolution: Resolution
    model: MatchModel


@dataclass
class Run:
    """A finished run: its answer, plus the clusters' link graph the incremental index keeps."""

    resolution: Resolution
    model: MatchModel
    component_of: dict[int, int]
    """Record id → a component id (smallest record id) of the graph of merge-strength links."""
    trace: Trace | None = None
    """What the run weighed on the way, when ``run(..., keep_trace=True)`` asked for it."""


def _candidates(
    prepared: Prepared,
    holders: npt.NDArray[np.int64],
    shared_keys: list[int],
    settings: EngineSettings,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], dict[str, npt.NDArray[np.bool_]]]:
    members = np.bincount(prepared.member_key, minlength=len(prepared.key_names))
    caps = {name: settings.loose_block_cap for name in LOOSE_FAMILIES} | {
        "nm": settings.name_block_cap
    }
    kinds = key_families(prepared.key_names)
    cap = np.array([caps.get(kind, settings.block_cap) for kind in kinds.names], np.int64)[
        kinds.codes
    ]
    usable = (members > 1) & (holders <= cap)
    usable[shared_keys] = False
    return pairs_by_family(
        prepared.member_key,
        prepared.member_row,
        kinds,
        usable,
        prepared.rep_group,
        len(prepared.reps),
    )


def _concat(parts: Sequence[Compared]) -> Compared:
    return Compared(
        left=np.concatenate([p.left for p in parts]),
        right=np.concatenate([p.right for p in parts]),
        levels=np.concatenate([p.levels for p in parts]),
        conflict=np.concatenate([p.conflict for p in parts]),
        crossed=np.concatenate([p.crossed for p in parts]),
    )


def run(
    people: Sequence[NormalisedPerson],
    *,
    settings: EngineSettings,
    constraints: Constraints,
    model: MatchModel | None = None,
    counter: KeyCounter | None = None,
    progress: Progress | None = None,
    keep_trace: bool = False,
) -> Run:
    with collector_paused():
        return _run(people, settings, constraints, model, counter, progress, keep_trace)


def _run(
    people: Sequence[NormalisedPerson],
    settings: EngineSettings,
    constraints: Constraints,
    model: MatchModel | None,
    counter: KeyCounter | None,
    progress: Progress | None,
    keep_trace: bool,
) -> Run:
    def report(stage: str, done: int, total: int) -> None:
        if progress:
            progress(stage, done, total)

    prepared = prepare(people)
    size = len(prepared.reps)
    holders = prepared.identities_per_key(counter)
    columns = build_columns(prepared.reps)
    present = holders if counter is None else prepared.identities_per_key(None)
    shared, shared_keys = shared_codes(prepared, columns, holders, present, settings)
    report("blocking", 0, 1)
    left, right, families = _candidates(prepared, holders, shared_keys, settings)
    report("blocking", 1, 1)
    report("comparing", 0, len(left))
    candidates = compare(columns, left, right, shared)
    report("comparing", len(left), len(left))
    if model is None and size < settings.min_records_to_estimate:
        model = configured_model(size)
    if model is None:
        model = estimate_model(
            columns, candidates, families, prepared.rep_group, shared, settings, progress
        )
    candidates.conflict = conflicts(candidates.levels, candidates.crossed, model.conflicts)
    scores = model.scores(columns, candidates)
    rules = rule_of(candidates)
    strong = (rules >= 0) | (
        (scores >= settings.upper_threshold) & (candidates.conflict < 0) & corroborated(candidates)
    )

    must = must_links(prepared, constraints)
    components = find_components(prepared, candidates, strong, must)
    rows_of_component = component_rows(prepared, components)
    extra = component_pairs(prepared, rows_of_component, settings, candidates)
    compared = candidates
    all_scores = scores
    if extra is not None:
        extra_compared = compare(columns, extra[0], extra[1], shared, model.conflicts)
        compared = _concat([candidates, extra_compared])
        all_scores = np.concatenate([scores, model.scores(columns, extra_compared)])
    cross = cross_lookup(prepared, rows_of_component, compared, all_scores)
    torn = ambiguous(
        prepared, candidates, scores, strong & (rules < 0), cross, settings.upper_threshold
    )
    strong &= ~torn

    links = must + [
        Link(
            RULE if rule >= 0 else SCORE,
            float(score),
            prepared.reps[a].record_id,
            prepared.reps[b].record_id,
            int(a),
            int(b),
            RULES[rule] if rule >= 0 else "score",
        )
        for a, b, score, rule in zip(
            candidates.left[strong],
            candidates.right[strong],
            scores[strong],
            rules[strong],
            strict=True,
        )
    ]
    report("clustering", 0, len(links))
    clustering = cluster_groups(
        list(prepared.group_rows),
        prepared.group_rows,
        prepared.rep_group.tolist(),
        links,
        cross,
        size,
        cannot(prepared, constraints),
        settings,
    )
    report("clustering", len(links), len(links))

    explainer = Explainer(prepared, columns, model, compared, all_scores)
    resolution = explainer.resolution(clustering, candidates, scores, strong, settings)
    resolution.findings.extend(shared_findings(prepared, shared_keys, holders))
    resolution.counts = ResolutionCounts(
        records=len(prepared.people),
        candidate_pairs=len(left),
        merged_links=len(clustering.joined),
        review_pairs=len(resolution.review),
        refused_by_guards=len(clustering.refused),
        clusters=len(resolution.clusters),
    )
    component_of = {
        record: components.find(group)
        for group, records in prepared.group_records.items()
        for record in records
    }
    trace = None
    if keep_trace:
        trace = Trace(
            prepared, columns, model, holders, shared, candidates, scores, rules, strong, torn,
            clustering,
        )  # fmt: skip
    return Run(resolution=resolution, model=model, component_of=component_of, trace=trace)


def resolve_batch(
    people: Sequence[NormalisedPerson],
    *,
    settings: EngineSettings | None = None,
    constraints: Constraints | None = None,
    model: MatchModel | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Resolve ``people`` in one batch; the model is estimated from them unless given."""
    result = run(
        people,
        settings=settings or EngineSettings(),
        constraints=constraints or Constraints(),
        model=model,
        progress=progress,
    )
    return BatchResult(resolution=result.resolution, model=result.model)
