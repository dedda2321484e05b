"""A customer on a phone, in Chinese: signs in to the portal with the texted code and sees
their orders (issue 18)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agency.notifications import deliver_due
from orders.models import OrderStatus
from tests.browser.steps import click_and_wait
from tests.factories import CustomerFactory, OrderFactory

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SCREEN = {"width": 390, "height": 844}


def test_a_customer_signs_in_with_the_texted_code_and_sees_their_orders(
    new_page, world, sms_outbox
):
    agency = world.a.agency
    agency.default_language = "zh-hans"
    agency.save()
    customer = CustomerFactory(agency=agency, name="王芳", phone="13912345678")
    OrderFactory(
        agency=agency,
        number="2026-00777",
        needs_form__customer=customer,
        needs_form__service_type__name_zh="家庭保洁",
        status=OrderStatus.ASSIGNED,
        starts_at=timezone.now() + timedelta(days=2),
    )
    OrderFactory(
        agency=agency,
        number="2026-00555",
        needs_form__customer=customer,
        status=OrderStatus.PAID,
        starts_at=timezone.now() - timedelta(days=20),
    )
    page = new_page(locale="zh-CN", viewport=PHONE_SCREEN)
    # The first request imports the whole URLconf: slow on a busy machine.
    page.goto(f"/c/{agency.slug}/", timeout=120_000)
    expect(page.get_by_role("heading", name="手机号登录")).to_be_visible()

    page.get_by_label("您的手机号码").fill("139 1234 5678")
    click_and_wait(page, page.get_by_role("button", name="发送验证码"))
    expect(page.get_by_text("如果该号码已在我们这里登记")).to_be_visible()

    deliver_due()
    [(to, text)] = sms_outbox
    assert to == "13912345678" and "登录验证码" in text
    code = re.search(r"\b(\d{6})\b", text).group(1)
    page.get_by_label("短信中的验证码").fill(code)
    click_and_wait(page, page.get_by_role("button", name="登录"))

    expect(page.get_by_role("heading", name="王芳，您好")).to_be_visible()
    expect(page.get_by_text("2026-00777")).to_be_visible()
    expect(page.get_by_text("已预约：已安排服务人员")).to_be_visible()
    expect(page.get_by_text("2026-00555")).to_be_visible()
    expect(page.get_by_text("已完成并已付款")).to_be_visible()
    # One column on the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    click_and_wait(page, page.get_by_text("2026-00777"))
    expect(page.get_by_role("heading", name="家庭保洁")).to_be_visible()
