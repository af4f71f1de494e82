"""Testing kit for plugin authors: conformance checks and servers for tests.

One line in a plugin's own test file runs the standard checks against its sandbox::

    from hub.testing import ConnectorConformance
    import acme_hub_connector

    class TestAcmeConformance(ConnectorConformance):
        plugin = acme_hub_connector

The plugin must implement both hooks, ``hub_connector_types`` and ``hub_sandboxes``. The checks
need pytest and pytest-asyncio.
"""

from hub.testing.conformance import ConnectorConformance
from hub.testing.sandboxed import SandboxedHub, open_sandboxed_hub
from hub.testing.server import serve_asgi

__all__ = ["ConnectorConformance", "SandboxedHub", "open_sandboxed_hub", "serve_asgi"]
