"""What identity resolution reads, what it computes and what it answers.

Three stages share these types, each in its own modules:

- normalisation (``hub.identity.normalise``) turns a :class:`PersonRecord` (raw values as a
  source sent them) into a :class:`NormalisedPerson` (matching keys beside the raw values, plus
  :class:`Finding`\\ s for values that are invalid or placeholders);
- the engine (blocking, scoring, guarded clustering) turns normalised people and the agents'
  :class:`Constraints` into a :class:`Resolution`: the clusters, the evidence of every link, the
  grey-zone pairs for review and the findings it made itself (identifiers shared too widely);
- the store keeps resolutions as profiles, links, evidence and review items.

Nothing here knows about the database, HTTP or a particular data set: the benchmarks feed
FEBRL and synthetic people through the same types as the store feeds source records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One source record as the resolver reads it: raw values exactly as the source sent them.

    ``references`` are ids that name this person in some system: the record's own
    ``source_customer_id`` (``"shop-fr:123"``; an order carries its buyer's) and the
    cross-references a source keeps for another system (``"crm:A-77"``). Two records sharing a
    reference are the same person by construction.
    """

    record_id: int
    source: str = ""
    first_name: str | None = None
    last_name: str | None = None
    birth_date: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    brand: str | None = None
    loyalty_cards: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    national_id: str | None = None
    """A social-security or tax number, as insurance and pension contracts carry (typos happen)."""


class FindingKind(StrEnum):
    INVALID = "invalid"
    """The value cannot be what its field says (an e-mail without a domain, a 3-digit phone)."""
    PLACEHOLDER = "placeholder"
    """A value typed to fill a mandatory field (test@test.com, 0000000000, a guest card)."""
    SHARED = "shared"
    """An identifier held by more people than one person plausibly is (a family e-mail)."""
    SUSPICIOUS = "suspicious"
    """Valid but unlikely (a birth date 130 years ago, a name made of digits)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A data-quality finding on one field of one record; the value is never dropped silently."""

    record_id: int
    field: str
    kind: FindingKind
    value: str
    message: str


@dataclass(frozen=True, slots=True)
class NormalisedPerson:
    """Matching keys of one record; a ``None`` or empty key means "nothing usable to compare".

    Names are folded (lower case, accents removed, single spaces, hyphens as spaces);
    ``first_name_root`` is the nickname table's canonical form (bob → robert) used to decide
    whether two first names may be the same person. Invalid and placeholder values are not
    keys: they appear in ``findings`` instead.
    """

    record_id: int
    source: str = ""
    first_name: str | None = None
    first_name_root: str | None = None
    last_name: str | None = None
    birth_date: date | None = None
    emails: tuple[str, ...] = ()
    """E-mail matching keys: lower-cased, Gmail dots and ``+tags`` folded."""
    phones: tuple[str, ...] = ()
    """E.164 numbers (``+33612345678``)."""
    fixed_phones: tuple[str, ...] = ()
    """The ``phones`` that are fixed lines: a household shares them, so they weigh less."""
    street: str | None = None
    """Folded street without its house number, street types spelled out (``rue victor hugo``)."""
    house_number: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    brand: str | None = None
    loyalty_cards: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    national_id: str | None = None
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class Constraints:
    """Agents' decisions the engine must honour on every run.

    ``must_link`` pairs end in one cluster (a manual merge); ``cannot_link`` pairs never do,
    not even through other records (a split, a "never merge these two").
    """

    must_link: frozenset[tuple[int, int]] = frozenset()
    cannot_link: frozenset[tuple[int, int]] = frozenset()


class Outcome(StrEnum):
    MERGE = "merge"
    REVIEW = "review"
    NO_LINK = "no_link"


@dataclass(frozen=True, slots=True)
class FieldComparison:
    """How one field of a pair compared: the similarity level and the weight it brought."""

    field: str
    level: str
    weight: float
    left: str | None = None
    right: str | None = None


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """Why two records were (or were not) linked: the rule or the score, field by field."""

    left: int
    right: int
    outcome: Outcome
    rule: str
    """``"email"``, ``"phone_name"``, ``"loyalty_card"``, ``"reference"``, ``"score"``,
    ``"manual"`` … or the guard that refused the link (``"guard:birth_date"``)."""
    score: float
    """Match weight in bits (log2 of the likelihood ratio); rules carry the pair's score too."""
    fields: tuple[FieldComparison, ...] = ()


@dataclass
class ResolutionCounts:
    records: int = 0
    candidate_pairs: int = 0
    merged_links: int = 0
    review_pairs: int = 0
    refused_by_guards: int = 0
    clusters: int = 0


@dataclass
class Resolution:
    """The engine's answer: a partition of the records and everything that explains it.

    ``clusters`` hold sorted record ids, sorted by their first id, so equal partitions compare
    equal. ``links`` are the pairs whose merge formed each cluster (a spanning tree per
    cluster, by construction order).
    """

    clusters: list[tuple[int, ...]] = field(default_factory=list)
    links: list[PairEvidence] = field(default_factory=list)
    review: list[PairEvidence] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    counts: ResolutionCounts = field(default_factory=ResolutionCounts)

    def cluster_of(self) -> dict[int, int]:
        """Record id → index of its cluster in :attr:`clusters`."""
        return {record: index for index, cluster in enumerate(self.clusters) for record in cluster}
