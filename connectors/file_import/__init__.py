"""File import: customers from CSV or JSON Lines files (a legacy CRM export, a spreadsheet)."""

from collections.abc import Sequence
from typing import Any

from connectors.file_import.connector import FileImportConnector
from hub.connector import Connector
from hub.hookspecs import hookimpl


@hookimpl
def hub_connector_types() -> Sequence[type[Connector[Any]]]:
    return [FileImportConnector]
