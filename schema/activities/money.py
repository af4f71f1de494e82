"""Money as the store keeps it: integer minor units and an ISO 4217 currency."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision

from schema.errors import ApiError


@strawberry.type(description="An amount in minor units (cents) of a currency.")
class Money:
    amount_minor: int = strawberry.field(description="e.g. 5990 for 59.90 EUR.")
    currency: str = strawberry.field(description="ISO 4217 code.")

    @strawberry.field(description="The amount written for people, e.g. '€59.90' in 'en'.")
    def formatted(self, locale: str = "en") -> str:
        try:
            where = Locale.parse(locale.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            raise ApiError(f"formatted(locale: {locale!r}): not a known locale") from None
        major = Decimal(self.amount_minor).scaleb(-get_currency_precision(self.currency))
        return format_currency(major, self.currency, locale=where)


def money(amount_minor: int | None, currency: str | None) -> Money | None:
    """Money, or None when the amount or its currency is unknown."""
    if amount_minor is None or not currency:
        return None
    return Money(amount_minor=amount_minor, currency=currency)
