"""Recurring plans: every visit is its own order, created a horizon ahead, once."""

from datetime import timedelta
from decimal import Decimal

import time_machine
from django.utils import timezone

from agency.audit import Actor
from orders.intake.services.booking import order_confirm
from orders.intake.services.catalogue import price_set
from orders.intake.services.recurring import plan_extend
from orders.models import Order, OrderStatus, ScheduleKind, SignedVia
from orders.tasks import generate_recurring_orders_for


def _weekly(book):
    start = timezone.localdate() + timedelta(days=1)
    order = book(schedule_kind=ScheduleKind.RECURRING, start_date=start, weekdays=[start.weekday()])
    return order, order.plan


def test_visits_wait_until_the_customer_confirms_the_plan(book):
    _, plan = _weekly(book)
    assert plan_extend(plan=plan, today=timezone.localdate()) == []
    assert Order.objects.count() == 1


def test_a_confirmed_plan_creates_each_visit_as_a_confirmed_order_once(book, world):
    order, plan = _weekly(book)
    order_confirm(
        order=order,
        quote_id=order.quotes.get().pk,
        signed_name="王芳",
        via=SignedVia.LINK,
        actor=Actor(None),
    )
    created = generate_recurring_orders_for(world.a.agency.pk)
    # The first visit is tomorrow; only the next weekly one falls within the 14-day horizon.
    assert created == 1
    assert generate_recurring_orders_for(world.a.agency.pk) == 0
    visits = Order.objects.filter(plan=plan).order_by("starts_at")
    assert [o.status for o in visits] == [OrderStatus.CONFIRMED] * 2
    assert len({o.number for o in visits}) == 2
    assert (visits[1].starts_at - visits[0].starts_at).days == 7
    assert all(v.confirmed_quote.total == Decimal("150.00") for v in visits[1:])


def test_later_visits_keep_the_price_the_customer_agreed_to(book, world, manager):
    order, plan = _weekly(book)
    order_confirm(
        order=order,
        quote_id=order.quotes.get().pk,
        signed_name="王芳",
        via=SignedVia.LINK,
        actor=Actor(None),
    )
    price_set(
        service_type=order.service_type,
        actor=manager,
        unit_price=Decimal("80.00"),
        effective_from=timezone.localdate(),
    )
    with time_machine.travel(timezone.now() + timedelta(days=20)):
        generate_recurring_orders_for(world.a.agency.pk)
    later = Order.objects.filter(plan=plan).exclude(pk=order.pk)
    assert later and all(o.confirmed_quote.unit_price == Decimal("50.00") for o in later)
