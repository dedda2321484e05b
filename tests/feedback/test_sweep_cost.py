"""What a revisit sweep costs: with nothing due, the same statements whatever the history
(issue 15); a cancellation drops its order's revisits from its event, whenever it is read."""

from datetime import datetime, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.models import Revisit, RevisitKind, RevisitStatus
from feedback.revisits import sweep_revisits
from orders.events import SETTLE
from orders.models import Customer, Order, OrderEvent, OrderStatus
from tests.factories import CallbackFactory, OrderFactory


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def history(tenant, *, served: int) -> None:
    """`served` orders of the tenant served half a year ago (two per customer), confirmed and
    accepted, one in ten more cancelled, and three open callbacks; written in bulk now."""
    template = OrderFactory(agency=tenant.agency, branch=tenant.branch)
    first = Customer.objects.count()
    people = Customer.objects.bulk_create(
        Customer(agency=tenant.agency, name=f"老客户{n}", phone=f"146{n:08d}")
        for n in range(first, first + served // 2)
    )
    ended = timezone.now() - timedelta(days=180)
    orders = Order.objects.bulk_create(
        Order(
            agency=tenant.agency,
            branch=template.branch,
            needs_form=template.needs_form,
            service_type=template.service_type,
            customer=people[n % len(people)],
            number=f"S{first}-{n}",
            status=OrderStatus.CANCELLED if n >= served else OrderStatus.CLOSED,
            starts_at=ended - timedelta(hours=n + 3),
            ends_at=ended - timedelta(hours=n),
        )
        for n in range(served + served // 10)
    )
    OrderEvent.objects.bulk_create(
        OrderEvent(agency=tenant.agency, order=order, to_status=status)
        for order in orders
        for status in (OrderStatus.CONFIRMED, outcome(order))
    )
    for person in people[:3]:
        CallbackFactory(agency=tenant.agency, customer=person)


def outcome(order: Order) -> str:
    """The event that ended the order's way: its acceptance, or its cancellation."""
    return OrderStatus.CANCELLED if order.status == OrderStatus.CANCELLED else OrderStatus.ACCEPTED


def steady_sweep(tenant, *, served: int, moment: datetime) -> list[str]:
    """The statements of a sweep with nothing due, after the sweeps that took up `served`
    more orders written at `moment`."""
    with at(moment):
        history(tenant, served=served)
    caught_up = moment + SETTLE + timedelta(minutes=1)
    with at(caught_up):
        while any(sweep_revisits().values()):
            pass
    with at(caught_up + timedelta(minutes=1)), CaptureQueriesContext(connection) as statements:
        assert not any(sweep_revisits().values())
    return [query["sql"] for query in statements.captured_queries]


def test_a_sweep_with_nothing_due_sends_the_same_statements_at_100_and_1000_served_orders(
    world,
):
    start = timezone.now()
    small = steady_sweep(world.a, served=100, moment=start)
    # Before the first orders' 24-hour calls are due: nothing is due at either size.
    large = steady_sweep(world.a, served=900, moment=start + timedelta(hours=1))

    assert Order.objects.filter(status=OrderStatus.CLOSED).count() == 1_000
    # Each history was planned: periodic revisits, calls and letters; cancelled ones dropped.
    assert Revisit.objects.filter(kind=RevisitKind.PERIODIC).count() == 500
    dropped = Revisit.objects.filter(status=RevisitStatus.DROPPED)
    assert dropped.count() == Order.objects.filter(status=OrderStatus.CANCELLED).count() == 100
    assert len(large) == len(small), "\n".join(large)


def test_a_callback_about_an_order_cancelled_before_is_planned_and_dropped(world):
    order = OrderFactory(agency=world.a.agency, branch=world.a.branch, status=OrderStatus.CANCELLED)
    OrderEvent.objects.create(agency=world.a.agency, order=order, to_status=OrderStatus.CANCELLED)
    later = timezone.now() + SETTLE + timedelta(minutes=1)
    with at(later):
        sweep_revisits()
        # The cancellation was read before the callback was taken.
        CallbackFactory(agency=world.a.agency, customer=order.customer, order=order)
        assert sweep_revisits()["dropped"] == 1
    revisit = Revisit.objects.get(kind=RevisitKind.REQUESTED_CALLBACK)
    assert (revisit.status, revisit.dropped_reason) == (RevisitStatus.DROPPED, "order cancelled")
