"""SLA clocks without a database: around the clock, office hours, holidays, time zones."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints.clock import Clock, weekly_hours

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")

#: Monday to Friday, 08:30–17:30 (the policy's default office hours).
WEEKDAYS = weekly_hours((day, time(8, 30), time(17, 30)) for day in range(5))
#: The same days with a lunch break: 08:30–12:00 and 13:30–17:30.
WITH_LUNCH = weekly_hours(
    row
    for day in range(5)
    for row in ((day, time(13, 30), time(17, 30)), (day, time(8, 30), time(12)))
)

OFFICE = Clock(time_zone="Asia/Shanghai", hours=WEEKDAYS)
# 2026-11-16 is a Monday; 2026-10-01 (a Thursday) is National Day.
MONDAY = date(2026, 11, 16)


def at(day: date, hour: int, minute: int = 0, *, days: int = 0, zone: ZoneInfo = SHANGHAI):
    return datetime.combine(day + timedelta(days=days), time(hour, minute), tzinfo=zone)


# --- around the clock ---------------------------------------------------------------


def test_around_the_clock_counts_every_minute():
    clock = Clock(time_zone="Asia/Shanghai")
    friday_evening = at(MONDAY, 17, days=4)
    assert clock.around_the_clock
    assert clock.add(friday_evening, timedelta(hours=1)) == at(MONDAY, 18, days=4)
    assert clock.add(friday_evening, timedelta(hours=24)) == at(MONDAY, 17, days=5)
    assert clock.between(friday_evening, at(MONDAY, 9, days=7)) == timedelta(hours=64)


def test_between_is_zero_when_the_end_comes_first():
    assert OFFICE.between(at(MONDAY, 10), at(MONDAY, 9)) == timedelta(0)
    assert Clock(time_zone="UTC").between(at(MONDAY, 10), at(MONDAY, 9)) == timedelta(0)


# --- office hours -------------------------------------------------------------------


def test_an_hour_before_closing_runs_on_the_next_morning():
    assert OFFICE.add(at(MONDAY, 17), timedelta(hours=1)) == at(MONDAY, 9, days=1)
    assert OFFICE.add(at(MONDAY, 16), timedelta(hours=3)) == at(MONDAY, 10, days=1)


def test_friday_at_five_plus_an_hour_is_monday_at_nine():
    assert OFFICE.add(at(MONDAY, 17, days=4), timedelta(hours=1)) == at(MONDAY, 9, days=7)
    assert OFFICE.between(at(MONDAY, 17, days=4), at(MONDAY, 9, days=7)) == timedelta(hours=1)


def test_a_deadline_ending_at_closing_time_stays_that_evening():
    assert OFFICE.add(at(MONDAY, 16, 30), timedelta(hours=1)) == at(MONDAY, 17, 30)


def test_before_opening_the_clock_starts_at_opening():
    assert OFFICE.add(at(MONDAY, 7), timedelta(hours=1)) == at(MONDAY, 9, 30)
    assert OFFICE.add(at(MONDAY, 3, days=5), timedelta(minutes=15)) == at(MONDAY, 8, 45, days=7)
    assert OFFICE.between(at(MONDAY, 7), at(MONDAY, 9)) == timedelta(minutes=30)


def test_a_holiday_has_no_office_minutes():
    national_day = date(2026, 10, 1)
    clock = Clock(time_zone="Asia/Shanghai", hours=WEEKDAYS, holidays=frozenset({national_day}))
    wednesday = at(national_day, 17, days=-1)
    assert clock.add(wednesday, timedelta(hours=1)) == at(national_day, 9, days=1)
    assert clock.between(wednesday, at(national_day, 9, days=1)) == timedelta(hours=1)
    # Taken on the holiday itself: the clock starts the next working morning.
    assert clock.add(at(national_day, 10), timedelta(minutes=15)) == at(national_day, 8, 45, days=1)


def test_the_lunch_break_does_not_count():
    clock = Clock(time_zone="Asia/Shanghai", hours=WITH_LUNCH)
    assert clock.add(at(MONDAY, 11, 30), timedelta(hours=1)) == at(MONDAY, 14)
    assert clock.add(at(MONDAY, 12, 15), timedelta(minutes=15)) == at(MONDAY, 13, 45)
    assert clock.between(at(MONDAY, 11, 30), at(MONDAY, 14)) == timedelta(hours=1)
    assert clock.between(at(MONDAY, 8), at(MONDAY, 18)) == timedelta(hours=7, minutes=30)


def test_weekly_hours_orders_each_days_periods():
    assert WITH_LUNCH[0] == ((time(8, 30), time(12)), (time(13, 30), time(17, 30)))
    assert set(WITH_LUNCH) == {0, 1, 2, 3, 4}


def test_a_calendar_without_open_hours_refuses_a_deadline():
    every_monday = frozenset(MONDAY + timedelta(weeks=n) for n in range(60))
    clock = Clock(time_zone="Asia/Shanghai", hours={0: WEEKDAYS[0]}, holidays=every_monday)
    with pytest.raises(ValueError, match="no open hours"):
        clock.add(at(MONDAY, 9), timedelta(minutes=15))


# --- between is the inverse of add ----------------------------------------------------

AMOUNTS = [timedelta(minutes=m) for m in (1, 15, 30, 60, 180, 7 * 60, 9 * 60, 24 * 60, 50 * 60)]


@pytest.mark.parametrize(
    "clock",
    [
        Clock(time_zone="Asia/Shanghai"),
        Clock(time_zone="Asia/Shanghai", hours=WEEKDAYS),
        Clock(
            time_zone="Asia/Shanghai",
            hours=WITH_LUNCH,
            holidays=frozenset({date(2026, 11, 18)}),
        ),
        Clock(time_zone="Europe/Berlin", hours=WEEKDAYS),
        Clock(time_zone="Europe/Berlin"),
    ],
    ids=[
        "shanghai-24h",
        "shanghai-office",
        "shanghai-lunch-holiday",
        "berlin-office",
        "berlin-24h",
    ],
)
def test_between_undoes_add_from_any_start(clock):
    # Every 37 minutes over two weeks (nights, weekends, the holiday, lunch, and in
    # Berlin the change to winter time on 2026-10-25).
    first = datetime(2026, 10, 19, tzinfo=UTC)
    starts = [first + timedelta(minutes=37 * n) for n in range(14 * 24 * 60 // 37)]
    for start in starts:
        for amount in AMOUNTS:
            due = clock.add(start, amount)
            assert clock.between(start, due) == amount, (start, amount)
            # And nothing earlier would do: a minute less of clock time comes sooner.
            assert clock.add(start, amount - timedelta(minutes=1)) < due


# --- time zones ------------------------------------------------------------------------


def test_shanghai_office_hours_are_shanghai_time_whatever_the_input_zone():
    friday_five_pm_utc = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 17:00 in Shanghai
    assert OFFICE.add(friday_five_pm_utc, timedelta(hours=1)) == datetime(
        2026, 11, 23, 1, 0, tzinfo=UTC
    )


def test_around_the_clock_counts_real_time_across_the_autumn_change():
    # 2026-10-25 03:00 CEST becomes 02:00 CET in Berlin: that day has 25 hours.
    clock = Clock(time_zone="Europe/Berlin")
    before = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN)  # the first 02:30 (CEST)
    due = clock.add(before, timedelta(hours=1))
    assert due == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # the second 02:30 (CET)
    assert clock.between(before, due) == timedelta(hours=1)
    saturday_noon = datetime(2026, 10, 24, 12, tzinfo=BERLIN)
    sunday_noon = datetime(2026, 10, 25, 12, tzinfo=BERLIN)
    assert clock.between(saturday_noon, sunday_noon) == timedelta(hours=25)
    assert clock.add(saturday_noon, timedelta(hours=24)) == datetime(
        2026, 10, 25, 11, tzinfo=BERLIN
    )


def test_around_the_clock_counts_real_time_across_the_spring_change():
    # 2026-03-29 02:00 CET becomes 03:00 CEST: that day has 23 hours.
    clock = Clock(time_zone="Europe/Berlin")
    saturday_noon = datetime(2026, 3, 28, 12, tzinfo=BERLIN)
    assert clock.add(saturday_noon, timedelta(hours=24)) == datetime(2026, 3, 29, 13, tzinfo=BERLIN)
    assert clock.between(saturday_noon, datetime(2026, 3, 29, 12, tzinfo=BERLIN)) == timedelta(
        hours=23
    )


def test_berlin_office_hours_follow_local_time_across_the_change():
    clock = Clock(time_zone="Europe/Berlin", hours=WEEKDAYS)
    friday = datetime(2026, 3, 27, 17, tzinfo=BERLIN)  # CET, UTC+1
    monday_nine = datetime(2026, 3, 30, 9, tzinfo=BERLIN)  # CEST, UTC+2
    assert clock.add(friday, timedelta(hours=1)) == monday_nine
    assert clock.add(friday, timedelta(hours=1)) == datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert clock.between(friday, monday_nine) == timedelta(hours=1)


def test_an_office_period_spanning_the_change_counts_its_real_length():
    # Open Sunday 00:00–06:00 local: on 2026-03-29 that is five real hours.
    clock = Clock(time_zone="Europe/Berlin", hours={6: ((time(0), time(6)),)})
    sunday = datetime(2026, 3, 29, 0, tzinfo=BERLIN)
    assert clock.between(sunday, datetime(2026, 3, 29, 6, tzinfo=BERLIN)) == timedelta(hours=5)
    assert clock.add(sunday, timedelta(hours=5)) == datetime(2026, 3, 29, 6, tzinfo=BERLIN)
    assert clock.add(sunday, timedelta(hours=5, minutes=30)) == datetime(
        2026, 4, 5, 0, 30, tzinfo=BERLIN
    )
