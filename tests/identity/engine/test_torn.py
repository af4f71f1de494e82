"""A record that links by score to two people who contradict each other: torn, or clearly one's."""

from __future__ import annotations

from hub.identity.engine import resolve_batch
from hub.identity.engine.match_model import configured_model
from hub.identity.model import NormalisedPerson
from tests.identity.engine.people import home

TWINS = [
    home(1, "thomas", "dupont", "1990-03-14", emails=("thomas.dupont@gmail.com",)),
    home(2, "nicolas", "dupont", "1990-03-14", emails=("nico.dupont@orange.fr",)),
]
MOBILE = ("+33612345678",)


def resolve(people: list[NormalisedPerson]) -> tuple[list[tuple[int, ...]], set[tuple[int, int]]]:
    resolution = resolve_batch(people, model=configured_model()).resolution
    return resolution.clusters, {(r.left, r.right) for r in resolution.review}


def test_a_record_without_first_name_at_twins_address_and_birth_date_joins_neither() -> None:
    # "Dupont, born 1990-03-14" at the twins' address weighs the same with both of them.
    order = home(3, None, "dupont", "1990-03-14")  # type: ignore[arg-type]
    clusters, review = resolve([*TWINS, order])
    assert clusters == [(1,), (2,), (3,)]
    assert {(1, 3), (2, 3)} <= review  # an agent decides whose it is


def test_a_record_far_heavier_with_one_twin_is_that_twins() -> None:
    # An order record with Thomas's mobile instead of the landline: it weighs far more with
    # him than with Nicolas, as much as a merge needs, so it is his; Nicolas stays apart.
    thomas = home(1, "thomas", "dupont", "1990-03-14", phones=MOBILE)
    order = home(3, None, "dupont", "1990-03-14", phones=MOBILE, fixed=())  # type: ignore[arg-type]
    clusters, _ = resolve([thomas, TWINS[1], order])
    assert clusters == [(1, 3), (2,)]


def test_the_heavier_link_wins_whatever_the_record_ids() -> None:
    thomas = home(5, "thomas", "dupont", "1990-03-14", phones=MOBILE)
    nicolas = home(1, "nicolas", "dupont", "1990-03-14")
    order = home(3, None, "dupont", "1990-03-14", phones=MOBILE, fixed=())  # type: ignore[arg-type]
    clusters, _ = resolve([order, nicolas, thomas])
    assert clusters == [(1,), (3, 5)]
