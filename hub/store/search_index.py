"""The customer search index: per-profile search terms kept beside the golden record.

One row per (profile, field, term). Candidates are retrieved by an indexed prefix match on
``term`` (a plain B-tree index, so SQLite and PostgreSQL answer alike, no trigram extension),
then re-ranked in Python. Terms are the same matching keys identity resolution uses: folded
names (and first-name roots, so "Bob" finds "Robert"), the e-mail key, the phone in E.164 and
as national digits, the postcode key and the folded city.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ForeignKey, Index, String, delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from hub.identity.normalisers.folding import words
from hub.identity.normalisers.nicknames import first_name_root
from hub.store.models import Base, ProfileRow

TERM_LENGTH = 320
NAME_FIELDS = ("first_name", "last_name")
PERSONAL_SEARCH_FIELDS = frozenset({"email", "phone", "postcode"})
"""Search fields whose terms are personal data: searched only by viewers who may read them."""


class SearchTermRow(Base):
    """A term a profile is found by, and the golden field it comes from."""

    __tablename__ = "search_term"
    __table_args__ = (Index("ix_search_term_term", "term", "field"),)

    profile_id: Mapped[str] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(String(16), primary_key=True)
    term: Mapped[str] = mapped_column(String(TERM_LENGTH), primary_key=True)


def _value(golden: Mapping[str, Any], name: str) -> str | None:
    value = golden.get(name, {}).get("value")
    return None if value in (None, "") else str(value)


def search_terms(golden: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The (field, term) pairs a profile with ``golden`` fields is found by."""
    # Imported here: the normalisers import the records model, which imports the store.
    from hub.identity.normalise import normalise_identifier
    from hub.identity.normalisers.countries import region_code
    from hub.identity.normalisers.postcodes import postcode_key
    from hub.records import IdentifierKind

    terms: set[tuple[str, str]] = set()
    for name in NAME_FIELDS:
        raw = _value(golden, name)
        for word in words(raw or ""):
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
    city = _value(golden, "city")
    for word in words(city or ""):
        terms.add(("city", word))
    return {(field, term[:TERM_LENGTH]) for field, term in terms if term}


async def reindex(session: AsyncSession, profiles: list[ProfileRow]) -> None:
    """Replace the search terms of ``profiles``; merged-away profiles keep none."""
    if not profiles:
        return
    ids = [profile.id for profile in profiles]
    await session.execute(delete(SearchTermRow).where(SearchTermRow.profile_id.in_(ids)))
    for profile in profiles:
        if profile.merged_into is not None:
            continue
        session.add_all(
            SearchTermRow(profile_id=profile.id, field=field, term=term)
            for field, term in search_terms(profile.golden or {})
        )
