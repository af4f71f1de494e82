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

from hub.identity.engine.blocking import family, pairs_by_family
from hub.identity.engine.clustering import MUST, RULE, SCORE, Link, cluster_groups
from hub.identity.engine.columns import Columns, build_columns
from hub.identity.engine.comparisons import NO_CONFLICT, Compared, compare, conflicts
from hub.identity.engine.explain import Explainer, shared_findings
from hub.identity.engine.fitting import estimate_model
from hub.identity.engine.groups import UnionFind
from hub.identity.engine.keys import IDENTIFIER_PREFIXES
from hub.identity.engine.match_model import MatchModel, configured_model
from hub.identity.engine.preparation import KeyCounter, Prepared, prepare
from hub.identity.engine.rules import RULES, corroborated, rule_of
from hub.identity.engine.settings import EngineSettings
from hub.identity.model import Constraints, NormalisedPerson, Resolution, ResolutionCounts

Progress = Callable[[str, int, int], None]
_COLUMN_OF_FIELD = {
    "email": "email0",
    "phone": "phone0",
    "loyalty_card": "card0",
    "national_id": "natid",
}


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


def _shared_codes(
    prepared: Prepared, columns: Columns, holders: npt.NDArray[np.int64], settings: EngineSettings
) -> tuple[dict[str, set[int]], list[int]]:
    """Identifier values held by too many source identities: per field their column codes,
    and the codes of their keys."""
    shared: dict[str, set[int]] = {}
    keys: list[int] = []
    for code in np.flatnonzero(holders > settings.shared_cap).tolist():
        key = prepared.key_names[code]
        field = IDENTIFIER_PREFIXES.get(key[:1]) if key[1:2] == ":" else None
        if field is None:
            continue
        value = columns.vocabulary(_COLUMN_OF_FIELD[field])._codes.get(key[2:])
        if value is not None:
            shared.setdefault(field, set()).add(value)
            keys.append(code)
    return shared, keys


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
    cap = np.fromiter(
        (caps.get(family(key), settings.block_cap) for key in prepared.key_names),
        np.int64,
        len(prepared.key_names),
    )
    usable = (members > 1) & (holders <= cap)
    usable[shared_keys] = False
    return pairs_by_family(
        prepared.member_key,
        prepared.member_row,
        prepared.key_names,
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
        swapped_names=np.concatenate([p.swapped_names for p in parts]),
    )


def run(
    people: Sequence[NormalisedPerson],
    *,
    settings: EngineSettings,
    constraints: Constraints,
    model: MatchModel | None = None,
    counter: KeyCounter | None = None,
    progress: Progress | None = None,
) -> Run:
    def report(stage: str, done: int, total: int) -> None:
        if progress:
            progress(stage, done, total)

    prepared = prepare(people)
    size = len(prepared.reps)
    holders = prepared.identities_per_key(counter)
    columns = build_columns(prepared.reps)
    shared, shared_keys = _shared_codes(prepared, columns, holders, settings)
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
    candidates.conflict = conflicts(candidates.levels, model.conflicts)
    scores = model.scores(columns, candidates)
    rules = rule_of(candidates)
    strong = (rules >= 0) | (
        (scores >= settings.upper_threshold) & (candidates.conflict < 0) & corroborated(candidates)
    )

    must = _must_links(prepared, constraints)
    components = _components(prepared, candidates, strong, must)
    extra = _component_pairs(prepared, components, settings, candidates)
    compared = candidates
    all_scores = scores
    if extra is not None:
        extra_compared = compare(columns, extra[0], extra[1], shared, model.conflicts)
        compared = _concat([candidates, extra_compared])
        all_scores = np.concatenate([scores, model.scores(columns, extra_compared)])
    cross = _cross_lookup(prepared, components, compared, all_scores, settings)
    strong &= ~_ambiguous(prepared, candidates, strong & (rules < 0), cross)

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
        _cannot(prepared, constraints),
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
    return Run(resolution=resolution, model=model, component_of=component_of)


def _must_links(prepared: Prepared, constraints: Constraints) -> list[Link]:
    links = []
    for left, right in sorted(constraints.must_link):
        a, b = prepared.record_row.get(left), prepared.record_row.get(right)
        if a is not None and b is not None:
            links.append(Link(MUST, 0.0, left, right, a, b, "manual"))
    return links


def _cannot(prepared: Prepared, constraints: Constraints) -> dict[int, set[int]]:
    never: dict[int, set[int]] = {}
    for left, right in constraints.cannot_link:
        a, b = prepared.record_row.get(left), prepared.record_row.get(right)
        if a is None or b is None:
            continue
        ga, gb = int(prepared.rep_group[a]), int(prepared.rep_group[b])
        never.setdefault(ga, set()).add(gb)
        never.setdefault(gb, set()).add(ga)
    return never


def _components(
    prepared: Prepared, candidates: Compared, strong: npt.NDArray[np.bool_], must: list[Link]
) -> UnionFind[int]:
    """Source identities joined by any merge-strength link: no cluster spans two components."""
    found = UnionFind[int]()
    for group in prepared.group_rows:
        found.find(group)
    groups = prepared.rep_group
    for a, b in zip(
        groups[candidates.left[strong]].tolist(),
        groups[candidates.right[strong]].tolist(),
        strict=True,
    ):
        found.union(a, b)
    for link in must:
        found.union(int(groups[link.left]), int(groups[link.right]))
    return found


def _component_rows(prepared: Prepared, components: UnionFind[int]) -> dict[int, list[int]]:
    rows: dict[int, list[int]] = {}
    for group, group_rows in prepared.group_rows.items():
        rows.setdefault(components.find(group), []).extend(group_rows)
    return rows


def _component_pairs(
    prepared: Prepared, components: UnionFind[int], settings: EngineSettings, candidates: Compared
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """Every pair inside each small component that blocking did not propose: the chain guard's."""
    size = len(prepared.reps)
    codes: list[int] = []
    groups = prepared.rep_group
    for rows in _component_rows(prepared, components).values():
        if 3 <= len(rows) <= settings.component_pairs_limit:
            for i, x in enumerate(rows):
                for y in rows[i + 1 :]:
                    if groups[x] != groups[y]:
                        codes.append(min(x, y) * size + max(x, y))
    if not codes:
        return None
    wanted = np.unique(np.array(codes, dtype=np.int64))
    known = candidates.left * size + candidates.right
    wanted = wanted[~np.isin(wanted, known)]
    if not len(wanted):
        return None
    return wanted // size, wanted % size


def _cross_lookup(
    prepared: Prepared,
    components: UnionFind[int],
    compared: Compared,
    scores: npt.NDArray[np.float64],
    settings: EngineSettings,
) -> dict[int, tuple[float, int]]:
    """Score and conflict of the pairs inside components of three or more representatives."""
    size = len(prepared.reps)
    big = {root for root, rows in _component_rows(prepared, components).items() if len(rows) >= 3}
    if not big:
        return {}
    groups = prepared.rep_group
    roots = np.array([components.find(int(g)) in big for g in groups.tolist()], dtype=np.bool_)
    inside = roots[compared.left] & roots[compared.right]
    codes = (compared.left * size + compared.right)[inside].tolist()
    return dict(
        zip(
            codes,
            zip(scores[inside].tolist(), compared.conflict[inside].tolist(), strict=True),
            strict=True,
        )
    )


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


def _ambiguous(
    prepared: Prepared,
    candidates: Compared,
    scored: npt.NDArray[np.bool_],
    cross: dict[int, tuple[float, int]],
) -> npt.NDArray[np.bool_]:
    """Score links of records that score as well with two people who contradict each other.

    A web-shop record with no birth date, at the address and landline of a Marissa Fischetti
    born in 1975 and of her daughter Marissa born in 2004, is one of them, but which one the
    score cannot tell: whichever link comes first would win. Such a record's score links are
    left to an agent (the review queue); identical identifiers (rules) still link it.
    """
    size = len(prepared.reps)
    groups = prepared.rep_group
    partners: dict[int, list[int]] = {}
    left, right = candidates.left[scored].tolist(), candidates.right[scored].tolist()
    for a, b in zip(left, right, strict=True):
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    torn: set[int] = set()
    for row, others in partners.items():
        for i, p in enumerate(others):
            for q in others[i + 1 :]:
                if groups[p] == groups[q]:
                    continue
                known = cross.get(min(p, q) * size + max(p, q))
                if known is not None and known[1] != NO_CONFLICT:
                    torn.add(row)
    if not torn:
        return np.zeros(len(candidates.left), dtype=np.bool_)
    torn_rows = np.fromiter(torn, dtype=np.int64)
    return scored & (np.isin(candidates.left, torn_rows) | np.isin(candidates.right, torn_rows))
