"""Billing reads the acceptances after its cursor (orders.events): each drafted once, the
history not read again, a full batch continued by the next sweep."""

import importlib
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from orders.billing.invoicing import invoice_accepted_orders
from orders.events import SETTLE
from orders.models import EventCursor, Invoice, InvoiceLine, LineKind
from tests.concurrency import race
from tests.orders.test_billing import accepted_order


def service_lines(order) -> int:
    return InvoiceLine.objects.filter(order=order, kind=LineKind.SERVICE).count()


def test_an_invoiced_acceptance_is_not_read_again(world):
    billed = accepted_order(world.a)
    with time_machine.travel(timezone.now() + SETTLE + timedelta(minutes=1), tick=False):
        assert invoice_accepted_orders() == 1
        # Were the history read again, an invoice deleted since would be drafted again.
        Invoice.objects.filter(lines__order=billed).delete()
        new = accepted_order(world.a)
        assert invoice_accepted_orders() == 1
    assert (service_lines(billed), service_lines(new)) == (0, 1)


def test_a_full_batch_is_continued_by_the_next_sweep(world):
    orders = [accepted_order(world.a) for _ in range(3)]
    with time_machine.travel(timezone.now() + SETTLE + timedelta(minutes=1), tick=False):
        assert invoice_accepted_orders(limit=2) == 2
        assert invoice_accepted_orders(limit=2) == 1
        assert invoice_accepted_orders(limit=2) == 0
    assert [service_lines(order) for order in orders] == [1, 1, 1]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_acceptance_between_two_racing_sweeps_is_invoiced_once(world):
    orders = [accepted_order(world.a) for _ in range(3)]
    assert sum(race(invoice_accepted_orders, invoice_accepted_orders)) == 3  # type: ignore[arg-type]
    orders.append(accepted_order(world.a))
    outcomes = race(invoice_accepted_orders, invoice_accepted_orders)
    assert sum(outcomes) == 1, outcomes  # type: ignore[arg-type]
    assert [service_lines(order) for order in orders] == [1, 1, 1, 1]


def test_after_the_deploy_billing_takes_up_the_acceptances_not_invoiced(world):
    accepted_order(world.a)
    invoice_accepted_orders()
    waiting = accepted_order(world.a)
    EventCursor.objects.all().delete()

    migration = importlib.import_module("orders.migrations.0017_event_cursors")
    migration.position_billing(apps, None)

    assert EventCursor.objects.get().last_event_id == waiting.events.get().pk - 1
    assert invoice_accepted_orders() == 1
    assert service_lines(waiting) == 1
