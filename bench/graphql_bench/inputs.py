"""What a run asks with: an admin API key of the base, and the customers it looks up."""

from __future__ import annotations

import random
import uuid

from sqlalchemy.engine import URL

from hub.access.keys import create_key
from hub.access.viewer import Role
from hub.store.database import create_engine, session_factory

from .load import Lookup
from .people import person_records


async def bench_key(url: URL) -> str:
    """A new admin key (every field in clear, as the floor answers); named per run, since a
    key is shown only once and a cached base outlives the runs."""
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            created = await create_key(
                session, name=f"bench-{uuid.uuid4().hex[:8]}", role=Role.ADMIN, created_by="bench"
            )
    finally:
        await engine.dispose()
    return created.key


def lookups(profiles: int, seed: int, count: int = 2000) -> list[Lookup]:
    """``count`` random customers of the base, by e-mail or phone as the shop sent them."""
    rng = random.Random(seed)
    chosen: list[Lookup] = []
    for person in rng.sample(range(profiles), min(count, profiles)):
        person_fields = person_records(person, seed)[0].person
        kind = rng.choice(["EMAIL", "PHONE"])
        chosen.append((kind, person_fields[kind.lower()]))
    return chosen
