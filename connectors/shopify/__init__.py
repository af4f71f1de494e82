"""Shopify: web-shop customers and orders from the Admin REST API, webhooks, and a sandbox."""

from collections.abc import Sequence
from typing import Any

from connectors.shopify.connector import ShopifyConnector
from connectors.shopify.sandbox import ShopifySandbox
from hub.connector import Connector
from hub.hookspecs import hookimpl
from hub.sandbox import Sandbox


@hookimpl
def hub_connector_types() -> Sequence[type[Connector[Any]]]:
    return [ShopifyConnector]


@hookimpl
def hub_sandboxes() -> Sequence[type[Sandbox]]:
    return [ShopifySandbox]
