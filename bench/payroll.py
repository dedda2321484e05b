"""A month's pay statements: `payroll.compute.period_compute` for 2,000 staff and 60,000 jobs.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench
    uv run python -m bench.payroll [--fresh] [--runs 3]

Creates (once; `--fresh` deletes and creates it again) an agency `bench-payroll` with
2,000 staff (three levels, a quarter without one), three services (one paid per job, two
per hour), their rates for any level and per level, 100 staff members' own rates, a pay
policy with a travel allowance, a statutory holiday in the month, and 60,000 served jobs
in last calendar month (30 per person, one a day, some hourly ones past the daily limit,
1% without a check-out: "needs attention"), 500 approved rewards and penalties. Then
times, after ANALYZE and one uncounted run:
- the first computation of the period (its statements removed before each sample,
  untimed): 2,000 statements, about 66,000 lines;
- a recomputation, each open statement's lines replaced;
each next to as many `SELECT 1` round trips as it sends (the floor, bench/measure.py),
and prints the queries of each batch of `payroll.compute.BATCH` staff: the same for every
batch whatever its rows. Target (issue 21): under 20 s.
Writes with bulk_create (not the services): load for the computation, not real orders.
"""

import argparse
import calendar
import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.test.utils import CaptureQueriesContext

from agency.audit import Actor
from agency.models import Agency, Branch, Membership, Role, User
from bench.generate import needs_forms
from bench.measure import Result, Timing, analyze, elapsed_ms, report, round_trips
from bench.weekly_report import drop_agency
from complaints.models import Holiday
from orders.models import (
    Assignment,
    AssignmentStatus,
    Order,
    OrderStatus,
    PricingUnit,
    ServiceCategory,
    ServiceType,
)
from payroll import compute
from payroll.models import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentStatus,
    PayAdjustment,
    PayLine,
    PayPeriod,
    PayPolicy,
    PayRate,
    PayStatement,
)
from staff.models import Level, StaffMember

SLUG = "bench-payroll"
STAFF = 2_000
JOBS_PER_STAFF = 30
OVERRIDES = 100
ADJUSTMENTS = 500
RUNS = 3
TARGET_S = 20.0
BATCH = 5_000
UNUSABLE = make_password(None)
#: code, name, paid, rate for any level (and + 10%, + 20%, + 40% by level).
SERVICES = [
    ("cleaning", "家庭保洁", "hourly", "40"),
    ("elderly", "老人陪护", "hourly", "45"),
    ("deep-clean", "开荒保洁", "piece", "260"),
]
LEVELS = [("中级", "1.1"), ("高级", "1.2"), ("金牌", "1.4")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="delete the agency and create again")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    if args.fresh:
        drop_agency(SLUG)
    for result in results(args.runs):
        report(result)


def results(runs: int = RUNS) -> list[Result]:
    call_command("migrate", verbosity=0)
    if not Agency.objects.filter(slug=SLUG).exists():
        started = time.perf_counter()
        make_agency(SLUG, rng=random.Random(SLUG))
        analyze()
        print(f"{SLUG}: created in {time.perf_counter() - started:.0f} s", flush=True)
    agency = Agency.objects.get(slug=SLUG)
    period = PayPeriod.objects.get(agency=agency)
    actor = Actor(user=User.objects.get(username=f"{SLUG}.{Role.FINANCE}"))
    jobs = Assignment.objects.filter(agency=agency).count()

    def call() -> None:
        compute.period_compute(period=period, actor=actor)

    rows = []
    for label, prepare in (("computed", lambda: forget(period)), ("recomputed", lambda: None)):
        prepare()
        batches, total = batch_queries(call)  # also the warm-up, uncounted
        floor = round_trips(total)
        value, floor_samples = [], []
        for _ in range(runs):
            prepare()
            value.append(elapsed_ms(call))
            floor_samples.append(elapsed_ms(floor))
        statements = PayStatement.objects.filter(period=period).count()
        lines = PayLine.objects.filter(statement__period=period).count()
        print(
            f"{label}: {statements:,} statements, {lines:,} lines; {total} queries, "
            f"per batch of {compute.BATCH} staff: {batches}",
            flush=True,
        )
        rows.append(
            Result(
                f"pay period {label}, {STAFF:,} staff, {jobs:,} jobs",
                Timing(value),
                Timing(floor_samples),
                total,
                max_ms=TARGET_S * 1000,
                in_seconds=True,
            )
        )
    return rows


def forget(period: PayPeriod) -> None:
    """The period as before its first computation (its statements and lines removed)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM payroll_payline WHERE statement_id IN"
            " (SELECT id FROM payroll_paystatement WHERE period_id = %s)",
            [period.pk],
        )
        cursor.execute("DELETE FROM payroll_paystatement WHERE period_id = %s", [period.pk])


def batch_queries(call: Callable[[], Any]) -> tuple[list[int], int]:
    """The statements each batch of one computation sends, and the computation's total."""
    counts: list[int] = []
    batch = compute._compute_batch

    def counted(*args: Any, **kwargs: Any) -> None:
        with CaptureQueriesContext(connection) as queries:
            batch(*args, **kwargs)
        counts.append(len(queries))

    with (
        mock.patch.object(compute, "_compute_batch", counted),
        CaptureQueriesContext(connection) as everything,
    ):
        call()
    return counts, len(everything)


def last_month(agency: Agency) -> tuple[date, date]:
    first_of_this = agency.today().replace(day=1)
    last = first_of_this - timedelta(days=1)
    return last.replace(day=1), last


@transaction.atomic
def make_agency(slug: str, *, rng: random.Random) -> Agency:
    agency = Agency.objects.create(slug=slug, name=f"Bench {slug}")
    zone = agency.zone
    branch = Branch.objects.create(agency=agency, name="门店", code="b0")
    finance = User.objects.create(username=f"{slug}.{Role.FINANCE}", password=UNUSABLE)
    Membership.objects.create(agency=agency, user=finance, role=Role.FINANCE)
    levels = Level.objects.bulk_create(
        Level(agency=agency, name=name, rank=rank) for rank, (name, _) in enumerate(LEVELS, 1)
    )
    services = [
        ServiceType.objects.create(
            agency=agency,
            code=code,
            name_zh=name,
            name_en=code,
            category=ServiceCategory.CLEANING,
            pricing_unit=PricingUnit.HOUR if paid == "hourly" else PricingUnit.SQUARE_METRE,
        )
        for code, name, paid, _ in SERVICES
    ]
    staff = StaffMember.objects.bulk_create(
        StaffMember(
            agency=agency,
            home_branch=branch,
            name=f"员工{n}",
            staff_number=n + 1,
            phone=f"159{n:08d}",
            started_on=date(2020, 1, 1),
            level=levels[n % 4 - 1] if n % 4 else None,
        )
        for n in range(STAFF)
    )
    rates = []
    for service, (_, _, paid, amount) in zip(services, SERVICES, strict=True):
        rates.append(
            PayRate(agency=agency, service_type=service, kind=paid, amount=Decimal(amount))
        )
        rates += [
            PayRate(
                agency=agency,
                service_type=service,
                level=level,
                kind=paid,
                amount=Decimal(amount) * Decimal(factor),
            )
            for level, (_, factor) in zip(levels, LEVELS, strict=True)
        ]
        rates += [
            PayRate(
                agency=agency,
                service_type=service,
                staff=member,
                kind=paid,
                amount=Decimal(amount) * Decimal("1.5"),
            )
            for member in staff[:OVERRIDES]
        ]
    PayRate.objects.bulk_create(rates)
    PayPolicy.objects.create(agency=agency, travel_allowance=Decimal("10.00"))
    first, last = last_month(agency)
    PayPeriod.objects.create(agency=agency, starts_on=first, ends_on=last)
    days = calendar.monthrange(first.year, first.month)[1]
    Holiday.objects.create(agency=agency, day=first + timedelta(days=9), name="公司周年假")
    forms = needs_forms(agency, services[0], count=2_000)
    orders, people, checks = [], [], []
    for n, member in enumerate(staff):
        for job in range(JOBS_PER_STAFF):
            day = first + timedelta(days=job % days)
            service = services[rng.randrange(len(services))]
            hours = rng.choice([2, 3, 4, 4, 9]) if service.pricing_unit == PricingUnit.HOUR else 6
            # A second job on a day (a short month) in the evening: never double-booked.
            starts = datetime.combine(day, datetime.min.time(), tzinfo=zone) + timedelta(
                hours=8 if job < days else 18, minutes=rng.choice([0, 30])
            )
            ends = starts + timedelta(hours=hours)
            form = forms[(n * JOBS_PER_STAFF + job) % len(forms)]
            orders.append(
                Order(
                    agency=agency,
                    number=f"P-{n:05d}-{job:02d}",
                    branch=branch,
                    customer_id=form.customer_id,
                    needs_form=form,
                    service_type=service,
                    status=OrderStatus.ACCEPTED,
                    starts_at=starts,
                    ends_at=ends,
                )
            )
            people.append(member)
            checked = rng.random() > 0.01
            checks.append((starts, ends) if checked else (starts, None))
    Order.objects.bulk_create(orders, batch_size=BATCH)
    Assignment.objects.bulk_create(
        (
            Assignment(
                agency=agency,
                order=order,
                staff=member,
                status=AssignmentStatus.CONFIRMED,
                period=DateTimeTZRange(order.starts_at, order.ends_at),
                arrived_at=arrived,
                left_at=left,
            )
            for order, member, (arrived, left) in zip(orders, people, checks, strict=True)
        ),
        batch_size=BATCH,
    )
    PayAdjustment.objects.bulk_create(
        PayAdjustment(
            agency=agency,
            staff=staff[rng.randrange(STAFF)],
            kind=kind,
            reason=reason,
            amount=Decimal(amount),
            note="客户五星好评" if kind == AdjustmentKind.REWARD else "投诉成立",
            status=AdjustmentStatus.APPROVED,
            proposed_by=finance,
            decided_by=finance,
        )
        for n in range(ADJUSTMENTS)
        for kind, reason, amount in [
            (AdjustmentKind.REWARD, AdjustmentReason.FIVE_STAR, "50.00")
            if n % 3
            else (AdjustmentKind.PENALTY, AdjustmentReason.COMPLAINT, "-30.00")
        ]
    )
    return agency


if __name__ == "__main__":
    main()
