"""Acme Loyalty: an example connector plugin, installed through the hub.connectors entry point."""

from collections.abc import Sequence
from typing import Any

from acme_hub_connector.connector import AcmeLoyaltyConnector
from acme_hub_connector.sandbox import AcmeLoyaltySandbox
from hub.connector import Connector
from hub.hookspecs import hookimpl
from hub.sandbox import Sandbox


@hookimpl
def hub_connector_types() -> Sequence[type[Connector[Any]]]:
    return [AcmeLoyaltyConnector]


@hookimpl
def hub_sandboxes() -> Sequence[type[Sandbox]]:
    return [AcmeLoyaltySandbox]
