"""A card on many receipts: one customer's card, or a card many people use.

A till writes one record per receipt, each its own source identity, so counting records
would take a loyal customer's card for a store's guest card. Holders are counted in people:
the distinct names on the card.
"""

from __future__ import annotations

from hub.identity.engine import EngineSettings, ResolverIndex, resolve_batch
from hub.identity.engine.match_model import configured_model
from hub.identity.model import FindingKind, NormalisedPerson, Resolution
from tests.identity.engine.people import person

CARD = ("fidelite-4410072",)
SHOPPERS = [
    ("lea", "martin"), ("hugo", "bernard"), ("chloe", "petit"), ("louis", "durand"),
    ("emma", "leroy"), ("jules", "moreau"), ("ines", "simon"), ("adam", "laurent"),
    ("jade", "lefebvre"), ("noah", "michel"),
]  # fmt: skip


def resolve(people: list[NormalisedPerson]) -> Resolution:
    return resolve_batch(people, model=configured_model()).resolution


def receipts(count: int, first: str | None, last: str | None) -> list[NormalisedPerson]:
    return [person(100 + n, first, last, cards=CARD, source="tills") for n in range(count)]


def shared_card_records(resolution: Resolution) -> set[int]:
    return {
        f.record_id
        for f in resolution.findings
        if f.kind == FindingKind.SHARED and f.field == "loyalty_card"
    }


def test_a_customer_with_ten_receipts_on_her_card_is_one_profile() -> None:
    shop = person(1, "claire", "moreau", emails=("claire.moreau@free.fr",), cards=CARD)
    resolution = resolve([shop, *receipts(10, "claire", "moreau")])
    assert resolution.clusters == [(1, *range(100, 110))]
    assert shared_card_records(resolution) == set()


def test_a_guest_card_used_by_ten_different_names_is_still_shared() -> None:
    people = [
        person(100 + n, first, last, cards=CARD, source="tills")
        for n, (first, last) in enumerate(SHOPPERS)
    ]
    resolution = resolve(people)
    assert resolution.clusters == [(r,) for r in range(100, 110)]
    assert shared_card_records(resolution) == set(range(100, 110))


def test_receipts_without_a_name_join_the_one_named_holder_of_the_card() -> None:
    shop = person(1, "claire", "moreau", emails=("claire.moreau@free.fr",), cards=CARD)
    resolution = resolve([shop, *receipts(10, None, None)])
    assert resolution.clusters == [(1, *range(100, 110))]


def test_a_card_only_on_receipts_without_a_name_is_vouched_for_by_nobody() -> None:
    resolution = resolve(receipts(10, None, None))
    assert resolution.clusters == [(r,) for r in range(100, 110)]
    assert shared_card_records(resolution) == set(range(100, 110))


def test_receipts_arriving_one_by_one_give_the_full_runs_profile() -> None:
    # The index counts holders over the whole base; it must reach the same people count.
    shop = person(1, "claire", "moreau", emails=("claire.moreau@free.fr",), cards=CARD)
    guests = [
        person(200 + n, first, last, cards=("guest-77",), source="tills")
        for n, (first, last) in enumerate(SHOPPERS)
    ]
    everyone = [shop, *receipts(10, "claire", "moreau"), *guests]
    model, settings = configured_model(), EngineSettings()
    index = ResolverIndex.build(everyone[:3], model, settings)
    for record in everyone[3:]:
        index.add([record])
    assert index.clusters() == resolve_batch(everyone, model=model).resolution.clusters
    assert (1, *range(100, 110)) in index.clusters()
