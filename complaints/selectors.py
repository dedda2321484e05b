"""Reads of complaints; each takes the agency explicitly."""

from datetime import datetime

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from agency.models import Agency, Branch
from complaints.models import ACTIVE, Attachment, Complaint, ComplaintEvent, Deadline


def complaints_for(*, agency: Agency) -> QuerySet[Complaint]:
    """The agency's complaints with what a row shows."""
    return Complaint.objects.filter(agency=agency).select_related(
        "branch", "customer", "order", "staff", "taken_by"
    )


def complaint_desk(*, agency: Agency) -> QuerySet[Complaint]:
    """Open complaints, the nearest running deadline first; each with all its deadlines."""
    return (
        complaints_for(agency=agency)
        .filter(status__in=ACTIVE)
        # Each open complaint's nearest running deadline, looked up through the index of
        # running deadlines: a grouped join read every agency's deadlines.
        .annotate(
            nearest_due=Subquery(
                Deadline.objects.filter(
                    agency=agency,
                    complaint=OuterRef("pk"),
                    met_at__isnull=True,
                    cancelled_at__isnull=True,
                )
                .order_by("due_at")
                .values("due_at")[:1]
            )
        )
        # The page's customers by their keys: joined, every agency's customers were read
        # before the sort could pick the page.
        .select_related(None)
        .select_related("branch", "order", "staff", "taken_by")
        .prefetch_related(
            "customer",
            Prefetch("deadlines", queryset=Deadline.objects.order_by("created_at", "id")),
        )
        .order_by("nearest_due", "received_at", "id")
    )


def complaint_detail(*, agency: Agency) -> QuerySet[Complaint]:
    """A complaint with its timeline, deadlines, escalations and attachments."""
    return complaints_for(agency=agency).prefetch_related(
        Prefetch("events", queryset=ComplaintEvent.objects.select_related("actor")),
        Prefetch("deadlines", queryset=Deadline.objects.order_by("created_at", "id")),
        "escalations",
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
    )


def complaint_log(
    *,
    agency: Agency,
    received_from: datetime | None = None,
    received_until: datetime | None = None,
    branch: Branch | None = None,
) -> QuerySet[Complaint]:
    """The complaint log (顾客投诉记录): every complaint of a period with its deadlines."""
    complaints = complaints_for(agency=agency)
    if branch is not None:
        complaints = complaints.filter(branch=branch)
    if received_from is not None:
        complaints = complaints.filter(received_at__gte=received_from)
    if received_until is not None:
        complaints = complaints.filter(received_at__lt=received_until)
    return complaints.prefetch_related(
        Prefetch("deadlines", queryset=Deadline.objects.order_by("created_at", "id"))
    ).order_by("-received_at", "-id")
