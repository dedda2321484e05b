"""The supervisor's dashboard of a big agency: GET /reports/?period=last_30_days.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench
    uv run python -m bench.dashboard [--fresh] [--runs 30]

Creates (once; `--fresh` deletes and creates it again) an agency
`bench-dashboard` with 100,000 orders over the last 52 ISO weeks, written by
the demo's history writer (`reports.demo.history.write_history`, bulk_create) a
month at a time: status events, acceptance rounds, assignments, feedback,
revisits, complaints, invoices and payments; and the READY weekly reports of
the last twelve weeks (their measures, no PDF), which the trends read. Then
times the dashboard page through Django's test client, logged in as the
agency's supervisor, with production settings. Target: under 300 ms.
"""

import argparse
import os
import random
import statistics
import tempfile
import time
import warnings
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production settings: no query logging, no debug pages; plain HTTP in-process.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "hearth-bench-media"))
# WhiteNoise looks for collected static files, which a benchmark does not need.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from agency.models import Agency, Branch, User  # noqa: E402
from bench.weekly_report import drop_agency, last_monday, make_agency  # noqa: E402
from orders.models import Order  # noqa: E402
from reports.demo.history import write_history  # noqa: E402
from reports.kpis import measure, to_json  # noqa: E402
from reports.models import ReportStatus, WeeklyReport  # noqa: E402
from reports.periods import week_period  # noqa: E402

SLUG = "bench-dashboard"
ORDERS = 100_000
WEEKS = 52
STAFF = 150
RUNS = 30
WARMUP = 3
TARGET_MS = 300
URL = "/reports/?period=last_30_days"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="delete the agency and create again")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    if args.fresh:
        drop_agency(SLUG)
    if not Agency.objects.filter(slug=SLUG).exists():
        started = time.perf_counter()
        make_history()
        print(f"{SLUG}: created in {time.perf_counter() - started:.0f} s")
    agency = Agency.objects.get(slug=SLUG)
    # The page links its stylesheet; without `collectstatic` the manifest storage has none.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        timings = time_page(args.runs)
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
    orders = Order.objects.filter(agency=agency).count()
    print(
        f"dashboard, {orders:,} orders, last 30 days: median {statistics.median(timings):.0f} ms, "
        f"p95 {p95:.0f} ms, best {min(timings):.0f} ms over {len(timings)} runs "
        f"(target: under {TARGET_MS} ms)"
    )


def time_page(runs: int) -> list[float]:
    """Milliseconds of each GET of the dashboard, as the agency's supervisor."""
    client = Client()
    client.force_login(
        User.objects.get(username=f"{SLUG}.supervisor"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    for _ in range(WARMUP):
        check(client.get(URL).status_code)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(URL)
        timings.append((time.perf_counter() - started) * 1000)
        check(response.status_code)
    return timings


def check(status: int) -> None:
    if status != 200:
        raise SystemExit(f"GET {URL} answered {status}")


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
