"""Throughput of the orders list API next to a bare Django JSON view of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench uv run python -m bench.generate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench uv run python -m bench.order_list

Both answer the first page (50 rows, with customer, service, branch and
district, plus the total count) of the large agency's orders for a logged-in
dispatcher, through the same middleware, in this process. Target:
the API at least half the bare view's throughput.
"""

import os
import statistics
import time
import warnings

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production settings: no query logging, no debug pages; plain HTTP in-process.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# WhiteNoise looks for collected static files, which a benchmark does not need.
warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from agency.models import User  # noqa: E402
from bench.generate import BENCH_USER  # noqa: E402
from orders.models import Order  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
WARMUP = 30


def bare_orders(request: HttpRequest) -> JsonResponse:
    """What a hand-written view would do: one count, one page of values()."""
    rows = Order.objects.filter(agency=request.agency).order_by("starts_at", "id")  # type: ignore[attr-defined]
    page = rows.values(
        "id", "number", "status", "is_urgent", "starts_at", "ends_at", "created_at",
        "branch_id", "branch__name", "customer_id", "customer__name", "customer__phone",
        "service_type_id", "service_type__code", "service_type__name_zh",
        "needs_form__address__district",
    )[:50]  # fmt: skip
    return JsonResponse({"count": rows.count(), "results": list(page)})


urlpatterns = [path("bare/orders/", bare_orders), path("", include("config.urls"))]


def throughput(client: Client, url: str) -> tuple[float, float]:
    """Requests per second and the median latency in ms."""
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    return len(timings) / sum(timings), statistics.median(timings) * 1000


def main() -> None:
    client = Client()
    client.force_login(
        User.objects.get(username=BENCH_USER), backend="django.contrib.auth.backends.ModelBackend"
    )
    with override_settings(ROOT_URLCONF=__name__):
        api, api_ms = throughput(client, "/api/orders/?ordering=starts_at")
        bare, bare_ms = throughput(client, "/bare/orders/")
    print(f"orders list API : {api:7.1f} req/s  (median {api_ms:.1f} ms)")
    print(f"bare JSON view  : {bare:7.1f} req/s  (median {bare_ms:.1f} ms)")
    print(f"ratio API/bare  : {api / bare:.2f}  (target >= 0.50)")


if __name__ == "__main__":
    main()
