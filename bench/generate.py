"""Benchmark data: many agencies, and one large one with 100,000 orders.

    uv run python -m bench.generate --agencies 20 --orders 100000

Writes with bulk_create (not the services): this is load for reading
benchmarks, not a record of real bookings. Run against a scratch database
(DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench).
"""

import argparse
import random
from datetime import time, timedelta
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.utils import timezone

from agency.models import Agency, Branch, Membership, Role, User
from bench.measure import analyze
from orders.models import (
    Assignment,
    AssignmentStatus,
    Customer,
    CustomerAddress,
    NeedsForm,
    Order,
    OrderStatus,
    Price,
    PricingUnit,
    ScheduleKind,
    ServiceCategory,
    ServiceType,
)
from staff.models import StaffMember

BENCH_USER = "bench.dispatcher"
BATCH = 5_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--orders", type=int, default=100_000, help="orders in the large agency")
    parser.add_argument("--small-orders", type=int, default=500, help="orders in each other agency")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    for index in range(args.agencies):
        slug = f"bench-{index:03d}"
        if Agency.objects.filter(slug=slug).exists():
            print(f"{slug}: already there")
            continue
        make_agency(slug, orders=args.orders if index == 0 else args.small_orders, rng=rng)
        print(f"{slug}: created")
    # The benchmark reads as a dispatcher of the large agency.
    user, _ = User.objects.get_or_create(username=BENCH_USER)
    Membership.objects.get_or_create(
        agency=Agency.objects.get(slug="bench-000"), user=user, defaults={"role": Role.DISPATCHER}
    )
    # Autovacuum may be off: without fresh statistics the planner takes the new tables for
    # one row each, and a 1 ms list takes 89 ms (SETUP-NOTES.md).
    analyze()
    print("ANALYZE: done")


@transaction.atomic
def make_agency(slug: str, *, orders: int, rng: random.Random) -> Agency:
    agency = Agency.objects.create(slug=slug, name=f"Bench {slug}")
    branches = Branch.objects.bulk_create(
        Branch(agency=agency, name=f"Branch {n}", code=f"b{n}") for n in range(5)
    )
    service = ServiceType.objects.create(
        agency=agency,
        code="cleaning",
        name_zh="家庭保洁",
        name_en="Home cleaning",
        category=ServiceCategory.CLEANING,
        pricing_unit=PricingUnit.HOUR,
    )
    Price.objects.create(
        agency=agency,
        service_type=service,
        unit_price=Decimal("50"),
        valid_during=DateRange(None, None),
    )
    forms = needs_forms(agency, service, count=max(orders // 5, 1))
    statuses = [OrderStatus.QUOTED, OrderStatus.CONFIRMED, OrderStatus.ASSIGNED, OrderStatus.CLOSED]
    now = timezone.now()
    rows = []
    for n in range(orders):
        form = forms[n % len(forms)]
        starts = now + timedelta(days=rng.randint(-60, 60), hours=rng.randint(0, 10))
        rows.append(
            Order(
                agency=agency,
                number=f"B-{n:07d}",
                branch=branches[n % len(branches)],
                customer=form.customer,
                needs_form=form,
                service_type=service,
                status=rng.choice(statuses),
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
            )
        )
    Order.objects.bulk_create(rows, batch_size=BATCH)
    return agency


def needs_forms(agency: Agency, service: ServiceType, *, count: int) -> list[NeedsForm]:
    """`count` customers of the agency, each with an address and a morning needs form."""
    customers = Customer.objects.bulk_create(
        Customer(agency=agency, name=f"客户{n}", phone=f"1{hash((agency.slug, n)) % 10**10:010d}")
        for n in range(count)
    )
    addresses = CustomerAddress.objects.bulk_create(
        CustomerAddress(agency=agency, customer=c, district="朝阳区", detail="建国路 88 号")
        for c in customers
    )
    today = timezone.localdate()
    return NeedsForm.objects.bulk_create(
        NeedsForm(
            agency=agency,
            customer=a.customer,
            service_type=service,
            address=a,
            schedule_kind=ScheduleKind.ONCE,
            start_date=today,
            time_start=time(9),
            time_end=time(12),
        )
        for a in addresses
    )


if __name__ == "__main__":
    main()


def book_confirmed(
    agency: Agency, orders: list[Order], people: list[StaffMember], *, batch_size: int
) -> None:
    """Writes the orders and one confirmed assignment each, of the person beside it."""
    Order.objects.bulk_create(orders, batch_size=batch_size)
    Assignment.objects.bulk_create(
        (
            Assignment(
                agency=agency,
                order=order,
                staff=member,
                status=AssignmentStatus.CONFIRMED,
                period=DateTimeTZRange(order.starts_at, order.ends_at),
            )
            for order, member in zip(orders, people, strict=True)
        ),
        batch_size=batch_size,
    )
