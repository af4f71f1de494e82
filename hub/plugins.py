"""The one plugin manager: built-in connectors, installed packages, and plugins.toml.

Plugins come from three places, in this order:

1. the built-in connector modules listed in :data:`BUILTIN_PLUGINS`;
2. installed packages exposing a module in the ``hub.connectors`` entry-point group
   (skipped when ``HUB_NO_ENTRY_POINTS=1``, as the test-suite does);
3. modules named in plugins.toml under ``[plugins] load = ["package.module"]``.

``[plugins] block = ["name"]`` in plugins.toml keeps a plugin from loading. Set
``HUB_TRACE_HOOKS=1`` to log every hook call.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import pluggy

from hub import hookspecs
from hub.connector import Connector
from hub.errors import PluginError

BUILTIN_PLUGINS: tuple[str, ...] = (
    "connectors.file_import",
    "connectors.shopify",
    "connectors.square",
    "connectors.pos_receipts",
    "connectors.yousign",
    "connectors.partner_feed",
)
ENTRY_POINT_GROUP = "hub.connectors"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConnectorType:
    """A connector class and where it came from, for `hub connectors` and error messages."""

    type_name: str
    cls: type[Connector[Any]]
    plugin: str
    package: str
    version: str


def _register(manager: pluggy.PluginManager, plugin: object, name: str | None) -> None:
    try:
        manager.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {name or plugin!r} breaks a hook: {exc}") from exc


def build_plugin_manager(
    *, load: Iterable[str] = (), block: Iterable[str] = (), extra: Iterable[object] = ()
) -> pluggy.PluginManager:
    """Build and validate the plugin manager.

    ``load`` and ``block`` come from plugins.toml's ``[plugins]`` table; ``extra`` are plugin
    objects registered directly (tests use it).
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    for name in block:
        manager.set_blocked(name)
    for module_name in dict.fromkeys((*BUILTIN_PLUGINS, *load)):  # a module loads once
        if manager.is_blocked(module_name):
            continue
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # ImportError, or an error raised while importing it
            raise PluginError(f"cannot import plugin module {module_name!r}: {exc}") from exc
        _register(manager, module, module_name)
    if os.environ.get("HUB_NO_ENTRY_POINTS") != "1":
        try:
            manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        except Exception as exc:  # a broken third-party package must name itself
            raise PluginError(
                f"a plugin in the {ENTRY_POINT_GROUP!r} entry-point group failed to load: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
    for plugin in extra:
        if not manager.is_registered(plugin):  # e.g. a built-in module handed in by a test
            _register(manager, plugin, None)
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {exc.plugin!r} implements an unknown hook: {exc}") from exc
    if os.environ.get("HUB_TRACE_HOOKS") == "1":
        manager.trace.root.setwriter(log.debug)
        manager.enable_tracing()
    return manager


def _distribution_of(plugin: object, manager: pluggy.PluginManager, module: str) -> tuple[str, str]:
    for loaded, dist in manager.list_plugin_distinfo():
        if loaded is plugin:
            return dist.project_name, dist.version
    top_level = module.partition(".")[0]
    for dist_name in importlib.metadata.packages_distributions().get(top_level, []):
        return dist_name, importlib.metadata.version(dist_name)
    return "(not installed)", "-"


def connector_types(manager: pluggy.PluginManager) -> dict[str, ConnectorType]:
    """Every connector type the loaded plugins provide, keyed by ``type_name``."""
    found: dict[str, ConnectorType] = {}
    for impl in manager.hook.hub_connector_types.get_hookimpls():
        provided = cast(Sequence[type[Connector[Any]]], impl.function() or ())
        for cls in provided:
            type_name = getattr(cls, "type_name", None)
            if not isinstance(type_name, str) or not type_name:
                raise PluginError(f"plugin {impl.plugin_name!r} returned {cls!r} without type_name")
            if type_name in found:
                raise PluginError(
                    f"connector type {type_name!r} is provided twice: by plugin "
                    f"{found[type_name].plugin!r} and by plugin {impl.plugin_name!r}"
                )
            package, version = _distribution_of(impl.plugin, manager, cls.__module__)
            found[type_name] = ConnectorType(type_name, cls, impl.plugin_name, package, version)
    return found
