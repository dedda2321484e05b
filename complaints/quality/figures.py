"""Quality and risk figures for the reports (issue 19): the average inspection score, the
inspections done against the plans, and the risk reviews overdue.

Each takes the agency, a period `[start, end)` and optionally a branch, and is one
aggregate query. Definitions:

- Average inspection score: the mean percentage of the inspections made in the period
  (of the job's branch), over how many there were; no target (the agency reads the lowest
  staff and items in the results).
- Inspections done of planned: over the plans running in the period (a month or quarter
  that overlaps it; of the branch, or of its staff members), the inspections recorded
  against them (each plan counted up to its number) of the jobs they planned; the target
  is all of them.
- Risk reviews overdue: emergency plans whose review date has passed by the period's
  last day (or today, if earlier). The register is the agency's, so a branch does not
  narrow it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Least

from agency.models import Agency, Branch
from complaints.models import Inspection, InspectionPlan, PlanKind, RiskDocument

SHARE = Decimal("0.0001")


@dataclass(frozen=True)
class Figure:
    """A measured value against its target (None: no target, or nothing to measure)."""

    value: Decimal | None
    target: Decimal | None
    met: bool | None
    measured: int


def _share(part: int | Decimal, whole: int | Decimal) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(SHARE, rounding=ROUND_HALF_UP)


def inspections_in(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> QuerySet[Inspection]:
    rows = Inspection.objects.filter(agency=agency, inspected_at__gte=start, inspected_at__lt=end)
    return rows if branch is None else rows.filter(branch=branch)


def inspection_score(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> Figure:
    totals = inspections_in(agency=agency, start=start, end=end, branch=branch).aggregate(
        average=Avg("percent"), measured=Count("id")
    )
    average = totals["average"]
    return Figure(
        value=None if average is None else _share(Decimal(average), 100),
        target=None,
        met=None,
        measured=totals["measured"],
    )


def plans_running_in(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> QuerySet[InspectionPlan]:
    """Plans whose month or quarter overlaps the period `[start, end)`."""
    first, last = start.astimezone(agency.zone).date(), (end - timedelta(microseconds=1))
    last_day = last.astimezone(agency.zone).date()
    month = first.replace(day=1)
    quarter = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    plans = InspectionPlan.objects.filter(agency=agency, starts_on__lte=last_day).filter(
        Q(kind=PlanKind.MONTHLY, starts_on__gte=month)
        | Q(kind=PlanKind.QUARTERLY, starts_on__gte=quarter)
    )
    if branch is not None:
        plans = plans.filter(Q(branch=branch) | Q(staff__home_branch=branch))
    return plans


def inspections_done(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None = None
) -> Figure:
    done = (
        Inspection.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(n=Count("id"))
        .values("n")
    )
    totals: dict[str, Any] = (
        plans_running_in(agency=agency, start=start, end=end, branch=branch)
        .annotate(
            counted=Least(Coalesce(Subquery(done), 0), "jobs_planned", output_field=IntegerField())
        )
        .aggregate(planned=Sum("jobs_planned"), done=Sum("counted"))
    )
    planned = totals["planned"] or 0
    if not planned:
        return Figure(value=None, target=Decimal(1), met=None, measured=0)
    value = _share(totals["done"] or 0, planned)
    return Figure(value=value, target=Decimal(1), met=value >= 1, measured=planned)


def risk_reviews_overdue(*, agency: Agency, on: date) -> int:
    """Emergency plans whose review date is before `on`."""
    return overdue_reviews(agency=agency, on=on).count()


def overdue_reviews(*, agency: Agency, on: date) -> QuerySet[RiskDocument]:
    return (
        RiskDocument.objects.filter(agency=agency, review_by__lt=on)
        .select_related("owner")
        .order_by("review_by", "id")
    )


def results_by(
    *, agency: Agency, start: datetime, end: datetime, branch: Branch | None, by: str
) -> QuerySet[Any]:
    """Per staff member or branch: name, inspections, average score; the lowest first."""
    name = "staff__name" if by == "staff" else "branch__name"
    return (
        inspections_in(agency=agency, start=start, end=end, branch=branch)
        .values(by)
        .annotate(name=F(name), inspections=Count("id"), average=Avg("percent"))
        .order_by("average", "name", by)
    )
