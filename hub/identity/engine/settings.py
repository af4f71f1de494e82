"""The engine's knobs: thresholds in bits of match weight, caps that keep junk from spreading."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineSettings:
    upper_threshold: float = 8.0
    """Match weight (log2 of the odds that a pair is one person) at or above which records merge."""
    lower_threshold: float = 2.0
    """At or above this and below the upper threshold a pair goes to an agent (the review queue)."""
    max_cluster_size: int = 50
    """Source identities (records tied by their own references count once) one profile may hold."""
    block_cap: int = 60
    """A blocking key held by more source identities than this proposes no pairs at all."""
    loose_block_cap: int = 12
    """The same for loose keys (surname + initial, postcode + initials, surname + postcode,
    street + house number): in a big base their groups grow with it, mostly with strangers,
    and the few matches only they find come from rare names, which stay under this cap."""
    name_block_cap: int = 30
    """The same for the full name: how records with no identifier in common meet."""
    shared_cap: int = 6
    """An e-mail, phone, card or national id held by more source identities than one person
    plausibly has is *shared*: never a merge key, no evidence either way, and reported."""
    chain_floor: float = 0.0
    """Joining two clusters is refused when any pair across them weighs below this: a cluster
    never grows through a chain whose ends look like different people."""
    component_pairs_limit: int = 120
    """Clusters-to-be up to this size have every pair inside them scored for the chain guard."""
    min_records_to_estimate: int = 1000
    """Below this many representatives the configured model is used: too few pairs for EM."""
    random_pairs: int = 200_000
    """Random pairs drawn to estimate how often non-matches agree (the u probabilities)."""
    em_pairs: int = 120_000
    """Candidate pairs sampled to estimate how often matches agree (EM on the m probabilities)."""
