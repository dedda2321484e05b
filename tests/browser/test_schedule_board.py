"""The schedule board in a real browser, in Chinese: a job dragged onto a lane is proposed;
onto someone without the skill it is refused in place; the keyboard assigns through the
ranked candidates; two dispatchers dropping on one slot — one wins, the other sees why."""

import pytest
from playwright.sync_api import expect

from agency.models import Role
from orders.models import Assignment, Order
from orders.staffing.services import assignment_propose
from tests.browser.steps import click_and_wait
from tests.factories import PASSWORD, StaffMemberFactory
from tests.orders.conftest import book, dispatcher  # noqa: F401 - fixtures
from tests.orders.test_matching import confirm, make_staff, require_skill_and_certificate

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def order(world, book, cleaning, dispatcher):  # noqa: F811 - the fixtures imported above
    """A confirmed cleaning order three days on, 09:00–12:00 (well away from midnight)."""
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    require_skill_and_certificate(cleaning)
    return confirm(book(), dispatcher)


def board_of(new_page, world, order: Order):
    page = new_page("zh-CN", viewport={"width": 1400, "height": 900})
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(world.a.user(Role.DISPATCHER).username)
    page.get_by_label("密码").fill(PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="登录"))
    day = order.starts_at.astimezone(order.agency.zone).date()
    page.goto(f"/schedule/?day={day.isoformat()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("排班")
    return page


def job_card(page, order: Order):
    return page.locator(f".needing-job[data-order='{order.pk}']")


def test_a_job_dragged_onto_a_lane_is_proposed(new_page, world, order):
    member = make_staff(order, name="赵阿姨")
    page = board_of(new_page, world, order)

    job_card(page, order).drag_to(page.locator(f"#lane-{member.pk} .track"))

    expect(page.locator("#schedule-notice")).to_contain_text("推荐 赵阿姨")
    expect(page.locator(f"#lane-{member.pk} .block")).to_have_count(1)
    expect(page.locator(f"#lane-{member.pk} .block")).to_contain_text("待客户确认")
    expect(job_card(page, order)).to_have_count(0)
    assert Assignment.objects.get(order=order).staff_id == member.pk


def test_a_job_dropped_on_someone_without_the_skill_is_refused_in_place(new_page, world, order):
    unskilled = StaffMemberFactory(agency=order.agency, home_branch=order.branch, name="钱阿姨")
    page = board_of(new_page, world, order)

    job_card(page, order).drag_to(page.locator(f"#lane-{unskilled.pk} .track"))

    notice = page.locator(f"#lane-{unskilled.pk}-notice")
    expect(notice).to_contain_text("缺少所需技能")
    expect(notice.get_by_role("alert")).to_be_visible()
    expect(page.locator(f"#lane-{unskilled.pk} .block")).to_have_count(0)
    expect(job_card(page, order)).to_have_count(1)
    assert not Assignment.objects.filter(order=order).exists()


def test_a_job_is_assigned_from_the_keyboard(new_page, world, order):
    member = make_staff(order, name="孙阿姨")
    page = board_of(new_page, world, order)

    job_card(page, order).get_by_role("button").focus()
    page.keyboard.press("Enter")
    pick = page.get_by_role("button", name="推荐 孙阿姨")
    expect(pick).to_be_visible()
    pick.focus()
    page.keyboard.press("Enter")

    expect(page.locator("#schedule-notice")).to_contain_text("推荐 孙阿姨")
    expect(page.locator(f"#lane-{member.pk} .block")).to_have_count(1)
    assert Assignment.objects.get(order=order).staff_id == member.pk


@pytest.fixture
def rival(order, book, dispatcher):  # noqa: F811 - the fixtures imported above
    """Another customer's job on the same day and hours."""
    return confirm(book(), dispatcher)


def test_two_dispatchers_drop_two_jobs_on_one_slot_and_the_second_sees_why(
    new_page, world, order, rival
):
    member = make_staff(order, name="周阿姨")
    first = board_of(new_page, world, order)
    second = board_of(new_page, world, order)

    job_card(first, order).drag_to(first.locator(f"#lane-{member.pk} .track"))
    expect(first.locator("#schedule-notice")).to_contain_text("推荐 周阿姨")

    # The second board was drawn before: the lane still looks free there.
    job_card(second, rival).drag_to(second.locator(f"#lane-{member.pk} .track"))
    notice = second.locator(f"#lane-{member.pk}-notice")
    expect(notice).to_contain_text("该时段已有安排")
    expect(notice).to_contain_text(order.number)
    assert list(Assignment.objects.values_list("order_id", flat=True)) == [order.pk]


def test_at_phone_width_each_person_is_a_list_of_their_jobs(new_page, world, order, dispatcher):  # noqa: F811
    member = make_staff(order, name="郑阿姨")
    assignment_propose(order=order, staff_list=[member], actor=dispatcher)
    page = board_of(new_page, world, order)
    page.set_viewport_size({"width": 390, "height": 844})

    block = page.locator(f"#lane-{member.pk} .block")
    expect(block).to_contain_text("09:00–12:00")
    expect(block).to_contain_text(order.number)
    box = block.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
