"""The plugin contract of the hub: every hook a plugin can implement.

A plugin is a module or object with functions decorated by :data:`hookimpl` and named after the
hooks below. Built-in connectors register through exactly the same hooks as third-party packages,
which expose their plugin module in the ``hub.connectors`` entry-point group::

    [project.entry-points."hub.connectors"]
    acme = "acme_hub_connector"

Hook names are checked at start-up: a function marked ``@hookimpl`` whose name is not a hook
below is an error, so a typo never silently disables a plugin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pluggy

from hub.connector import Connector

if TYPE_CHECKING:
    from hub.sandbox import Sandbox

PROJECT_NAME = "hub"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def hub_connector_types() -> Sequence[type[Connector[Any]]]:
    """Return the connector types this plugin provides.

    Called once when the plugin manager is built, before plugins.toml is read. Every plugin's
    result is collected (this is not a first-result hook); each class must have a ``type_name``
    unique across all plugins, which is the ``type = "…"`` value used in plugins.toml. Return an
    empty sequence to provide none.
    """
    raise NotImplementedError  # pragma: no cover - a spec, never called


@hookspec
def hub_sandboxes() -> Sequence[type[Sandbox]]:
    """Return the sandboxes this plugin provides: fakes of its sources' APIs.

    ``hub demo`` starts every sandbox it finds and syncs from it, and the conformance checks of
    :mod:`hub.testing` run a connector against its sandbox. Optional: a plugin without a
    sandbox simply does not implement this hook.
    """
    raise NotImplementedError  # pragma: no cover - a spec, never called
