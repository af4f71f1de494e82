"""The square connector passes the hub's standard connector checks against its sandbox."""

import connectors.square
from hub.testing import ConnectorConformance


class TestSquareConformance(ConnectorConformance):
    plugin = connectors.square
