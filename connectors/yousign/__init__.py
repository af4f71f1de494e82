"""Yousign: contracts (insurance, pension plans) subscribed online with an e-signature."""

from collections.abc import Sequence
from typing import Any

from connectors.yousign.connector import YousignConnector
from connectors.yousign.sandbox import YousignSandbox
from hub.connector import Connector
from hub.hookspecs import hookimpl
from hub.sandbox import Sandbox


@hookimpl
def hub_connector_types() -> Sequence[type[Connector[Any]]]:
    return [YousignConnector]


@hookimpl
def hub_sandboxes() -> Sequence[type[Sandbox]]:
    return [YousignSandbox]
