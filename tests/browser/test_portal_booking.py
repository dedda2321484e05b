"""A customer on a phone, in Chinese, books a cleaning with a photo from the portal and sees it
waiting; a dispatcher then finds the request on the intake page (issue 18)."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from agency.models import Role
from tests.browser.steps import click_and_wait, office_log_in, portal_sign_in
from tests.browser.test_portal import PHONE_SCREEN
from tests.factories import CustomerFactory, DistrictFactory, ServiceTypeFactory
from tests.uploads import png_bytes

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_books_a_cleaning_with_a_photo_and_the_dispatcher_sees_it(
    new_page, world, sms_outbox
):
    agency = world.a.agency
    agency.default_language = "zh-hans"
    agency.save()
    DistrictFactory(agency=agency, name="朝阳区")
    cleaning = ServiceTypeFactory(agency=agency, name_zh="家庭保洁")
    CustomerFactory(agency=agency, name="王芳", phone="13912345678")

    phone = new_page(locale="zh-CN", viewport=PHONE_SCREEN)
    portal_sign_in(phone, agency_slug=agency.slug, phone="13912345678", sms_outbox=sms_outbox)
    click_and_wait(phone, phone.get_by_role("link", name="预约服务"))
    expect(phone.get_by_role("heading", name="预约服务")).to_be_visible()
    phone.locator("#id_service_type").select_option(str(cleaning.pk))
    day = agency.today() + timedelta(days=2)
    phone.get_by_label("最早可以的日期").fill(day.isoformat())
    phone.locator("#id_time_start").fill("09:00")
    phone.locator("#id_time_end").fill("12:00")
    phone.locator("#id_district").select_option("朝阳区")
    phone.get_by_label("新地址的详细地址").fill("建国路 88 号 501")
    phone.get_by_label("宠物").fill("一只猫")
    phone.locator("#id_photos").set_input_files(
        [{"name": "kitchen.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    # One column on the phone: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    click_and_wait(phone, phone.get_by_role("button", name="提交预约申请"))

    expect(phone.get_by_role("heading", name="我的预约申请")).to_be_visible()
    expect(phone.get_by_text("等待中：我们会来电报价")).to_be_visible()

    office = new_page("zh-CN")
    office_log_in(office, world.a.user(Role.DISPATCHER))
    office.goto("/orders/new/")
    expect(office.locator(".booking-requests-waiting")).to_contain_text("王芳")
    expect(office.locator(".booking-requests-waiting")).to_contain_text("朝阳区")
