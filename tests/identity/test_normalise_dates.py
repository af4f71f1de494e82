"""Birth dates: the formats sources send, day first; placeholders, future and very old dates."""

from __future__ import annotations

from datetime import date

import pytest

from hub.identity.model import FindingKind
from hub.identity.normalisers.dates import birth_date
from hub.identity.normalisers.unusable import Unusable

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1980-05-17", date(1980, 5, 17)),
        ("1980-5-7", date(1980, 5, 7)),
        ("1980-05-17T00:00:00", date(1980, 5, 17)),
        ("1980-05-17T00:00:00Z", date(1980, 5, 17)),
        ("1980-05-17T23:00:00.000+02:00", date(1980, 5, 17)),  # the day as written
        ("1980-05-17 10:30", date(1980, 5, 17)),
        ("17/05/1980", date(1980, 5, 17)),
        ("17.05.1980", date(1980, 5, 17)),
        ("17-05-1980", date(1980, 5, 17)),
        ("7/5/1980", date(1980, 5, 7)),
        ("03/07/1961", date(1961, 7, 3)),  # day first: 3 July, not March 7
        ("17/05/1980 00:00:00", date(1980, 5, 17)),  # a spreadsheet export
        ("1980/05/17", date(1980, 5, 17)),
        ("1980.05.17", date(1980, 5, 17)),
        ("19800517", date(1980, 5, 17)),
        ("17051980", date(1980, 5, 17)),  # not a year 1705 month 19: day, month, year
        ("17/05/80", date(1980, 5, 17)),
        ("17/05/10", date(2010, 5, 17)),  # 2010 is past, so the latest century
        ("17/05/26", date(2026, 5, 17)),
        ("17/07/26", date(1926, 7, 17)),  # 2026-07-17 is to come: the century before
        ("29/02/1984", date(1984, 2, 29)),
    ],
)
def test_formats(raw: str, expected: date) -> None:
    assert birth_date(raw, TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "kind", "message"),
    [
        ("31/02/1980", FindingKind.INVALID, "no such day in the calendar"),
        ("29/02/1981", FindingKind.INVALID, "no such day in the calendar"),
        ("1980-13-01", FindingKind.INVALID, "no such day in the calendar"),
        ("17/05/1980/1", FindingKind.INVALID, None),
        ("17 mai 1980", FindingKind.INVALID, None),
        ("05/17", FindingKind.INVALID, None),
        ("abc", FindingKind.INVALID, None),
        ("17/05-1980", FindingKind.INVALID, None),  # two separators: no known format
        ("2030-01-01", FindingKind.INVALID, "a birth date in the future"),
        ("02/06/2026", FindingKind.INVALID, "a birth date in the future"),
        ("1900-01-01", FindingKind.PLACEHOLDER, None),
        ("01/01/1900", FindingKind.PLACEHOLDER, None),
        ("1901-01-01", FindingKind.PLACEHOLDER, None),
        ("1970-01-01", FindingKind.PLACEHOLDER, None),
        ("0001-01-01", FindingKind.PLACEHOLDER, None),
        ("0000-00-00", FindingKind.PLACEHOLDER, None),
        ("1899-12-30", FindingKind.PLACEHOLDER, None),
        ("1890-05-17", FindingKind.SUSPICIOUS, "more than 120 years ago"),
        ("31/05/1905", FindingKind.SUSPICIOUS, "more than 120 years ago"),
    ],
)
def test_unusable_dates(raw: str, kind: FindingKind, message: str | None) -> None:
    answer = birth_date(raw, TODAY)
    assert isinstance(answer, Unusable)
    assert answer.kind is kind
    if message is not None:
        assert answer.message == message


def test_one_hundred_and_twenty_years_is_still_used() -> None:
    assert birth_date("01/06/1906", TODAY) == date(1906, 6, 1)
    assert birth_date("02/06/1905", TODAY) == date(1905, 6, 2)  # 121 tomorrow


def test_blank_is_no_value() -> None:
    assert birth_date("  ", TODAY) is None
