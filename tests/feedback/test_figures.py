"""The feedback figures the reports print, on a known set with exact values.

The period is the week of Monday 2026-11-02 in Shanghai, `[start, end)`.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from feedback import figures
from feedback.models import FeedbackResponse, Revisit, RevisitKind, RevisitStatus
from feedback.policy import policy_for
from orders.models import OrderEvent, OrderStatus
from tests.factories import (
    BranchFactory,
    CustomerFactory,
    FeedbackRequestFactory,
    FeedbackResponseFactory,
    OrderFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 2, tzinfo=SHANGHAI)
END = START + timedelta(days=7)
IN_WEEK = START + timedelta(days=2, hours=10)


@pytest.fixture
def other_branch(world):
    return BranchFactory(agency=world.a.agency)


@pytest.fixture(autouse=True)
def _policies(world):
    # Created up front, so each figure reads it in one query.
    for tenant in (world.a, world.b):
        policy_for(tenant.agency)


def order(tenant, branch=None):
    return OrderFactory(
        agency=tenant.agency,
        branch=branch or tenant.branch,
        status=OrderStatus.ACCEPTED,
        needs_form__customer=CustomerFactory(agency=tenant.agency),
    )


def accepted(served, *moments):
    for moment in moments:
        event = OrderEvent.objects.create(
            agency=served.agency, order=served, to_status=OrderStatus.ACCEPTED
        )
        OrderEvent.objects.filter(pk=event.pk).update(created_at=moment)


def answer(served, overall: int, submitted_at: datetime) -> FeedbackResponse:
    request = FeedbackRequestFactory(agency=served.agency, order=served)
    response = FeedbackResponseFactory(agency=served.agency, request=request, overall=overall)
    FeedbackResponse.objects.filter(pk=response.pk).update(submitted_at=submitted_at)
    return response


def revisit(tenant, status, due_at, branch=None, **fields) -> Revisit:
    served = order(tenant, branch)
    return Revisit.objects.create(
        agency=tenant.agency,
        customer=served.customer,
        order=served,
        kind=RevisitKind.SATISFACTION_CALL,
        source=f"order-{served.pk}-call",
        due_at=due_at,
        status=status,
        **fields,
    )


# --- satisfaction -----------------------------------------------------------------------


@pytest.fixture
def scored(world, other_branch):
    for overall in (5, 4, 5, 2):
        answer(order(world.a), overall, IN_WEEK)
    answer(order(world.a, other_branch), 3, IN_WEEK)
    answer(order(world.a), 1, START - timedelta(seconds=1))  # the week before
    answer(order(world.a), 1, END)  # the week after
    answer(order(world.b), 1, IN_WEEK)  # another agency's


def test_satisfaction_is_the_share_of_fours_and_fives_and_the_average(
    world, scored, django_assert_num_queries
):
    with django_assert_num_queries(1):  # the aggregate (the target is the agency's)
        figure = figures.satisfaction(agency=world.a.agency, start=START, end=END)
    assert figure == figures.SatisfactionFigure(
        value=Decimal("0.6000"),  # 3 of 5
        target=Decimal("0.8500"),
        met=False,
        measured=5,
        average=Decimal("3.80"),  # 19 / 5
    )


def test_satisfaction_of_one_branch(world, scored):
    figure = figures.satisfaction(
        agency=world.a.agency, start=START, end=END, branch=world.a.branch
    )
    assert (figure.value, figure.average, figure.measured) == (
        Decimal("0.7500"),
        Decimal("4.00"),
        4,
    )


def test_satisfaction_is_met_against_the_agencys_own_target(world, scored):
    world.a.agency.satisfaction_target_percent = 60
    world.a.agency.save(update_fields=["satisfaction_target_percent"])
    figure = figures.satisfaction(agency=world.a.agency, start=START, end=END)
    assert (figure.target, figure.met) == (Decimal("0.6000"), True)


# --- participation ----------------------------------------------------------------------


@pytest.fixture
def participation_set(world, other_branch):
    a, b, c = order(world.a), order(world.a), order(world.a)
    d = order(world.a, other_branch)
    accepted(a, IN_WEEK, IN_WEEK + timedelta(days=1))  # accepted twice (after rework): once
    accepted(b, IN_WEEK)
    accepted(c, IN_WEEK)
    accepted(d, IN_WEEK)
    answer(a, 5, IN_WEEK + timedelta(days=1))
    answer(b, 4, END + timedelta(days=3))  # answered the week after: counts for its order
    earlier = order(world.a)
    accepted(earlier, START - timedelta(days=1))  # accepted the week before
    answer(earlier, 5, IN_WEEK)
    theirs = order(world.b)
    accepted(theirs, IN_WEEK)
    answer(theirs, 5, IN_WEEK)
    # An order only confirmed in the week is not asked yet.
    confirmed = order(world.a)
    event = OrderEvent.objects.create(
        agency=world.a.agency, order=confirmed, to_status=OrderStatus.CONFIRMED
    )
    OrderEvent.objects.filter(pk=event.pk).update(created_at=IN_WEEK)


def test_participation_is_answered_orders_over_orders_accepted_in_the_period(
    world, participation_set, django_assert_num_queries
):
    with django_assert_num_queries(1):  # the aggregate (the target is the agency's)
        figure = figures.participation(agency=world.a.agency, start=START, end=END)
    assert figure == figures.Figure(
        value=Decimal("0.5000"), target=Decimal("0.7000"), met=False, measured=4
    )


def test_participation_of_one_branch(world, participation_set):
    figure = figures.participation(
        agency=world.a.agency, start=START, end=END, branch=world.a.branch
    )
    assert (figure.value, figure.measured) == (Decimal("0.6667"), 3)


# --- revisit completion -------------------------------------------------------------------


def test_revisit_completion_counts_done_and_sent_of_those_due_not_dropped(
    world, other_branch, django_assert_num_queries
):
    revisit(world.a, RevisitStatus.DONE, IN_WEEK)
    revisit(world.a, RevisitStatus.SENT, IN_WEEK)
    revisit(world.a, RevisitStatus.OPEN, IN_WEEK)
    revisit(world.a, RevisitStatus.DROPPED, IN_WEEK, dropped_reason="order cancelled")
    # Given up after the policy's attempts: the procedure was followed.
    revisit(world.a, RevisitStatus.DONE, IN_WEEK, branch=other_branch, attempts=3)
    revisit(world.a, RevisitStatus.OPEN, END)  # due the week after
    revisit(world.b, RevisitStatus.OPEN, IN_WEEK)

    with django_assert_num_queries(1):
        figure = figures.revisit_completion(agency=world.a.agency, start=START, end=END)
    assert figure == figures.Figure(value=Decimal("0.7500"), target=None, met=None, measured=4)
    mine = figures.revisit_completion(
        agency=world.a.agency, start=START, end=END, branch=world.a.branch
    )
    assert (mine.value, mine.measured) == (Decimal("0.6667"), 3)


# --- nothing to measure -----------------------------------------------------------------------


def test_a_period_without_anything_measures_nothing(world):
    kwargs = {"agency": world.a.agency, "start": START, "end": END}
    assert figures.satisfaction(**kwargs) == figures.SatisfactionFigure(
        value=None, target=Decimal("0.8500"), met=None, measured=0, average=None
    )
    assert figures.participation(**kwargs) == figures.Figure(
        value=None, target=Decimal("0.7000"), met=None, measured=0
    )
    assert figures.revisit_completion(**kwargs) == figures.Figure(
        value=None, target=None, met=None, measured=0
    )
