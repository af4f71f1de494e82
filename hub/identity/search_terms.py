"""The terms a profile is found by in customer search, from its golden fields.

They are the matching keys identity resolution uses: folded names (and first-name roots, so
"Bob" finds "Robert"), the e-mail key, the phone in E.164 and as the digits written, the
postcode key and the folded city.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub.identity.normalise import normalise_identifier
from hub.identity.normalisers.countries import region_code
from hub.identity.normalisers.folding import words
from hub.identity.normalisers.nicknames import first_name_root
from hub.identity.normalisers.postcodes import postcode_key
from hub.records import IdentifierKind

NAME_FIELDS = ("first_name", "last_name")


def _value(golden: Mapping[str, Any], name: str) -> str | None:
    value = golden.get(name, {}).get("value")
    return None if value in (None, "") else str(value)


def search_terms(golden: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The (field, term) pairs a profile with ``golden`` fields is found by."""
    terms: set[tuple[str, str]] = set()
    for name in NAME_FIELDS:
        for word in words(_value(golden, name) or ""):
            terms.add(("name", word))
            if name == "first_name":
                terms.add(("name", first_name_root(word)))
    country = region_code(_value(golden, "country"))
    email = _value(golden, "email")
    if email and (key := normalise_identifier(IdentifierKind.EMAIL, email)):
        terms.add(("email", key))
    phone = _value(golden, "phone")
    if phone and (e164 := normalise_identifier(IdentifierKind.PHONE, phone, country)):
        terms.add(("phone", e164))
        national = "".join(ch for ch in phone if ch.isdigit())
        if national:
            terms.add(("phone", national))
    postcode = _value(golden, "postcode")
    if postcode and isinstance(code := postcode_key(postcode, country), str):
        terms.add(("postcode", code))
    for word in words(_value(golden, "city") or ""):
        terms.add(("city", word))
    return {(field, term) for field, term in terms if term}
