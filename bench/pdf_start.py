"""A process's first PDF, with and without the warm-up the reports workers run at start.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench uv run python -m bench.pdf_start

Each measurement runs in a new Python process (`--child`), as a worker process or a
web process starts: Django set up and the URLconf loaded (every view imported), then

- cold: the invoice of bench/invoice_pdf.py rendered as the process's first document;
- warm: `agency.pdf.warm_up()` first (what config/celery.py runs in each reports
  worker process when it starts), then the same invoice;
- none: no document at all, the memory of a web process that renders none.

It prints the times and each process's peak memory (VmHWM). Target: after the
warm-up, the first invoice costs what any later one does (under a second).
"""

import argparse
import json
import os
import subprocess
import sys
import time

from bench.measure import Result, Timing, report

RUNS = 3


def child(mode: str) -> dict[str, float]:
    from django.urls import get_resolver

    from agency.models import Agency
    from agency.pdf import warm_up
    from bench.invoice_pdf import SLUG
    from orders.billing.documents import invoice_pdf
    from orders.models import Invoice

    get_resolver().url_patterns  # noqa: B018 -- every view imported, as in a web process
    invoice = Invoice.objects.get(agency=Agency.objects.get(slug=SLUG))
    invoice.lines.count()  # the connection open before the clock starts
    before_mb = peak_mb()
    warm_up_ms = first_ms = 0.0
    if mode == "warm":
        started = time.perf_counter()
        warm_up()
        warm_up_ms = (time.perf_counter() - started) * 1000
    if mode != "none":
        started = time.perf_counter()
        invoice_pdf(invoice)
        first_ms = (time.perf_counter() - started) * 1000
    return {
        "warm_up_ms": warm_up_ms,
        "first_ms": first_ms,
        "before_mb": before_mb,
        "peak_mb": peak_mb(),
    }


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: ru_maxrss would carry the parent's
    peak across exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def run_child(mode: str) -> dict[str, float]:
    done = subprocess.run(  # noqa: S603 -- this interpreter, this module
        [sys.executable, "-m", "bench.pdf_start", "--child", mode],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def results(runs: int = RUNS) -> list[Result]:
    """The first invoice of a cold process against the first of a warmed one, processes in
    turn so that both meet the same load."""
    from bench.invoice_pdf import results as invoice_results

    invoice_results(runs=1)  # its agency and invoice exist
    cold, warm, none = [], [], []
    for _ in range(runs):
        cold.append(run_child("cold"))
        warm.append(run_child("warm"))
        none.append(run_child("none"))

    def timing(samples: list[dict[str, float]], key: str) -> Timing:
        return Timing([sample[key] for sample in samples])

    def memory(samples: list[dict[str, float]]) -> str:
        return f"{max(sample['peak_mb'] for sample in samples):.0f} MB"

    print(
        f"peak memory of a process: no PDF {memory(none)}, "
        f"first PDF cold {memory(cold)}, warm-up and first PDF {memory(warm)}"
    )
    return [
        Result(
            "a process's first invoice PDF, cold / warmed",
            timing(cold, "first_ms"),
            timing(warm, "first_ms"),
        ),
        Result(
            "the warm-up at process start / warmed first PDF",
            timing(warm, "warm_up_ms"),
            timing(warm, "first_ms"),
        ),
        Result(
            "a warmed process's first invoice PDF / a cold one's",
            timing(warm, "first_ms"),
            timing(cold, "first_ms"),
            max_ms=1000,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", choices=["cold", "warm", "none"])
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    for result in results(args.runs):
        report(result)


if __name__ == "__main__":
    main()
