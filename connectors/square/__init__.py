"""Square: customers, till receipts and orders, and loyalty accounts (with a sandbox)."""

from collections.abc import Sequence
from typing import Any

from connectors.square.connector import SquareConnector
from connectors.square.sandbox import SquareSandbox
from hub.connector import Connector
from hub.hookspecs import hookimpl
from hub.sandbox import Sandbox


@hookimpl
def hub_connector_types() -> Sequence[type[Connector[Any]]]:
    return [SquareConnector]


@hookimpl
def hub_sandboxes() -> Sequence[type[Sandbox]]:
    return [SquareSandbox]
