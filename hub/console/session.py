"""The console's session: the signed cookie that holds the signed-in key, CSRF tokens, forms.

The cookie is signed (not encrypted) with the key of :mod:`hub.console.secret`, HttpOnly and
SameSite=Strict, and scoped to /console. It holds the API key itself, or the user account's
name and key id, so that every request is checked again against the key table: a revoked key
signs its browser out at once.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.access import Viewer
from hub.access.keys import verify_key
from hub.access.users import account_viewer
from hub.console.secret import console_secret
from hub.runtime import Hub

COOKIE = "hub_console"
SESSION_HOURS = 8
"""A working day: an agent signs in once in the morning."""
MAX_FORM_BYTES = 16_384
KEY_FIELD, CSRF_FIELD, LANGUAGE_FIELD = "api_key", "csrf", "language"
FLASH_FIELD, ACCOUNT_FIELD = "flash", "account"


class ConsoleSessions:
    """SessionMiddleware around the console, made on the first request: its signing key may
    live in the database, which the app only opens in its lifespan."""

    def __init__(self, app: ASGIApp, path: str) -> None:
        self.app = app
        self.path = path
        self._inner: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._inner is None:
            hub: Hub = scope["app"].state.hub
            secret = await console_secret(hub.sessions)
            self._inner = SessionMiddleware(
                self.app,
                secret_key=secret.reveal(),
                session_cookie=COOKIE,
                max_age=SESSION_HOURS * 3600,
                path=self.path,
                same_site="strict",
            )
        await self._inner(scope, receive, send)


async def signed_in_viewer(request: Request) -> Viewer | None:
    """The viewer of the session's key or account, or ``None`` (neither, or revoked since)."""
    key, account = request.session.get(KEY_FIELD), request.session.get(ACCOUNT_FIELD)
    hub: Hub = request.app.state.hub
    viewer = None
    async with hub.sessions() as session:
        if isinstance(key, str):
            viewer = await verify_key(session, key)
        elif isinstance(account, list) and len(account) == 2:
            viewer = await account_viewer(session, str(account[0]), str(account[1]))
    if viewer is None:
        request.session.pop(KEY_FIELD, None)
        request.session.pop(ACCOUNT_FIELD, None)
    return viewer


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use; every POST form carries it."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


async def read_form(request: Request) -> dict[str, str] | None:
    """The fields of an url-encoded form whose CSRF token matches the session's; ``None`` for
    a form without the right token (or too large to be one of the console's)."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return None
    fields = dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    expected = request.session.get(CSRF_FIELD)
    sent = fields.pop(CSRF_FIELD, "")
    if not isinstance(expected, str) or not hmac.compare_digest(expected, sent):
        return None
    return fields


def sign_in(request: Request, key: str) -> None:
    # A new CSRF token at sign-in: a token seen before signing in is not reused after.
    request.session.pop(ACCOUNT_FIELD, None)
    request.session[KEY_FIELD] = key
    request.session[CSRF_FIELD] = secrets.token_urlsafe(32)


def sign_in_account(request: Request, name: str, key_id: str) -> None:
    """Sign in as a user account. The session names the account and the key behind it (never
    the password): each request checks that this key still backs it and is not revoked."""
    request.session.pop(KEY_FIELD, None)
    request.session[ACCOUNT_FIELD] = [name, key_id]
    request.session[CSRF_FIELD] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
    language = request.session.get(LANGUAGE_FIELD)
    request.session.clear()
    if language:
        request.session[LANGUAGE_FIELD] = language


@dataclass(frozen=True)
class Flash:
    """What a form did, shown once on the page it redirects to (so a reload sends nothing
    again): a message id of the catalogue and its values."""

    message_id: str
    values: dict[str, str | int]
    alert: bool = False
    """An error: announced at once (``role="alert"``) rather than politely."""


def flash(request: Request, message: Flash) -> None:
    request.session[FLASH_FIELD] = [message.message_id, message.values, message.alert]


def take_flash(request: Request) -> Flash | None:
    """The message left by the last form, once; ``None`` when there is none."""
    stored = request.session.pop(FLASH_FIELD, None)
    if not isinstance(stored, list) or len(stored) != 3:
        return None
    message_id, values, alert = stored
    return Flash(str(message_id), dict(values), bool(alert))
