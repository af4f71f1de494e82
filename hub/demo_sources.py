"""The demo's sources: every sandbox the loaded plugins provide, fed from one population.

Each sandbox is served on a free local port for as long as the demo runs, and gets a connector
instance named after its type (``shopify_demo``, …) next to the instances of plugins.toml. All
sandboxes draw their customers from the same seeded :class:`Population`, so one person shows up
in the web shop, at the tills and in a signed contract, spelled a little differently each time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from hub.config import load_config, render_instance
from hub.plugins import build_plugin_manager
from hub.sandbox import Population, Sandbox, serve

DEMO_PEOPLE = 400
DEMO_SEED = 2026
DEMO_CONFIG = Path(".hub-demo.toml")
SCHEDULE_MINUTES = 5


@dataclass(frozen=True)
class DemoSource:
    instance: str
    sandbox: Sandbox
    base_url: str


def sandbox_types(config_path: Path | None) -> list[type[Sandbox]]:
    """Sandboxes of every plugin that plugins.toml (and the installed packages) load."""
    config = load_config(config_path)
    manager = build_plugin_manager(load=config.plugin_modules, block=config.blocked_plugins)
    found: list[type[Sandbox]] = []
    for provided in manager.hook.hub_sandboxes():
        found.extend(cast(Sequence[type[Sandbox]], provided or ()))
    return found


async def start_sources(
    stack: AsyncExitStack, config_path: Path | None, population: Population
) -> list[DemoSource]:
    """Serve every sandbox until ``stack`` closes; set the environment their configs need."""
    sources = []
    for sandbox_type in sandbox_types(config_path):
        sandbox = sandbox_type(population)
        base_url = await stack.enter_async_context(serve(sandbox.create_app()))
        sources.append(DemoSource(f"{sandbox_type.connector_type}_demo", sandbox, base_url))
    return sources


def write_demo_config(config_path: Path | None, sources: Sequence[DemoSource]) -> Path:
    """plugins.toml plus one instance per sandbox, written beside plugins.toml.

    Sandbox credentials are well-known test values, set in this process's environment only;
    the file refers to them as ``${VAR}`` like any real configuration.
    """
    base = config_path or Path(os.environ.get("HUB_CONFIG", "plugins.toml"))
    text = base.read_text(encoding="utf-8") if base.exists() else ""
    parts = [text]
    for source in sources:
        config = source.sandbox.config(source.base_url, source.instance)
        os.environ.update(config.env)
        table = {**config.table, "every_minutes": SCHEDULE_MINUTES}
        parts.append(f"\n# {source.instance}: sandbox at {source.base_url}\n")
        parts.append(render_instance(source.instance, table))
    target = base.parent / DEMO_CONFIG
    target.write_text("".join(parts), encoding="utf-8")
    return target
