"""Reading a list request's query the way Shopify does, with its 400 answers.

``{"errors": {"<param>": "<message>"}}`` is Shopify's shape for a bad parameter; the message for
a filter sent beside ``page_info`` is the one Shopify answers with (measured, quoted in
shopify-api-js issue #755 and elsewhere).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime

from connectors.shopify.sandbox_data import SHOP_TIME_ZONE
from connectors.shopify.sandbox_paging import Filters, PageInfo

DEFAULT_LIMIT = 50
MAX_LIMIT = 250
ALLOWED_WITH_PAGE_INFO = frozenset({"page_info", "limit", "fields"})
ORDER_STATUSES = frozenset({"open", "closed", "cancelled", "any"})
TIME_FILTERS = ("updated_at_min", "updated_at_max", "created_at_min", "created_at_max")


class BadRequest(Exception):
    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.errors = {param: message}


def limit_from(query: Mapping[str, str]) -> int:
    text = query.get("limit")
    if text is None:
        return DEFAULT_LIMIT
    try:
        limit = int(text)
    except ValueError:
        raise BadRequest("limit", f"limit must be an integer, got {text!r}") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest("limit", f"limit must be between 1 and {MAX_LIMIT}")
    return limit


def page_info_from(query: Mapping[str, str]) -> PageInfo | None:
    token = query.get("page_info")
    if token is None:
        return None
    for param in query:
        if param not in ALLOWED_WITH_PAGE_INFO:
            raise BadRequest(
                param,
                f"{param} cannot be passed when page_info is present. "
                "See https://shopify.dev/api/usage/pagination-rest for more information.",
            )
    try:
        return PageInfo.decode(token)
    except ValueError:
        raise BadRequest("page_info", "Invalid value.") from None


def filters_from(query: Mapping[str, str], *, default_status: str | None) -> Filters:
    """The filters of a first request; ``default_status`` is None for unfiltered resources."""
    times = {name: _shop_seconds(query, name) for name in TIME_FILTERS}
    status = None
    if default_status is not None:
        status = query.get("status", default_status)
        if status not in ORDER_STATUSES:
            raise BadRequest("status", f"status must be one of {', '.join(sorted(ORDER_STATUSES))}")
    return Filters(status=status, **times)


def _shop_seconds(query: Mapping[str, str], name: str) -> int | None:
    """An ISO 8601 time as Unix seconds; without an offset it is read in the shop's zone."""
    text = query.get(name)
    if text is None or text == "":
        return None
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(name, f"{name} is not a valid ISO 8601 date") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=SHOP_TIME_ZONE)
    seconds = parsed.timestamp()
    # Rows hold whole seconds: round a bound inwards so that it keeps only rows inside it.
    return math.ceil(seconds) if name.endswith("_min") else math.floor(seconds)
