"""The example plugin passes the hub's conformance checks: this one class is all it takes."""

import acme_hub_connector

from hub.testing import ConnectorConformance


class TestAcmeConformance(ConnectorConformance):
    plugin = acme_hub_connector
