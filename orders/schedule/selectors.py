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
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cached_property
from itertools import pairwise
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation

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
    def of(cls, agency: Agency, day: date, view: str = WEEK) -> "Period":
        """The day, or the week (Monday to Sunday) that holds it."""
        days = VIEWS.get(view, VIEWS[WEEK])
        if days == VIEWS[WEEK]:
            day -= timedelta(days=day.weekday())
        return cls.spanning(agency, day, days)

    @classmethod
    def spanning(cls, agency: Agency, first_day: date, days: int) -> "Period":
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

    @cached_property
    def day_list(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range(self.days)]

    @cached_property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    def offset(self, moment: datetime) -> float:
        """Where `moment` falls, in percent of the period (clamped to it)."""
        share = (moment - self.start).total_seconds() / self.seconds
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
    """One job on a lane: a staff member's assignment and its order, read as plain values
    (a week of a large branch is thousands of blocks: no model instances, no template
    filters per block)."""

    assignment_id: int
    assignment_status: str
    role: str
    punctuality: str
    order_id: int
    number: str
    order_status: str
    service: str
    district: str
    starts_at: datetime
    ends_at: datetime
    check_in_opens: datetime
    #: "proposed", "assigned", "in-service", "done", "late" or "no-show" (the colour).
    tone: str
    left: float
    width: float
    #: "09:00–12:00" and "08:00" (check-in opens), in the agency's time zone.
    hours: str
    opens: str
    #: Runs on before or after the period (a live-in placement crossing it).
    continues_before: bool
    continues_after: bool
    #: The order number of the neighbouring job of the same person this one has too
    #: little time from ("" when none).
    travel_warning: str = ""


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
    chinese = (translation.get_language() or "").startswith("zh")
    zone, opening = agency.zone, timedelta(minutes=agency.check_in_opens_minutes)
    for row in _assignments(agency, period, ids):
        block = _block(period, row, zone=zone, opening=opening, chinese=chinese)
        lanes[row[1]].blocks.append(block)
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
        lane.blocks.sort(key=lambda block: (block.starts_at, block.order_id))
        lane.load_hours = round(
            sum(period.clip(b.starts_at, b.ends_at).total_seconds() for b in lane.blocks) / 3600,
            1,
        )
        _mark_travel(agency, lane.blocks)
    return list(lanes.values())


_BLOCK_FIELDS = (
    "pk",
    "staff_id",
    "status",
    "role",
    "punctuality",
    "order_id",
    "order__number",
    "order__status",
    "order__service_type__name_zh",
    "order__service_type__name_en",
    "order__needs_form__address__district",
    "order__starts_at",
    "order__ends_at",
)


def _assignments(agency: Agency, period: Period, staff_ids: list[int]) -> Iterable[tuple[Any, ...]]:
    return (
        Assignment.objects.filter(
            agency=agency,
            staff_id__in=staff_ids,
            status__in=HOLDING,
            period__overlap=period.range,
        )
        .order_by("period", "pk")
        .values_list(*_BLOCK_FIELDS)
    )


def _block(
    period: Period, row: tuple[Any, ...], *, zone: tzinfo, opening: timedelta, chinese: bool
) -> Block:
    (pk, _staff, status, role, punctuality, order_id, number, order_status) = row[:8]
    name_zh, name_en, district, starts, ends = row[8:]
    # As `orders.service.services.service_log.check_in_opens_at` says, for a row, not an order.
    opens = starts - opening
    left = period.offset(starts)
    return Block(
        assignment_id=pk,
        assignment_status=status,
        role=role,
        punctuality=punctuality,
        order_id=order_id,
        number=number,
        order_status=order_status,
        service=name_zh if chinese else name_en,
        district=district,
        starts_at=starts,
        ends_at=ends,
        check_in_opens=opens,
        tone=tone(status, order_status, punctuality),
        left=left,
        width=round(max(period.offset(ends) - left, 0.2), 3),
        hours=f"{starts.astimezone(zone):%H:%M}–{ends.astimezone(zone):%H:%M}",
        opens=f"{opens.astimezone(zone):%H:%M}",
        continues_before=starts < period.start,
        continues_after=ends > period.end,
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


def tone(status: str, order_status: str, punctuality: str) -> str:
    """The block's colour: red for a no-show or a late arrival, else by status."""
    if punctuality == Punctuality.NO_SHOW:
        return "no-show"
    if punctuality == Punctuality.LATE:
        return "late"
    if status == AssignmentStatus.PROPOSED:
        return "proposed"
    if order_status == OrderStatus.IN_SERVICE:
        return "in-service"
    if order_status in _DONE:
        return "done"
    return "assigned"


def _shade(period: Period, starts: datetime | None, ends: datetime | None, kind: str) -> Shade:
    left = period.offset(starts or period.start)
    return Shade(left=left, width=round(period.offset(ends or period.end) - left, 3), kind=kind)


def _off_hours(
    agency: Agency, period: Period, pattern: dict[int, list[tuple[time, time]]]
) -> Iterable[Shade]:
    """The hours outside the working pattern (a day without hours: all of it), the night
    between two working days as one shade."""
    zone = agency.zone
    free_since = period.start
    for day in period.day_list:
        for starts, ends in sorted(pattern.get(day.weekday(), [])):
            opens = datetime.combine(day, starts, tzinfo=zone)
            if opens > free_since:
                yield _shade(period, free_since, opens, "off-hours")
            free_since = max(free_since, datetime.combine(day, ends, tzinfo=zone))
    if free_since < period.end:
        yield _shade(period, free_since, period.end, "off-hours")


def _mark_travel(agency: Agency, blocks: list[Block]) -> None:
    """Consecutive jobs in different districts with less than the travel gap between them."""
    gap = timedelta(minutes=agency.travel_gap_minutes)
    for before, after in pairwise(blocks):
        if (
            before.district
            and after.district
            and before.district != after.district
            and after.starts_at - before.ends_at < gap
        ):
            before.travel_warning = after.number
            after.travel_warning = before.number


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
