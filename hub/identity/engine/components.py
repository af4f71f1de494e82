"""The link graph inside one run: agents' constraints, components, and the pairs the guards read.

A *component* is a set of source identities joined by merge-strength links; clustering decides
inside each component on its own, which is what lets the incremental index re-run only the
components a new record touches. Inside small components every pair is scored, so the chain
guard can see the pairs blocking never proposed.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from hub.identity.engine.arrays import isin, unique
from hub.identity.engine.clustering import MUST, Link
from hub.identity.engine.comparisons import NO_CONFLICT, Compared
from hub.identity.engine.groups import UnionFind
from hub.identity.engine.preparation import Prepared
from hub.identity.engine.settings import EngineSettings
from hub.identity.model import Constraints


def must_links(prepared: Prepared, constraints: Constraints) -> list[Link]:
    links = []
    for left, right in sorted(constraints.must_link):
        a, b = prepared.record_row.get(left), prepared.record_row.get(right)
        if a is not None and b is not None:
            links.append(Link(MUST, 0.0, left, right, a, b, "manual"))
    return links


def cannot(prepared: Prepared, constraints: Constraints) -> dict[int, set[int]]:
    never: dict[int, set[int]] = {}
    for left, right in constraints.cannot_link:
        a, b = prepared.record_row.get(left), prepared.record_row.get(right)
        if a is None or b is None:
            continue
        ga, gb = int(prepared.rep_group[a]), int(prepared.rep_group[b])
        never.setdefault(ga, set()).add(gb)
        never.setdefault(gb, set()).add(ga)
    return never


def components(
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


def component_rows(prepared: Prepared, components: UnionFind[int]) -> dict[int, list[int]]:
    rows: dict[int, list[int]] = {}
    for group, group_rows in prepared.group_rows.items():
        rows.setdefault(components.find(group), []).extend(group_rows)
    return rows


def component_pairs(
    prepared: Prepared,
    rows_of_component: dict[int, list[int]],
    settings: EngineSettings,
    candidates: Compared,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """Every pair inside each small component that blocking did not propose: the chain guard's.

    ``rows_of_component`` is :func:`component_rows` of the run's components."""
    size = len(prepared.reps)
    codes: list[int] = []
    groups = prepared.rep_group
    for rows in rows_of_component.values():
        if 3 <= len(rows) <= settings.component_pairs_limit:
            for i, x in enumerate(rows):
                for y in rows[i + 1 :]:
                    if groups[x] != groups[y]:
                        codes.append(min(x, y) * size + max(x, y))
    if not codes:
        return None
    wanted = unique(np.array(codes, dtype=np.int64))
    known = candidates.left * size + candidates.right
    wanted = wanted[~isin(wanted, known)]
    if not len(wanted):
        return None
    return wanted // size, wanted % size


def cross_lookup(
    prepared: Prepared,
    rows_of_component: dict[int, list[int]],
    compared: Compared,
    scores: npt.NDArray[np.float64],
) -> dict[int, tuple[float, int]]:
    """Score and conflict of the pairs inside components of three or more representatives.

    Pairs with no field known on both sides are left out: a receipt that names its buyer only
    by a loyalty card, beside the same customer's CRM line without the card, has nothing to
    agree or disagree on. Its weight is the prior alone, which says nothing of *these* two;
    the chain guard asks for evidence of different people, and the card already said whose
    receipt it is."""
    size = len(prepared.reps)
    big = [rows for rows in rows_of_component.values() if len(rows) >= 3]
    if not big:
        return {}
    roots = np.zeros(size, dtype=np.bool_)
    roots[np.concatenate([np.asarray(rows, dtype=np.int64) for rows in big])] = True
    inside = roots[compared.left] & roots[compared.right] & compared.levels.any(axis=1)
    codes = (compared.left * size + compared.right)[inside].tolist()
    return dict(
        zip(
            codes,
            zip(scores[inside].tolist(), compared.conflict[inside].tolist(), strict=True),
            strict=True,
        )
    )


def ambiguous(
    prepared: Prepared,
    candidates: Compared,
    scores: npt.NDArray[np.float64],
    scored: npt.NDArray[np.bool_],
    cross: dict[int, tuple[float, int]],
    margin: float,
) -> npt.NDArray[np.bool_]:
    """Score links of records that score as well with two people who contradict each other.

    A web-shop record with no birth date, at the address and landline of a Marissa Fischetti
    born in 1975 and of her daughter Marissa born in 2004, is one of them, but which one the
    score cannot tell: whichever link comes first would win. Such a record's score links are
    left to an agent (the review queue); identical identifiers (rules) still link it.

    "As well" means within ``margin`` bits (the merge threshold): a record whose weight with
    one of them beats its weight with the other by as much as a merge needs is that one's,
    with the confidence of any merge. Its links stay; clustering takes the heavier first and
    the conflict guard then refuses the other, so it is not left out of both.
    """
    size = len(prepared.reps)
    groups = prepared.rep_group
    partners: dict[int, list[tuple[int, float]]] = {}
    left, right = candidates.left[scored].tolist(), candidates.right[scored].tolist()
    for a, b, score in zip(left, right, scores[scored].tolist(), strict=True):
        partners.setdefault(a, []).append((b, score))
        partners.setdefault(b, []).append((a, score))
    torn: set[int] = set()
    for row, others in partners.items():
        for i, (p, p_score) in enumerate(others):
            for q, q_score in others[i + 1 :]:
                if groups[p] == groups[q] or abs(p_score - q_score) >= margin:
                    continue
                known = cross.get(min(p, q) * size + max(p, q))
                if known is not None and known[1] != NO_CONFLICT:
                    torn.add(row)
    if not torn:
        return np.zeros(len(candidates.left), dtype=np.bool_)
    torn_rows = np.fromiter(torn, dtype=np.int64)
    return scored & (isin(candidates.left, torn_rows) | isin(candidates.right, torn_rows))
