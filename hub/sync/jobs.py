"""Syncs started on request (the API's ``triggerSync``), run in the background of the server.

A started sync gets a job id at once; its sync run id is known when the run has started. Each
job is followed by identity resolution, like a scheduled sync, so subscribers hear of the
profiles it changed. Jobs of one instance do not overlap: a second request while one runs
returns the running job.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hub.connector import ConnectorRuntime
from hub.sync.engine import sync_connector

if TYPE_CHECKING:
    from hub.runtime import Hub

log = logging.getLogger(__name__)


@dataclass
class SyncJob:
    id: str
    connector: str
    full: bool
    status: str = "running"
    """``running``, ``succeeded``, ``failed``."""
    run_id: int | None = None
    error: str | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)


class SyncJobs:
    def __init__(self, hub: Hub, runtime: ConnectorRuntime) -> None:
        self.hub = hub
        self.runtime = runtime
        self.jobs: dict[str, SyncJob] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, connector: str, *, full: bool) -> SyncJob:
        """Start a sync of ``connector`` (a configured instance) unless one is running."""
        running = next(
            (j for j in self.jobs.values() if j.connector == connector and j.status == "running"),
            None,
        )
        if running is not None:
            return running
        job = SyncJob(id=str(uuid.uuid4()), connector=connector, full=full)
        self.jobs[job.id] = job
        task = asyncio.create_task(self._run(job), name=f"sync of {connector}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    async def _run(self, job: SyncJob) -> None:
        try:
            result = await sync_connector(
                self.hub.connectors[job.connector], self.hub.sessions, self.runtime, full=job.full
            )
            job.run_id, job.status, job.error = result.run_id, result.status, result.error
            await self.hub.resolve_changes("sync")
        except Exception as exc:  # the job reports it; the server goes on
            log.exception("requested sync of %s failed", job.connector)
            job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            job.done.set()

    async def close(self) -> None:
        for task in tuple(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
