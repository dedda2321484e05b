"""The portal API's customer actions (issue 18): the same services as the pages, as the
customer; Idempotency-Key on the creates; 400 with field errors, 409 on a state refusal."""

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from agency.models import AuditLog
from complaints.models import Complaint
from feedback.models import FeedbackResponse
from orders.models import BookingRequest, Callback, OrderStatus
from tests.factories import BookingRequestFactory, DistrictFactory, ServiceTypeFactory
from tests.portal.conftest import sign_in_as
from tests.portal.test_actions_pages import order_for
from tests.portal.test_api import api
from tests.uploads import photo


@pytest.fixture
def signed(client, customer):
    return sign_in_as(client, customer)


@pytest.fixture
def cleaning(customer):
    DistrictFactory(agency=customer.agency, name="朝阳区")
    return ServiceTypeFactory(agency=customer.agency)


def booking(service, **overrides):
    return {
        "service_type": service.pk,
        "first_day": date(2026, 12, 11).isoformat(),
        "time_start": "09:00",
        "time_end": "12:00",
        "district": "朝阳区",
        "street_address": "建国路 88 号 501",
        **overrides,
    }


def test_a_booking_request_with_photos_as_multipart_then_listed(signed, customer, cleaning):
    data = {**booking(cleaning), "photos": [photo("a.png"), photo("b.png")]}
    made = signed.post(api("booking-request-list", customer), data)
    assert made.status_code == 201, made.json()
    assert made.json()["status_label"] == "Waiting: we will call you with a price"
    assert BookingRequest.objects.get().photos.count() == 2
    assert AuditLog.objects.get(action="booking_request.submit").customer_id == customer.pk
    listed = signed.get(api("booking-request-list", customer)).json()
    assert [row["id"] for row in listed["results"]] == [made.json()["id"]]


def test_the_same_idempotency_key_books_once_and_answers_the_first(signed, customer, cleaning):
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    url = api("booking-request-list", customer)
    first = signed.post(url, booking(cleaning), content_type="application/json", **key)
    again = signed.post(url, booking(cleaning), content_type="application/json", **key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert BookingRequest.objects.count() == 1


def test_a_refused_booking_is_a_400_with_the_field(signed, customer, cleaning):
    refused = signed.post(
        api("booking-request-list", customer),
        booking(cleaning, district="外地"),
        content_type="application/json",
    )
    assert refused.status_code == 400 and "district" in refused.json()


def test_another_agencys_service_is_not_found(signed, customer, cleaning, world):
    theirs = ServiceTypeFactory(agency=world.b.agency)
    refused = signed.post(
        api("booking-request-list", customer), booking(theirs), content_type="application/json"
    )
    assert refused.status_code == 400 and "service_type" in refused.json()


def test_the_booking_requests_list_has_constant_queries(
    signed, customer, django_assert_max_num_queries
):
    BookingRequestFactory.create_batch(4, agency=customer.agency, customer=customer)
    with django_assert_max_num_queries(6):
        assert signed.get(api("booking-request-list", customer)).json()["count"] == 4


def test_rebook_answers_a_prefilled_request_to_send_back(signed, customer):
    past = order_for(customer, status=OrderStatus.PAID, needs_form__pets="两只狗")
    prefill = signed.get(api("order-rebook", customer, pk=past.pk)).json()
    assert prefill["pets"] == "两只狗" and prefill["rebooked_from"] == past.pk
    sent = signed.post(
        api("booking-request-list", customer), prefill, content_type="application/json"
    )
    assert sent.status_code == 201, sent.json()
    assert BookingRequest.objects.get().rebooked_from == past


def test_move_terms_then_request(signed, customer):
    order = order_for(customer, status=OrderStatus.QUOTED)
    terms = signed.get(api("order-reschedule", customer, pk=order.pk)).json()
    assert terms == {"allowed": True, "refusal": "", "direct": False, "fee": "0.00"}
    wished = (timezone.now() + timedelta(days=6)).isoformat()
    moved = signed.post(
        api("order-reschedule", customer, pk=order.pk),
        {"starts_at": wished},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["moved"] is False
    assert Callback.objects.filter(order=order).count() == 1


def test_cancel_terms_then_cancel_then_a_second_time_is_a_409(signed, customer):
    order = order_for(customer, status=OrderStatus.QUOTED)
    terms = signed.get(api("order-cancel", customer, pk=order.pk)).json()
    assert terms["allowed"] and terms["fee"] == "0.00"
    body = {"reason": "计划有变", "signed_name": "王芳"}
    url = api("order-cancel", customer, pk=order.pk)
    done = signed.post(url, body, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "approved"
    again = signed.post(url, body, content_type="application/json")
    assert again.status_code == 409


def test_a_cancellation_without_a_signature_is_a_400(signed, customer):
    order = order_for(customer)
    refused = signed.post(
        api("order-cancel", customer, pk=order.pk), {"reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "signed_name" in refused.json()


def test_a_complaint_with_a_photo_and_its_key(signed, customer):
    order = order_for(customer)
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    data = {"category": "damage", "description": "花瓶打碎了", "order": order.pk}
    first = signed.post(api("complaint-list", customer), {**data, "attachments": [photo()]}, **key)
    again = signed.post(api("complaint-list", customer), {**data, "attachments": [photo()]}, **key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Complaint.objects.get().attachments.count() == 1
    assert signed.get(api("complaint-list", customer)).json()["count"] == 1


def test_a_callback_and_the_calls_owed(signed, customer):
    asked = signed.post(
        api("callback-list", customer), {"note": "想问月嫂"}, content_type="application/json"
    )
    assert asked.status_code == 201
    owed = signed.get(api("callback-list", customer)).json()["results"]
    assert [row["id"] for row in owed] == [Callback.objects.get().pk]
    empty = signed.post(api("callback-list", customer), {}, content_type="application/json")
    assert empty.status_code == 400 and "note" in empty.json()


def test_preferences_read_and_changed(signed, customer):
    assert signed.get(api("preferences", customer)).json()["message_channel"] == "sms"
    url = api("preferences", customer)
    refused = signed.patch(url, {"message_channel": "email"}, content_type="application/json")
    assert refused.status_code == 400 and "email" in refused.json()
    body = {"message_channel": "email", "email": "wang@example.com"}
    changed = signed.patch(url, body, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["email"] == "wang@example.com"
    assert AuditLog.objects.get(action="customer.update").customer_id == customer.pk


def test_feedback_once_then_a_409(signed, customer):
    served = order_for(customer, status=OrderStatus.ACCEPTED)
    scores = dict.fromkeys(("quality", "attitude", "punctuality", "professionalism", "overall"), 5)
    url = api("order-feedback", customer, pk=served.pk)
    assert signed.post(url, scores, content_type="application/json").status_code == 201
    assert signed.post(url, scores, content_type="application/json").status_code == 409
    assert FeedbackResponse.objects.count() == 1


def test_feedback_before_the_service_is_a_409(signed, customer):
    upcoming = order_for(customer, status=OrderStatus.CONFIRMED)
    scores = dict.fromkeys(("quality", "attitude", "punctuality", "professionalism", "overall"), 5)
    url = api("order-feedback", customer, pk=upcoming.pk)
    assert signed.post(url, scores, content_type="application/json").status_code == 409
