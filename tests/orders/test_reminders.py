"""The timed messages about tomorrow: the customer's day-before link and the staff's
evening-before list, each from its agency's hour, once."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.test.utils import CaptureQueriesContext

from agency import signed_links
from agency.models import Notification, OutboundMessage, Role
from orders.links import link_path
from orders.models import (
    AssignmentRole,
    AssignmentStatus,
    DayBeforeAnswer,
    DayBeforeCheck,
    OrderEvent,
    OrderStatus,
    ReminderRun,
    SignaturePurpose,
)
from orders.reminders import sweep_day_before, sweep_jobs_tomorrow
from staff.models import StaffMember
from tests.factories import (
    AssignmentFactory,
    CustomerAddressFactory,
    CustomerFactory,
    NeedsFormFactory,
    OrderFactory,
    StaffMemberFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: PINNED_NOW is 2026-12-09 10:00 in Shanghai: tomorrow is the 10th.
TOMORROW = datetime(2026, 12, 10, tzinfo=SHANGHAI).date()
DAY_BEFORE = "order.day_before:customer"
JOBS = "jobs.tomorrow:staff"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def job(tenant, *, starts: datetime, status=OrderStatus.ASSIGNED, staff=None, hours=2):
    customer = CustomerFactory(agency=tenant.agency)
    address = CustomerAddressFactory(
        agency=tenant.agency, customer=customer, district="徐汇区", detail="漕溪北路 18 号 702"
    )
    needs = NeedsFormFactory(agency=tenant.agency, customer=customer, address=address)
    order = OrderFactory(
        agency=tenant.agency,
        branch=tenant.branch,
        needs_form=needs,
        status=status,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
    )
    if staff is not None:
        AssignmentFactory(
            agency=tenant.agency,
            order=order,
            staff=staff,
            role=AssignmentRole.LEAD,
            status=AssignmentStatus.CONFIRMED,
            period=DateTimeTZRange(order.starts_at, order.ends_at),
        )
    return order


def day_before_messages():
    return OutboundMessage.objects.filter(rule=DAY_BEFORE)


def token_in(body: str) -> str:
    match = re.search(re.escape(settings.SITE_URL.rstrip("/")) + r"(\S+)", body)
    assert match, body
    return match.group(1)


# --- the customer's day-before confirmation ----------------------------------------------


@pytest.mark.django_db
def test_day_before_goes_from_the_agencys_hour_once_per_order(world):
    staff = StaffMemberFactory(agency=world.a.agency, name="李阿姨")
    order = job(world.a, starts=at(10, 9), staff=staff)
    with time_machine.travel(at(9, 9, 59), tick=False):
        assert sweep_day_before() == 0
    assert not day_before_messages().exists()
    with time_machine.travel(at(9, 10, 0), tick=False):
        assert sweep_day_before() == 1
        assert sweep_day_before() == 0
    [message] = day_before_messages()
    assert message.recipient == order.customer.phone
    assert message.topics == sorted([f"order:{order.pk}", f"customer:{order.customer_id}"])
    assert "李阿姨" in message.body and "09:00–11:00" in message.body
    assert message.dedupe_key.startswith(f"order:{order.pk}:day_before:")
    assert ReminderRun.objects.filter(agency=world.a.agency, day=TOMORROW).count() == 1
    # A later sweep on the same day, after the run, writes nothing again.
    with time_machine.travel(at(9, 18), tick=False):
        assert sweep_day_before() == 0
    assert day_before_messages().count() == 1


@pytest.mark.django_db
def test_day_before_skips_unsettled_and_other_days_and_leaves_other_agencies(world):
    world.b.agency.day_before_at = time(11, 0)
    world.b.agency.save()
    asked = job(world.a, starts=at(10, 14))
    job(world.a, starts=at(10, 15), status=OrderStatus.CANCELLED)
    job(world.a, starts=at(10, 16), status=OrderStatus.QUOTED)
    job(world.a, starts=at(11, 9))
    other = job(world.b, starts=at(10, 9))
    with time_machine.travel(at(9, 10, 30), tick=False):
        assert sweep_day_before() == 1
    assert [c.order_id for c in DayBeforeCheck.objects.all()] == [asked.pk]
    with time_machine.travel(at(9, 11, 0), tick=False):
        assert sweep_day_before() == 1
    assert set(DayBeforeCheck.objects.values_list("order_id", flat=True)) == {asked.pk, other.pk}


@pytest.mark.django_db
def test_tomorrow_is_the_agencys_tomorrow_near_midnight(world):
    # 23:30 in Shanghai is 15:30 UTC: tomorrow runs from 10th 00:00 to 11th 00:00 local.
    early = job(world.a, starts=at(10, 7))  # 9th 23:00 UTC: still tomorrow locally
    late = job(world.a, starts=at(10, 23))  # 10th 15:00 UTC
    job(world.a, starts=at(11, 0, 30))  # 10th 16:30 UTC: the day after
    job(world.a, starts=at(9, 23, 45))  # later today
    with time_machine.travel(at(9, 23, 30), tick=False):
        assert sweep_day_before() == 2
    assert set(DayBeforeCheck.objects.values_list("order_id", flat=True)) == {early.pk, late.pk}
    # Just after midnight it is a new day: nothing before the agency's hour.
    with time_machine.travel(at(10, 0, 10), tick=False):
        assert sweep_day_before() == 0


# --- the day-before link -----------------------------------------------------------------


@pytest.fixture
def asked(world):
    """Tomorrow's order of agency A, its customer asked; (order, link path)."""
    staff = StaffMemberFactory(agency=world.a.agency, name="李阿姨")
    order = job(world.a, starts=at(10, 9), staff=staff)
    with time_machine.travel(at(9, 10), tick=False):
        sweep_day_before()
    [message] = day_before_messages()
    return order, token_in(message.body)


@pytest.mark.django_db
def test_the_customer_confirms_once_and_the_office_sees_it(client, asked):
    order, path = asked
    page = client.get(path)
    assert page.status_code == 200
    assert order.number in page.content.decode()
    answered = client.post(path, {"decision": "confirm"})
    assert answered.status_code == 200
    check = DayBeforeCheck.objects.get(order=order)
    assert check.answer == DayBeforeAnswer.CONFIRMED and check.answered_at is not None
    # Written in the customer's language (the agency's: Chinese).
    assert OrderEvent.objects.filter(order=order, reason="客户已确认明日服务。").exists()
    again = client.post(path, {"decision": "change", "request_text": "改到下午"})
    assert again.status_code == 409
    assert DayBeforeCheck.objects.get(order=order).answer == DayBeforeAnswer.CONFIRMED
    assert "此链接已无需答复" in client.get(path).content.decode()


@pytest.mark.django_db
def test_a_change_asked_reaches_the_dispatchers_of_the_agency_only(client, asked, world):
    order, path = asked
    answered = client.post(path, {"decision": "change", "request_text": "想改到下午两点"})
    assert answered.status_code == 200
    check = DayBeforeCheck.objects.get(order=order)
    assert check.answer == DayBeforeAnswer.CHANGE_ASKED
    assert check.request_text == "想改到下午两点"
    assert OrderEvent.objects.filter(order=order, reason__contains="想改到下午两点").exists()
    [notice] = Notification.objects.filter(key__startswith=f"order:{order.pk}:change_asked")
    assert notice.user == world.a.user(Role.DISPATCHER)
    assert "想改到下午两点" in notice.body
    assert notice.link == f"/orders/{order.pk}/"
    assert not Notification.objects.filter(user=world.b.user(Role.DISPATCHER)).exists()
    # The link is spent.
    assert client.post(path, {"decision": "confirm"}).status_code == 409


@pytest.mark.django_db
def test_a_too_long_change_is_refused_with_the_limit(client, asked):
    order, path = asked
    page = client.post(path, {"decision": "change", "request_text": "改" * 301})
    assert page.status_code == 400
    assert "请控制在 300 个字以内（当前 301 个字）" in page.content.decode()
    assert DayBeforeCheck.objects.get(order=order).answered_at is None
    empty = client.post(path, {"decision": "change", "request_text": "  "})
    assert empty.status_code == 400
    assert not Notification.objects.filter(key__contains="change_asked").exists()


@pytest.mark.django_db
def test_another_agency_or_a_tampered_link_is_invalid(client, asked, world):
    order, path = asked
    check = DayBeforeCheck.objects.get(order=order)
    stranger = signed_links.sign(
        signed_links.CUSTOMER_LINK,
        {"a": world.b.agency.pk, "o": order.pk, "p": SignaturePurpose.DAY_BEFORE, "q": check.pk},
    )
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert client.post(path.replace(token, stranger), {"decision": "confirm"}).status_code == 404
    assert client.post(path[:-3] + "xyz/", {"decision": "confirm"}).status_code == 404
    assert DayBeforeCheck.objects.get(order=order).answered_at is None


@pytest.mark.django_db
def test_a_link_naming_another_orders_check_answers_nothing(client, asked, world):
    order, _path = asked
    other = job(world.a, starts=at(12, 9))
    check = DayBeforeCheck.objects.get(order=order)
    path = link_path(order=other, purpose=SignaturePurpose.DAY_BEFORE, ref=check.pk)
    assert client.post(path, {"decision": "confirm"}).status_code == 400
    assert DayBeforeCheck.objects.get(order=order).answered_at is None


@pytest.mark.django_db
def test_a_cancelled_order_can_no_longer_be_confirmed(client, asked):
    order, path = asked
    type(order).objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)
    assert client.post(path, {"decision": "confirm"}).status_code == 409
    assert DayBeforeCheck.objects.get(order=order).answered_at is None


# --- the staff's evening-before list -----------------------------------------------------


@pytest.mark.django_db
def test_staff_get_tomorrows_jobs_in_order_from_the_evening_hour_once(world):
    staff = StaffMemberFactory(agency=world.a.agency, name="李阿姨")
    afternoon = job(world.a, starts=at(10, 14), staff=staff)
    morning = job(world.a, starts=at(10, 9), staff=staff)
    job(world.a, starts=at(10, 16), staff=StaffMemberFactory(agency=world.a.agency))
    cancelled = job(world.a, starts=at(10, 18), status=OrderStatus.CANCELLED)
    AssignmentFactory(
        agency=world.a.agency,
        order=cancelled,
        staff=staff,
        status=AssignmentStatus.RELEASED,
        period=DateTimeTZRange(cancelled.starts_at, cancelled.ends_at),
    )
    with time_machine.travel(at(9, 18, 59), tick=False):
        assert sweep_jobs_tomorrow() == 0
    with time_machine.travel(at(9, 19, 0), tick=False):
        assert sweep_jobs_tomorrow() == 2
        assert sweep_jobs_tomorrow() == 0
    [sms] = OutboundMessage.objects.filter(rule=JOBS, topics__contains=[f"staff:{staff.pk}"])
    body = sms.body
    assert "2" in body
    assert body.index("09:00") < body.index("14:00")
    assert "18:00" not in body
    assert "徐汇区" in body
    for private in (
        "漕溪北路",
        morning.customer.phone,
        afternoon.customer.phone,
        morning.customer.name,
        afternoon.customer.name,
    ):
        assert private not in body
    assert Notification.objects.filter(user=staff.user).count() == (1 if staff.user else 0)
    with time_machine.travel(at(9, 22), tick=False):
        assert sweep_jobs_tomorrow() == 0
    assert OutboundMessage.objects.filter(rule=JOBS).count() == 2


@pytest.mark.django_db
def test_other_agencies_staff_wait_for_their_own_hour(world):
    world.b.agency.jobs_reminder_at = time(20, 0)
    world.b.agency.save()
    job(world.a, starts=at(10, 9), staff=StaffMemberFactory(agency=world.a.agency))
    theirs = StaffMemberFactory(agency=world.b.agency)
    job(world.b, starts=at(10, 9), staff=theirs)
    with time_machine.travel(at(9, 19, 30), tick=False):
        assert sweep_jobs_tomorrow() == 1
    assert not OutboundMessage.objects.filter(topics__contains=[f"staff:{theirs.pk}"]).exists()
    with time_machine.travel(at(9, 20), tick=False):
        assert sweep_jobs_tomorrow() == 1


def evening_queries(world, count: int) -> int:
    """The sweep's statements with `count` staff members who have a job tomorrow."""
    OutboundMessage.objects.all().delete()
    Notification.objects.all().delete()
    ReminderRun.objects.all().delete()
    for n in range(count - StaffMember.objects.filter(agency=world.a.agency).count()):
        job(world.a, starts=at(10, 8 + n % 10), staff=StaffMemberFactory(agency=world.a.agency))
    with time_machine.travel(at(9, 19), tick=False), CaptureQueriesContext(connection) as done:
        assert sweep_jobs_tomorrow() == count
    return len(done.captured_queries)


@pytest.mark.django_db
def test_the_evening_sweep_costs_the_same_for_2_and_20_staff(world):
    few = evening_queries(world, 2)
    many = evening_queries(world, 20)
    assert OutboundMessage.objects.filter(rule=JOBS).count() == 20
    assert few == many


@pytest.mark.django_db
def test_the_day_before_sweep_costs_the_same_for_2_and_20_orders(world):
    for n in range(2):
        job(world.a, starts=at(10, 8 + n), staff=StaffMemberFactory(agency=world.a.agency))
    with time_machine.travel(at(9, 10), tick=False), CaptureQueriesContext(connection) as few:
        assert sweep_day_before() == 2
    ReminderRun.objects.all().delete()
    for n in range(20):
        job(world.a, starts=at(10, 8 + n % 10), staff=StaffMemberFactory(agency=world.a.agency))
    with time_machine.travel(at(9, 11), tick=False), CaptureQueriesContext(connection) as many:
        assert sweep_day_before() == 20
    assert len(few.captured_queries) == len(many.captured_queries)
