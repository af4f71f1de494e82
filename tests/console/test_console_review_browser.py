"""The review queue and split with undo in a real browser: a merge from the queue, a split of
the merged profile and its undo, and the decision form with the keyboard alone. Screenshots
land in test-artifacts/console/."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Locator, Page, expect

from hub.access import Role
from hub.store.models import ReviewItemRow
from tests.conftest import new_key
from tests.console.browser import browser, needs_chromium, page, screenshot
from tests.console.conftest import ConsoleSite
from tests.console.test_console_browser import sign_in

pytestmark = [pytest.mark.browser, needs_chromium]
__all__ = ["browser", "page"]  # fixtures


async def sign_in_as_agent(page: Page, site: ConsoleSite) -> None:
    await sign_in(page, site, await new_key(site.hub, Role.AGENT, name="support-desk"))


def records_of(page: Page) -> Locator:
    """The rows of the 360 page's source records table."""
    return page.locator("section[aria-labelledby=records-title] tbody tr")


async def open_item_of(page: Page, person: str) -> str:
    """Open the queued pair about ``person`` from the queue page; its item id."""
    row = page.locator("table.queue tbody tr").filter(has_text=person)
    await row.get_by_role("link").click()
    await expect(page.get_by_role("heading", name=re.compile(person))).to_be_visible()
    found = re.search(r"/review/(\d+)$", page.url)
    assert found, page.url
    return found.group(1)


async def status_of(site: ConsoleSite, item: str) -> str:
    async with site.hub.sessions() as session:
        row = await session.get(ReviewItemRow, int(item))
    assert row is not None
    return row.status


async def test_a_merge_from_the_queue_then_a_split_with_undo(
    page: Page, review_site: ConsoleSite
) -> None:
    await sign_in_as_agent(page, review_site)
    await page.get_by_role("link", name="Review", exact=True).click()  # the header's link
    await expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    await expect(page.locator("table.queue tbody tr")).to_have_count(3)
    await screenshot(page, "review-queue")
    item = await open_item_of(page, "Claire Petit")
    evidence = page.locator("table.evidence")
    await expect(evidence.locator("tr[data-field=email]")).to_contain_text("different")
    await screenshot(page, "review-item")

    await page.get_by_label("Reason (required)").fill("same phone but one digit")
    await page.get_by_role("button", name="Merge", exact=True).click()
    notice = page.get_by_role("status")
    await expect(notice).to_contain_text("the two profiles are now one")
    assert await status_of(review_site, item) == "merged"
    await notice.get_by_role("link", name="Open the profile").click()
    await expect(page.get_by_role("heading", name="Claire Petit")).to_be_visible()
    await expect(records_of(page)).to_have_count(2)  # crm:C1 and atelier:D1, one profile
    merged = await review_site.profile_id("claire.petit@example.fr")
    assert merged == await review_site.profile_id("c.petit@example.org")
    decision = page.locator("#timeline li.entry-decision")
    await expect(decision).to_contain_text("same phone but one digit")

    identity = page.locator("#identity-decisions")
    await identity.get_by_role("checkbox", name=re.compile("atelier")).check()
    await identity.get_by_label("Reason (required)").fill("two Claires after all")
    await identity.get_by_role("button", name="Split", exact=True).click()
    await expect(identity.get_by_role("status")).to_contain_text("now a profile of their own")
    await expect(records_of(page)).to_have_count(1)
    assert await review_site.profile_id("c.petit@example.org") != merged
    await screenshot(page, "split-notice")

    await identity.get_by_label("Reason to undo (required)").fill("one Claire: same phone")
    await identity.get_by_role("button", name="Undo", exact=True).click()
    await expect(page.get_by_role("status")).to_contain_text("the profile has its records back")
    await expect(records_of(page)).to_have_count(2)
    assert await review_site.profile_id("c.petit@example.org") == merged
    await expect(page.locator("#timeline")).to_contain_text("one Claire: same phone")
    await screenshot(page, "split-undone")


async def focus_by_tab(page: Page, target: Locator, presses: int = 40) -> None:
    """Press Tab until ``target`` has the focus (fails if it never does)."""
    for _ in range(presses):
        await page.keyboard.press("Tab")
        if await target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {target}")


async def test_the_decision_form_works_with_the_keyboard_alone(
    page: Page, review_site: ConsoleSite
) -> None:
    await sign_in_as_agent(page, review_site)
    await page.goto(f"{review_site.console}/review")
    item = await open_item_of(page, "Marc Lefèvre")
    reason = page.get_by_label("Reason (required)")
    keep_apart = page.get_by_role("button", name="Keep apart")
    # Enter on a button with no reason typed: the error is said and nothing is decided.
    await focus_by_tab(page, keep_apart)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("alert")).to_contain_text("Give a reason")
    await expect(reason).to_have_attribute("aria-invalid", "true")
    assert await status_of(review_site, item) == "open"
    await screenshot(page, "review-reason-required")

    await focus_by_tab(page, reason)
    await page.keyboard.type("father and son, two addresses")
    await focus_by_tab(page, keep_apart, presses=3)  # the buttons follow the reason
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_contain_text("Kept apart")
    assert await status_of(review_site, item) == "kept_apart"
    assert not page.url.startswith(f"{review_site.console}/review/{item}?")  # the next item
