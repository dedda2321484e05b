"""`announce`: the rules turned into outbox rows and in-app notices, once per event."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction

from agency.audit import Actor
from agency.models import Channel, MessageStatus, Notification, OutboundMessage, Role
from messaging.recipients import QuietHours, Recipient
from messaging.rules import Event, Via
from messaging.services import announce, template_reset, template_save

SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHT = QuietHours(start=time(21), end=time(8))
JOB = {
    "order_number": "2026-00042",
    "service_name": "日常保洁",
    "job_date": "12月10日",
    "job_time": "09:00–12:00",
    "job_district": "徐汇区",
    "customer_name": "王女士",
    "staff_name": "李阿姨",
    "job_fee": "¥180.00",
}


def customer(**overrides) -> Recipient:
    values = {
        "name": "王女士",
        "language": "zh-hans",
        "via": (Via.SMS,),
        "phone": "13800000001",
        "email": "wang@example.com",
        "quiet": NIGHT,
        "topics": ("customer:1",),
    }
    return Recipient(**{**values, **overrides})


def staff(user=None, **overrides) -> Recipient:
    values = {
        "name": "李阿姨",
        "language": "zh-hans",
        "via": (Via.SMS, Via.IN_APP),
        "phone": "13900000002",
        "user": user,
        "topics": ("staff:7",),
        "context": {"staff_name": "李阿姨"},
    }
    return Recipient(**{**values, **overrides})


@pytest.mark.django_db
def test_a_customer_is_texted_in_their_language_with_the_agency_signature(world):
    agency = world.a.agency
    done = announce(
        agency=agency,
        event=Event.BOOKING_CONFIRMED,
        key="order:42:confirmed",
        context=JOB,
        customer=customer(),
        topics=["order:42"],
    )
    [message] = done.messages
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.channel == Channel.SMS
    assert stored.recipient == "13800000001"
    assert stored.body.startswith(f"【{agency.name}】王女士您好")
    assert "2026-00042" in stored.body
    assert stored.rule == "order.confirmed:customer"
    assert stored.topics == ["customer:1", "order:42"]
    assert stored.status == MessageStatus.PENDING


@pytest.mark.django_db
def test_the_same_event_announced_twice_writes_once(world):
    agency = world.a.agency
    user = world.a.user(Role.STAFF)
    for _ in range(2):
        announce(
            agency=agency,
            event=Event.JOB_ASSIGNED,
            key="assignment:9:assigned",
            context=JOB,
            staff=[staff(user)],
        )
    assert OutboundMessage.objects.filter(rule="job.assigned:staff").count() == 1
    assert Notification.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_staff_choose_their_channels_and_english_staff_read_english(world):
    agency = world.a.agency
    user = world.a.user(Role.STAFF)
    done = announce(
        agency=agency,
        event=Event.JOB_ASSIGNED,
        key="assignment:9:assigned",
        context=JOB,
        staff=[staff(user, via=(Via.IN_APP,), language="en")],
    )
    assert done.messages == []
    notice = Notification.objects.get(user=user)
    assert notice.title == "Job assigned to you: 2026-00042"
    assert "13800000001" not in notice.body


@pytest.mark.django_db
def test_a_customer_without_a_phone_gets_email_and_one_without_either_is_unreachable(world):
    agency = world.a.agency
    by_email = announce(
        agency=agency,
        event=Event.BOOKING_CONFIRMED,
        key="order:1:confirmed",
        context=JOB,
        customer=customer(phone=""),
    )
    assert [m.channel for m in by_email.messages] == [Channel.EMAIL]
    nowhere = announce(
        agency=agency,
        event=Event.BOOKING_CONFIRMED,
        key="order:2:confirmed",
        context=JOB,
        customer=customer(phone="", email=""),
    )
    assert nowhere.messages == []
    assert [person.name for person in nowhere.unreachable] == ["王女士"]


@pytest.mark.django_db
def test_quiet_hours_hold_service_messages_till_morning_but_not_urgent_ones(world):
    agency = world.a.agency
    with time_machine.travel(datetime(2026, 12, 9, 22, 30, tzinfo=SHANGHAI), tick=False):
        held = announce(
            agency=agency,
            event=Event.BOOKING_CONFIRMED,
            key="order:3:confirmed",
            context=JOB,
            customer=customer(),
        )
        urgent = announce(
            agency=agency,
            event=Event.ON_THE_WAY,
            key="order:3:on_the_way",
            context=JOB,
            customer=customer(),
        )
    assert held.messages[0].next_attempt_at == datetime(2026, 12, 10, 8, 0, tzinfo=SHANGHAI)
    assert urgent.messages[0].next_attempt_at == datetime(2026, 12, 9, 22, 30, tzinfo=SHANGHAI)


def test_quiet_hours_across_midnight():
    at = datetime(2026, 12, 10, 6, 0, tzinfo=SHANGHAI)
    assert NIGHT.release_at(at, zone=SHANGHAI) == datetime(2026, 12, 10, 8, 0, tzinfo=SHANGHAI)
    assert NIGHT.release_at(at.replace(hour=8), zone=SHANGHAI) is None
    assert NIGHT.release_at(at.replace(hour=20, minute=59), zone=SHANGHAI) is None


@pytest.mark.django_db
def test_office_rules_reach_the_active_members_of_their_roles_only(world):
    agency = world.a.agency
    announce(
        agency=agency,
        event=Event.JOB_DECLINED,
        key="assignment:5:declined",
        context={**JOB, "reason": "生病"},
    )
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {world.a.user(Role.DISPATCHER).username}


@pytest.mark.django_db
def test_a_rollback_tells_nobody(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        announce(
            agency=world.a.agency,
            event=Event.BOOKING_CONFIRMED,
            key="order:4:confirmed",
            context=JOB,
            customer=customer(),
        )
        raise RuntimeError
    assert not OutboundMessage.objects.exists()


@pytest.mark.django_db
def test_an_agency_template_holds_for_messages_written_after_it(world):
    agency = world.a.agency
    actor = Actor(user=world.a.user(Role.MANAGER))
    first = announce(
        agency=agency,
        event=Event.BOOKING_CONFIRMED,
        key="order:5:confirmed",
        context=JOB,
        customer=customer(),
    )
    template_save(
        agency=agency,
        actor=actor,
        code="order.confirmed:customer",
        language="zh-hans",
        subject="预约成功",
        body="{{ customer_name }}，{{ job_date }}见！",
    )
    second = announce(
        agency=agency,
        event=Event.BOOKING_CONFIRMED,
        key="order:6:confirmed",
        context=JOB,
        customer=customer(),
    )
    assert "预约的日常保洁已确认" in first.messages[0].body
    assert second.messages[0].body.endswith("王女士，12月10日见！")
    # The other agency still writes the shipped words.
    other = announce(
        agency=world.b.agency,
        event=Event.BOOKING_CONFIRMED,
        key="order:5:confirmed",
        context=JOB,
        customer=customer(),
    )
    assert "已确认" in other.messages[0].body
    template_reset(agency=agency, actor=actor, code="order.confirmed:customer", language="zh-hans")
    third = announce(
        agency=agency,
        event=Event.BOOKING_CONFIRMED,
        key="order:7:confirmed",
        context=JOB,
        customer=customer(),
    )
    assert "已确认" in third.messages[0].body


@pytest.mark.django_db
def test_a_template_with_an_unknown_variable_is_refused_with_the_reason(world):
    with pytest.raises(ValidationError) as refused:
        template_save(
            agency=world.a.agency,
            actor=Actor(user=world.a.user(Role.MANAGER)),
            code="job.assigned:staff",
            language="zh-hans",
            subject="新工单",
            body="客户电话 {{ customer_phone }}",
        )
    assert "customer_phone" in refused.value.message_dict["body"][0]
