"""A low score and the complaint it may become: the follow-up is due by the
policy's time, closes when it becomes a complaint, and the courtesy revisits wait while
the customer has a complaint being handled."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agency.audit import Actor
from agency.models import OutboundMessage, Role
from complaints.models import ComplaintChannel
from complaints.services.handling import (
    complaint_close,
    complaint_resolve,
    complaint_respond,
    complaint_verify,
)
from complaints.services.intake import Intake, complaint_take
from feedback.models import FeedbackRequest, Revisit, RevisitKind, RevisitStatus
from feedback.revisits import sweep_revisits
from feedback.selectors import revisit_queue
from feedback.services import Answers, feedback_submit, request_feedback_for_accepted_orders
from orders.models import AssignmentStatus, OrderEvent, OrderStatus
from tests.factories import AssignmentFactory, OrderFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_10 = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)
CUSTOMER = Actor(user=None, ip_address="198.51.100.9")
LOW = Answers(quality=2, attitude=2, punctuality=4, professionalism=3, overall=2, comment="太差")


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def office(world):
    return Actor(user=world.a.user(Role.DISPATCHER))


@pytest.fixture
def accepted(world):
    """An order of agency A confirmed and accepted on Monday at 10:00."""
    world.a.agency.time_zone = "Asia/Shanghai"
    world.a.agency.save()
    order = OrderFactory(agency=world.a.agency, branch=world.a.branch, status=OrderStatus.ACCEPTED)
    AssignmentFactory(agency=world.a.agency, order=order, status=AssignmentStatus.CONFIRMED)
    with at(MONDAY_10):
        for status in (OrderStatus.CONFIRMED, OrderStatus.ACCEPTED):
            OrderEvent.objects.create(agency=world.a.agency, order=order, to_status=status)
    return order


def answer_low(order, moment):
    with at(moment):
        request_feedback_for_accepted_orders()
        feedback_submit(
            request=FeedbackRequest.objects.get(order=order), actor=CUSTOMER, answers=LOW
        )
    return Revisit.objects.get(order=order, kind=RevisitKind.LOW_SCORE)


def take(world, office, order, *, category="attitude", moment=MONDAY_10):
    with at(moment):
        return complaint_take(
            agency=world.a.agency,
            actor=office,
            intake=Intake(
                branch=world.a.branch,
                customer=order.customer,
                order=order,
                channel=ComplaintChannel.REVISIT,
                category=category,
                description="阿姨态度不好",
            ),
        )


def test_a_low_score_follow_up_is_due_within_the_policys_time_not_at_once(world, accepted):
    answered = MONDAY_10 + timedelta(hours=2)
    follow_up = answer_low(accepted, answered)
    assert follow_up.due_at == answered + timedelta(hours=24)
    with at(answered + timedelta(minutes=1)):
        assert not follow_up.due_at < datetime.now(SHANGHAI)
        assert follow_up not in revisit_queue(agency=world.a.agency, now=answered, view="overdue")


def test_turning_a_low_score_into_a_complaint_closes_its_follow_up(world, accepted, office):
    follow_up = answer_low(accepted, MONDAY_10 + timedelta(hours=2))
    complaint = take(world, office, accepted, moment=MONDAY_10 + timedelta(hours=3))
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.next_action_at) == (RevisitStatus.DONE, None)
    assert complaint.number in follow_up.next_step
    assert follow_up.done_by == office.user


def test_courtesy_revisits_wait_while_a_complaint_is_handled_and_resume_after(
    world, accepted, office
):
    with at(MONDAY_10 + timedelta(minutes=1)):
        sweep_revisits()
    complaint = take(world, office, accepted, moment=MONDAY_10 + timedelta(hours=1))
    courtesy = Revisit.objects.filter(
        order=accepted,
        kind__in=[RevisitKind.SATISFACTION_CALL, RevisitKind.THANK_YOU_LETTER],
    )
    assert {r.status for r in courtesy} == {RevisitStatus.HELD}

    # A week on, the complaint still being handled: no letter, no call escalated.
    with at(MONDAY_10 + timedelta(days=7, hours=1)):
        result = sweep_revisits()
        assert (result["letters"], result["escalated"]) == (0, 0)
    # (The customer hears of the complaint itself — messaging's complaint rules — not a letter.)
    texts = OutboundMessage.objects.filter(recipient=accepted.customer.phone)
    assert not texts.exclude(rule__startswith="complaint.").exists()

    # Another order accepted meanwhile: its call is planned held.
    other = OrderFactory(
        agency=world.a.agency,
        branch=world.a.branch,
        customer=accepted.customer,
        status=OrderStatus.ACCEPTED,
    )
    with at(MONDAY_10 + timedelta(days=7, hours=2)):
        OrderEvent.objects.create(
            agency=world.a.agency, order=other, to_status=OrderStatus.ACCEPTED
        )
        sweep_revisits()
    assert Revisit.objects.get(order=other).status == RevisitStatus.HELD

    # Resolved (a soft complaint): the courtesy revisits resume, the overdue call at the
    # next calling slot (Monday 20:00 → Tuesday 09:00), the letter at once.
    released = MONDAY_10 + timedelta(days=7, hours=10)
    with at(released):
        complaint_respond(complaint=complaint, actor=office, text="已道歉")
        complaint_verify(complaint=complaint, actor=office, text="属实")
        complaint_resolve(complaint=complaint, actor=office, text="已换人")
    call = Revisit.objects.get(order=accepted, kind=RevisitKind.SATISFACTION_CALL)
    assert (call.status, call.due_at) == (
        RevisitStatus.OPEN,
        datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI),
    )
    with at(released + timedelta(minutes=1)):
        assert sweep_revisits()["letters"] == 1


def test_a_hard_complaint_holds_until_it_is_closed(world, accepted, office):
    with at(MONDAY_10 + timedelta(minutes=1)):
        sweep_revisits()
    complaint = take(world, office, accepted, category="damage", moment=MONDAY_10)
    with at(MONDAY_10 + timedelta(hours=2)):
        complaint_close(
            complaint=complaint,
            actor=office,
            text="客户撤回",
            root_cause="other",
            root_cause_note="客户撤回",
        )
    assert not Revisit.objects.filter(order=accepted, status=RevisitStatus.HELD).exists()


def test_a_revisit_planned_held_just_as_the_hold_ended_resumes_on_the_next_sweep(world, accepted):
    # The sweep read the hold, the complaint was closed, then the sweep wrote the call held.
    with at(MONDAY_10):
        call = Revisit.objects.create(
            agency=world.a.agency,
            customer=accepted.customer,
            order=accepted,
            kind=RevisitKind.SATISFACTION_CALL,
            source=f"order-{accepted.pk}-satisfaction_call",
            due_at=MONDAY_10 + timedelta(days=1),
            status=RevisitStatus.HELD,
        )
        sweep_revisits()
    call.refresh_from_db()
    assert (call.status, call.next_action_at) == (
        RevisitStatus.OPEN,
        MONDAY_10 + timedelta(days=2),
    )
