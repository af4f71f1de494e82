"""HTTP details of the partner sandbox: RFC 7807 problems, opaque page tokens, validators."""

from __future__ import annotations

import base64
import email.utils
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from aiohttp import web

from hub.sandbox.faults import ADMIN_PREFIX

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPES = {
    400: "https://partner-feed.example/problems/invalid-parameter",
    401: "https://partner-feed.example/problems/unauthorized",
    429: "https://partner-feed.example/problems/rate-limited",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
IndexEntry = tuple[datetime, str]
"""A holding's place in the feed: (updated_at, "<partner_id>:<holding_id>")."""


def problem(status: int, detail: str, instance: str | None = None) -> dict[str, Any]:
    """An RFC 7807 problem document."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPES.get(status, "about:blank"),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    return body


def problem_response(request: web.Request, status: int, detail: str) -> web.Response:
    return web.json_response(
        problem(status, detail, request.path_qs), status=status, content_type=PROBLEM_JSON
    )


@web.middleware
async def problem_content_type(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Errors from the shared fault injector get the contract's media type too."""
    response = await handler(request)
    if response.status >= 400 and not request.path.startswith(ADMIN_PREFIX):
        response.content_type = PROBLEM_JSON
    return response


def page_token(entry: IndexEntry) -> str:
    moment, key = entry
    return base64.urlsafe_b64encode(f"{moment.isoformat()}|{key}".encode()).decode().rstrip("=")


def read_page_token(token: str) -> IndexEntry:
    text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    moment, key = text.split("|", 1)
    return datetime.fromisoformat(moment), key


def parse_rfc3339(text: str) -> datetime | None:
    if "T" not in text.upper():
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else None


def not_modified(headers: Mapping[str, str], etag: str, modified: datetime) -> bool:
    """Whether a conditional GET may be answered 304 (RFC 9110 §13.2.2)."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:  # it wins over If-Modified-Since
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = headers.get("If-Modified-Since")
    if since is None:
        return False
    try:
        moment = email.utils.parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    return moment.tzinfo is not None and modified <= moment


def http_date(moment: datetime) -> str:
    return email.utils.format_datetime(moment.astimezone(UTC), usegmt=True)
