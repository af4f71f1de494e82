"""The `hub` command line."""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click
import uvicorn
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hub import __version__
from hub.errors import HubError
from hub.runtime import Hub
from hub.store import migrate

P = ParamSpec("P")
T = TypeVar("T")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="HUB_CONFIG",
    help="plugins.toml to read (default: ./plugins.toml, or $HUB_CONFIG).",
)


def run_async(func: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, T]:
    """Run an async command; a HubError becomes a one-line message and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return asyncio.run(func(*args, **kwargs))
        except HubError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, soft_wrap=True)
            sys.exit(1)

    return wrapper


async def with_hub(config_path: Path | None, action: Callable[[Hub], Awaitable[T]]) -> T:
    hub = await Hub.open(config_path)
    try:
        return await action(hub)
    finally:
        await hub.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hub")
def main() -> None:
    """Customer 360 hub: pull every source, resolve identities, serve one profile per person."""


@main.command()
@config_option
@run_async
async def connectors(config_path: Path | None) -> None:
    """List every loaded connector type and the configured instances."""
    hub = await Hub.open(config_path, upgrade=False)
    try:
        table = Table(
            "type", "description", "package", "version", "plugin", title="Connector types"
        )
        for name, found in sorted(hub.connector_types.items()):
            table.add_row(name, found.cls.description, found.package, found.version, found.plugin)
        out.print(table)
        instances = Table("instance", "type", title=f"Instances in {hub.config.path or '(none)'}")
        for name, connector in hub.connectors.items():
            instances.add_row(name, connector.type_name)
        out.print(instances)
    finally:
        await hub.close()


@main.command()
@config_option
@click.option("--connector", "names", multiple=True, help="Sync only this instance (repeatable).")
@click.option("--full", is_flag=True, help="Ignore saved cursors and re-read everything.")
@click.option(
    "--replay",
    is_flag=True,
    help="Instead of syncing, read the quarantined payloads again (after a fix).",
)
@run_async
async def sync(config_path: Path | None, names: tuple[str, ...], full: bool, replay: bool) -> None:
    """Pull records from the configured connectors, then resolve identities."""
    from hub.commands import run_replay, run_resolve, run_sync

    if replay and full:  # refused before the database is opened, let alone created
        raise click.UsageError("--replay and --full do not go together")

    async def action(hub: Hub) -> None:
        if replay:
            await run_replay(hub, names, console=out)
            await run_resolve(hub, console=out)
            return
        results = await run_sync(hub, names, full=full, console=out)
        await run_resolve(hub, console=out)
        if any(result.status != "succeeded" for result in results):
            raise HubError("some connectors failed; see the messages above")

    await with_hub(config_path, action)


@main.command()
@config_option
@click.option(
    "--full",
    is_flag=True,
    help="Re-estimate the match model and resolve every record, not only new and changed ones.",
)
@run_async
async def resolve(config_path: Path | None, full: bool) -> None:
    """Resolve new and changed records into profiles, with evidence, and refresh golden fields."""
    from hub.commands import run_resolve

    await with_hub(config_path, lambda hub: run_resolve(hub, full=full, console=out))


@main.command("export")
@config_option
@click.argument(
    "directory", type=click.Path(file_okay=False, writable=True, path_type=Path), default="export"
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="JSON Lines keeps each golden value's record, source and rule; CSV keeps the values.",
)
@run_async
async def export(config_path: Path | None, directory: Path, fmt: str) -> None:
    """Write profiles.<format> (golden fields) and links.<format> (record -> profile, with the
    rule and score) into DIRECTORY."""
    from hub.commands import run_export

    await with_hub(config_path, lambda hub: run_export(hub, directory, fmt, console=out))


@main.command()
@config_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-schedule", is_flag=True, help="Do not run the scheduled syncs.")
def serve(config_path: Path | None, host: str, port: int, no_schedule: bool) -> None:
    """Serve GraphQL (/graphql), webhooks (/webhooks/<instance>) and health (/health); run
    the scheduled syncs (``every_minutes``) and process webhooks in the background."""
    from hub.app import create_app
    from hub.sync.scheduler import sync_intervals

    # Open once here to fail fast on configuration and database problems, then let the app
    # open its own hub in uvicorn's event loop: database pools belong to the loop that made them.
    async def check() -> tuple[str, dict[str, float]]:
        hub = await Hub.open(config_path)
        try:
            return hub.database_label, {} if no_schedule else sync_intervals(hub)
        finally:
            await hub.close()

    label, intervals = run_async(check)()
    out.print(f"Database: {label}")
    for name, seconds in intervals.items():
        out.print(f"Scheduled: {name} every {seconds / 60:g} min")
    app = create_app(config_path=config_path, schedules=not no_schedule)
    uvicorn.run(app, host=host, port=port, log_level="info")


@main.command()
@config_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-serve", is_flag=True, help="Load the demo and exit without serving.")
def demo(config_path: Path | None, host: str, port: int, no_serve: bool) -> None:
    """Start the source sandboxes, load them and the demo files into a fresh database, and
    serve it (webhooks and scheduled syncs included)."""
    from hub.demo import run_demo

    run_async(run_demo)(config_path, out, host=host, port=port, serve=not no_serve)


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@run_async
async def db_upgrade() -> None:
    """Upgrade the database (HUB_DATABASE_URL) to the newest schema."""
    from hub.store.database import create_engine, database_url, describe

    url = database_url()
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        revision = await migrate.current_revision(engine)
    finally:
        await engine.dispose()
    out.print(f"{describe(url)} is at schema revision {revision} (newest).")


@main.group("schema")
def schema_group() -> None:
    """GraphQL schema commands."""


@schema_group.command("export")
@click.option("--check", is_flag=True, help="Fail if schema/schema.graphql is stale.")
def schema_export(check: bool) -> None:
    """Write the GraphQL SDL to schema/schema.graphql."""
    from schema import SDL_PATH, sdl

    current = sdl()
    if check:
        stored = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
        if stored != current:
            err.print(f"{SDL_PATH} is stale: run `hub schema export` and commit it.")
            sys.exit(1)
        out.print(f"{SDL_PATH} is up to date.")
        return
    SDL_PATH.write_text(current, encoding="utf-8")
    out.print(f"Wrote {SDL_PATH}.")


@main.group()
def keys() -> None:
    """API keys of /graphql: each has a role, optionally brands, and is shown only once."""


@keys.command("create")
@config_option
@click.option("--name", required=True, help="A label: who or what uses the key.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "agent", "app", "analyst"]),
    help="admin: everything; agent: profiles and identity fixes; app: profiles and consents; "
    "analyst: profiles without personal fields.",
)
@click.option("--brand", "brands", multiple=True, help="Only this brand's data (repeatable).")
@click.option(
    "--no-personal-data", is_flag=True, help="Mask personal fields even if the role reads them."
)
@run_async
async def keys_create(
    config_path: Path | None, name: str, role: str, brands: tuple[str, ...], no_personal_data: bool
) -> None:
    """Create a key and print it: it is shown this once and never stored in clear."""
    from hub.access.keys import create_key, parse_role

    async def action(hub: Hub) -> str:
        async with hub.sessions() as session:
            created = await create_key(
                session,
                name=name,
                role=parse_role(role),
                brands=list(brands),
                personal_data=not no_personal_data,
            )
        return created.key

    key = await with_hub(config_path, action)
    scope = ", ".join(brands) if brands else "every brand"
    out.print(f"Created key {escape(name)!r} ({role}, {escape(scope)}). Store it now:")
    out.print(key, markup=False)
    out.print("Send it as: Authorization: Bearer <key>", markup=False)


@keys.command("list")
@config_option
@run_async
async def keys_list(config_path: Path | None) -> None:
    """List keys (names, roles, scopes, use); secrets are not kept, so never shown."""
    from hub.access.keys import list_keys

    async def action(hub: Hub) -> None:
        async with hub.sessions() as session:
            rows = await list_keys(session)
        table = Table("id", "name", "role", "brands", "personal data", "created", "last used",
                      "revoked", title="API keys")  # fmt: skip
        for row in rows:
            table.add_row(
                row.id,
                escape(row.name),
                row.role,
                escape(", ".join(row.brands)) if row.brands else "all",
                "yes" if row.personal_data else "masked",
                f"{row.created_at:%Y-%m-%d %H:%M} by {escape(row.created_by)}",
                f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never",
                f"{row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "",
            )
        out.print(table)

    await with_hub(config_path, action)


@keys.command("revoke")
@config_option
@click.argument("name_or_id")
@run_async
async def keys_revoke(config_path: Path | None, name_or_id: str) -> None:
    """Revoke the key NAME_OR_ID: its requests are refused from now on."""
    from hub.access.keys import revoke_key

    async def action(hub: Hub) -> str:
        async with hub.sessions() as session:
            row = await revoke_key(session, name_or_id)
            return row.name

    name = await with_hub(config_path, action)
    out.print(f"Revoked key {escape(name)!r}.")


@main.group()
def users() -> None:
    """Console user accounts: a name and a password, each backed by an API key of its own."""


@users.command("add")
@config_option
@click.argument("name")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "agent", "app", "analyst"]),
    help="What the account may see and do, as for `hub keys create`.",
)
@click.option("--brand", "brands", multiple=True, help="Only this brand's data (repeatable).")
@click.option(
    "--no-personal-data", is_flag=True, help="Mask personal fields even if the role reads them."
)
@click.password_option(help="Asked for (twice) when not given; at least 12 characters.")
@run_async
async def users_add(
    config_path: Path | None,
    name: str,
    role: str,
    brands: tuple[str, ...],
    no_personal_data: bool,
    password: str,
) -> None:
    """Add the account NAME; it signs in to the console with its password. Its key,
    user:NAME, is never shown: `hub keys revoke user:NAME` closes the account."""
    from hub.access.keys import parse_role
    from hub.access.users import create_user

    async def action(hub: Hub) -> None:
        async with hub.sessions() as session:
            await create_user(
                session,
                name=name,
                password=password,
                role=parse_role(role),
                brands=list(brands),
                personal_data=not no_personal_data,
            )

    await with_hub(config_path, action)
    scope = ", ".join(brands) if brands else "every brand"
    out.print(f"Added user {escape(name)!r} ({role}, {escape(scope)}); key user:{escape(name)}.")
