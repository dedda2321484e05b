"""The scorecard (绩效): each staff member's figures over a window, and the same per branch.

A selector: it only reads. One SQL statement for every staff member of the agency, each
figure a correlated subquery grouped on the staff member (PostgreSQL runs them per row
over indexed foreign keys), so the cost in queries never grows with the number of staff;
the branch figures are summed in Python from the same rows.

What each figure counts (issue 21, "Performance and levels"):

- ratings: the customers' overall scores (the score `staff.rating` folds in, see
  `feedback.services`) given in the window on orders the person was confirmed on;
- complaints upheld against the person, received in the window;
- punctuality: of the jobs checked in (the first check-in, not a correction; withdrawn
  entries never count), the share checked in by the start plus `ON_TIME_TOLERANCE`;
- rework: of the served orders, those with a failed item the person was responsible for;
- trainings and assessments held in the window;
- jobs done: confirmed assignments on served orders that started in the window.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from agency.models import Agency, Branch
from complaints.models import Complaint
from feedback.models import FeedbackResponse
from orders.models import SERVED, Assignment, AssignmentStatus
from orders.service.models import EntryKind, FailedItem, ServiceLogEntry
from staff.models import EmploymentStatus, StaffMember, Training, TrainingKind

#: A check-in this long after the start still counts as on time.
ON_TIME_TOLERANCE = timedelta(minutes=10)
#: The default window: the last twelve months.
WINDOW_MONTHS = 12


@dataclass(frozen=True)
class Window:
    """From the first instant of `first_day` to the end of `last_day`, in the agency's zone."""

    first_day: date
    last_day: date
    starts_at: datetime
    ends_at: datetime


def window_for(
    agency: Agency, *, first_day: date | None = None, last_day: date | None = None
) -> Window:
    """The window of the scorecard: by default the twelve months up to today (agency's zone)."""
    last = last_day or agency.today()
    first = first_day or _months_before(last, WINDOW_MONTHS) + timedelta(days=1)
    zone = agency.zone
    return Window(
        first_day=first,
        last_day=last,
        starts_at=datetime.combine(first, time.min, tzinfo=zone),
        ends_at=datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    # The 31st of a shorter month is that month's last day.
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_between(first: date, last: date) -> int:
    """Whole months from `first` to `last` (months with the agency)."""
    months = (last.year - first.year) * 12 + last.month - first.month
    return max(months - (1 if last.day < first.day else 0), 0)


@dataclass
class Figures:
    """The scorecard's figures for one staff member, or summed for a branch."""

    rating_sum: Decimal = Decimal(0)
    rating_count: int = 0
    upheld_complaints: int = 0
    checked_in: int = 0
    on_time: int = 0
    served: int = 0
    reworked: int = 0
    trainings: int = 0
    assessments: int = 0
    staff_count: int = 1

    @property
    def rating(self) -> Decimal | None:
        if not self.rating_count:
            return None
        return (self.rating_sum / self.rating_count).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_EVEN
        )

    @property
    def jobs_done(self) -> int:
        return self.served

    @property
    def punctuality(self) -> Decimal | None:
        """The share of check-ins on time, in per cent (None: no check-in in the window)."""
        return _percent(self.on_time, self.checked_in)

    @property
    def rework_rate(self) -> Decimal | None:
        """The share of served orders redone, in per cent (None: nothing served)."""
        return _percent(self.reworked, self.served)

    def add(self, other: "Figures") -> None:
        for name in (
            "rating_sum",
            "rating_count",
            "upheld_complaints",
            "checked_in",
            "on_time",
            "served",
            "reworked",
            "trainings",
            "assessments",
            "staff_count",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def snapshot(self) -> dict[str, Any]:
        """The figures as JSON (a promotion keeps what it was proposed on)."""
        return {
            "rating": str(self.rating) if self.rating is not None else None,
            "rating_count": self.rating_count,
            "upheld_complaints": self.upheld_complaints,
            "punctuality": str(self.punctuality) if self.punctuality is not None else None,
            "rework_rate": str(self.rework_rate) if self.rework_rate is not None else None,
            "trainings": self.trainings,
            "assessments": self.assessments,
            "jobs_done": self.jobs_done,
        }


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


@dataclass
class StaffScore:
    staff: StaffMember
    figures: Figures
    #: Whole months since the person started, at the window's last day.
    months: int
    #: Jobs done over their whole time with the agency (a level's `min_jobs`).
    jobs_total: int


@dataclass
class BranchScore:
    branch: Branch
    figures: Figures = field(default_factory=lambda: Figures(staff_count=0))


def _count(queryset: QuerySet[Any], group: str, counted: str = "pk") -> Coalesce:
    """How many rows (or distinct `counted`) of `queryset` belong to the outer staff member."""
    grouped = (
        queryset.order_by()
        .values(group)
        .annotate(n=Count(counted, distinct=counted != "pk"))
        .values("n")
    )
    return Coalesce(Subquery(grouped, output_field=IntegerField()), Value(0))


def scorecard_queryset(
    *, agency: Agency, window: Window, branch: Branch | None = None
) -> QuerySet[StaffMember]:
    """The agency's active staff, each annotated with the figures of the window."""
    start, end = window.starts_at, window.ends_at
    served = Assignment.objects.filter(
        agency=agency,
        staff=OuterRef("pk"),
        status=AssignmentStatus.CONFIRMED,
        order__status__in=SERVED,
    )
    served_in_window = served.filter(order__starts_at__gte=start, order__starts_at__lt=end)
    # One filter() call: the staff member and the status test the same assignment row.
    ratings = (
        FeedbackResponse.objects.filter(
            agency=agency,
            submitted_at__gte=start,
            submitted_at__lt=end,
            request__order__assignments__staff=OuterRef("pk"),
            request__order__assignments__status=AssignmentStatus.CONFIRMED,
        )
        .order_by()
        .values("request__order__assignments__staff")
    )
    check_ins = ServiceLogEntry.objects.filter(
        agency=agency,
        assignment__staff=OuterRef("pk"),
        kind=EntryKind.CHECK_IN,
        corrects__isnull=True,
        withdrawn=False,
        order__starts_at__gte=start,
        order__starts_at__lt=end,
    )
    on_time = check_ins.filter(recorded_at__lte=F("order__starts_at") + ON_TIME_TOLERANCE)
    reworked = FailedItem.objects.filter(
        agency=agency,
        responsible=OuterRef("pk"),
        order__status__in=SERVED,
        order__starts_at__gte=start,
        order__starts_at__lt=end,
    )
    trainings = Training.objects.filter(
        agency=agency,
        staff=OuterRef("pk"),
        held_on__gte=window.first_day,
        held_on__lte=window.last_day,
    )
    complaints = Complaint.objects.filter(
        agency=agency,
        staff=OuterRef("pk"),
        upheld=True,
        received_at__gte=start,
        received_at__lt=end,
    )
    money = DecimalField(max_digits=12, decimal_places=2)
    staff = StaffMember.objects.filter(agency=agency, status=EmploymentStatus.ACTIVE)
    if branch is not None:
        staff = staff.filter(home_branch=branch)
    return (
        staff.select_related("home_branch", "level")
        .annotate(
            score_rating_sum=Coalesce(
                Subquery(
                    ratings.annotate(total=Sum("overall")).values("total"), output_field=money
                ),
                Value(Decimal(0)),
                output_field=money,
            ),
            score_rating_count=_count(ratings, "request__order__assignments__staff"),
            score_complaints=_count(complaints, "staff"),
            score_checked_in=_count(check_ins, "assignment__staff"),
            score_on_time=_count(on_time, "assignment__staff"),
            score_served=_count(served_in_window, "staff"),
            score_reworked=_count(reworked, "responsible", counted="order"),
            score_trainings=_count(trainings.filter(kind=TrainingKind.TRAINING), "staff"),
            score_assessments=_count(trainings.filter(kind=TrainingKind.ASSESSMENT), "staff"),
            score_jobs_total=_count(served, "staff"),
        )
        .order_by("home_branch__name", "name", "pk")
    )


def _figures(staff: Any) -> Figures:
    return Figures(
        rating_sum=Decimal(staff.score_rating_sum),
        rating_count=staff.score_rating_count,
        upheld_complaints=staff.score_complaints,
        checked_in=staff.score_checked_in,
        on_time=staff.score_on_time,
        served=staff.score_served,
        reworked=staff.score_reworked,
        trainings=staff.score_trainings,
        assessments=staff.score_assessments,
    )


def staff_scores(
    *, agency: Agency, window: Window | None = None, branch: Branch | None = None
) -> list[StaffScore]:
    """The scorecard of each active staff member (of `branch`, if given): one query."""
    window = window or window_for(agency)
    rows: QuerySet[Any] = scorecard_queryset(agency=agency, window=window, branch=branch)
    return [
        StaffScore(
            staff=staff,
            figures=_figures(staff),
            months=months_between(staff.started_on, window.last_day),
            jobs_total=staff.score_jobs_total,
        )
        for staff in rows
    ]


def staff_score(*, staff: StaffMember, window: Window | None = None) -> StaffScore | None:
    """One staff member's scorecard (None if they are not active): one query."""
    window = window or window_for(staff.agency)
    rows = scorecard_queryset(agency=staff.agency, window=window).filter(pk=staff.pk)
    row: Any
    for row in rows:
        return StaffScore(
            staff=row,
            figures=_figures(row),
            months=months_between(row.started_on, window.last_day),
            jobs_total=row.score_jobs_total,
        )
    return None


def branch_scores(*, agency: Agency, scores: list[StaffScore]) -> list[BranchScore]:
    """The same figures per home branch, summed from the staff scorecards (no query)."""
    branches: dict[int, BranchScore] = {}
    for score in scores:
        branch = score.staff.home_branch
        entry = branches.setdefault(branch.pk, BranchScore(branch=branch))
        entry.figures.add(score.figures)
    return sorted(branches.values(), key=lambda entry: (entry.branch.name, entry.branch.pk))
