"""Reads of what puts complaints right (issue 19); each takes the agency explicitly."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from agency.models import Agency
from complaints.models import (
    Charge,
    Compensation,
    Complaint,
    InspectionVisit,
    InspectionVisitPhoto,
    Solution,
)


def overdue_inspections(
    *, agency: Agency, complaint_ids: list[int] | None = None, today: date
) -> set[int]:
    """The complaints whose inspection visit was due before `today` and is not recorded:
    the desk's flag (one query, on the index of visits not recorded)."""
    visits = InspectionVisit.objects.filter(
        agency=agency, recorded_at__isnull=True, scheduled_for__lt=today
    )
    if complaint_ids is not None:
        visits = visits.filter(complaint_id__in=complaint_ids)
    return set(visits.values_list("complaint_id", flat=True))


def remedies_of(complaint: Complaint) -> dict[str, list[object]]:
    """A complaint's solutions, compensations, charges and inspection visits (four queries,
    the visits' photos a fifth)."""
    return {
        "solutions": list(
            Solution.objects.filter(complaint=complaint).select_related("offered_by", "redo_order")
        ),
        "compensations": list(
            Compensation.objects.filter(complaint=complaint).select_related(
                "staff", "decided_by", "paid_by"
            )
        ),
        "charges": list(Charge.objects.filter(complaint=complaint).select_related("invoice")),
        "visits": list(
            InspectionVisit.objects.filter(complaint=complaint)
            .select_related("inspector")
            .prefetch_related(
                Prefetch("photos", queryset=InspectionVisitPhoto.objects.order_by("id"))
            )
        ),
    }


def compensations_for(*, agency: Agency) -> QuerySet[Compensation]:
    """The agency's compensations as finance's list shows them, newest first."""
    return (
        Compensation.objects.filter(agency=agency)
        .select_related("complaint", "staff", "proposed_by", "decided_by", "paid_by")
        .order_by("-proposed_at", "-id")
    )
