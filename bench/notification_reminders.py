"""The evening-before reminders: `orders.reminders.sweep_jobs_tomorrow` writing tomorrow's
job lists for 10,000 jobs across 50 agencies, and rendering one message template.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench
    uv run python -m bench.notification_reminders

Creates (once; `--fresh` deletes and creates them again) 50 agencies `bench-remind-NN`,
each with 40 staff members (each with a login, SMS and in-app chosen) and 200 assigned
orders tomorrow (five two-hour jobs per staff member), plus 1,000 served orders of the
past year each (history the sweep must not read). The agencies' evening hour is 00:00,
so their run is always due. Before each run what a run wrote is removed (messages,
in-app notices, the runs); if the day has turned since the data was made, tomorrow's
jobs are moved to the new tomorrow. One run is one sweep as the beat calls it: claim
each batch of agencies, read their jobs, write one SMS and one in-app notice per staff
member, commit. The after-commit Celery message is not sent (no broker needed).
Targets: the sweep under 10 s with the same number of queries in every batch; rendering
a default template under 1 ms (median).
Writes with bulk_create (not the services): load for the sweep, not real orders.
"""

import argparse
import random
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agency.models import Agency, Branch, Notification, OutboundMessage, User
from bench.generate import needs_forms
from bench.measure import Result, Timing, analyze, elapsed_ms, interleaved, report, trivial_query
from messaging.defaults import DEFAULTS, ZH
from messaging.rendering import render, samples
from messaging.rules import rule
from orders.models import (
    Assignment,
    AssignmentStatus,
    Customer,
    CustomerAddress,
    NeedsForm,
    Order,
    OrderStatus,
    PricingUnit,
    ReminderRun,
    ServiceCategory,
    ServiceType,
)
from orders.reminders import sweep_jobs_tomorrow
from staff.models import Gender, StaffMember

PREFIX = "bench-remind-"
AGENCIES = 50
STAFF = 40  # per agency
JOBS_EACH = 5  # per staff member: 50 x 40 x 5 = 10,000 jobs tomorrow
HISTORY = 1_000  # served orders per agency in the past year
RUNS = 3
RENDERS = 2_000
BATCH = 5_000
UNUSABLE = make_password(None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="delete the agencies and create again")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    if args.fresh:
        drop_agencies()
    for result in results(args.runs):
        report(result)


def results(runs: int = RUNS) -> list[Result]:
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    for index in range(AGENCIES):
        slug = f"{PREFIX}{index:02d}"
        if not Agency.objects.filter(slug=slug).exists():
            make_agency(slug, rng=rng)
            print(f"{slug}: created")
    agencies = list(Agency.objects.filter(slug__startswith=PREFIX).order_by("pk"))
    move_to_tomorrow(agencies)
    analyze()
    jobs = Assignment.objects.filter(
        agency__in=agencies, order__starts_at__gte=timezone.now()
    ).count()
    values, floors, per_batch = [], [], []
    told: list[int] = []
    # The outbox kick after commit would be a Celery message: leave the broker out.
    with mock.patch("agency.queueing.current_app"):
        for run in range(runs + 1):
            reset(agencies)
            with CaptureQueriesContext(connection) as captured:
                elapsed = elapsed_ms(lambda: told.append(sweep_jobs_tomorrow()))
            floor = elapsed_ms(trivial_query)
            per_batch = batches(captured.captured_queries)
            assert told[-1] == len(agencies) * STAFF, told
            if run:  # the first run warms the connection and the plans
                values.append(elapsed)
                floors.append(floor)
    messages = OutboundMessage.objects.filter(agency__in=agencies).count()
    notices = Notification.objects.filter(agency__in=agencies).count()
    print(
        f"{jobs:,} jobs tomorrow in {len(agencies)} agencies: {told[-1]:,} staff told, "
        f"{messages:,} SMS rows and {notices:,} in-app notices; "
        f"queries per batch of agencies: {per_batch} (constant: {len(set(per_batch)) == 1})"
    )
    assert len(set(per_batch)) == 1, per_batch
    code = "jobs.tomorrow:staff"
    body = DEFAULTS[code][ZH][1]
    values_of = samples(rule(code).variables)
    rendering, render_floor = interleaved(
        lambda: render(body, values_of), lambda: render("x", {}), runs=RENDERS, warmup=50
    )
    return [
        Result(
            f"evening-before reminders, {jobs:,} jobs in {len(agencies)} agencies",
            Timing(values),
            Timing(floors),
            per_batch[0] if per_batch else None,
            max_ms=10_000,
            in_seconds=True,
        ),
        Result("render a default template (jobs.tomorrow, zh)", rendering, render_floor, max_ms=1),
    ]


def batches(queries: list[dict[str, str]]) -> list[int]:
    """Statements of each batch's transaction (BEGIN to COMMIT, both counted): what one
    batch of agencies cost."""
    starts = [n for n, query in enumerate(queries) if query["sql"] == "BEGIN"]
    ends = [*starts[1:], len(queries)]
    return [end - start for start, end in zip(starts, ends, strict=True)]


def tomorrow(agency: Agency) -> date:
    return timezone.localdate(timezone.now(), agency.zone) + timedelta(days=1)


def reset(agencies: list[Agency]) -> None:
    """Undo what a run wrote."""
    with transaction.atomic():
        Notification.objects.filter(agency__in=agencies).delete()
        OutboundMessage.objects.filter(agency__in=agencies).delete()
        ReminderRun.objects.filter(agency__in=agencies).delete()


def move_to_tomorrow(agencies: list[Agency]) -> None:
    """Tomorrow's jobs were made on an earlier day: move them (and their assignments) on."""
    first = (
        Order.objects.filter(agency__in=agencies, number__startswith="T-")
        .order_by("starts_at")
        .first()
    )
    if first is None:
        return
    shift = tomorrow(first.agency) - timezone.localdate(first.starts_at, first.agency.zone)
    if not shift:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orders_order SET starts_at = starts_at + %s * interval '1 day',"
            " ends_at = ends_at + %s * interval '1 day'"
            " WHERE agency_id = ANY(%s) AND number LIKE 'T-%%'",
            [shift.days, shift.days, [a.pk for a in agencies]],
        )
        cursor.execute(
            "UPDATE orders_assignment a SET period = tstzrange(o.starts_at, o.ends_at)"
            " FROM orders_order o WHERE a.order_id = o.id AND a.agency_id = ANY(%s)",
            [[a.pk for a in agencies]],
        )


def drop_agencies() -> None:
    agencies = Agency.objects.filter(slug__startswith=PREFIX)
    with transaction.atomic():
        for model in (
            Notification,
            OutboundMessage,
            ReminderRun,
            Assignment,
            Order,
            NeedsForm,
            StaffMember,
            ServiceType,
            CustomerAddress,
            Customer,
            Branch,
        ):
            model.objects.filter(agency__in=agencies).delete()
        agencies.delete()
        User.objects.filter(username__startswith=PREFIX).delete()


@transaction.atomic
def make_agency(slug: str, *, rng: random.Random) -> Agency:
    agency = Agency.objects.create(slug=slug, name=f"Bench {slug}", jobs_reminder_at=time(0))
    branch = Branch.objects.create(agency=agency, name="门店", code="b0")
    service = ServiceType.objects.create(
        agency=agency,
        code="cleaning",
        name_zh="家庭保洁",
        name_en="Home cleaning",
        category=ServiceCategory.CLEANING,
        pricing_unit=PricingUnit.HOUR,
    )
    users = User.objects.bulk_create(
        User(username=f"{slug}-staff-{n}", password=UNUSABLE) for n in range(STAFF)
    )
    staff = StaffMember.objects.bulk_create(
        StaffMember(
            agency=agency,
            home_branch=branch,
            user=user,
            name=f"服务人员{n}",
            gender=Gender.FEMALE,
            started_on=date(2024, 3, 1),
            phone=f"159{rng.randrange(10**8):08d}",
        )
        for n, user in enumerate(users)
    )
    forms = needs_forms(agency, service, count=STAFF * JOBS_EACH)
    day = tomorrow(agency)
    rows = []
    for n, form in enumerate(forms):
        starts = datetime.combine(day, time(8 + 2 * (n % JOBS_EACH)), tzinfo=agency.zone)
        rows.append((f"T-{n:06d}", OrderStatus.ASSIGNED, starts, form))
    now = timezone.now()
    for n in range(HISTORY):
        starts = now - timedelta(days=rng.randint(2, 365), hours=rng.randint(0, 10))
        rows.append((f"H-{n:06d}", OrderStatus.CLOSED, starts, forms[n % len(forms)]))
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
                ends_at=starts + timedelta(hours=2),
            )
            for number, status, starts, form in rows
        ),
        batch_size=BATCH,
    )
    Assignment.objects.bulk_create(
        (
            Assignment(
                agency=agency,
                order=order,
                staff=staff[n // JOBS_EACH],
                status=AssignmentStatus.CONFIRMED,
                period=DateTimeTZRange(order.starts_at, order.ends_at),
            )
            for n, order in enumerate(made[: STAFF * JOBS_EACH])
        ),
        batch_size=BATCH,
    )
    return agency


if __name__ == "__main__":
    main()
