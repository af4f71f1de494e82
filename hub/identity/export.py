"""`hub export`: the profiles (golden fields) and the record → profile links, as files.

Two files are written into a directory: ``profiles.<ext>`` (one row per live profile, the golden
value of each person field, and in JSON Lines the record, source and rule behind each value) and
``links.<ext>`` (one row per source record: its profile, its source identity, the rule and score
that linked it, and who decided). Ground-truth checks and other tools (a warehouse, Splink) read
them. Rows are read in chunks by key, so an export of millions never holds them all in memory.
Files are written to a temporary name first, so a failed export never leaves half a file behind
under the final name.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.errors import HubError
from hub.records import PERSON_FIELDS
from hub.store.errors import translate_errors
from hub.store.models import LinkRow, ProfileRow, SourceRecordRow

FORMATS = ("jsonl", "csv")
CHUNK = 2000

PROFILE_COLUMNS = ("profile_id", *PERSON_FIELDS, "records", "updated_at")
LINK_COLUMNS = (
    "record_id",
    "profile_id",
    "connector",
    "entity",
    "source_id",
    "rule",
    "score",
    "decided_by",
    "linked_at",
)


@dataclass
class ExportCounts:
    profiles: int = 0
    links: int = 0


class _Writer:
    """Rows to a JSON Lines or CSV file, the same columns either way."""

    def __init__(self, stream: IO[str], fmt: str, columns: tuple[str, ...]) -> None:
        self.fmt = fmt
        self.stream = stream
        self.csv = csv.DictWriter(stream, columns, extrasaction="ignore") if fmt == "csv" else None
        if self.csv is not None:
            self.csv.writeheader()

    def write(self, row: dict[str, Any]) -> None:
        if self.csv is not None:
            self.csv.writerow({k: "" if v is None else v for k, v in row.items()})
        else:
            self.stream.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


@contextmanager
def _atomic(path: Path) -> Iterator[IO[str]]:
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as stream:
        yield stream
    os.replace(partial, path)


async def _profiles(session: AsyncSession) -> AsyncIterator[list[tuple[ProfileRow, int]]]:
    last = ""
    records = select(func.count()).where(LinkRow.profile_id == ProfileRow.id).scalar_subquery()
    while True:
        rows = (
            await session.execute(
                select(ProfileRow, records)
                .where(ProfileRow.merged_into.is_(None), ProfileRow.id > last)
                .order_by(ProfileRow.id)
                .limit(CHUNK)
            )
        ).all()
        if not rows:
            return
        yield [(profile, count) for profile, count in rows]
        last = rows[-1][0].id


async def _links(session: AsyncSession) -> AsyncIterator[list[Any]]:
    last = 0
    while True:
        rows = (
            await session.execute(
                select(
                    LinkRow,
                    SourceRecordRow.connector,
                    SourceRecordRow.entity,
                    SourceRecordRow.source_id,
                )
                .join(SourceRecordRow, SourceRecordRow.id == LinkRow.record_id)
                .where(LinkRow.record_id > last)
                .order_by(LinkRow.record_id)
                .limit(CHUNK)
            )
        ).all()
        if not rows:
            return
        yield list(rows)
        last = rows[-1][0].record_id


def _profile_row(profile: ProfileRow, records: int, fmt: str) -> dict[str, Any]:
    golden = profile.golden or {}
    row: dict[str, Any] = {"profile_id": profile.id}
    for name in PERSON_FIELDS:
        value = golden.get(name)
        if fmt == "jsonl":
            row[name] = value
        else:
            row[name] = value.get("value") if isinstance(value, dict) else None
    row["records"] = records
    row["updated_at"] = profile.updated_at.isoformat()
    return row


def _link_row(link: LinkRow, connector: str, entity: str, source_id: str) -> dict[str, Any]:
    evidence = link.evidence or {}
    return {
        "record_id": link.record_id,
        "profile_id": link.profile_id,
        "connector": connector,
        "entity": entity,
        "source_id": source_id,
        "rule": link.rule,
        "score": evidence.get("score"),
        "decided_by": link.decided_by,
        "linked_at": link.linked_at.isoformat(),
    }


async def export_profiles(
    sessions: async_sessionmaker[AsyncSession],
    directory: Path,
    fmt: str = "jsonl",
    progress: Callable[[ExportCounts], None] | None = None,
) -> ExportCounts:
    """Write ``profiles.<fmt>`` and ``links.<fmt>`` into ``directory`` (created if needed)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    counts = ExportCounts()
    try:
        os.makedirs(directory, exist_ok=True)
        await _write(sessions, directory, fmt, counts, progress)
    except OSError as exc:  # a full disk or a read-only directory: say which file, not a trace
        raise HubError(f"cannot write the export to {directory}: {exc.strerror or exc}") from exc
    return counts


async def _write(
    sessions: async_sessionmaker[AsyncSession],
    directory: Path,
    fmt: str,
    counts: ExportCounts,
    progress: Callable[[ExportCounts], None] | None,
) -> None:
    with translate_errors("exporting profiles"):
        async with sessions() as session:
            with _atomic(directory / f"profiles.{fmt}") as stream:
                writer = _Writer(stream, fmt, PROFILE_COLUMNS)
                async for chunk in _profiles(session):
                    for profile, records in chunk:
                        writer.write(_profile_row(profile, records, fmt))
                    counts.profiles += len(chunk)
                    if progress:
                        progress(counts)
            with _atomic(directory / f"links.{fmt}") as stream:
                writer = _Writer(stream, fmt, LINK_COLUMNS)
                async for rows in _links(session):
                    for link, connector, entity, source_id in rows:
                        writer.write(_link_row(link, connector, entity, source_id))
                    counts.links += len(rows)
                    if progress:
                        progress(counts)
