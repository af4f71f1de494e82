"""The connector SDK: what a plugin author subclasses to add a source.

A connector type is a :class:`Connector` subclass with a ``type_name``, a settings dataclass and
one or more streams. A stream of a paginated HTTP API is an :class:`HttpStream` declared by a few
class attributes (path, where the items are, a :class:`Paginator`) and one ``to_record`` method;
:class:`HttpClient` retries, honours ``Retry-After`` and times out for it. Webhooks are verified
by the connector (:meth:`Connector.verify_webhook`; :class:`SignedWebhooks` serves a connector
with a ``webhook_secret`` setting) and turned into records by :meth:`Connector.webhook_page`;
the hub queues and stores them.
"""

from hub.connector.base import Connector, ConnectorRuntime, Stream
from hub.connector.http import (
    AuthenticationError,
    HttpClient,
    JsonResponse,
    MalformedResponse,
    RetryPolicy,
    SourceRequestError,
)
from hub.connector.http_stream import HttpConnector, HttpStream, StreamCursor
from hub.connector.mapping import RecordError, money_minor, optional_text, parse_timestamp
from hub.connector.pagination import CursorPaginator, LinkHeaderPaginator, Paginator, Request
from hub.connector.webhooks import (
    SignedWebhooks,
    WebhookEvent,
    WebhookRejected,
    WebhookRequest,
    header,
    hmac_sha256,
    json_object_body,
    signature_matches,
)

__all__ = [
    "AuthenticationError",
    "Connector",
    "ConnectorRuntime",
    "CursorPaginator",
    "HttpClient",
    "HttpConnector",
    "HttpStream",
    "JsonResponse",
    "LinkHeaderPaginator",
    "MalformedResponse",
    "Paginator",
    "RecordError",
    "Request",
    "RetryPolicy",
    "SignedWebhooks",
    "SourceRequestError",
    "Stream",
    "StreamCursor",
    "WebhookEvent",
    "WebhookRejected",
    "WebhookRequest",
    "header",
    "hmac_sha256",
    "json_object_body",
    "money_minor",
    "optional_text",
    "parse_timestamp",
    "signature_matches",
]
