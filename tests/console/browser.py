"""Playwright driving the system's Chromium (Debian's package): Playwright's own browser
downloads are not used. Screenshots go to test-artifacts/console/ to be looked at."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Locator, Page, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"
LAPTOP = {"width": 1366, "height": 768}

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent: apt-get install chromium (CI does)"
)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport=LAPTOP, locale="en-GB")
    try:
        opened = await context.new_page()
        yield opened
    finally:
        await context.close()


async def screenshot(page: Page, name: str, part: Locator | None = None) -> Path:
    """A full-page screenshot (or of ``part`` of the page) in test-artifacts/console/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if part is None:
        await page.screenshot(path=str(path), full_page=True)
    else:
        await part.screenshot(path=str(path))
    return path
