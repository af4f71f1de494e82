"""The partner_feed connector passes the hub's standard connector checks against its sandbox."""

import connectors.partner_feed
from hub.testing import ConnectorConformance


class TestPartnerFeedConformance(ConnectorConformance):
    plugin = connectors.partner_feed
