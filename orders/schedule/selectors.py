"""The schedule board's reads: one lane per active staff member, their jobs placed by time.

A board is a day or a week of the agency's time zone. Whatever the staff count, it
reads five queries: the staff (filtered by branch, skill, level, service), their
holding assignments overlapping the period with each order, their approved time off,
their working pattern, and the jobs still needing staff. Everything else —
positions, load, shading, travel warnings — is computed here from those rows.

Positions are percentages of the period, computed on the server; the page's script
applies them (the CSP forbids style attributes), and an API client gets the times.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from agency.models import Agency, Branch
from orders.models import (
    HOLDING,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Order,
    OrderStatus,
    Punctuality,
    ServiceType,
)
from orders.service.services.service_log import check_in_opens_at
from staff.models import (
    EmploymentStatus,
    StaffMember,
    StaffSkill,
    TimeOff,
    TimeOffStatus,
    WorkingHours,
)

#: How far ahead the side panel looks for jobs still needing staff.
NEEDING_DAYS = 14
DAY = "day"
WEEK = "week"
VIEWS = {DAY: 1, WEEK: 7}


@dataclass(frozen=True)
class Period:
    """The board's days in the agency's time zone: `[start, end)`."""

    first_day: date
    days: int
    start: datetime
    end: datetime

    @classmethod
    def of(cls, agency: Agency, first_day: date, view: str = WEEK) -> "Period":
        days = VIEWS.get(view, VIEWS[WEEK])
        if days == VIEWS[WEEK]:
            first_day -= timedelta(days=first_day.weekday())  # weeks start on Monday
        zone = agency.zone
        start = datetime.combine(first_day, time(0), tzinfo=zone)
        end = datetime.combine(first_day + timedelta(days=days), time(0), tzinfo=zone)
        return cls(first_day, days, start, end)

    @property
    def view(self) -> str:
        return DAY if self.days == 1 else WEEK

    @property
    def range(self) -> DateTimeTZRange:
        return DateTimeTZRange(self.start, self.end, "[)")

    @property
    def day_list(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range(self.days)]

    def offset(self, moment: datetime) -> float:
        """Where `moment` falls, in percent of the period (clamped to it)."""
        share = (moment - self.start) / (self.end - self.start)
        return round(min(max(share, 0.0), 1.0) * 100, 3)

    def clip(self, starts: datetime, ends: datetime) -> timedelta:
        """How much of `[starts, ends)` lies inside the period."""
        return max(min(ends, self.end) - max(starts, self.start), timedelta(0))


@dataclass(frozen=True)
class Filters:
    branch: Branch | None = None
    skill: str = ""
    level: int | None = None
    service: ServiceType | None = None
    staff_ids: Sequence[int] | None = None


@dataclass
class Block:
    """One job on a lane: the staff member's assignment and its order."""

    assignment: Assignment
    order: Order
    left: float
    width: float
    check_in_opens: datetime
    #: "proposed", "assigned", "in-service", "done", "late" or "no-show" (the colour).
    tone: str
    #: Runs on before or after the period (a live-in placement crossing it).
    continues_before: bool
    continues_after: bool
    district: str
    #: The neighbouring job of the same person this one has too little time from.
    travel_warning: Order | None = None


@dataclass(frozen=True)
class Shade:
    """Time the person cannot work: approved time off, or outside their working pattern."""

    left: float
    width: float
    kind: str  # "time-off" or "off-hours"


@dataclass
class Lane:
    staff: StaffMember
    blocks: list[Block] = field(default_factory=list)
    shades: list[Shade] = field(default_factory=list)
    #: Hours booked inside the period.
    load_hours: float = 0.0


@dataclass(frozen=True)
class NeedingJob:
    order: Order
    #: "unstaffed", "declined" (the customer refused the proposal) or "replacement".
    why: str


@dataclass
class Board:
    period: Period
    lanes: list[Lane]
    needing: list[NeedingJob]
    stamp: int = 0


def staff_for_board(agency: Agency, filters: Filters) -> QuerySet[StaffMember]:
    """The active staff the board shows a lane for, by name."""
    staff = StaffMember.objects.filter(agency=agency, status=EmploymentStatus.ACTIVE)
    if filters.branch is not None:
        staff = staff.filter(home_branch=filters.branch)
    if filters.staff_ids is not None:
        staff = staff.filter(pk__in=list(filters.staff_ids))
    skills = StaffSkill.objects.filter(agency=agency, staff=OuterRef("pk"))
    if filters.skill or filters.level:
        wanted = skills
        if filters.skill:
            wanted = wanted.filter(code=filters.skill)
        if filters.level:
            wanted = wanted.filter(level__gte=filters.level)
        staff = staff.filter(Exists(wanted))
    if filters.service is not None:
        for code in filters.service.required_skills:
            staff = staff.filter(Exists(skills.filter(code=code)))
    return staff.order_by("name", "id")


def board(agency: Agency, period: Period, filters: Filters | None = None) -> Board:
    """The lanes of the period, and the jobs still needing staff beside them."""
    lanes = board_lanes(agency, period, filters or Filters())
    return Board(period=period, lanes=lanes, needing=jobs_needing_staff(agency))


def board_lanes(agency: Agency, period: Period, filters: Filters) -> list[Lane]:
    staff = list(staff_for_board(agency, filters))
    lanes = {member.pk: Lane(staff=member) for member in staff}
    ids = list(lanes)
    for assignment in _assignments(agency, period, ids):
        lanes[assignment.staff_id].blocks.append(_block(agency, period, assignment))
    time_off = TimeOff.objects.filter(
        agency=agency, staff_id__in=ids, status=TimeOffStatus.APPROVED, period__overlap=period.range
    ).values_list("staff_id", "period")
    for staff_id, taken in time_off:
        lanes[staff_id].shades.append(_shade(period, taken.lower, taken.upper, "time-off"))
    pattern: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(lambda: defaultdict(list))
    for staff_id, weekday, starts, ends in WorkingHours.objects.filter(
        agency=agency, staff_id__in=ids
    ).values_list("staff_id", "weekday", "starts", "ends"):
        pattern[staff_id][weekday].append((starts, ends))
    for lane in lanes.values():
        lane.shades.extend(_off_hours(agency, period, pattern[lane.staff.pk]))
        lane.blocks.sort(key=lambda block: (block.order.starts_at, block.order.pk))
        lane.load_hours = round(
            sum(
                period.clip(b.order.starts_at, b.order.ends_at).total_seconds() for b in lane.blocks
            )
            / 3600,
            1,
        )
        _mark_travel(agency, lane.blocks)
    return list(lanes.values())


def _assignments(agency: Agency, period: Period, staff_ids: list[int]) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(
            agency=agency,
            staff_id__in=staff_ids,
            status__in=HOLDING,
            period__overlap=period.range,
        )
        .select_related(
            "order__customer", "order__service_type", "order__needs_form__address", "order__branch"
        )
        .order_by("period", "pk")
    )


def _block(agency: Agency, period: Period, assignment: Assignment) -> Block:
    order = assignment.order
    order.agency = agency  # read once: check-in opening and the zone need it
    left = period.offset(order.starts_at)
    return Block(
        assignment=assignment,
        order=order,
        left=left,
        width=max(period.offset(order.ends_at) - left, 0.2),
        check_in_opens=check_in_opens_at(order),
        tone=tone(assignment, order),
        continues_before=order.starts_at < period.start,
        continues_after=order.ends_at > period.end,
        district=order.needs_form.address.district,
    )


_DONE = frozenset(
    {
        OrderStatus.INSPECTION,
        OrderStatus.REWORK,
        OrderStatus.ACCEPTED,
        OrderStatus.INVOICED,
        OrderStatus.PAID,
        OrderStatus.CLOSED,
    }
)


def tone(assignment: Assignment, order: Order) -> str:
    """The block's colour: red for a no-show or a late arrival, else by status."""
    if assignment.punctuality == Punctuality.NO_SHOW:
        return "no-show"
    if assignment.punctuality == Punctuality.LATE:
        return "late"
    if assignment.status == AssignmentStatus.PROPOSED:
        return "proposed"
    if order.status == OrderStatus.IN_SERVICE:
        return "in-service"
    if order.status in _DONE:
        return "done"
    return "assigned"


def _shade(period: Period, starts: datetime | None, ends: datetime | None, kind: str) -> Shade:
    left = period.offset(starts or period.start)
    return Shade(left=left, width=period.offset(ends or period.end) - left, kind=kind)


def _off_hours(
    agency: Agency, period: Period, pattern: dict[int, list[tuple[time, time]]]
) -> Iterable[Shade]:
    """Each day's hours outside the working pattern (a day without hours: all of it)."""
    zone = agency.zone
    for day in period.day_list:
        cursor = datetime.combine(day, time(0), tzinfo=zone)
        day_end = cursor + timedelta(days=1)
        for starts, ends in sorted(pattern.get(day.weekday(), [])):
            opens = datetime.combine(day, starts, tzinfo=zone)
            if opens > cursor:
                yield _shade(period, cursor, opens, "off-hours")
            cursor = max(cursor, datetime.combine(day, ends, tzinfo=zone))
        if cursor < day_end:
            yield _shade(period, cursor, day_end, "off-hours")


def _mark_travel(agency: Agency, blocks: list[Block]) -> None:
    """Consecutive jobs in different districts with less than the travel gap between them."""
    gap = timedelta(minutes=agency.travel_gap_minutes)
    for before, after in pairwise(blocks):
        if (
            before.district
            and after.district
            and before.district != after.district
            and after.order.starts_at - before.order.ends_at < gap
        ):
            before.travel_warning = after.order
            after.travel_warning = before.order


def jobs_needing_staff(agency: Agency, *, now: datetime | None = None) -> list[NeedingJob]:
    """Confirmed jobs of the next 14 days with no on-site lead holding them, soonest first:
    never staffed, the customer declined the proposal, or the staff member was released."""
    now = now or timezone.now()
    mine = Assignment.objects.filter(agency=agency, order=OuterRef("pk"))
    orders = (
        Order.objects.filter(
            agency=agency,
            status=OrderStatus.CONFIRMED,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=NEEDING_DAYS),
        )
        .exclude(Exists(mine.filter(status__in=HOLDING, role=AssignmentRole.LEAD)))
        .annotate(
            declined=Exists(mine.filter(status=AssignmentStatus.DECLINED)),
            released=Exists(mine.filter(status=AssignmentStatus.RELEASED)),
        )
        .select_related("customer", "service_type", "needs_form__address", "branch")
        .order_by("starts_at", "pk")
    )
    return [NeedingJob(order=order, why=_why_needing(order)) for order in orders]


def _why_needing(order: Any) -> str:
    if order.released:
        return "replacement"
    if order.declined:
        return "declined"
    return "unstaffed"


def swappable(agency: Agency, order: Order) -> QuerySet[Assignment]:
    """Other jobs' people on the same day, not yet begun: whom this job's people may swap with."""
    zone = agency.zone
    day = order.starts_at.astimezone(zone).date()
    start = datetime.combine(day, time(0), tzinfo=zone)
    return (
        Assignment.objects.filter(
            agency=agency,
            status__in=HOLDING,
            period__overlap=DateTimeTZRange(start, start + timedelta(days=1), "[)"),
            order__status__in=(OrderStatus.CONFIRMED, OrderStatus.ASSIGNED),
        )
        .exclude(order=order)
        .select_related("staff", "order")
        .order_by("period", "pk")
    )


def holding_of(order: Order) -> QuerySet[Assignment]:
    """The people holding the job now, the lead first."""
    return (
        Assignment.objects.filter(agency_id=order.agency_id, order=order, status__in=HOLDING)
        .select_related("staff")
        .order_by("role", "pk")
    )
