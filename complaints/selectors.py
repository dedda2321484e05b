"""Reads of complaints; each takes the agency explicitly."""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from agency.models import Agency, Branch
from complaints.models import ACTIVE, Attachment, Complaint, ComplaintEvent, Deadline, SlaPolicy


def repeat_window(agency: Agency) -> timedelta:
    """How far back a repeat problem is looked for (the agency's policy, default 90 days);
    read without creating the policy, so a list costs one query for it."""
    days = SlaPolicy.objects.filter(agency=agency).values_list("repeat_window_days", flat=True)
    default = SlaPolicy._meta.get_field("repeat_window_days").default
    return timedelta(days=days.first() or default)


def _earlier(agency: Agency, window: timedelta, *, same: Q) -> Exists:
    """Whether an earlier complaint of the agency, within the window, matches `same`."""
    return Exists(
        Complaint.objects.filter(
            same,
            agency=agency,
            received_at__lt=OuterRef("received_at"),
            received_at__gte=OuterRef("received_at") - window,
        )
    )


#: A repeat problem (issue 19): the same customer complained before, or the same staff
#: member was complained about for the same category.
SAME_CUSTOMER = Q(customer=OuterRef("customer"))
SAME_STAFF = Q(staff=OuterRef("staff"), category=OuterRef("category"))


def with_repeats(complaints: QuerySet[Complaint], agency: Agency) -> QuerySet[Complaint]:
    """Each complaint marked `repeat_customer` and `repeat_staff` (in the database)."""
    window = repeat_window(agency)
    return complaints.annotate(
        repeat_customer=_earlier(agency, window, same=SAME_CUSTOMER),
        repeat_staff=_earlier(agency, window, same=SAME_STAFF),
    )


def earlier_complaints(complaint: Complaint) -> list[Complaint]:
    """The earlier complaints within the window that make this one a repeat, newest first."""
    window = repeat_window(complaint.agency)
    same = Q(customer_id=complaint.customer_id)
    if complaint.staff_id is not None:
        same |= Q(staff_id=complaint.staff_id, category=complaint.category)
    return list(
        Complaint.objects.filter(
            same,
            agency_id=complaint.agency_id,
            received_at__lt=complaint.received_at,
            received_at__gte=complaint.received_at - window,
        )
        .select_related("staff")
        .order_by("-received_at")
    )


def complaints_for(*, agency: Agency) -> QuerySet[Complaint]:
    """The agency's complaints with what a row shows."""
    return Complaint.objects.filter(agency=agency).select_related(
        "branch", "customer", "order", "staff", "taken_by", "owner"
    )


def complaint_desk(*, agency: Agency) -> QuerySet[Complaint]:
    """Open complaints, the nearest running deadline first; each with all its deadlines."""
    return (
        with_repeats(complaints_for(agency=agency), agency)
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
        .select_related("branch", "order", "staff", "taken_by", "owner")
        .prefetch_related(
            "customer",
            Prefetch("deadlines", queryset=Deadline.objects.order_by("created_at", "id")),
        )
        .order_by("nearest_due", "received_at", "id")
    )


def complaint_detail(*, agency: Agency) -> QuerySet[Complaint]:
    """A complaint with its timeline, deadlines, escalations and attachments."""
    return with_repeats(complaints_for(agency=agency), agency).prefetch_related(
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
    complaints = with_repeats(complaints_for(agency=agency), agency)
    if branch is not None:
        complaints = complaints.filter(branch=branch)
    if received_from is not None:
        complaints = complaints.filter(received_at__gte=received_from)
    if received_until is not None:
        complaints = complaints.filter(received_at__lt=received_until)
    return complaints.prefetch_related(
        Prefetch("deadlines", queryset=Deadline.objects.order_by("created_at", "id"))
    ).order_by("-received_at", "-id")
