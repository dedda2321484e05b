"""Complaint figures for the reports: response time, completion rate, counts, open breaches.

DESIGN.md, "Complaints" and "Targets the reports measure": the agency-wide
commitment is an average complaint response within 24 hours and a completion
rate of at least 90%. Each selector takes the agency, a period `[start, end)`
and optionally a branch, and aggregates in the database (one query each).

Definitions (what a report may say about them):

- Average first response: over the complaints whose *first response was given
  in the period* (whenever they were received), the mean of "first response
  minus received", in real hours — the commitment is "within 24 hours", not
  office hours, and a pause does not stop it. The first response is the
  earliest met first-response deadline, so a reopened complaint's new round
  does not count again. Chosen over "received in the period" so a period's
  figure is final once the period is over (a weekly report printed on Monday
  and again on Wednesday says the same), and a late answer still counts, in
  the period it was given. Complaints not answered yet are not in it: they
  show as open breaches.
- Completion rate: of the complaints' handlings *completed in the period*,
  the share completed in time. A hard complaint is completed when it is
  resolved, in time if its resolution deadline (the time its second response
  set) was not breached; a soft one has no resolution deadline and is
  completed when it is verified, in time if verified within its verification
  deadline. Each handling counts: a complaint reopened and resolved again is
  measured again, against its new deadline.
- Counts by tier and by category: complaints received in the period.
- Average resolution: over the complaints *resolved in the period*, the mean of
  "resolved minus received", in real hours, against the same 24-hour commitment
  (DESIGN.md: the response KPI counts the time to resolve, not only the first
  answer). A complaint reopened and resolved again counts its latest resolution.
- Repeat problems: complaints received in the period that the same customer, or
  the same staff member with the same category, had complained of within the
  agency's window before (the desk's flag).
- Root causes: complaints closed in the period, per root cause.
- Open breaches: deadlines breached and still open at the end of the period
  (or now, if that is earlier) — due by then, neither met nor cancelled by
  then, and not standing still on a pause with time left.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, TypeVar

from django.db.models import Avg, Count, DurationField, F, Min, Q, QuerySet, Sum
from django.utils import timezone

from agency.figures import percent_target
from agency.models import Agency, Branch
from complaints.models import (
    Category,
    Compensation,
    CompensationStatus,
    Complaint,
    Deadline,
    DeadlineKind,
    RootCause,
    Tier,
)
from complaints.selectors import with_repeats

V = TypeVar("V", timedelta, Decimal)


@dataclass(frozen=True)
class Figure(Generic[V]):
    """A measured value against its target. `value` and `met` are None when there was
    nothing to measure (`measured` is 0)."""

    value: V | None
    target: V
    met: bool | None
    #: How many complaints (or handlings) the value is over.
    measured: int


def average_first_response(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> Figure[timedelta]:
    """Mean time from receiving a complaint to its first response, for first responses
    given in the period; against the agency's target (at most 24 hours by default,
    DESIGN.md "Complaints")."""
    target = timedelta(hours=agency.complaint_response_target_hours)
    # The complaints whose first response was given in the period, found from the period's
    # met deadlines (their index), before the earliest per complaint is taken.
    met_in_period = Deadline.objects.filter(
        agency=agency, kind=DeadlineKind.FIRST_RESPONSE, met_at__gte=start, met_at__lt=end
    ).values("complaint_id")
    answered = (
        _complaints(agency, branch)
        .filter(pk__in=met_in_period)
        .annotate(
            first_response_at=Min(
                "deadlines__met_at", filter=Q(deadlines__kind=DeadlineKind.FIRST_RESPONSE)
            )
        )
        .filter(first_response_at__gte=start, first_response_at__lt=end)
    )
    row = answered.aggregate(
        average=Avg(F("first_response_at") - F("received_at"), output_field=DurationField()),
        measured=Count("id"),
    )
    average: timedelta | None = row["average"]
    return Figure(
        value=average,
        target=target,
        met=None if average is None else average <= target,
        measured=row["measured"],
    )


def average_resolution(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> Figure[timedelta]:
    """Mean time from receiving a complaint to its resolution, for complaints resolved in
    the period; against the agency's response target (24 hours by default)."""
    target = timedelta(hours=agency.complaint_response_target_hours)
    row = (
        _complaints(agency, branch)
        .filter(resolved_at__gte=start, resolved_at__lt=end)
        .aggregate(
            average=Avg(F("resolved_at") - F("received_at"), output_field=DurationField()),
            measured=Count("id"),
        )
    )
    average: timedelta | None = row["average"]
    return Figure(
        value=average,
        target=target,
        met=None if average is None else average <= target,
        measured=row["measured"],
    )


@dataclass(frozen=True)
class Repeats:
    """Complaints received in a period that repeat an earlier problem (one may be both)."""

    total: int
    same_customer: int
    same_staff: int


def repeat_problems(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> Repeats:
    """Complaints received in the period that repeat a problem of the agency's window."""
    marked = with_repeats(_received(agency, start, end, branch), agency)
    row = marked.aggregate(
        total=Count("id", filter=Q(repeat_customer=True) | Q(repeat_staff=True)),
        same_customer=Count("id", filter=Q(repeat_customer=True)),
        same_staff=Count("id", filter=Q(repeat_staff=True)),
    )
    return Repeats(**row)


def root_causes(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> dict[str, int]:
    """Complaints closed in the period, per root cause (every root cause present)."""
    closed = _complaints(agency, branch).filter(closed_at__gte=start, closed_at__lt=end)
    return _counts("root_cause", RootCause.values, closed)


def completion_rate(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> Figure[Decimal]:
    """Share of the handlings completed in the period that were completed in time (hard:
    resolved by the resolution deadline; soft: verified by the verification deadline);
    against the agency's target (at least 90% by default). The value is a fraction
    rounded to four places (0.9167)."""
    target = percent_target(agency.complaint_completion_target_percent)
    completing = Q(kind=DeadlineKind.RESOLUTION, complaint__tier=Tier.HARD) | Q(
        kind=DeadlineKind.VERIFICATION, complaint__tier=Tier.SOFT
    )
    deadlines = Deadline.objects.filter(
        completing, agency=agency, met_at__gte=start, met_at__lt=end
    )
    if branch is not None:
        deadlines = deadlines.filter(complaint__branch=branch)
    row = deadlines.aggregate(
        completed=Count("id"), in_time=Count("id", filter=Q(breached_at__isnull=True))
    )
    if not row["completed"]:
        return Figure(value=None, target=target, met=None, measured=0)
    rate = (Decimal(row["in_time"]) / Decimal(row["completed"])).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )
    return Figure(
        value=rate,
        target=target,
        met=rate >= target,
        measured=row["completed"],
    )


def counts_by_tier(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> dict[str, int]:
    """Complaints received in the period, per tier (every tier present, zero or not)."""
    return _counts("tier", Tier.values, _received(agency, start, end, branch))


def counts_by_category(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> dict[str, int]:
    """Complaints received in the period, per category (every category present)."""
    return _counts("category", Category.values, _received(agency, start, end, branch))


def open_breaches(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> int:
    """Deadlines breached and still open at the end of the period (or now, if earlier).

    `start` is taken for a uniform signature: a breach open at the end counts
    whenever its complaint came in.
    """
    return open_breach_deadlines(agency=agency, start=start, end=end, branch=branch).count()


def open_breach_deadlines(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> QuerySet[Deadline]:
    """The deadlines `open_breaches` counts (the rows behind the figure): due before the
    end of the period (or now, if earlier), neither met nor cancelled by then, and not
    standing still on a pause with time left."""
    moment = min(end, timezone.now())
    deadlines = Deadline.objects.filter(
        Q(met_at__isnull=True) | Q(met_at__gt=moment),
        Q(cancelled_at__isnull=True) | Q(cancelled_at__gt=moment),
        Q(left_when_paused__isnull=True) | Q(left_when_paused=timedelta(0)),
        agency=agency,
        due_at__lt=moment,
    )
    if branch is not None:
        deadlines = deadlines.filter(complaint__branch=branch)
    return deadlines


def _complaints(agency: Agency, branch: Branch | None) -> QuerySet[Complaint]:
    complaints = Complaint.objects.filter(agency=agency)
    return complaints if branch is None else complaints.filter(branch=branch)


def _received(
    agency: Agency, start: datetime, end: datetime, branch: Branch | None
) -> QuerySet[Complaint]:
    return _complaints(agency, branch).filter(received_at__gte=start, received_at__lt=end)


def _counts(field: str, choices: list[str], complaints: QuerySet[Complaint]) -> dict[str, int]:
    counted = dict(
        complaints.order_by().values_list(field).annotate(n=Count("id")).values_list(field, "n")
    )
    return {choice: counted.get(choice, 0) for choice in choices}


@dataclass(frozen=True)
class CompensationFigures:
    """Compensation paid out in a period: the total, and (count, amount) by who paid."""

    total: Decimal
    by_payer: dict[str, tuple[int, Decimal]]


def compensation_figures(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> CompensationFigures:
    """Compensation *paid* in `[start, end)` (by finance's record), grouped by payer: what
    the damage cost the agency, its insurer and its staff (one query)."""
    paid = Compensation.objects.filter(
        agency=agency, status=CompensationStatus.PAID, paid_at__gte=start, paid_at__lt=end
    )
    if branch is not None:
        paid = paid.filter(complaint__branch=branch)
    rows = paid.values("payer").annotate(n=Count("id"), amount=Sum("amount")).order_by("payer")
    by_payer = {row["payer"]: (row["n"], row["amount"]) for row in rows}
    return CompensationFigures(
        total=sum((amount for _n, amount in by_payer.values()), Decimal(0)), by_payer=by_payer
    )
