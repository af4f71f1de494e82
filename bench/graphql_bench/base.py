"""The profile base the benchmark reads: what a sync of two connectors and a resolution store.

Records are written through the hub's own upsert (identifiers normalised, activity rows, content
hashes as a sync stores them); profiles and links, which a full resolution of 200,000 records
would take minutes to decide, are written in bulk with the links resolution makes (the loyalty
record joins the shop record's profile on its e-mail, with the pair's evidence) and the golden
fields computed by the hub's own survivorship (:func:`hub.identity.golden.refresh_golden`).

A SQLite base is kept between runs in a cache folder, named by its size, seed, builder version
and the schema revision, since building 100,000 profiles takes a few minutes on a busy box.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession

from hub.identity.config import ResolutionConfig
from hub.identity.golden import refresh_golden
from hub.identity.model import FieldComparison, Outcome, PairEvidence
from hub.identity.review import evidence_document
from hub.identity.writing import AUTO, RULE_NEW_PROFILE
from hub.store import migrate
from hub.store.database import create_engine, database_url, session_factory
from hub.store.models import LinkRow, ProfileRow, SourceRecordRow
from hub.store.records import upsert_records

from .people import LOYALTY, SHOP, person_records

BUILDER_VERSION = 1
"""Raised whenever what the builder writes changes, so that a cached base is rebuilt."""
PAGE = 500
"""People written per transaction: 1,000 records, as a sync commits a page."""
NAMESPACE = uuid.UUID("6f1e1b5e-2d0c-4c1e-9a57-3f6d3b0e6a10")

Progress = Callable[[str], None]


def cache_folder() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "hub-bench-graphql"


def cached_sqlite_path(profiles: int, seed: int) -> Path:
    name = f"base-{profiles}-s{seed}-v{BUILDER_VERSION}-{migrate.head_revision()}.db"
    return cache_folder() / name


async def cached_sqlite_base(profiles: int, seed: int, progress: Progress = print) -> URL:
    """A SQLite base of ``profiles`` people, built once and then reused."""
    path = cached_sqlite_path(profiles, seed)
    url = database_url({"HUB_DATABASE_URL": f"sqlite:///{path}"})
    if path.exists():
        progress(f"reusing the base {path}")
        return url
    path.parent.mkdir(parents=True, exist_ok=True)
    # Built beside its final name and renamed once complete: an interrupted build is no base.
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch:
        building = Path(scratch) / path.name
        await build_base(
            database_url({"HUB_DATABASE_URL": f"sqlite:///{building}"}), profiles, seed, progress
        )
        building.rename(path)
    return url


async def build_base(url: URL, profiles: int, seed: int, progress: Progress = print) -> None:
    """Migrate the empty database at ``url`` and store ``profiles`` people in it."""
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        sessions = session_factory(engine)
        for start in range(0, profiles, PAGE):
            people = range(start, min(start + PAGE, profiles))
            async with sessions() as session:
                await _store_page(session, seed, people)
                await session.commit()
            if (start // PAGE) % 20 == 19 or start + PAGE >= profiles:
                progress(f"  {start + len(people):,} / {profiles:,} profiles")
    finally:
        await engine.dispose()


async def _store_page(session: AsyncSession, seed: int, people: range) -> None:
    """The records of ``people``, then their profiles and links as a resolution writes them."""
    now = datetime.now(UTC)
    pairs = [person_records(person, seed) for person in people]
    await upsert_records(session, SHOP, [shop for shop, _ in pairs])
    await upsert_records(session, LOYALTY, [loyalty for _, loyalty in pairs])
    rows = await session.execute(
        select(SourceRecordRow.connector, SourceRecordRow.source_id, SourceRecordRow.id).where(
            # the whole unique key, so that the look-up is an index range, not a scan
            SourceRecordRow.connector.in_([SHOP, LOYALTY]),
            SourceRecordRow.entity.in_([pairs[0][0].entity, pairs[0][1].entity]),
            SourceRecordRow.source_id.in_([r.source_id for pair in pairs for r in pair]),
        )
    )
    ids = {(connector, source_id): id_ for connector, source_id, id_ in rows}
    profiles: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for person, (shop, loyalty) in zip(people, pairs, strict=True):
        profile_id = str(uuid.uuid5(NAMESPACE, f"{seed}:{person}"))
        profiles.append({"id": profile_id, "golden": {}, "created_at": now, "updated_at": now})
        shop_id, loyalty_id = ids[(SHOP, shop.source_id)], ids[(LOYALTY, loyalty.source_id)]
        evidence = _evidence(shop_id, loyalty_id, shop.person["email"], loyalty.person["email"])
        links.append(_link(shop_id, profile_id, RULE_NEW_PROFILE, {}, now))
        links.append(_link(loyalty_id, profile_id, "email", evidence, now))
    await session.execute(insert(ProfileRow), profiles)
    await session.execute(insert(LinkRow), links)
    await refresh_golden(session, [p["id"] for p in profiles], ResolutionConfig())


def _evidence(shop: int, loyalty: int, left: str, right: str) -> dict[str, Any]:
    """The evidence of the e-mail rule that links the loyalty record to the shop record."""
    score = 14.2  # the pair's match weight in bits, as the engine reports with a rule
    comparison = FieldComparison("email", "exact", score, left, right)
    return evidence_document(
        PairEvidence(shop, loyalty, Outcome.MERGE, "email", score, (comparison,))
    )


def _link(
    record: int, profile: str, rule: str, evidence: dict[str, Any], now: datetime
) -> dict[str, Any]:
    return {
        "record_id": record, "profile_id": profile, "rule": rule, "evidence": evidence,
        "decided_by": AUTO, "linked_at": now,
    }  # fmt: skip
