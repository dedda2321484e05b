"""What the benchmarks share: ANALYZE after a bulk load, timing each
measured call next to a floor in the same run, query counts, and the table
`python -m bench` prints.

On a busy machine (two cores, other jobs) absolute times move by 2-3x from one minute to
the next. A measured call and its floor alternate, sample by sample, so both meet the
same load; the ratio of their medians is what stays put. The floor of a page is the
cheapest request through the same middleware as the same user (`floor_view`); of a
document, a one-line PDF; of a sweep, one trivial query.
"""

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path

from agency.models import User

#: The path of the floor view in `urlpatterns` (this module is the benchmarks' URLconf).
FLOOR_URL = "/bench/floor/"


def floor_view(request: HttpRequest) -> JsonResponse:
    """The framework floor: session, login, agency and the other middleware, and a small
    JSON answer, without a query of its own."""
    return JsonResponse({"agency": getattr(request, "agency", None) and request.agency.pk})  # type: ignore[attr-defined]


urlpatterns = [path(FLOOR_URL.strip("/") + "/", floor_view), path("", include("config.urls"))]


def analyze() -> None:
    """Fresh planner statistics after a bulk load: autovacuum may be off (SETUP-NOTES), and
    then the planner takes a new table for one row (a 1 ms list took 89 ms)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@dataclass
class Timing:
    """Milliseconds of each sample."""

    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        if len(self.samples) < 2:
            return self.samples[0]
        return statistics.quantiles(self.samples, n=20)[-1]

    @property
    def best(self) -> float:
        return min(self.samples)

    @property
    def per_second(self) -> float:
        return 1000 * len(self.samples) / sum(self.samples)


def elapsed_ms(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def paired(
    measured: Callable[[], Any], floor: Callable[[], Any], *, runs: int, warmup: int = 1
) -> tuple[Timing, Timing]:
    """Time `measured` and `floor` alternately, `runs` samples each after `warmup` uncounted
    rounds, so that the machine's load weighs on both alike."""
    value, floor_timing = interleaved(measured, floor, runs=runs, warmup=warmup)
    return value, floor_timing


def interleaved(*calls: Callable[[], Any], runs: int, warmup: int = 1) -> list[Timing]:
    """Time the calls in turn, one sample of each per round."""
    for _ in range(warmup):
        for call in calls:
            call()
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(runs):
        for call, timings in zip(calls, samples, strict=True):
            timings.append(elapsed_ms(call))
    return [Timing(timings) for timings in samples]


def queries_of(call: Callable[[], Any]) -> int:
    """How many SQL statements one call sends."""
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def trivial_query() -> None:
    """The floor of work that is not a request: one round trip to PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def round_trips(count: int) -> Callable[[], None]:
    """The floor of a sweep that sends `count` statements: as many round trips to PostgreSQL.

    One `SELECT 1` (a tenth of a millisecond) is too small a floor for a sweep: the
    machine's jitter moves it by half its size, and the ratio with it.
    """

    def trips() -> None:
        for _ in range(count):
            trivial_query()

    return trips


def one_line_pdf() -> None:
    """The floor of a document: WeasyPrint's fixed cost of one page, fonts loaded."""
    from weasyprint import HTML

    HTML(string="<p>1</p>").write_pdf()


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(
        User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def getter(client: Client, url: str) -> Callable[[], Any]:
    """A GET that must answer 200."""

    def get() -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return response

    return get


@contextmanager
def bench_urls(urlconf: str = __name__) -> Iterator[None]:
    """The site with the floor view (and a module's own bare views), and pages that link
    their stylesheet without `collectstatic` (the manifest storage has none)."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF=urlconf, STORAGES=storages):
        yield


@dataclass
class Result:
    """One row of the table: a measured median next to its floor's, in the same run."""

    what: str
    value: Timing
    floor: Timing
    queries: int | None = None
    #: The target: at most this many milliseconds (median), and/or this ratio to the floor.
    max_ms: float | None = None
    max_ratio: float | None = None
    #: Seconds rather than milliseconds in the table, for builds that take seconds.
    in_seconds: bool = False

    @property
    def ratio(self) -> float:
        return self.value.median / self.floor.median

    @property
    def target(self) -> str:
        parts = []
        if self.max_ms is not None:
            parts.append(f"< {self.amount(self.max_ms)}")
        if self.max_ratio is not None:
            parts.append(f"<= {self.max_ratio:g}x floor")
        return ", ".join(parts) or "-"

    @property
    def met(self) -> bool:
        within_time = self.max_ms is None or self.value.median < self.max_ms
        within_ratio = self.max_ratio is None or self.ratio <= self.max_ratio
        return within_time and within_ratio

    def amount(self, ms: float) -> str:
        return f"{ms / 1000:.2f} s" if self.in_seconds else f"{ms:.1f} ms"

    def row(self) -> list[str]:
        return [
            self.what,
            self.amount(self.value.median),
            self.amount(self.floor.median),
            f"{self.ratio:.1f}x",
            "-" if self.queries is None else str(self.queries),
            self.target,
            "ok" if self.met else "MISSED",
        ]


HEADER = ["what", "value (median)", "floor (median)", "ratio", "queries", "target", "verdict"]


def table(results: list[Result]) -> str:
    rows = [HEADER, *(result.row() for result in results)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER))]

    def line(row: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))

    return "\n".join(
        [line(rows[0]), line(["-" * width for width in widths])] + [line(row) for row in rows[1:]]
    )


def report(result: Result) -> None:
    """One module's result as a line, when the module runs on its own."""
    print(
        f"{result.what}: median {result.amount(result.value.median)}, "
        f"p95 {result.amount(result.value.p95)} over {len(result.value.samples)} runs; "
        f"floor {result.amount(result.floor.median)} in the same run, ratio {result.ratio:.1f}x; "
        f"{'-' if result.queries is None else result.queries} queries; "
        f"target {result.target}: {'ok' if result.met else 'MISSED'}"
    )
