"""Phone matching keys: E.164 numbers read by phonenumbers with the record's country as region.

A number in national format ("06 12 34 56 78") needs a region to be read; one in international
format ("+33 6 12 34 56 78", "0033 6 …") does not. Fixed lines are flagged: a household shares
them, so the engine weighs them less. FIXED_LINE_OR_MOBILE (numbering plans that cannot tell,
as in the United States) is not counted as fixed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from hub.identity.normalisers.folding import fold_text
from hub.identity.normalisers.placeholders import is_filler, is_placeholder
from hub.identity.normalisers.unusable import Unusable, invalid, placeholder

# Keep every metadata pattern compiled: re's own cache (512 entries) is smaller than the
# patterns of the hub's countries, and recompiling costs a tenth of each number's time.
phonenumbers.enable_pattern_cache()

# Typed to get past a form: the tail of a real number is never seven times the same digit.
_REPEATED_TAIL = 7
_NOT_DIGIT = re.compile(r"\D+")
_INTERNATIONAL_00 = re.compile(r"\s*00")

_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "the country calling code is not valid",
    NumberParseException.NOT_A_NUMBER: "not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "too short to be a phone number",
    NumberParseException.TOO_LONG: "too long to be a phone number",
}


class PhoneKey(NamedTuple):
    e164: str
    fixed_line: bool


def _is_placeholder_number(digits: str) -> bool:
    tail = digits[-_REPEATED_TAIL:]
    return is_filler(digits) or (len(tail) == _REPEATED_TAIL and len(set(tail)) == 1)


def _parse_error(error: NumberParseException, value: str, region: str | None) -> Unusable:
    national = region is None and not value.startswith("+")
    if error.error_type == NumberParseException.INVALID_COUNTRY_CODE and national:
        return invalid("a national number, and the record has no country to read it in")
    return invalid(_PARSE_ERRORS.get(error.error_type, "not a phone number"))


@lru_cache(maxsize=1 << 18)  # a person's records repeat it far apart in a base
def phone_key(raw: str, region: str | None) -> PhoneKey | Unusable | None:
    """The E.164 key of ``raw`` read in ``region`` (ISO 3166 alpha-2, or ``None``)."""
    value = raw.strip()
    if not value:
        return None
    digits = _NOT_DIGIT.sub("", value)
    if not digits:
        if is_placeholder(fold_text(value)):
            return placeholder("a placeholder, not a number")
        return invalid("no digits: not a phone number")
    if _is_placeholder_number(digits):
        return placeholder("a filler number (repeated or consecutive digits)")
    if region is None and (prefix := _INTERNATIONAL_00.match(value)):
        value = "+" + value[prefix.end() :]  # 00 is the international prefix across Europe
    try:
        number = phonenumbers.parse(value, region)
    except NumberParseException as error:
        return _parse_error(error, value, region)
    # number_type is UNKNOWN exactly when is_valid_number is false (both match the number
    # against its region's patterns): asking once halves the cost of a phone.
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.UNKNOWN:
        calling = number.country_code or 0
        where = phonenumbers.region_code_for_country_code(calling)
        return invalid(f"not a valid phone number in {where} (+{calling})")
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return PhoneKey(e164, kind == PhoneNumberType.FIXED_LINE)
