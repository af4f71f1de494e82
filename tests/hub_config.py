"""plugins.toml as the tests write it: a hub whose instances read a sandbox (served here or by
the test), and a table with one setting written by hand (for settings that must fail to load)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy.engine import URL

from hub.config import render_instance
from hub.runtime import Hub
from hub.sandbox import Sandbox, serve


@asynccontextmanager
async def open_sandbox_hub(
    sandbox: Sandbox,
    base_url: str,
    plugin: ModuleType,
    db_url: URL,
    write_config: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    settings: Mapping[str, Mapping[str, Any]],
) -> AsyncIterator[Hub]:
    """A hub on ``db_url`` with one instance per key of ``settings``, configured as
    ``sandbox.config`` says for it, with that key's settings on top (``None`` leaves a setting
    out). The environment the ``${…}`` references need stays set for the rest of the test."""
    text = ""
    for instance, overrides in settings.items():
        config = sandbox.config(base_url, instance)
        for name, value in config.env.items():
            monkeypatch.setenv(name, value)
        text += render_instance(instance, {**config.table, **overrides})
    hub = await Hub.open(write_config(text), url=db_url, extra_plugins=(plugin,))
    try:
        yield hub
    finally:
        await hub.close()


@asynccontextmanager
async def served_sandbox_hub(
    sandbox: Sandbox,
    plugin: ModuleType,
    db_url: URL,
    write_config: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    settings: Mapping[str, Mapping[str, Any]],
) -> AsyncIterator[tuple[str, Hub]]:
    """``sandbox`` served on a free port, and the hub :func:`open_sandbox_hub` opens on it:
    (the sandbox's base URL, the hub)."""
    async with (
        serve(sandbox.create_app()) as base_url,
        open_sandbox_hub(
            sandbox, base_url, plugin, db_url, write_config, monkeypatch, settings
        ) as hub,
    ):
        yield base_url, hub


def table_with_line(name: str, table: Mapping[str, Any], line: str) -> str:
    """``[connectors.<name>]`` from ``table``, with ``line`` (``key = value`` as a user would
    write it) in place of that key."""
    key = line.split(" = ")[0]
    return render_instance(name, {k: v for k, v in table.items() if k != key}) + line + "\n"
