"""What the customer does themselves (issue 18), as services the portal calls with
`Actor.customer`: reschedule, cancel, ask for a callback, change their preferences.
Each is on the order's timeline and in the audit log as the customer."""

import uuid
from datetime import time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agency.audit import Actor
from agency.idempotency import RepeatedSubmission
from agency.models import AuditLog, OutboundMessage, Role
from orders.intake.selectors import callbacks_open
from orders.intake.services.callbacks import callback_request
from orders.intake.services.cancellation import cancellation_terms, order_request_cancellation
from orders.intake.services.customers import customer_preferences_update
from orders.lifecycle import OrderStateConflict
from orders.models import Callback, CancellationStatus, OrderEvent, OrderStatus, SignedVia
from orders.schedule.reschedule import order_request_reschedule, reschedule_terms
from orders.staffing.services import assignment_confirm, assignment_propose
from tests.factories import CustomerFactory, OrderFactory
from tests.orders.test_matching import confirm, make_staff, require_skill_and_certificate


def as_customer(order_or_customer):
    customer_id = getattr(order_or_customer, "customer_id", None) or order_or_customer.pk
    return Actor.customer(customer_id, ip_address="198.51.100.30")


def said_by_customer(order, text):
    line = OrderEvent.objects.filter(order=order, reason__contains=text).get()
    return line.by_customer and line.actor is None


@pytest.fixture
def confirmed(book, cleaning, dispatcher):
    require_skill_and_certificate(cleaning)
    return confirm(book(), dispatcher)


# --- reschedule ------------------------------------------------------------------


def test_an_unstaffed_job_moves_at_once_and_for_free(confirmed):
    terms = reschedule_terms(confirmed)
    assert terms.allowed and terms.direct and terms.fee == Decimal("0.00")
    later = confirmed.starts_at + timedelta(days=1)

    assert (
        order_request_reschedule(
            order=confirmed, actor=as_customer(confirmed), starts_at=later, reason="出差"
        )
        is None
    )

    confirmed.refresh_from_db()
    assert confirmed.starts_at == later
    assert said_by_customer(confirmed, "Moved from")
    assert said_by_customer(confirmed, "出差")
    entry = AuditLog.objects.get(action="order.move")
    assert entry.customer_id == confirmed.customer_id and entry.actor is None
    assert OutboundMessage.objects.filter(rule="order.moved:customer").exists()


def test_a_staffed_job_asks_the_office_on_the_callback_queue(world, confirmed, dispatcher):
    member = make_staff(confirmed)
    assignment_propose(order=confirmed, staff_list=[member], actor=dispatcher)
    assignment_confirm(order=confirmed, via="phone", actor=dispatcher)
    confirmed.refresh_from_db()
    assert not reschedule_terms(confirmed).direct
    was = confirmed.starts_at

    callback = order_request_reschedule(
        order=confirmed,
        actor=as_customer(confirmed),
        starts_at=was + timedelta(days=2),
        reason="家里有事",
    )

    confirmed.refresh_from_db()
    assert confirmed.starts_at == was
    assert list(callbacks_open(agency=world.a.agency)) == [callback]
    assert "家里有事" in callback.reason and callback.order == confirmed
    assert said_by_customer(confirmed, "asked to move")
    assert AuditLog.objects.get(action="order.reschedule_requested").customer_id


def test_a_move_is_refused_for_the_past_a_begun_job_or_another_customer(world, confirmed):
    with pytest.raises(ValidationError):
        order_request_reschedule(
            order=confirmed,
            actor=as_customer(confirmed),
            starts_at=timezone.now() - timedelta(hours=1),
        )
    stranger = Actor.customer(CustomerFactory(agency=world.a.agency).pk)
    with pytest.raises(PermissionDenied):
        order_request_reschedule(
            order=confirmed, actor=stranger, starts_at=confirmed.starts_at + timedelta(days=1)
        )
    done = OrderFactory(agency=world.a.agency, status=OrderStatus.ACCEPTED)
    assert not reschedule_terms(done).allowed
    with pytest.raises(OrderStateConflict, match="can no longer be moved"):
        order_request_reschedule(
            order=done, actor=as_customer(done), starts_at=done.starts_at + timedelta(days=1)
        )


# --- cancel ----------------------------------------------------------------------


def test_the_customer_cancels_with_the_fee_shown_first(book):
    order = book(start_date=timezone.localdate() + timedelta(days=10))
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        terms = cancellation_terms(order)
        assert terms.fee == Decimal("15.00")
        cancellation = order_request_cancellation(
            order=order,
            actor=as_customer(order),
            reason="计划有变",
            signed_name="王芳",
            via=SignedVia.LINK,
        )
    assert cancellation.status == CancellationStatus.AWAITING_APPROVAL
    assert cancellation.signature.via == SignedVia.LINK
    assert said_by_customer(order, "Cancellation requested")
    assert AuditLog.objects.get(action="order.cancellation_requested").customer_id


# --- callbacks -------------------------------------------------------------------


def test_a_callback_request_lands_on_the_queue_due_when_asked(world, book):
    order = book()
    when = timezone.now() + timedelta(hours=3)
    callback = callback_request(
        customer=order.customer,
        actor=as_customer(order),
        note="想加一次擦窗",
        when=when,
        order=order,
    )
    assert callback in callbacks_open(agency=world.a.agency)
    assert callback.due_at == when and "想加一次擦窗" in callback.reason
    assert said_by_customer(order, "想加一次擦窗")
    entry = AuditLog.objects.get(action="callback.request")
    assert entry.customer_id == order.customer_id


def test_a_callback_request_twice_asks_once(book):
    order = book()
    key = uuid.uuid4()
    first = callback_request(
        customer=order.customer, actor=as_customer(order), note="回电", submission_key=key
    )
    with pytest.raises(RepeatedSubmission) as repeat:
        callback_request(
            customer=order.customer, actor=as_customer(order), note="回电", submission_key=key
        )
    assert repeat.value.earlier == first
    assert first.due_at <= timezone.now()


def test_a_callback_request_is_refused_with_its_reasons(world, book):
    order = book()
    other = OrderFactory(agency=world.a.agency, number="2025-99999")
    with pytest.raises(ValidationError) as refused:
        callback_request(
            customer=order.customer,
            actor=as_customer(order),
            note=" ",
            when=timezone.now() - timedelta(minutes=5),
            order=other,
        )
    assert set(refused.value.message_dict) == {"note", "when", "order"}
    with pytest.raises(PermissionDenied):
        callback_request(
            customer=order.customer, actor=Actor(user=world.a.user(Role.DISPATCHER)), note="x"
        )
    assert not Callback.objects.filter(reason__contains="asked to be called").exists()


# --- preferences -----------------------------------------------------------------


def test_the_customer_changes_how_they_hear_from_the_agency(world):
    customer = CustomerFactory(agency=world.a.agency)
    updated = customer_preferences_update(
        customer=customer,
        actor=as_customer(customer),
        message_channel="email",
        email="wang@example.com",
        quiet_from=time(22),
        quiet_until=time(7),
        promotions_opt_out=True,
        preferred_language="en",
    )
    assert (updated.message_channel, updated.promotions_opt_out) == ("email", True)
    entry = AuditLog.objects.get(action="customer.update")
    assert entry.customer_id == customer.pk and entry.changes["email"] == ["***", "***"]


def test_preferences_that_cannot_be_kept_or_are_not_the_customers_are_refused(world):
    customer = CustomerFactory(agency=world.a.agency)
    with pytest.raises(ValidationError) as refused:
        customer_preferences_update(
            customer=customer, actor=as_customer(customer), message_channel="email"
        )
    assert "email" in refused.value.message_dict
    with pytest.raises(TypeError):
        customer_preferences_update(customer=customer, actor=as_customer(customer), name="x")
    other = CustomerFactory(agency=world.a.agency)
    with pytest.raises(PermissionDenied):
        customer_preferences_update(customer=customer, actor=as_customer(other), email="a@b.cn")
