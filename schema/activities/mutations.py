"""recordConsent: a consent given to an app or an agent, kept as the profile's activity."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from hub.access import Permission
from hub.audit import record_audit
from hub.events import ProfileChanged
from hub.store.consents import ConsentEntry, add_consent
from hub.store.profiles import get_profile
from schema.access import viewer
from schema.context import HubInfo
from schema.mutation_errors import (
    InvalidInput,
    PermissionDenied,
    ProfileNotFound,
    denied,
    reason_required,
)


@strawberry.enum(description="A consent's state, as every source's states are mapped to.")
class ConsentState(Enum):
    GRANTED = "granted"
    DENIED = "denied"
    PENDING = "pending"
    UNKNOWN = "unknown"


@strawberry.type(description="The consent is stored among the customer's activities.")
class ConsentRecorded:
    customer_id: strawberry.ID
    activity_id: strawberry.ID
    channel: str
    purpose: str
    state: ConsentState
    source: str
    recorded_by: str
    recorded_at: datetime


RecordConsentResult = Annotated[
    ConsentRecorded | ProfileNotFound | PermissionDenied | InvalidInput,
    strawberry.union("RecordConsentResult"),
]


def _word(name: str, value: str) -> InvalidInput | None:
    cleaned = value.strip()
    if cleaned and len(cleaned) <= 64 and cleaned.replace("_", "").replace("-", "").isalnum():
        return None
    return InvalidInput(
        message=f"{name}: one word of letters, digits, '-' or '_' (up to 64), e.g. 'email'",
        code="INVALID_INPUT",
        field=name,
    )


@strawberry.type
class ActivityMutations:
    @strawberry.mutation(
        description=(
            "Record a consent (channel and purpose) a customer gave to an app or an agent. "
            "`source` says where (web-form, store-tablet, call-centre); `reason` why it is "
            "recorded. It shows in the customer's consents and timeline."
        )
    )
    async def record_consent(
        self,
        info: HubInfo,
        customer: strawberry.ID,
        channel: str,
        purpose: str,
        state: ConsentState,
        source: str,
        reason: str,
    ) -> RecordConsentResult:
        refused = (
            denied(info, Permission.RECORD_CONSENT)
            or _word("channel", channel)
            or _word("purpose", purpose)
            or _word("source", source)
            or reason_required(reason)
        )
        if refused is not None:
            return refused
        actor = viewer(info).name
        entry = ConsentEntry(
            channel=channel.strip().lower(),
            purpose=purpose.strip().lower(),
            state=state.value,
            source=source.strip(),
            recorded_by=actor,
            reason=reason.strip(),
        )
        async with info.context.sessions.begin() as session:
            profile = await get_profile(session, str(customer))
            if profile is None:
                return ProfileNotFound(message=f"no customer {customer}", code="PROFILE_NOT_FOUND")
            activity = await add_consent(session, profile.id, entry)
            await record_audit(
                session,
                actor,
                "consent.record",
                f"profile:{profile.id}",
                {
                    "channel": entry.channel,
                    "purpose": entry.purpose,
                    "state": entry.state,
                    "source": entry.source,
                    "activity": activity.id,
                },
                entry.reason,
            )
        if info.context.hub is not None:
            info.context.hub.events.publish(ProfileChanged(profile.id, "consent", "consent", actor))
        assert activity.occurred_at is not None
        return ConsentRecorded(
            customer_id=strawberry.ID(profile.id),
            activity_id=strawberry.ID(str(activity.id)),
            channel=entry.channel,
            purpose=entry.purpose,
            state=state,
            source=entry.source,
            recorded_by=actor,
            recorded_at=activity.occurred_at,
        )
