"""A receipt that names its buyer only by a loyalty card: the card says whose it is.

Beside the same customer's CRM line, which has no card, the receipt has nothing to compare:
no field known on both sides. The chain guard refuses a cluster whose ends look like two
people; a pair with nothing to compare looks like nobody, so it does not stop the merge. A
pair that has something to compare and disagrees still does.
"""

from __future__ import annotations

from hub.identity.engine import resolve_batch
from hub.identity.engine.match_model import configured_model
from hub.identity.model import NormalisedPerson, Resolution
from tests.identity.engine.people import home, person

CARD = ("fid-5530218",)
EMAIL = ("claire.moreau@free.fr",)
SHOP = person(2, "claire", "moreau", "1980-02-03", emails=EMAIL, cards=CARD)
CRM = home(3, "claire", "moreau", "1980-02-03", emails=EMAIL)


def resolve(people: list[NormalisedPerson]) -> Resolution:
    return resolve_batch(people, model=configured_model()).resolution


def test_a_receipt_with_only_the_card_joins_the_customer_and_her_crm_line() -> None:
    receipt = person(1, cards=CARD, source="tills")
    resolution = resolve([receipt, SHOP, CRM])
    assert resolution.clusters == [(1, 2, 3)]
    assert resolution.review == []


def test_a_card_receipt_from_another_town_than_the_crm_line_goes_to_an_agent() -> None:
    # Something to compare, and it disagrees: the chain guard holds the receipt back.
    receipt = person(1, cards=CARD, postcode="13008", city="marseille", source="tills")
    resolution = resolve([receipt, SHOP, CRM])
    assert resolution.clusters == [(1,), (2, 3)]
    assert (1, 2) in {(r.left, r.right) for r in resolution.review}
