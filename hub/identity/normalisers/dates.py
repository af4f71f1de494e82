"""Birth dates in the formats sources send, read day first (the hub's brands are European).

Accepted: ISO ``1980-05-17`` with or without a time part and offset (the date as written: a
birth date is a calendar day, not an instant), ``17/05/1980``, ``17.05.1980``, ``17-05-1980``,
``1980/05/17``, ``1980.05.17`` and eight digits ``19800517``; each may carry a time part, as
spreadsheet exports do. Eight digits are year, month, day; when that is no date they are read
as day, month, year (``17051980``): the two readings never both give a date after 1900.

A two-digit year (``17/05/80``) is read in the latest century that does not put the date in the
future: ``80`` is 1980 and ``10`` is 2010 when read in 2026. The century is a guess either way;
this one never invents a date to come.

Dates systems write for "unknown" (1900-01-01, 1970-01-01, 0001-01-01, Excel's day zero
1899-12-30 …) are placeholders; a date to come is invalid; one more than 120 years ago is
suspicious and not used.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from hub.identity.normalisers.unusable import Unusable, invalid, placeholder, suspicious

MAX_AGE_YEARS = 120
PLACEHOLDER_DATES = frozenset(
    {
        date(1, 1, 1),  # .NET DateTime.MinValue, many ORMs' "no date"
        date(1899, 12, 30),  # Excel and OLE Automation day zero
        date(1899, 12, 31),
        date(1900, 1, 1),  # Excel day one, SQL Server's zero date
        date(1901, 1, 1),
        date(1970, 1, 1),  # the Unix epoch
    }
)

_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_YEAR_FIRST = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})" + _TIME)
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_EIGHT_DIGITS = re.compile(r"(\d{8})" + _TIME)
_ZERO_DATE = re.compile(r"0{4}-0{1,2}-0{1,2}" + _TIME)  # MySQL's "no date"


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _two_digit_year(short: int, month: int, day: int, today: date) -> date | None:
    recent = _date(today.year // 100 * 100 + short, month, day)
    if recent is not None and recent <= today:
        return recent
    return _date((today.year // 100 - 1) * 100 + short, month, day)


@lru_cache(maxsize=1 << 17)  # 65 years of days, in two or three formats
def _parse(value: str, today: date) -> date | Unusable:
    if _ZERO_DATE.fullmatch(value):
        return placeholder("a zero date: a placeholder for unknown")
    if (match := _ISO.fullmatch(value) or _YEAR_FIRST.fullmatch(value)) is not None:
        year, month, day = (int(g) for g in match.groups())
        parsed = _date(year, month, day)
    elif (match := _DAY_FIRST.fullmatch(value)) is not None:
        day, month, year = int(match[1]), int(match[3]), int(match[4])
        if len(match[4]) == 2:
            parsed = _two_digit_year(year, month, day, today)
        else:
            parsed = _date(year, month, day)
    elif (match := _EIGHT_DIGITS.fullmatch(value)) is not None:
        digits = match[1]
        parsed = _date(int(digits[:4]), int(digits[4:6]), int(digits[6:])) or _date(
            int(digits[4:]), int(digits[2:4]), int(digits[:2])
        )
    else:
        return invalid("not a date in a known format (day/month/year or ISO year-month-day)")
    if parsed is None:
        return invalid("no such day in the calendar")
    return parsed


def _years_between(earlier: date, later: date) -> int:
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


def birth_date(raw: str, today: date) -> date | Unusable | None:
    """The birth date in ``raw``, why it cannot be one, or ``None`` for a blank value."""
    value = raw.strip()
    if not value:
        return None
    parsed = _parse(value, today)
    if isinstance(parsed, Unusable):
        return parsed
    if parsed in PLACEHOLDER_DATES:
        return placeholder("a date systems write for unknown, not a birth date")
    if parsed > today:
        return invalid("a birth date in the future")
    if _years_between(parsed, today) > MAX_AGE_YEARS:
        return suspicious(f"more than {MAX_AGE_YEARS} years ago")
    return parsed
