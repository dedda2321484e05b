"""Headless Chromium (Debian's package) driven by Playwright; never `playwright install`."""

import os

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.orders.conftest import cleaning  # noqa: F401 - the booking test's service

CHROMIUM = "/usr/bin/chromium"
# A loaded CI machine can take more than the default 5 s to reload a page.
expect.set_options(timeout=15_000)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API keeps an event loop running on this thread, which
    # Django takes for async code; the ORM calls the tests make are synchronous.
    # Module scope keeps that exemption to the browser tests.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
