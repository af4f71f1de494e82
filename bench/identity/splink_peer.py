"""The peer: Splink 5 on DuckDB, configured per data set, from person records to clusters.

Every run follows Splink's documented recipe: the prior (probability that two random records
match) from deterministic rules with an assumed recall; u probabilities by random sampling;
m probabilities by expectation maximisation over a few blocking rules, each comparison left
free by at least one of them; prediction over the blocking rules of the plan; connected
components of the pairs at or above the plan's match probability (``MATCH_THRESHOLD``).

Names are compared with Jaro-Winkler levels (``NameComparison``: exact, ≥ 0.92, ≥ 0.88,
≥ 0.7) and term-frequency adjustments, so agreeing on a common name weighs less than on a rare
one; birth dates with ``DateOfBirthComparison`` (exact, one month, one year, ten years).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hub.identity.model import PersonRecord

from .dataset import LabelledDataset
from .splink_input import splink_columns

MATCH_THRESHOLD = 0.9
"""Pairs at or above this match probability are joined into one cluster."""
U_SAMPLE_PAIRS = 5e6
SEED = 7


@dataclass(frozen=True)
class SplinkPlan:
    """One data set's Splink configuration: what is compared, blocked and trained on what."""

    comparisons: list[Any]
    prediction_rules: list[Any]
    training_rules: list[Any]
    """EM is run once per rule; a comparison on the rule's own columns is not estimated by it."""
    deterministic_rules: list[Any]
    deterministic_recall: float
    link_only: bool = False


@dataclass
class SplinkRun:
    clusters: list[tuple[int, ...]]
    candidate_pairs: int
    """Pairs scored by ``predict`` (the blocked pairs)."""
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)
    """Stage name → seconds (prepare, prior, u, em, predict, cluster)."""
    skipped_training: list[str] = field(default_factory=list)
    """EM sessions Splink refused, with its reason (see :func:`run_splink`)."""


def _name(column: str) -> Any:
    import splink.comparison_library as cl

    return cl.NameComparison(column).configure(term_frequency_adjustments=True)


def _birth_date() -> Any:
    import splink.comparison_library as cl

    return cl.DateOfBirthComparison("birth_date", input_is_string=True)


def febrl_plan(*, link_only: bool) -> SplinkPlan:
    """FEBRL: names, birth date, social-security id, street, postcode, suburb."""
    import splink.comparison_library as cl
    from splink import block_on

    swapped = "l.first_name = r.last_name and l.last_name = r.first_name"
    return SplinkPlan(
        comparisons=[
            _name("first_name"),
            _name("last_name"),
            _birth_date(),
            cl.DamerauLevenshteinAtThresholds("national_id", [1, 2]),
            cl.JaroWinklerAtThresholds("street", [0.9, 0.7]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1]).configure(
                term_frequency_adjustments=True
            ),
            cl.JaroWinklerAtThresholds("city", [0.9]),
        ],
        prediction_rules=[
            block_on("first_name", "last_name"),
            swapped,
            block_on("birth_date"),
            block_on("national_id"),
            block_on("street"),
            block_on("postcode", "last_name"),
            block_on("postcode", "first_name"),
        ],
        training_rules=[
            block_on("birth_date"),
            block_on("postcode"),
            block_on("national_id"),
        ],
        deterministic_rules=[
            block_on("national_id", "birth_date"),
            "l.first_name = r.first_name and l.last_name = r.last_name and "
            "l.birth_date = r.birth_date",
        ],
        deterministic_recall=0.7,
        link_only=link_only,
    )


def synthetic_plan() -> SplinkPlan:
    """Customer 360: names, birth date, e-mail, phone, address, national id, loyalty card."""
    import splink.comparison_library as cl
    from splink import block_on

    exact_tf: Callable[[str], Any] = lambda column: cl.ExactMatch(column).configure(  # noqa: E731
        term_frequency_adjustments=True
    )
    return SplinkPlan(
        comparisons=[
            _name("first_name"),
            _name("last_name"),
            _birth_date(),
            cl.EmailComparison("email"),
            exact_tf("phone"),
            cl.JaroWinklerAtThresholds("street", [0.9, 0.7]),
            exact_tf("postcode"),
            cl.DamerauLevenshteinAtThresholds("national_id", [1]),
            exact_tf("loyalty_card"),
        ],
        prediction_rules=[
            block_on("email"),
            block_on("phone"),
            block_on("loyalty_card"),
            block_on("national_id"),
            block_on("first_name", "last_name", "birth_date"),
            block_on("last_name", "postcode"),
            block_on("first_name", "postcode"),
            block_on("last_name", "birth_date"),
        ],
        training_rules=[
            block_on("first_name", "last_name"),
            block_on("birth_date"),
            block_on("email"),
        ],
        deterministic_rules=[block_on("email"), block_on("phone"), block_on("national_id")],
        deterministic_recall=0.6,
    )


def plan_for(dataset: LabelledDataset) -> SplinkPlan:
    if dataset.name.upper().startswith("FEBRL"):
        return febrl_plan(link_only=bool(dataset.linked_sources))
    return synthetic_plan()


def _tables(
    records: Sequence[PersonRecord], linked_sources: Sequence[str]
) -> list[dict[str, list[Any]]]:
    if not linked_sources:
        return [splink_columns(records)]
    return [splink_columns([r for r in records if r.source == s]) for s in linked_sources]


def _settings(plan: SplinkPlan) -> Any:
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="link_only" if plan.link_only else "dedupe_only",
        comparisons=plan.comparisons,
        blocking_rules_to_generate_predictions=plan.prediction_rules,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def run_splink(
    records: Sequence[PersonRecord],
    plan: SplinkPlan,
    linked_sources: Sequence[str] = (),
    threshold: float = MATCH_THRESHOLD,
    u_pairs: float = U_SAMPLE_PAIRS,
) -> SplinkRun:
    """Train, predict and cluster; every record comes back in exactly one cluster.

    Splink 5.0.0 refuses an EM session whose M-step drives a level's m probability to zero
    (it happens on small sets, where no match of the sample falls in some level): that session
    is skipped and named in :attr:`SplinkRun.skipped_training`, the others still train.
    """
    import duckdb
    from splink import DuckDBAPI, Linker

    stages: dict[str, float] = {}
    clock = time.perf_counter()
    started = clock

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages[stage] = now - clock
        clock = now

    connection = duckdb.connect()
    db_api = DuckDBAPI(connection)
    tables = [
        db_api.register(columns, dataset_display_name=f"input_{index}")
        for index, columns in enumerate(_tables(records, linked_sources))
    ]
    linker = Linker(
        tables if plan.link_only else tables[0], _settings(plan), log_level=logging.ERROR
    )
    lap("prepare")
    linker.training.estimate_probability_two_random_records_match(
        plan.deterministic_rules, recall=plan.deterministic_recall
    )
    lap("prior")
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=SEED)
    lap("u")
    skipped: list[str] = []
    for rule in plan.training_rules:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except ValueError as refused:
            skipped.append(f"{_rule_text(rule)}: {refused}")
    lap("em")
    predictions = linker.inference.predict()
    [(candidate_pairs,)] = connection.sql(
        f"select count(*) from {predictions.physical_name}"
    ).fetchall()
    lap("predict")
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    rows = connection.sql(
        f"select cluster_id, unique_id from {clustered.physical_name} order by cluster_id"
    ).fetchall()
    clusters = _group(rows)
    lap("cluster")
    connection.close()
    seconds = time.perf_counter() - started
    return SplinkRun(clusters, int(candidate_pairs), seconds, stages, skipped)


def _rule_text(rule: Any) -> str:
    if isinstance(rule, str):
        return rule
    return str(rule.get_blocking_rule("duckdb").blocking_rule_sql)


def _group(rows: Sequence[tuple[Any, Any]]) -> list[tuple[int, ...]]:
    members: dict[Any, list[int]] = {}
    for cluster_id, unique_id in rows:
        members.setdefault(cluster_id, []).append(int(unique_id))
    return sorted((tuple(sorted(ids)) for ids in members.values()), key=lambda c: c[0])
