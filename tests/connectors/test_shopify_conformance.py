"""The shopify connector passes the hub's standard connector checks against its sandbox."""

import connectors.shopify
from hub.testing import ConnectorConformance


class TestShopifyConformance(ConnectorConformance):
    plugin = connectors.shopify
