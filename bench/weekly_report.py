"""Building one weekly report of a big week: `reports.services.build_weekly_report`.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench
    uv run python -m bench.weekly_report [--fresh] [--runs 5]

Creates (once; `--fresh` deletes and creates it again) an agency
`bench-weekly` with five branches, 300 staff and 10,000 orders served and
accepted in last week (ISO week), written by the demo's history writer
(`reports.demo.history.write_history`, bulk_create): acceptance rounds, feedback for
about three orders in four, revisits, about 1% complaints, invoices and
payments. Then builds the agency's report of that week `--runs` times (one
more first, which loads the fonts and is not counted), each a new version
row, as a regeneration would write it, each next to a one-line PDF (the floor,
bench/measure.py). Target: under 5 seconds.
"""

import argparse
import random
import time
from datetime import date, timedelta
from datetime import time as clock_time
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Max

from agency.models import Agency, Branch, Membership, Role, User
from bench.measure import Result, analyze, one_line_pdf, paired, queries_of, report
from orders.models import Price, PricingUnit, ServiceCategory, ServiceType
from reports.demo.cast import Cast, services_of
from reports.demo.history import write_history
from reports.models import ReportStatus, WeeklyReport
from reports.periods import monday_of
from reports.services import build_weekly_report
from staff.models import StaffMember, WorkingHours

SLUG = "bench-weekly"
ORDERS = 10_000
STAFF = 300
RUNS = 5
TARGET_S = 5.0
UNUSABLE = make_password(None)
#: code, name, category, pricing unit, unit price, how often booked.
SERVICES = [
    ("cleaning", "家庭保洁", ServiceCategory.CLEANING, PricingUnit.HOUR, "50", 6),
    ("deep-clean", "开荒保洁", ServiceCategory.CLEANING, PricingUnit.SQUARE_METRE, "8", 2),
    ("elderly", "老人陪护", ServiceCategory.ELDERLY, PricingUnit.HOUR, "45", 2),
    ("nanny", "育儿嫂", ServiceCategory.NANNY, PricingUnit.DAY, "260", 1),
]


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
    """Each build next to a one-line PDF (bench/measure.py); the first build of the process
    loads the fonts and is not counted."""
    call_command("migrate", verbosity=0)
    if not Agency.objects.filter(slug=SLUG).exists():
        started = time.perf_counter()
        cast = make_agency(SLUG, staff=STAFF)
        write_history(
            cast,
            [last_monday(cast.agency)],
            rng=random.Random(SLUG),
            orders=(ORDERS, ORDERS),
            complaints=(0.008, 0.012),
        )
        analyze()
        print(f"{SLUG}: created in {time.perf_counter() - started:.0f} s")
    agency = Agency.objects.get(slug=SLUG)
    week = last_monday(agency)
    build = lambda: build_version(agency, week)  # noqa: E731
    value, floor = paired(build, one_line_pdf, runs=runs)
    what = f"weekly report build, {ORDERS:,} orders in {week:%G-W%V}"
    return [Result(what, value, floor, queries_of(build), max_ms=TARGET_S * 1000, in_seconds=True)]


def last_monday(agency: Agency) -> date:
    return monday_of(agency.today()) - timedelta(days=7)


def build_version(agency: Agency, week: date) -> float:
    """Seconds to build a new version of the agency's report of the week."""
    latest = WeeklyReport.objects.filter(agency=agency, branch=None, week=week).aggregate(
        v=Max("version")
    )["v"]
    report = WeeklyReport.objects.create(
        agency=agency, week=week, version=(latest or 0) + 1, language=agency.default_language
    )
    started = time.perf_counter()
    built = build_weekly_report(report.pk)
    seconds = time.perf_counter() - started
    report.refresh_from_db()
    if not built or report.status != ReportStatus.READY:
        raise SystemExit(f"report {report.pk} not built: {report.last_error}")
    return seconds


@transaction.atomic
def make_agency(slug: str, *, staff: int) -> Cast:
    """An agency with five branches, a catalogue, `staff` staff members working Monday to
    Saturday 08:00–18:00, and one office user per role."""
    agency = Agency.objects.create(slug=slug, name=f"Bench {slug}")
    branches = Branch.objects.bulk_create(
        Branch(agency=agency, name=f"门店 {n}", code=f"b{n}") for n in range(5)
    )
    for code, name, category, unit, price, _ in SERVICES:
        service = ServiceType.objects.create(
            agency=agency,
            code=code,
            name_zh=name,
            name_en=code,
            category=category,
            pricing_unit=unit,
        )
        Price.objects.create(
            agency=agency,
            service_type=service,
            unit_price=Decimal(price),
            valid_during=DateRange(None, None),
        )
    members = StaffMember.objects.bulk_create(
        StaffMember(
            agency=agency,
            home_branch=branches[n % len(branches)],
            name=f"员工{n}",
            phone=f"159{n:08d}",
            started_on=date(2020, 1, 1),
        )
        for n in range(staff)
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(agency=agency, staff=m, weekday=day, starts=clock_time(8), ends=clock_time(18))
        for m in members
        for day in range(6)
    )
    users = {
        role: User.objects.create(username=f"{slug}.{role}", password=UNUSABLE)
        for role in (Role.DISPATCHER, Role.SUPERVISOR, Role.MANAGER, Role.FINANCE)
    }
    Membership.objects.bulk_create(
        Membership(agency=agency, user=user, role=role) for role, user in users.items()
    )
    return Cast(
        agency=agency,
        branches=list(branches),
        services=services_of(agency, {code: weight for code, *_, weight in SERVICES}),
        staff=list(members),
        office=users[Role.DISPATCHER],
        supervisor=users[Role.SUPERVISOR],
        manager=users[Role.MANAGER],
        finance=users[Role.FINANCE],
    )


def drop_agency(slug: str) -> None:
    """Every row of the agency, in one transaction: Django's foreign keys are checked at
    commit on PostgreSQL, so the order of the deletes does not matter."""
    agency = Agency.objects.filter(slug=slug).first()
    if agency is None:
        return
    tables = [
        model._meta.db_table
        for model in apps.get_models()
        if any(f.name == "agency" for f in model._meta.concrete_fields)
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'DELETE FROM "{table}" WHERE agency_id = %s', [agency.pk])  # noqa: S608
        cursor.execute('DELETE FROM "agency_agency" WHERE id = %s', [agency.pk])
        User.objects.filter(username__startswith=f"{slug}.").delete()


if __name__ == "__main__":
    main()
