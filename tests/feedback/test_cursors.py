"""The revisit sweep and the feedback requests read what is new, not the history: the order
events after their cursors and the services that became due since the last run; each event
once, whatever runs twice or commits late."""

import importlib
from datetime import datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.models import FeedbackRequest, PeriodicCursor, Revisit, RevisitKind
from feedback.revisits import sweep_revisits
from feedback.services import request_feedback_for_accepted_orders
from orders.events import SETTLE
from orders.models import Customer, EventCursor, Order, OrderEvent, OrderStatus
from tests.concurrency import race
from tests.factories import OrderFactory

#: The policy's default time to a repeat customer's periodic revisit.
PERIODIC_AFTER = timedelta(days=90)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def repeat_customers(tenant, *, count: int, last_service_ended: datetime) -> list[Customer]:
    """`count` customers of the tenant, each with two accepted orders, the last one ended at
    `last_service_ended` (written in bulk: the history, not what the test is about)."""
    template = OrderFactory(agency=tenant.agency, branch=tenant.branch)
    first = Customer.objects.count()
    people = Customer.objects.bulk_create(
        Customer(agency=tenant.agency, name=f"回头客{n}", phone=f"139{n:08d}")
        for n in range(first, first + count)
    )
    Order.objects.bulk_create(
        Order(
            agency=tenant.agency,
            branch=template.branch,
            needs_form=template.needs_form,
            service_type=template.service_type,
            customer=person,
            number=f"H{person.pk}-{visit}",
            status=OrderStatus.ACCEPTED,
            starts_at=last_service_ended - timedelta(days=30 * visit, hours=3),
            ends_at=last_service_ended - timedelta(days=30 * visit),
        )
        for person in people
        for visit in (0, 1)
    )
    return people


def accepted(tenant, **fields) -> Order:
    """An accepted order of the tenant with its acceptance event, written now."""
    order = OrderFactory(
        agency=tenant.agency, branch=tenant.branch, status=OrderStatus.ACCEPTED, **fields
    )
    OrderEvent.objects.create(
        agency=tenant.agency,
        order=order,
        from_status=OrderStatus.INSPECTION,
        to_status=OrderStatus.ACCEPTED,
    )
    return order


def sweeps(first: datetime) -> list[int]:
    """Statements of a sweep at `first` and of the next one a minute later (nothing new)."""
    counts = []
    for moment in (first, first + timedelta(minutes=1)):
        with at(moment), CaptureQueriesContext(connection) as statements:
            sweep_revisits(now=moment)
        counts.append(len(statements))
    return counts


def periodic() -> int:
    return Revisit.objects.filter(kind=RevisitKind.PERIODIC).count()


def test_the_revisit_sweeps_statements_do_not_grow_with_the_served_history(world):
    start = timezone.now()
    sweep_revisits(now=start)  # running already: the agencies' policies are there
    repeat_customers(world.a, count=50, last_service_ended=start)
    # An hour after they became due: planned, not yet overdue.
    small = sweeps(start + PERIODIC_AFTER + timedelta(hours=1))
    assert periodic() == 50

    # Served later, due before the first ones are overdue (no escalations in the count).
    later = start + timedelta(hours=12)
    repeat_customers(world.a, count=500, last_service_ended=later)
    large = sweeps(later + PERIODIC_AFTER + timedelta(hours=1))

    assert periodic() == 550
    assert large == small


def test_a_repeat_customer_gets_one_periodic_revisit_when_due_and_one_per_new_last_service(world):
    start = timezone.now()
    (person,) = repeat_customers(world.a, count=1, last_service_ended=start)
    last = Order.objects.filter(customer=person).latest("pk")
    with at(start + PERIODIC_AFTER - timedelta(minutes=1)):
        assert sweep_revisits()["scheduled"] == 0
    with at(start + PERIODIC_AFTER):
        assert sweep_revisits()["scheduled"] == 1
    with at(start + PERIODIC_AFTER + timedelta(hours=1)):
        assert sweep_revisits()["scheduled"] == 0
        # An order served before the last one, accepted only now: its customer was due
        # before the sweep's cursor, and is owed a revisit for it all the same.
        late = accepted(
            world.a,
            needs_form__customer=person,
            starts_at=start - timedelta(days=2, hours=3),
            ends_at=start - timedelta(days=2),
        )
        sweep_revisits()
        assert periodic() == 2
    assert set(
        Revisit.objects.filter(kind=RevisitKind.PERIODIC).values_list("source", flat=True)
    ) == {
        f"periodic-{person.pk}-{last.pk}",
        f"periodic-{person.pk}-{late.pk}",
    }


def test_an_acceptance_read_once_is_not_read_again(world):
    asked = accepted(world.a)
    with at(timezone.now() + SETTLE + timedelta(minutes=1)):
        assert request_feedback_for_accepted_orders() == 1
        # Were the history read again, a request lost since would be sent again.
        FeedbackRequest.objects.filter(order=asked).delete()
        new = accepted(world.a)
        assert request_feedback_for_accepted_orders() == 1
    assert list(FeedbackRequest.objects.values_list("order", flat=True)) == [new.pk]


def test_an_event_committed_after_a_newer_one_was_read_is_read_all_the_same(world):
    start = timezone.now()
    first = accepted(world.a)
    with at(start + SETTLE + timedelta(minutes=1)):
        # A newer event, and one with a lower id whose transaction is still open.
        newer = OrderEvent.objects.create(
            pk=first.events.get().pk + 10,
            agency=world.a.agency,
            order=OrderFactory(agency=world.a.agency, branch=world.a.branch),
            to_status=OrderStatus.ACCEPTED,
        )
        assert request_feedback_for_accepted_orders() == 2
        late = OrderFactory(agency=world.a.agency, branch=world.a.branch)
        OrderEvent.objects.create(
            pk=newer.pk - 5, agency=world.a.agency, order=late, to_status=OrderStatus.ACCEPTED
        )
        assert request_feedback_for_accepted_orders() == 1
        assert request_feedback_for_accepted_orders() == 0
    assert FeedbackRequest.objects.filter(order=late).count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_acceptance_between_two_racing_sweeps_is_asked_once(world):
    for _ in range(3):
        accepted(world.a)
    assert (
        sum(race(request_feedback_for_accepted_orders, request_feedback_for_accepted_orders)) == 3
    )
    late = accepted(world.a)
    outcomes = race(request_feedback_for_accepted_orders, request_feedback_for_accepted_orders)
    assert sum(outcomes) == 1, outcomes
    assert FeedbackRequest.objects.count() == 4
    assert FeedbackRequest.objects.filter(order=late).count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_racing_revisit_sweeps_plan_each_revisit_once(world):
    calls = Revisit.objects.filter(kind=RevisitKind.SATISFACTION_CALL)
    for _ in range(3):
        accepted(world.a)
    outcomes = race(sweep_revisits, sweep_revisits)
    assert all(isinstance(o, dict) for o in outcomes), outcomes
    assert calls.count() == 3
    late = accepted(world.a)
    outcomes = race(sweep_revisits, sweep_revisits)
    assert all(isinstance(o, dict) for o in outcomes), outcomes
    assert calls.count() == 4
    assert calls.filter(order=late).count() == 1


def test_after_the_deploy_the_sweeps_take_up_what_the_old_ones_left_and_nothing_more(world):
    start = timezone.now()
    accepted(world.a)
    request_feedback_for_accepted_orders()
    sweep_revisits(now=start)
    # Accepted after the last sweep before the deploy, and a repeat customer due by then.
    waiting = accepted(world.a)
    (person,) = repeat_customers(world.a, count=1, last_service_ended=start - PERIODIC_AFTER)
    EventCursor.objects.all().delete()
    PeriodicCursor.objects.all().delete()

    migration = importlib.import_module("feedback.migrations.0007_periodic_cursors")
    migration.position_cursors(apps, None)

    behind_waiting = waiting.events.get().pk - 1
    assert dict(EventCursor.objects.values_list("consumer", "last_event_id")) == {
        "feedback.requests": behind_waiting,
        "feedback.revisits": behind_waiting,
    }
    assert request_feedback_for_accepted_orders() == 1
    assert FeedbackRequest.objects.filter(order=waiting).exists()
    assert sweep_revisits(now=start)["scheduled"] == 2
    assert set(
        Revisit.objects.filter(kind=RevisitKind.PERIODIC).values_list("customer", flat=True)
    ) == {person.pk}
    assert Revisit.objects.filter(order=waiting, kind=RevisitKind.SATISFACTION_CALL).exists()
