"""A customer's key figures, computed from the activities the viewer may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

import strawberry

from hub.records import ActivityKind
from hub.store.profile_batches import ActivityFacts
from schema.activities.money import Money

ACTIVE_PARTNER_STATUS = "active"
SIGNED_STATUS = "done"
"""A subscription counts as active once its signature request is done (every signer signed)."""
_SPENDING = (ActivityKind.ORDER.value, ActivityKind.RECEIPT.value)


@strawberry.type(description="What a customer spent with one brand in one currency.")
class Spend:
    brand: str | None = strawberry.field(description="Null for sources that name no brand.")
    total: Money
    purchases: int = strawberry.field(description="Orders and receipts counted in the total.")


@strawberry.type(description="Key figures of a customer, over the records the key may see.")
class CustomerSummary:
    lifetime_spend: list[Spend] = strawberry.field(
        description="Orders and receipts (returns deducted), by brand then currency."
    )
    orders: int
    receipts: int
    active_subscriptions: int = strawberry.field(
        description="Subscriptions whose e-signature is done."
    )
    partner_products: int
    active_partner_products: int
    last_activity_at: datetime | None


def summary(activities: Iterable[ActivityFacts]) -> CustomerSummary:
    spend: dict[tuple[str | None, str], list[int]] = defaultdict(lambda: [0, 0])
    counts: dict[str, int] = defaultdict(int)
    active_subscriptions = active_products = 0
    last: datetime | None = None
    for facts in activities:
        counts[facts.kind] += 1
        if facts.occurred_at is not None and (last is None or facts.occurred_at > last):
            last = facts.occurred_at
        if facts.kind in _SPENDING and facts.amount_minor is not None and facts.currency:
            entry = spend[(facts.brand, facts.currency)]
            entry[0] += facts.amount_minor
            entry[1] += 1
        status = facts.details.get("status") if isinstance(facts.details, dict) else None
        if facts.kind == ActivityKind.SUBSCRIPTION.value and status == SIGNED_STATUS:
            active_subscriptions += 1
        if facts.kind == ActivityKind.PARTNER_PRODUCT.value and status == ACTIVE_PARTNER_STATUS:
            active_products += 1
    return CustomerSummary(
        lifetime_spend=[
            Spend(
                brand=brand,
                total=Money(amount_minor=amount, currency=currency),
                purchases=purchases,
            )
            for (brand, currency), (amount, purchases) in sorted(
                spend.items(), key=lambda item: (item[0][0] or "", item[0][1])
            )
        ],
        orders=counts[ActivityKind.ORDER.value],
        receipts=counts[ActivityKind.RECEIPT.value],
        active_subscriptions=active_subscriptions,
        partner_products=counts[ActivityKind.PARTNER_PRODUCT.value],
        active_partner_products=active_products,
        last_activity_at=last,
    )
