"""The schedule board (`/schedule/`): the week of a branch with 200 staff and 2,000 jobs,
and the 30-second poll when nothing changed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench \
        uv run python -m bench.schedule_board

Creates (once; `--fresh` deletes and creates it again) an agency `bench-schedule` with a
branch of 200 staff and one of 20, each with skills and a working pattern, some approved
time off, and 2,000 + 200 confirmed jobs in the current week (ten per person, at most
one a half-day, so the exclusion constraint is never touched), plus jobs still needing
staff. Then times, as a logged-in dispatcher through every middleware:

- the week page of the large branch (target: median under 300 ms), with its queries
  next to the small branch's (target: the same number);
- the poll with no change since the page was drawn (target: median under 20 ms,
  1–2 queries).
"""

import argparse
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta, tzinfo
from datetime import time as clock
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.test import Client

from agency.models import Agency, Branch, Membership, Role, User
from bench.generate import book_confirmed
from bench.measure import (
    FLOOR_URL,
    Result,
    analyze,
    bench_urls,
    getter,
    interleaved,
    queries_of,
    report,
)
from orders import live
from orders.models import (
    Assignment,
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
from staff.models import Gender, StaffMember, StaffSkill, TimeOff, TimeOffStatus, WorkingHours

SLUG = "bench-schedule"
USER = "bench.schedule.dispatcher"
BRANCHES = {"big": 200, "small": 20}
JOBS_PER_PERSON = 10
NEEDING = 40
RUNS = 30
DISTRICTS = ["朝阳区", "海淀区", "东城区", "西城区", "丰台区", "通州区"]
#: Two half-day slots a day: at most one job in each, so nobody is double-booked.
SLOTS = [(clock(8), clock(12)), (clock(13), clock(17))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--fresh", action="store_true", help="delete the agency and create it again"
    )
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    if args.fresh:
        drop_agency()
    for result in results(args.runs):
        report(result)


def results(runs: int = RUNS) -> list[Result]:
    call_command("migrate", verbosity=0)
    agency = Agency.objects.filter(slug=SLUG).first() or make_agency(random.Random(17))
    analyze()
    client = Client()
    client.force_login(
        User.objects.get(username=USER), backend="django.contrib.auth.backends.ModelBackend"
    )
    branches = {b.code: b for b in Branch.objects.filter(agency=agency)}
    week = f"/schedule/?view=week&day={agency.today().isoformat()}"
    big = getter(client, f"{week}&branch={branches['big'].pk}")
    small = getter(client, f"{week}&branch={branches['small'].pk}")
    stamp = live.stamp(agency.pk)

    def poll() -> None:
        response = client.get(f"/schedule/changes/?since={stamp}")
        if response.status_code != 204:
            raise SystemExit(f"the poll answered {response.status_code}, not 204")

    floor = getter(client, FLOOR_URL)
    with bench_urls():
        big_timing, small_timing, floor_timing = interleaved(big, small, floor, runs=runs)
        poll_timing, poll_floor = interleaved(poll, floor, runs=runs * 5, warmup=5)
        big_queries, small_queries, poll_queries = (
            queries_of(big),
            queries_of(small),
            queries_of(poll),
        )
    print(f"queries: week of 200 staff {big_queries}, of 20 staff {small_queries}")
    return [
        Result(
            "schedule board, week of 200 staff / 2,000 jobs",
            big_timing,
            floor_timing,
            big_queries,
            max_ms=300,
        ),
        Result(
            "schedule board, week of 20 staff (same queries)",
            small_timing,
            floor_timing,
            small_queries,
        ),
        Result("schedule poll, nothing changed", poll_timing, poll_floor, poll_queries, max_ms=20),
    ]


def drop_agency() -> None:
    agency = Agency.objects.filter(slug=SLUG).first()
    if agency is None:
        return
    with transaction.atomic():
        for model in (
            Assignment,
            Order,
            NeedsForm,
            CustomerAddress,
            Customer,
            Price,
            ServiceType,
            TimeOff,
            WorkingHours,
            StaffSkill,
            StaffMember,
            Membership,
            Branch,
        ):
            model.objects.filter(agency=agency).delete()
        agency.delete()


@transaction.atomic
def make_agency(rng: random.Random) -> Agency:
    agency = Agency.objects.create(slug=SLUG, name="Bench schedule 家政")
    zone = agency.zone
    user, _ = User.objects.get_or_create(username=USER)
    Membership.objects.create(agency=agency, user=user, role=Role.DISPATCHER)
    cleaning = ServiceType.objects.create(
        agency=agency,
        code="cleaning",
        name_zh="家庭保洁",
        name_en="Home cleaning",
        category=ServiceCategory.CLEANING,
        pricing_unit=PricingUnit.HOUR,
        required_skills=["cleaning"],
    )
    Price.objects.create(
        agency=agency, service_type=cleaning, unit_price=Decimal("50"), valid_during=DateRange()
    )
    monday = agency.today() - timedelta(days=agency.today().weekday())
    customers = Customer.objects.bulk_create(
        Customer(agency=agency, name=f"客户{n}", phone=f"137{n:08d}") for n in range(500)
    )
    addresses = CustomerAddress.objects.bulk_create(
        CustomerAddress(agency=agency, customer=c, district=rng.choice(DISTRICTS), detail="某路")
        for c in customers
    )
    forms = NeedsForm.objects.bulk_create(
        NeedsForm(
            agency=agency,
            customer=a.customer,
            service_type=cleaning,
            address=a,
            schedule_kind=ScheduleKind.ONCE,
            start_date=monday,
            time_start=SLOTS[0][0],
            time_end=SLOTS[0][1],
        )
        for a in addresses
    )
    numbers = iter(range(1_000_000))
    for code, count in BRANCHES.items():
        branch = Branch.objects.create(agency=agency, name=f"门店 {code}", code=code)
        _staff_with_jobs(agency, branch, cleaning, forms, count, monday, numbers, rng)
    # Jobs still needing staff: the side panel.
    Order.objects.bulk_create(
        _order(agency, branch, forms[n], monday + timedelta(days=n % 14), 0, numbers, zone)
        for n in range(NEEDING)
    )
    return agency


def _staff_with_jobs(
    agency: Agency,
    branch: Branch,
    cleaning: ServiceType,
    forms: list[NeedsForm],
    count: int,
    monday: date,
    numbers: Iterator[int],
    rng: random.Random,
) -> None:
    zone = agency.zone
    staff = StaffMember.objects.bulk_create(
        StaffMember(
            agency=agency,
            home_branch=branch,
            name=f"{branch.code}服务人员{n:04d}",
            gender=Gender.FEMALE,
            started_on=date(2020, 1, 1),
            phone=f"158{n:08d}",
            districts=rng.sample(DISTRICTS, 2),
        )
        for n in range(count)
    )
    StaffSkill.objects.bulk_create(
        StaffSkill(agency=agency, staff=m, code="cleaning", level=rng.randint(1, 5)) for m in staff
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(agency=agency, staff=m, weekday=d, starts=clock(8), ends=clock(18))
        for m in staff
        for d in rng.sample(range(7), 5)
    )
    TimeOff.objects.bulk_create(
        TimeOff(
            agency=agency,
            staff=m,
            period=DateTimeTZRange(
                datetime.combine(monday + timedelta(days=6), clock(0), zone),
                datetime.combine(monday + timedelta(days=7), clock(0), zone),
            ),
            reason="事假",
            status=TimeOffStatus.APPROVED,
        )
        for m in staff[::10]
    )
    orders, people = [], []
    for member in staff:
        for day, slot in rng.sample([(d, s) for d in range(7) for s in range(2)], JOBS_PER_PERSON):
            form = rng.choice(forms)
            orders.append(
                _order(agency, branch, form, monday + timedelta(days=day), slot, numbers, zone)
            )
            people.append(member)
    for order in orders:
        order.status = OrderStatus.ASSIGNED
    book_confirmed(agency, orders, people, batch_size=2000)


def _order(
    agency: Agency,
    branch: Branch,
    form: NeedsForm,
    day: date,
    slot: int,
    numbers: Iterator[int],
    zone: tzinfo,
) -> Order:
    starts, ends = SLOTS[slot]
    return Order(
        agency=agency,
        number=f"S-{next(numbers):07d}",
        branch=branch,
        customer=form.customer,
        needs_form=form,
        service_type=form.service_type,
        status=OrderStatus.CONFIRMED,
        starts_at=datetime.combine(day, starts, zone),
        ends_at=datetime.combine(day, ends, zone),
    )


if __name__ == "__main__":
    main()
