"""triggerSync and replayQuarantine (admins): wrappers of the sync engine and replay, audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hub.access import Permission
from hub.audit import record_audit
from hub.sync.jobs import SyncJob
from hub.sync.replay import replay_quarantine
from schema.access import viewer
from schema.context import HubInfo
from schema.mutation_errors import NotFound, PermissionDenied, Unavailable, denied


@strawberry.type(description="A sync run started on request, followed by identity resolution.")
class SyncJobStatus:
    id: strawberry.ID
    connector: str
    full: bool
    status: str = strawberry.field(description="running, succeeded or failed.")
    run_id: strawberry.ID | None = strawberry.field(
        description="The sync run (see syncRuns), once it has started."
    )
    error: str | None

    @classmethod
    def of(cls, job: SyncJob) -> SyncJobStatus:
        return cls(
            id=strawberry.ID(job.id),
            connector=job.connector,
            full=job.full,
            status=job.status,
            run_id=None if job.run_id is None else strawberry.ID(str(job.run_id)),
            error=job.error,
        )


@strawberry.type(description="What a replay of the quarantine did.")
class QuarantineReplayed:
    connector: str
    replayed: int
    still_failing: int
    webhooks_requeued: int


TriggerSyncResult = Annotated[
    SyncJobStatus | NotFound | PermissionDenied | Unavailable,
    strawberry.union("TriggerSyncResult"),
]
ReplayQuarantineResult = Annotated[
    QuarantineReplayed | NotFound | PermissionDenied | Unavailable,
    strawberry.union("ReplayQuarantineResult"),
]


def _unknown(info: HubInfo, connector: str) -> NotFound | Unavailable | None:
    hub = info.context.hub
    if hub is None:
        return Unavailable(message="this server runs no connectors", code="UNAVAILABLE")
    if connector not in hub.connectors:
        known = ", ".join(sorted(hub.connectors)) or "(none configured)"
        return NotFound(
            message=f"no connector instance {connector!r}; configured: {known}",
            code="CONNECTOR_NOT_FOUND",
        )
    return None


@strawberry.type
class SyncMutations:
    @strawberry.mutation(
        description="Start a sync of a connector instance in the background (admins)."
    )
    async def trigger_sync(
        self, info: HubInfo, connector: str, full: bool = False, reason: str = ""
    ) -> TriggerSyncResult:
        refused = denied(info, Permission.RUN_SYNCS) or _unknown(info, connector)
        if refused is not None:
            return refused
        jobs = info.context.sync_jobs
        if jobs is None:
            return Unavailable(message="background syncs are not running", code="UNAVAILABLE")
        actor = viewer(info).name
        job = jobs.start(connector, full=full)
        async with info.context.sessions.begin() as session:
            await record_audit(
                session,
                actor,
                "sync.trigger",
                f"connector:{connector}",
                {"job": job.id, "full": full},
                reason.strip(),
            )
        return SyncJobStatus.of(job)

    @strawberry.mutation(
        description="Read a connector's quarantined payloads again, then resolve (admins)."
    )
    async def replay_quarantine(
        self, info: HubInfo, connector: str, reason: str = ""
    ) -> ReplayQuarantineResult:
        refused = denied(info, Permission.RUN_SYNCS) or _unknown(info, connector)
        if refused is not None:
            return refused
        hub, runtime = info.context.hub, info.context.connector_runtime
        if hub is None or runtime is None:
            return Unavailable(message="connectors are not running", code="UNAVAILABLE")
        counts = await replay_quarantine(hub.connectors[connector], hub.sessions, runtime)
        async with info.context.sessions.begin() as session:
            await record_audit(
                session,
                viewer(info).name,
                "sync.replay_quarantine",
                f"connector:{connector}",
                {
                    "replayed": counts.replayed,
                    "still_failing": counts.still_failing,
                    "webhooks_requeued": counts.webhooks_requeued,
                },
                reason.strip(),
            )
        if counts.replayed:
            await hub.resolve_changes("replay")
        return QuarantineReplayed(
            connector=connector,
            replayed=counts.replayed,
            still_failing=counts.still_failing,
            webhooks_requeued=counts.webhooks_requeued,
        )


@strawberry.type
class SyncJobQueries:
    @strawberry.field(description="A sync started by triggerSync (admins).")
    def sync_job(self, info: HubInfo, id: strawberry.ID) -> SyncJobStatus | None:
        jobs = info.context.sync_jobs
        if not viewer(info).may(Permission.RUN_SYNCS) or jobs is None:
            return None
        job = jobs.jobs.get(str(id))
        return None if job is None else SyncJobStatus.of(job)
