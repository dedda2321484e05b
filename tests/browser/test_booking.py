"""A dispatcher's day in a real browser, in Chinese: a phone booking to a confirmed order."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agency.models import Role
from orders.models import Order, OrderStatus
from tests.browser.steps import click_and_wait
from tests.factories import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_dispatcher_books_in_chinese_and_the_customer_signs_on_a_phone(new_page, world, cleaning):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    office = new_page("zh-CN")
    office.goto("/accounts/login/")
    office.get_by_label("用户名").fill(world.a.user(Role.DISPATCHER).username)
    office.get_by_label("密码").fill(PASSWORD)
    click_and_wait(office, office.get_by_role("button", name="登录"))

    office.goto("/orders/")
    office.keyboard.press("n")  # the page's primary action: a new order
    expect(office.get_by_role("heading", level=1)).to_contain_text("客户需求表")
    office.get_by_label("客户电话").fill("13912345678")
    office.get_by_label("客户姓名").fill("李娜")
    office.get_by_label("区域").fill("海淀区")
    office.get_by_label("详细地址").fill("中关村大街 1 号 1201")
    office.locator("#id_service_type").select_option(str(cleaning.pk))
    office.get_by_label("厨房").check()  # the checklist arrived over HTMX
    day = timezone.localdate() + timedelta(days=4)
    office.get_by_label("开始日期").fill(day.isoformat())
    office.get_by_label("开始时间").fill("09:00")
    office.get_by_label("结束时间").fill("12:00")
    office.get_by_label("过敏信息").fill("对花粉过敏")
    office.get_by_label("宠物").fill("一只猫")
    office.get_by_role("button", name="接单并报价").click()

    expect(office.locator(".special-need").first).to_have_text("对花粉过敏")
    expect(office.get_by_text("150.00 CNY", exact=True)).to_be_visible()
    office.get_by_role("button", name="发送客户签字链接").click()
    link = office.locator("#customer-link").input_value()
    assert re.search(r"/c/[^/]+/$", link)

    phone = new_page("zh-CN", viewport={"width": 390, "height": 844})
    phone.goto(link)
    expect(phone.get_by_text("150.00 CNY")).to_be_visible()
    phone.get_by_label("您的全名").fill("李娜")
    phone.get_by_label("我已阅读并同意以上内容").check()
    phone.get_by_role("button", name="签字并确认").click()
    expect(phone.locator(".message-success")).to_be_visible()

    office.goto(f"/orders/?day={day.isoformat()}")
    row = office.locator("table[data-rows] tbody tr").first
    expect(row).to_contain_text("李娜")
    expect(row.locator(".status-confirmed")).to_have_text("已确认")
    row.click()
    expect(office.locator(".timeline")).to_contain_text("已确认")
    assert Order.objects.get().status == OrderStatus.CONFIRMED
