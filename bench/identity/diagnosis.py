"""Why the engine did or did not link two records, read from a run's trace.

Each pair gets one *reason*, the first of these that holds:

- ``blocked out``: blocking never proposed it (the keys it shares, if any, were over their cap
  or shared identifiers);
- ``refused <guard>``: it was offered as a merge link and a guard refused the join (a conflict
  across the clusters, a weak chain, the size cap, an agent's "never merge");
- ``torn``: its score link was withheld, one record scoring as well with two people who
  contradict each other;
- ``conflict <field>``: the pair itself contradicts on a birth date, national id or first name;
- ``no personal evidence``: weight enough, but names and a household only;
- ``below threshold``: the weight is under the merge threshold;
- ``linked``: it was joined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hub.identity.engine.comparisons import CONFLICT_FIELDS, NO_CONFLICT, Compared, compare
from hub.identity.engine.explain import Explainer
from hub.identity.engine.keys import blocking_keys
from hub.identity.engine.rules import RULES, corroborated
from hub.identity.engine.settings import EngineSettings
from hub.identity.engine.trace import Trace
from hub.identity.model import FieldComparison, Outcome

BLOCKED, TORN, LINKED = "blocked out", "torn", "linked"
NO_EVIDENCE, BELOW = "no personal evidence", "below threshold"


@dataclass(frozen=True)
class PairDiagnosis:
    left: int
    right: int
    """Record ids."""
    reason: str
    score: float
    rule: str
    fields: tuple[FieldComparison, ...]
    shared_keys: tuple[str, ...]
    """Blocking keys both records hold, each with how many source identities hold it."""


class Diagnoser:
    """Diagnoses pairs of records of one traced run."""

    def __init__(self, trace: Trace, settings: EngineSettings) -> None:
        self.trace, self.settings = trace, settings
        prepared = trace.prepared
        self._code_of_key = {key: code for code, key in enumerate(prepared.key_names)}
        self._refused = {
            (min(link.left, link.right), max(link.left, link.right)): reason
            for link, reason in trace.clustering.refused
        }
        self._joined = {
            (min(link.left, link.right), max(link.left, link.right)): link.rule
            for link in trace.clustering.joined
        }

    def pairs(self, record_pairs: Sequence[tuple[int, int]]) -> list[PairDiagnosis]:
        trace = self.trace
        rows = trace.prepared.record_row
        wanted = [(min(rows[a], rows[b]), max(rows[a], rows[b])) for a, b in record_pairs]
        index = [trace.candidate_index(a, b) for a, b in wanted]
        compared, scores = self._compared(wanted, index)
        explainer = Explainer(trace.prepared, trace.columns, trace.model, compared, scores)
        evidence = explainer.evidence([(a, b, Outcome.REVIEW, "") for a, b in wanted])
        found = []
        for k, ((left, right), (a, b), at) in enumerate(
            zip(record_pairs, wanted, index, strict=True)
        ):
            reason, rule = self._reason(a, b, at, compared, k, float(scores[k]))
            found.append(
                PairDiagnosis(
                    left, right, reason, float(scores[k]), rule, evidence[k].fields,
                    self._shared_keys(a, b),
                )
            )  # fmt: skip
        return found

    def _compared(
        self, wanted: list[tuple[int, int]], index: list[int | None]
    ) -> tuple[Compared, np.ndarray]:
        """The pairs' levels: the run's own for candidates, compared afresh for the others."""
        trace = self.trace
        left = np.array([a for a, _ in wanted], dtype=np.int64)
        right = np.array([b for _, b in wanted], dtype=np.int64)
        compared = compare(trace.columns, left, right, trace.shared, trace.model.conflicts)
        scores = trace.model.scores(trace.columns, compared)
        for k, at in enumerate(index):
            if at is not None:
                compared.levels[k] = trace.candidates.levels[at]
                compared.conflict[k] = trace.candidates.conflict[at]
                scores[k] = trace.scores[at]
        return compared, scores

    def _reason(
        self, a: int, b: int, at: int | None, compared: Compared, k: int, score: float
    ) -> tuple[str, str]:
        trace = self.trace
        if (a, b) in self._joined:
            return LINKED, self._joined[(a, b)]
        if at is None:
            return BLOCKED, ""
        rule = int(trace.rules[at])
        rule_name = RULES[rule] if rule >= 0 else "score"
        if (a, b) in self._refused:
            return "refused " + self._refused[(a, b)].removeprefix("guard:"), rule_name
        if trace.torn[at]:
            return TORN, rule_name
        conflict = int(compared.conflict[k])
        if conflict != NO_CONFLICT:
            return "conflict " + CONFLICT_FIELDS[conflict], rule_name
        if trace.strong[at]:
            return LINKED, rule_name  # offered; its clusters had joined through other links
        if (
            score >= self.settings.upper_threshold
            and not corroborated(compared.take(slice(k, k + 1)))[0]
        ):
            return NO_EVIDENCE, rule_name
        return BELOW, rule_name

    def _shared_keys(self, a: int, b: int) -> tuple[str, ...]:
        reps = self.trace.prepared.reps
        common = sorted(set(blocking_keys(reps[a])) & set(blocking_keys(reps[b])))
        holders = self.trace.holders
        return tuple(f"{key} ({int(holders[self._code_of_key[key]])})" for key in common)
