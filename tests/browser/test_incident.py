"""On the phone, in Chinese: a staff member reports damage from the job page with a note;
the supervisor records the damage, opens the complaint and proposes a compensation above
the agency's approval limit, and the manager approves it on the complaint's page."""

import pytest
from playwright.sync_api import expect

from agency.models import Role
from complaints.models import Compensation, CompensationStatus, Incident
from orders.models import AssignmentStatus
from tests.browser.steps import click_and_wait, office_log_in
from tests.factories import AssignmentFactory, OrderFactory, StaffMemberFactory

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_damage_reported_on_the_phone_reaches_a_compensation_the_manager_approves(new_page, world):
    agency = world.a.agency
    agency.default_language = "zh-hans"
    agency.save()
    staff_user = world.a.user(Role.STAFF)
    staff = StaffMemberFactory(agency=agency, home_branch=world.a.branch, user=staff_user)
    order = OrderFactory(agency=agency, branch=world.a.branch)
    job = AssignmentFactory(
        agency=agency, order=order, staff=staff, status=AssignmentStatus.CONFIRMED
    )

    phone = new_page("zh-CN", viewport=PHONE)
    phone.goto("/accounts/login/", timeout=120_000)  # the first request imports every view
    office_log_in(phone, staff_user)
    phone.goto(f"/my/jobs/{job.pk}/")
    click_and_wait(phone, phone.get_by_role("link", name="上报事故"))
    phone.get_by_label("损坏客户财物").check()
    phone.get_by_label("备注").fill("擦书架时碰倒了花瓶，瓶口有缺口")

    # The connection drops as the first report's answer comes back: the server took it,
    # the phone never heard. The page keeps the report and sends it again by itself.
    dropped = []

    def drop_the_first_answer(route):
        if route.request.method == "POST" and not dropped:
            route.fetch(max_redirects=0)
            dropped.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    phone.route("**/incident/", drop_the_first_answer)
    with phone.expect_navigation(wait_until="load", timeout=30_000):
        phone.get_by_role("button", name="发送报告").click()
        expect(phone.get_by_text("网络不通")).to_be_visible()
    expect(phone.get_by_text("已通知您的主管和经理")).to_be_visible()
    assert dropped and Incident.objects.count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    incident = Incident.objects.get()
    office = new_page("zh-CN")
    office_log_in(office, world.a.user(Role.SUPERVISOR))
    office.goto("/incidents/")
    click_and_wait(office, office.get_by_role("link", name=incident.number))
    expect(office.locator(".incident-note")).to_contain_text("擦书架时碰倒了花瓶")
    expect(office.get_by_role("heading", level=1)).to_contain_text("损坏客户财物")
    office.get_by_label("损坏物品").fill("青花瓷花瓶")
    office.get_by_label("估计金额").fill("800")
    click_and_wait(office, office.get_by_role("button", name="记录损坏情况"))
    click_and_wait(office, office.get_by_role("button", name="创建投诉"))
    click_and_wait(office, office.get_by_role("link", name=Incident.objects.get().complaint.number))

    # On the complaint: 800 is above the agency's limit (500), so the supervisor proposes
    # and only a manager approves.
    office.get_by_text("提出赔偿").click()
    office.get_by_label("损坏物品").fill("青花瓷花瓶")
    office.get_by_label("商定金额").fill("800")
    office.get_by_label("支付方").select_option(label="家政公司")
    click_and_wait(office, office.get_by_role("button", name="提出", exact=True))
    compensation = Compensation.objects.get()
    assert compensation.status == CompensationStatus.PROPOSED

    manager = new_page("zh-CN")
    office_log_in(manager, world.a.user(Role.MANAGER))
    manager.goto(office.url)
    manager.get_by_label("决定").select_option(label="批准")
    click_and_wait(manager, manager.get_by_role("button", name="审批"))
    compensation.refresh_from_db()
    assert compensation.status == CompensationStatus.APPROVED
    assert compensation.decided_by == world.a.user(Role.MANAGER)
