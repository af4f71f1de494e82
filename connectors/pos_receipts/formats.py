"""Reading the cells of French till exports: decimal commas, thousands spaces, local dates.

Each reader takes the cell's text and raises :class:`RecordError` saying what is wrong with it;
the caller adds the file, line and column.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.numbers import get_currency_precision

from hub.connector.mapping import EARLIEST, LATEST, RecordError

# Spaces of every kind (French locales group thousands with a no-break or narrow no-break
# space), apostrophes (Swiss grouping) and the euro sign or code around the figure.
_AMOUNT_NOISE = re.compile("[\\s'\u2019]|\u20ac|EUR", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DATE_TIME = re.compile(r"(?P<date>[^\sT]+)(?:[\sT]+(?P<time>\S+))?")
_FRENCH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{1,2})[:hH](\d{2})(?::(\d{2})(?:[.,]\d+)?)?")
_YES = frozenset({"1", "o", "oui", "y", "yes", "true", "vrai", "x", "r", "retour", "rembourse"})


@lru_cache(maxsize=4096)  # tills repeat prices, dates and times endlessly
def decimal_number(text: str) -> Decimal:
    """``"12,90"``, ``"1 234,50 €"``, ``"1.234,50"``, ``"-3,5"``, ``"3,50-"`` or ``"12.90"``.

    A comma alone is the decimal separator (the French way); with both a comma and a dot, the
    last one is the decimal separator and the other groups thousands.
    """
    cleaned = _AMOUNT_NOISE.sub("", text).replace("\u2212", "-")
    negative = False
    if cleaned.endswith("-") or (cleaned.startswith("(") and cleaned.endswith(")")):
        negative, cleaned = True, cleaned.strip("()-")
    if "," in cleaned and "." in cleaned:
        grouping = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(grouping, "")
    cleaned = cleaned.replace(",", ".")
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        raise RecordError(f"{text!r} is not a number")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise RecordError(f"{text!r} is not a number") from None
    return -value if negative else value


@lru_cache(maxsize=4096)
def amount_minor(text: str, currency: str) -> int:
    """An amount in the currency's minor units; more decimals than it has are refused."""
    try:
        value = decimal_number(text)
    except RecordError:
        raise RecordError(f"{text!r} is not an amount") from None
    scaled = value.scaleb(get_currency_precision(currency))
    if scaled != scaled.to_integral_value():
        raise RecordError(f"{text!r} has more decimals than {currency} allows")
    return int(scaled)


@lru_cache(maxsize=4096)
def quantity(text: str) -> int | float:
    """A quantity: whole units as an integer, weighed goods (``"0,750"`` kg) as a number."""
    value = decimal_number(text)
    return int(value) if value == value.to_integral_value() else float(value)


def is_yes(text: str) -> bool:
    """A flag cell as tills write them: ``O``/``Oui``/``1``/``X``/``R`` … (blank is no)."""
    return text.strip().casefold() in _YES


@lru_cache(maxsize=4096)
def date_and_time(text: str) -> tuple[date, time | None]:
    """``"23/11/2026"``, ``"23/11/2026 14:05:33"`` or ISO ``"2026-11-23"``, with its time if the
    cell has one."""
    match = _DATE_TIME.fullmatch(text.strip())
    if match is None:
        raise RecordError(f"{text!r} is not a date (DD/MM/YYYY)")
    day = _calendar_date(match["date"], text)
    return day, (_clock_time(match["time"], text) if match["time"] else None)


@lru_cache(maxsize=4096)
def clock_time(text: str) -> time:
    """``"14:05"``, ``"14:05:33"`` or ``"14h05"``."""
    return _clock_time(text.strip(), text)


@lru_cache(maxsize=4096)
def aware(day: date, clock: time | None, zone: ZoneInfo) -> datetime:
    """The local till time made aware in ``zone`` and turned into UTC.

    A time that does not exist (the hour skipped in spring) or exists twice (the hour repeated
    in autumn) is read as zoneinfo does: the earlier offset (``fold=0``).
    """
    local = datetime.combine(day, clock or time(0, 0), tzinfo=zone)
    return local.astimezone(UTC)


def _calendar_date(text: str, cell: str) -> date:
    if french := _FRENCH_DATE.fullmatch(text):
        day_text, month_text, year_text = french.groups()
    elif iso := _ISO_DATE.fullmatch(text):
        year_text, month_text, day_text = iso.groups()
    else:
        raise RecordError(f"{cell!r} is not a date (DD/MM/YYYY)")
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    try:
        parsed = date(year, int(month_text), int(day_text))
    except ValueError:
        raise RecordError(f"{cell!r} is not a date that exists") from None
    if not EARLIEST.date() <= parsed < LATEST.date():
        raise RecordError(f"{cell!r} is outside 1900 to 2100")
    return parsed


def _clock_time(text: str, cell: str) -> time:
    match = _TIME.fullmatch(text)
    if match is None:
        raise RecordError(f"{cell!r} is not a time (HH:MM or HH:MM:SS)")
    hours, minutes, seconds = match.groups()
    try:
        return time(int(hours), int(minutes), int(seconds or 0))
    except ValueError:
        raise RecordError(f"{cell!r} is not a time that exists") from None
