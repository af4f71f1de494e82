"""Reading vendor values: money in minor units, timestamps, dates, text and ids, and the
RecordError (naming the field) for anything that cannot be read."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from babel.numbers import get_currency_precision
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.connector.mapping import (
    RecordError,
    money_minor,
    optional_text,
    parse_date,
    parse_timestamp,
    require_id,
)

# --- money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("59.90", "EUR", (5990, "EUR")),
        (59.9, "EUR", (5990, "EUR")),
        ("59,90", "EUR", (5990, "EUR")),  # decimal comma
        ("1 234,50", "EUR", (123450, "EUR")),  # French export, space as thousands separator
        ("1\u00a0234,50", "EUR", (123450, "EUR")),  # the same with a no-break space
        ("-12.00", "eur", (-1200, "EUR")),  # a refund; the code is upper-cased
        (1000, "JPY", (1000, "JPY")),  # no minor unit
        ("1000", "JPY", (1000, "JPY")),
        ("1.234", "KWD", (1234, "KWD")),  # three decimals
        (0, "USD", (0, "USD")),
    ],
)
def test_money_is_read_into_minor_units_of_its_currency(
    amount: Any, currency: str, expected: tuple[int, str]
) -> None:
    assert money_minor(amount, currency) == expected


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("59.905", "EUR"), ("1000.5", "JPY"), ("1.2345", "KWD"), ("1,234", "EUR")],
)
def test_more_decimals_than_the_currency_has_are_refused_not_rounded(
    amount: Any, currency: str
) -> None:
    with pytest.raises(RecordError, match=rf"^total_price: .* more decimals than {currency}"):
        money_minor(amount, currency, "total_price")


@pytest.mark.parametrize("currency", ["XYZ", "EURO", "€"])
def test_an_unknown_currency_is_refused(currency: str) -> None:
    with pytest.raises(RecordError, match=r"^currency: .* is not an ISO 4217 currency"):
        money_minor("10.00", currency)


@pytest.mark.parametrize("currency", [None, "", "  "])
def test_a_missing_currency_is_refused(currency: Any) -> None:
    with pytest.raises(RecordError, match=r"^currency: missing"):
        money_minor("10.00", currency)


@pytest.mark.parametrize(
    "amount",
    ["abc", "NaN", "nan", "Infinity", "-Infinity", "sNaN", float("nan"), float("inf"), "1,234.50"],
)
def test_what_is_not_a_finite_amount_is_refused_naming_the_field(amount: Any) -> None:
    with pytest.raises(RecordError, match=r"^total_price: .* is not an amount"):
        money_minor(amount, "EUR", "total_price")


@pytest.mark.parametrize("amount", [True, False, None, ""])
def test_a_missing_amount_or_a_boolean_is_refused_naming_the_field(amount: Any) -> None:
    with pytest.raises(RecordError, match=r"^total_price: missing"):
        money_minor(amount, "EUR", "total_price")


# --- timestamps --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01T10:00:00+01:00", datetime(2024, 3, 1, 9, 0, tzinfo=UTC)),
        ("2024-03-01T10:00:00-05:00", datetime(2024, 3, 1, 15, 0, tzinfo=UTC)),
        ("2024-03-01T10:00:00Z", datetime(2024, 3, 1, 10, 0, tzinfo=UTC)),
        ("2024-03-01T10:00:00.250Z", datetime(2024, 3, 1, 10, 0, 0, 250000, tzinfo=UTC)),
        (" 2024-03-01T10:00:00+00:00 ", datetime(2024, 3, 1, 10, 0, tzinfo=UTC)),
        (1700000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        ("1700000000", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (1700000000.5, datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC)),
    ],
)
def test_timestamps_are_read_as_aware_utc(value: Any, expected: datetime) -> None:
    parsed = parse_timestamp(value)
    assert parsed == expected
    assert parsed.utcoffset() is not None
    assert parsed.tzinfo == UTC


def test_a_timestamp_without_offset_is_refused_rather_than_guessed() -> None:
    with pytest.raises(RecordError, match=r"^created_at: .* has no UTC offset"):
        parse_timestamp("2024-03-01T10:00:00", "created_at")


@pytest.mark.parametrize(
    "value",
    [
        "1899-12-31T23:59:59Z",
        "2100-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        # Within datetime's range only before the offset is applied.
        "9999-12-31T23:30:00-01:00",
        "0001-01-01T00:30:00+01:00",
        1700000000000,  # milliseconds, not seconds
        10**20,
        float("inf"),
    ],
)
def test_absurd_times_are_refused_naming_the_field(value: Any) -> None:
    with pytest.raises(RecordError, match=r"^created_at: "):
        parse_timestamp(value, "created_at")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "missing"),
        ("", "missing"),
        (True, "missing"),
        ("yesterday", "is not an ISO 8601 time"),
        (float("nan"), "is not a time"),
        ([2024, 3, 1], "expected a time, got list"),
    ],
)
def test_what_is_not_a_time_is_refused(value: Any, reason: str) -> None:
    with pytest.raises(RecordError, match=rf"^updated_at: .*{reason}"):
        parse_timestamp(value)


# --- dates, text, ids --------------------------------------------------------------------------


def test_dates_are_read_from_iso() -> None:
    assert parse_date("1984-02-29", "birth_date") == date(1984, 2, 29)
    assert parse_date(" 1984-02-29 ", "birth_date") == date(1984, 2, 29)


@pytest.mark.parametrize(
    "value", ["1983-02-29", "29/02/1984", "", None, "1850-01-01", "2100-01-01"]
)
def test_what_is_not_a_plausible_date_is_refused_naming_the_field(value: Any) -> None:
    with pytest.raises(RecordError, match=r"^birth_date: "):
        parse_date(value, "birth_date")


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"city": " Lyon "}, "Lyon"),
        ({"city": "Saint-Étienne"}, "Saint-Étienne"),
        ({"city": 75001}, "75001"),
        ({"city": ""}, None),
        ({"city": "   "}, None),
        ({"city": None}, None),
        ({"city": False}, None),
        ({}, None),
    ],
)
def test_optional_text_is_trimmed_and_absent_when_blank(
    payload: dict[str, Any], expected: str | None
) -> None:
    assert optional_text(payload, "city") == expected


@pytest.mark.parametrize("value", [{"name": "Lyon"}, ["Lyon"]])
def test_optional_text_refuses_structures_naming_the_key(value: Any) -> None:
    with pytest.raises(RecordError, match=r"^city: expected text"):
        optional_text({"city": value}, "city")


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"id": 207119551}, "207119551"),
        ({"id": " JDKYHBWT1D4F8MFH63DBMEN8Y4 "}, "JDKYHBWT1D4F8MFH63DBMEN8Y4"),
    ],
)
def test_require_id_gives_the_id_as_text(payload: dict[str, Any], expected: str) -> None:
    assert require_id(payload) == expected


@pytest.mark.parametrize("value", [None, "", "  ", True, 1.5, {"id": 1}])
def test_require_id_refuses_a_missing_or_odd_id_naming_the_key(value: Any) -> None:
    with pytest.raises(RecordError, match=r"^customer_id: missing or not an id"):
        require_id({"customer_id": value}, "customer_id")
    with pytest.raises(RecordError, match=r"^customer_id: "):
        require_id({}, "customer_id")


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(r"-?[0-9]{1,7}(\.[0-9]{0,4})?", fullmatch=True),
    st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_plain_amounts_read_as_their_decimal_value(amount: str, currency: str) -> None:
    # Plain amounts take a reading of their own (integers, no Decimal): it must agree with
    # the exact decimal value, and refuse what that value cannot hold in minor units.
    scaled = Decimal(amount).scaleb(get_currency_precision(currency))
    if scaled == scaled.to_integral_value():
        assert money_minor(amount, currency) == (int(scaled), currency)
    else:
        with pytest.raises(RecordError, match="more decimals"):
            money_minor(amount, currency)
