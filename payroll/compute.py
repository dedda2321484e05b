"""Computing a pay period's statements (issue 21).

A statement pays its staff member for:

- each job they served (a confirmed assignment of an accepted order) at the rate the
  rate book finds: per job, or per hour from the check-in to the check-out, the hours
  past the policy's daily limit with the overtime supplement, a statutory holiday (the
  agency's holiday calendar) with the holiday supplement; the travel allowance per job;
- the days they served on a placement whose wage the agency pays, pro rata of each
  calendar month;
- the rewards, penalties, deductions and corrections approved and not yet settled.

A job belongs to the first statement that takes it: one accepted after its period's
statement was approved is paid in the next period computed. Statements still open are
computed afresh each time; approved and paid ones are never touched. A job whose rate
is missing, or whose hours were not recorded, is a line with its problem named and the
statement needs attention. Amounts are Decimal, each line rounded once to the cent.

The work is done in batches of staff with a fixed number of queries per batch.
"""

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.models import Agency
from agency.permissions import Area, require
from complaints.models import Holiday
from orders.models import SERVED, Assignment, AssignmentStatus, ServiceType
from payroll.models import (
    AdjustmentKind,
    AdjustmentStatus,
    LineKind,
    PayAdjustment,
    PayLine,
    PayPeriod,
    PayPolicy,
    PayStatement,
    RateKind,
    StatementStatus,
)
from payroll.models.statements import OPEN
from payroll.rates import RateBook, cents, policy_for
from placements.models import PlacementStatus, WagePayer
from staff.models import StaffMember

BATCH = 400
ADJUSTMENT_LINES = {
    AdjustmentKind.REWARD: LineKind.REWARD,
    AdjustmentKind.PENALTY: LineKind.PENALTY,
    AdjustmentKind.DEDUCTION: LineKind.DEDUCTION,
    AdjustmentKind.CORRECTION: LineKind.CORRECTION,
}
#: A placement's wage is paid for the days it ran.
STARTED = (PlacementStatus.ACTIVE, PlacementStatus.ENDED, PlacementStatus.TERMINATED)


@dataclass(frozen=True)
class Rules:
    """What every statement of the computation reads, read once."""

    agency: Agency
    period: PayPeriod
    policy: PayPolicy
    rates: RateBook
    holidays: dict[date, str]
    #: Jobs from this day on may still be unpaid (payroll began with the first period).
    since: date
    services: dict[int, ServiceType]


@dataclass
class Draft:
    staff: StaffMember
    language: str
    lines: list[PayLine] = field(default_factory=list)

    def add(self, kind: str, description: str, amount: Decimal, **fields: object) -> None:
        self.lines.append(
            PayLine(kind=kind, description=description[:300], amount=amount, **fields)
        )


@transaction.atomic
def period_compute(*, period: PayPeriod, actor: Actor) -> int:
    """Compute (again) the period's open statements; how many there are now."""
    require(actor, Area.PAYROLL, agency_id=period.agency_id, message=_("Finance computes pay."))
    # One computation of an agency's pay at a time: each takes jobs the others may take.
    agency = Agency.objects.select_for_update().get(pk=period.agency_id)
    period = PayPeriod.objects.get(pk=period.pk)
    rules = _rules(agency, period)
    staff_ids = sorted(_staff_to_pay(rules))
    for batch in _chunks(staff_ids, BATCH):
        _compute_batch(rules, batch)
    period.computed_at = timezone.now()
    period.save(update_fields=["computed_at"])
    statements = PayStatement.objects.filter(period=period).count()
    audit_record(
        agency=agency,
        actor=actor,
        action="payroll.compute",
        target=period,
        changes={"statements": statements},
    )
    return statements


def _rules(agency: Agency, period: PayPeriod) -> Rules:
    first = PayPeriod.objects.filter(agency=agency).order_by("starts_on").first()
    since = min(first.starts_on, period.starts_on) if first else period.starts_on
    holidays = dict(
        Holiday.objects.filter(agency=agency, day__gte=since, day__lte=period.ends_on).values_list(
            "day", "name"
        )
    )
    services = {service.pk: service for service in ServiceType.objects.filter(agency=agency)}
    return Rules(agency, period, policy_for(agency), RateBook(agency), holidays, since, services)


def _chunks(values: list[int], size: int) -> Iterator[list[int]]:
    iterator = iter(values)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _local_bounds(rules: Rules, first: date, last: date) -> tuple[datetime, datetime]:
    zone = rules.agency.zone
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


def _jobs(rules: Rules) -> QuerySet[Assignment]:
    """The served jobs not yet on a statement: those of the period's days, and earlier ones
    no statement has taken (accepted late)."""
    starts, ends = _local_bounds(rules, rules.since, rules.period.ends_on)
    taken = PayLine.objects.filter(assignment=OuterRef("pk")).filter(
        ~Q(statement__period=rules.period) | ~Q(statement__status__in=OPEN)
    )
    return Assignment.objects.filter(
        agency=rules.agency,
        status=AssignmentStatus.CONFIRMED,
        order__status__in=SERVED,
        order__service_type__is_placement=False,
        order__starts_at__gte=starts,
        order__starts_at__lt=ends,
    ).exclude(Exists(taken))


def _placement_stays(rules: Rules) -> QuerySet[Assignment]:
    """Staff on a started placement whose wage the agency pays, during the period."""
    starts, ends = _local_bounds(rules, rules.period.starts_on, rules.period.ends_on)
    return Assignment.objects.filter(
        agency=rules.agency,
        order__placement__status__in=STARTED,
        order__placement__wage_paid_by=WagePayer.AGENCY,
        order__placement__wage__isnull=False,
        period__overlap=DateTimeTZRange(starts, ends, "[)"),
    ).filter(
        Q(status=AssignmentStatus.CONFIRMED)
        | Q(status=AssignmentStatus.RELEASED, replaced_by__isnull=False)
    )


def _adjustments(rules: Rules) -> QuerySet[PayAdjustment]:
    """The approved, unsettled adjustments no other period's statement has taken (as jobs:
    the first statement that takes one keeps it until approval settles it)."""
    taken = PayLine.objects.filter(adjustment=OuterRef("pk")).exclude(
        statement__period=rules.period
    )
    return PayAdjustment.objects.filter(
        agency=rules.agency, status=AdjustmentStatus.APPROVED, settled_in__isnull=True
    ).exclude(Exists(taken))


def _staff_to_pay(rules: Rules) -> set[int]:
    closed = PayStatement.objects.filter(period=rules.period).exclude(status__in=OPEN)
    return (
        set(_jobs(rules).values_list("staff_id", flat=True))
        | set(_placement_stays(rules).values_list("staff_id", flat=True))
        | set(_adjustments(rules).values_list("staff_id", flat=True))
        | set(
            PayStatement.objects.filter(period=rules.period, status__in=OPEN).values_list(
                "staff_id", flat=True
            )
        )
    ) - set(closed.values_list("staff_id", flat=True))


def _compute_batch(rules: Rules, staff_ids: list[int]) -> None:
    existing = {
        statement.staff_id: statement
        for statement in PayStatement.objects.select_for_update().filter(
            period=rules.period, staff_id__in=staff_ids
        )
    }
    ids = [pk for pk in staff_ids if pk not in existing or existing[pk].status in OPEN]
    PayLine.objects.filter(statement__in=[existing[pk] for pk in ids if pk in existing]).delete()
    # Tuples, not model instances: a month's batch holds tens of thousands of jobs.
    jobs: dict[int, list[Any]] = _grouped(
        _jobs(rules)
        .filter(staff_id__in=ids)
        .annotate(
            number=F("order__number"),
            starts_at=F("order__starts_at"),
            service_type_id=F("order__service_type_id"),
        )
        .order_by("order__starts_at", "pk")
        .values_list(
            "pk",
            "staff_id",
            "arrived_at",
            "left_at",
            "number",
            "starts_at",
            "service_type_id",
            named=True,
        )
    )
    stays = _grouped(
        _placement_stays(rules)
        .filter(staff_id__in=ids)
        .select_related("order__placement")
        .order_by("period", "pk")
    )
    adjustments = _grouped(_adjustments(rules).filter(staff_id__in=ids).order_by("proposed_at"))
    drafts = []
    for staff in StaffMember.objects.filter(pk__in=ids).select_related("user").order_by("pk"):
        language = (staff.user.preferred_language if staff.user else "") or (
            rules.agency.default_language
        )
        draft = Draft(staff, language)
        with translation.override(language):
            _pay_jobs(rules, draft, jobs.get(staff.pk, []))
            _pay_stays(rules, draft, stays.get(staff.pk, []))
            _pay_adjustments(draft, adjustments.get(staff.pk, []))
        drafts.append(draft)
    _save(rules, drafts, existing)


class _OfStaff(Protocol):
    staff_id: int


Row = TypeVar("Row", bound=_OfStaff)


def _grouped(rows: Iterable[Row]) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.staff_id].append(row)
    return grouped


def _pay_jobs(rules: Rules, draft: Draft, jobs: list[Any]) -> None:
    """`jobs`: rows of `_compute_batch`'s job query (the assignment's and its order's)."""
    policy, zone = rules.policy, rules.agency.zone
    hours_by_day: dict[date, Decimal] = defaultdict(Decimal)
    paid_jobs = 0
    for job in jobs:
        day = timezone.localtime(job.starts_at, zone).date()
        service = rules.services[job.service_type_id].name
        title = f"{job.number} {service}"
        rate = rules.rates.find(
            service_type_id=job.service_type_id,
            level_id=draft.staff.level_id,
            staff_id=draft.staff.pk,
        )
        where = {"day": day, "assignment_id": job.pk}
        if rate is None:
            draft.add(
                LineKind.PIECE,
                title,
                Decimal(0),
                problem=_("No pay rate for %(service)s at this staff member's level.")
                % {"service": service},
                **where,
            )
            continue
        if rate.kind == RateKind.PIECE:
            base = rate.amount
            draft.add(LineKind.PIECE, title, cents(base), quantity=1, rate=rate.amount, **where)
        elif job.arrived_at is None or job.left_at is None or job.left_at <= job.arrived_at:
            draft.add(
                LineKind.HOURLY,
                title,
                Decimal(0),
                rate=rate.amount,
                problem=_("No check-in or check-out recorded: the hours are not known."),
                **where,
            )
            continue
        else:
            hours = Decimal((job.left_at - job.arrived_at).total_seconds()) / 3600
            base = rate.amount * hours
            draft.add(
                LineKind.HOURLY,
                title,
                cents(base),
                quantity=cents(hours),
                rate=rate.amount,
                **where,
            )
            before = hours_by_day[day]
            hours_by_day[day] = before + hours
            limit = policy.overtime_after_hours
            overtime = max(before + hours - limit, Decimal(0)) - max(before - limit, Decimal(0))
            if overtime > 0:
                draft.add(
                    LineKind.OVERTIME,
                    _("%(job)s overtime") % {"job": title},
                    cents(overtime * rate.amount * (policy.overtime_multiplier - 1)),
                    quantity=cents(overtime),
                    rate=rate.amount,
                    **where,
                )
        paid_jobs += 1
        if day in rules.holidays:
            draft.add(
                LineKind.HOLIDAY,
                _("%(job)s on a statutory holiday (%(holiday)s)")
                % {"job": title, "holiday": rules.holidays[day]},
                cents(base * (policy.holiday_multiplier - 1)),
                **where,
            )
    if paid_jobs and policy.travel_allowance:
        draft.add(
            LineKind.TRAVEL,
            _("Travel allowance"),
            cents(policy.travel_allowance * paid_jobs),
            quantity=paid_jobs,
            rate=policy.travel_allowance,
        )


def _pay_stays(rules: Rules, draft: Draft, stays: list[Assignment]) -> None:
    zone = rules.agency.zone
    for stay in stays:
        placement = stay.order.placement
        first = max(
            timezone.localtime(stay.period.lower, zone).date(),
            placement.starts_on,
            rules.period.starts_on,
        )
        upper_at = stay.period.upper
        if stay.replaced_by_id and stay.released_at is not None:
            # Replaced before the service began, the period is not cut
            # (`assignment_replace`): the days served end at the release.
            upper_at = min(upper_at, stay.released_at)
        upper = timezone.localtime(upper_at, zone).date()
        # The day of a replacement is the newcomer's.
        last_served = upper - timedelta(days=1) if stay.replaced_by_id else upper
        last = min(last_served, placement.ended_on or placement.ends_on, rules.period.ends_on)
        if last < first:
            continue
        wage = placement.wage or Decimal(0)
        days = (last - first).days + 1
        draft.add(
            LineKind.WAGE,
            _("%(number)s placement wage, %(first)s to %(last)s")
            % {"number": stay.order.number, "first": first.isoformat(), "last": last.isoformat()},
            cents(sum((wage * share for share in _month_shares(first, last)), Decimal(0))),
            quantity=days,
            rate=wage,
            placement=placement,
            assignment=stay,
        )


def _month_shares(first: date, last: date) -> Iterator[Decimal]:
    """Each calendar month's share of a month's wage for the days first..last."""
    day = first
    while day <= last:
        next_month = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        month_days = (next_month - day.replace(day=1)).days
        until = min(last, next_month - timedelta(days=1))
        yield Decimal((until - day).days + 1) / month_days
        day = next_month


def _pay_adjustments(draft: Draft, adjustments: list[PayAdjustment]) -> None:
    for adjustment in adjustments:
        kind = ADJUSTMENT_LINES[AdjustmentKind(adjustment.kind)]
        draft.add(
            kind,
            f"{LineKind(kind).label}: {adjustment.note}",
            adjustment.amount,
            adjustment=adjustment,
        )


def _save(rules: Rules, drafts: list[Draft], existing: dict[int, PayStatement]) -> None:
    """Write the drafts: an open statement left with nothing to pay is removed."""
    now = timezone.now()
    emptied = [existing[d.staff.pk].pk for d in drafts if not d.lines and d.staff.pk in existing]
    PayStatement.objects.filter(pk__in=emptied).delete()
    drafts = [draft for draft in drafts if draft.lines]
    statements = []
    for draft in drafts:
        statement = existing.get(draft.staff.pk) or PayStatement(
            agency=rules.agency, period=rules.period, staff=draft.staff
        )
        amounts = [line.amount for line in draft.lines]
        statement.language = draft.language
        statement.earnings = sum((a for a in amounts if a > 0), Decimal(0))
        statement.deductions = -sum((a for a in amounts if a < 0), Decimal(0))
        statement.net = sum(amounts, Decimal(0))
        statement.status = (
            StatementStatus.ATTENTION
            if any(line.problem for line in draft.lines)
            else StatementStatus.DRAFT
        )
        statement.computed_at = now
        statements.append(statement)
    fields = ["language", "earnings", "deductions", "net", "status", "computed_at"]
    PayStatement.objects.bulk_update([s for s in statements if s.pk], fields)
    PayStatement.objects.bulk_create([s for s in statements if not s.pk])
    lines = []
    for statement, draft in zip(statements, drafts, strict=True):
        for position, line in enumerate(draft.lines, start=1):
            line.agency_id = rules.agency.pk
            line.statement = statement
            line.position = position
            lines.append(line)
    PayLine.objects.bulk_create(lines, batch_size=2000)
