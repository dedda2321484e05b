"""At phone width (390 px) the board shows each order's status and branch, and the top
bar stays one line."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from agency.models import Role
from orders.models import OrderStatus
from tests.browser.steps import click_and_wait
from tests.factories import PASSWORD, BranchFactory, OrderFactory

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _inside_the_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_the_board_and_top_bar_fit_a_phone(page, world):
    world.a.agency.default_language = "en"
    world.a.agency.name = "Sunrise Home Care Services"
    world.a.agency.save()
    branch = BranchFactory(agency=world.a.agency, name="Pudong Lujiazui branch")
    OrderFactory(
        agency=world.a.agency,
        branch=branch,
        status=OrderStatus.ASSIGNED,
        starts_at=datetime(2026, 12, 3, 1, tzinfo=UTC),
        ends_at=datetime(2026, 12, 3, 4, tzinfo=UTC),
    )
    user = world.a.user(Role.DISPATCHER)
    user.first_name, user.last_name = "Margaret", "Livingstone"
    user.save()

    page.set_viewport_size(PHONE)
    # The server's first request imports the whole URLconf (charts, PDFs): slow when
    # the machine is busy, so it gets longer than the page default.
    page.goto("/accounts/login/", timeout=120_000)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="Log in"))
    page.goto("/orders/?day=2026-12-03")

    row = page.locator("table tbody tr").first
    expect(row).to_be_visible()
    assert _inside_the_screen(row.get_by_text("Assigned"))
    assert _inside_the_screen(row.get_by_text("Pudong Lujiazui branch"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    topbar = page.locator("header.topbar")
    one_line = topbar.bounding_box()
    assert one_line is not None and one_line["height"] <= 56
    for part in (page.get_by_label("Language"), page.locator(".user-menu summary")):
        assert _inside_the_screen(part)
