"""What one run weighed and decided on the way, kept only when a caller asks for it.

The answer of a run (:class:`~hub.identity.model.Resolution`) says which records are one person
and why each link was made; a trace also says why two records were *not* linked: never
proposed by blocking, weighed below the threshold, stopped by a guard, or left to an agent.
Diagnosis tools read it; a normal run keeps none of it, so its memory is freed as it goes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hub.identity.engine.clustering import Clustering
from hub.identity.engine.columns import Columns
from hub.identity.engine.comparisons import Compared
from hub.identity.engine.match_model import MatchModel
from hub.identity.engine.preparation import Prepared


@dataclass
class Trace:
    prepared: Prepared
    columns: Columns
    model: MatchModel
    holders: npt.NDArray[np.int64]
    """Source identities holding each key (``prepared.key_names`` order)."""
    shared: dict[str, set[int]]
    """Per identifier field, the column codes of values held by too many source identities."""
    candidates: Compared
    """The pairs blocking proposed, with their levels and conflicts."""
    scores: npt.NDArray[np.float64]
    rules: npt.NDArray[np.int8]
    """Index into :data:`~hub.identity.engine.rules.RULES` per candidate, or -1."""
    strong: npt.NDArray[np.bool_]
    """Candidates offered to clustering as merge links (after the torn-record check)."""
    torn: npt.NDArray[np.bool_]
    """Candidates whose score link was withheld: a record torn between two people."""
    clustering: Clustering

    def candidate_index(self, left_row: int, right_row: int) -> int | None:
        """Position of the pair of representatives among the candidates, if blocking proposed it."""
        a, b = min(left_row, right_row), max(left_row, right_row)
        hits = np.flatnonzero((self.candidates.left == a) & (self.candidates.right == b))
        return int(hits[0]) if len(hits) else None
