"""Reading vendor payloads into canonical values: money, timestamps, text.

Each helper raises :class:`RecordError` with a reason naming the field, so a connector can turn
a bad payload into a quarantined record instead of a failed run.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import get_currency_precision, is_currency

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


# Every order line asks; babel's lookup is the slowest step of mapping an order.
_is_currency = functools.lru_cache(maxsize=1024)(is_currency)
_precision = functools.lru_cache(maxsize=1024)(get_currency_precision)


class RecordError(ValueError):
    """A payload that cannot be read; the message says which field and why."""


_KNOWN_CODES: set[str] = set()
"""Codes already found valid as they were written (``"EUR"``): each order line asks again."""


def currency_code(value: Any, field_name: str = "currency") -> str:
    if type(value) is str and value in _KNOWN_CODES:
        return value
    code = str(value or "").strip().upper()
    if not code:
        raise RecordError(f"{field_name}: missing")
    if not _is_currency(code):
        raise RecordError(f"{field_name}: {code!r} is not an ISO 4217 currency")
    if value == code:  # only exact spellings, so the set stays as small as ISO 4217
        _KNOWN_CODES.add(code)
    return code


def money_minor(amount: Any, currency: Any, field_name: str = "amount") -> tuple[int, str]:
    """A major-unit amount (``"59.90"``, ``59.9``, ``"59,90"``) as integer minor units.

    The currency decides the exponent (EUR 2, JPY 0, KWD 3). An amount with more decimals than
    its currency has is refused rather than rounded: money is never silently changed.
    """
    code = currency_code(currency)
    if type(amount) is str and (minor := _plain_minor(amount, _precision(code))) is not None:
        return minor, code
    if isinstance(amount, bool) or amount is None or amount == "":
        raise RecordError(f"{field_name}: missing")
    text = str(amount).strip().replace("\u00a0", "").replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma, as French exports write it
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RecordError(f"{field_name}: {amount!r} is not an amount") from None
    if not value.is_finite():
        raise RecordError(f"{field_name}: {amount!r} is not an amount")
    scaled = value.scaleb(_precision(code))
    if scaled != scaled.to_integral_value():
        raise RecordError(f"{field_name}: {amount!r} has more decimals than {code} allows")
    return int(scaled), code


def _plain_minor(text: str, exponent: int) -> int | None:
    """``text`` in minor units when it is written as nearly every amount is (``"59.90"``,
    ``"-12"``: ASCII digits, an optional minus and decimal point), read with integers alone;
    ``None`` for any other form, or more decimals than ``exponent``, which the Decimal reading
    of :func:`money_minor` then accepts or refuses with its reason. Both read the same value;
    this is several times faster, and an order asks for two amounts and two more per line."""
    negative = text.startswith("-")
    whole, point, fraction = (text[1:] if negative else text).partition(".")
    if not (whole.isdigit() and whole.isascii()):
        return None
    if point:
        fraction = fraction.rstrip("0")
        if len(fraction) > exponent or not (fraction.isdigit() or fraction == ""):
            return None
        if not fraction.isascii():
            return None
    minor = int(whole + fraction.ljust(exponent, "0"))
    return -minor if negative else minor


def parse_timestamp(value: Any, field_name: str = "updated_at") -> datetime:
    """An ISO 8601 timestamp (or Unix seconds) as an aware UTC datetime, within 1900 to 2100.

    A timestamp without an offset is refused: guessing the zone would shift it by hours.
    """
    parsed = _iso_with_offset(value)
    if parsed is None:
        parsed = _read_time(value, field_name)
    try:
        parsed = parsed.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 pushed past datetime's range by its offset
        raise RecordError(f"{field_name}: {value!r} is outside 1900 to 2100") from None
    if not EARLIEST <= parsed < LATEST:
        raise RecordError(f"{field_name}: {value!r} is outside 1900 to 2100")
    return parsed


def _iso_with_offset(value: Any) -> datetime | None:
    """``value`` read as sources nearly always send it (ISO 8601 text with an offset, no
    padding), or ``None`` for :func:`_read_time` to read or refuse: every record asks once
    or twice, and trying this first spares it the checks and copies of that reading."""
    if type(value) is not str or value.isdigit():  # digits alone may be Unix seconds
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _read_time(value: Any, field_name: str) -> datetime:
    if isinstance(value, bool) or value is None or value == "":
        raise RecordError(f"{field_name}: missing")
    unix_text = isinstance(value, str) and value.isdigit() and 9 <= len(value) <= 10
    if isinstance(value, int | float) or unix_text:
        try:
            parsed = datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            raise RecordError(f"{field_name}: {value!r} is not a time") from None
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise RecordError(f"{field_name}: {value!r} is not an ISO 8601 time") from None
        if parsed.tzinfo is None:
            raise RecordError(f"{field_name}: {value!r} has no UTC offset")
    else:
        raise RecordError(f"{field_name}: expected a time, got {type(value).__name__}")
    return parsed


def parse_date(value: Any, field_name: str) -> date:
    try:
        parsed = date.fromisoformat(str(value).strip())
    except ValueError:
        raise RecordError(f"{field_name}: {value!r} is not an ISO date (YYYY-MM-DD)") from None
    if not EARLIEST.date() <= parsed < LATEST.date():
        raise RecordError(f"{field_name}: {value!r} is outside 1900 to 2100")
    return parsed


def optional_text(payload: Mapping[str, Any], key: str) -> str | None:
    """A text field that may be absent, null or blank; a number is accepted as its digits."""
    value = payload.get(key)
    if isinstance(value, str):  # nearly always: checked first, every field of every item asks
        return value.strip() or None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value).strip() or None
    raise RecordError(f"{key}: expected text, got {type(value).__name__}")


def require_mapping(payload: Any, what: str) -> Mapping[str, Any]:
    if type(payload) is dict:  # parsed JSON: spares the abstract class check, every line asks
        return payload
    if not isinstance(payload, Mapping):
        raise RecordError(f"{what}: expected an object, got {type(payload).__name__}")
    return payload


def require_id(payload: Mapping[str, Any], key: str = "id") -> str:
    """The record's own id, as text (Shopify's are integers, Square's strings)."""
    value = payload.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str) or str(value).strip() == "":
        raise RecordError(f"{key}: missing or not an id ({value!r})")
    return str(value).strip()
