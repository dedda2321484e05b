"""The complaint figures the reports use, on a known set of complaints.

The period is the week of Monday 2026-11-16 in Asia/Shanghai. Agency A has two
branches (A1 = the fixture's branch, A2); agency B's complaints never count.

    complaint  branch tier/category   received    first response  completing deadline
    c1         A1     hard damage     Mon 10:00   Mon 10:30       resolution in time (Tue), and
                                                  (reopened: Sat)   again in time (Sun)
    c2         A1     hard fault      Tue 09:00   Wed 09:00       resolution late (Wed)
    c3         A2     soft attitude   Wed 14:00   Wed 14:10       verification in time (Wed)
    c4         A2     soft manner     Sun before  Mon 08:50       verification late (Mon)
    c5         A1     hard loss       Fri 16:00   next Mon 09:00  —
    c6         A1     soft attitude   Fri 17:10   none            — (first response breached, open)
    c8         A2     hard damage     Thu 10:00   Thu 11:30       — (2nd response paused, 1 h left)
    c9         A1     hard damage     Thu 15:00   next Mon 10:00  — (breached, open at the end)
    c10        A2     soft environment Thu 15:00  none            — (closed: cancelled)
    c11        A1     hard damage     week before week before     resolution in time, week before
    c12        A1     soft other      Fri 10:00   none            — (breached, then paused: 0 left)
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints.figures import (
    Figure,
    average_first_response,
    completion_rate,
    counts_by_category,
    counts_by_tier,
    open_breaches,
)
from complaints.models import Category, Complaint, DeadlineKind, Tier
from tests.factories import BranchFactory, ComplaintFactory, DeadlineFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
FR, VER, RES = DeadlineKind.FIRST_RESPONSE, DeadlineKind.VERIFICATION, DeadlineKind.RESOLUTION


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


START, END = sh(16, 0), sh(23, 0)
#: Figures are read the day after the period, so "now" is past its end.
READ_AT = sh(24, 9)


def complaint(agency, branch, tier, category, received) -> Complaint:
    return ComplaintFactory(
        agency=agency, branch=branch, tier=tier, category=category, received_at=received
    )


def deadline(c: Complaint, kind: str, due: datetime, *, met=None, late=False, **fields) -> None:
    fields.setdefault("breached_at", due if late else None)
    fields.setdefault("next_escalation_at", None if met or "cancelled_at" in fields else due)
    DeadlineFactory(agency=c.agency, complaint=c, kind=kind, due_at=due, met_at=met, **fields)


@pytest.fixture
def branches(world):
    return world.a.branch, BranchFactory(agency=world.a.agency)


@pytest.fixture
def week(world, branches):
    """The table in the module docstring."""
    a1, a2 = branches
    agency = world.a.agency
    c1 = complaint(agency, a1, Tier.HARD, Category.DAMAGE, sh(16, 10))
    deadline(c1, FR, sh(16, 11), met=sh(16, 10, 30))
    deadline(c1, RES, sh(17, 18), met=sh(17, 17))
    deadline(c1, FR, sh(21, 12), met=sh(21, 11))  # the reopened round's first response
    deadline(c1, RES, sh(22, 18), met=sh(22, 12))
    c2 = complaint(agency, a1, Tier.HARD, Category.FAULT, sh(17, 9))
    deadline(c2, FR, sh(17, 10), met=sh(18, 9), late=True)
    deadline(c2, RES, sh(18, 8), met=sh(18, 15), late=True)
    c3 = complaint(agency, a2, Tier.SOFT, Category.ATTITUDE, sh(18, 14))
    deadline(c3, FR, sh(18, 14, 15), met=sh(18, 14, 10))
    deadline(c3, VER, sh(18, 14, 30), met=sh(18, 14, 25))
    c4 = complaint(agency, a2, Tier.SOFT, Category.MANNER, sh(15, 20))
    deadline(c4, FR, sh(16, 8, 45), met=sh(16, 8, 50), late=True)
    deadline(c4, VER, sh(16, 9), met=sh(16, 9, 10), late=True)
    c5 = complaint(agency, a1, Tier.HARD, Category.LOSS, sh(20, 16))
    deadline(c5, FR, sh(23, 9, 30), met=sh(23, 9))
    c6 = complaint(agency, a1, Tier.SOFT, Category.ATTITUDE, sh(20, 17, 10))
    deadline(c6, FR, sh(20, 17, 25), breached_at=sh(20, 17, 25), level=1)
    deadline(c6, VER, sh(23, 8, 40))
    c8 = complaint(agency, a2, Tier.HARD, Category.DAMAGE, sh(19, 10))
    deadline(c8, FR, sh(19, 11), met=sh(19, 11, 30), late=True)
    deadline(c8, DeadlineKind.SECOND_RESPONSE, sh(19, 13), left_when_paused=timedelta(hours=1))
    c9 = complaint(agency, a1, Tier.HARD, Category.DAMAGE, sh(19, 15))
    deadline(c9, FR, sh(19, 16), met=sh(23, 10), late=True)
    c10 = complaint(agency, a2, Tier.SOFT, Category.ENVIRONMENT, sh(19, 15))
    deadline(c10, FR, sh(19, 15, 15), cancelled_at=sh(19, 15, 5))
    c11 = complaint(agency, a1, Tier.HARD, Category.DAMAGE, sh(12, 10))
    deadline(c11, FR, sh(12, 11), met=sh(12, 10, 20))
    deadline(c11, RES, sh(15, 12), met=sh(15, 10))
    c12 = complaint(agency, a1, Tier.SOFT, Category.OTHER, sh(20, 10))
    deadline(c12, FR, sh(20, 10, 15), left_when_paused=timedelta(0))
    # Agency B, same week: fast, in time, breached — none of it counts for A.
    b = complaint(world.b.agency, world.b.branch, Tier.HARD, Category.DAMAGE, sh(18, 10))
    deadline(b, FR, sh(18, 11), met=sh(18, 10, 1))
    deadline(b, RES, sh(18, 12), met=sh(18, 11))
    deadline(b, DeadlineKind.FOLLOW_UP, sh(18, 13))
    return world.a.agency


@pytest.fixture(autouse=True)
def _read_after_the_week():
    with time_machine.travel(READ_AT, tick=False):
        yield


def test_average_first_response_over_the_responses_given_in_the_week(
    week, django_assert_num_queries
):
    # c1 30 min (its reopened round does not count), c2 24 h, c3 10 min, c4 12 h 50 min
    # (received the Sunday before), c8 1 h 30 min; c5 and c9 were answered the next week.
    with django_assert_num_queries(1):
        figure = average_first_response(agency=week, start=START, end=END)
    assert figure == Figure(
        value=timedelta(hours=7, minutes=48), target=timedelta(hours=24), met=True, measured=5
    )


def test_average_first_response_of_one_branch(week, branches):
    a1, a2 = branches
    assert average_first_response(agency=week, start=START, end=END, branch=a1) == Figure(
        value=timedelta(hours=12, minutes=15), target=timedelta(hours=24), met=True, measured=2
    )
    # c3 10 min, c4 12 h 50 min, c8 1 h 30 min.
    assert average_first_response(agency=week, start=START, end=END, branch=a2).value == (
        timedelta(hours=4, minutes=50)
    )


def test_an_average_over_a_day_misses_the_target(week):
    # Tuesday to Wednesday noon: only c2, answered after 24 hours.
    figure = average_first_response(agency=week, start=sh(17, 0), end=sh(18, 12))
    assert figure == Figure(
        value=timedelta(hours=24), target=timedelta(hours=24), met=True, measured=1
    )
    c2 = Complaint.objects.get(agency=week, category=Category.FAULT)
    c2.deadlines.filter(kind=FR).update(met_at=sh(18, 9, 1))
    figure = average_first_response(agency=week, start=sh(17, 0), end=sh(18, 12))
    assert (figure.value, figure.met) == (timedelta(hours=24, minutes=1), False)


def test_completion_rate_counts_each_handling_completed_in_the_week(
    week, django_assert_num_queries
):
    # Completed: c1 twice in time, c2 late, c3 verified in time, c4 verified late.
    with django_assert_num_queries(1):
        figure = completion_rate(agency=week, start=START, end=END)
    assert figure == Figure(value=Decimal("0.6000"), target=Decimal("0.90"), met=False, measured=5)


def test_completion_rate_of_one_branch_is_rounded_to_four_places(week, branches):
    a1, a2 = branches
    assert completion_rate(agency=week, start=START, end=END, branch=a1) == Figure(
        value=Decimal("0.6667"), target=Decimal("0.90"), met=False, measured=3
    )
    assert completion_rate(agency=week, start=START, end=END, branch=a2).value == Decimal("0.5000")


def test_completion_rate_meets_the_target_at_ninety_percent(world, branches):
    a1, _ = branches
    for n in range(10):
        c = complaint(world.a.agency, a1, Tier.HARD, Category.DAMAGE, sh(16, 9))
        deadline(c, RES, sh(17, 12), met=sh(17, 11 if n else 13), late=not n)
    figure = completion_rate(agency=world.a.agency, start=START, end=END)
    assert (figure.value, figure.met, figure.measured) == (Decimal("0.9000"), True, 10)


def test_nothing_to_measure_gives_no_value_and_no_verdict(world):
    assert average_first_response(agency=world.a.agency, start=START, end=END) == Figure(
        value=None, target=timedelta(hours=24), met=None, measured=0
    )
    assert completion_rate(agency=world.a.agency, start=START, end=END) == Figure(
        value=None, target=Decimal("0.90"), met=None, measured=0
    )
    assert open_breaches(agency=world.a.agency, start=START, end=END) == 0


def test_counts_by_tier_and_category_of_the_complaints_received(
    week, branches, django_assert_num_queries
):
    with django_assert_num_queries(1):
        tiers = counts_by_tier(agency=week, start=START, end=END)
    assert tiers == {Tier.SOFT: 4, Tier.HARD: 5}
    with django_assert_num_queries(1):
        categories = counts_by_category(agency=week, start=START, end=END)
    assert categories == {
        Category.ATTITUDE: 2,
        Category.MANNER: 0,
        Category.ENVIRONMENT: 1,
        Category.LATENESS: 0,
        Category.DAMAGE: 3,
        Category.FAULT: 1,
        Category.LOSS: 1,
        Category.OTHER: 1,
    }
    _, a2 = branches
    assert counts_by_tier(agency=week, start=START, end=END, branch=a2) == {
        Tier.SOFT: 2,
        Tier.HARD: 1,
    }


def test_open_breaches_at_the_end_of_the_week(week, branches, django_assert_num_queries):
    # c6's first response, c9's (answered only the next Monday) and c12's (paused after
    # its breach); not c8's paused second response, c10's cancelled one or c5's not yet due.
    with django_assert_num_queries(1):
        assert open_breaches(agency=week, start=START, end=END) == 3
    a1, a2 = branches
    assert open_breaches(agency=week, start=START, end=END, branch=a1) == 3
    assert open_breaches(agency=week, start=START, end=END, branch=a2) == 0
    # On Thursday evening: c9's first response only (c8's paused one had time left).
    assert open_breaches(agency=week, start=START, end=sh(19, 20)) == 1


def test_open_breaches_of_the_current_period_are_counted_up_to_now(week):
    with time_machine.travel(sh(20, 17, 30), tick=False):
        # Friday 17:30: c6, c9 and c12 are breached; the week is not over.
        assert open_breaches(agency=week, start=START, end=END) == 3
    with time_machine.travel(sh(20, 17, 20), tick=False):
        assert open_breaches(agency=week, start=START, end=END) == 2
