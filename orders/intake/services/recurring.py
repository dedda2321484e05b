"""Recurring plans: each visit becomes its own order, created a horizon ahead.

Run daily by beat (`orders.tasks.generate_recurring_orders`). Idempotent: an
order per (plan, day) is unique, so a repeated or overlapping run adds nothing.
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agency.audit import Actor
from orders.intake.services.booking import order_create, order_quote
from orders.lifecycle import order_lock, order_transition
from orders.models import Order, OrderStatus, RecurringPlan


def plan_days(plan: RecurringPlan, *, after: date, until: date) -> list[date]:
    needs = plan.needs_form
    last = min(until, needs.end_date) if needs.end_date else until
    days = []
    day = after + timedelta(days=1)
    while day <= last:
        if day.weekday() in needs.weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def plan_extend(*, plan: RecurringPlan, today: date) -> list[Order]:
    """Create the plan's orders up to the agency's horizon, confirmed at the agreed price."""
    if not plan.is_active or plan.unit_price is None:
        return []  # the customer has not confirmed the plan yet
    horizon = today + timedelta(days=plan.agency.recurring_horizon_days)
    start_after = max(plan.generated_until or today, today - timedelta(days=1))
    created = []
    actor = Actor.system()
    existing = set(plan.orders.values_list("occurrence_date", flat=True))
    for day in plan_days(plan, after=start_after, until=horizon):
        if day in existing:
            continue
        try:
            with transaction.atomic():
                created.append(_confirmed_occurrence(plan, day, actor=actor))
        except IntegrityError:
            continue  # a concurrent run created this day's order first
    RecurringPlan.objects.filter(pk=plan.pk).update(generated_until=horizon)
    return created


def _confirmed_occurrence(plan: RecurringPlan, day: date, *, actor: Actor) -> Order:
    order = order_create(
        needs_form=plan.needs_form, branch=plan.branch, on=day, actor=actor, plan=plan
    )
    quote = order_quote(order=order, actor=actor)
    order = order_lock(order)
    order.confirmed_quote = quote
    order.save(update_fields=["confirmed_quote", "updated_at"])
    order_transition(
        order=order,
        to=OrderStatus.CONFIRMED,
        actor=actor,
        reason=_("Confirmed under the recurring plan."),
    )
    return order


def plans_extend_all(*, agency_id: int) -> int:
    """Extend every active plan of one agency; returns how many orders were created."""
    plans = RecurringPlan.objects.filter(
        agency_id=agency_id, is_active=True, unit_price__isnull=False
    )
    created = 0
    for plan in plans.select_related("agency", "needs_form", "branch"):
        created += len(plan_extend(plan=plan, today=plan.agency.today()))
    return created
