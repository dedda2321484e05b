"""Staffing's reads: an order's team and its staff, current and previous."""

from typing import Any

from django.db.models import QuerySet

from orders.models import (
    HOLDING,
    Assignment,
    AssignmentStatus,
    Order,
)
from orders.staffing.services import proposal_refusal, replacement_refusal
from staff.models import StaffMember


def team(order: Order) -> QuerySet[Assignment]:
    """The order's confirmed staff, the lead first: who may be responsible for a failed item."""
    return (
        Assignment.objects.filter(
            agency_id=order.agency_id, order=order, status=AssignmentStatus.CONFIRMED
        )
        .select_related("staff")
        .order_by("role", "id")
    )


def team_members(order: Order) -> QuerySet[StaffMember]:
    """The same team as staff records (for choices)."""
    return StaffMember.objects.filter(
        agency_id=order.agency_id,
        assignments__order=order,
        assignments__status=AssignmentStatus.CONFIRMED,
    ).order_by("name")


def assignments_of(order: Order) -> dict[str, Any]:
    """The order's staff, current and previous, for the order page and the matching page."""
    assignments = list(
        order.assignments.select_related("staff", "replaced_by__staff", "proposed_by").order_by(
            "proposed_at", "id"
        )
    )
    current = [a for a in assignments if a.status in HOLDING]
    proposed = [a for a in current if a.status == AssignmentStatus.PROPOSED]
    return {
        "current_assignments": current,
        "previous_assignments": [a for a in assignments if a.status not in HOLDING],
        "proposed_assignments": proposed,
        "can_propose": proposal_refusal(order, proposed=proposed) is None,
        "can_replace": replacement_refusal(order) is None,
    }
