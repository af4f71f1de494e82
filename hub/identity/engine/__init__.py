"""The identity-resolution engine: blocking, scoring, guarded clustering, incremental index.

Pure computation over :class:`~hub.identity.model.NormalisedPerson` values: nothing here reads
the database. :func:`resolve_batch` resolves a whole base and estimates the match model;
:class:`ResolverIndex` keeps a resolved base in memory and resolves new records against it,
giving the partition a full run with the same model would give.
"""

from hub.identity.engine.index import ResolverIndex
from hub.identity.engine.match_model import MatchModel
from hub.identity.engine.resolve import BatchResult, Progress, resolve_batch
from hub.identity.engine.settings import EngineSettings

__all__ = [
    "BatchResult",
    "EngineSettings",
    "MatchModel",
    "Progress",
    "ResolverIndex",
    "resolve_batch",
]
