"""Booking from the portal (issue 18): the form, a refusal next to its field, a double tap
booking once, rebooking a past order in two taps, and the list of requests in plain words."""

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from agency.models import AuditLog
from orders.models import BookingRequest, BookingRequestStatus, OrderStatus
from tests.factories import (
    BookingRequestFactory,
    CustomerAddressFactory,
    DistrictFactory,
    OrderFactory,
    ServiceTypeFactory,
)
from tests.portal.conftest import portal_url
from tests.uploads import photo, text_as

TOMORROW = date(2026, 12, 10)


@pytest.fixture
def cleaning(customer):
    DistrictFactory(agency=customer.agency, name="朝阳区")
    return ServiceTypeFactory(agency=customer.agency, name_en="Home cleaning")


def booking(service, **overrides):
    return {
        "service_type": service.pk,
        "first_day": TOMORROW.isoformat(),
        "last_day": "",
        "time_start": "09:00",
        "time_end": "12:00",
        "address": "",
        "district": "朝阳区",
        "street_address": "建国路 88 号 501",
        "pets": "一只猫",
        "submission_key": str(uuid.uuid4()),
        **overrides,
    }


def test_the_booking_form_offers_the_agencys_active_services_and_districts(
    signed_in, customer, cleaning
):
    ServiceTypeFactory(agency=customer.agency, name_en="Old service", is_active=False)
    page = signed_in.get(portal_url("book", customer)).content.decode()
    assert "Home cleaning" in page and "Old service" not in page
    assert "朝阳区" in page and 'name="submission_key"' in page


def test_a_booking_with_a_photo_waits_for_a_quote_as_the_customers(signed_in, customer, cleaning):
    answer = signed_in.post(
        portal_url("book", customer), {**booking(cleaning), "photos": [photo("kitchen.png")]}
    )
    assert answer.status_code == 302
    assert answer["Location"] == portal_url("booking_requests", customer)
    request = BookingRequest.objects.get(customer=customer)
    assert request.status == BookingRequestStatus.WAITING
    assert request.photos.count() == 1 and request.pets == "一只猫"
    entry = AuditLog.objects.get(action="booking_request.submit")
    assert entry.customer_id == customer.pk and entry.actor is None
    page = signed_in.get(answer["Location"]).content.decode()
    assert "Your request is sent" in page and "Waiting: we will call you with a price" in page


def test_a_district_the_agency_does_not_serve_is_refused_next_to_the_field(
    signed_in, customer, cleaning
):
    answer = signed_in.post(portal_url("book", customer), booking(cleaning, district="外地"))
    assert answer.status_code == 400
    assert "district" in answer.context["form"].errors
    assert not BookingRequest.objects.exists()


def test_a_day_already_past_is_refused(signed_in, customer, cleaning):
    yesterday = (TOMORROW - timedelta(days=2)).isoformat()
    answer = signed_in.post(portal_url("book", customer), booking(cleaning, first_day=yesterday))
    assert answer.status_code == 400
    assert "Choose a day from today on." in answer.context["form"].errors["first_day"]


def test_the_same_form_sent_twice_is_one_request(signed_in, customer, cleaning):
    data = booking(cleaning)
    first = signed_in.post(portal_url("book", customer), data)
    second = signed_in.post(portal_url("book", customer), data)
    assert first.status_code == second.status_code == 302
    assert BookingRequest.objects.filter(customer=customer).count() == 1


def test_a_saved_address_of_another_customer_is_not_offered(
    signed_in, customer, other_customer, cleaning
):
    theirs = CustomerAddressFactory(agency=customer.agency, customer=other_customer)
    answer = signed_in.post(
        portal_url("book", customer), booking(cleaning, address=theirs.pk, district="")
    )
    assert answer.status_code == 400 and "address" in answer.context["form"].errors


def test_book_again_prefills_the_form_from_a_past_order_and_sends_in_one_tap(
    signed_in, customer, cleaning
):
    past = OrderFactory(
        agency=customer.agency,
        needs_form__customer=customer,
        needs_form__service_type=cleaning,
        needs_form__pets="两只狗",
        status=OrderStatus.PAID,
        starts_at=timezone.now() - timedelta(days=20),
    )
    detail = signed_in.get(portal_url("order", customer, pk=past.pk)).content.decode()
    assert portal_url("rebook", customer, pk=past.pk) in detail
    form = signed_in.get(portal_url("rebook", customer, pk=past.pk)).context["form"]
    assert form.initial["pets"] == "两只狗"
    assert form.initial["address"] == past.needs_form.address_id
    data = {
        name: form[name].value() or "" for name in form.fields if name not in {"photos", "last_day"}
    }
    data["first_day"] = form.initial["first_day"].isoformat()
    data["time_start"] = form.initial["time_start"].strftime("%H:%M")
    data["time_end"] = form.initial["time_end"].strftime("%H:%M")
    answer = signed_in.post(portal_url("rebook", customer, pk=past.pk), data)
    assert answer.status_code == 302
    request = BookingRequest.objects.get(customer=customer)
    assert request.rebooked_from == past and request.address == past.needs_form.address


def test_the_requests_list_says_where_each_stands_in_plain_words(
    signed_in, customer, django_assert_num_queries
):
    BookingRequestFactory(agency=customer.agency, customer=customer)
    BookingRequestFactory(
        agency=customer.agency,
        customer=customer,
        status=BookingRequestStatus.DECLINED,
        decline_reason="那周没有阿姨",
    )
    signed_in.get(portal_url("booking_requests", customer))  # the session, once
    with django_assert_num_queries(5):
        page = signed_in.get(portal_url("booking_requests", customer)).content.decode()
    assert "Waiting: we will call you with a price" in page
    assert "Declined" in page and "那周没有阿姨" in page
    BookingRequestFactory.create_batch(3, agency=customer.agency, customer=customer)
    with django_assert_num_queries(5):
        signed_in.get(portal_url("booking_requests", customer))


def test_another_customers_requests_are_not_listed(signed_in, customer, other_customer):
    BookingRequestFactory(agency=customer.agency, customer=other_customer, pets="别人的猫")
    page = signed_in.get(portal_url("booking_requests", customer)).content.decode()
    assert "别人的猫" not in page and "You have asked for nothing yet." in page


def test_too_many_photos_or_a_file_that_is_no_photo_is_refused_next_to_the_photos(
    signed_in, customer, cleaning
):
    many = [photo(f"{n}.png") for n in range(7)]
    answer = signed_in.post(portal_url("book", customer), {**booking(cleaning), "photos": many})
    assert answer.status_code == 400 and "photos" in answer.context["form"].errors
    answer = signed_in.post(
        portal_url("book", customer), {**booking(cleaning), "photos": [text_as("a.jpg")]}
    )
    assert answer.status_code == 400 and "photos" in answer.context["form"].errors
    assert not BookingRequest.objects.exists()
