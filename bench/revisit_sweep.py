"""The revisit sweep: `feedback.revisits.sweep_revisits` as beat runs it every minute,
over a served history it has planned already.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench
    uv run python -m bench.revisit_sweep --agencies 20 --orders 2000

Creates (once; `--fresh` deletes and creates them again) `--agencies` agencies
`bench-revisit-NN`, each with `--orders` served orders of the last two years
(four per customer, so most customers are repeat customers), their confirmation
and acceptance events, and the revisits the sweep planned for them, done or
sent (a letter, a call and a second contact per order, a periodic revisit per
customer); 5% more orders were cancelled, with their letters dropped; 50 open
callbacks per agency are planned already. The sweep's cursors stand at the end
of that history, as after a year of runs.

Then it times, after ANALYZE and one uncounted run:
- a steady-state run with nothing due (target: < 50 ms, the same statements at
  any size of history);
- a run after `--due` things became due in each agency since the last run: that
  many orders accepted (a 24-hour call each), cancelled (their open letter
  dropped), and letters whose day came (sent, a second contact planned each).
Writes with bulk_create (not the services): load for the sweep, not real orders.
"""

import argparse
import os
import random
import statistics
import time
from datetime import timedelta
from unittest import mock

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production settings: no query logging, no debug pages.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from agency.models import Agency, Branch, OutboundMessage  # noqa: E402
from bench.generate import needs_forms  # noqa: E402
from feedback.models import (  # noqa: E402
    FeedbackPolicy,
    PeriodicCursor,
    Revisit,
    RevisitKind,
    RevisitStatus,
)
from feedback.revisits import CONSUMER, sweep_revisits  # noqa: E402
from orders.billing import invoicing as billing  # noqa: E402
from orders.models import (  # noqa: E402
    Callback,
    Customer,
    CustomerAddress,
    EventCursor,
    NeedsForm,
    Order,
    OrderEvent,
    OrderStatus,
    PricingUnit,
    ServiceCategory,
    ServiceType,
)

PREFIX = "bench-revisit-"
BATCH = 5_000
RUNS = 10
#: Confirmed orders per agency kept for the runs' cancellations (each run uses `--due`).
SPARE = 500
CALLBACKS = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="delete the agencies and create again")
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--orders", type=int, default=2_000, help="served orders per agency")
    parser.add_argument("--due", type=int, default=10, help="of each kind per agency per run")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if args.fresh:
        drop_agencies()
    rng = random.Random(2026)
    for index in range(args.agencies):
        slug = f"{PREFIX}{index:02d}"
        if not Agency.objects.filter(slug=slug).exists():
            make_agency(slug, orders=args.orders, rng=rng)
            print(f"{slug}: created")
    agencies = list(Agency.objects.filter(slug__startswith=PREFIX).order_by("pk"))
    position_cursors()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    served = Order.objects.filter(agency__in=agencies, status=OrderStatus.CLOSED).count()
    everything = Order.objects.filter(status__in=[OrderStatus.CLOSED, OrderStatus.ACCEPTED])
    print(
        f"{len(agencies)} agencies, {served:,} served orders here "
        f"({everything.count():,} in the database), "
        f"{OrderEvent.objects.count():,} order events, {Revisit.objects.count():,} revisits"
    )

    # The outbox kick after commit would be a Celery message: leave the broker out.
    with mock.patch("agency.queueing.current_app"):
        sweep_revisits()  # warms the connection and the plans
        idle, idle_queries = [], 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = sweep_revisits()
                idle.append((time.perf_counter() - started) * 1000)
            assert not any(result.values()), result
            idle_queries = len(queries.captured_queries)
        print(
            f"nothing due: median {statistics.median(idle):.1f} ms, best {min(idle):.1f} ms, "
            f"worst {max(idle):.1f} ms over {len(idle)} runs, {idle_queries} queries "
            f"(target < 50 ms, constant)"
        )
        busy = []
        # Each run uses up 3 x `--due` spare orders per agency (`--fresh` makes new ones).
        spare = min(spare_orders(agency).count() for agency in agencies)
        for _ in range(min(args.runs, spare // max(3 * args.due, 1))):
            make_due(agencies, due=args.due)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = sweep_revisits()
                busy.append((time.perf_counter() - started) * 1000)
            expected = len(agencies) * args.due
            assert result["scheduled"] == expected, result
            assert result["dropped"] == expected, result
            assert result["letters"] == expected, result
        print(
            f"{args.due} of each per agency due ({result}): "
            f"median {statistics.median(busy):.1f} ms, best {min(busy):.1f} ms, "
            f"worst {max(busy):.1f} ms over {len(busy)} runs, "
            f"{len(queries.captured_queries)} queries"
        )


def position_cursors() -> None:
    """The sweeps' cursors at the end of the history, as after a year of runs."""
    now = timezone.now()
    last = OrderEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    for consumer in (CONSUMER, billing.CONSUMER, billing.CANCELLATIONS_CONSUMER):
        EventCursor.objects.update_or_create(consumer=consumer, defaults={"last_event_id": last})
    for agency in Agency.objects.all():
        rules = FeedbackPolicy.objects.get_or_create(agency=agency)[0]
        PeriodicCursor.objects.update_or_create(
            agency=agency, defaults={"until": now - rules.periodic_after}
        )


def make_due(agencies: list[Agency], *, due: int) -> None:
    """`due` acceptances, cancellations and letters whose day came, per agency, new since
    the last run (spare confirmed orders whose letter no earlier run used)."""
    now = timezone.now()
    ten_minutes_ago = now - timedelta(minutes=10)
    with transaction.atomic():
        for agency in agencies:
            spare = list(spare_orders(agency).order_by("pk")[: 3 * due])
            accept, cancel, write = spare[:due], spare[due : 2 * due], spare[2 * due :]
            Order.objects.filter(pk__in=[o.pk for o in accept]).update(status=OrderStatus.ACCEPTED)
            Order.objects.filter(pk__in=[o.pk for o in cancel]).update(status=OrderStatus.CANCELLED)
            events = OrderEvent.objects.bulk_create(
                [OrderEvent(agency=agency, order=o, to_status=OrderStatus.ACCEPTED) for o in accept]
                + [
                    OrderEvent(agency=agency, order=o, to_status=OrderStatus.CANCELLED)
                    for o in cancel
                ]
            )
            OrderEvent.objects.filter(pk__in=[e.pk for e in events]).update(
                created_at=ten_minutes_ago
            )
            Revisit.objects.filter(order__in=write, kind=RevisitKind.THANK_YOU_LETTER).update(
                due_at=ten_minutes_ago, next_action_at=ten_minutes_ago
            )


def spare_orders(agency: Agency):
    """The confirmed orders whose letter is still waiting, which no run used yet."""
    waiting = Revisit.objects.filter(
        agency=agency, kind=RevisitKind.THANK_YOU_LETTER, status=RevisitStatus.OPEN
    ).values("order_id")
    return Order.objects.filter(
        agency=agency, number__startswith="S-", status=OrderStatus.CONFIRMED, pk__in=waiting
    )


def drop_agencies() -> None:
    agencies = Agency.objects.filter(slug__startswith=PREFIX)
    with transaction.atomic():
        for model in (
            OutboundMessage,
            Revisit,
            Callback,
            OrderEvent,
            Order,
            NeedsForm,
            CustomerAddress,
            Customer,
            ServiceType,
            PeriodicCursor,
            FeedbackPolicy,
            Branch,
        ):
            model.objects.filter(agency__in=agencies).delete()
        agencies.delete()


@transaction.atomic
def make_agency(slug: str, *, orders: int, rng: random.Random) -> Agency:
    agency = Agency.objects.create(slug=slug, name=f"Bench {slug}")
    FeedbackPolicy.objects.create(agency=agency)
    branch = Branch.objects.create(agency=agency, name="门店", code="b0")
    service = ServiceType.objects.create(
        agency=agency,
        code="cleaning",
        name_zh="家庭保洁",
        name_en="Home cleaning",
        category=ServiceCategory.CLEANING,
        pricing_unit=PricingUnit.HOUR,
    )
    forms = needs_forms(agency, service, count=max(orders // 4, 1))
    now = timezone.now()
    rows = []
    # Served: the last two years, up to a month ago (every revisit of theirs is behind them).
    for n in range(orders):
        starts = now - timedelta(days=rng.randint(30, 730), hours=rng.randint(0, 10))
        rows.append((f"H-{n:07d}", OrderStatus.CLOSED, starts, forms[n % len(forms)]))
    # Cancelled earlier, and the spare confirmed ones the runs accept or cancel.
    for n in range(orders // 20):
        starts = now - timedelta(days=rng.randint(30, 730))
        rows.append((f"C-{n:07d}", OrderStatus.CANCELLED, starts, rng.choice(forms)))
    for n in range(SPARE):
        starts = now + timedelta(days=rng.randint(1, 30))
        rows.append((f"S-{n:07d}", OrderStatus.CONFIRMED, starts, rng.choice(forms)))
    made = Order.objects.bulk_create(
        (
            Order(
                agency=agency,
                number=number,
                branch=branch,
                customer=form.customer,
                needs_form=form,
                service_type=service,
                status=status,
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
            )
            for number, status, starts, form in rows
        ),
        batch_size=BATCH,
    )
    events, revisits = [], []
    for order in made:
        confirmed = order.starts_at - timedelta(days=3)
        events.append((order, OrderStatus.CONFIRMED, confirmed))
        letter = Revisit(
            agency=agency,
            customer_id=order.customer_id,
            order=order,
            kind=RevisitKind.THANK_YOU_LETTER,
            source=f"order-{order.pk}-{RevisitKind.THANK_YOU_LETTER}",
            due_at=confirmed + timedelta(days=7),
        )
        revisits.append(letter)
        if order.status == OrderStatus.CONFIRMED:
            letter.next_action_at = letter.due_at
            continue
        if order.status == OrderStatus.CANCELLED:
            events.append((order, OrderStatus.CANCELLED, confirmed + timedelta(days=1)))
            letter.status = RevisitStatus.DROPPED
            letter.dropped_reason = "order cancelled"
            letter.done_at = confirmed + timedelta(days=1)
            continue
        events.append((order, OrderStatus.ACCEPTED, order.ends_at))
        letter.status, letter.done_at = RevisitStatus.SENT, letter.due_at
        for kind, due_at in (
            (RevisitKind.SATISFACTION_CALL, order.ends_at + timedelta(days=1)),
            (RevisitKind.SECOND_CONTACT, letter.due_at + timedelta(days=7)),
        ):
            revisits.append(
                Revisit(
                    agency=agency,
                    customer_id=order.customer_id,
                    order=order,
                    kind=kind,
                    source=f"order-{order.pk}-{kind}",
                    due_at=due_at,
                    status=RevisitStatus.DONE,
                    done_at=due_at,
                )
            )
    # One periodic revisit per repeat customer, for their last service.
    last: dict[int, Order] = {}
    for order in made:
        if order.status == OrderStatus.CLOSED:
            last[order.customer_id] = max(last.get(order.customer_id, order), order, key=by_pk)
    for customer_id, order in last.items():
        revisits.append(
            Revisit(
                agency=agency,
                customer_id=customer_id,
                kind=RevisitKind.PERIODIC,
                source=f"periodic-{customer_id}-{order.pk}",
                due_at=order.ends_at + timedelta(days=90),
                status=RevisitStatus.DONE,
                done_at=order.ends_at + timedelta(days=90),
            )
        )
    callbacks = Callback.objects.bulk_create(
        Callback(
            agency=agency,
            customer=forms[n].customer,
            due_at=now + timedelta(days=rng.randint(1, 20)),
            reason="想再约一次",
        )
        for n in range(CALLBACKS)
    )
    revisits += [
        Revisit(
            agency=agency,
            customer_id=c.customer_id,
            kind=RevisitKind.REQUESTED_CALLBACK,
            source=f"callback-{c.pk}",
            due_at=c.due_at,
            next_action_at=c.due_at + timedelta(hours=2),
        )
        for c in callbacks
    ]
    Revisit.objects.bulk_create(revisits, batch_size=BATCH)
    made_events = OrderEvent.objects.bulk_create(
        (OrderEvent(agency=agency, order=o, to_status=s) for o, s, _ in events),
        batch_size=BATCH,
    )
    # `created_at` is set on insert: written back as history.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orders_orderevent e SET created_at = v.at"
            " FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, at) WHERE e.id = v.id",
            [[e.pk for e in made_events], [moment for _, _, moment in events]],
        )
    return agency


def by_pk(order: Order) -> int:
    return order.pk


if __name__ == "__main__":
    main()
