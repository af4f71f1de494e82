"""Turning a clustering into the engine's answer, with the evidence of every link and review.

Evidence is built only for the pairs that need it (the links that formed clusters and the
pairs sent to review): field by field, the level, the weight it brought and both values.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from hub.identity.engine.clustering import Clustering
from hub.identity.engine.columns import Columns
from hub.identity.engine.comparisons import FIELDS, LEVELS, Compared
from hub.identity.engine.keys import IDENTIFIER_PREFIXES
from hub.identity.engine.match_model import MatchModel
from hub.identity.engine.preparation import Prepared
from hub.identity.engine.settings import EngineSettings
from hub.identity.model import (
    FieldComparison,
    Finding,
    FindingKind,
    NormalisedPerson,
    Outcome,
    PairEvidence,
    Resolution,
)

REVIEWED_REFUSALS = ("guard:cluster_size", "guard:weak_chain")
"""Refused strong links an agent should look at; conflicts and never-merge are settled."""


def _values(person: NormalisedPerson) -> tuple[str | None, ...]:
    """The person's value of every field of :data:`FIELDS`, in that order, as evidence shows it."""
    born, national_id = person.birth_date, person.national_id
    street = " ".join(p for p in (person.house_number, person.street) if p)
    return (
        person.first_name,
        person.last_name,
        born.isoformat() if born else None,
        ", ".join(person.emails) or None,
        ", ".join(person.phones) or None,
        person.postcode,
        person.city,
        street or None,
        None if national_id is None else str(national_id),
        ", ".join(person.loyalty_cards) or None,
    )


_LEVEL_NAMES = tuple(LEVELS[name] for name in FIELDS)


class Explainer:
    def __init__(
        self,
        prepared: Prepared,
        columns: Columns,
        model: MatchModel,
        compared: Compared,
        scores: npt.NDArray[np.float64],
    ) -> None:
        self.prepared, self.columns, self.model = prepared, columns, model
        size = len(prepared.reps)
        codes = compared.left * size + compared.right
        self._order = np.argsort(codes, kind="stable")
        self._codes = codes[self._order]
        self._compared, self._scores, self._size = compared, scores, size
        self._values: dict[int, tuple[str | None, ...]] = {}
        """Each representative's field values, made the first time its evidence is."""

    def evidence(self, wanted: Sequence[tuple[int, int, Outcome, str]]) -> list[PairEvidence]:
        """Evidence of each ``(row, row, outcome, rule)``, field by field, weighed at once."""
        if not wanted:
            return []
        reps = self.prepared.reps
        left = np.array([min(a, b) for a, b, _, _ in wanted], dtype=np.int64)
        right = np.array([max(a, b) for a, b, _, _ in wanted], dtype=np.int64)
        codes = left * self._size + right
        at = np.minimum(np.searchsorted(self._codes, codes), max(len(self._codes) - 1, 0))
        known = (self._codes[at] == codes) if len(self._codes) else np.zeros(len(codes), bool)
        rows = self._order[at[known]] if len(self._codes) else np.zeros(0, np.int64)
        pairs = self._compared.take(rows)
        weights = self.model.field_weights(self.columns, pairs).round(3).tolist()
        levels = pairs.levels.tolist()
        scores = self._scores[rows].round(3).tolist()
        found = iter(range(len(rows)))
        answer = []
        values = self._values
        for (_, _, outcome, rule), a, b, is_known in zip(
            wanted, left.tolist(), right.tolist(), known.tolist(), strict=True
        ):
            ids = (reps[a].record_id, reps[b].record_id)
            if not is_known:
                answer.append(PairEvidence(*ids, outcome, rule, 0.0))
                continue
            k = next(found)
            ours = values.get(a) or values.setdefault(a, _values(reps[a]))
            theirs = values.get(b) or values.setdefault(b, _values(reps[b]))
            fields = tuple(
                FieldComparison(FIELDS[f], _LEVEL_NAMES[f][level], weight, ours[f], theirs[f])
                for f, (level, weight) in enumerate(zip(levels[k], weights[k], strict=True))
                if level != 0
            )
            answer.append(PairEvidence(*ids, outcome, rule, scores[k], fields))
        return answer

    def resolution(
        self,
        clustering: Clustering,
        candidates: Compared,
        scores: npt.NDArray[np.float64],
        strong: npt.NDArray[np.bool_],
        settings: EngineSettings,
    ) -> Resolution:
        prepared = self.prepared
        members: dict[int, list[int]] = {}
        for group, root in clustering.root_of_group.items():
            members.setdefault(root, []).extend(prepared.group_records[group])
        clusters = sorted(tuple(sorted(records)) for records in members.values())
        resolution = Resolution(clusters=clusters)
        for group, records in prepared.group_records.items():
            if len(records) < 2:
                continue
            reference = prepared.group_reference.get(group)
            same = (FieldComparison("reference", "same", 0.0, reference, reference),)
            for record in records[1:]:
                resolution.links.append(
                    PairEvidence(records[0], record, Outcome.MERGE, "reference", 0.0, same)
                )
        resolution.links.extend(
            self.evidence([(ln.left, ln.right, Outcome.MERGE, ln.rule) for ln in clustering.joined])
        )
        resolution.review = self._review(clustering, candidates, scores, strong, settings)
        return resolution

    def _review(
        self,
        clustering: Clustering,
        candidates: Compared,
        scores: npt.NDArray[np.float64],
        strong: npt.NDArray[np.bool_],
        settings: EngineSettings,
    ) -> list[PairEvidence]:
        root_of = clustering.root_of_group
        root_of_row = np.array(
            [root_of[g] for g in self.prepared.rep_group.tolist()], dtype=np.int64
        )
        # Pairs weighing enough to ask about that no rule or merge settled: the grey zone, and
        # names that agree with nothing else to back them.
        grey = (scores >= settings.lower_threshold) & (candidates.conflict < 0) & ~strong
        grey &= root_of_row[candidates.left] != root_of_row[candidates.right]
        proposals: list[tuple[float, int, int, str]] = [
            (float(s), int(a), int(b), "score")
            for a, b, s in zip(
                candidates.left[grey], candidates.right[grey], scores[grey], strict=True
            )
        ]
        proposals += [
            (link.score, link.left, link.right, reason)
            for link, reason in clustering.refused
            if reason in REVIEWED_REFUSALS and root_of_row[link.left] != root_of_row[link.right]
        ]
        # The best proposal per pair of clusters, ranked once each (best first).
        best: dict[tuple[int, int], tuple[tuple[float, int, int], int, int, str]] = {}
        roots = root_of_row.tolist()
        for proposal in proposals:
            _, a, b, rule = proposal
            ra, rb = roots[a], roots[b]
            key = (ra, rb) if ra <= rb else (rb, ra)
            rank = _rank(proposal, self.prepared)
            held = best.get(key)
            if held is None or rank < held[0]:
                best[key] = (rank, a, b, rule)
        chosen = sorted(best.values(), key=lambda p: p[0])
        return self.evidence([(a, b, Outcome.REVIEW, rule) for _, a, b, rule in chosen])


def _rank(proposal: tuple[float, int, int, str], prepared: Prepared) -> tuple[float, int, int]:
    score, a, b, _ = proposal
    ids = sorted((prepared.reps[a].record_id, prepared.reps[b].record_id))
    return (-score, ids[0], ids[1])


def shared_findings(
    prepared: Prepared, shared_keys: Sequence[int], holders: npt.NDArray[np.int64]
) -> list[Finding]:
    findings = []
    for code in shared_keys:
        key = prepared.key_names[code]
        field, value = IDENTIFIER_PREFIXES[key[0]], key[2:]
        message = (
            f"{field.replace('_', ' ')} held by {int(holders[code])} or more source identities: "
            "too many for one person, so it is never used to merge on its own"
        )
        for row in prepared.rows_holding(code):
            for record in prepared.rep_records[row]:
                findings.append(Finding(record, field, FindingKind.SHARED, value, message))
    return findings
