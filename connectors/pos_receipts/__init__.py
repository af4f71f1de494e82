"""POS receipts: store receipt CSV exports as French tills write them, one row per line item."""

from collections.abc import Sequence
from typing import Any

from connectors.pos_receipts.connector import PosReceiptsConnector
from connectors.pos_receipts.sandbox import PosReceiptsSandbox
from hub.connector import Connector
from hub.hookspecs import hookimpl
from hub.sandbox import Sandbox


@hookimpl
def hub_connector_types() -> Sequence[type[Connector[Any]]]:
    return [PosReceiptsConnector]


@hookimpl
def hub_sandboxes() -> Sequence[type[Sandbox]]:
    return [PosReceiptsSandbox]
