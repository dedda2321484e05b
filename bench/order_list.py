"""The orders list API next to a bare Django JSON view of the same rows, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench uv run python -m bench.generate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench uv run python -m bench.order_list

Both answer the first page (50 rows, with customer, service, branch and
district, plus the total count) of the large agency's orders for a logged-in
dispatcher, through the same middleware, in this process, a request of each in
turn, with the framework floor (bench/measure.py) as a third. Target: the API at
least half the bare view's throughput (its median at most twice the bare view's).
"""

import os

from django.http import HttpRequest, JsonResponse
from django.urls import path

from bench.generate import BENCH_USER
from bench.measure import (
    FLOOR_URL,
    Result,
    bench_urls,
    client_for,
    getter,
    interleaved,
    queries_of,
    report,
)
from bench.measure import urlpatterns as bench_patterns
from orders.models import Order

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


urlpatterns = [path("bare/orders/", bare_orders), *bench_patterns]


def results(runs: int = REQUESTS) -> list[Result]:
    client = client_for(BENCH_USER)
    api = getter(client, "/api/orders/?ordering=starts_at")
    bare = getter(client, "/bare/orders/")
    with bench_urls(__name__):
        api_timing, bare_timing, floor_timing = interleaved(
            api, bare, getter(client, FLOOR_URL), runs=runs, warmup=WARMUP
        )
        api_queries, bare_queries = queries_of(api), queries_of(bare)
    return [
        Result("orders list API / bare view", api_timing, bare_timing, api_queries, max_ratio=2.0),
        Result("bare orders view / framework floor", bare_timing, floor_timing, bare_queries),
    ]


def main() -> None:
    api, bare = results()
    report(api)
    report(bare)
    print(
        f"throughput: API {api.value.per_second:.1f} req/s, bare view {bare.value.per_second:.1f}"
        f" req/s, ratio {api.value.per_second / bare.value.per_second:.2f} (target >= 0.50)"
    )


if __name__ == "__main__":
    main()
