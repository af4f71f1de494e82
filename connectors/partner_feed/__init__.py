"""Partner feed: products that partners (insurers, banks, telcos) sell to the brand's customers,
pulled from the hub's partner API contract or read from CSV drop files."""

from collections.abc import Sequence
from typing import Any

from connectors.partner_feed.connector import PartnerFeedConnector
from connectors.partner_feed.sandbox import PartnerFeedSandbox
from hub.connector import Connector
from hub.hookspecs import hookimpl
from hub.sandbox import Sandbox


@hookimpl
def hub_connector_types() -> Sequence[type[Connector[Any]]]:
    return [PartnerFeedConnector]


@hookimpl
def hub_sandboxes() -> Sequence[type[Sandbox]]:
    return [PartnerFeedSandbox]
