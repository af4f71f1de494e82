"""Sync health and the quarantine in a real browser: "Sync now" and its result, the payload's
"show all" disclosure, the replay by keyboard, the audit entry it leaves, French labels.
Screenshots land in test-artifacts/console/."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from hub.access import Role
from tests.conftest import new_key
from tests.console.browser import browser, needs_chromium, page, screenshot
from tests.console.conftest import ConsoleSite
from tests.console.test_console_browser import sign_in

pytestmark = [pytest.mark.browser, needs_chromium]
__all__ = ["browser", "page"]  # fixtures


async def test_sync_now_shows_the_run_it_started(page: Page, quarantined_site: ConsoleSite) -> None:
    site = quarantined_site
    await sign_in(page, site, site.admin_key)
    await page.get_by_role("link", name="Sync", exact=True).click()
    await expect(page.get_by_role("heading", name="Sync health")).to_be_visible()
    shop = page.get_by_role("region", name="shop")
    await expect(shop.locator("tr[data-run] td[data-count=quarantined]")).to_have_text("2")
    await screenshot(page, "sync-health")
    crm = page.get_by_role("region", name="crm")
    await crm.get_by_label("Mode").select_option("full")
    await crm.get_by_role("button", name="Sync now").click()
    status = page.locator("#job")
    for _ in range(50):  # the run goes on in the background: reload as an operator would
        if "succeeded" in await status.inner_text():
            break
        await page.wait_for_timeout(200)
        await page.reload()
    await expect(status).to_contain_text("The sync of crm succeeded")
    current = crm.locator("tr.current")
    await expect(current.locator("td[data-count=unchanged]")).to_have_text("3")
    await screenshot(page, "sync-now-succeeded")


async def test_a_replay_by_keyboard_shows_its_counts(
    page: Page, quarantined_site: ConsoleSite
) -> None:
    site = quarantined_site
    await sign_in(page, site, site.admin_key)
    await page.goto(f"{site.console}/sync")
    await page.get_by_role("region", name="shop").get_by_role("link", name="Quarantine").click()
    rows = page.locator("table.quarantine tbody tr")
    await expect(rows).to_have_count(2)
    marc = rows.filter(has_text="Marc")
    whole = marc.locator("details pre")
    await expect(whole).to_be_hidden()
    await marc.locator("summary").click()
    await expect(whole).to_be_visible()
    await expect(whole).to_contain_text('"Note": "<b>VIP</b> & très fidèle')  # text, not markup
    await expect(marc.locator("b")).to_have_count(0)
    await screenshot(page, "quarantine-payload")
    replay = page.get_by_role("button", name="Replay the open payloads of shop")
    await replay.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_contain_text(
        "Replay of shop: 1 read and stored, 1 still failing"
    )
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text("Inès")
    await screenshot(page, "quarantine-replayed")
    await page.get_by_role("link", name="Audit log").click()
    entry = page.locator("table.audit tbody tr").first
    await expect(entry).to_contain_text("sync.replay_quarantine")
    await expect(entry).to_contain_text("connector:shop")
    await screenshot(page, "audit-log")


async def test_the_sync_page_in_french(page: Page, quarantined_site: ConsoleSite) -> None:
    site = quarantined_site
    await sign_in(page, site, site.admin_key)
    await page.goto(f"{site.console}/sync?lang=fr")
    await expect(page.get_by_role("heading", name="État des synchronisations")).to_be_visible()
    crm = page.get_by_role("region", name="crm")
    await expect(crm.get_by_role("button", name="Synchroniser")).to_be_visible()
    await expect(crm.locator("table.runs thead")).to_contain_text("Inchangés")
    await page.goto(f"{site.console}/sync/quarantine?connector=shop")
    replay = page.get_by_role("button", name="Relire les données en attente de shop")
    await expect(replay).to_be_visible()
    await screenshot(page, "quarantine-fr")


async def test_an_agent_sees_no_sync_link_and_a_clear_refusal(
    page: Page, quarantined_site: ConsoleSite
) -> None:
    site = quarantined_site
    await sign_in(page, site, await new_key(site.hub, Role.AGENT, name="support-desk"))
    await expect(page.get_by_role("heading", name="Find a customer")).to_be_visible()
    await expect(page.get_by_role("link", name="Sync", exact=True)).to_have_count(0)
    await page.goto(f"{site.console}/sync")
    await expect(page.get_by_role("alert")).to_contain_text("does not allow this page")
    await screenshot(page, "sync-not-allowed")
