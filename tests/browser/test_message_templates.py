"""A manager rewords a staff message in Chinese, watches the preview on a real order, saves,
and the next assignment's text carries the new words."""

from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from agency.audit import Actor
from agency.models import OutboundMessage, Role
from orders.models import OrderStatus
from orders.staffing.services import VIA_PHONE, assignment_confirm, assignment_propose
from tests.browser.steps import click_and_wait
from tests.factories import PASSWORD, OrderFactory
from tests.orders.test_matching import make_staff

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_rewords_the_assignment_text_in_chinese_and_the_next_one_uses_it(new_page, world):
    agency = world.a.agency
    agency.default_language = "zh-hans"
    agency.save()
    # Nine in the morning three days on, whatever the hour the suite runs: an order near
    # midnight would cross into the next day, which only a live-in worker may take.
    starts = datetime.combine(agency.today() + timedelta(days=3), time(9), tzinfo=agency.zone)
    order = OrderFactory(
        agency=agency,
        number="2026-00777",
        status=OrderStatus.CONFIRMED,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
    )
    staff = make_staff(order, name="张阿姨", notify_by_sms=True)
    dispatcher = Actor(user=world.a.user(Role.DISPATCHER))
    assignment_propose(order=order, staff_list=[staff], actor=dispatcher)

    page = new_page("zh-CN")
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(world.a.user(Role.MANAGER).username)
    page.get_by_label("密码").fill(PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="登录"))

    click_and_wait(page, page.get_by_role("link", name="消息模板", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("消息模板")
    row = page.locator('tr[data-rule="job.assigned:staff"]')
    expect(row).to_contain_text("默认")
    click_and_wait(page, row.get_by_role("link").first)

    preview = page.locator("#template-preview")
    # The preview is of the latest real order: its number and its staff member.
    expect(preview).to_contain_text("按订单 2026-00777 预览")
    expect(preview.locator("[data-sms]")).to_contain_text(
        "【Alpha 家政】张阿姨您好，工单 2026-00777"
    )

    body = page.get_by_label("内容")
    body.fill(
        "{{ staff_name }}您好，{{ job_date }} {{ job_time }} 有工单 {{ order_number }}，请准时到达"
    )
    body.press("End")
    page.get_by_role("button", name="job_district").click()  # a chip inserts {{ job_district }}
    expect(body).to_have_value(
        "{{ staff_name }}您好，{{ job_date }} {{ job_time }} 有工单 {{ order_number }}，"
        "请准时到达{{ job_district }}"
    )
    sms = preview.locator("[data-sms]")
    expect(sms).to_contain_text("【Alpha 家政】张阿姨您好，")
    expect(sms).to_contain_text("有工单 2026-00777，请准时到达朝阳区")
    expect(preview.locator("[data-count]").first).to_contain_text("字，共 1 条短信")

    click_and_wait(page, page.get_by_role("button", name="保存文字"))
    expect(page.locator(".message-success")).to_contain_text("已保存")
    page.goto("/messages/templates/")
    expect(page.locator('tr[data-rule="job.assigned:staff"]')).to_contain_text("本公司文字")

    # The next assignment's text uses the new words: the customer agrees on the phone.
    assignment_confirm(order=order, via=VIA_PHONE, actor=dispatcher, signed_name="王芳")
    message = OutboundMessage.objects.get(rule="job.assigned:staff")
    assert message.body.startswith("【Alpha 家政】张阿姨您好，")
    assert message.body.endswith("有工单 2026-00777，请准时到达朝阳区")
