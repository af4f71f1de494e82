"""The search by a misspelt name and the 360 page's history (key figures, consents, timeline,
identity graph) in a real browser, with and without JavaScript. Screenshots land in
test-artifacts/console/."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from tests.console.browser import LAPTOP, browser, needs_chromium, page, screenshot
from tests.console.conftest import ConsoleSite
from tests.console.history import (
    AMELIE,
    AMELIE_RECORDS,
    RECEIPTS,
    SHOP_ORDERS,
    SHOP_SUBSCRIPTIONS,
)
from tests.console.test_console_browser import sign_in
from tests.console.test_customer_360_http import TIMELINE_PAGE

pytestmark = [pytest.mark.browser, needs_chromium]
__all__ = ["browser", "page"]  # fixtures
HISTORY = len(SHOP_ORDERS) + len(RECEIPTS) + len(SHOP_SUBSCRIPTIONS) + 1 + 3
"""Timeline entries of Amélie: orders, receipts, subscriptions, the partner product and the
three consents (the shop's, the partner's, the agent's)."""


@pytest.fixture
async def page_without_script(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport=LAPTOP, locale="en-GB", java_script_enabled=False)
    try:
        yield await context.new_page()
    finally:
        await context.close()


async def test_a_misspelt_name_finds_the_customer_as_you_type(
    page: Page, site: ConsoleSite
) -> None:
    await sign_in(page, site, site.admin_key)
    await page.get_by_label("Name, e-mail, phone or loyalty card").press_sequentially(
        "Amelei Durnad", delay=15
    )
    first = page.locator("table.results tbody tr").first
    await expect(first).to_contain_text("Amélie Durand")
    await expect(first).to_contain_text("matched on name")
    await expect(first.locator("time")).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$"))
    await screenshot(page, "search-misspelt-name")
    await first.get_by_role("link", name="Amélie Durand").click()
    await expect(page.get_by_role("heading", name="Amélie Durand")).to_be_visible()


async def test_the_360_page_tells_the_history_and_shows_more_in_place(
    page: Page, site: ConsoleSite
) -> None:
    await sign_in(page, site, site.admin_key)
    await page.goto(f"{site.console}/customers/{await site.profile_id(AMELIE)}")
    figures = page.locator("section[aria-labelledby=figures-title]")
    await expect(figures.locator("[data-figure=orders] dd")).to_have_text(str(len(SHOP_ORDERS)))
    await expect(figures.locator("table.spend tbody tr")).to_have_count(2)  # two brands
    consents = page.locator("section[aria-labelledby=consents-title] tbody tr")
    await expect(consents).to_have_count(3)
    entries = page.locator("#timeline li.entry")
    await expect(entries).to_have_count(TIMELINE_PAGE)
    graph = page.locator("svg.identity-graph")
    await expect(graph.locator("g.node")).to_have_count(sum(AMELIE_RECORDS.values()))
    # Each match's hover text: the rule, the score and the fields compared.
    edge_title = await graph.locator("g.edge title").first.text_content()
    assert edge_title is not None and "Rule:" in edge_title and "Score:" in edge_title
    await screenshot(page, "customer-360-history")
    await page.get_by_role("link", name="Show more").click()
    await expect(entries).to_have_count(HISTORY)
    await expect(page).to_have_url(re.compile(r"/customers/[\w-]+$"))  # added in place
    await expect(page.get_by_role("link", name="Show more")).to_have_count(0)
    # The first added entry has the focus: the keyboard goes on from there.
    focused = await page.evaluate("document.activeElement.getAttribute('data-kind')")
    assert focused is not None
    await screenshot(page, "timeline-more", page.locator("#timeline"))


async def test_the_timeline_pages_without_javascript(
    page_without_script: Page, site: ConsoleSite
) -> None:
    page = page_without_script
    await sign_in(page, site, site.admin_key)
    await page.goto(f"{site.console}/customers/{await site.profile_id(AMELIE)}")
    await page.get_by_role("link", name="Show more").click()
    await expect(page).to_have_url(re.compile(r"\?after="))
    await expect(page.locator("#timeline li.entry")).to_have_count(HISTORY - TIMELINE_PAGE)
    await page.get_by_role("link", name="Back to the newest").click()
    await expect(page.locator("#timeline li.entry")).to_have_count(TIMELINE_PAGE)


async def test_the_identity_graph_is_reached_with_the_keyboard(
    page: Page, site: ConsoleSite
) -> None:
    await sign_in(page, site, site.admin_key)
    await page.goto(f"{site.console}/customers/{await site.profile_id(AMELIE)}")
    edge = page.locator("svg.identity-graph g.edge").first
    await edge.focus()
    assert await edge.evaluate("element => element === document.activeElement")
    await page.get_by_text("The matches as a table").click()
    table = page.locator("table.matches tbody tr")
    await expect(table).to_have_count(await page.locator("svg.identity-graph g.edge").count())
    await screenshot(page, "identity-graph", page.locator("#identity"))


async def test_the_360_page_in_french(page: Page, site: ConsoleSite) -> None:
    await sign_in(page, site, site.admin_key)
    await page.goto(f"{site.console}/customers/{await site.profile_id(AMELIE)}?lang=fr")
    await expect(page.get_by_role("heading", name="Chiffres clés")).to_be_visible()
    await expect(page.get_by_role("heading", name="Chronologie")).to_be_visible()
    await expect(page.get_by_role("heading", name="Consentements")).to_be_visible()
    spend = page.locator("table.spend tbody td.amount").first
    await expect(spend).to_have_text(re.compile(r"^\d+,\d\d\s€$"))
    await expect(page.get_by_role("link", name="Afficher la suite")).to_be_visible()
    await screenshot(page, "customer-360-history-fr")
