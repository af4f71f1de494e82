"""searchCustomers: a customer found from what an agent types, ranked best first.

Candidates come from the search index (hub.store.search_index) by indexed prefix on each typed
word's key, at most :data:`CANDIDATES` of them; rapidfuzz then scores each candidate's name
against the whole query, so "Jon Smiht" still finds John Smith when one word's prefix matches.
Exact identifiers (e-mail, phone, postcode, loyalty card) score above any fuzzy name.
"""

from __future__ import annotations

import asyncio

import strawberry
from rapidfuzz import fuzz
from sqlalchemy import or_, select

from hub.access import Permission
from hub.identity.normalisers.folding import words
from hub.records import IdentifierKind
from hub.store.models import ProfileRow
from hub.store.profiles import profile_id_by_identifier
from hub.store.search_index import PERSONAL_SEARCH_FIELDS, SearchTermRow
from schema.access import require, viewer
from schema.context import HubInfo
from schema.customers.queries import customer_view, lookup_key
from schema.customers.types import Customer
from schema.errors import ApiError
from schema.limits import page_size

CANDIDATES = 200
EXACT_SCORE = 100.0
MIN_NAME_SCORE = 60.0


@strawberry.type
class CustomerHit:
    customer: Customer
    score: float = strawberry.field(description="0-100; exact identifiers score 100.")
    matched: list[str] = strawberry.field(description="The fields the query matched.")


async def _exact(info: HubInfo, query: str) -> dict[str, set[str]]:
    """Profiles whose e-mail, phone or loyalty card is the query: {profile id: fields}."""
    found: dict[str, set[str]] = {}
    kinds = [IdentifierKind.LOYALTY_CARD]
    if "@" in query:
        kinds.append(IdentifierKind.EMAIL)
    elif sum(ch.isdigit() for ch in query) >= 6 and not any(ch.isalpha() for ch in query):
        # Letters make it a card number ("MX-4471-2290"), not a phone: a key without
        # personal-data access may still search by card.
        kinds.append(IdentifierKind.PHONE)
    if len(kinds) > 1:
        # Finding someone by e-mail or phone tells who is a customer: personal data too.
        require(info, Permission.READ_PERSONAL_DATA)
    async with info.context.sessions() as session:
        for kind in kinds:
            key = lookup_key(kind, query)
            if key and (pid := await profile_id_by_identifier(session, kind.value, key)):
                found.setdefault(pid, set()).add(kind.value.lower())
    return found


async def _by_terms(info: HubInfo, query: str) -> dict[str, dict[str, set[str]]]:
    """{profile id: {field: terms}} of the profiles with a term starting like a typed word."""
    typed = words(query)
    personal = viewer(info).may(Permission.READ_PERSONAL_DATA)
    fields = ["name", "city"] + (sorted(PERSONAL_SEARCH_FIELDS) if personal else [])
    prefixes = [word[:3] if len(word) > 3 else word for word in typed]
    if not prefixes:
        return {}
    async with info.context.sessions() as session:
        ids = (
            await session.scalars(
                select(SearchTermRow.profile_id)
                .where(SearchTermRow.field.in_(fields))
                .where(or_(*(SearchTermRow.term.startswith(p, autoescape=True) for p in prefixes)))
                .distinct()
                .limit(CANDIDATES)
            )
        ).all()
        rows = await session.execute(
            select(SearchTermRow.profile_id, SearchTermRow.field, SearchTermRow.term).where(
                SearchTermRow.profile_id.in_(ids), SearchTermRow.field.in_(fields)
            )
        )
        terms: dict[str, dict[str, set[str]]] = {}
        for pid, field, term in rows:
            terms.setdefault(pid, {}).setdefault(field, set()).add(term)
    return terms


def _score(typed: list[str], terms: dict[str, set[str]]) -> tuple[float, list[str]]:
    """Each typed word's best match among the profile's terms (a prefix as typed so far counts
    fully), averaged; and the fields that matched."""
    total, matched = 0.0, set()
    for word in typed:
        best, best_field = 0.0, None
        for field, values in terms.items():
            for term in values:
                score = 100.0 if term.startswith(word) else fuzz.ratio(word, term)
                if field != "name" and score < 100.0:
                    continue  # identifiers and places match as typed, not fuzzily
                if score > best:
                    best, best_field = score, field
        total += best
        if best_field and best >= MIN_NAME_SCORE:
            matched.add(best_field)
    return total / len(typed), sorted(matched)


@strawberry.type
class CustomerSearchQueries:
    @strawberry.field(
        description=(
            "Customers found from what was typed: a name (typos and partial words allowed, "
            "search-as-you-type), a phone any way written, an e-mail, a postcode, a city or a "
            "loyalty card; best first. Searching by e-mail or phone needs read_personal_data."
        )
    )
    async def search_customers(
        self,
        info: HubInfo,
        query: str,
        first: int | None = None,
        brand: str | None = None,
        country: str | None = None,
    ) -> list[CustomerHit]:
        text = query.strip()
        if not text:
            raise ApiError("query must not be empty: type a name, phone, e-mail or postcode")
        size = page_size(info, first, 20)
        scored: dict[str, tuple[float, list[str]]] = {
            pid: (EXACT_SCORE, sorted(fields)) for pid, fields in (await _exact(info, text)).items()
        }
        typed = words(text)
        for pid, terms in (await _by_terms(info, text)).items():
            score, matched = _score(typed, terms)
            if score >= MIN_NAME_SCORE and (pid not in scored or scored[pid][0] < score):
                scored[pid] = (score, matched)
        async with info.context.sessions() as session:
            statement = select(ProfileRow).where(
                ProfileRow.id.in_(list(scored)), ProfileRow.merged_into.is_(None)
            )
            if brand is not None:
                statement = statement.where(ProfileRow.brand == brand)
            if country is not None:
                statement = statement.where(ProfileRow.country == country.upper())
            profiles = list(await session.scalars(statement))
        profiles.sort(key=lambda profile: (-scored[profile.id][0], profile.id))
        views = await asyncio.gather(*(customer_view(info, profile) for profile in profiles))
        hits = [
            CustomerHit(
                customer=view, score=round(scored[profile.id][0], 1), matched=scored[profile.id][1]
            )
            for profile, view in zip(profiles, views, strict=True)
            if view is not None
        ]
        return hits[:size]
