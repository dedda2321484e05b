"""Finance approves November's pay in Chinese; the staff member reads their statement on a
phone-sized page (issue 21)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from agency.audit import Actor
from agency.models import Role
from payroll.compute import period_compute
from payroll.models import PayStatement, StatementStatus
from tests.browser.steps import click_and_wait, office_log_in
from tests.factories import PayPeriodFactory, PayRateFactory, StaffMemberFactory, served_job

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_finance_approves_a_period_and_the_staff_member_reads_it_on_the_phone(new_page, world):
    agency = world.a.agency
    agency.default_language = "zh-hans"
    agency.save(update_fields=["default_language"])
    user = world.a.user(Role.STAFF)
    staff = StaffMemberFactory(agency=agency, user=user, staff_number=7, name="王秀英")
    job = served_job(staff, starts_at=datetime(2026, 11, 3, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    PayRateFactory(agency=agency, service_type=job.order.service_type, amount=Decimal("150"))
    period = PayPeriodFactory(agency=agency)
    period_compute(period=period, actor=Actor(user=world.a.user(Role.FINANCE)))

    office = new_page("zh-CN")
    office_log_in(office, world.a.user(Role.FINANCE))
    office.goto(f"/payroll/periods/{period.pk}/", timeout=120_000)
    expect(office.get_by_text("王秀英")).to_be_visible()
    click_and_wait(office, office.get_by_role("button", name="审批全部草稿"))
    expect(office.locator(".message-success").first).to_contain_text("已审批工资单：1 份")
    statement = PayStatement.objects.get(period=period, staff=staff)
    assert statement.status == StatementStatus.APPROVED

    phone = new_page("zh-CN")
    phone.set_viewport_size(PHONE)
    office_log_in(phone, user)
    phone.goto("/my/pay/")
    expect(phone.get_by_role("heading", name="我的工资")).to_be_visible()
    click_and_wait(phone, phone.locator(".pay-statements a").first)
    expect(phone.locator(".pay-summary")).to_contain_text("0007")
    expect(phone.locator(".pay-lines")).to_contain_text(job.order.number)
    expect(phone.locator(".pay-summary")).to_contain_text("150.00")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
