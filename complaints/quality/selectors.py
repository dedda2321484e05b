"""Reads of quality inspections and the risk register, each for one agency.

Every list is a fixed number of queries whatever its length (pinned in the tests).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField as BooleanOutput
from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When

from agency.models import Agency, Branch
from complaints.models import (
    Checklist,
    ChecklistItem,
    Inspection,
    InspectionPlan,
    InspectionScore,
    PlanKind,
    RiskDocument,
)
from complaints.quality import figures

CENT = Decimal("0.01")


def checklists_of(*, agency: Agency) -> QuerySet[Checklist]:
    """The agency's checklists with `items_in_use`, the number of items still scored."""
    return Checklist.objects.filter(agency=agency).annotate(
        items_in_use=Count("items", filter=Q(items__is_active=True))
    )


def items_in_use(*, checklist: Checklist) -> list[ChecklistItem]:
    """The items an inspection with this checklist scores, in their order."""
    return list(
        ChecklistItem.objects.filter(
            agency_id=checklist.agency_id, checklist=checklist, is_active=True
        )
    )


def inspections_of(*, agency: Agency) -> QuerySet[Inspection]:
    return Inspection.objects.filter(agency=agency).select_related(
        "order", "branch", "staff", "inspector", "checklist"
    )


def inspection_detail(*, agency: Agency) -> QuerySet[Inspection]:
    return inspections_of(agency=agency).prefetch_related("scores__item", "photos")


def plans_with_progress(*, agency: Agency) -> QuerySet[InspectionPlan]:
    """Plans with `done` (inspections recorded against them) and `due` (still to do)."""
    return (
        InspectionPlan.objects.filter(agency=agency)
        .select_related("branch", "staff", "checklist", "inspector")
        .annotate(done=Count("inspections"))
        .annotate(
            due=Case(
                When(done__gte=F("jobs_planned"), then=Value(0)),
                default=F("jobs_planned") - F("done"),
            )
        )
        .order_by("-starts_on", "id")
    )


def plans_running(*, agency: Agency, today: date) -> QuerySet[InspectionPlan]:
    """The plans of this month and this quarter: what is due now."""
    quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return plans_with_progress(agency=agency).filter(
        Q(kind=PlanKind.MONTHLY, starts_on=today.replace(day=1))
        | Q(kind=PlanKind.QUARTERLY, starts_on=quarter)
    )


@dataclass(frozen=True)
class Result:
    """A staff member's or a branch's inspections: how many, the average, the weakest items."""

    key: int
    name: str
    count: int
    average: Decimal
    #: The items scored lowest (share of their maximum), lowest first: (label, percent).
    lowest_items: list[tuple[str, Decimal]]


#: How many of the weakest items a result names.
LOWEST_ITEMS = 3


def results(
    *,
    agency: Agency,
    by: str,
    start: datetime,
    end: datetime,
    branch: Branch | None = None,
) -> list[Result]:
    """Results per staff member (`by="staff"`) or branch (`by="branch"`) of the inspections
    in [start, end), the lowest average first; two queries."""
    window: dict[str, Any] = {"agency": agency, "start": start, "end": end, "branch": branch}
    inspections = figures.inspections_in(**window)
    rows = list(figures.results_by(**window, by=by))
    item_rows: dict[int, list[tuple[str, Decimal]]] = {}
    scores = (
        InspectionScore.objects.filter(inspection__in=inspections)
        .values(f"inspection__{by}", "item__label")
        .annotate(got=Sum("score"), out_of=Sum("max_score"))
    )
    for row in scores:
        share = (Decimal(100) * row["got"] / row["out_of"]).quantize(CENT)
        item_rows.setdefault(row[f"inspection__{by}"], []).append((row["item__label"], share))
    return [
        Result(
            key=row[by],
            name=row["name"],
            count=row["inspections"],
            average=Decimal(row["average"]).quantize(CENT),
            lowest_items=sorted(item_rows.get(row[by], []), key=lambda pair: (pair[1], pair[0]))[
                :LOWEST_ITEMS
            ],
        )
        for row in rows
    ]


def risk_register(*, agency: Agency, today: date) -> QuerySet[RiskDocument]:
    """The register with `overdue` marked, overdue reviews first (the earliest first)."""
    return (
        RiskDocument.objects.filter(agency=agency)
        .select_related("owner")
        .annotate(
            overdue=Case(
                When(review_by__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanOutput(),
            )
        )
        .order_by("-overdue", "review_by", "id")
    )
