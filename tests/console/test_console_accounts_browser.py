"""Signing in with a user account in a real browser, by keyboard alone: a wrong password gets a
clear error, the right one signs in, and the account's role shows or hides Sync and Audit log.
Screenshots land in test-artifacts/console/."""

from __future__ import annotations

import pytest
from playwright.async_api import Locator, Page, expect

from hub.access import Role
from tests.console.browser import browser, needs_chromium, page, screenshot
from tests.console.conftest import ConsoleSite
from tests.console.test_console_accounts import PASSWORD, add_user

pytestmark = [pytest.mark.browser, needs_chromium]
__all__ = ["browser", "page"]  # fixtures
MAX_TABS = 12
"""More than the sign-in page has stops before its form: a link never reached is a failure."""


async def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus, and check that the focus can be seen."""
    for _ in range(MAX_TABS):
        if await target.evaluate("element => element === document.activeElement"):
            break
        await page.keyboard.press("Tab")
    await expect(target).to_be_focused()
    outline = await target.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none", "the focused element shows no outline"


async def sign_in_by_keyboard(page: Page, site: ConsoleSite, name: str, password: str) -> None:
    """From the API-key sign-in page: Tab to the account link, Enter, type, Enter."""
    await page.goto(f"{site.console}/sign-in")
    await tab_to(page, page.get_by_role("link", name="Sign in with a user account instead"))
    await page.keyboard.press("Enter")
    user = page.get_by_label("User name")
    await expect(user).to_be_focused()  # the form is ready to type in
    await page.keyboard.type(name)
    await tab_to(page, page.get_by_label("Password"))
    await page.keyboard.type(password)
    await page.keyboard.press("Enter")


async def test_a_wrong_password_gets_a_clear_error_then_the_right_one_signs_in(
    page: Page, site: ConsoleSite
) -> None:
    await add_user(site, "ops.lead", Role.ADMIN)
    await sign_in_by_keyboard(page, site, "ops.lead", "not the password at all")
    alert = page.get_by_role("alert")
    await expect(alert).to_have_text(
        "This user name and password do not open an account (unknown, mistyped or closed)."
    )
    await expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Password")).to_have_value("")  # never typed back
    await expect(page.get_by_label("User name")).to_have_value("ops.lead")
    await expect(page.get_by_label("Password")).to_be_focused()  # what is left to type
    await screenshot(page, "sign-in-account-error")

    await sign_in_by_keyboard(page, site, "ops.lead", PASSWORD)
    await expect(page.get_by_role("heading", name="Find a customer")).to_be_visible()
    await expect(page.locator(".who strong")).to_have_text("user:ops.lead")
    menu = page.get_by_role("navigation", name="Customer console")
    await expect(menu.get_by_role("link", name="Sync", exact=True)).to_be_visible()
    await expect(menu.get_by_role("link", name="Audit log")).to_be_visible()
    await screenshot(page, "signed-in-admin-account")


async def test_an_agent_account_sees_no_sync_or_audit_link(page: Page, site: ConsoleSite) -> None:
    await add_user(site, "desk", Role.AGENT)
    await sign_in_by_keyboard(page, site, "desk", PASSWORD)
    await expect(page.get_by_role("heading", name="Find a customer")).to_be_visible()
    await expect(page.locator(".who strong")).to_have_text("user:desk")
    menu = page.get_by_role("navigation", name="Customer console")
    await expect(menu.get_by_role("link", name="Search")).to_be_visible()
    await expect(menu.get_by_role("link", name="Sync", exact=True)).to_have_count(0)
    await expect(menu.get_by_role("link", name="Audit log")).to_have_count(0)
    await page.goto(f"{site.console}/sync")  # typed by hand: refused, not shown
    await expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    await expect(page.get_by_role("heading", name="Sync health")).to_have_count(0)
    await screenshot(page, "sync-refused-to-agent")
