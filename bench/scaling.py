"""Scaling: the same pages and sweeps at 1k, 10k and 100k orders of one agency, as ratios
to their floor and query counts: the goal is a flat line.

    createdb -h 127.0.0.1 -U postgres hearth_bench_scaling
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench_scaling
    uv run python -m bench.scaling [--sizes 1000,10000,100000] [--runs 15]

Creates (once) 50 small agencies `bench-scale-around-NN` (ten staff, four recent weeks of
about 20 orders each) and the agency `bench-scale`, whose history the demo's writer
(`reports.demo.history.write_history`, bulk_create, as bench/dashboard.py) writes: orders,
acceptance, feedback, revisits, invoices (mostly paid, the rest issued; the invoice sweep
drafts the latest accepted ones) and complaints with their deadlines (the recent ones
open). The first size is this week and the five before it; each next size adds older
weeks (1,000 orders a week) to the same agency, so that what the pages show (today, this
week, the last 30 days, what is open) is the same at every size and only the history
grows. A run that finds the agency larger than a size skips that size; `--fresh` deletes
the agency and starts again.

After each load: ANALYZE, the sweeps' cursors at the end of the history (as after a year
of runs, bench/revisit_sweep.py) and uncounted runs of each sweep until it finds nothing to do.
Then, at each size, each page through the same middleware as an office user, next to the
framework floor (the same user's `/bench/floor/`), and each beat sweep as beat calls its
task, next to as many `SELECT 1` round trips as it sends statements (bench/measure.py), a
sample of each in turn. At the end, per row, the ratio at the largest size over the ratio
at the smallest: within 1.5x is flat.
"""

import argparse
import math
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.db.models import Min
from django.test.utils import CaptureQueriesContext

from agency.models import Agency, Branch, Membership, Role
from bench.measure import (
    FLOOR_URL,
    Result,
    analyze,
    bench_urls,
    client_for,
    getter,
    paired,
    queries_of,
    round_trips,
    table,
)
from bench.revisit_sweep import position_cursors
from bench.weekly_report import drop_agency, make_agency
from complaints.tasks import sweep_deadlines
from feedback.tasks import request_feedback, sweep_revisits
from orders.models import Order
from orders.tasks import invoice_new
from reports.demo.cast import Cast, services_of
from reports.demo.history import write_history
from reports.periods import monday_of

SLUG = "bench-scale"
AROUND = "bench-scale-around-"
AGENCIES_AROUND = 50
SIZES = (1_000, 10_000, 100_000)
#: The first size: this week and the five before it.
RECENT_WEEKS = 6
#: Orders a week of the older history each next size adds.
PER_OLD_WEEK = 1_000
STAFF = 150
RUNS = 15
WARMUP = 2
#: Flat: the ratio at the largest size at most this many times the ratio at the smallest.
FLAT = 1.5
COMPLAINTS = (0.008, 0.012)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES))
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--fresh", action="store_true", help="delete the agency and start again")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="at the largest size, EXPLAIN (ANALYZE, BUFFERS) the slowest query of each row "
        "that is not flat",
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    call_command("migrate", verbosity=0)
    if args.fresh:
        drop_agency(SLUG)
    make_around()
    by_size: dict[int, list[Result]] = {}
    for size in sizes:
        orders = grow(size)
        if orders > size * 1.2:
            print(f"-- {size:,}: the agency has {orders:,} orders already, skipped")
            continue
        rows = measure_all(orders, runs=args.runs)
        by_size[orders] = rows
        print(f"\n-- {orders:,} orders in {SLUG}")
        print(table(rows), flush=True)
    if len(by_size) > 1:
        print()
        print(flatness(by_size))
        if args.explain:
            explain_growing(by_size)


def make_around() -> None:
    """The 50 small agencies around the large one, once."""
    started = time.perf_counter()
    made = 0
    for index in range(AGENCIES_AROUND):
        slug = f"{AROUND}{index:02d}"
        if Agency.objects.filter(slug=slug).exists():
            continue
        cast = make_agency(slug, staff=10)
        monday = monday_of(cast.agency.today())
        mondays = [monday - timedelta(weeks=n) for n in range(3, -1, -1)]
        write_history(
            cast, mondays, rng=random.Random(slug), orders=(15, 25), complaints=COMPLAINTS
        )
        made += 1
    if made:
        analyze()
        print(f"{made} agencies around: created in {time.perf_counter() - started:.0f} s")


def grow(size: int) -> int:
    """The agency at (about) `size` orders: its recent weeks first, then older weeks; how
    many orders it has."""
    started = time.perf_counter()
    agency = Agency.objects.filter(slug=SLUG).first()
    if agency is None:
        cast = make_agency(SLUG, staff=STAFF)
        this_monday = monday_of(cast.agency.today())
        mondays = [this_monday - timedelta(weeks=n) for n in range(RECENT_WEEKS - 1, -1, -1)]
        per_week = max(size // RECENT_WEEKS, 1)
        write_history(
            cast, mondays, rng=random.Random(SLUG), orders=(per_week, per_week),
            complaints=COMPLAINTS,
        )  # fmt: skip
        agency = cast.agency
    else:
        missing = size - Order.objects.filter(agency=agency).count()
        # Within 1% of the size is the size: the weeks are drawn, not counted.
        if missing > size // 100:
            cast = cast_of(agency)
            oldest = Order.objects.filter(agency=agency).aggregate(first=Min("starts_at"))["first"]
            first_monday = monday_of(oldest.astimezone(agency.zone).date())
            weeks = math.ceil(missing / PER_OLD_WEEK)
            mondays = [first_monday - timedelta(weeks=n) for n in range(weeks, 0, -1)]
            write_old_weeks(cast, mondays, per_week=math.ceil(missing / weeks))
        else:
            return Order.objects.filter(agency=agency).count()
    load = time.perf_counter() - started
    analyze()
    position_cursors()
    catch_up = time.perf_counter()
    with mock.patch("agency.queueing.current_app"):
        for sweep, _ in SWEEPS:
            catch_up_with(sweep)
    orders = Order.objects.filter(agency=agency).count()
    print(
        f"{SLUG}: {orders:,} orders, written in {load:.0f} s; ANALYZE and the sweeps' "
        f"catch-up run {time.perf_counter() - started - load:.0f} s "
        f"(sweeps {time.perf_counter() - catch_up:.0f} s)",
        flush=True,
    )
    return orders


def catch_up_with(sweep: Callable[[], Any], *, most: int = 200) -> None:
    """Runs of the sweep until one finds nothing to do: the history leaves work behind (the
    invoice sweep drafts the approved cancellation fees 200 a run), and the measured runs
    are the steady state."""
    for _ in range(most):
        done = sweep()
        if not (any(done.values()) if isinstance(done, dict) else done):
            return


def write_old_weeks(cast: Cast, mondays: list[date], *, per_week: int) -> None:
    """Older weeks, a transaction of eight weeks at a time (oldest first)."""
    rng = random.Random(f"{SLUG}-{mondays[0]}")
    for start in range(0, len(mondays), 8):
        write_history(
            cast, mondays[start : start + 8], rng=rng, orders=(per_week, per_week),
            complaints=COMPLAINTS,
        )  # fmt: skip
        print(f"  {min(start + 8, len(mondays))} of {len(mondays)} older weeks written", flush=True)


def cast_of(agency: Agency) -> Cast:
    """The cast bench.weekly_report.make_agency made, read back."""
    from bench.weekly_report import SERVICES
    from staff.models import StaffMember

    users = {
        m.role: m.user
        for m in Membership.objects.filter(agency=agency, user__username__startswith=f"{SLUG}.")
    }
    return Cast(
        agency=agency,
        branches=list(Branch.objects.filter(agency=agency).order_by("pk")),
        services=services_of(agency, {code: weight for code, *_, weight in SERVICES}),
        staff=list(StaffMember.objects.filter(agency=agency).order_by("pk")),
        office=users[Role.DISPATCHER],
        supervisor=users[Role.SUPERVISOR],
        manager=users[Role.MANAGER],
        finance=users[Role.FINANCE],
    )


def search_term(agency: Agency) -> str:
    """Part of the number of one of this week's orders (the same at every size)."""
    number = (
        Order.objects.filter(agency=agency, starts_at__date__gte=monday_of(agency.today()))
        .order_by("pk")
        .values_list("number", flat=True)
        .first()
    ) or "0001"
    return number[-6:]


#: Each page: label, URL (the search's `{q}` filled in), as whom.
PAGES = [
    ("board, today", "/orders/", Role.DISPATCHER),
    ("board, search", "/orders/?q={q}", Role.DISPATCHER),
    ("billing list", "/billing/", Role.FINANCE),
    ("dashboard, this week", "/reports/?period=this_week", Role.SUPERVISOR),
    ("dashboard, last 30 days", "/reports/?period=last_30_days", Role.SUPERVISOR),
    ("complaints desk", "/complaints/", Role.MANAGER),
]

#: Each beat sweep as beat calls its task (config/settings.py CELERY_BEAT_SCHEDULE).
SWEEPS: list[tuple[Callable[[], Any], str]] = [
    (sweep_revisits, "revisit sweep"),
    (sweep_deadlines, "complaint SLA sweep"),
    (request_feedback, "feedback-request sweep"),
    (invoice_new, "invoice sweep"),
]


def measure_all(orders: int, *, runs: int) -> list[Result]:
    agency = Agency.objects.get(slug=SLUG)
    q = search_term(agency)
    rows = []
    with bench_urls():
        for label, url, role in PAGES:
            client = client_for(f"{SLUG}.{role}")
            page = getter(client, url.format(q=q))
            value, floor = paired(page, getter(client, FLOOR_URL), runs=runs, warmup=WARMUP)
            what = f"{label} ({url.format(q=q)})"
            rows.append(Result(what, value, floor, queries_of(page)))
    # The outbox kick after commit would be a Celery message: leave the broker out.
    with mock.patch("agency.queueing.current_app"):
        for sweep, label in SWEEPS:
            statements = queries_of(sweep)
            value, floor = paired(sweep, round_trips(statements), runs=runs, warmup=WARMUP)
            rows.append(Result(label, value, floor, statements))
    return rows


def growth(by_size: dict[int, list[Result]], index: int) -> float:
    """The ratio at the largest size over the ratio at the smallest, of one row."""
    sizes = sorted(by_size)
    return by_size[sizes[-1]][index].ratio / by_size[sizes[0]][index].ratio


def calls() -> list[tuple[str, Callable[[], Any]]]:
    """What each row measures, in the rows' order, for `explain_growing`."""
    agency = Agency.objects.get(slug=SLUG)
    q = search_term(agency)
    found: list[tuple[str, Callable[[], Any]]] = [
        (label, getter(client_for(f"{SLUG}.{role}"), url.format(q=q))) for label, url, role in PAGES
    ]
    return found + [(label, sweep) for sweep, label in SWEEPS]


def explain_growing(by_size: dict[int, list[Result]]) -> None:
    """The slowest SELECT of each row that grows, with its plan at the largest size."""
    sizes = sorted(by_size)
    with bench_urls(), mock.patch("agency.queueing.current_app"):
        for index, (label, call) in enumerate(calls()):
            if growth(by_size, index) <= FLAT:
                continue
            with CaptureQueriesContext(connection) as captured:
                call()
            selects = [q for q in captured.captured_queries if q["sql"].startswith("SELECT")]
            if not selects:
                continue
            slowest = max(selects, key=lambda q: float(q["time"]))
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                plan = "\n".join(line for (line,) in cursor.fetchall())
            print(f"\n-- {label} at {sizes[-1]:,} orders: its slowest query ({slowest['time']} s)")
            print(slowest["sql"])
            print(plan)


def flatness(by_size: dict[int, list[Result]]) -> str:
    """Per row: the ratio and queries at each size, and the largest size's ratio over the
    smallest's, against FLAT."""
    sizes = sorted(by_size)
    header = ["what", *(f"{size:,}" for size in sizes), "growth", "verdict"]
    lines = [header]
    for index, first in enumerate(by_size[sizes[0]]):
        cells = [first.what]
        for size in sizes:
            row = by_size[size][index]
            cells.append(f"{row.ratio:.1f}x/{row.queries}q")
        grown = growth(by_size, index)
        cells += [f"{grown:.2f}x", "flat" if grown <= FLAT else f"GROWS (> {FLAT}x)"]
        lines.append(cells)
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in lines
    )


if __name__ == "__main__":
    main()
