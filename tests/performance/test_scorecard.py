"""The scorecard on a small world: each figure from its own source, and one query for any
number of staff."""

from datetime import timedelta
from decimal import Decimal

import time_machine
from django.utils import timezone

from orders.models import AssignmentStatus, OrderStatus
from orders.service.models import EntryKind
from performance.scorecard import branch_scores, staff_score, staff_scores
from staff.models import TrainingKind
from tests.factories import (
    AssignmentFactory,
    BranchFactory,
    ComplaintFactory,
    FailedItemFactory,
    FeedbackRequestFactory,
    FeedbackResponseFactory,
    OrderFactory,
    ServiceLogEntryFactory,
    SignoffFactory,
    StaffMemberFactory,
    TrainingFactory,
)


def served_job(world, member, *, days_ago: int, late_minutes: int | None = 0):
    """A closed order `days_ago`, the person confirmed on it, checked in `late_minutes` after
    its start (None: never checked in)."""
    agency = world.a.agency
    starts_at = timezone.now() - timedelta(days=days_ago)
    order = OrderFactory(agency=agency, status=OrderStatus.CLOSED, starts_at=starts_at)
    assignment = AssignmentFactory(
        agency=agency, order=order, staff=member, status=AssignmentStatus.CONFIRMED
    )
    if late_minutes is not None:
        with time_machine.travel(starts_at + timedelta(minutes=late_minutes)):
            ServiceLogEntryFactory(agency=agency, assignment=assignment, kind=EntryKind.CHECK_IN)
    return order


def test_each_figure_counts_its_own_source(world):
    agency = world.a.agency
    member = StaffMemberFactory(agency=agency, home_branch=world.a.branch)
    on_time = served_job(world, member, days_ago=1, late_minutes=8)
    late = served_job(world, member, days_ago=2, late_minutes=25)
    served_job(world, member, days_ago=3, late_minutes=None)
    # A job of more than a year ago counts only in the total.
    served_job(world, member, days_ago=400)
    FeedbackResponseFactory(
        agency=agency, request=FeedbackRequestFactory(agency=agency, order=on_time), overall=5
    )
    FeedbackResponseFactory(
        agency=agency, request=FeedbackRequestFactory(agency=agency, order=late), overall=4
    )
    signoff = SignoffFactory(agency=agency, round__order=late)
    FailedItemFactory(agency=agency, signoff=signoff, responsible=member)
    ComplaintFactory(agency=agency, staff=member, upheld=True)
    ComplaintFactory(agency=agency, staff=member, upheld=False)
    TrainingFactory(agency=agency, staff=member)
    TrainingFactory(agency=agency, staff=member, kind=TrainingKind.ASSESSMENT)

    score = staff_score(staff=member)

    assert score is not None
    figures = score.figures
    assert (figures.rating, figures.rating_count) == (Decimal("4.50"), 2)
    assert figures.upheld_complaints == 1
    assert (figures.on_time, figures.checked_in, figures.punctuality) == (1, 2, Decimal("50.0"))
    assert (figures.reworked, figures.served) == (1, 3)
    assert figures.rework_rate == Decimal("33.3")
    assert (figures.trainings, figures.assessments) == (1, 1)
    assert figures.jobs_done == 3
    assert score.jobs_total == 4


def test_branch_figures_sum_their_staff(world):
    agency = world.a.agency
    other = BranchFactory(agency=agency, name="海淀店")
    here = StaffMemberFactory(agency=agency, home_branch=world.a.branch)
    there = StaffMemberFactory(agency=agency, home_branch=other)
    served_job(world, here, days_ago=1)
    served_job(world, there, days_ago=1, late_minutes=30)
    served_job(world, there, days_ago=2)

    rows = branch_scores(agency=agency, scores=staff_scores(agency=agency))

    by_branch = {row.branch: row.figures for row in rows}
    assert by_branch[world.a.branch].jobs_done == 1
    assert by_branch[other].jobs_done == 2
    assert by_branch[other].punctuality == Decimal("50.0")
    assert by_branch[other].staff_count == 1


def test_one_query_whatever_the_number_of_staff(world, django_assert_num_queries):
    agency = world.a.agency
    for _ in range(2):
        served_job(world, StaffMemberFactory(agency=agency), days_ago=1)
    with django_assert_num_queries(1):  # the staff rows with every figure as a subquery
        few = staff_scores(agency=agency)
    for _ in range(6):
        served_job(world, StaffMemberFactory(agency=agency), days_ago=1)
    with django_assert_num_queries(1):  # the same single statement
        many = staff_scores(agency=agency)

    assert len(many) == len(few) + 6
