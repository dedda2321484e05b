"""Headless Chromium (Debian's package) driven by Playwright; never `playwright install`."""

import os

import pytest
from django.urls import get_resolver
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
    # The first request imports every view (WeasyPrint, matplotlib): seconds on a loaded
    # machine, which must not count against the first page's timeout.
    get_resolver().resolve("/")
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
def new_page(browser, live_server):
    """`new_page(locale)`: a page in a fresh browser context (a person of their own).

    Every page runs under the enforced Content-Security-Policy; whatever the
    browser refuses under it (an inline script, style or handler) it reports
    on the console, and the test fails at the end.
    """
    contexts, violations = [], []

    def _new_page(locale: str = "en-GB", **options):
        context = browser.new_context(base_url=live_server.url, locale=locale, **options)
        context.on(
            "console",
            lambda message: (
                message.type == "error"
                and "Content Security Policy" in message.text
                and violations.append(f"{message.location.get('url')}: {message.text}")
            ),
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield _new_page
    for context in contexts:
        context.close()
    assert violations == [], "The Content-Security-Policy refused:\n" + "\n".join(violations)


@pytest.fixture
def page(new_page):
    return new_page()
