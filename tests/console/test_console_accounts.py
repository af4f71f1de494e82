"""Signing in to the console with a user account: its key's role decides, a wrong password and
an unknown name get the same answer, guessing is throttled, revoking the key ends the session."""

from __future__ import annotations

import re

import aiohttp

from hub.access import Role
from hub.access.keys import revoke_key
from hub.access.users import create_user
from hub.console.throttle import MAX_FAILURES
from tests.console.conftest import ConsoleSite
from tests.console.test_console_http import browser_like, csrf_of

PASSWORD = "correct horse battery"
ERROR = re.compile(r'id="signin-error">([^<]*)<')


async def add_user(site: ConsoleSite, name: str, role: Role) -> None:
    async with site.hub.sessions() as session:
        await create_user(session, name=name, password=PASSWORD, role=role)


async def sign_in_as(
    http: aiohttp.ClientSession, site: ConsoleSite, name: str, password: str
) -> aiohttp.ClientResponse:
    token = await csrf_of(http, f"{site.console}/sign-in?with=account")
    return await http.post(
        f"{site.console}/sign-in",
        data={"csrf": token, "user": name, "password": password, "next": "/console/sync"},
        allow_redirects=False,
    )


async def test_an_admin_account_signs_in_and_acts_under_its_own_name(site: ConsoleSite) -> None:
    await add_user(site, "ops.lead", Role.ADMIN)
    async with browser_like() as http:
        async with http.get(f"{site.console}/sign-in?with=account") as form:
            page = await form.text()
        assert 'autocomplete="current-password"' in page and 'name="user"' in page
        response = await sign_in_as(http, site, "Ops.Lead", PASSWORD)  # names ignore case
        assert response.status == 303 and response.headers["Location"] == "/console/sync"
        assert PASSWORD not in response.headers["Set-Cookie"]
        async with http.get(f"{site.console}/sync", allow_redirects=False) as sync:
            assert sync.status == 200
            assert "user:ops.lead" in await sync.text()


async def test_an_agent_account_gets_what_its_role_allows(site: ConsoleSite) -> None:
    await add_user(site, "desk", Role.AGENT)
    async with browser_like() as http:
        assert (await sign_in_as(http, site, "desk", PASSWORD)).status == 303
        async with http.get(f"{site.console}/search?q=amelie.durand@example.fr") as search:
            assert search.status == 200
            text = await search.text()
        assert "Amélie Durand" in text and "/console/sync" not in text
        async with http.get(f"{site.console}/sync") as refused:
            assert refused.status == 403


async def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(
    site: ConsoleSite,
) -> None:
    await add_user(site, "desk", Role.AGENT)
    answers = []
    async with browser_like() as http:
        for name, password in (("desk", "not the password"), ("nobody", PASSWORD)):
            response = await sign_in_as(http, site, name, password)
            text = await response.text()
            assert response.status == 401
            assert password not in text  # the password typed is not shown back
            found = ERROR.search(text)
            assert found, text
            answers.append(found.group(1))
        async with http.get(f"{site.console}/search", allow_redirects=False) as page:
            assert page.status == 303  # not signed in
    assert "do not open an account" in answers[0]
    assert answers[0] == answers[1]


async def test_guessing_is_stopped_after_a_few_failures_even_with_the_right_password(
    site: ConsoleSite,
) -> None:
    await add_user(site, "target", Role.ADMIN)
    async with browser_like() as http:
        for attempt in range(MAX_FAILURES):
            response = await sign_in_as(http, site, "target", f"guess number {attempt}")
            assert response.status == 401
        blocked = await sign_in_as(http, site, "target", PASSWORD)
        assert blocked.status == 429
        assert "Too many failed attempts" in await blocked.text()
        for attempt in range(MAX_FAILURES):  # a name with no account is counted alike
            await sign_in_as(http, site, "ghost", f"guess number {attempt}")
        assert (await sign_in_as(http, site, "ghost", PASSWORD)).status == 429
        assert (await sign_in_as(http, site, "other", "wrong password")).status == 401


async def test_revoking_the_accounts_key_signs_its_browser_out(site: ConsoleSite) -> None:
    await add_user(site, "leaver", Role.AGENT)
    async with browser_like() as http:
        assert (await sign_in_as(http, site, "leaver", PASSWORD)).status == 303
        async with http.get(f"{site.console}/search", allow_redirects=False) as page:
            assert page.status == 200
        async with site.hub.sessions() as session:
            await revoke_key(session, "user:leaver")
        async with http.get(f"{site.console}/search", allow_redirects=False) as page:
            assert page.status == 303 and "expired=1" in page.headers["Location"]
        assert (await sign_in_as(http, site, "leaver", PASSWORD)).status == 401
