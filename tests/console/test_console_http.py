"""The console over plain HTTP: the session cookie, CSRF, sign-in errors, languages."""

from __future__ import annotations

import re

import aiohttp
import pytest

from hub.access import Role
from hub.access.keys import revoke_key
from hub.console.secret import SECRET_ENV, console_secret
from tests.conftest import new_key
from tests.console.conftest import ConsoleSite

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def browser_like() -> aiohttp.ClientSession:
    # unsafe: keep cookies of an IP address (the test server listens on 127.0.0.1).
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def csrf_of(http: aiohttp.ClientSession, url: str) -> str:
    async with http.get(url) as response:
        found = CSRF.search(await response.text())
    assert found, "the page has no CSRF field"
    return found.group(1)


async def sign_in(
    http: aiohttp.ClientSession, site: ConsoleSite, key: str
) -> aiohttp.ClientResponse:
    token = await csrf_of(http, f"{site.console}/sign-in")
    return await http.post(
        f"{site.console}/sign-in",
        data={"csrf": token, "api_key": key, "next": "/console/search"},
        allow_redirects=False,
    )


async def test_pages_need_a_signed_in_key(site: ConsoleSite) -> None:
    async with (
        browser_like() as http,
        http.get(f"{site.console}/search?q=x", allow_redirects=False) as response,
    ):
        assert response.status == 303
        assert response.headers["Location"].startswith("/console/sign-in?")
        assert "next=/console/search" in response.headers["Location"]


async def test_the_session_cookie_is_signed_httponly_and_strict(site: ConsoleSite) -> None:
    async with browser_like() as http:
        response = await sign_in(http, site, site.admin_key)
        assert response.status == 303
        assert response.headers["Location"] == "/console/search"
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("hub_console=")
        assert "httponly" in cookie.lower()
        assert "samesite=strict" in cookie.lower()
        assert "path=/console" in cookie.lower()
        async with http.get(f"{site.console}/search", allow_redirects=False) as page:
            assert page.status == 200
            assert "key:console-admin" in await page.text()


async def test_a_forged_cookie_is_not_a_session(site: ConsoleSite) -> None:
    async with browser_like() as http:
        response = await sign_in(http, site, site.admin_key)
        real = response.cookies["hub_console"].value
        data, _, _ = real.partition(".")
        # The same payload (it holds the admin key) with a signature it was not given.
        forged = {"Cookie": f"hub_console={data}.AAAAAA.forged-signature"}
    async with (
        aiohttp.ClientSession() as stranger,
        stranger.get(f"{site.console}/search", headers=forged, allow_redirects=False) as page,
    ):
        assert page.status == 303


async def test_a_bad_key_is_refused_with_a_clear_error(site: ConsoleSite) -> None:
    async with browser_like() as http:
        response = await sign_in(http, site, "hub_0000_not-a-key")
        assert response.status == 401
        text = await response.text()
        assert "not valid" in text
        assert "hub_0000_not-a-key" not in text  # the key typed is not echoed back


async def test_a_post_without_the_csrf_token_is_refused(site: ConsoleSite) -> None:
    async with browser_like() as http:
        await csrf_of(http, f"{site.console}/sign-in")  # a session exists, with its token
        async with http.post(
            f"{site.console}/sign-in",
            data={"csrf": "guessed", "api_key": site.admin_key},
            allow_redirects=False,
        ) as response:
            assert response.status == 403
        async with http.get(f"{site.console}/search", allow_redirects=False) as page:
            assert page.status == 303  # not signed in


async def test_sign_out_needs_the_token_and_ends_the_session(site: ConsoleSite) -> None:
    async with browser_like() as http:
        await sign_in(http, site, site.admin_key)
        async with http.post(f"{site.console}/sign-out", data={}) as refused:
            assert refused.status == 403
        token = await csrf_of(http, f"{site.console}/search")
        async with http.post(
            f"{site.console}/sign-out", data={"csrf": token}, allow_redirects=False
        ) as response:
            assert response.status == 303
        async with http.get(f"{site.console}/search", allow_redirects=False) as page:
            assert page.status == 303


async def test_a_revoked_key_signs_its_browser_out(site: ConsoleSite) -> None:
    async with browser_like() as http:
        await sign_in(http, site, site.analyst_key)
        async with site.hub.sessions() as session:
            await revoke_key(session, "console-analyst")
        async with http.get(f"{site.console}/search", allow_redirects=False) as response:
            assert response.status == 303
            assert "expired=1" in response.headers["Location"]


async def test_the_language_follows_accept_language_and_the_switch(site: ConsoleSite) -> None:
    async with browser_like() as http:
        french = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
        async with http.get(f"{site.console}/sign-in", headers=french) as page:
            assert "Clé d&#39;API" in await page.text()
            assert page.headers["Content-Language"] == "fr"
        async with http.get(f"{site.console}/sign-in?lang=en", headers=french) as page:
            assert page.headers["Content-Language"] == "en"
        async with http.get(f"{site.console}/sign-in", headers=french) as page:
            assert page.headers["Content-Language"] == "en"  # the switch is remembered


async def test_the_signing_key_is_made_once_and_kept(
    site: ConsoleSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)
    first = await console_secret(site.hub.sessions)
    again = await console_secret(site.hub.sessions)
    assert first == again
    assert len(first.reveal()) >= 32
    assert first.reveal() not in repr(first)
    monkeypatch.setenv(SECRET_ENV, "x" * 40)
    assert (await console_secret(site.hub.sessions)).reveal() == "x" * 40


async def test_a_customer_of_another_brand_is_as_absent_as_an_unknown_id(
    site: ConsoleSite,
) -> None:
    maison = await new_key(site.hub, Role.AGENT, name="maison-desk", brands=["maison"])
    paul = await site.profile_id("paul.leroy@example.fr")  # known to the atelier brand only
    amelie = await site.profile_id("amelie.durand@example.fr")  # known to both
    async with browser_like() as http:
        await sign_in(http, site, maison)
        for hidden in (paul, "no-such-profile"):
            async with http.get(f"{site.console}/customers/{hidden}") as page:
                assert page.status == 404
                assert "No customer with this id is visible" in await page.text()
        async with http.get(f"{site.console}/customers/{amelie}") as page:
            assert page.status == 200
            text = await page.text()
        assert "crm:A1" in text
        assert "atelier:B1" not in text  # the other brand's record stays out of sight
