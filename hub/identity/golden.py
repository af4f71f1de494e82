"""Recomputing the golden fields of profiles from their linked records, by the configured rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.identity.config import ResolutionConfig
from hub.identity.normalisers.countries import region_code
from hub.identity.search_terms import search_terms
from hub.identity.survivorship import golden_fields
from hub.store.models import LinkRow, ProfileRow, SourceRecordRow
from hub.store.search_index import replace_terms

CHUNK = 500
BRAND_COLUMN_LENGTH = 64


def list_columns(golden: Mapping[str, Any]) -> dict[str, str | None]:
    """The profile columns the customer lists filter on, read from its golden fields: the
    brand as chosen, the country as an alpha-2 code (so "France" and "FR" filter alike)."""
    brand = golden.get("brand", {}).get("value")
    country = golden.get("country", {}).get("value")
    return {
        "brand": None if brand is None else str(brand)[:BRAND_COLUMN_LENGTH],
        "country": None if country is None else region_code(str(country)),
    }


async def refresh_golden(
    session: AsyncSession, profile_ids: Iterable[str], config: ResolutionConfig
) -> int:
    """Recompute the golden fields of ``profile_ids``; return how many profiles were refreshed."""
    wanted = sorted(set(profile_ids))
    now = datetime.now(UTC)
    refreshed = 0
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = await session.execute(
            select(LinkRow.profile_id, SourceRecordRow)
            .join(SourceRecordRow, SourceRecordRow.id == LinkRow.record_id)
            .where(LinkRow.profile_id.in_(chunk))
        )
        records: dict[str, list[SourceRecordRow]] = {}
        for profile_id, record in rows:
            records.setdefault(profile_id, []).append(record)
        profiles = list(await session.scalars(select(ProfileRow).where(ProfileRow.id.in_(chunk))))
        for profile in profiles:
            profile.golden = golden_fields(
                records.get(profile.id, []), config.survivorship, config.trust_rank
            )
            columns = list_columns(profile.golden)
            profile.brand, profile.country = columns["brand"], columns["country"]
            profile.updated_at = now
            refreshed += 1
        # The search index follows the golden record it is read from (merges, splits, syncs).
        terms = {p.id: search_terms(p.golden) for p in profiles if p.merged_into is None}
        await replace_terms(session, [p.id for p in profiles], terms)
    return refreshed
