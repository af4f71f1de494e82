"""The ``[resolution]`` table of plugins.toml: thresholds, cluster cap, source trust, survivorship.

::

    [resolution]
    merge_threshold = 8.0           # match weight (bits) above which records merge by themselves
    review_threshold = 2.0          # between the two: an agent decides (the review queue)
    max_cluster_size = 50           # no profile grows past this many records automatically
    sources_by_trust = ["legacy_crm", "shop_fr"]   # most trusted first; others rank after

    [resolution.survivorship]       # per golden field: which value the profile shows
    first_name = "most_frequent"
    last_name = "most_recent"       # names change on marriage: the newest wins
    address = "source_trust"        # street, postcode, city and country move together

Every key is optional; errors name the file, the table and the key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hub.errors import ConfigError
from hub.identity.survivorship import DEFAULT_RULES, RULES, SURVIVORSHIP_FIELDS


@dataclass(frozen=True)
class ResolutionConfig:
    merge_threshold: float | None = None
    """``None``: the engine's default."""
    review_threshold: float | None = None
    max_cluster_size: int | None = None
    sources_by_trust: tuple[str, ...] = ()
    survivorship: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_RULES))

    def trust_rank(self, source: str) -> int:
        """Lower is more trusted; sources not listed rank after every listed one."""
        try:
            return self.sources_by_trust.index(source)
        except ValueError:
            return len(self.sources_by_trust)


_KEYS = {
    "merge_threshold",
    "review_threshold",
    "max_cluster_size",
    "sources_by_trust",
    "survivorship",
}


def _threshold(table: Mapping[str, Any], key: str, where: str) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(f"{where} key {key!r}: expected a number (a match weight in bits)")
    return float(value)


def _cluster_size(table: Mapping[str, Any], where: str) -> int | None:
    value = table.get("max_cluster_size")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 2:
        raise ConfigError(f"{where} key 'max_cluster_size': expected a whole number of at least 2")
    return value


def _sources(table: Mapping[str, Any], where: str) -> tuple[str, ...]:
    value = table.get("sources_by_trust", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f"{where} key 'sources_by_trust': expected an array of connector instance names"
        )
    duplicates = sorted({v for v in value if value.count(v) > 1})
    if duplicates:
        raise ConfigError(f"{where} key 'sources_by_trust': {duplicates[0]!r} is listed twice")
    return tuple(value)


def _survivorship(table: Mapping[str, Any], where: str) -> dict[str, str]:
    value = table.get("survivorship", {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [resolution.survivorship] must be a table")
    rules = dict(DEFAULT_RULES)
    for name, rule in value.items():
        key_where = f"{where} [resolution.survivorship] key {name!r}"
        if name not in SURVIVORSHIP_FIELDS:
            known = ", ".join(SURVIVORSHIP_FIELDS)
            raise ConfigError(f"{key_where}: unknown field; expected one of {known}")
        if rule not in RULES:
            raise ConfigError(
                f"{key_where}: unknown rule {rule!r}; expected one of " + ", ".join(RULES)
            )
        rules[name] = rule
    return rules


def parse_resolution(table: Any, where: str, instances: set[str]) -> ResolutionConfig:
    """Read ``[resolution]``; ``instances`` are the configured connector names it may refer to."""
    if table is None:
        return ResolutionConfig()
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r}; expected " + ", ".join(sorted(_KEYS))
        )
    merge = _threshold(table, "merge_threshold", where)
    review = _threshold(table, "review_threshold", where)
    if merge is not None and review is not None and review > merge:
        raise ConfigError(
            f"{where} key 'review_threshold': {review} is above merge_threshold {merge}; "
            "the review zone lies below the merge threshold"
        )
    sources = _sources(table, where)
    strangers = [s for s in sources if s not in instances]
    if strangers:
        raise ConfigError(
            f"{where} key 'sources_by_trust': {strangers[0]!r} is not a configured connector "
            "instance"
        )
    return ResolutionConfig(
        merge_threshold=merge,
        review_threshold=review,
        max_cluster_size=_cluster_size(table, where),
        sources_by_trust=sources,
        survivorship=_survivorship(table, where),
    )
