"""The sign-in, sync, quarantine and audit pages in English and French at a laptop's size: no
card whose content spills out of it, no field without a label. Each page is saved in
test-artifacts/console/ (``layout-<page>-<language>.png``) to be looked at."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.console.browser import LAPTOP, browser, needs_chromium, page, screenshot
from tests.console.conftest import ConsoleSite
from tests.console.test_console_browser import sign_in

pytestmark = [pytest.mark.browser, needs_chromium]
__all__ = ["browser", "page"]  # fixtures

SPILLING_OUT = """() => [...document.querySelectorAll('.card, .bar, main')]
    .filter(box => box.scrollWidth > box.clientWidth + 1)
    .map(box => box.className || box.tagName)"""
"""The boxes whose content is wider than they are (a long cursor that does not wrap, say)."""
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(field => field.type !== 'hidden')
    .filter(field => field.labels.length === 0 && !field.getAttribute('aria-label'))
    .map(field => field.name || field.id)"""

PAGES = {
    # page name: (path, a heading it shows in English, in French)
    "sync": ("/sync", "Sync health", "État des synchronisations"),
    "quarantine": ("/sync/quarantine?connector=shop", "Quarantine", "Quarantaine"),
    "quarantine-empty": ("/sync/quarantine?connector=crm", "Quarantine", "Quarantaine"),
    "audit-empty": ("/audit", "Audit log", "Journal d'audit"),
}


async def check_layout(page: Page, name: str) -> None:
    assert await page.evaluate("() => document.documentElement.scrollWidth") <= LAPTOP["width"]
    assert await page.evaluate(SPILLING_OUT) == [], f"{name}: content wider than its box"
    assert await page.evaluate(UNLABELLED) == [], f"{name}: fields without a label"
    await screenshot(page, f"layout-{name}")


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_the_admin_pages_fit_a_laptop_screen_with_labels(
    page: Page, quarantined_site: ConsoleSite, lang: str
) -> None:
    site = quarantined_site
    for form in ("key", "account"):
        await page.goto(f"{site.console}/sign-in?with={form}&lang={lang}")
        await expect(page.locator("html")).to_have_attribute("lang", lang)
        await check_layout(page, f"sign-in-{form}-{lang}")
    await page.goto(f"{site.console}/sign-in?lang=en")  # the key's label, in English
    await sign_in(page, site, site.admin_key)
    for name, (path, english, french) in PAGES.items():
        joiner = "&" if "?" in path else "?"
        await page.goto(f"{site.console}{path}{joiner}lang={lang}")
        await expect(page.get_by_role("heading", name=english if lang == "en" else french,
                                      exact=True)).to_be_visible()  # fmt: skip
        await check_layout(page, f"{name}-{lang}")
    await expect(page.locator("p.empty")).to_be_visible()  # the audit log has no entry yet
    await page.locator("#audit-subject").focus()  # Enter in the field submits the filter
    await page.keyboard.type("connector:shop")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"/console/audit\?subject=connector%3Ashop"))
    await expect(page.locator("#audit-subject")).to_have_value("connector:shop")
