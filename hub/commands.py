"""What `hub sync`, `hub resolve` and `hub demo` do, with progress shown on a console."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from hub.connector import Connector, ConnectorRuntime
from hub.errors import ConfigError
from hub.identity.export import ExportCounts, export_profiles
from hub.identity.pipeline import ResolveCounts, resolve
from hub.runtime import Hub
from hub.sync.engine import RunCounts, SyncResult, sync_connector
from hub.sync.replay import replay_quarantine


def _counts_text(counts: RunCounts) -> str:
    return (
        f"{counts.fetched} fetched, {counts.inserted} new, {counts.updated} updated, "
        f"{counts.unchanged} unchanged, {counts.quarantined} quarantined"
    )


def _chosen(hub: Hub, names: Sequence[str]) -> list[Connector[Any]]:
    unknown = sorted(set(names) - set(hub.connectors))
    if unknown:
        known = ", ".join(sorted(hub.connectors)) or "(none configured)"
        raise ConfigError(f"--connector {unknown[0]}: no such instance; configured: {known}")
    return [hub.connectors[name] for name in (names or hub.connectors)]


async def run_replay(hub: Hub, names: Sequence[str], *, console: Console) -> None:
    async with ConnectorRuntime.open() as runtime:
        for connector in _chosen(hub, names):
            with console.status(f"{connector.instance}: replaying quarantined payloads…"):
                counts = await replay_quarantine(connector, hub.sessions, runtime)
            console.print(
                f"[green]ok[/] {connector.instance}: {counts.replayed} replayed, "
                f"{counts.still_failing} still failing, "
                f"{counts.webhooks_requeued} failed webhooks queued again"
            )


async def run_sync(
    hub: Hub, names: Sequence[str], *, full: bool, console: Console
) -> list[SyncResult]:
    chosen = _chosen(hub, names)
    results = []
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    async with ConnectorRuntime.open() as runtime:
        with Progress(*columns, console=console, transient=True) as progress:
            for connector in chosen:
                task = progress.add_task(f"{connector.instance}: starting")

                def show(where: str, counts: RunCounts, task_id: TaskID = task) -> None:
                    progress.update(task_id, description=f"{where}: {_counts_text(counts)}")

                result = await sync_connector(
                    connector, hub.sessions, runtime, full=full, progress=show
                )
                progress.remove_task(task)
                mark = "[green]ok[/]" if result.status == "succeeded" else "[red]failed[/]"
                console.print(f"{mark} {connector.instance}: {_counts_text(result.counts)}")
                if result.error:
                    console.print(f"   [red]{escape(result.error)}[/]", soft_wrap=True)
                results.append(result)
    return results


async def run_resolve(hub: Hub, *, full: bool = False, console: Console) -> ResolveCounts:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("identities: reading", total=None)

        def show(stage: str, done: int, total: int) -> None:
            progress.update(task, description=f"identities: {stage}", completed=done, total=total)

        counts = await resolve(hub.sessions, hub.config.resolution, full=full, progress=show)
    console.print(
        f"[green]ok[/] identities{' (full run)' if counts.full else ''}: "
        f"{counts.records} records resolved, {counts.candidate_pairs} candidate pairs, "
        f"{counts.linked} records linked, {counts.profiles_created} new profiles, "
        f"{counts.profiles_merged} merged, {counts.profiles_split} split, "
        f"{counts.review_filed} for review, {counts.findings} data-quality findings, "
        f"{counts.profiles_refreshed} profiles refreshed"
    )
    return counts


async def run_export(hub: Hub, directory: Path, fmt: str, *, console: Console) -> ExportCounts:
    with console.status("exporting…") as status:

        def show(counts: ExportCounts) -> None:
            status.update(f"exporting… {counts.profiles} profiles, {counts.links} links")

        counts = await export_profiles(hub.sessions, directory, fmt, show)
    console.print(
        f"[green]ok[/] exported {counts.profiles} profiles and {counts.links} links to "
        f"{escape(str(directory))} ({fmt})"
    )
    return counts
