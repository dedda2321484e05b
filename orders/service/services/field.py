"""What field staff do in Hearth themselves (their own jobs only): reveal the customer's
contact inside the window, and acknowledge (确认接单) or decline a job they are put on."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.audit import Actor, audit_record
from agency.errors import StateConflict
from messaging.rules import Event
from orders.lifecycle import order_lock
from orders.models import HOLDING, Assignment
from orders.service.privacy import contact_window, staff_may_see_contact
from orders.staffing.notices import tell_desk
from orders.staffing.services import release_before_service


def staff_reveal_contact(*, assignment: Assignment, actor: Actor, field: str) -> str:
    """The customer's full address or phone for the assigned staff member, inside the window.

    Every reveal is written to the audit log (DESIGN.md).
    """
    order = assignment.order
    if actor.user is None or assignment.staff.user_id != actor.user.pk:
        raise PermissionDenied(_("This is not your job."))
    if not staff_may_see_contact(assignment, at=timezone.now()):
        opens = timezone.localtime(contact_window(assignment).opens_at)
        raise PermissionDenied(
            _("The address and phone are shown from %(time)s until the job ends.")
            % {"time": opens.strftime("%Y-%m-%d %H:%M")}
        )
    if field == "phone":
        value = order.customer.phone
    elif field == "address":
        address = order.needs_form.address
        value = f"{address.district} {address.detail}"
    else:
        raise PermissionDenied(_("Nothing to reveal."))
    audit_record(
        agency=order.agency,
        actor=actor,
        action=f"customer.reveal_{field}",
        target=order.customer,
        changes={"order": order.number, "by": "assigned staff"},
    )
    return value


@transaction.atomic
def job_acknowledge(*, assignment: Assignment, actor: Actor) -> Assignment:
    """The staff member takes the job on (确认接单): the dispatcher need not chase them.

    Proposed or confirmed alike: it answers the dispatcher, not the customer. A second
    tap changes nothing.
    """
    own = _own_holding(assignment, actor=actor)
    if own.acknowledged_at is not None:
        return own
    own.acknowledged_at = timezone.now()
    own.ack_due_at = None
    own.save(update_fields=["acknowledged_at", "ack_due_at"])
    audit_record(
        agency=own.order.agency,
        actor=actor,
        action="assignment.acknowledge",
        target=own,
        changes={"order": own.order.number},
    )
    return own


@transaction.atomic
def job_decline(*, assignment: Assignment, actor: Actor, reason: str) -> Assignment:
    """The staff member cannot take the job: they are released and the dispatchers told."""
    own = _own_holding(assignment, actor=actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you cannot take this job.")})
    order = own.order
    released = release_before_service(
        order,
        own,
        reason=_("Declined by the staff member: %(reason)s") % {"reason": reason.strip()},
        actor=actor,
    )
    tell_desk(
        order,
        released,
        event=Event.JOB_DECLINED,
        key=f"assignment:{released.pk}:declined",
        extra={"reason": reason.strip()},
    )
    return released


def _own_holding(assignment: Assignment, *, actor: Actor) -> Assignment:
    """The actor's own assignment, read again under its order's lock, still on the job."""
    order = order_lock(assignment.order)
    own = Assignment.objects.select_related("staff").get(
        pk=assignment.pk, agency_id=order.agency_id
    )
    if actor.user is None or own.staff.user_id != actor.user.pk:
        raise PermissionDenied(_("This is not your job."))
    if own.status not in HOLDING:
        raise StateConflict(_("You are no longer on this job."))
    own.order = order
    return own
