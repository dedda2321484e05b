"""The benchmarks' shared timing (bench/measure.py): floors in the same run, ratios, verdicts."""

import pytest

from bench.measure import Result, Timing, interleaved, paired, queries_of, round_trips, table
from tests.factories import BranchFactory


def test_a_measured_call_and_its_floor_alternate_after_the_warm_up():
    calls: list[str] = []
    value, floor = paired(
        lambda: calls.append("measured"), lambda: calls.append("floor"), runs=3, warmup=1
    )
    assert calls == ["measured", "floor"] * 4
    assert len(value.samples) == len(floor.samples) == 3


def test_three_calls_take_turns_in_each_round():
    calls: list[str] = []
    timings = interleaved(*(lambda name=name: calls.append(name) for name in "abc"), runs=2)
    assert calls == list("abc") * 3
    assert [len(timing.samples) for timing in timings] == [2, 2, 2]


def test_the_ratio_is_the_measured_median_over_the_floors():
    result = Result("page", Timing([10, 30, 20]), Timing([5, 5, 10]), max_ratio=4)
    assert result.ratio == 4
    assert result.met
    assert not Result("page", Timing([50]), Timing([10]), max_ratio=4).met


def test_a_time_target_is_checked_on_the_median():
    assert Result("sweep", Timing([100, 900, 2000]), Timing([1]), max_ms=1000).met
    assert not Result("sweep", Timing([1000]), Timing([1]), max_ms=1000).met


def test_the_table_has_a_row_per_result_with_its_verdict():
    rows = [
        Result("orders list API / bare view", Timing([20]), Timing([10]), 5, max_ratio=2),
        Result("weekly report", Timing([6000]), Timing([30]), 40, max_ms=5000, in_seconds=True),
    ]
    lines = table(rows).splitlines()
    assert lines[0].split()[:2] == ["what", "value"]
    assert "2.0x" in lines[2] and lines[2].rstrip().endswith("ok")
    assert "6.00 s" in lines[3] and "< 5.00 s" in lines[3] and lines[3].rstrip().endswith("MISSED")


@pytest.mark.django_db
def test_queries_are_counted_per_call(world):
    assert queries_of(lambda: list(BranchFactory._meta.model.objects.all())) == 1


@pytest.mark.django_db
def test_a_sweeps_floor_is_as_many_round_trips_as_it_sends_statements():
    assert queries_of(round_trips(6)) == 6
