"""`hub demo`: start the sandboxes, load every source into a fresh database, say what to try,
and serve it, with webhooks and scheduled syncs running as under `hub serve`."""

from __future__ import annotations

import os
from contextlib import AsyncExitStack
from pathlib import Path

import aiohttp
from rich.console import Console
from rich.panel import Panel
from rich.syntax import Syntax
from sqlalchemy import func, select

from hub.access.keys import fresh_demo_key
from hub.app import create_app
from hub.commands import run_resolve, run_sync
from hub.demo_sources import DEMO_PEOPLE, DEMO_SEED, DemoSource, start_sources, write_demo_config
from hub.errors import HubError
from hub.runtime import Hub
from hub.sandbox import Population
from hub.sandbox.server import deliver
from hub.serving import serving
from hub.store.database import database_url
from hub.store.models import IdentifierRow, LinkRow, ProfileRow, SourceRecordRow

DEMO_DATABASE = Path("demo.db")


def _fresh_demo_url() -> str | None:
    """The demo's own SQLite file, emptied, unless HUB_DATABASE_URL chooses another database."""
    if os.environ.get("HUB_DATABASE_URL"):
        return None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DEMO_DATABASE}{suffix}").unlink(missing_ok=True)
    return f"sqlite+aiosqlite:///{DEMO_DATABASE}"


async def _example(hub: Hub) -> tuple[str, str, str] | None:
    """A profile built from several records: its id, one e-mail and one phone as sources sent."""
    async with hub.sessions() as session:
        profile_id = await session.scalar(
            select(LinkRow.profile_id)
            .group_by(LinkRow.profile_id)
            .order_by(func.count().desc(), LinkRow.profile_id)
            .limit(1)
        )
        if profile_id is None:
            return None
        identifiers = {
            kind: raw
            for kind, raw in await session.execute(
                select(IdentifierRow.kind, IdentifierRow.raw_value)
                .join(LinkRow, LinkRow.record_id == IdentifierRow.record_id)
                .where(LinkRow.profile_id == profile_id)
                .order_by(IdentifierRow.id.desc())
            )
        }
    return profile_id, identifiers.get("email", ""), identifiers.get("phone", "")


def _queries(profile_id: str, email: str, phone: str) -> str:
    fields = (
        "firstName lastName email phone city\n"
        "    sourceRecords { connector sourceId link { rule evidence } }"
    )
    return f"""# 1. One person, found by an e-mail typed in any case
{{
  customerByIdentifier(kind: EMAIL, value: "{email.strip().upper()}") {{
    id {fields}
  }}
}}

# 2. The same profile by id, with where each golden value came from
{{
  customer(id: "{profile_id}") {{
    goldenFields {{ name value rule sourceRecordId alternatives }}
  }}
}}

# 3. By phone, as a till wrote it
{{
  customerByIdentifier(kind: PHONE, value: "{phone}") {{
    id firstName lastName identifiers {{ kind value }}
  }}
}}"""


async def run_demo(
    config_path: Path | None, console: Console, *, host: str, port: int, serve: bool
) -> None:
    """Start the sandboxes, load every source into a fresh database, then serve it."""
    async with AsyncExitStack() as stack:
        population = Population(DEMO_PEOPLE, DEMO_SEED)
        sources = await start_sources(stack, config_path, population)
        demo_config = write_demo_config(config_path, sources)
        url = _fresh_demo_url()
        hub = await Hub.open(
            demo_config, url=database_url({"HUB_DATABASE_URL": url}) if url else None
        )
        stack.push_async_callback(hub.close)
        console.print(f"Database: {hub.database_label}")
        for source in sources:
            console.print(f"Sandbox:  {source.instance} at {source.base_url}")
        if not hub.connectors:
            raise HubError(f"{hub.config.path or 'plugins.toml'}: no connectors configured")
        await run_sync(hub, (), full=True, console=console)
        await run_resolve(hub, console=console)
        await _print_summary(hub, console, f"http://{host}:{port}")
        if serve:
            await _serve(hub, sources, console, host, port)


async def _print_summary(hub: Hub, console: Console, base_url: str) -> None:
    async with hub.sessions() as session:
        records = await session.scalar(select(func.count()).select_from(SourceRecordRow))
        profiles = await session.scalar(
            select(func.count()).select_from(ProfileRow).where(ProfileRow.merged_into.is_(None))
        )
    console.print(f"\n[bold]{records} source records → {profiles} customer profiles[/]\n")
    example = await _example(hub)
    async with hub.sessions() as session:
        key = (await fresh_demo_key(session)).key
    console.print(
        Panel.fit(
            f"Console:   {base_url}/console\n"
            f"GraphiQL:  {base_url}/graphql\nHealth:    {base_url}/health\n"
            f"Webhooks:  POST {base_url}/webhooks/<instance>",
            title="Open",
        )
    )
    console.print(
        "API key (admin, shown once): paste it into the console's sign-in page, or into "
        "GraphiQL's Headers tab as\n"
        f'  {{"Authorization": "Bearer {key}"}}\nor try:\n'
        f"  curl -s {base_url}/graphql -H 'Authorization: Bearer {key}' "
        "-H 'Content-Type: application/json' -d '{\"query\": \"{ __typename }\"}'",
        markup=False,
        soft_wrap=True,
    )
    if example:
        console.print("Paste into GraphiQL:")
        console.print(Syntax(_queries(*example), "graphql", theme="ansi_dark", word_wrap=True))


async def _serve(
    hub: Hub, sources: list[DemoSource], console: Console, host: str, port: int
) -> None:
    """Serve until Ctrl+C; once up, one sandbox sends a live webhook, as the vendor would."""
    app = create_app(hub, schedules=True, webhook_poll_seconds=1.0)
    async with serving(app, host, port) as running:
        await _live_webhook(sources, console, running.url)
        console.print("\nPress Ctrl+C to stop.")
        await running.task


async def _live_webhook(sources: list[DemoSource], console: Console, base_url: str) -> None:
    for source in sources:
        samples = source.sandbox.webhook_samples()
        if not samples:
            continue
        topic, resource = samples[0]
        url = f"{base_url}/webhooks/{source.instance}"
        delivery = source.sandbox.webhook(topic, resource, target_url=url)
        async with aiohttp.ClientSession() as http:
            status, body = await deliver(http, url, delivery)
        console.print(f"Webhook:  {source.instance} sent {topic} → HTTP {status} {body}")
        return
