"""Order figures for the reports: counts, cancellation fees, acceptance rates, utilisation.

Each selector takes the agency, a period `[start, end)` and optionally a branch
(the order's branch; for utilisation the staff member's home branch), and
aggregates in the database (one or two queries each). Values of rates are
fractions rounded to four places (`agency.figures.Figure`).

Definitions (what a report may say about them):

- Taken: orders *created* in the period. Confirmed, completed, cancelled:
  orders with an `OrderEvent` to "confirmed", "accepted" or "cancelled" in the
  period (an order counted once per status even if it went there twice).
- Cancellation fees: the fees of the cancellations *approved* in the period
  (their decision time); rejected and pending requests are not in it.
- First-pass rate: of the orders whose acceptance passed in the period (a
  round closed "passed" in the period), the share that passed in round 1.
  No target (`target` and `met` None).
- Rework rate: of the acceptance rounds *closed* in the period, the share
  that failed (each failed round means rework). No target.
- Utilisation (here, not in `staff`: assignments live in `orders`, and staff
  never imports orders): the booked hours of *confirmed* assignments, the
  part of each inside the period, divided by the working hours of the
  staff who are active (status "active") in the period, from their weekly
  working pattern: each `WorkingHours` block times the number of its weekdays
  in the period's dates. Time off is not deducted. No target. `measured` is
  the number of staff with confirmed hours in the period.
- Attendance (issue 17): the assignments whose own start falls in the period
  and whose punctuality is recorded (on time, late, no-show; a person released
  after a no-show still counts). Punctuality = on time ÷ (on time + late +
  no-show); no target. The average minutes late is over the late arrivals.
  Per staff member and per branch (the order's) with `attendance_by`.
"""

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.contrib.postgres.fields import DateTimeRangeField
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from agency.figures import Figure, share
from agency.models import Agency, Branch
from orders.intake.models import Cancellation, CancellationStatus
from orders.models import Order, OrderEvent, OrderStatus
from orders.service.models import AcceptanceRound, RoundOutcome
from orders.staffing.models import Assignment, AssignmentStatus, Punctuality
from staff.models import EmploymentStatus, StaffMember, WorkingHours

ZERO = Decimal("0.00")


def order_counts(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> dict[str, int]:
    """{"taken", "confirmed", "completed", "cancelled"} for the period (two queries)."""
    orders = Order.objects.filter(agency=agency, created_at__gte=start, created_at__lt=end)
    events = OrderEvent.objects.filter(agency=agency, created_at__gte=start, created_at__lt=end)
    if branch is not None:
        orders = orders.filter(branch=branch)
        events = events.filter(order__branch=branch)
    row = events.aggregate(
        confirmed=Count("order", distinct=True, filter=Q(to_status=OrderStatus.CONFIRMED)),
        completed=Count("order", distinct=True, filter=Q(to_status=OrderStatus.ACCEPTED)),
        cancelled=Count("order", distinct=True, filter=Q(to_status=OrderStatus.CANCELLED)),
    )
    return {"taken": orders.count(), **row}


def cancellation_fees(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> Decimal:
    """Sum of the fees of the cancellations approved in the period (one query)."""
    cancellations = Cancellation.objects.filter(
        agency=agency,
        status=CancellationStatus.APPROVED,
        decided_at__gte=start,
        decided_at__lt=end,
    )
    if branch is not None:
        cancellations = cancellations.filter(order__branch=branch)
    return cancellations.aggregate(total=Sum("fee"))["total"] or ZERO


def acceptance_rates(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> dict[str, Figure]:
    """{"first_pass": Figure, "rework": Figure} for the rounds closed in the period (one
    query); no targets."""
    rounds = AcceptanceRound.objects.filter(
        agency=agency, closed_at__gte=start, closed_at__lt=end
    ).exclude(outcome=RoundOutcome.OPEN)
    if branch is not None:
        rounds = rounds.filter(order__branch=branch)
    passed = Q(outcome=RoundOutcome.PASSED)
    row = rounds.aggregate(
        accepted=Count("id", filter=passed),
        first_pass=Count("id", filter=passed & Q(number=1)),
        closed=Count("id"),
        failed=Count("id", filter=Q(outcome=RoundOutcome.FAILED)),
    )
    return {
        "first_pass": Figure(
            value=share(row["first_pass"], row["accepted"]),
            target=None,
            met=None,
            measured=row["accepted"],
        ),
        "rework": Figure(
            value=share(row["failed"], row["closed"]),
            target=None,
            met=None,
            measured=row["closed"],
        ),
    }


class _Hours(Func):
    """A duration (interval) in hours, as a number."""

    template = "EXTRACT(EPOCH FROM %(expressions)s) / 3600.0"
    output_field = FloatField()


def utilisation(
    *,
    agency: Agency,
    start: datetime,
    end: datetime,
    branch: Branch | None = None,
) -> Figure:
    """Booked hours of confirmed assignments inside the period ÷ the active staff's working
    hours in the period's dates (two queries); no target.

    The working days are the agency's local dates from `start`'s to the one of the
    last moment before `end`, both included.
    """
    first = agency.local_date(start)
    last = agency.local_date(end - timedelta(microseconds=1))
    days = (last - first).days + 1
    weekdays = Counter((first + timedelta(days=n)).weekday() for n in range(days))

    staff = StaffMember.objects.filter(agency=agency, status=EmploymentStatus.ACTIVE)
    if branch is not None:
        staff = staff.filter(home_branch=branch)

    blocks = WorkingHours.objects.filter(agency=agency, staff__in=staff)
    block_hours = ExpressionWrapper(F("ends") - F("starts"), output_field=DurationField())
    available = Decimal(0)
    per_weekday = dict(
        blocks.order_by()
        .values_list("weekday")
        .annotate(hours=_Hours(Sum(block_hours)))
        .values_list("weekday", "hours")
    )
    for weekday, hours in per_weekday.items():
        available += Decimal(str(hours)) * weekdays.get(weekday, 0)

    window = Func(
        Value(start),
        Value(end),
        function="tstzrange",
        output_field=DateTimeRangeField(),
    )
    inside = Func(
        F("period"), window, function="", arg_joiner=" * ", output_field=DateTimeRangeField()
    )
    overlap = ExpressionWrapper(
        Func(inside, function="upper") - Func(inside, function="lower"),
        output_field=DurationField(),
    )
    booked_row = Assignment.objects.filter(
        agency=agency,
        staff__in=staff,
        status=AssignmentStatus.CONFIRMED,
        period__overlap=(start, end),
    ).aggregate(
        hours=Coalesce(_Hours(Sum(overlap)), Value(0.0)),
        measured=Count("staff", distinct=True),
    )
    booked = Decimal(str(booked_row["hours"]))
    return Figure(
        value=share(booked, available),
        target=None,
        met=None,
        measured=booked_row["measured"],
    )


def attendance_recorded(
    *,
    agency: Agency,
    start: datetime,
    end: datetime,
    branch: Branch | None = None,
    staff: StaffMember | None = None,
) -> QuerySet[Assignment]:
    """The assignments starting in the period whose punctuality is recorded (of one staff
    member, if given)."""
    rows = Assignment.objects.filter(
        agency=agency, period__startswith__gte=start, period__startswith__lt=end
    ).exclude(punctuality="")
    if staff is not None:
        rows = rows.filter(staff=staff)
    return rows if branch is None else rows.filter(order__branch=branch)


#: The counts of an attendance aggregate: on time, late, no-show, average minutes late.
ATTENDANCE_COUNTS: dict[str, Any] = {
    "on_time": Count("id", filter=Q(punctuality=Punctuality.ON_TIME)),
    "late": Count("id", filter=Q(punctuality=Punctuality.LATE)),
    "no_show": Count("id", filter=Q(punctuality=Punctuality.NO_SHOW)),
    "average_late_minutes": Avg("late_minutes", filter=Q(punctuality=Punctuality.LATE)),
}


def attendance(
    *,
    agency: Agency,
    start: datetime,
    end: datetime,
    branch: Branch | None = None,
    staff: StaffMember | None = None,
) -> dict[str, Any]:
    """{"on_time", "late", "no_show", "average_late_minutes", "punctuality", "measured"}
    (one query)."""
    recorded = attendance_recorded(agency=agency, start=start, end=end, branch=branch, staff=staff)
    row = recorded.aggregate(**ATTENDANCE_COUNTS)
    return with_punctuality(row)


def with_punctuality(row: dict[str, Any]) -> dict[str, Any]:
    """An attendance row with its punctuality share and the average late minutes rounded."""
    measured = row["on_time"] + row["late"] + row["no_show"]
    average = row["average_late_minutes"]
    return {
        **row,
        "measured": measured,
        "punctuality": share(row["on_time"], measured),
        "average_late_minutes": None if average is None else round(Decimal(average), 1),
    }


def punctuality(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> Figure:
    """On time ÷ recorded arrivals of the period (one query); no target."""
    row = attendance(agency=agency, start=start, end=end, branch=branch)
    return Figure(value=row["punctuality"], target=None, met=None, measured=row["measured"])


#: What attendance is grouped by: the key and the name of a row.
ATTENDANCE_GROUPS = {
    "staff": ("staff_id", "staff__name"),
    "branch": ("order__branch_id", "order__branch__name"),
}


def attendance_by(
    *,
    agency: Agency,
    start: datetime,
    end: datetime,
    branch: Branch | None = None,
    staff: StaffMember | None = None,
    by: Literal["staff", "branch"],
) -> QuerySet[Any]:
    """The attendance counts per staff member or per branch, by name, as dicts with
    `key` and `name` (one query, whatever the number of rows)."""
    key, name = ATTENDANCE_GROUPS[by]
    return (
        attendance_recorded(agency=agency, start=start, end=end, branch=branch, staff=staff)
        .order_by()
        .values(key=F(key), name=F(name))
        .annotate(**ATTENDANCE_COUNTS)
        .order_by("name", "key")
    )
