"""Signing in with a user account (name and password) rather than by pasting an API key.

The account's key decides what the session may see and do, as a pasted key would. Failed
attempts are counted per name (:mod:`hub.console.throttle`); every failure gets one message
that never says whether the name exists.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from hub.access.users import account_viewer, verify_password
from hub.console.pages import render, safe_next
from hub.console.session import sign_in_account
from hub.console.throttle import SignInThrottle
from hub.runtime import Hub


def sign_in_throttle(request: Request) -> SignInThrottle:
    """The serving app's one throttle, made on first use."""
    state = request.app.state
    if not hasattr(state, "sign_in_throttle"):
        state.sign_in_throttle = SignInThrottle()
    throttle: SignInThrottle = state.sign_in_throttle
    return throttle


async def account_sign_in(request: Request, form: dict[str, str]) -> Response:
    name = form.get("user", "").strip().lower()
    password, target = form.get("password", ""), form.get("next", "")

    def refused(error: str, status_code: int) -> Response:
        return render(
            request,
            "sign_in.html",
            None,
            status_code=status_code,
            error=error,
            next=target,
            account=True,
            user=name,
        )

    if not name or not password:
        return refused("signin.account_empty", 401)
    throttle = sign_in_throttle(request)
    if throttle.blocked(name):
        return refused("signin.throttled", 429)
    hub: Hub = request.app.state.hub
    async with hub.sessions() as session:
        account = await verify_password(session, name, password)
        viewer = None if account is None else await account_viewer(session, name, account.key_id)
    if account is None or viewer is None:
        throttle.failed(name)
        return refused("signin.account_invalid", 401)
    throttle.succeeded(name)
    sign_in_account(request, account.name, account.key_id)
    return RedirectResponse(safe_next(target), status_code=303)
