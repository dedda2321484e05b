"""A phone call becomes a quoted order; the customer confirms it."""

import uuid
from dataclasses import replace
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agency.audit import Actor
from orders.intake.services.booking import order_confirm, order_quote
from orders.lifecycle import OrderStateConflict
from orders.models import (
    Callback,
    Customer,
    Order,
    OrderStatus,
    PricingUnit,
    ScheduleKind,
    SignedVia,
)
from tests.factories import PriceFactory, ServiceTypeFactory
from tests.orders.conftest import CUSTOMER


def test_a_booking_becomes_a_quoted_order_with_its_timeline(book):
    order = book()
    assert order.status == OrderStatus.QUOTED
    assert order.number.startswith(f"{timezone.localdate().year}-")
    quote = order.quotes.get()
    assert (quote.quantity, quote.unit_price, quote.total) == (
        Decimal("3.00"),
        Decimal("50.00"),
        Decimal("150.00"),
    )
    assert [e.to_status for e in order.events.all()] == ["", OrderStatus.QUOTED]
    assert order.needs_form.special_needs == {"allergies": "对芒果过敏", "pets": "一只猫"}


def test_the_same_phone_finds_the_existing_customer(book):
    first = book()
    second = book(customer=replace(CUSTOMER, name="王女士", phone="13800138000"))
    assert first.customer == second.customer
    assert Customer.objects.count() == 1
    assert first.needs_form.address == second.needs_form.address


def test_order_numbers_follow_each_other_per_agency(book):
    numbers = [book().number for _ in range(3)]
    sequence = [int(n.split("-")[1]) for n in numbers]
    assert sequence == [sequence[0], sequence[0] + 1, sequence[0] + 2]


def test_a_live_in_placement_is_one_order_over_its_days(book, world):
    carer = ServiceTypeFactory(agency=world.a.agency, code="yuesao", pricing_unit=PricingUnit.DAY)
    PriceFactory(agency=world.a.agency, service_type=carer, unit_price=Decimal("400.00"))
    order = book(service=carer, schedule_kind=ScheduleKind.LIVE_IN, days=26)
    assert (order.ends_at - order.starts_at).days == 25
    assert order.quotes.get().total == Decimal("10400.00")


def test_bad_schedules_are_refused_and_nothing_is_written(book):
    with pytest.raises(ValidationError) as error:
        book(start_date=timezone.localdate() - timedelta(days=1))
    assert "start_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        book(schedule_kind=ScheduleKind.RECURRING, weekdays=[])
    assert "weekdays" in error.value.message_dict
    with pytest.raises(ValidationError):
        book(time_start=time(12, 0), time_end=time(9, 0))
    assert Order.objects.count() == 0 and Customer.objects.count() == 0


def test_a_gap_in_the_price_list_is_a_clear_error(book, world):
    unpriced = ServiceTypeFactory(agency=world.a.agency, code="repair")
    with pytest.raises(ValidationError) as error:
        book(service=unpriced)
    assert "price list has no price" in error.value.message_dict["start_date"][0]
    assert Order.objects.count() == 0


def test_a_callback_request_is_due_in_n_days_whether_or_not_staff_is_found(book):
    order = book(callback_in_days=3)
    callback = Callback.objects.get(order=order)
    assert timedelta(days=2, hours=23) < callback.due_at - timezone.now() <= timedelta(days=3)


def test_the_office_confirms_on_the_customers_behalf_and_says_who_and_why(book, dispatcher):
    order = book()
    with pytest.raises(ValidationError):
        order_confirm(
            order=order,
            quote_id=order.quotes.get().pk,
            signed_name="王芳",
            via=SignedVia.OFFICE,
            actor=dispatcher,
        )
    order = order_confirm(
        order=order,
        quote_id=order.quotes.get().pk,
        signed_name="王芳",
        via=SignedVia.OFFICE,
        actor=dispatcher,
        verification_reason="客户电话确认，无法使用手机签字",
    )
    assert order.status == OrderStatus.CONFIRMED
    signature = order.signatures.get()
    assert signature.verified_by == dispatcher.user and signature.via == SignedVia.OFFICE
    assert order.confirmed_quote == order.quotes.get()


def test_a_confirmation_of_an_outdated_quote_is_refused(book, dispatcher):
    order = book()
    old_quote = order.quotes.get()
    order_quote(order=order, actor=dispatcher)
    with pytest.raises(ValidationError):
        order_confirm(
            order=order,
            quote_id=old_quote.pk,
            signed_name="王芳",
            via=SignedVia.LINK,
            actor=Actor(None, "203.0.113.9"),
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.QUOTED


def test_an_illegal_transition_is_refused_with_a_clear_message(book, dispatcher):
    order = book()
    quote = order.quotes.get()
    order_confirm(
        order=order,
        quote_id=quote.pk,
        signed_name="王芳",
        via=SignedVia.LINK,
        actor=Actor(None, "203.0.113.9"),
    )
    with pytest.raises(OrderStateConflict, match="Confirmed"):
        order_quote(order=order, actor=dispatcher)


def test_the_same_submission_twice_books_once(book):
    key = uuid.uuid4()
    first = book(submission_key=key)
    with pytest.raises(ValidationError, match=first.number):
        book(submission_key=key)
    assert Order.objects.count() == 1
