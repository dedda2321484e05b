"""The periods the reports measure: ISO weeks, the last 30 days, or two chosen days.

A period is `[start, end)` in the agency's time zone; `first` and `last` are
the days it covers. ISO weeks run Monday to Sunday.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from agency.models import Agency


class PeriodKind(StrEnum):
    THIS_WEEK = "this_week"
    LAST_WEEK = "last_week"
    LAST_30_DAYS = "last_30_days"
    CUSTOM = "custom"


PERIOD_CHOICES: list[tuple[str, str | Promise]] = [
    (PeriodKind.THIS_WEEK, gettext_lazy("This week")),
    (PeriodKind.LAST_WEEK, gettext_lazy("Last week")),
    (PeriodKind.LAST_30_DAYS, gettext_lazy("Last 30 days")),
    (PeriodKind.CUSTOM, gettext_lazy("From – to")),
]


@dataclass(frozen=True)
class Period:
    """`[start, end)` in the agency's time zone; `first` and `last` are the days it covers."""

    kind: str
    first: date
    last: date
    start: datetime
    end: datetime


def days_period(agency: Agency, first: date, last: date, kind: str = PeriodKind.CUSTOM) -> Period:
    """The days `first` to `last` (both included) in the agency's time zone."""
    zone = agency.zone
    return Period(
        kind=kind,
        first=first,
        last=last,
        start=datetime.combine(first, time.min, tzinfo=zone),
        end=datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_period(agency: Agency, monday: date) -> Period:
    """The ISO week that starts on `monday`."""
    return days_period(agency, monday, monday + timedelta(days=6), PeriodKind.LAST_WEEK)


def period_for(
    agency: Agency,
    kind: str = PeriodKind.THIS_WEEK,
    *,
    first: date | None = None,
    last: date | None = None,
) -> Period:
    """The period a person chose, in days of the agency's time zone. A custom period
    needs both days (`first` ≤ `last`); without them it is this week."""
    today = agency.today()
    monday = monday_of(today)
    if kind == PeriodKind.LAST_WEEK:
        return week_period(agency, monday - timedelta(days=7))
    if kind == PeriodKind.LAST_30_DAYS:
        return days_period(agency, today - timedelta(days=29), today, kind)
    if kind == PeriodKind.CUSTOM and first is not None and last is not None:
        return days_period(agency, min(first, last), max(first, last), kind)
    return days_period(agency, monday, monday + timedelta(days=6), PeriodKind.THIS_WEEK)
