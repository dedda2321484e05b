"""The complaint lifecycle: which status may follow which, and the one function that moves it.

open → responding → resolved → followed up → closed; reopened from resolved,
followed up or closed (DESIGN.md, "Complaints"). Only `complaint_transition`
assigns `Complaint.status` (a test checks); the service that calls it writes the
timeline entry and the audit log in the words of what happened.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from agency.errors import StateConflict
from complaints.models import Complaint, Status, Tier
from feedback.complaint_revisits import courtesy_hold, courtesy_release

#: Which status may follow which.
ALLOWED: dict[str, frozenset[str]] = {
    Status.OPEN: frozenset({Status.RESPONDING, Status.CLOSED}),
    Status.RESPONDING: frozenset({Status.RESOLVED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.FOLLOWED_UP, Status.CLOSED, Status.REOPENED}),
    Status.FOLLOWED_UP: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset({Status.REOPENED}),
    Status.REOPENED: frozenset({Status.RESPONDING, Status.CLOSED}),
}


class ComplaintConflict(StateConflict):
    """The complaint is not in a state that allows this (the API answers 409)."""


def complaint_transition(*, complaint: Complaint, to: str, also: Iterable[str] = ()) -> None:
    """Move a locked complaint to `to`, saving the fields in `also` with it.

    The customer's courtesy revisits follow the new status (`courtesy_hold_follow`).
    """
    if to not in ALLOWED[complaint.status]:
        raise ComplaintConflict(
            _("A complaint that is %(current)s cannot become %(target)s.")
            % {"current": Status(complaint.status).label, "target": Status(to).label}
        )
    complaint.status = to
    complaint.save(update_fields=["status", *also])
    courtesy_hold_follow(complaint)


def courtesy_hold_follow(complaint: Complaint) -> None:
    """While the complaint is being handled the customer's courtesy revisits are held: a
    soft one until it is resolved, a hard one until it is followed up (or closed)."""
    handling = complaint.status in (Status.OPEN, Status.RESPONDING, Status.REOPENED) or (
        complaint.status == Status.RESOLVED and complaint.tier == Tier.HARD
    )
    hold = courtesy_hold if handling else courtesy_release
    hold(customer=complaint.customer, source=f"complaint-{complaint.pk}")
