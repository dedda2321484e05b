"""The customer's booking requests (issue 18): asked for as the customer, quoted or declined
by the dispatcher."""

import uuid
from dataclasses import replace
from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from agency.audit import Actor
from agency.errors import StateConflict
from agency.idempotency import RepeatedSubmission
from agency.models import AuditLog, OutboundMessage, Role
from orders.intake.booking_requests import MAX_PHOTOS
from orders.intake.services.booking_requests import (
    RequestInput,
    booking_request_decline,
    booking_request_from_order,
    booking_request_quote,
    booking_request_submit,
)
from orders.models import BookingRequest, BookingRequestStatus, CustomerAddress, OrderEvent
from tests.factories import (
    CustomerAddressFactory,
    CustomerFactory,
    DistrictFactory,
    ServiceTypeFactory,
)
from tests.orders.conftest import CUSTOMER, needs_for
from tests.uploads import pdf, photo

TODAY = date(2026, 12, 9)


@pytest.fixture
def customer(world):
    DistrictFactory(agency=world.a.agency, name="朝阳区")
    DistrictFactory(agency=world.a.agency, name="海淀区")
    return CustomerFactory(agency=world.a.agency, name="王芳", phone="13800138000")


@pytest.fixture
def as_customer(customer):
    return Actor.customer(customer.pk, ip_address="198.51.100.7")


def wish(service, **overrides):
    values = {
        "service_type": service,
        "first_day": TODAY + timedelta(days=2),
        "last_day": TODAY + timedelta(days=4),
        "time_start": time(9),
        "time_end": time(12),
        "district": "朝阳区",
        "street_address": "建国路 88 号 501",
        "pets": "一只猫",
    }
    return RequestInput(**{**values, **overrides})


def submit(customer, actor, service, photos=(), key=None, **overrides):
    return booking_request_submit(
        customer=customer,
        actor=actor,
        wish=wish(service, **overrides),
        photos=photos,
        submission_key=key,
    )


def test_a_request_waits_with_its_new_address_and_photos(customer, as_customer, cleaning):
    request = submit(customer, as_customer, cleaning, photos=[photo("a.png"), photo("b.png")])

    assert request.status == BookingRequestStatus.WAITING
    assert request.address.customer == customer
    assert (request.address.district, request.address.detail) == ("朝阳区", "建国路 88 号 501")
    assert request.photos.count() == 2
    entry = AuditLog.objects.get(action="booking_request.submit")
    assert entry.customer_id == customer.pk and entry.actor is None
    assert entry.ip_address == "198.51.100.7"


def test_a_district_is_matched_by_the_agencys_spelling(world, customer, as_customer, cleaning):
    DistrictFactory(agency=world.a.agency, name="Chaoyang")
    request = submit(customer, as_customer, cleaning, district=" chaoyang ")
    assert request.address.district == "Chaoyang"


def test_a_saved_address_is_used_as_it_is(customer, as_customer, cleaning):
    saved = CustomerAddressFactory(agency=customer.agency, customer=customer, district="远郊")
    request = submit(customer, as_customer, cleaning, address=saved, district="")
    assert request.address == saved
    assert CustomerAddress.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"district": "通州区"}, "district", "does not serve this district"),
        ({"first_day": TODAY - timedelta(days=1)}, "first_day", "from today on"),
        ({"first_day": TODAY, "last_day": None, "time_start": time(8)}, "time_start", "passed"),
        ({"last_day": TODAY}, "last_day", "before the first"),
        ({"time_end": time(9)}, "time_end", "after the start"),
        ({"street_address": " "}, "street_address", "street address"),
    ],
)
def test_a_request_is_refused_with_the_reason(
    customer, as_customer, cleaning, overrides, field, message
):
    with pytest.raises(ValidationError) as refused:
        submit(customer, as_customer, cleaning, **overrides)
    assert message in " ".join(refused.value.message_dict[field])
    assert not BookingRequest.objects.exists()


def test_the_district_refusal_lists_the_districts_served(customer, as_customer, cleaning):
    with pytest.raises(ValidationError) as refused:
        submit(customer, as_customer, cleaning, district="通州区")
    assert "朝阳区、海淀区" in refused.value.message_dict["district"][0]


def test_later_today_is_a_time_still_to_come(customer, as_customer, cleaning):
    request = submit(
        customer, as_customer, cleaning, first_day=TODAY, last_day=None, time_start=time(10, 30)
    )
    assert request.first_day == TODAY


def test_an_inactive_or_other_agencys_service_is_refused(world, customer, as_customer, cleaning):
    retired = ServiceTypeFactory(agency=world.a.agency, is_active=False)
    theirs = ServiceTypeFactory(agency=world.b.agency)
    for service in (retired, theirs):
        with pytest.raises(ValidationError) as refused:
            submit(customer, as_customer, service)
        assert "services the agency offers" in refused.value.message_dict["service_type"][0]


def test_another_customers_saved_address_is_refused(world, customer, as_customer, cleaning):
    other = CustomerAddressFactory(agency=world.a.agency)
    with pytest.raises(ValidationError) as refused:
        submit(customer, as_customer, cleaning, address=other)
    assert "saved addresses" in refused.value.message_dict["address"][0]


def test_too_many_photos_or_a_file_that_is_not_one_is_refused(customer, as_customer, cleaning):
    too_many = [photo(f"{n}.png") for n in range(MAX_PHOTOS + 1)]
    with pytest.raises(ValidationError) as refused:
        submit(customer, as_customer, cleaning, photos=too_many)
    assert "at most 6 photos" in refused.value.message_dict["photos"][0]
    with pytest.raises(ValidationError) as refused:
        submit(customer, as_customer, cleaning, photos=[pdf("rooms.png")])
    assert "photos" in refused.value.message_dict
    assert not BookingRequest.objects.exists()


def test_only_the_customer_themselves_asks(world, customer, cleaning):
    someone_else = Actor.customer(CustomerFactory(agency=world.a.agency).pk)
    office = Actor(user=world.a.user(Role.DISPATCHER))
    for actor in (someone_else, office):
        with pytest.raises(PermissionDenied):
            submit(customer, actor, cleaning)


def test_the_same_submission_twice_is_one_request(customer, as_customer, cleaning):
    key = uuid.uuid4()
    first = submit(customer, as_customer, cleaning, key=key)
    with pytest.raises(RepeatedSubmission) as repeat:
        submit(customer, as_customer, cleaning, key=key)
    assert repeat.value.earlier == first
    assert BookingRequest.objects.count() == 1


def test_rebooking_repeats_the_service_place_and_needs(customer, as_customer, book):
    past = book(customer=CUSTOMER)
    wish_again = booking_request_from_order(order=past)
    assert wish_again.service_type == past.service_type
    assert wish_again.address == past.needs_form.address
    assert (wish_again.pets, wish_again.allergies) == ("一只猫", "对芒果过敏")
    assert wish_again.first_day == TODAY + timedelta(days=1)
    assert (wish_again.time_start, wish_again.time_end) == (time(9), time(12))
    rebooked = booking_request_submit(
        customer=past.customer,
        actor=Actor.customer(past.customer.pk),
        wish=wish_again,
    )
    assert rebooked.rebooked_from == past
    stranger = CustomerFactory(agency=past.agency)
    with pytest.raises(ValidationError) as refused:
        booking_request_submit(
            customer=stranger,
            actor=Actor.customer(stranger.pk),
            wish=replace(wish_again, address=None, district="朝阳区", street_address="x 路 1 号"),
        )
    assert "rebooked_from" in refused.value.message_dict


@pytest.fixture
def waiting(customer, as_customer, cleaning):
    return submit(customer, as_customer, cleaning)


def test_the_dispatcher_quotes_a_request_and_the_order_links_back(
    world, waiting, dispatcher, cleaning
):
    order = booking_request_quote(
        booking_request=waiting,
        actor=dispatcher,
        branch=world.a.branch,
        customer=CUSTOMER,
        needs=needs_for(cleaning, start_date=TODAY + timedelta(days=3)),
    )
    waiting.refresh_from_db()
    assert waiting.status == BookingRequestStatus.TAKEN
    assert order.booking_request == waiting
    assert waiting.decided_by == dispatcher.user
    assert OrderEvent.objects.filter(order=order, reason__contains="booking request").exists()


def test_a_request_is_taken_once(world, waiting, dispatcher, cleaning):
    booking_request_decline(booking_request=waiting, actor=dispatcher, reason="那周没有阿姨")
    with pytest.raises(StateConflict):
        booking_request_quote(
            booking_request=waiting,
            actor=dispatcher,
            branch=world.a.branch,
            customer=CUSTOMER,
            needs=needs_for(cleaning),
        )
    assert not waiting.customer.orders.exists()


def test_a_declined_request_tells_the_customer_why(waiting, dispatcher):
    declined = booking_request_decline(
        booking_request=waiting, actor=dispatcher, reason="那周没有阿姨"
    )
    assert declined.status == BookingRequestStatus.DECLINED
    [text] = OutboundMessage.objects.filter(rule="booking_request.declined:customer")
    assert "那周没有阿姨" in text.body
    assert text.recipient == "13800138000"
    with pytest.raises(StateConflict):
        booking_request_decline(booking_request=waiting, actor=dispatcher, reason="再拒")


def test_a_decline_needs_a_reason_and_an_office_member(world, waiting, dispatcher):
    with pytest.raises(ValidationError):
        booking_request_decline(booking_request=waiting, actor=dispatcher, reason=" ")
    customer = Actor.customer(waiting.customer_id)
    with pytest.raises(PermissionDenied):
        booking_request_decline(booking_request=waiting, actor=customer, reason="不要了")
    outsider = Actor(user=world.b.user(Role.DISPATCHER))
    with pytest.raises(PermissionDenied):
        booking_request_decline(booking_request=waiting, actor=outsider, reason="不要了")


def test_a_request_on_the_eve_of_a_day_is_for_tomorrow(customer, as_customer, cleaning):
    with time_machine.travel("2026-12-09 23:30 +08:00"):
        request = submit(customer, as_customer, cleaning, first_day=TODAY + timedelta(days=1))
    assert request.first_day == TODAY + timedelta(days=1)


def test_the_order_is_for_the_customer_who_asked(world, waiting, dispatcher, cleaning):
    someone_else = CUSTOMER.__class__(
        name="张伟", phone="13900000000", district="朝阳区", address="建国路 1 号"
    )
    with pytest.raises(ValidationError) as refused:
        booking_request_quote(
            booking_request=waiting,
            actor=dispatcher,
            branch=world.a.branch,
            customer=someone_else,
            needs=needs_for(cleaning),
        )
    assert "customer who asked" in refused.value.message_dict["phone"][0]
    waiting.refresh_from_db()
    assert waiting.status == BookingRequestStatus.WAITING
