"""The shell in a real browser: log in, switch language and agency, phone width."""

import pytest
from playwright.sync_api import expect

from agency.models import Role
from tests.browser.steps import click_and_wait
from tests.factories import PASSWORD, MembershipFactory

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _english_agency(world):
    world.a.agency.default_language = "en"
    world.a.agency.save()


def _log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="Log in"))


def test_a_dispatcher_logs_in_switches_language_and_agency(page, world):
    dispatcher = world.a.user(Role.DISPATCHER)
    MembershipFactory(agency=world.b.agency, user=dispatcher, role=Role.DISPATCHER)

    _log_in(page, dispatcher.username)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(world.a.agency.name)
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Home")
    ).to_be_visible()

    with page.expect_navigation(wait_until="load"):
        page.get_by_label("Language").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="首页")
    ).to_be_visible()

    page.get_by_label("家政公司").select_option(str(world.b.agency.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text(world.b.agency.name)
    # The language is the user's own choice, so it stays Chinese in the other agency.
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_field_staff_get_a_usable_shell_at_phone_width(page, world):
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, world.a.user(Role.STAFF).username)
    sidebar = page.locator("#sidebar")
    expect(sidebar).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(sidebar).to_be_visible()
    # Field staff see their own area, not the office's.
    expect(sidebar.get_by_text("My jobs")).to_be_visible()
    expect(sidebar.get_by_text("Audit log")).to_have_count(0)
    no_horizontal_scroll = page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
    )
    assert no_horizontal_scroll


def test_question_mark_shows_the_keyboard_shortcuts(page, world):
    _log_in(page, world.a.user(Role.MANAGER).username)
    page.goto("/branches/")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        f"{page.url.split('/branches/')[0]}/branches/{world.a.branch.pk}/edit/"
    )
