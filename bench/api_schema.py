"""GET /api/schema/ (the OpenAPI document), next to the framework floor in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench uv run python -m bench.generate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench uv run python -m bench.api_schema

As the dispatcher of bench/generate.py: the first request of the process (which
generates the document, config/api_schema.py), then the JSON and the YAML
document (the default) `--runs` times each. Target: a served document costs
its rendering, not its generation (0.7 s): JSON under 100 ms, YAML under 500 ms.
"""

import argparse

from bench.generate import BENCH_USER
from bench.measure import (
    FLOOR_URL,
    Result,
    Timing,
    bench_urls,
    client_for,
    elapsed_ms,
    getter,
    paired,
    queries_of,
    report,
)
from config.api_schema import CachedSchemaView

RUNS = 20
URL = "/api/schema/"


def results(runs: int = RUNS) -> list[Result]:
    client = client_for(BENCH_USER)
    floor = getter(client, FLOOR_URL)
    json_schema = getter(client, URL + "?format=json")
    yaml_schema = getter(client, URL)
    rows = []
    with bench_urls():
        CachedSchemaView.schemas.clear()
        first, first_floor = elapsed_ms(json_schema), elapsed_ms(floor)
        rows.append(
            Result("API schema, first request (generates)", Timing([first]), Timing([first_floor]))
        )
        for label, get, target in (("JSON", json_schema, 100), ("YAML", yaml_schema, 500)):
            value, floor_timing = paired(get, floor, runs=runs)
            rows.append(
                Result(f"API schema, {label}", value, floor_timing, queries_of(get), max_ms=target)
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    for result in results(args.runs):
        report(result)


if __name__ == "__main__":
    main()
