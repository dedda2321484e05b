"""The shared bounds on dates people type (agency.bounds)."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from agency.bounds import latest_date, validate_plausible_date


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(datetime(2026, 11, 23, 2, tzinfo=UTC), tick=False):
        yield


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2026, 11, 23), date(2036, 11, 23)])
def test_dates_from_2000_to_ten_years_ahead_are_accepted(day):
    validate_plausible_date(day)


@pytest.mark.parametrize(
    "value",
    [date(1, 1, 1), date(1999, 12, 31), date(2036, 11, 24), datetime(9999, 12, 31, 23, tzinfo=UTC)],
)
def test_dates_outside_are_refused_with_the_range(value):
    with pytest.raises(ValidationError, match=re.escape("between Jan. 1, 2000 and Nov. 23, 2036")):
        validate_plausible_date(value)


def test_ten_years_after_29_february_ends_on_28_february():
    with time_machine.travel(datetime(2028, 2, 29, 2, tzinfo=UTC), tick=False):
        assert latest_date() == date(2038, 2, 28)
