"""The customer's own actions on the portal (issue 18): move or cancel an upcoming order with
its terms shown first, complain with photos, ask for a callback, change how they hear from
the agency, give feedback once; each as the customer, on the order's timeline."""

import uuid
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agency.models import AuditLog
from complaints.models import Complaint, ComplaintChannel
from feedback.models import FeedbackResponse
from orders.models import Callback, Cancellation, Order, OrderEvent, OrderStatus, Quote
from tests.factories import OrderFactory, ServiceTypeFactory
from tests.portal.conftest import portal_url
from tests.uploads import photo, text_as


def order_for(customer, **fields):
    return OrderFactory(agency=customer.agency, needs_form__customer=customer, **fields)


def on_timeline(order, words: str) -> bool:
    events = OrderEvent.objects.filter(order=order, by_customer=True)
    return any(words in event.reason for event in events)


@pytest.fixture
def upcoming(customer):
    return order_for(customer, status=OrderStatus.QUOTED)


# --- move ------------------------------------------------------------------------------


def test_moving_shows_it_is_free_before_the_customer_confirms(signed_in, customer, upcoming):
    detail = signed_in.get(portal_url("order", customer, pk=upcoming.pk)).content.decode()
    assert portal_url("reschedule", customer, pk=upcoming.pk) in detail
    page = signed_in.get(portal_url("reschedule", customer, pk=upcoming.pk)).content.decode()
    assert "Moving is free of charge." in page
    assert "we will call you to agree the new time" in page  # only a confirmed job moves at once
    assert "Move my booking" in page


def test_a_move_asked_lands_on_the_callback_queue_and_the_timeline(signed_in, customer, upcoming):
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    answer = signed_in.post(
        portal_url("reschedule", customer, pk=upcoming.pk),
        {"day": day, "time": "14:00", "reason": "出差"},
    )
    assert answer.status_code == 302
    assert Callback.objects.filter(order=upcoming, customer=customer).count() == 1
    assert on_timeline(upcoming, "The customer asked to move the job")
    entry = AuditLog.objects.get(action="order.reschedule_requested")
    assert entry.customer_id == customer.pk


def test_a_time_already_past_is_refused_next_to_the_day(signed_in, customer, upcoming):
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    answer = signed_in.post(
        portal_url("reschedule", customer, pk=upcoming.pk), {"day": day, "time": "14:00"}
    )
    assert answer.status_code == 400
    assert "Choose a time in the future." in answer.context["form"].errors["day"]
    assert not Callback.objects.exists()


def test_a_done_order_cannot_be_moved_and_says_why(signed_in, customer):
    done = order_for(customer, status=OrderStatus.PAID)
    page = signed_in.get(portal_url("reschedule", customer, pk=done.pk)).content.decode()
    assert "can no longer be moved" in page and "Move my booking" not in page


# --- cancel ----------------------------------------------------------------------------


def test_cancelling_within_the_window_is_free_and_at_once(signed_in, customer, upcoming):
    page = signed_in.get(portal_url("cancel", customer, pk=upcoming.pk)).content.decode()
    assert "Cancelling now is free of charge." in page
    data = {"reason": "计划有变", "signed_name": "王芳"}
    answer = signed_in.post(portal_url("cancel", customer, pk=upcoming.pk), data)
    assert answer.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.status == OrderStatus.CANCELLED
    assert AuditLog.objects.get(action="order.cancellation_requested").customer_id == customer.pk
    again = signed_in.post(portal_url("cancel", customer, pk=upcoming.pk), data)
    assert again.status_code == 400  # refused: cancelled already
    assert Cancellation.objects.filter(order=upcoming).count() == 1


def test_a_late_cancellation_shows_its_fee_first(signed_in, customer):
    order = order_for(customer, status=OrderStatus.QUOTED)
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=5))
    Quote.objects.create(
        agency=customer.agency,
        order=order,
        description="保洁",
        unit="hour",
        unit_price=Decimal(50),
        quantity=Decimal(3),
        total=Decimal(150),
        currency="CNY",
    )
    page = signed_in.get(portal_url("cancel", customer, pk=order.pk)).content.decode()
    assert "A cancellation fee of 15.00 (10.00% of the price) applies" in page


def test_a_special_service_says_it_cannot_be_cancelled(signed_in, customer):
    special = ServiceTypeFactory(agency=customer.agency, is_special=True)
    order = order_for(customer, needs_form__service_type=special)
    page = signed_in.get(portal_url("cancel", customer, pk=order.pk)).content.decode()
    assert "Special (custom) services cannot be cancelled." in page
    assert "Sign and cancel" not in page
    answer = signed_in.post(
        portal_url("cancel", customer, pk=order.pk), {"reason": "x", "signed_name": "王芳"}
    )
    assert answer.status_code == 400 and not Cancellation.objects.exists()


# --- complaint -------------------------------------------------------------------------


def complaint(**overrides):
    return {
        "category": "damage",
        "description": "花瓶打碎了",
        "desired_outcome": "赔偿",
        "submission_key": str(uuid.uuid4()),
        **overrides,
    }


def test_a_complaint_about_an_order_with_a_photo_is_filed_as_the_customers(
    signed_in, customer, upcoming
):
    detail = signed_in.get(portal_url("order", customer, pk=upcoming.pk)).content.decode()
    assert f"{portal_url('complaint_file', customer)}?order={upcoming.pk}" in detail
    data = complaint(order=upcoming.pk, attachments=[photo("vase.png")])
    answer = signed_in.post(portal_url("complaint_file", customer), data)
    assert answer.status_code == 302
    filed = Complaint.objects.get(customer=customer)
    assert filed.channel == ComplaintChannel.PORTAL and filed.order == upcoming
    assert filed.attachments.count() == 1
    assert on_timeline(upcoming, f"The customer filed complaint {filed.number}")


def test_the_same_complaint_sent_twice_is_filed_once(signed_in, customer, upcoming):
    data = complaint()
    signed_in.post(portal_url("complaint_file", customer), data)
    again = signed_in.post(portal_url("complaint_file", customer), data)
    assert again.status_code == 302 and Complaint.objects.count() == 1


def test_a_file_that_is_not_a_photo_is_refused(signed_in, customer, upcoming):
    data = complaint(attachments=[text_as("vase.jpg")])
    answer = signed_in.post(portal_url("complaint_file", customer), data)
    assert answer.status_code == 400 and not Complaint.objects.exists()


def test_another_customers_order_cannot_be_complained_about(signed_in, customer, other_customer):
    theirs = order_for(other_customer)
    answer = signed_in.post(portal_url("complaint_file", customer), complaint(order=theirs.pk))
    assert answer.status_code == 400 and "order" in answer.context["form"].errors


# --- callback, preferences -------------------------------------------------------------


def test_a_callback_asked_twice_is_one_on_the_queue(signed_in, customer):
    data = {"note": "想问月嫂服务", "when": "", "submission_key": str(uuid.uuid4())}
    first = signed_in.post(portal_url("callback", customer), data)
    second = signed_in.post(portal_url("callback", customer), data)
    assert first.status_code == second.status_code == 302
    callback = Callback.objects.get(customer=customer)
    assert "想问月嫂服务" in callback.reason
    assert AuditLog.objects.get(action="callback.request").customer_id == customer.pk


def test_a_callback_needs_what_to_talk_about(signed_in, customer):
    answer = signed_in.post(portal_url("callback", customer), {"note": ""})
    assert answer.status_code == 400 and not Callback.objects.exists()


def test_preferences_are_saved_as_the_customer(signed_in, customer):
    data = {
        "preferred_language": "zh-hans",
        "email": "wang@example.com",
        "message_channel": "email",
        "quiet_from": "22:00",
        "quiet_until": "07:30",
        "promotions_opt_out": "on",
    }
    answer = signed_in.post(portal_url("preferences", customer), data)
    assert answer.status_code == 302
    customer.refresh_from_db()
    assert (customer.message_channel, customer.quiet_until) == ("email", time(7, 30))
    assert customer.promotions_opt_out
    assert AuditLog.objects.get(action="customer.update").customer_id == customer.pk


def test_email_as_the_channel_needs_an_address(signed_in, customer):
    data = {"message_channel": "email", "email": "", "quiet_from": "21:00", "quiet_until": "08:00"}
    answer = signed_in.post(portal_url("preferences", customer), data)
    assert answer.status_code == 400 and "email" in answer.context["form"].errors
    customer.refresh_from_db()
    assert customer.message_channel == "sms"


# --- feedback --------------------------------------------------------------------------

SCORES = dict.fromkeys(("quality", "attitude", "punctuality", "professionalism"), "5")


def test_feedback_on_a_served_order_is_given_once(signed_in, customer):
    served = order_for(
        customer, status=OrderStatus.ACCEPTED, starts_at=timezone.now() - timedelta(days=2)
    )
    detail = signed_in.get(portal_url("order", customer, pk=served.pk)).content.decode()
    assert portal_url("feedback_give", customer, pk=served.pk) in detail
    data = {**SCORES, "overall": "4", "comment": "很好"}
    answer = signed_in.post(portal_url("feedback_give", customer, pk=served.pk), data)
    assert answer.status_code == 302
    assert on_timeline(served, "The customer gave feedback: overall 4/5.")
    again = signed_in.post(portal_url("feedback_give", customer, pk=served.pk), data)
    assert again.status_code == 400
    assert FeedbackResponse.objects.count() == 1
    page = signed_in.get(portal_url("feedback_give", customer, pk=served.pk)).content.decode()
    assert "you have given feedback on this order already" in page


def test_feedback_waits_for_the_service(signed_in, customer, upcoming):
    page = signed_in.get(portal_url("feedback_give", customer, pk=upcoming.pk)).content.decode()
    assert "Feedback can be given once the service is accepted." in page


def test_a_confirmed_job_without_staff_moves_at_once(signed_in, customer):
    order = order_for(customer, status=OrderStatus.CONFIRMED)
    page = signed_in.get(portal_url("reschedule", customer, pk=order.pk)).content.decode()
    assert "Your booking moves at once." in page
    day = timezone.localdate() + timedelta(days=6)
    answer = signed_in.post(
        portal_url("reschedule", customer, pk=order.pk), {"day": day.isoformat(), "time": "14:00"}
    )
    assert answer.status_code == 302
    order.refresh_from_db()
    assert timezone.localtime(order.starts_at).date() == day
    assert timezone.localtime(order.starts_at).time() == time(14)
    assert not Callback.objects.exists()
    page = signed_in.get(answer["Location"]).content.decode()
    assert "Your booking is moved." in page
