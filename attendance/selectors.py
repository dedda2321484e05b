"""Reads of office attendance: the policy, a member's days, the manager's monthly report.

The report's rules (DESIGN.md: office hours 8:30–17:30, deductions for late and absent
days), per office member and month:

- a day worked is a day with a clock-in, whatever the weekday;
- a working day is one of the policy's weekdays that is not an office day off;
- late: a working day's clock-in after the opening plus the grace minutes;
- early leave: a working day's clock-out before the closing (no clock-out: none counted);
- absent: a working day without a clock-in, from the day the member joined up to
  yesterday, and today too once the office has closed;
- deductions: late days × the late deduction + absent days × the absence deduction.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from agency.models import Agency, Membership, User
from agency.permissions import ACCESS, Area
from attendance.models import AttendanceDay, AttendancePolicy, OfficeDayOff

CENT = Decimal("0.01")


def policy_for(agency: Agency) -> AttendancePolicy:
    """The agency's attendance policy; its defaults (unsaved) when it has set none."""
    return AttendancePolicy.objects.filter(agency=agency).first() or AttendancePolicy(agency=agency)


def parse_month(value: str | None, *, agency: Agency) -> date:
    """The first day of the month named `YYYY-MM`; this month (the agency's) when empty.

    Raises ValueError on anything else.
    """
    if not value:
        return agency.today().replace(day=1)
    year, sep, month = value.partition("-")
    if not (sep and len(year) == 4 and len(month) == 2 and year.isdigit() and month.isdigit()):
        raise ValueError(value)
    return date(int(year), int(month), 1)


def month_days(month: date) -> list[date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return [month.replace(day=number) for number in range(1, last + 1)]


def office_members(agency: Agency) -> QuerySet[Membership]:
    """The agency's active members who clock in at the office (the area's roles)."""
    return (
        Membership.objects.filter(
            agency=agency, is_active=True, role__in=ACCESS[Area.OFFICE_ATTENDANCE]
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username", "id")
    )


def today_for(*, agency: Agency, user: User) -> AttendanceDay | None:
    return AttendanceDay.objects.filter(agency=agency, user=user, day=agency.today()).first()


def days_of(*, agency: Agency, user: User, month: date) -> QuerySet[AttendanceDay]:
    """One member's recorded days of the month, first day first."""
    days = month_days(month)
    return AttendanceDay.objects.filter(
        agency=agency, user=user, day__gte=days[0], day__lte=days[-1]
    ).order_by("day")


@dataclass(frozen=True)
class DayLine:
    day: date
    record: AttendanceDay | None
    #: The office's day off that falls on it, by name.
    day_off: str
    working: bool
    late: bool
    left_early: bool
    absent: bool


@dataclass(frozen=True)
class MemberMonth:
    membership: Membership
    lines: list[DayLine]
    days_worked: int
    late_days: int
    early_leaves: int
    absent_days: int
    deductions: Decimal


@dataclass(frozen=True)
class MonthReport:
    month: date
    policy: AttendancePolicy
    rows: list[MemberMonth]

    @property
    def deductions(self) -> Decimal:
        return sum((row.deductions for row in self.rows), Decimal("0.00"))


@dataclass(frozen=True)
class _Month:
    """What every member's month is measured against, read once."""

    agency: Agency
    policy: AttendancePolicy
    days_off: dict[date, str]
    #: The last day an absence can be counted for (yesterday, or today after closing).
    last_counted: date


def _month_context(agency: Agency, month: date) -> _Month:
    policy = policy_for(agency)
    days = month_days(month)
    days_off = dict(
        OfficeDayOff.objects.filter(agency=agency, day__gte=days[0], day__lte=days[-1])
        .order_by("day")
        .values_list("day", "name")
    )
    local_now = timezone.now().astimezone(agency.zone)
    today = local_now.date()
    closed = local_now.time() >= policy.ends_at
    last_counted = today if closed else today - timedelta(days=1)
    return _Month(agency=agency, policy=policy, days_off=days_off, last_counted=last_counted)


def _member_month(
    context: _Month, membership: Membership, month: date, records: dict[date, AttendanceDay]
) -> MemberMonth:
    policy, zone = context.policy, context.agency.zone
    joined = context.agency.local_date(membership.created_at)
    grace = timedelta(minutes=policy.grace_minutes)
    lines = []
    for day in month_days(month):
        record = records.get(day)
        day_off = context.days_off.get(day, "")
        working = day.weekday() in policy.working_weekdays and not day_off
        clocked_in = record.clocked_in_at if record else None
        clocked_out = record.clocked_out_at if record else None
        opens = datetime.combine(day, policy.starts_at, tzinfo=zone)
        closes = datetime.combine(day, policy.ends_at, tzinfo=zone)
        lines.append(
            DayLine(
                day=day,
                record=record,
                day_off=day_off,
                working=working,
                late=working and clocked_in is not None and clocked_in > opens + grace,
                left_early=working and clocked_out is not None and clocked_out < closes,
                absent=working and clocked_in is None and joined <= day <= context.last_counted,
            )
        )
    late = sum(line.late for line in lines)
    absent = sum(line.absent for line in lines)
    deductions = late * policy.late_deduction + absent * policy.absence_deduction
    return MemberMonth(
        membership=membership,
        lines=lines,
        days_worked=sum(
            line.record is not None and line.record.clocked_in_at is not None for line in lines
        ),
        late_days=late,
        early_leaves=sum(line.left_early for line in lines),
        absent_days=absent,
        deductions=Decimal(deductions).quantize(CENT),
    )


def month_report(*, agency: Agency, month: date) -> MonthReport:
    """Every office member's month (module docstring for the rules), in four queries:
    the policy, the days off, the members, the recorded days."""
    context = _month_context(agency, month)
    members = list(office_members(agency))
    days = month_days(month)
    by_user: dict[int, dict[date, AttendanceDay]] = defaultdict(dict)
    for record in AttendanceDay.objects.filter(
        agency=agency,
        day__gte=days[0],
        day__lte=days[-1],
        user_id__in=[member.user_id for member in members],
    ):
        by_user[record.user_id][record.day] = record
    rows = [_member_month(context, member, month, by_user[member.user_id]) for member in members]
    return MonthReport(month=month, policy=context.policy, rows=rows)


def member_month(*, agency: Agency, membership: Membership, month: date) -> MemberMonth:
    """One office member's month, day by day (the same rules as the report)."""
    context = _month_context(agency, month)
    records = {
        record.day: record
        for record in days_of(agency=agency, user=membership.user, month=month).select_related(
            "corrected_by"
        )
    }
    return _member_month(context, membership, month, records)
