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
from hub.identity.engine.preparation import KeyCounter, Prepared
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


def _value(person: NormalisedPerson, field: str) -> str | None:
    if field == "first_name":
        return person.first_name
    if field == "last_name":
        return person.last_name
    if field == "birth_date":
        return person.birth_date.isoformat() if person.birth_date else None
    if field == "email":
        return ", ".join(person.emails) or None
    if field == "phone":
        return ", ".join(person.phones) or None
    if field == "street":
        parts = [p for p in (person.house_number, person.street) if p]
        return " ".join(parts) or None
    if field == "loyalty_card":
        return ", ".join(person.loyalty_cards) or None
    value = getattr(person, field)
    return None if value is None else str(value)


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

    def evidence(self, a: int, b: int, outcome: Outcome, rule: str) -> PairEvidence:
        left, right = min(a, b), max(a, b)
        reps = self.prepared.reps
        at = int(np.searchsorted(self._codes, left * self._size + right))
        if at >= len(self._codes) or self._codes[at] != left * self._size + right:
            return PairEvidence(reps[left].record_id, reps[right].record_id, outcome, rule, 0.0)
        row = self._order[at : at + 1]
        pair = Compared(
            left=self._compared.left[row],
            right=self._compared.right[row],
            levels=self._compared.levels[row],
            conflict=self._compared.conflict[row],
            swapped_names=self._compared.swapped_names[row],
        )
        weights = self.model.field_weights(self.columns, pair)[0]
        fields = tuple(
            FieldComparison(
                field=name,
                level=LEVELS[name][int(pair.levels[0, f])],
                weight=round(float(weights[f]), 3),
                left=_value(reps[left], name),
                right=_value(reps[right], name),
            )
            for f, name in enumerate(FIELDS)
            if pair.levels[0, f] != 0
        )
        return PairEvidence(
            reps[left].record_id,
            reps[right].record_id,
            outcome,
            rule,
            round(float(self._scores[self._order[at]]), 3),
            fields,
        )

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
            reference = prepared.group_reference.get(group)
            for record in records[1:]:
                same = (FieldComparison("reference", "same", 0.0, reference, reference),)
                resolution.links.append(
                    PairEvidence(records[0], record, Outcome.MERGE, "reference", 0.0, same)
                )
        for link in clustering.joined:
            resolution.links.append(self.evidence(link.left, link.right, Outcome.MERGE, link.rule))
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
        root_of_row = np.array(
            [clustering.root_of_group[g] for g in self.prepared.rep_group.tolist()], dtype=np.int64
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
        best: dict[tuple[int, int], tuple[float, int, int, str]] = {}
        for proposal in proposals:
            _, a, b = proposal[:3]
            pair = tuple(sorted((int(root_of_row[a]), int(root_of_row[b]))))
            key = (pair[0], pair[1])
            if key not in best or _rank(proposal, self.prepared) < _rank(best[key], self.prepared):
                best[key] = proposal
        chosen = sorted(best.values(), key=lambda p: _rank(p, self.prepared))
        return [self.evidence(a, b, Outcome.REVIEW, rule) for _, a, b, rule in chosen]


def _rank(proposal: tuple[float, int, int, str], prepared: Prepared) -> tuple[float, int, int]:
    score, a, b, _ = proposal
    ids = sorted((prepared.reps[a].record_id, prepared.reps[b].record_id))
    return (-score, ids[0], ids[1])


def shared_findings(
    prepared: Prepared, shared_keys: Sequence[str], count: KeyCounter
) -> list[Finding]:
    findings = []
    for key in shared_keys:
        field, value = IDENTIFIER_PREFIXES[key[0]], key[2:]
        holders = count(key)
        message = (
            f"{field.replace('_', ' ')} held by {holders} or more source identities: "
            "too many for one person, so it is never used to merge on its own"
        )
        for row in prepared.key_rows[key]:
            for record in prepared.rep_records[row]:
                findings.append(Finding(record, field, FindingKind.SHARED, value, message))
    return findings
