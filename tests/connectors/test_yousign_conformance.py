"""The Yousign connector passes the hub's standard connector checks against its sandbox."""

import connectors.yousign
from hub.testing import ConnectorConformance


class TestYousignConformance(ConnectorConformance):
    plugin = connectors.yousign
