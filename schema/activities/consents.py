"""A customer's consents as they stand: the latest word per channel and purpose."""

from __future__ import annotations

from collections.abc import Iterable

from hub.records import ActivityKind
from hub.store.profile_batches import ActivityFacts
from schema.activities.details import text


def current_consents(newest_first: Iterable[ActivityFacts]) -> list[ActivityFacts]:
    """The newest consent of each (channel, purpose), from activities newest first.

    The history stays in ``activities``/``timeline``; this is the state a campaign tool needs.
    A consent whose source gives no time (Square's preference flag) sorts after every dated
    one, so a dated consent of the same channel and purpose is the current one.
    """
    current: dict[tuple[str | None, str | None], ActivityFacts] = {}
    for facts in newest_first:
        if facts.kind != ActivityKind.CONSENT.value:
            continue
        details = facts.details if isinstance(facts.details, dict) else {}
        current.setdefault((text(details, "channel"), text(details, "purpose")), facts)
    return [current[key] for key in sorted(current, key=lambda k: (k[0] or "", k[1] or ""))]
