"""Browser tests: the demo app (bot + built-in WeCom simulator + sandbox) served in-process on a
free port with a fresh, seeded SQLite database, driven by Debian's Chromium through Playwright.

No browser is ever downloaded: without /usr/bin/chromium the tests skip, or fail with a clear
message when ``SALESBOT_REQUIRE_BROWSER=1`` (``make test`` sets it).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.devtools.demo.mode import Demo
from tests.support.databases import SqliteTemplate
from tests.support.demo import demo_test_config, running_demo
from tests.support.harness import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 740}
SCREENSHOTS = ROOT / "test-output" / "browser"


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = (
        f"Debian's Chromium is missing ({CHROMIUM}): install it with `make system-deps` "
        "(apt-get install chromium); the browser tests never download a browser"
    )
    if os.environ.get("SALESBOT_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class RunningDemo:
    demo: Demo
    url: str  # the sandbox page


@pytest.fixture
async def demo(tmp_path: Path, sqlite_template: SqliteTemplate) -> AsyncIterator[RunningDemo]:
    require_chromium()
    async with running_demo(demo_test_config(sqlite_template.new(tmp_path), tmp_path)) as app:
        yield RunningDemo(app, app.sandbox_url)


async def launch(pw, *extra_args: str):  # type: ignore[no-untyped-def]
    return await pw.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, *extra_args]
    )


@pytest.fixture
async def playwright() -> AsyncIterator[object]:
    require_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        yield pw


@pytest.fixture
async def browser(playwright) -> AsyncIterator[object]:  # type: ignore[no-untyped-def]
    chromium = await launch(playwright)
    yield chromium
    await chromium.close()


@asynccontextmanager
async def phone_page(browser, **options: object) -> AsyncIterator[object]:  # type: ignore[no-untyped-def]
    """A 375 px wide page; any script error on it fails the test."""
    context = await browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        is_mobile=True,
        has_touch=True,
        **options,
    )
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        await context.close()
    assert not errors, f"the page raised: {errors}"


@pytest.fixture
async def page(browser, demo: RunningDemo) -> AsyncIterator[object]:  # type: ignore[no-untyped-def]
    async with phone_page(browser) as page:
        yield page


async def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """The phone screen as the user sees it now, plus the whole conversation in one image."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.locator("#chat").evaluate("c => { c.scrollTop = c.scrollHeight; }")
    await page.screenshot(path=str(path))
    height = await page.evaluate(
        "() => document.body.scrollHeight - document.getElementById('chat').clientHeight"
        " + document.getElementById('chat').scrollHeight"
    )
    await page.set_viewport_size({"width": PHONE["width"], "height": int(height)})
    await page.screenshot(path=str(SCREENSHOTS / f"{name}-full.png"))
    await page.set_viewport_size(PHONE)
    return path
