"""Square's search queries, checked as Square checks them and answered from sorted indexes.

Each function reads one request body, raises :class:`QueryError` (a 400 in Square's error
shape) for what Square refuses, and returns the sorted result list of (sort value, key).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from connectors.square.sandbox_index import Collection, SortKey, parse_time


class QueryError(ValueError):
    def __init__(self, code: str, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field


def mapping(value: Any, field: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise QueryError("EXPECTED_OBJECT", f"Expected an object for {field}.", field)
    return value


def read_limit(body: dict[str, Any], default: int, maximum: int) -> int:
    value = body.get("limit", default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise QueryError("EXPECTED_INTEGER", "Expected an integer value.", "limit")
    if value < 1:
        raise QueryError("VALUE_TOO_LOW", f"`limit` must be at least 1, got {value}.", "limit")
    if value > maximum:
        raise QueryError(
            "VALUE_TOO_HIGH", f"`limit` must be at most {maximum}, got {value}.", "limit"
        )
    return value


def read_enum(value: Any, allowed: tuple[str, ...], default: str, field: str) -> str:
    if value is None:
        return default
    if value not in allowed:
        raise QueryError(
            "INVALID_ENUM_VALUE", f"`{value}` is not a valid value for {field}.", field
        )
    return str(value)


def time_range(value: Any, field: str) -> tuple[int | None, int | None]:
    bounds = mapping(value, field)
    parsed: list[int | None] = []
    for end in ("start_at", "end_at"):
        if bounds.get(end) is None:
            parsed.append(None)
            continue
        try:
            parsed.append(parse_time(bounds[end]))
        except ValueError:
            raise QueryError(
                "INVALID_TIME", f"`{bounds[end]}` is not an RFC 3339 time.", f"{field}.{end}"
            ) from None
    start, end_at = parsed
    if start is not None and end_at is not None and start > end_at:
        raise QueryError("INVALID_TIME_RANGE", "start_at is after end_at.", field)
    return start, end_at


def _unsupported(filters: dict[str, Any], known: Iterable[str], where: str) -> None:
    for name in filters:
        if name not in known:
            raise QueryError(
                "BAD_REQUEST", f"The sandbox does not support the filter `{name}`.", where
            )


def _text_matcher(value: Any, field: str) -> Callable[[Any], bool]:
    spec = mapping(value, field)
    if ("exact" in spec) == ("fuzzy" in spec):
        raise QueryError("BAD_REQUEST", f"{field} needs exactly one of exact or fuzzy.", field)
    if "exact" in spec:
        wanted = str(spec["exact"])
        return lambda found: found == wanted
    tokens = str(spec["fuzzy"]).lower().split()
    return lambda found: isinstance(found, str) and all(t in found.lower() for t in tokens)


def _within(meta: dict[str, Any], name: str, bounds: tuple[int | None, int | None]) -> bool:
    value = meta.get(name)
    start, end = bounds
    return value is not None and (start is None or value >= start) and (end is None or value <= end)


def _candidates(
    collection: Collection, ranges: dict[str, tuple[int | None, int | None]], fallback: str
) -> list[SortKey]:
    """Keys from the index of the first time filter (a bisected slice), or every key."""
    for name, (start, end) in ranges.items():
        return collection.indexes[name].between(start, end)
    return collection.indexes[fallback].entries


def customer_results(collection: Collection, query: dict[str, Any]) -> tuple[list[SortKey], bool]:
    """SearchCustomers / ListCustomers: sorted by name (DEFAULT) or ``created_at``; ASC by
    default. Returns the results ascending and whether they are to be read descending."""
    filters = mapping(query.get("filter"), "query.filter")
    sort = mapping(query.get("sort"), "query.sort")
    field = read_enum(sort.get("field"), ("DEFAULT", "CREATED_AT"), "DEFAULT", "query.sort.field")
    order = read_enum(sort.get("order"), ("ASC", "DESC"), "ASC", "query.sort.order")
    _unsupported(
        filters,
        ("created_at", "updated_at", "email_address", "phone_number", "reference_id"),
        "query.filter",
    )
    ranges: dict[str, tuple[int | None, int | None]] = {
        name: time_range(filters[name], f"query.filter.{name}")
        for name in ("updated_at", "created_at")
        if name in filters
    }
    matchers = {
        attribute: _text_matcher(filters[name], f"query.filter.{name}")
        for name, attribute in (
            ("email_address", "email"),
            ("phone_number", "phone"),
            ("reference_id", "reference_id"),
        )
        if name in filters
    }
    entries = _candidates(collection, ranges, "created_at")
    keys = [
        key
        for _, key in entries
        if all(_within(collection.meta[key], n, b) for n, b in ranges.items())
        and all(match(collection.meta[key].get(a)) for a, match in matchers.items())
    ]
    if field == "CREATED_AT":
        results = [(collection.meta[key]["created_at"], key) for key in keys]
        if ranges and next(iter(ranges)) != "created_at":
            results.sort()  # the keys came from the updated_at index
    else:
        results = sorted((collection.meta[key]["name_key"], key) for key in keys)
    return results, order == "DESC"


ORDER_TIME_FIELDS = ("created_at", "updated_at", "closed_at")
ORDER_STATES = ("OPEN", "COMPLETED", "CANCELED", "DRAFT")


def order_results(
    collection: Collection, body: dict[str, Any], known_locations: set[str]
) -> tuple[list[SortKey], bool]:
    """SearchOrders: at least one and at most ten locations of the merchant; one date filter,
    whose field must be the sort field; CREATED_AT DESC by default."""
    locations = body.get("location_ids")
    if not isinstance(locations, list) or not locations:
        raise QueryError("MISSING_REQUIRED_PARAMETER", "location_ids is required.", "location_ids")
    if len(locations) > 10:
        raise QueryError("TOO_MANY_MAP_ENTRIES", "At most 10 location_ids.", "location_ids")
    unknown = [loc for loc in locations if loc not in known_locations]
    if unknown:
        raise QueryError("NOT_FOUND", f"Location `{unknown[0]}` not found.", "location_ids")
    query = mapping(body.get("query"), "query")
    filters = mapping(query.get("filter"), "query.filter")
    _unsupported(
        filters,
        ("date_time_filter", "state_filter", "customer_filter", "source_filter"),
        "query.filter",
    )
    dates = mapping(filters.get("date_time_filter"), "query.filter.date_time_filter")
    _unsupported(dates, ORDER_TIME_FIELDS, "query.filter.date_time_filter")
    if len(dates) > 1:
        raise QueryError(
            "BAD_REQUEST", "Only one date_time_filter field can be set.", "date_time_filter"
        )
    sort = mapping(query.get("sort"), "query.sort")
    sort_field = read_enum(
        sort.get("sort_field"), ("CREATED_AT", "UPDATED_AT", "CLOSED_AT"), "CREATED_AT",
        "query.sort.sort_field",
    )  # fmt: skip
    descending = read_enum(sort.get("sort_order"), ("ASC", "DESC"), "DESC", "query.sort") == "DESC"
    ranges = {
        name: time_range(dates[name], f"query.filter.date_time_filter.{name}") for name in dates
    }
    if ranges and next(iter(ranges)).upper() != sort_field:
        raise QueryError(
            "BAD_REQUEST",
            "The sort_field must match the field of the date_time_filter.",
            "query.sort.sort_field",
        )
    states = mapping(filters.get("state_filter"), "query.filter.state_filter").get("states")
    customers = mapping(filters.get("customer_filter"), "query.filter.customer_filter").get(
        "customer_ids"
    )
    sources = mapping(filters.get("source_filter"), "query.filter.source_filter").get(
        "source_names"
    )
    for value in states or ():
        read_enum(value, ORDER_STATES, "", "query.filter.state_filter.states")
    wanted_locations = set(locations)
    sort_name = sort_field.lower()

    def keep(meta: dict[str, Any]) -> bool:
        return (
            meta["location_id"] in wanted_locations
            and (not states or meta["state"] in states)
            and (not customers or bool(meta["customer_ids"] & set(customers)))
            and (not sources or meta["source_name"] in sources)
        )

    # The date filter is on the sort field, so its index slice is already in order.
    entries = _candidates(collection, ranges, sort_name)
    meta = collection.meta
    return [(value, key) for value, key in entries if keep(meta[key])], descending


def loyalty_results(collection: Collection, body: dict[str, Any]) -> tuple[list[SortKey], bool]:
    """SearchLoyaltyAccounts: by phone mappings or by customer ids (not both), oldest first."""
    query = mapping(body.get("query"), "query")
    mappings = query.get("mappings")
    customer_ids = query.get("customer_ids")
    if mappings and customer_ids:
        raise QueryError("BAD_REQUEST", "mappings cannot be combined with customer_ids.", "query")
    for name, value in (("mappings", mappings), ("customer_ids", customer_ids)):
        if value is not None and (not isinstance(value, list) or len(value) > 30):
            raise QueryError(
                "BAD_REQUEST", f"{name} must be a list of at most 30.", f"query.{name}"
            )
    phones = {m.get("phone_number") for m in mappings or () if isinstance(m, dict)}
    wanted = set(customer_ids or ())
    results = [
        (created, key)
        for created, key in collection.indexes["created_at"].entries
        if (not mappings or collection.meta[key].get("phone") in phones)
        and (not customer_ids or collection.meta[key].get("customer_id") in wanted)
    ]
    return results, False
