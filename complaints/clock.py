"""SLA clocks: around the clock, or office hours only (a weekly calendar and holidays).

DESIGN.md, "Complaints": a deadline such as "first response within 1 hour"
counts either every minute, or only the agency's office minutes. `add` says
when an amount of clock time has passed from a moment, `between` how much
clock time lies between two moments; both in the agency's time zone, so a
deadline taken at 17:00 on a Friday with 08:30–17:30 office hours falls on
Monday morning.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: A week without a single office minute cannot carry a deadline: stop looking after a year.
SEARCH_DAYS = 366


@dataclass(frozen=True)
class Clock:
    """How an SLA clock counts. `hours` maps a weekday (Monday 0) to its office periods;
    empty `hours` means around the clock."""

    time_zone: str
    hours: dict[int, tuple[tuple[time, time], ...]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()

    @property
    def around_the_clock(self) -> bool:
        return not self.hours

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """The moment `amount` of clock time after `start`."""
        # Arithmetic in UTC: on aware datetimes of one zone Python counts wall-clock
        # time, which is an hour off across a daylight-saving change.
        start = start.astimezone(UTC)
        if self.around_the_clock:
            return start + amount
        left = amount
        for opens, closes in self._periods_from(start):
            begin = max(opens, start)
            if begin + left <= closes:
                return begin + left
            left -= closes - begin
        raise ValueError("the office calendar has no open hours")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """How much clock time runs from `start` to `end` (zero if `end` is earlier)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end <= start:
            return timedelta(0)
        if self.around_the_clock:
            return end - start
        total = timedelta(0)
        for opens, closes in self._periods_from(start):
            if opens >= end:
                break
            total += min(closes, end) - max(opens, start)
        return total

    def working_days_after(self, start: datetime, days: int) -> datetime:
        """The same time of day `days` working days (with office hours, not a holiday)
        after `start`'s day: a repair's "contact within 1 working day" taken on a Friday
        is due on Monday at that time, on Tuesday if Monday is a holiday."""
        zone = ZoneInfo(self.time_zone)
        local = start.astimezone(zone)
        left = days
        for offset in range(1, SEARCH_DAYS):
            current = local.date() + timedelta(days=offset)
            if current in self.holidays or (self.hours and current.weekday() not in self.hours):
                continue
            left -= 1
            if not left:
                return datetime.combine(current, local.time(), tzinfo=zone).astimezone(UTC)
        raise ValueError("the office calendar has no working day")

    def _periods_from(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Office periods (in UTC) that end after `start`, in order."""
        zone = ZoneInfo(self.time_zone)
        day = start.astimezone(zone).date()
        for offset in range(SEARCH_DAYS):
            current = day + timedelta(days=offset)
            if current in self.holidays:
                continue
            for opens, closes in self.hours.get(current.weekday(), ()):
                period = (
                    datetime.combine(current, opens, tzinfo=zone).astimezone(UTC),
                    datetime.combine(current, closes, tzinfo=zone).astimezone(UTC),
                )
                if period[1] > start:
                    yield period


def weekly_hours(
    rows: Iterable[tuple[int, time, time]],
) -> dict[int, tuple[tuple[time, time], ...]]:
    """Office hours by weekday from (weekday, opens, closes) rows, each day's in order."""
    hours: dict[int, list[tuple[time, time]]] = {}
    for weekday, opens, closes in sorted(rows):
        hours.setdefault(weekday, []).append((opens, closes))
    return {weekday: tuple(periods) for weekday, periods in hours.items()}
