"""The sync page and the quarantine as the templates read them, built from the schema's answers.

Statuses are lower case (``running``, ``succeeded``, ``failed``, ``open``, ``replayed``) so one
set of labels serves runs, jobs and quarantined payloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.console.formats import short_time
from hub.console.preview import Preview, preview

COUNT_NAMES = ("fetched", "inserted", "updated", "unchanged", "quarantined", "errors")
"""The counts a run line shows, in the order a record goes through a sync."""


@dataclass(frozen=True)
class RunLine:
    id: str
    status: str
    started: str
    finished: str
    counts: dict[str, int]
    error: str | None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> RunLine:
        return cls(
            id=data["id"],
            status=data["status"].lower(),
            started=short_time(data["startedAt"]),
            finished=short_time(data["finishedAt"]),
            counts={name: int(data["counts"][name]) for name in COUNT_NAMES},
            error=data["error"],
        )


@dataclass(frozen=True)
class CursorLine:
    stream: str
    cursor: Preview | None
    """``None``: the next run reads the stream from its start."""
    updated: str


@dataclass(frozen=True)
class ConnectorHealth:
    name: str
    configured: bool
    """False for an instance with history that plugins.toml no longer names: no "Sync now"."""
    streams: list[CursorLine]
    runs: list[RunLine]

    @classmethod
    def from_data(cls, status: dict[str, Any], runs: list[dict[str, Any]]) -> ConnectorHealth:
        return cls(
            name=status["connector"],
            configured=status["configured"],
            streams=[
                CursorLine(
                    stream=item["stream"],
                    cursor=None if item["cursor"] is None else preview(item["cursor"]),
                    updated=short_time(item["updatedAt"]),
                )
                for item in status["streams"]
            ],
            runs=[RunLine.from_data(run) for run in runs],
        )


@dataclass(frozen=True)
class JobLine:
    """A sync started from the console, as the server follows it (until it restarts)."""

    id: str
    connector: str
    full: bool
    status: str
    run_id: str | None
    error: str | None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> JobLine:
        return cls(
            id=data["id"],
            connector=data["connector"],
            full=data["full"],
            status=data["status"].lower(),
            run_id=data["runId"],
            error=data["error"],
        )


@dataclass(frozen=True)
class QuarantineLine:
    id: str
    connector: str
    stream: str
    source_id: str | None
    reason: str
    status: str
    attempts: int
    created: str
    replayed: str
    payload: Preview | None
    """``None``: the key may not read raw payloads."""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> QuarantineLine:
        return cls(
            id=data["id"],
            connector=data["connector"],
            stream=data["stream"],
            source_id=data["sourceId"],
            reason=data["reason"],
            status=data["status"].lower(),
            attempts=int(data["attempts"]),
            created=short_time(data["createdAt"]),
            replayed=short_time(data["replayedAt"]),
            payload=None if data["payload"] is None else preview(data["payload"]),
        )
