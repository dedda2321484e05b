"""The supervisor's dashboard of a big agency: GET /reports/?period=last_30_days.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench
    uv run python -m bench.dashboard [--fresh] [--runs 30]

Creates (once; `--fresh` deletes and creates it again) an agency
`bench-dashboard` with 100,000 orders over the last 52 ISO weeks, written by
the demo's history writer (`reports.demo.history.write_history`, bulk_create) a
month at a time: status events, acceptance rounds, assignments, feedback,
revisits, complaints, invoices and payments; and the READY weekly reports of
the last twelve weeks (their measures, no PDF), which the trends read. Then
times the dashboard page (last 30 days, and last week) through Django's test
client, logged in as the agency's supervisor, with production settings, each
request next to a framework-floor request. Target: under 300 ms.
"""

import argparse
import random
import time
from datetime import date, timedelta

from agency.models import Agency, Branch
from bench.measure import (
    FLOOR_URL,
    Result,
    analyze,
    bench_urls,
    client_for,
    getter,
    paired,
    queries_of,
    report,
)
from bench.weekly_report import drop_agency, last_monday, make_agency
from orders.models import Order
from reports.demo.history import write_history
from reports.kpis import measure, to_json
from reports.models import ReportStatus, WeeklyReport
from reports.periods import week_period

SLUG = "bench-dashboard"
ORDERS = 100_000
WEEKS = 52
STAFF = 150
RUNS = 30
WARMUP = 3
TARGET_MS = 300
URL = "/reports/?period=last_30_days"
WEEK_URL = "/reports/?period=last_week"


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
    """The dashboard of the last 30 days and of last week, as the agency's supervisor, each
    request next to the framework floor (bench/measure.py)."""
    if not Agency.objects.filter(slug=SLUG).exists():
        started = time.perf_counter()
        make_history()
        analyze()
        print(f"{SLUG}: created in {time.perf_counter() - started:.0f} s")
    orders = Order.objects.filter(agency__slug=SLUG).count()
    client = client_for(f"{SLUG}.supervisor")
    floor = getter(client, FLOOR_URL)
    rows = []
    with bench_urls():
        for url, label in ((URL, "last 30 days"), (WEEK_URL, "last week")):
            page = getter(client, url)
            value, floor_timing = paired(page, floor, runs=runs, warmup=WARMUP)
            rows.append(
                Result(
                    f"dashboard, {label} ({orders:,} orders)",
                    value,
                    floor_timing,
                    queries_of(page),
                    max_ms=TARGET_MS,
                )
            )
    return rows


def make_history() -> None:
    """The agency, its year of orders a month (four weeks) at a time, and the stored
    measures of the last twelve weeks."""
    cast = make_agency(SLUG, staff=STAFF)
    last = last_monday(cast.agency)
    mondays = [last - timedelta(weeks=WEEKS - 1 - n) for n in range(WEEKS)]
    rng = random.Random(SLUG)
    per_week = ORDERS // WEEKS
    for start in range(0, WEEKS, 4):
        write_history(
            cast,
            mondays[start : start + 4],
            rng=rng,
            orders=(per_week, per_week),
            complaints=(0.008, 0.012),
        )
        print(f"  weeks from {mondays[start]}: written")
    store_reports(cast.agency, mondays[-12:])


def store_reports(agency: Agency, mondays: list[date]) -> None:
    """READY report rows with the weeks' measures, for the agency and each branch, as the
    Monday builds would have stored them (without their PDFs)."""
    branches: list[Branch | None] = [None, *Branch.objects.filter(agency=agency).order_by("pk")]
    WeeklyReport.objects.bulk_create(
        WeeklyReport(
            agency=agency,
            branch=branch,
            week=monday,
            language=agency.default_language,
            status=ReportStatus.READY,
            measures=to_json(
                measure(agency=agency, period=week_period(agency, monday), branch=branch)
            ),
        )
        for monday in mondays
        for branch in branches
    )


if __name__ == "__main__":
    main()
