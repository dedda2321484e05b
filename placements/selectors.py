"""Reads of placements for the active agency: the list by state, the placement page."""

from datetime import date, timedelta

from django.db.models import (
    DateField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
)

from agency.models import Agency
from orders.models import Assignment, AssignmentStatus
from placements.models import Placement, PlacementStatus
from placements.models.placements import RUNNING
from staff.models import StaffMember

#: "Ending soon": a running placement whose last day is this near.
ENDING_SOON_DAYS = 30
#: "Starting": a placement not begun whose first day is this near (or already due).
STARTING_DAYS = 14

STATES = ("starting", "in_trial", "active", "ending_soon")


def placements_for(*, agency: Agency) -> QuerySet[Placement]:
    """The agency's placements with what a row shows, in one query plus one for the staff."""
    return (
        Placement.objects.filter(agency=agency)
        .select_related("order__customer", "order__service_type", "order__branch")
        .prefetch_related(
            Prefetch(
                "order__assignments",
                Assignment.objects.filter(status=AssignmentStatus.CONFIRMED).select_related(
                    "staff"
                ),
                to_attr="confirmed",
            )
        )
        .annotate(
            # The trial's last day (date + integer is a date in PostgreSQL).
            trial_ends_on=ExpressionWrapper(
                F("starts_on") + F("trial_days") - 1, output_field=DateField()
            )
        )
    )


def placements_in_state(
    queryset: QuerySet[Placement], state: str, *, today: date
) -> QuerySet[Placement]:
    """The list's tabs: starting (not begun, first day within two weeks), in trial,
    active (in placement), ending soon (running, last day within 30 days)."""
    if state == "starting":
        return queryset.filter(
            status__in=[PlacementStatus.DRAFT, PlacementStatus.SIGNING, PlacementStatus.SIGNED],
            starts_on__lte=today + timedelta(days=STARTING_DAYS),
        )
    if state == "in_trial":
        # `trial_ends_on` is `placements_for`'s annotation.
        return queryset.filter(Q(trial_ends_on__gte=today), status=PlacementStatus.ACTIVE)
    if state == "active":
        return queryset.filter(status=PlacementStatus.ACTIVE)
    if state == "ending_soon":
        return queryset.filter(
            status__in=RUNNING, ends_on__lte=today + timedelta(days=ENDING_SOON_DAYS)
        )
    return queryset


def confirmed_staff(placement: Placement) -> Assignment | None:
    """The staff member in the placement now (from `placements_for`'s prefetch)."""
    confirmed = getattr(placement.order, "confirmed", None)
    if confirmed is None:
        confirmed = list(
            placement.order.assignments.filter(status=AssignmentStatus.CONFIRMED).select_related(
                "staff"
            )
        )
    return confirmed[0] if confirmed else None


def live_in_staff(*, agency_id: int) -> QuerySet[StaffMember]:
    """Who may take over a placement: the agency's staff who accept live-in work."""
    return StaffMember.objects.filter(agency_id=agency_id, accepts_live_in=True).order_by("name")
