"""Every benchmark in one run, and one table: what, value, floor, ratio, queries, target, verdict.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench
    uv run python -m bench.generate --agencies 20 --orders 100000
    uv run python -m bench [--only order_list,api_schema] [--runs N]

Each benchmark creates the data it needs the first time (minutes for the dashboard's
year and the complaint sweep's 100,000 deadlines; ANALYZE after each bulk load), then
times each measured call next to its floor in the same run (bench/measure.py): on a
busy machine the ratio holds where absolute times do not. `--runs` overrides each
benchmark's own number of samples.
"""

import argparse
import importlib
import time
from collections.abc import Callable

from bench.measure import Result, table

#: Module of bench/, in the order they run: the quick ones first.
BENCHMARKS = [
    "order_list",
    "portal_home",
    "api_schema",
    "invoice_pdf",
    "contract_pdf",
    "pdf_start",
    "matching",
    "schedule_board",
    "dashboard",
    "complaint_sweep",
    "weekly_report",
    "notification_reminders",
    "payment_notifications",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--only", default="", help="comma-separated benchmarks: " + ", ".join(BENCHMARKS)
    )
    parser.add_argument(
        "--runs", type=int, help="samples per measurement (each has its own default)"
    )
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or BENCHMARKS
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")
    rows: list[Result] = []
    for name in chosen:
        results: Callable[..., list[Result]] = importlib.import_module(f"bench.{name}").results
        started = time.perf_counter()
        print(f"-- {name}", flush=True)
        found = results() if args.runs is None else results(runs=args.runs)
        rows.extend(found)
        print(f"   {len(found)} measured in {time.perf_counter() - started:.0f} s", flush=True)
    print()
    print(table(rows))
    missed = [row.what for row in rows if not row.met]
    if missed:
        raise SystemExit(f"\n{len(missed)} missed their target")


if __name__ == "__main__":
    main()
