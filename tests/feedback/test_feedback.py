"""The customer's feedback form: asked once per accepted order, answered once by the
customer, feeding the staff's ratings; a low score goes to the supervisors."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from agency.audit import Actor
from agency.models import Notification, OutboundMessage, Role
from feedback.models import FeedbackRequest, FeedbackResponse
from feedback.services import (
    Answers,
    FeedbackConflict,
    feedback_submit,
    request_feedback_for_accepted_orders,
    token_for,
)
from orders.models import AssignmentStatus, OrderEvent, OrderStatus
from tests.factories import AssignmentFactory, OrderFactory

CUSTOMER = Actor(user=None, ip_address="198.51.100.9")
HAPPY = Answers(quality=5, attitude=5, punctuality=4, professionalism=5, overall=5, comment="很好")


@pytest.fixture
def accepted(world):
    """An accepted order of agency A served by one staff member, with its acceptance event."""
    order = OrderFactory(agency=world.a.agency, branch=world.a.branch, status=OrderStatus.ACCEPTED)
    AssignmentFactory(agency=world.a.agency, order=order, status=AssignmentStatus.CONFIRMED)
    OrderEvent.objects.create(
        agency=world.a.agency,
        order=order,
        from_status=OrderStatus.INSPECTION,
        to_status=OrderStatus.ACCEPTED,
    )
    return order


def test_each_accepted_order_is_asked_once_by_sms(accepted, sms_outbox):
    assert request_feedback_for_accepted_orders() == 1
    assert request_feedback_for_accepted_orders() == 0
    request = FeedbackRequest.objects.get(order=accepted)
    text = OutboundMessage.objects.get(recipient=accepted.customer.phone).body
    assert "/f/" in text and accepted.number in text
    assert request.expires_at - request.sent_at == timedelta(days=14)


def test_the_customer_answers_once_and_the_staff_rating_moves(accepted):
    request_feedback_for_accepted_orders()
    request = FeedbackRequest.objects.get(order=accepted)
    feedback_submit(request=request, actor=CUSTOMER, answers=HAPPY)
    staff = accepted.assignments.get().staff
    staff.refresh_from_db()
    assert (staff.rating, staff.rating_count) == (Decimal("5.00"), 1)
    with pytest.raises(FeedbackConflict):
        feedback_submit(request=request, actor=CUSTOMER, answers=HAPPY)
    assert FeedbackResponse.objects.count() == 1


def test_only_the_customer_answers_with_scores_from_1_to_5(world, accepted):
    request_feedback_for_accepted_orders()
    request = FeedbackRequest.objects.get(order=accepted)
    with pytest.raises(PermissionDenied):
        feedback_submit(
            request=request, actor=Actor(user=world.a.user(Role.DISPATCHER)), answers=HAPPY
        )
    for bad in (0, 6):
        with pytest.raises(ValidationError):
            feedback_submit(
                request=request,
                actor=CUSTOMER,
                answers=Answers(
                    quality=bad, attitude=5, punctuality=5, professionalism=5, overall=5
                ),
            )
    assert not FeedbackResponse.objects.exists()


def test_an_expired_link_takes_no_answer(accepted):
    request_feedback_for_accepted_orders()
    request = FeedbackRequest.objects.get(order=accepted)
    with time_machine.travel(timezone.now() + timedelta(days=15)), pytest.raises(FeedbackConflict):
        feedback_submit(request=request, actor=CUSTOMER, answers=HAPPY)
    assert not FeedbackResponse.objects.exists()


def test_a_low_score_goes_to_the_supervisors(world, accepted):
    request_feedback_for_accepted_orders()
    request = FeedbackRequest.objects.get(order=accepted)
    feedback_submit(
        request=request,
        actor=CUSTOMER,
        answers=Answers(quality=2, attitude=4, punctuality=4, professionalism=4, overall=3),
    )
    notice = Notification.objects.get(user=world.a.user(Role.SUPERVISOR))
    assert accepted.number in notice.title


def test_the_phone_page_takes_the_answers_once(accepted, client):
    request_feedback_for_accepted_orders()
    request = FeedbackRequest.objects.get(order=accepted)
    url = reverse("feedback_form", kwargs={"token": token_for(request)})
    assert client.get(url).status_code == 200
    answers = {
        "quality": "5",
        "attitude": "5",
        "punctuality": "4",
        "professionalism": "5",
        "overall": "4",
        "comment": "准时，干净",
        "may_contact": "on",
    }
    assert client.post(url, {**answers, "overall": "9"}).status_code == 400
    assert client.post(url, answers).status_code == 200
    assert client.post(url, answers).status_code == 409
    assert FeedbackResponse.objects.get().overall == 4
    assert client.get(reverse("feedback_form", kwargs={"token": "nonsense"})).status_code == 404


def test_an_expired_link_shows_the_expired_page_instead_of_the_form(accepted, client):
    accepted.customer.preferred_language = "en"
    accepted.customer.save()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        request_feedback_for_accepted_orders()
        url = reverse("feedback_form", kwargs={"token": token_for(FeedbackRequest.objects.get())})
        clock.shift(timedelta(days=15))
        page = client.get(url)
        assert page.status_code == 410
        body = page.content.decode()
        assert "This feedback link has expired." in body
        assert 'name="quality"' not in body
        assert client.post(url, {"quality": "5"}).status_code == 410
    assert not FeedbackResponse.objects.exists()
