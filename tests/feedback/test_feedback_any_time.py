"""Feedback at any time (issue 18): the customer gives it on a served order from their
portal, asked or not, once per order; it counts like any feedback."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from agency.audit import Actor
from agency.models import AuditLog, OutboundMessage, Role
from feedback.models import FeedbackRequest, FeedbackResponse
from feedback.services import (
    Answers,
    FeedbackConflict,
    feedback_give,
    request_feedback_for_accepted_orders,
)
from orders.models import AssignmentStatus, OrderEvent, OrderStatus
from tests.factories import AssignmentFactory, OrderFactory
from tests.feedback.test_feedback import HAPPY, accepted  # noqa: F401 - the fixture

LOW = Answers(quality=2, attitude=3, punctuality=3, professionalism=3, overall=2, comment="没擦窗")


def as_customer_of(order):
    return Actor.customer(order.customer_id, ip_address="198.51.100.9")


def test_feedback_given_unasked_counts_and_spares_the_sms(accepted):  # noqa: F811
    response = feedback_give(order=accepted, actor=as_customer_of(accepted), answers=HAPPY)

    request = FeedbackRequest.objects.get(order=accepted)
    assert request.unsolicited and request.answered_at == response.submitted_at
    staff = accepted.assignments.get().staff
    staff.refresh_from_db()
    assert staff.rating == Decimal("5.00")
    line = OrderEvent.objects.get(order=accepted, reason__contains="gave feedback")
    assert line.by_customer and line.actor is None
    entry = AuditLog.objects.get(action="feedback.submit")
    assert entry.customer_id == accepted.customer_id
    # The sweep that asks accepted orders leaves this one alone: it has its answer.
    assert request_feedback_for_accepted_orders() == 0
    assert not OutboundMessage.objects.filter(recipient=accepted.customer.phone).exists()


def test_an_asked_order_is_answered_from_the_portal_even_after_the_link_expired(
    accepted,  # noqa: F811
):
    request_feedback_for_accepted_orders()
    with time_machine.travel("2027-02-01 10:00 +08:00"):
        feedback_give(order=accepted, actor=as_customer_of(accepted), answers=LOW)
    request = FeedbackRequest.objects.get(order=accepted)
    assert not request.unsolicited
    assert request.response.overall == 2


def test_feedback_is_given_once_per_order(accepted):  # noqa: F811
    feedback_give(order=accepted, actor=as_customer_of(accepted), answers=HAPPY)
    with pytest.raises(FeedbackConflict, match="already"):
        feedback_give(order=accepted, actor=as_customer_of(accepted), answers=LOW)
    assert FeedbackResponse.objects.count() == 1


def test_only_a_served_order_takes_feedback(world):
    order = OrderFactory(agency=world.a.agency, status=OrderStatus.CONFIRMED)
    with pytest.raises(FeedbackConflict, match="once the service is accepted"):
        feedback_give(order=order, actor=as_customer_of(order), answers=HAPPY)
    assert not FeedbackRequest.objects.exists()


def test_only_the_orders_customer_gives_its_feedback(world, accepted):  # noqa: F811
    other = OrderFactory(agency=world.a.agency, status=OrderStatus.ACCEPTED)
    AssignmentFactory(agency=world.a.agency, order=other, status=AssignmentStatus.CONFIRMED)
    for actor in (as_customer_of(other), Actor(user=world.a.user(Role.DISPATCHER))):
        with pytest.raises(PermissionDenied):
            feedback_give(order=accepted, actor=actor, answers=HAPPY)
    assert not FeedbackRequest.objects.exists()
