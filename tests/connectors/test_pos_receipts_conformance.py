"""The pos_receipts connector passes the hub's standard connector checks against its sandbox."""

import connectors.pos_receipts
from hub.testing import ConnectorConformance


class TestPosReceiptsConformance(ConnectorConformance):
    plugin = connectors.pos_receipts
