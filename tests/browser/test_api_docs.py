"""The API docs show without internet, from our own static files."""

import pytest
from playwright.sync_api import expect

from agency.models import Role
from tests.browser.steps import click_and_wait
from tests.factories import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_show_offline_under_the_content_security_policy(page, live_server, world):
    elsewhere = []

    def offline(route):
        # Anything not from the app itself is what a machine without internet cannot load.
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(world.a.user(Role.DISPATCHER).username)
    page.get_by_label("Password").fill(PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="Log in"))

    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Hearth API")
    expect(page.locator(".opblock-tag").first).to_be_visible()
    assert elsewhere == []
