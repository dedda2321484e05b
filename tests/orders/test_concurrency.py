"""Concurrent changes of one order: the row lock makes exactly one win."""

import pytest

from agency.audit import Actor
from orders.intake.services.booking import order_confirm
from orders.intake.services.cancellation import order_request_cancellation
from orders.lifecycle import OrderStateConflict
from orders.models import Cancellation, OrderStatus, SignedVia
from tests.concurrency import race


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_confirming_and_cancelling_at_the_same_moment_cannot_both_win(book, dispatcher):
    order = book()
    quote_id = order.quotes.get().pk
    confirm = lambda: order_confirm(  # noqa: E731
        order=order, quote_id=quote_id, signed_name="王芳", via=SignedVia.LINK, actor=Actor(None)
    )
    cancel = lambda: order_request_cancellation(  # noqa: E731
        order=order,
        actor=dispatcher,
        reason="改期",
        signed_name="王芳",
        via=SignedVia.OFFICE,
        verification_reason="电话确认",
    )
    outcomes = race(confirm, cancel)
    order.refresh_from_db()
    errors = [o for o in outcomes if isinstance(o, Exception)]
    # Either confirmed then cancelled (free), or cancelled and the confirmation refused.
    if order.status == OrderStatus.CANCELLED and len(errors) == 1:
        assert isinstance(errors[0], OrderStateConflict)
    else:
        assert errors == []
        assert order.status == OrderStatus.CANCELLED
    assert [e.to_status for e in order.events.exclude(to_status="")].count(
        OrderStatus.CANCELLED
    ) == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_confirming_at_once_confirm_once(book, dispatcher):
    order = book()
    quote_id = order.quotes.get().pk

    def confirm():
        return order_confirm(
            order=order,
            quote_id=quote_id,
            signed_name="王芳",
            via=SignedVia.OFFICE,
            actor=dispatcher,
            verification_reason="电话确认",
        )

    outcomes = race(confirm, confirm)
    assert sum(isinstance(o, OrderStateConflict) for o in outcomes) == 1
    assert order.signatures.count() == 1
    assert Cancellation.objects.count() == 0
