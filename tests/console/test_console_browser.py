"""The console in a real browser: sign-in, search as you type, the 360 page, masking and the
keyboard. Screenshots of each page land in test-artifacts/console/."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from playwright.async_api import Page, expect

from tests.console.browser import browser, needs_chromium, page, screenshot
from tests.console.conftest import ConsoleSite
from tests.console.history import AMELIE_RECORDS

pytestmark = [pytest.mark.browser, needs_chromium]
__all__ = ["browser", "page"]  # fixtures
CITY_BY_SOURCE = {"crm": "Lyon", "atelier": "Villeurbanne"}
"""Where Amélie Durand lives, as each export says."""


async def sign_in(page: Page, site: ConsoleSite, key: str) -> None:
    await page.goto(f"{site.console}/sign-in")
    await page.get_by_label("API key").fill(key)
    await page.get_by_role("button", name="Sign in").click()


async def test_a_bad_key_gets_a_clear_error_and_a_good_one_signs_in(
    page: Page, site: ConsoleSite
) -> None:
    await sign_in(page, site, "hub_deadbeef_wrong")
    await expect(page.get_by_role("alert")).to_contain_text("This API key is not valid")
    await expect(page.get_by_label("API key")).to_have_attribute("aria-invalid", "true")
    await screenshot(page, "sign-in-error")
    await page.get_by_label("API key").fill(site.admin_key)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Find a customer")).to_be_visible()
    await expect(page.get_by_text("key:console-admin")).to_be_visible()


async def test_search_as_you_type_finds_the_customer(page: Page, site: ConsoleSite) -> None:
    await sign_in(page, site, site.admin_key)
    search = page.get_by_label("E-mail, phone or loyalty card")
    await search.press_sequentially("AMELIE.durand@example.fr", delay=10)
    # No Enter: the results arrive while typing.
    row = page.locator("table.results tbody tr")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("Amélie Durand")
    city = await row.locator("td").nth(2).inner_text()
    assert city in CITY_BY_SOURCE.values()  # the golden city, from whichever source won
    await screenshot(page, "search-results")
    await search.fill("")
    await search.press_sequentially("+33 6 99 88 77 66", delay=10)
    await expect(row).to_contain_text("Paul Leroy")
    await search.fill("nobody@example.org")
    await expect(page.locator("#results")).to_contain_text("No customer matches")


async def test_the_360_page_shows_golden_fields_with_their_sources(
    page: Page, site: ConsoleSite
) -> None:
    await sign_in(page, site, site.admin_key)
    await page.goto(f"{site.console}/customers/{await site.profile_id('amelie.durand@example.fr')}")
    await expect(page.get_by_role("heading", name="Amélie Durand")).to_be_visible()
    email = page.locator("table.golden tr[data-field=email]")
    await expect(email.locator("td.value")).to_have_text(
        re.compile(r"^amelie\.durand@example\.fr$", re.IGNORECASE)
    )
    city = page.locator("table.golden tr[data-field=city]")
    value = await city.locator("td.value").inner_text()
    (source,) = [name for name, held in CITY_BY_SOURCE.items() if held == value]
    badge = city.locator(".badge")
    await expect(badge).to_have_text(source)  # the badge names the source the value came from
    # The hover text names the rule and the value the other source holds.
    title = await badge.get_attribute("title")
    assert title is not None and "Rule:" in title
    (other,) = [held for name, held in CITY_BY_SOURCE.items() if name != source]
    assert other in title
    records = page.locator("section[aria-labelledby=records-title] tbody tr .badge")
    await expect(records).to_have_count(sum(AMELIE_RECORDS.values()))
    assert Counter(await records.all_inner_texts()) == AMELIE_RECORDS
    await expect(page.locator("section[aria-labelledby=identifiers-title]")).to_contain_text(
        "MX-4471-2290"
    )
    await screenshot(page, "customer-360")


@pytest.mark.parametrize("role", ["analyst", "app without personal data"])
async def test_personal_data_is_hidden_without_the_permission(
    page: Page, site: ConsoleSite, role: str
) -> None:
    key = site.analyst_key if role == "analyst" else site.app_key_without_personal_data
    await sign_in(page, site, key)
    await page.get_by_label("E-mail, phone or loyalty card").fill("amelie.durand@example.fr")
    await expect(page.get_by_role("alert")).to_contain_text("may not search by e-mail")
    await page.get_by_label("E-mail, phone or loyalty card").fill("MX-4471-2290")
    await page.get_by_role("link", name="Amélie Durand").click()
    email = page.locator("table.golden tr[data-field=email] td.value")
    await expect(email).to_have_text("hidden")
    await expect(page.locator("body")).not_to_contain_text(
        re.compile("amelie.durand@", re.IGNORECASE)
    )
    await expect(page.locator("table.golden tr[data-field=city] td.value")).not_to_have_text(
        "hidden"
    )
    await screenshot(page, f"customer-360-masked-{role.split()[0]}")


async def test_the_keyboard_alone_finds_and_opens_a_customer(page: Page, site: ConsoleSite) -> None:
    await sign_in(page, site, site.admin_key)
    search = page.get_by_label("E-mail, phone or loyalty card")
    for _ in range(12):
        await page.keyboard.press("Tab")
        if await search.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the search field")
    await page.keyboard.type("07 81 22 33 44")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{site.console}/search?q=07+81+22+33+44")
    link = page.get_by_role("link", name="Jean Martin")
    for _ in range(12):
        await page.keyboard.press("Tab")
        if await link.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the result")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Jean Martin")).to_be_visible()


async def test_the_language_switch_gives_french_labels(page: Page, site: ConsoleSite) -> None:
    await page.goto(f"{site.console}/sign-in")
    await page.get_by_role("link", name="FR").click()
    await page.get_by_label("Clé d'API").fill(site.analyst_key)
    await page.get_by_role("button", name="Se connecter").click()
    await page.get_by_label("E-mail, téléphone ou carte de fidélité").fill("MX-4471-2290")
    await page.get_by_role("link", name="Amélie Durand").click()
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    await expect(page.locator("table.golden tr[data-field=email] td.value")).to_have_text("masqué")
    await screenshot(page, "customer-360-fr")
