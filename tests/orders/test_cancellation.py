"""Cancellation: free within the window, later a fee a manager approves; special services never."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agency.models import Role
from orders.intake.services.cancellation import (
    cancellation_approve,
    cancellation_reject,
    cancellation_terms,
    order_request_cancellation,
)
from orders.lifecycle import OrderStateConflict
from orders.models import CancellationStatus, OrderStatus, SignedVia
from tests.factories import PriceFactory, ServiceTypeFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _cancel(order, actor, **overrides):
    values = {
        "reason": "行程有变",
        "signed_name": "王芳",
        "via": SignedVia.OFFICE,
        "verification_reason": "电话中确认",
    }
    return order_request_cancellation(order=order, actor=actor, **{**values, **overrides})


def test_within_48_hours_of_ordering_cancelling_is_free_and_immediate(book, dispatcher):
    order = book()
    cancellation = _cancel(order, dispatcher)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert (cancellation.fee, cancellation.status) == (Decimal("0.00"), CancellationStatus.APPROVED)
    assert cancellation.signature.verified_by == dispatcher.user


def test_after_48_hours_a_fee_of_ten_percent_waits_for_a_manager(book, dispatcher, manager):
    order = book(start_date=timezone.localdate() + timedelta(days=10))
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        terms = cancellation_terms(order)
        assert (terms.price, terms.fee_percent, terms.fee) == (
            Decimal("150.00"),
            Decimal("10.00"),
            Decimal("15.00"),
        )
        cancellation = _cancel(order, dispatcher)
        order.refresh_from_db()
        assert order.status == OrderStatus.QUOTED
        assert cancellation.status == CancellationStatus.AWAITING_APPROVAL

        with pytest.raises(PermissionDenied):
            cancellation_approve(cancellation=cancellation, actor=dispatcher)
        cancellation_approve(cancellation=cancellation, actor=manager, note_text="同意")
    order.refresh_from_db()
    cancellation.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert (cancellation.status, cancellation.decided_by, cancellation.fee) == (
        CancellationStatus.APPROVED,
        manager.user,
        Decimal("15.00"),
    )


def test_the_fee_percent_is_the_agencys_setting(book, dispatcher, world):
    world.a.agency.late_cancellation_fee_percent = Decimal("20.00")
    world.a.agency.save()
    order = book(start_date=timezone.localdate() + timedelta(days=10))
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert cancellation_terms(order).fee == Decimal("30.00")


def test_a_rejected_cancellation_leaves_the_order_as_it_was(book, dispatcher, manager):
    order = book(start_date=timezone.localdate() + timedelta(days=10))
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        cancellation = _cancel(order, dispatcher)
        with pytest.raises(ValidationError):
            cancellation_reject(cancellation=cancellation, actor=manager, note_text="")
        cancellation_reject(
            cancellation=cancellation, actor=manager, note_text="已安排人员，无法取消"
        )
        with pytest.raises(OrderStateConflict):
            cancellation_approve(cancellation=cancellation, actor=manager)
    order.refresh_from_db()
    assert order.status == OrderStatus.QUOTED


def test_a_special_service_cannot_be_cancelled(book, dispatcher, world):
    custom = ServiceTypeFactory(agency=world.a.agency, code="custom", is_special=True)
    PriceFactory(agency=world.a.agency, service_type=custom)
    order = book(service=custom)
    assert not cancellation_terms(order).allowed
    with pytest.raises(OrderStateConflict, match="Special"):
        _cancel(order, dispatcher)
    assert not order.cancellations.exists()


def test_a_cancellation_needs_a_reason_and_a_signature(book, dispatcher):
    order = book()
    with pytest.raises(ValidationError) as error:
        _cancel(order, dispatcher, reason=" ", signed_name="", verification_reason="")
    assert set(error.value.message_dict) == {"reason", "signed_name", "verification_reason"}
    assert not order.signatures.exists()


def test_only_one_cancellation_waits_at_a_time(book, dispatcher):
    order = book(start_date=timezone.localdate() + timedelta(days=10))
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        _cancel(order, dispatcher)
        with pytest.raises(OrderStateConflict):
            _cancel(order, dispatcher)


def test_a_job_booked_tonight_for_tomorrow_is_free_to_cancel_only_until_it_starts(
    book, dispatcher, world, client_for
):
    # Booked on 3 Dec at 22:25 for 4 Dec 09:00: 48 hours after booking would be 5 Dec 22:25,
    # long after the job has ended.
    with time_machine.travel(datetime(2026, 12, 3, 22, 25, tzinfo=SHANGHAI), tick=False):
        order = book(start_date=datetime(2026, 12, 4).date())
        starts = datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI)
        assert order.starts_at == starts
        assert cancellation_terms(order).free_until == starts
        api = client_for(world.a.user(Role.DISPATCHER)).get(f"/api/orders/{order.pk}/").json()
        assert datetime.fromisoformat(api["cancellation_terms"]["free_until"]) == starts
    with time_machine.travel(starts + timedelta(hours=1), tick=False):
        terms = cancellation_terms(order)
        assert (terms.fee_percent, terms.fee) == (Decimal("10.00"), Decimal("15.00"))
        cancellation = _cancel(order, dispatcher)
    assert cancellation.status == CancellationStatus.AWAITING_APPROVAL
