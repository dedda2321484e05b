"""Customers and staff as recipients: the channel they chose and what can reach them."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from messaging.rules import Via
from orders.messages import customer_reachable, customer_recipient, job_context, textable
from staff.messages import staff_recipient
from tests.factories import CustomerFactory, OrderFactory, StaffMemberFactory


@pytest.mark.parametrize(
    ("phone", "mobile"),
    [("13800138000", True), ("+8613800138000", True), ("02164381234", False), ("", False)],
)
def test_only_a_mobile_number_takes_a_text(phone, mobile):
    assert textable(phone) is mobile


@pytest.mark.django_db
def test_a_customer_on_a_landline_is_texted_on_their_second_phone_or_not_at_all(world):
    agency = world.a.agency
    landline = CustomerFactory(agency=agency, phone="02164381234", phone_alt="13912345678")
    assert customer_recipient(landline).phone == "13912345678"
    unreachable = CustomerFactory(agency=agency, phone="02164381235", phone_alt="", email="")
    assert not customer_reachable(unreachable)
    unreachable.email = "li@example.com"
    assert customer_reachable(unreachable)


@pytest.mark.django_db
def test_a_customer_recipient_carries_their_choices(world):
    customer = CustomerFactory(
        agency=world.a.agency,
        phone="13800138000",
        preferred_language="en",
        message_channel="email",
        email="wang@example.com",
        quiet_from=time(22),
        quiet_until=time(7),
        promotions_opt_out=True,
    )
    person = customer_recipient(customer)
    assert person.via == (Via.EMAIL,)
    assert person.language == "en"
    assert person.quiet is not None and person.quiet.start == time(22)
    assert person.promotions is False
    assert person.topics == (f"customer:{customer.pk}",)


@pytest.mark.django_db
def test_staff_choose_sms_in_app_or_both(world):
    staff = StaffMemberFactory(agency=world.a.agency, notify_by_sms=False, notify_in_app=True)
    assert staff_recipient(staff).via == (Via.IN_APP,)
    staff.notify_by_sms = True
    assert staff_recipient(staff).via == (Via.SMS, Via.IN_APP)


@pytest.mark.django_db
def test_a_jobs_variables_read_in_each_language_and_hold_no_address_or_phone(world):
    shanghai = ZoneInfo("Asia/Shanghai")
    order = OrderFactory(
        agency=world.a.agency,
        starts_at=datetime(2026, 12, 10, 9, 0, tzinfo=shanghai),
        ends_at=datetime(2026, 12, 10, 12, 0, tzinfo=shanghai),
    )
    values = job_context(order)
    chinese, english = values("zh-hans"), values("en")
    assert chinese["job_time"] == english["job_time"] == "09:00–12:00"
    assert "12月10日" in chinese["job_date"]
    assert "December 10" in english["job_date"] or "10 December" in english["job_date"]
    for value in chinese.values():
        assert order.customer.phone not in value
        if order.needs_form:
            assert order.needs_form.address.detail not in value
