"""Revisits walked through time: the 24-hour call, the 7-day letter, the second contact,
a requested callback; each once, whatever the sweep repeats."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agency.audit import Actor
from agency.models import Notification, OutboundMessage, Role
from complaints.models import ComplaintChannel
from complaints.services.handling import (
    complaint_resolve,
    complaint_respond,
    complaint_second_response,
)
from complaints.services.intake import Intake, complaint_take
from feedback.models import Revisit, RevisitKind, RevisitOutcome, RevisitStatus
from feedback.revisits import RevisitConflict, revisit_log, sweep_revisits
from orders.models import OrderEvent, OrderStatus
from tests.factories import CallbackFactory, CustomerFactory, OrderFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_10 = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)


def at(moment):
    return time_machine.travel(moment, tick=False)


def event(order, status, moment):
    with at(moment):
        OrderEvent.objects.create(agency=order.agency, order=order, to_status=status)


@pytest.fixture
def order(world):
    world.a.agency.time_zone = "Asia/Shanghai"
    world.a.agency.save()
    return OrderFactory(agency=world.a.agency, branch=world.a.branch, status=OrderStatus.ACCEPTED)


def open_kinds(order):
    return {r.kind: r for r in Revisit.objects.filter(order=order, status=RevisitStatus.OPEN)}


def test_an_order_from_confirmation_to_the_second_contact(world, order):
    office = Actor(user=world.a.user(Role.DISPATCHER))
    event(order, OrderStatus.CONFIRMED, MONDAY_10)
    event(order, OrderStatus.ACCEPTED, MONDAY_10 + timedelta(days=2))
    with at(MONDAY_10 + timedelta(days=2, hours=1)):
        sweep_revisits()
        sweep_revisits()
    call = open_kinds(order)[RevisitKind.SATISFACTION_CALL]
    assert call.due_at == MONDAY_10 + timedelta(days=3)
    assert Revisit.objects.filter(order=order).count() == 2

    with at(MONDAY_10 + timedelta(days=3, minutes=5)):
        revisit_log(revisit=call, actor=office, outcome=RevisitOutcome.NOT_REACHED)
    call.refresh_from_db()
    assert (call.status, call.attempts) == (RevisitStatus.OPEN, 1)
    assert call.due_at == MONDAY_10 + timedelta(days=3, hours=2, minutes=5)
    with at(MONDAY_10 + timedelta(days=3, hours=3)):
        revisit_log(revisit=call, actor=office, outcome=RevisitOutcome.REACHED, satisfaction=5)
        with pytest.raises(RevisitConflict):
            revisit_log(revisit=call, actor=office, outcome=RevisitOutcome.REACHED)

    with at(MONDAY_10 + timedelta(days=7, minutes=1)):
        assert sweep_revisits()["letters"] == 1
        assert sweep_revisits()["letters"] == 0
    letters = OutboundMessage.objects.filter(recipient=order.customer.phone)
    assert letters.count() == 1
    second = open_kinds(order)[RevisitKind.SECOND_CONTACT]
    assert second.due_at == MONDAY_10 + timedelta(days=14, minutes=1)


def test_a_requested_callback_is_in_the_queue_on_its_day_and_closes_the_callback(world, order):
    callback = CallbackFactory(
        agency=world.a.agency, customer=order.customer, due_at=MONDAY_10 + timedelta(days=3)
    )
    with at(MONDAY_10):
        sweep_revisits()
    revisit = Revisit.objects.get(kind=RevisitKind.REQUESTED_CALLBACK)
    assert revisit.due_at == callback.due_at
    with at(MONDAY_10 + timedelta(days=3)):
        revisit_log(
            revisit=revisit,
            actor=Actor(user=world.a.user(Role.DISPATCHER)),
            outcome=RevisitOutcome.REACHED,
            notes="客户下周再约",
        )
    callback.refresh_from_db()
    assert callback.done_at is not None


def test_an_overdue_call_goes_to_the_supervisors_once_and_cancelled_orders_drop(world, order):
    event(order, OrderStatus.ACCEPTED, MONDAY_10)
    with at(MONDAY_10 + timedelta(days=2, hours=1)):
        result = sweep_revisits()
        assert result["escalated"] == 1
        assert sweep_revisits()["escalated"] == 0
    assert Notification.objects.filter(user=world.a.user(Role.SUPERVISOR)).count() == 1
    # As the lifecycle cancels it: the status and its event, which the sweep reads.
    order.status = OrderStatus.CANCELLED
    order.save()
    OrderEvent.objects.create(agency=order.agency, order=order, to_status=OrderStatus.CANCELLED)
    assert sweep_revisits()["dropped"] == 1
    assert Revisit.objects.get(order=order).dropped_reason == "order cancelled"


def test_a_resolved_hard_complaint_waits_in_the_revisit_queue_for_its_follow_up(world):
    with at(MONDAY_10):
        _resolved_hard_complaint(world)


def _resolved_hard_complaint(world):
    office = Actor(user=world.a.user(Role.DISPATCHER))
    customer = CustomerFactory(agency=world.a.agency)
    complaint = complaint_take(
        agency=world.a.agency,
        actor=office,
        intake=Intake(
            branch=world.a.branch,
            customer=customer,
            channel=ComplaintChannel.PHONE,
            category="damage",
            description="打碎了花瓶",
        ),
    )
    complaint_respond(complaint=complaint, actor=office, text="已道歉")
    complaint_second_response(
        complaint=complaint,
        actor=office,
        text="明天赔偿",
        resolve_by=complaint.received_at + timedelta(days=1),
    )
    resolved = complaint_resolve(complaint=complaint, actor=office, text="已赔偿")
    follow_up = Revisit.objects.get(kind=RevisitKind.COMPLAINT_FOLLOW_UP)
    assert (follow_up.customer, follow_up.source) == (customer, resolved.follow_up_source)
    assert follow_up.due_at == resolved.resolved_at + timedelta(hours=24)
